//! The `dossier` command line.
//!
//! Exit codes: 0 when the site is fine, 1 when the content has errors (or
//! warnings under `--deny-warnings`), 2 when the command line is wrong.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::diagnostics::report::{self, Style};
use crate::load::Project;
use crate::model::coverage::{self, SourceReport};
use crate::model::{Drafts, Site};
use crate::pipeline::{self, Options, Outcome};
use crate::render::theme;
use crate::scaffold;

const EXAMPLES: &str = "\
Examples:
  dossier init briefing              Start a new project in briefing/
  dossier serve --open               Serve it while you write; pages follow every save
  dossier check                      Check everything a build checks
  dossier build                      Build the project in this folder into public/
  dossier fix                        Move citations to where a replaced source's words went
  dossier theme eject                Copy the built-in theme into themes/default/ to change it
";

/// The examples of `dossier build --help`.
const BUILD_EXAMPLES: &str = "\
Examples:
  dossier build                      Build the project in this folder into public/
  dossier build --root briefing      Build the project in briefing/ into briefing/public/
  dossier build --output /tmp/site   Build into another folder
  dossier build --deny-warnings      Publish only a site without a warning (for CI)
  dossier build --drafts -o /tmp/p   Publish a preview with the pages marked draft = true
";

/// The examples of `dossier check --help`.
const CHECK_EXAMPLES: &str = "\
Examples:
  dossier check                      Check everything a build checks; publish nothing
  dossier check --format json        One JSON object per problem, for editors and CI
  dossier check --coverage           Also list which passages of each source are cited
  dossier check --min-coverage 100   Fail unless every passage of every source is cited
  dossier check --accept-sources     Record the words of changed source passages once read
";

/// The examples of `dossier serve --help`.
const SERVE_EXAMPLES: &str = "\
Examples:
  dossier serve --open               Serve on a free port and open the browser
  dossier serve --port 8000          Serve on http://127.0.0.1:8000/
  dossier serve --no-drafts          Serve the site as `build` publishes it, without drafts
  dossier serve --bind 0.0.0.0       Let other machines of the network read it
";

/// The examples of `dossier fix --help`.
const FIX_EXAMPLES: &str = "\
Examples:
  dossier check                      See which citations a replaced source moved
  dossier fix                        Move them to where their words went, then check
  dossier check --accept-sources     Record the new words of the passages left
";

/// The examples of `dossier init --help`.
const INIT_EXAMPLES: &str = "\
Examples:
  dossier init briefing              Start a new project in briefing/
  dossier init                       Start it in this (empty) folder
";

/// A static site generator for briefing sites: annotated Markdown in, a
/// cross-linked site with agency and topic indexes out.
#[derive(Debug, Parser)]
#[command(name = "dossier", version, about, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check the project and publish the site into the output folder.
    #[command(after_help = BUILD_EXAMPLES)]
    Build(BuildArgs),
    /// Check the project as a build would, and publish nothing.
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Serve the site from memory and rebuild it on every edit, reloading
    /// the open pages.
    #[command(after_help = SERVE_EXAMPLES)]
    Serve(ServeArgs),
    /// Move every citation whose passage's words moved to another anchor
    /// of the source (after the source was replaced) to that anchor, print
    /// each edit, and check the project again.
    #[command(after_help = FIX_EXAMPLES)]
    Fix(FixArgs),
    /// Start a new project that builds at once: settings, a page, the
    /// registries and a source document to cite.
    #[command(after_help = INIT_EXAMPLES)]
    Init(InitArgs),
    /// Work with themes: list them, or copy the built-in one into the
    /// project.
    #[command(subcommand)]
    Theme(ThemeCommand),
}

#[derive(Debug, Args)]
struct FixArgs {
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Debug, Args)]
struct InitArgs {
    /// The folder of the new project: new, or empty but for hidden files
    /// such as `.git`.
    #[arg(value_name = "DIR", default_value = ".")]
    dir: PathBuf,
}

