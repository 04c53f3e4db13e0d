//! Measures the search of a built site, and Pagefind's on the same pages:
//! how long the index takes to build, its files, the bytes a query loads
//! and the time to the first results in headless Chromium, from `file://`
//! and over HTTP (a small server of its own on 127.0.0.1).
//!
//! ```text
//! cargo run --release --example corpus -- --pages 10000 --out /tmp/c10k
//! target/release/dossier build --root /tmp/c10k
//! cargo run --release --example search_bench -- --root /tmp/c10k \
//!     --queries "cooperation,joint research,agency-07,innovaton" --pagefind /opt/pagefind/node_modules/.bin/pagefind
//! ```
//!
//! `--root` is a project already built into its `public/` (or `--site
//! DIR`). The time to first results is from the start of the navigation to
//! the search page with `?q=` to the moment the first results are in the
//! page (dossier's script notes it in `dossierSearch.shownAt`); for
//! Pagefind, to the moment its JavaScript API has answered and the data of
//! the first 20 results (as many as dossier shows) has arrived. Each query
//! runs `--runs` times (5 by default), each in a new browser context, and
//! the median is shown. The bytes a query loads are the sizes of the index
//! files the page requested (the search script and the index's scripts for
//! dossier, everything under `pagefind/` for Pagefind). Pagefind cannot
//! run from `file://`; it writes its index into `<site>/pagefind/`, which
//! is removed at the end.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::Arc;
use std::time::{Duration, Instant};

use dossier::load::{Changes, Project};
use dossier::session::Session;
use headless_chrome::{Browser, LaunchOptions, Tab};

const USAGE: &str =
    "use --root DIR | --site DIR [--queries a,b] [--runs N] [--pagefind PATH] [--chromium PATH]";

struct Options {
    root: Option<PathBuf>,
    site: PathBuf,
    queries: Vec<String>,
    runs: usize,
    pagefind: Option<PathBuf>,
    chromium: PathBuf,
}

fn parse_args() -> Result<Options, String> {
    let mut root = None;
    let mut site = None;
    let mut queries = vec![
        "cooperation".to_string(),
        "joint research".to_string(),
        "innovaton".to_string(),
    ];
    let mut runs = 5;
    let mut pagefind = None;
    let mut chromium = PathBuf::from("/usr/bin/chromium");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--root" => root = Some(PathBuf::from(value()?)),
            "--site" => site = Some(PathBuf::from(value()?)),
            "--queries" => queries = value()?.split(',').map(str::to_string).collect(),
            "--runs" => runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--pagefind" => pagefind = Some(PathBuf::from(value()?)),
            "--chromium" => chromium = PathBuf::from(value()?),
            other => return Err(format!("unknown argument {other}; {USAGE}")),
        }
    }
    let site = match (&root, site) {
        (_, Some(site)) => site,
        (Some(root), None) => root.join("public"),
        (None, None) => return Err(USAGE.to_string()),
    };
    Ok(Options {
        root,
        site,
        queries,
        runs: runs.max(1),
        pagefind,
        chromium,
    })
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("search_bench: {message}");
            return ExitCode::from(2);
        }
    };
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("search_bench: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(options: &Options) -> Result<(), String> {
    let site = options
        .site
        .canonicalize()
        .map_err(|e| format!("{}: {e}", options.site.display()))?;
    if let Some(root) = &options.root {
        let (time, files) = index_build_time(root)?;
        println!("dossier index build: {time} ({files} files), the index alone, in memory");
    }
    let ours = files_under(&site.join("search"), |p| {
        p.extension() == Some(OsStr::new("js"))
    });
    report_files("dossier", &ours);

    let mut pagefind_files = None;
    if let Some(pagefind) = &options.pagefind {
        let start = Instant::now();
        let status = Command::new(pagefind)
            .arg("--site")
            .arg(&site)
            .arg("--quiet")
            .status()
            .map_err(|e| format!("{}: {e}", pagefind.display()))?;
        if !status.success() {
            return Err(format!("pagefind failed: {status}"));
        }
        println!("Pagefind index build: {}", ms(start.elapsed()));
        let files = files_under(&site.join("pagefind"), |_| true);
        report_files("Pagefind", &files);
        std::fs::write(site.join("pagefind/bench.html"), PAGEFIND_PAGE)
            .map_err(|e| e.to_string())?;
        pagefind_files = Some(files);
    }

    let server = Server::start(site.clone())?;
    let browser = launch(&options.chromium)?;
    println!();
    println!("| query | dossier, file:// | dossier, HTTP | Pagefind, HTTP |");
    println!("|---|---:|---:|---:|");
    for query in &options.queries {
        let encoded: String = query
            .bytes()
            .map(|b| match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' => (b as char).to_string(),
                b' ' => "+".to_string(),
                other => format!("%{other:02X}"),
            })
            .collect();
        let file_url = format!("file://{}/search/index.html?q={encoded}", site.display());
        let http_url = format!("{}/search/index.html?q={encoded}", server.base);
        let shown = "window.dossierSearch && window.dossierSearch.shownAt";
        let from_disk = measure(&browser, &file_url, shown, &site, "file://", options.runs)?;
        let over_http = measure(
            &browser,
            &http_url,
            shown,
            &site,
            &server.base,
            options.runs,
        )?;
        let pagefind = match &pagefind_files {
            Some(_) => {
                let url = format!("{}/pagefind/bench.html?q={encoded}", server.base);
                Some(measure(
                    &browser,
                    &url,
                    "window.benchDone",
                    &site,
                    &server.base,
                    options.runs,
                )?)
            }
            None => None,
        };
        println!(
            "| {query} | {} | {} | {} |",
            from_disk.cell(),
            over_http.cell(),
            pagefind.map_or("–".to_string(), |p| p.cell())
        );
    }
    if pagefind_files.is_some() {
        let _ = std::fs::remove_dir_all(site.join("pagefind"));
    }
    Ok(())
}

