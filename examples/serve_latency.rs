//! Measures how long `dossier serve` takes from a file's save to the reload
//! event the open pages receive, for one-line edits of one page.
//!
//! ```text
//! cargo build --release
//! cargo run --release --example corpus -- --pages 10000 --out /tmp/corpus-10k
//! cargo run --release --example serve_latency -- --root /tmp/corpus-10k --edits 20
//! ```
//!
//! It starts `target/release/dossier serve` on the project, waits for the
//! first build, then makes `--edits` edits one after another (each a new
//! sentence in one page), timing each from the moment the file is written
//! to the moment the `reload` event arrives on the event stream, and
//! pausing `--pause` milliseconds (1,000 unless told) after each, as a
//! writer would between saves: what the server does meanwhile (freeing
//! the last site, its threads falling asleep) is part of what a writer
//! waits on. The page is restored at the end.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Options {
    root: PathBuf,
    edits: usize,
    pause: Duration,
    page: Option<PathBuf>,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        root: PathBuf::from("."),
        edits: 20,
        pause: Duration::from_millis(1000),
        page: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--root" => options.root = PathBuf::from(value()?),
            "--edits" => options.edits = value()?.parse().map_err(|e| format!("--edits: {e}"))?,
            "--pause" => {
                let millis = value()?.parse().map_err(|e| format!("--pause: {e}"))?;
                options.pause = Duration::from_millis(millis);
            }
            "--page" => options.page = Some(PathBuf::from(value()?)),
            other => {
                return Err(format!(
                    "unknown argument {other}; use --root DIR [--edits N] [--pause MS] [--page content/FILE.md]"
                ));
            }
        }
    }
    Ok(options)
}

/// The page to edit: the one named, or the first page of the first section.
fn page_to_edit(root: &Path, named: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(named) = named {
        return Ok(root.join(named));
    }
    let mut candidates: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .collect();
    candidates.truncate(1);
    candidates
        .pop()
        .ok_or_else(|| "no page to edit".to_string())
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("serve_latency: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let options = parse_args()?;
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/dossier");
    if !binary.is_file() {
        return Err(format!(
            "build {} first: cargo build --release",
            binary.display()
        ));
    }
    let page = page_to_edit(&options.root, options.page.as_deref())?;
    let original =
        std::fs::read_to_string(&page).map_err(|e| format!("{}: {e}", page.display()))?;

    let started = Instant::now();
    let mut child = Command::new(&binary)
        .args(["serve", "--port", "0", "--color", "never", "--root"])
        .arg(&options.root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let server = Server(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    let first_build = started.elapsed();
    let port: u16 = line
        .rsplit("127.0.0.1:")
        .next()
        .and_then(|rest| rest.split('/').next())
        .and_then(|port| port.parse().ok())
        .ok_or_else(|| format!("no port in {line:?}"))?;

    let mut events = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    write!(
        events,
        "GET /__dossier/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    events
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    wait_for(&mut events, "event: hello")?;

    let mut latencies = Vec::with_capacity(options.edits);
    for edit in 0..options.edits {
        let text = format!("{original}\nEdit number {edit} of the latency benchmark.\n");
        let saved = Instant::now();
        std::fs::write(&page, text).map_err(|e| e.to_string())?;
        wait_for(&mut events, "event: reload")?;
        latencies.push(saved.elapsed());
        std::thread::sleep(options.pause);
    }
    std::fs::write(&page, &original).map_err(|e| e.to_string())?;
    drop(server);

    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let median = latencies[latencies.len() / 2];
    println!("project: {}", options.root.display());
    println!("page edited: {}", page.display());
    println!("first build (start to serving): {:.0} ms", ms(first_build));
    println!(
        "save to reload event, {} edits: median {:.1} ms, min {:.1} ms, max {:.1} ms",
        latencies.len(),
        ms(median),
        ms(latencies[0]),
        ms(latencies[latencies.len() - 1])
    );
    Ok(())
}

/// Reads the event stream until `marker` has been seen.
fn wait_for(stream: &mut TcpStream, marker: &str) -> Result<(), String> {
    let mut seen = String::new();
    let mut buffer = [0u8; 65536];
    loop {
        let read = stream
            .read(&mut buffer)
            .map_err(|e| format!("waiting for {marker:?}: {e}"))?;
        if read == 0 {
            return Err(format!("the server closed the stream before {marker:?}"));
        }
        seen.push_str(&String::from_utf8_lossy(&buffer[..read]));
        if seen.contains(marker) {
            return Ok(());
        }
    }
}