#[derive(Debug, Subcommand)]
enum ThemeCommand {
    /// List the themes a project can name in site.toml: the built-in
    /// `default` and the folders of themes/.
    List(RootArgs),
    /// Write every file of the built-in theme into themes/default/, where
    /// the project's files override the built-in ones.
    Eject(EjectArgs),
}

#[derive(Debug, Args)]
struct RootArgs {
    /// The project folder: the one with site.toml.
    #[arg(long, short, value_name = "DIR", default_value = ".")]
    root: PathBuf,
}

#[derive(Debug, Args)]
struct EjectArgs {
    #[command(flatten)]
    root: RootArgs,
    /// Replace the files the project has already.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Also print, per source, which passages the pages cite and which
    /// they do not, with the share cited (on standard output).
    #[arg(long)]
    coverage: bool,
    /// Record in sources.lock the words every cited passage has now,
    /// accepting the changes `check` reported (after you have read them).
    #[arg(long)]
    accept_sources: bool,
}

#[derive(Debug, Args)]
struct BuildArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// The folder to publish into [default: <root>/public].
    #[arg(long, short, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Replace the output folder even if dossier did not create it.
    #[arg(long)]
    force: bool,
    /// Render every file again, even those whose inputs did not change
    /// since the last build into the same folder.
    #[arg(long)]
    render_all: bool,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// The project folder: the one with site.toml.
    #[arg(long, short, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// The port to listen on [default: a free one].
    #[arg(long, short, default_value_t = 0, hide_default_value = true)]
    port: u16,
    /// The address to listen on; anything but a loopback address lets other
    /// machines read the site.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Print how long each rebuild took, step by step.
    #[arg(long, short)]
    verbose: bool,
    /// Leave out the pages marked `draft = true`, as `build` does (they
    /// are shown, with a draft banner, by default).
    #[arg(long)]
    no_drafts: bool,
}

#[derive(Debug, Args)]
struct CommonArgs {
    /// The project folder: the one with site.toml.
    #[arg(long, short, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// How to print problems.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Fail on warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Print how long each stage took.
    #[arg(long, short)]
    verbose: bool,
    /// Take in the pages marked `draft = true`, each with a draft banner
    /// (left out by default).
    #[arg(long)]
    drafts: bool,
    /// Fail when a source has less than this share of its passages cited,
    /// in whole percent.
    #[arg(long, value_name = "PERCENT", value_parser = clap::value_parser!(u8).range(0..=100))]
    min_coverage: Option<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Problems with their source lines, for people.
    Human,
    /// One JSON object per problem, for tools.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    /// Colour when printing to a terminal.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Runs the command line and returns the exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = match &cli.command {
        Command::Build(args) => &args.common.root,
        Command::Check(args) => &args.common.root,
        Command::Fix(args) => &args.common.root,
        Command::Serve(args) => &args.root,
        Command::Theme(ThemeCommand::List(args)) => &args.root,
        Command::Theme(ThemeCommand::Eject(args)) => &args.root.root,
        Command::Init(args) => return init(&args.dir),
    };
    if !root.is_dir() {
        let why = if root.exists() {
            "not a folder"
        } else {
            "no such folder"
        };
        eprintln!(
            "error: --root {}: {why}\n\nFor more information, try '--help'.",
            root.display()
        );
        return ExitCode::from(2);
    }
    match cli.command {
        Command::Build(args) => {
            let project = Project::new(&args.common.root);
            let output = args
                .output
                .clone()
                .unwrap_or_else(|| project.default_output());
            let options = Options {
                output: Some(output.clone()),
                force: args.force,
                render_all: args.render_all,
                accept_sources: false,
                warnings_shown: Some(match args.common.format {
                    Format::Human => WARNINGS_SHOWN,
                    Format::Json => 0,
                }),
                ..args.common.options()
            };
            let (code, outcome) = run(&args.common, &project, &options, |outcome| {
                let published = outcome.published.unwrap_or_default();
                let mut said = format!(
                    "published {} files to {} ({} written, {} unchanged, {} removed)",
                    outcome.rendered,
                    output.display(),
                    published.written,
                    published.unchanged,
                    published.removed
                );
                if published.displaced > 0 {
                    said.push_str(&format!(
                        "; deleted {} that dossier had not published (--force)",
                        crate::write::files_phrase(published.displaced)
                    ));
                }
                said.push_str(&drafts_phrase(outcome));
                said
            });
            exit_without_freeing(outcome);
            code
        }
        Command::Serve(args) => serve(&args),
        Command::Init(args) => init(&args.dir),
        Command::Theme(ThemeCommand::List(args)) => list_themes(&Project::new(&args.root)),
        Command::Theme(ThemeCommand::Eject(args)) => {
            eject(&Project::new(&args.root.root), args.force)
        }
        Command::Check(args) => {
            let project = Project::new(&args.common.root);
            let options = Options {
                on_wait: None,
                accept_sources: args.accept_sources,
                ..args.common.options()
            };
            let (code, outcome) = run(&args.common, &project, &options, |outcome| {
                format!(
                    "checked: the site has {} files{}",
                    outcome.rendered,
                    drafts_phrase(outcome)
                )
            });
            if args.coverage
                && let Some(site) = &outcome.site
            {
                print_coverage(site, args.common.format);
            }
            exit_without_freeing(outcome);
            code
        }
        Command::Fix(args) => fix(&args.common),
    }
}

