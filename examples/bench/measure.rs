//! Runs a build as a child process and measures it: wall time, CPU time and
//! peak memory (the child's own `ru_maxrss`, from `wait4`), and surveys
//! what it wrote.

use std::fs::File;
use std::io;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// What one run of a build cost.
#[derive(Debug, Clone, Copy, Default)]
pub struct Measurement {
    /// From just before the child started to just after it ended.
    pub wall: Duration,
    /// CPU time the child spent in its own code.
    pub user: Duration,
    /// CPU time the kernel spent for the child: its files, folders and
    /// page faults.
    pub system: Duration,
    /// The child's peak resident set size, in bytes.
    pub peak_rss: u64,
}

impl Measurement {
    /// User and system CPU time together.
    pub fn cpu(&self) -> Duration {
        self.user + self.system
    }
}

/// Runs `command` to its end with its output in the file `log`, and
/// measures it. A run that fails is an error that quotes the end of its
/// log.
pub fn run(command: &mut Command, log: &Path) -> Result<Measurement, String> {
    let program = command.get_program().to_string_lossy().into_owned();
    let stdout = File::create(log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
    let stderr = stdout
        .try_clone()
        .map_err(|e| format!("cannot share {}: {e}", log.display()))?;
    command.stdin(Stdio::null()).stdout(stdout).stderr(stderr);
    let start = Instant::now();
    let child = command
        .spawn()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    let (status, usage) =
        wait_with_usage(child.id()).map_err(|e| format!("cannot wait for {program}: {e}"))?;
    let wall = start.elapsed();
    if !status.success() {
        return Err(format!(
            "{program} failed ({status}); the end of {}:\n{}",
            log.display(),
            log_tail(log)
        ));
    }
    Ok(Measurement {
        wall,
        user: duration(usage.ru_utime),
        system: duration(usage.ru_stime),
        // Linux counts ru_maxrss in kibibytes.
        peak_rss: u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024,
    })
}

/// Waits for the child `pid` and returns its exit status and resource usage.
fn wait_with_usage(pid: u32) -> io::Result<(ExitStatus, libc::rusage)> {
    let pid = libc::pid_t::try_from(pid).map_err(io::Error::other)?;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain data (integers and `timeval`s), for which
    // all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is a child of this process not yet waited for, and
        // both pointers are to live, writable locals of the right types.
        let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if waited == pid {
            return Ok((ExitStatus::from_raw(status), usage));
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
}

fn duration(time: libc::timeval) -> Duration {
    let seconds = u64::try_from(time.tv_sec).unwrap_or(0);
    let micros = u64::try_from(time.tv_usec).unwrap_or(0);
    Duration::from_secs(seconds) + Duration::from_micros(micros)
}

/// The last lines of the file `log`, to show why a run failed.
pub fn log_tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// Flushes every file system's dirty pages, so that one run's writes are
/// not still being written back while the next one is timed.
pub fn sync_disks() {
    // SAFETY: sync(2) takes nothing and cannot fail.
    unsafe { libc::sync() };
}

/// What a build wrote, by the kind of page (both tools lay their output
/// out alike: `section-03/page-00123/index.html`, `agencies/<id>/index.html`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Survey {
    /// Total bytes of every file.
    pub bytes: u64,
    /// Every file.
    pub files: usize,
    /// One per content page.
    pub pages: usize,
    /// One per section.
    pub sections: usize,
    /// One per agency and topic.
    pub terms: usize,
    /// The lists of all agencies and of all topics.
    pub term_lists: usize,
    /// The home page.
    pub home: usize,
    /// The search index (`index.json`, `search/index.js`).
    pub search_index: usize,
    /// Any other HTML page.
    pub other_html: usize,
}

impl Survey {
    /// Walks the output folder `dir` and counts its files.
    pub fn of(dir: &Path) -> Result<Survey, String> {
        let mut survey = Survey::default();
        for entry in walkdir::WalkDir::new(dir) {
            let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let size = entry
                .metadata()
                .map_err(|e| format!("cannot read {}: {e}", entry.path().display()))?
                .len();
            let relative = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let parts: Vec<String> = relative
                .iter()
                .map(|part| part.to_string_lossy().into_owned())
                .collect();
            survey.bytes += size;
            survey.files += 1;
            survey.count(&parts.iter().map(String::as_str).collect::<Vec<_>>());
        }
        Ok(survey)
    }

    fn count(&mut self, parts: &[&str]) {
        let is_term_folder = |folder: &str| folder == "agencies" || folder == "topics";
        match parts {
            ["index.html"] => self.home += 1,
            ["index.json"] | ["search", "index.js"] => self.search_index += 1,
            [folder, "index.html"] if folder.starts_with("section-") => self.sections += 1,
            [folder, _, "index.html"] if folder.starts_with("section-") => self.pages += 1,
            [folder, "index.html"] if is_term_folder(folder) => self.term_lists += 1,
            [folder, _, "index.html"] if is_term_folder(folder) => self.terms += 1,
            [.., last] if last.ends_with(".html") => self.other_html += 1,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_run_is_an_error_that_quotes_its_log() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let error = run(
            Command::new("sh").args(["-c", "echo broken page >&2; exit 3"]),
            &log,
        )
        .unwrap_err();
        assert!(error.contains("exit status: 3"), "{error}");
        assert!(error.contains("broken page"), "{error}");
    }

    #[test]
    fn a_run_measures_the_memory_and_time_of_its_child() {
        let dir = tempfile::tempdir().unwrap();
        // A child that holds 64 MiB and sleeps a little.
        let measurement = run(
            Command::new("sh").args([
                "-c",
                "head -c 67108864 /dev/zero | tail -c 67108864 > /dev/null; sleep 0.2",
            ]),
            &dir.path().join("log"),
        )
        .unwrap();
        assert!(measurement.wall >= Duration::from_millis(200));
        // `tail -c` holds its input, but it is a grandchild: wait4 counts
        // the waited-for descendants too.
        assert!(measurement.peak_rss >= 64 << 20, "{measurement:?}");
    }

    #[test]
    fn the_survey_counts_each_kind_of_page_of_either_layout() {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in [
            ("index.html", "home"),
            ("index.json", "[]"),
            ("search/index.js", "x"),
            ("section-00/index.html", "section"),
            ("section-00/page-00000/index.html", "page"),
            ("section-01/page-00001/index.html", "page"),
            ("agencies/index.html", "list"),
            ("agencies/agency-00/index.html", "term"),
            ("topics/topic-000/index.html", "term"),
            ("print/index.html", "other"),
            ("static/style.css", "css"),
        ] {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let survey = Survey::of(dir.path()).unwrap();
        assert_eq!(
            survey,
            Survey {
                bytes: 4 + 2 + 1 + 7 + 4 + 4 + 4 + 4 + 4 + 5 + 3,
                files: 11,
                pages: 2,
                sections: 1,
                terms: 2,
                term_lists: 1,
                home: 1,
                search_index: 2,
                other_html: 1,
            }
        );
    }
}
