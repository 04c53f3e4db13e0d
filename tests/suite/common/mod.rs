//! Helpers shared by the integration tests: small sites written from a
//! text archive, the `dossier` binary run on them, a link checker for
//! built sites, and assertions that show what they looked at.

pub mod assertions;
pub mod search;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use walkdir::WalkDir;

pub(crate) use assertions::{assert_contains, assert_not_contains};

/// The project folder of this repository (the bundled iCET site).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site written into a temporary folder from an archive of files in the
/// form `-- path --` followed by the file's text. It uses the built-in
/// theme, with the files of `themes/` the archive has (if any) overriding
/// it; [`Site::copy_theme`] gives it the whole theme as files.
pub struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    /// Writes `archive` into a new temporary project.
    pub fn new(archive: &str) -> Site {
        Site::new_in(&std::env::temp_dir(), archive)
    }

    /// Writes `archive` into a new temporary project inside `parent`.
    pub fn new_in(parent: &Path, archive: &str) -> Site {
        let dir = tempfile::tempdir_in(parent).expect("temporary folder");
        let files = parse_archive(archive);
        for (path, text) in files {
            let target = dir.path().join(&path);
            fs::create_dir_all(target.parent().expect("a parent")).expect("create folder");
            fs::write(target, text).expect("write file");
        }
        Site { dir }
    }

    /// Copies the default theme of this repository (the one built into
    /// the binary) into the project's `themes/default/`, for a test about
    /// a project's own theme files.
    pub fn copy_theme(&self) {
        copy_dir(
            &repo_root().join("themes/default"),
            &self.path("themes/default"),
        );
    }

    /// The project's root folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the project.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Writes (or overwrites) a file of the project.
    pub fn write(&self, relative: &str, text: &str) {
        let target = self.path(relative);
        fs::create_dir_all(target.parent().expect("a parent")).expect("create folder");
        fs::write(target, text).expect("write file");
    }

    /// Writes (or overwrites) a file of the project with any bytes.
    pub fn write_bytes(&self, relative: &str, bytes: &[u8]) {
        let target = self.path(relative);
        fs::create_dir_all(target.parent().expect("a parent")).expect("create folder");
        fs::write(target, bytes).expect("write file");
    }

    /// Runs `dossier <args>` in the project's root.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_command(dossier().args(args))
    }

    /// Runs `command` in the project's root, and fails the test if it runs
    /// longer than a minute (a hang) instead of waiting for ever.
    pub fn run_command(&self, command: &mut Command) -> Run {
        let child = command
            .current_dir(self.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run dossier");
        wait_within(child, Duration::from_secs(60))
    }

    /// Runs `dossier <args>` through `sh -c '<setup>; exec dossier <args>'`,
    /// so that `setup` can set limits (`ulimit`) or signal handling first.
    pub fn run_in_shell(&self, setup: &str, args: &[&str]) -> Run {
        self.run_command(
            Command::new("sh")
                .env("NO_COLOR", "1")
                .arg("-c")
                .arg(format!("{setup}; exec \"$0\" \"$@\""))
                .arg(env!("CARGO_BIN_EXE_dossier"))
                .args(args),
        )
    }

    /// The text of a built file of `public/`.
    pub fn public(&self, relative: &str) -> String {
        fs::read_to_string(self.path("public").join(relative))
            .unwrap_or_else(|e| panic!("public/{relative}: {e}"))
    }
}

/// The `dossier` binary, with colour off.
pub fn dossier() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dossier"));
    command.env("NO_COLOR", "1");
    command
}

/// Waits for `child`, reading its output; kills it and fails the test when
/// it runs longer than `limit`.
pub fn wait_within(mut child: Child, limit: Duration) -> Run {
    let stdout = read_in_background(child.stdout.take());
    let stderr = read_in_background(child.stderr.take());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("dossier still ran after {limit:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run::of(Output {
        status,
        stdout: stdout.join().expect("stdout"),
        stderr: stderr.join().expect("stderr"),
    })
}

/// Reads all of `pipe` on a thread of its own, so that a child that writes
/// much never blocks on a full pipe.
fn read_in_background<R: Read + Send + 'static>(pipe: Option<R>) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            pipe.read_to_end(&mut bytes).expect("read output");
        }
        bytes
    })
}