/// Moves the citations `dossier fix` can move, says what it did, and
/// checks the project again.
fn fix(args: &CommonArgs) -> ExitCode {
    let project = Project::new(&args.root);
    match crate::fix::run(&project) {
        Ok(edits) => {
            let mut stdout = std::io::stdout().lock();
            for edit in &edits {
                let _ = writeln!(stdout, "{}", edit.describe());
            }
            let moved = match edits.len() {
                1 => "moved 1 citation".to_string(),
                n => format!("moved {n} citations"),
            };
            let _ = writeln!(stdout, "{moved}");
        }
        Err(problems) => {
            let text = report::human(
                &problems,
                &crate::source::SourceMap::default(),
                Style::Plain,
            );
            let _ = std::io::stderr().lock().write_all(text.as_bytes());
        }
    }
    let options = args.options();
    let (code, outcome) = run(args, &project, &options, |outcome| {
        format!(
            "checked: the site has {} files{}",
            outcome.rendered,
            drafts_phrase(outcome)
        )
    });
    exit_without_freeing(outcome);
    code
}

/// How many warnings of each code a build shows in full.
const WARNINGS_SHOWN: usize = 10;

impl CommonArgs {
    /// The options these arguments set: a check that writes nothing.
    fn options(&self) -> Options {
        Options {
            output: None,
            force: false,
            deny_warnings: self.deny_warnings,
            drafts: if self.drafts {
                Drafts::Included
            } else {
                Drafts::LeftOut
            },
            min_coverage: self.min_coverage,
            on_wait: Some(say_waiting),
            accept_sources: false,
            render_all: false,
            warnings_shown: None,
            keep_files: false,
        }
    }
}

/// How many drafts a run left out, for the line that says how it went:
/// `; 2 drafts left out (--drafts takes them in)`, or nothing.
fn drafts_phrase(outcome: &Outcome) -> String {
    let count = outcome
        .site
        .as_ref()
        .map_or(0, |site| site.drafts_left_out.len());
    match count {
        0 => String::new(),
        1 => "; 1 draft left out (--drafts takes it in)".to_string(),
        n => format!("; {n} drafts left out (--drafts takes them in)"),
    }
}

/// Starts a project in `dir` and says what to do next.
fn init(dir: &Path) -> ExitCode {
    match scaffold::init(dir) {
        Ok(written) => {
            let mut said = format!(
                "Started a briefing in {}: {}.\n",
                dir.display(),
                crate::write::files_phrase(written.len())
            );
            for file in &written {
                said.push_str(&format!("  {}\n", file.display()));
            }
            said.push_str("\nNext:\n");
            if dir != Path::new(".") {
                said.push_str(&format!("  cd {}\n", shell_word(&dir.to_string_lossy())));
            }
            said.push_str("  dossier serve --open\n  dossier build\n");
            let _ = std::io::stdout().lock().write_all(said.as_bytes());
            ExitCode::SUCCESS
        }
        Err(refusal) => refuse(&refusal, "nothing was written"),
    }
}