/// How long building the search index of the project at `root` takes (the
/// median of five, in memory), and how many files it has.
fn index_build_time(root: &Path) -> Result<(String, usize), String> {
    let mut session = Session::one_off(Project::new(root));
    let prepared = session.prepare(&Changes::of(["."]));
    let site = prepared.site.ok_or("the project could not be read")?;
    let mut times = Vec::new();
    let mut files = 0;
    for _ in 0..5 {
        let start = Instant::now();
        files = 0;
        dossier::render::search::write_files(&site, &mut |_| {
            files += 1;
            Ok(())
        })
        .map_err(|_| "the index could not be written")?;
        times.push(start.elapsed());
    }
    times.sort();
    Ok((ms(times[2]), files))
}

/// The files under `dir` that `keep` keeps, with their sizes.
fn files_under(dir: &Path, keep: impl Fn(&Path) -> bool) -> BTreeMap<PathBuf, u64> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && keep(e.path()))
        .filter_map(|e| Some((e.path().to_path_buf(), e.metadata().ok()?.len())))
        .collect()
}

fn report_files(tool: &str, files: &BTreeMap<PathBuf, u64>) {
    let total: u64 = files.values().sum();
    let largest = files.values().max().copied().unwrap_or(0);
    println!(
        "{tool} index: {} files, {} in all, the largest {}",
        files.len(),
        bytes(total),
        bytes(largest)
    );
}

/// The median time to first results and bytes loaded of `runs` visits.
struct Measured {
    time: Duration,
    bytes: u64,
}

impl Measured {
    fn cell(&self) -> String {
        format!("{}, {}", ms(self.time), bytes(self.bytes))
    }
}