/// What a run printed and how it ended.
#[derive(Debug)]
pub struct Run {
    /// The exit code; `None` when a signal ended the process.
    pub code: Option<i32>,
    /// The signal that ended the process, if one did.
    pub signal: Option<i32>,
    /// What it printed on standard output, invalid UTF-8 replaced.
    pub stdout: String,
    /// What it printed on standard error, invalid UTF-8 replaced.
    pub stderr: String,
}

impl Run {
    /// The run that ended with `output`.
    pub fn of(output: Output) -> Run {
        Run {
            code: output.status.code(),
            signal: output.status.signal(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Panics with the output unless the run exited with `code`.
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code,
            Some(code),
            "stdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// The diagnostics of a `--format json` run.
    pub fn json(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
            .collect()
    }
}

fn parse_archive(archive: &str) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    for line in archive.lines() {
        let header = line
            .strip_prefix("-- ")
            .and_then(|rest| rest.strip_suffix(" --"));
        if let Some(path) = header {
            if let Some((path, text)) = current.take() {
                files.insert(path, text);
            }
            current = Some((path.trim().to_string(), String::new()));
        } else if let Some((_, text)) = current.as_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    if let Some((path, text)) = current {
        files.insert(path, text);
    }
    files
}

/// Copies a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in WalkDir::new(from) {
        let entry = entry.expect("walk");
        let target = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("create folder");
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// Every file of a folder, by relative path, with its bytes.
pub fn snapshot_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/");
            (relative, fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// A link in a built file that leads nowhere.
#[derive(Debug)]
#[allow(dead_code, reason = "read through `Debug`, in failure messages")]
pub struct BrokenLink {
    /// The built file that holds the link.
    pub file: String,
    /// The link as written.
    pub href: String,
    /// Why it leads nowhere.
    pub why: &'static str,
}

/// Checks every relative `href` and `src` of every HTML file under `dir`:
/// each must lead to a file of the site, and each `#fragment` to an `id`
/// in that file. Returns the links that do not.
pub fn broken_links(dir: &Path) -> Vec<BrokenLink> {
    let link = regex::Regex::new(r#"(?:href|src)="([^"]*)""#).expect("regex");
    let files = snapshot_dir(dir);
    let mut ids: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let id = regex::Regex::new(r#"\sid="([^"]*)""#).expect("regex");
    for (path, bytes) in &files {
        if path.ends_with(".html") {
            let text = String::from_utf8_lossy(bytes);
            ids.insert(
                path,
                id.captures_iter(&text).map(|c| unescape(&c[1])).collect(),
            );
        }
    }
    let mut broken = Vec::new();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let text = String::from_utf8_lossy(bytes);
        for capture in link.captures_iter(&text) {
            let href = unescape(&capture[1]);
            if href.contains("://") || href.starts_with("mailto:") || href.starts_with("tel:") {
                continue;
            }
            let (target, fragment) = match href.split_once('#') {
                Some((target, fragment)) => (target, Some(fragment)),
                None => (href.as_str(), None),
            };
            let resolved = if target.is_empty() {
                Some(path.clone())
            } else {
                resolve(path, target)
            };
            let Some(resolved) = resolved else {
                broken.push(BrokenLink {
                    file: path.clone(),
                    href: href.clone(),
                    why: "climbs out of the site",
                });
                continue;
            };
            if !files.contains_key(&resolved) {
                let why = if resolved.ends_with('/') || !resolved.contains('.') {
                    "is a folder, not a file"
                } else {
                    "no such file"
                };
                broken.push(BrokenLink {
                    file: path.clone(),
                    href: href.clone(),
                    why,
                });
                continue;
            }
            if let Some(fragment) = fragment
                && !fragment.is_empty()
                && !ids
                    .get(resolved.as_str())
                    .is_some_and(|set| set.contains(fragment))
            {
                broken.push(BrokenLink {
                    file: path.clone(),
                    href: href.clone(),
                    why: "no such anchor",
                });
            }
        }
    }
    broken
}

/// `target` resolved against the folder of the file `from` (both relative
/// to the site root), as a browser resolves a relative link; `None` when it
/// climbs above the root.
pub fn resolve(from: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in target.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    let mut joined = parts.join("/");
    if target.ends_with('/') {
        joined.push('/');
    }
    Some(joined)
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