/// `word` as one word of a POSIX shell: as it is when it is plain, else
/// in single quotes.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./+,:@%".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Prints why nothing was done, and returns the exit code of a failure.
fn refuse(refusal: &scaffold::Refusal, outcome: &str) -> ExitCode {
    eprintln!("error: {refusal}\nhelp: {}\n{outcome}", refusal.help());
    ExitCode::from(1)
}

/// Writes the built-in theme into the project and lists what it wrote.
fn eject(project: &Project, force: bool) -> ExitCode {
    match scaffold::eject(project, force) {
        Ok(ejected) => {
            let mut said = String::new();
            for file in &ejected.written {
                said.push_str(&format!("wrote {}\n", file.display()));
            }
            said.push_str(&format!(
                "The built-in theme is in themes/{}/: {}",
                theme::builtin::NAME,
                crate::write::files_phrase(ejected.written.len())
            ));
            if ejected.replaced > 0 {
                said.push_str(&format!(
                    ", {} of them replaced (--force)",
                    ejected.replaced
                ));
            }
            said.push_str(". Its files now override the built-in ones: edit them, delete those you leave as they are.\n");
            let _ = std::io::stdout().lock().write_all(said.as_bytes());
            ExitCode::SUCCESS
        }
        Err(refusal) => refuse(&refusal, "nothing was written"),
    }
}

/// Lists the themes the project can use, marking the one it does.
fn list_themes(project: &Project) -> ExitCode {
    let chosen = chosen_theme(project);
    let mut said = String::new();
    for name in theme::available(project) {
        let folder = project.themes_dir().join(&name);
        let own = folder.is_dir().then(|| {
            let count = crate::load::walk(project, &folder, &folder, &mut Vec::new())
                .files
                .len();
            format!("themes/{name}/ ({})", crate::write::files_phrase(count))
        });
        let place = match (name == theme::builtin::NAME, own) {
            (true, None) => "built in".to_string(),
            (true, Some(own)) => format!("built in, overridden by {own}"),
            (false, Some(own)) => format!("{own}, the rest built in"),
            (false, None) => "built in".to_string(),
        };
        let used = if name == chosen { "  (site.toml)" } else { "" };
        said.push_str(&format!("{name:<12} {place}{used}\n"));
    }
    let _ = std::io::stdout().lock().write_all(said.as_bytes());
    ExitCode::SUCCESS
}

/// The theme `site.toml` names, or the default.
fn chosen_theme(project: &Project) -> String {
    let mut ignored = Vec::new();
    crate::load::read_text(project, &project.config_path(), &mut ignored)
        .map(|file| crate::config::read(&std::sync::Arc::new(file), &mut ignored).theme)
        .unwrap_or_else(|| theme::builtin::NAME.to_string())
}

/// Tells the user that the build waits for another one.
fn say_waiting(output: &std::path::Path, holder: Option<u32>) {
    let who = holder.map_or_else(String::new, |pid| format!(" (process {pid})"));
    eprintln!(
        "waiting for another build{who} to finish publishing to {}...",
        output.display()
    );
}

/// Prints the coverage of every source of `site`: a table on standard
/// output, or one JSON object per source.
fn print_coverage(site: &Site, format: Format) {
    let reports: Vec<SourceReport> = site.sources.iter().map(SourceReport::new).collect();
    let text = match format {
        Format::Human => coverage::human(&reports),
        Format::Json => coverage::json_lines(&reports),
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// Serves the site until the process is told to stop.
fn serve(args: &ServeArgs) -> ExitCode {
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: serving on {}: other machines on the network can read the site",
            args.bind
        );
    }
    let options = crate::serve::Options {
        bind: args.bind,
        port: args.port,
        open: args.open,
        verbose: args.verbose,
        drafts: if args.no_drafts {
            Drafts::LeftOut
        } else {
            Drafts::Included
        },
        color: match args.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => std::io::stderr().is_terminal(),
        },
        ..crate::serve::Options::default()
    };
    let project = Project::new(&args.root);
    let served = crate::serve::Server::bind(project, options).and_then(crate::serve::Server::run);
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: cannot serve: {error}");
            ExitCode::from(1)
        }
    }
}