/// Opens `url` `runs` times, each in a new browser context, and waits
/// for `done` (a JavaScript expression giving milliseconds since the
/// navigation started); the bytes are those of the index files requested
/// (URLs under `base`, mapped to files of `site`).
fn measure(
    browser: &Browser,
    url: &str,
    done: &str,
    site: &Path,
    base: &str,
    runs: usize,
) -> Result<Measured, String> {
    let mut seen = Vec::new();
    for _ in 0..runs {
        let context = browser.new_context().map_err(|e| e.to_string())?;
        let tab = context.new_tab().map_err(|e| e.to_string())?;
        tab.navigate_to(url).map_err(|e| e.to_string())?;
        let time = wait_for_number(&tab, done)?;
        let resources = tab
            .evaluate(
                "JSON.stringify(performance.getEntriesByType('resource').map(e => e.name))",
                false,
            )
            .map_err(|e| e.to_string())?
            .value
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let names: Vec<String> = serde_json::from_str(&resources).unwrap_or_default();
        let prefix = if base == "file://" {
            format!("file://{}/", site.display())
        } else {
            format!("{base}/")
        };
        let loaded: u64 = names
            .iter()
            .filter_map(|name| name.strip_prefix(&prefix))
            .filter(|path| {
                path.starts_with("search/")
                    || path.starts_with("pagefind/")
                    || path.ends_with("search.js")
            })
            .filter_map(|path| std::fs::metadata(site.join(path.split('?').next()?)).ok())
            .map(|m| m.len())
            .sum();
        let _ = tab.close(true);
        seen.push(Measured {
            time: Duration::from_secs_f64(time / 1000.0),
            bytes: loaded,
        });
    }
    seen.sort_by_key(|m| m.time);
    Ok(seen.swap_remove(seen.len() / 2))
}

fn wait_for_number(tab: &Arc<Tab>, expression: &str) -> Result<f64, String> {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        if let Ok(result) = tab.evaluate(
            &format!("(() => {{ try {{ return {expression}; }} catch (e) {{ return null; }} }})()"),
            false,
        ) && let Some(number) = result.value.and_then(|v| v.as_f64())
        {
            return Ok(number);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    Err(format!("timed out waiting for {expression}"))
}

fn launch(chromium: &Path) -> Result<Browser, String> {
    let options = LaunchOptions::default_builder()
        .path(Some(chromium.to_path_buf()))
        .headless(true)
        .sandbox(false)
        .idle_browser_timeout(Duration::from_secs(300))
        .args(vec![
            OsStr::new("--disable-gpu"),
            OsStr::new("--no-first-run"),
        ])
        .build()
        .map_err(|e| e.to_string())?;
    Browser::new(options).map_err(|e| e.to_string())
}

/// A page that asks Pagefind's JavaScript API, then loads the data of the
/// first 20 results, and notes when it is done.
const PAGEFIND_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Pagefind</title></head><body>
<script type="module">
const pagefind = await import("./pagefind.js");
const query = new URLSearchParams(location.search).get("q");
const search = await pagefind.search(query);
await Promise.all(search.results.slice(0, 20).map(r => r.data()));
window.benchCount = search.results.length;
window.benchDone = performance.now();
</script>
</body></html>
"#;

/// A static file server on 127.0.0.1, for as long as the bench runs.
struct Server {
    base: String,
}

impl Server {
    fn start(site: PathBuf) -> Result<Server, String> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let site = site.clone();
                std::thread::spawn(move || serve(stream, &site));
            }
        });
        Ok(Server {
            base: format!("http://127.0.0.1:{port}"),
        })
    }
}

fn serve(mut stream: TcpStream, site: &Path) {
    let mut line = String::new();
    let mut reader = BufReader::new(&stream);
    if reader.read_line(&mut line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(n) if n > 2 => continue,
            _ => break,
        }
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/");
    let path = path
        .split('?')
        .next()
        .unwrap_or("/")
        .trim_start_matches('/');
    let safe = !path.split('/').any(|part| part == "..");
    let file = site.join(if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    });
    let (status, body) = match std::fs::read(&file) {
        Ok(body) if safe => ("200 OK", body),
        _ => ("404 Not Found", Vec::new()),
    };
    let kind = match file.extension().and_then(OsStr::to_str) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css",
        Some("json") => "application/json",
        Some("wasm") => "application/wasm",
        _ => "application/octet-stream",
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

fn ms(duration: Duration) -> String {
    format!("{:.0} ms", duration.as_secs_f64() * 1000.0)
}

fn bytes(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{:.2} MB", n as f64 / (1 << 20) as f64)
    } else {
        format!("{:.1} kB", n as f64 / 1024.0)
    }
}
