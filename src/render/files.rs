//! The files a build copies rather than renders: the theme's static
//! files, the files of `content/` that are not pages and the project's
//! `static/`, read into memory in parallel.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Output, Theme, theme};
use crate::diagnostics::{Code, Diagnostic};
use crate::links::{self, layout};
use crate::load::AssetSource;
use crate::paths::OutputPath;
use crate::source::Span;

/// The theme's static files, read into memory: the built-in ones as they
/// are, the project's from disk.
pub fn static_files(theme: &Theme, diagnostics: &mut Vec<Diagnostic>) -> Vec<Output> {
    let mut outputs = Vec::with_capacity(theme.static_files.len());
    let mut on_disk: Vec<(OutputPath, &Path, PathBuf)> = Vec::new();
    for file in &theme.static_files {
        match &file.origin {
            theme::Origin::BuiltIn(bytes) => outputs.push(Output {
                path: file.output.clone(),
                bytes: bytes.to_vec(),
            }),
            theme::Origin::Project(disk) => {
                on_disk.push((file.output.clone(), disk.as_path(), disk.clone()));
            }
        }
    }
    outputs.extend(read_files(&on_disk, diagnostics));
    outputs
}

/// The files of `content/` that are not pages, read into memory.
pub fn asset_files(assets: &[AssetSource], diagnostics: &mut Vec<Diagnostic>) -> Vec<Output> {
    let files: Vec<(OutputPath, &Path, PathBuf)> = assets
        .iter()
        .filter_map(|asset| {
            let path = links::asset_output_path(&asset.path)?;
            Some((
                path,
                asset.disk_path.as_path(),
                PathBuf::from(format!("content/{}", asset.path)),
            ))
        })
        .collect();
    read_files(&files, diagnostics)
}

/// The files of the project's `static/`, read into memory.
pub fn site_files(statics: &[AssetSource], diagnostics: &mut Vec<Diagnostic>) -> Vec<Output> {
    let files: Vec<(OutputPath, &Path, PathBuf)> = statics
        .iter()
        .filter_map(|file| {
            Some((
                layout::site_file(&file.path)?,
                file.disk_path.as_path(),
                PathBuf::from(format!("static/{}", file.path)),
            ))
        })
        .collect();
    read_files(&files, diagnostics)
}

/// Reads `(output path, file on disk, path shown in messages)` in parallel.
fn read_files(
    files: &[(OutputPath, &Path, PathBuf)],
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Output> {
    let read: Vec<Result<Output, Diagnostic>> = files
        .par_iter()
        .map(|(path, disk, shown)| {
            std::fs::read(disk)
                .map(|bytes| Output {
                    path: path.clone(),
                    bytes,
                })
                .map_err(|error| {
                    Diagnostic::error(Code::Io, format!("cannot read the file: {error}"))
                        .at(Span::file_only(shown.clone()))
                })
        })
        .collect();
    let mut outputs = Vec::with_capacity(read.len());
    for result in read {
        match result {
            Ok(output) => outputs.push(output),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    outputs
}