/// The slowest and the largest file a template wrote, beside the limits
/// that hold them, for `--verbose`.
fn heaviest(heaviest: &crate::render::Heaviest, config: &crate::config::Config) -> String {
    let mut text = String::new();
    if let Some((path, took)) = &heaviest.slowest {
        let took = if took.as_secs() >= 1 {
            format!("{:.2} s", took.as_secs_f64())
        } else {
            format!("{:.1} ms", took.as_secs_f64() * 1e3)
        };
        text.push_str(&format!(
            "  slowest file {path}: {took} (template_time_limit = {} s)\n",
            config.template_time_limit
        ));
    }
    if let Some((path, bytes)) = &heaviest.largest {
        let size = if *bytes >= 1 << 20 {
            format!("{:.1} MiB", *bytes as f64 / f64::from(1 << 20))
        } else {
            format!("{:.1} KiB", *bytes as f64 / f64::from(1 << 10))
        };
        text.push_str(&format!(
            "  largest file {path}: {size} (template_output_limit = {} MiB)\n",
            config.template_output_limit
        ));
    }
    text
}

/// Leaves the model of a finished run to the operating system: the process
/// is about to exit, and freeing a large site value by value is slow work
/// on one thread (over 100 ms at 10,000 pages) that frees nothing sooner.
fn exit_without_freeing(outcome: Outcome) {
    std::mem::forget(outcome);
}

/// Runs the pipeline, prints what it found, says how it went, and hands
/// back the exit code with what the run produced.
fn run(
    args: &CommonArgs,
    project: &Project,
    options: &Options,
    success: impl Fn(&Outcome) -> String,
) -> (ExitCode, Outcome) {
    let started = Instant::now();
    let outcome = pipeline::build(project, options);
    let elapsed = started.elapsed();
    let failed = outcome.failed(options.deny_warnings);
    match args.format {
        Format::Json => {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(report::json_lines(&outcome.diagnostics).as_bytes());
        }
        Format::Human => {
            let mut stderr = std::io::stderr().lock();
            let style = match args.color {
                Color::Always => Style::Colored,
                Color::Never => Style::Plain,
                Color::Auto if stderr.is_terminal() => Style::Colored,
                Color::Auto => Style::Plain,
            };
            if !outcome.diagnostics.is_empty() {
                // A build shows the first warnings of each kind and counts
                // the rest; a check shows them all.
                let per_code = options.warnings_shown.unwrap_or(usize::MAX);
                let text =
                    report::human_within(&outcome.diagnostics, &outcome.sources, style, per_code);
                let _ = stderr.write_all(text.as_bytes());
            }
            if args.verbose {
                for (stage, time) in &outcome.timings {
                    let _ = writeln!(stderr, "  {stage:<7} {:>8.1} ms", time.as_secs_f64() * 1e3);
                }
                if outcome.reused > 0 {
                    let _ = writeln!(
                        stderr,
                        "  kept {} of {} files as published: their inputs had not changed (--render-all renders them)",
                        outcome.reused, outcome.rendered
                    );
                }
                if let Some(site) = &outcome.site {
                    let _ = stderr.write_all(heaviest(&outcome.heaviest, &site.config).as_bytes());
                }
            }
            if let Some(update) = &outcome.lock {
                let _ = writeln!(stderr, "{}", update.describe());
            }
            let millis = elapsed.as_secs_f64() * 1e3;
            let _ = if failed && options.output.is_some() {
                writeln!(stderr, "failed after {millis:.0} ms: nothing was published")
            } else if failed {
                writeln!(stderr, "check failed after {millis:.0} ms")
            } else {
                writeln!(stderr, "{} in {millis:.0} ms", success(&outcome))
            };
        }
    }
    let code = if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    (code, outcome)
}
