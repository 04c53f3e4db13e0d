//! Rendering only what changed since the last build into the same folder.
//!
//! Every job of a site has a fingerprint of everything its template can
//! see (see [`crate::render::deps`]); the ledger beside the output folder
//! (see [`crate::write::ledger`]) holds the fingerprints of the site
//! published there and the stamps of its files. A job whose fingerprint
//! and files are unchanged is staged from the published files instead of
//! rendered; after publishing, the ledger is written anew.

use std::path::Path;

use foldhash::{HashMap, HashSet};
use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::links::layout;
use crate::model::Site;
use crate::paths::OutputPath;
use crate::render::deps::{self, KeptPrints};
use crate::render::{Job, Theme};
use crate::write::ledger::{self, Ledger, Stamp};
use crate::write::{StagedFile, Staging};

/// The fingerprint of every job of `site` rendered with `theme`.
pub fn job_prints(site: &Site, theme: &Theme) -> Vec<(Job, u64)> {
    let seen = deps::seen_of_theme(site, theme, deps::theme_print(theme));
    deps::job_prints(site, seen, &mut KeptPrints::default())
}

/// Stages the published files of the jobs that the ledger of the output
/// folder saw published with the fingerprints they have now (`prints`),
/// instead of rendering them again; returns those jobs.
pub fn stage_unchanged(
    site: &Site,
    staging: &Staging,
    prints: &[(Job, u64)],
    identity: &str,
) -> Result<HashSet<Job>, Box<Diagnostic>> {
    let output_dir = staging.output_dir();
    let ledger = Ledger::read(output_dir, identity);
    let unchanged: Vec<(Job, Vec<(OutputPath, Stamp)>)> = prints
        .par_iter()
        .filter_map(|&(job, print)| {
            let files = ledger.unchanged(job.output_path(site).as_str(), print, output_dir)?;
            let paths: Option<Vec<(OutputPath, Stamp)>> = files
                .into_iter()
                .map(|(file, stamp)| Some((OutputPath::file(file)?, stamp)))
                .collect();
            Some((job, paths?))
        })
        .collect();
    unchanged
        .par_iter()
        .flat_map_iter(|(_, paths)| paths)
        .try_for_each(|(path, stamp)| staging.reuse(path, *stamp))?;
    Ok(unchanged.into_iter().map(|(job, _)| job).collect())
}

/// Writes the ledger of the site just published into `output_dir`: each
/// job of `prints` with its files, among the `staged` ones, with the stamps
/// they were staged with. Where it cannot be written, the old one is
/// removed: the next build renders every file.
pub fn keep_ledger(
    site: &Site,
    output_dir: &Path,
    identity: &str,
    prints: &[(Job, u64)],
    staged: &[StagedFile],
) {
    let paths: Vec<OutputPath> = prints
        .iter()
        .map(|(job, _)| job.output_path(site))
        .collect();
    let search_index: Vec<&str> = staged
        .iter()
        .map(|file| &file.path)
        .filter(|path| layout::in_search_index(path))
        .map(OutputPath::as_str)
        .collect();
    let stamps: HashMap<&str, Stamp> = staged
        .iter()
        .map(|file| (file.path.as_str(), file.stamp))
        .collect();
    let jobs = prints.iter().zip(&paths).map(|(&(job, print), path)| {
        let files = match job {
            Job::SearchIndex => search_index.clone(),
            _ => vec![path.as_str()],
        };
        (path.as_str(), print, files)
    });
    let staged_stamp = |file: &str| stamps.get(file).copied();
    if ledger::write(output_dir, identity, jobs, staged_stamp).is_err() {
        ledger::forget(output_dir);
    }
}
