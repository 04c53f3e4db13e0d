//! `dossier serve` as an editor uses it: start it, open the event stream,
//! edit files, and watch the reloads, the served pages and the overlay.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use crate::common::{Run, Site, assert_contains, assert_not_contains, dossier};

const SITE: &str = r#"
-- site.toml --
title = "Served site"
-- content/_index.md --
+++
title = "Home"
+++
The [Agency of Space](agency:space) at home.
-- content/domains/space.md --
+++
title = "Space"
agencies = ["space"]
+++
## Orbits

The [Agency of Space](agency:space) flies.
-- content/domains/ground.md --
+++
title = "Ground"
agencies = ["space"]
+++
The [Agency of Space](agency:space) also walks. See [space](space.md#orbits).
-- content/agencies.toml --
[space]
name = "Agency of Space"
country = "US"
kind = "government"
description = "Space."
"#;

/// A running `dossier serve`, stopped when dropped.
pub(crate) struct Server {
    child: Child,
    port: u16,
    _site: Option<Site>,
}

impl Server {
    pub(crate) fn start(site: &Site) -> Server {
        Server::start_with(site, dossier().args(["serve", "--port", "0"]))
    }

    /// Starts `dossier serve` through `sh`, which first runs `setup` (to
    /// change how signals are handled, for one).
    fn start_in_shell(site: &Site, setup: &str) -> Server {
        Server::start_with(
            site,
            Command::new("sh")
                .env("NO_COLOR", "1")
                .arg("-c")
                .arg(format!("{setup}; exec \"$0\" serve --port 0"))
                .arg(env!("CARGO_BIN_EXE_dossier")),
        )
    }

    fn start_with(site: &Site, command: &mut Command) -> Server {
        let mut child = command
            .current_dir(site.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start dossier serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the serving line");
        let port = line
            .rsplit("127.0.0.1:")
            .next()
            .and_then(|rest| rest.split('/').next())
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        Server {
            child,
            port,
            _site: None,
        }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// `GET path`: the status, the content type and the body.
    fn get(&self, path: &str) -> (u16, String, String) {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let response = agent.get(&self.url(path)).call().expect("a response");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let body = response.into_body().read_to_string().expect("a body");
        (status, content_type, body)
    }

    /// The request line `target` sent as written, with nothing normalised:
    /// the status code of the answer and its body.
    fn raw(&self, target: &str) -> (u16, String) {
        self.raw_with(target, "")
    }

    /// As [`Server::raw`], with `headers` (each ending in `\r\n`) added.
    fn raw_with(&self, target: &str, headers: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: localhost\r\n{headers}Connection: close\r\n\r\n"
        )
        .expect("send");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("read");
        let status = answer
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, answer)
    }

    /// The live-reload events, as `(name, data)`.
    fn events(&self) -> Receiver<(String, String)> {
        let (sender, receiver) = channel();
        let response = ureq::get(&self.url("/__dossier/events"))
            .call()
            .expect("events");
        let reader = BufReader::new(response.into_body().into_reader());
        std::thread::spawn(move || {
            let mut name = String::new();
            for line in reader.lines() {
                let Ok(line) = line else { return };
                if let Some(value) = line.strip_prefix("event: ") {
                    name = value.to_string();
                } else if let Some(value) = line.strip_prefix("data: ")
                    && sender.send((name.clone(), value.to_string())).is_err()
                {
                    return;
                }
            }
        });
        receiver
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The next event other than keep-alives, within a few seconds.
fn next_event(events: &Receiver<(String, String)>) -> (String, serde_json::Value) {
    let (name, data) = events
        .recv_timeout(Duration::from_secs(10))
        .expect("an event within 10 s");
    let value = serde_json::from_str(&data).unwrap_or_else(|e| panic!("{e}: {data}"));
    (name, value)
}

fn expect_reload(events: &Receiver<(String, String)>) -> Vec<String> {
    let (name, data) = next_event(events);
    assert_eq!(name, "reload", "{data}");
    data["changed"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn edits_reload_the_pages_and_a_bad_edit_shows_an_overlay_over_the_last_good_site() {
    let site = Site::new(SITE);
    let server = Server::start(&site);
    let events = server.events();
    let (name, hello) = next_event(&events);
    assert_eq!(name, "hello");
    assert_eq!(hello["generation"], 1);
    assert!(hello["problems"].is_null());

    // A body edit.
    site.write(
        "content/domains/space.md",
        "+++\ntitle = \"Space\"\nagencies = [\"space\"]\n+++\n## Orbits\n\nThe [Agency of Space](agency:space) flies higher.\n",
    );
    let changed = expect_reload(&events);
    assert_contains!(changed, "domains/space/index.html");
    assert_not_contains!(changed, "static/style.css");
    let (status, content_type, page) = server.get("/domains/space/index.html");
    assert_eq!(
        (status, content_type.as_str()),
        (200, "text/html; charset=utf-8")
    );
    assert_contains!(page, "flies higher");
    assert_contains!(page, "<script src=\"/__dossier/live.js\"></script></body>");
    let agency = server.get("/agencies/space/index.html").2;
    assert_contains!(agency, "flies higher", "the agency page lists the new text");

    // A front-matter edit.
    site.write(
        "content/domains/ground.md",
        "+++\ntitle = \"Solid ground\"\nagencies = [\"space\"]\n+++\nThe [Agency of Space](agency:space) also walks. See [space](space.md#orbits).\n",
    );
    expect_reload(&events);
    assert_contains!(server.get("/domains/index.html").2, "Solid ground");

    // A registry edit.
    site.write(
        "content/agencies.toml",
        "[space]\nname = \"Agency of Outer Space\"\ncountry = \"US\"\nkind = \"government\"\ndescription = \"Space.\"\n",
    );
    expect_reload(&events);
    assert_contains!(
        server.get("/agencies/space/index.html").2,
        "Agency of Outer Space"
    );

    // A template overridden while serving, in a `themes/` folder that did
    // not exist when serving began: the built-in theme gives way to it.
    let template = std::fs::read_to_string(
        crate::common::repo_root().join("themes/default/templates/page.html"),
    )
    .expect("template");
    site.write(
        "themes/default/templates/page.html",
        &template.replacen("<article class=\"page", "<article class=\"page edited", 1),
    );
    expect_reload(&events);
    assert_contains!(server.get("/domains/space/index.html").2, "page edited");
    // The override edited, then removed: the built-in template is back.
    site.write(
        "themes/default/templates/page.html",
        &template.replacen(
            "<article class=\"page",
            "<article class=\"page edited again",
            1,
        ),
    );
    expect_reload(&events);
    assert_contains!(
        server.get("/domains/space/index.html").2,
        "page edited again"
    );
    std::fs::remove_file(site.path("themes/default/templates/page.html")).expect("remove");
    expect_reload(&events);
    assert_contains!(
        server.get("/domains/space/index.html").2,
        "<article class=\"page\">"
    );

    // A file of `static/`, a folder made while serving, is served as it is.
    site.write("static/robots.txt", "User-agent: *\n");
    let changed = expect_reload(&events);
    assert_eq!(changed, ["robots.txt"]);
    assert_eq!(server.get("/robots.txt").2, "User-agent: *\n");

    // A bad edit: the overlay, and the last good site underneath.
    site.write(
        "content/domains/space.md",
        "+++\ntitle = \"Space\"\n+++\nSee [nowhere](missing.md).\n",
    );
    let (name, problems) = next_event(&events);
    assert_eq!(name, "problems", "{problems}");
    let text = problems["text"].as_str().expect("text");
    assert_contains!(text, "E0104 broken-link");
    assert_contains!(text, "content/domains/space.md:4:15");
    assert_contains!(server.get("/domains/space/index.html").2, "flies higher");
    // A page opened now learns of the problems at once.
    let late = server.events();
    let (name, hello) = next_event(&late);
    assert_eq!(name, "hello");
    assert!(
        hello["problems"]["summary"]
            .as_str()
            .is_some_and(|s| s.starts_with("2 errors")),
        "{hello}"
    );

    // Fixing it clears the overlay.
    site.write(
        "content/domains/space.md",
        "+++\ntitle = \"Space\"\nagencies = [\"space\"]\n+++\n## Orbits\n\nFixed.\n",
    );
    expect_reload(&events);
    assert_contains!(server.get("/domains/space/index.html").2, "Fixed.");
    let (_, hello) = next_event(&server.events());
    assert!(hello["problems"].is_null(), "{hello}");

    // A deleted page is gone; a link to it would now be broken, so the
    // other page is fixed in the same burst.
    site.write("content/domains/ground.md", "+++\ntitle = \"Solid ground\"\nagencies = [\"space\"]\n+++\nThe [Agency of Space](agency:space) walks.\n");
    expect_reload(&events);
    std::fs::remove_file(site.path("content/domains/ground.md")).expect("remove");
    let changed = expect_reload(&events);
    assert_contains!(changed, "domains/ground/index.html");
    assert_eq!(server.get("/domains/ground/index.html").0, 404);
}

#[test]
fn an_editor_saving_through_a_temporary_file_gives_one_reload() {
    let site = Site::new(SITE);
    let server = Server::start(&site);
    let events = server.events();
    next_event(&events);
    let temporary = site.path("content/domains/.space.md.tmp");
    std::fs::write(
        &temporary,
        "+++\ntitle = \"Space\"\nagencies = [\"space\"]\n+++\n## Orbits\n\nSaved through a rename.\n",
    )
    .expect("write");
    std::fs::rename(&temporary, site.path("content/domains/space.md")).expect("rename");
    expect_reload(&events);
    assert_contains!(
        server.get("/domains/space/index.html").2,
        "Saved through a rename."
    );
    assert!(
        events.recv_timeout(Duration::from_millis(500)).is_err(),
        "one save, one reload"
    );
}

#[test]
fn requests_cannot_leave_the_site() {
    let site = Site::new(SITE);
    std::fs::write(site.path("secret.txt"), "do not serve").expect("write");
    let server = Server::start(&site);
    for target in [
        "/../secret.txt",
        "/../../etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/domains/..%2f..%2fsecret.txt",
        "/domains/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%5csecret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/site.toml",
        "/content/agencies.toml",
        "/./index.html",
    ] {
        let (status, answer) = server.raw(target);
        assert_eq!(status, 404, "{target}: {answer}");
        for secret in ["do not serve", "root:"] {
            assert_not_contains!(answer, secret, "{target}");
        }
        assert_contains!(
            answer,
            "Page not found",
            "{target} is answered with the theme's 404 page"
        );
    }
}

#[test]
fn a_symbolic_link_out_of_the_project_is_never_served() {
    let site = Site::new(SITE);
    let outside = tempfile::tempdir().expect("folder");
    std::fs::write(
        outside.path().join("secret.md"),
        "+++\ntitle = \"Secret\"\n+++\nSecret text.\n",
    )
    .expect("write");
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        site.path("content/domains/secret.md"),
    )
    .expect("symlink");
    let server = Server::start(&site);
    let events = server.events();
    let (_, hello) = next_event(&events);
    let summary = hello["problems"]["text"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_contains!(summary, "bad-symlink", "{hello}");
    let (status, _, body) = server.get("/domains/secret/index.html");
    assert_ne!(status, 200);
    assert_not_contains!(body, "Secret text.");
}

#[test]
fn files_get_their_content_types_and_concurrent_requests_are_answered() {
    let site = Site::new(SITE);
    let server = Server::start(&site);
    assert_eq!(server.get("/static/style.css").1, "text/css; charset=utf-8");
    assert_eq!(server.get("/sitemap.xml").1, "text/xml; charset=utf-8");
    assert_eq!(server.get("/").0, 200);
    let (status, _, redirect) = {
        let (status, answer) = server.raw("/domains");
        (status, (), answer)
    };
    assert_eq!(status, 308);
    assert_contains!(redirect.to_lowercase(), "location: /domains/");
    let (status, _, body) = server.get("/no/such/page.html");
    assert_eq!(status, 404);
    assert_contains!(body, "Page not found");

    let server = std::sync::Arc::new(server);
    let handles: Vec<_> = (0..16)
        .map(|i| {
            let server = std::sync::Arc::clone(&server);
            std::thread::spawn(move || {
                let path = if i % 2 == 0 {
                    "/domains/space/index.html"
                } else {
                    "/agencies/space/index.html"
                };
                server.get(path).0
            })
        })
        .collect();
    for handle in handles {
        assert_eq!(handle.join().expect("thread"), 200);
    }
}

#[test]
fn folder_redirects_keep_the_query_and_ranges_get_their_bytes() {
    let site = Site::new(SITE);
    let server = Server::start(&site);
    let (status, answer) = server.raw("/domains?q=space");
    assert_eq!(status, 308);
    assert_contains!(answer.to_lowercase(), "location: /domains/?q=space\r\n");

    let (_, _, css) = server.get("/static/style.css");
    let (status, answer) = server.raw_with("/static/style.css", "Range: bytes=0-9\r\n");
    assert_eq!(status, 206, "{answer}");
    let lower = answer.to_lowercase();
    assert_contains!(lower, format!("content-range: bytes 0-9/{}\r\n", css.len()));
    assert_contains!(lower, "accept-ranges: bytes");
    assert!(answer.ends_with(&css[..10]), "{answer}");

    let (status, answer) = server.raw_with("/static/style.css", "Range: bytes=-5\r\n");
    assert_eq!(status, 206);
    assert!(answer.ends_with(&css[css.len() - 5..]), "{answer}");

    let past = format!("Range: bytes={}-\r\n", css.len() + 10);
    let (status, answer) = server.raw_with("/static/style.css", &past);
    assert_eq!(status, 416);
    assert_contains!(
        answer.to_lowercase(),
        format!("content-range: bytes */{}", css.len())
    );

    // A header that does not parse is ignored: the whole file.
    let (status, answer) = server.raw_with("/static/style.css", "Range: lines=1-2\r\n");
    assert_eq!(status, 200);
    assert!(answer.ends_with(&css), "the whole file");
}

#[test]
fn serve_listens_on_loopback_by_default() {
    let site = Site::new(SITE);
    let server = Server::start(&site);
    assert!(TcpStream::connect(("127.0.0.1", server.port)).is_ok());
    let run = Run::of(dossier().args(["serve", "--help"]).output().expect("help"));
    assert_contains!(run.stdout, "[default: 127.0.0.1]");
}

#[test]
fn serve_shows_drafts_with_a_banner_unless_told_to_leave_them_out() {
    let site = Site::new(SITE);
    site.write(
        "content/domains/plans.md",
        "+++\ntitle = \"Plans\"\ndraft = true\nagencies = [\"space\"]\n+++\nThe [Agency of Space](agency:space) plans ahead.\n",
    );
    let server = Server::start(&site);
    let (status, _, page) = server.get("/domains/plans/index.html");
    assert_eq!(status, 200);
    assert!(page.contains("<article class=\"page draft\">"), "{page}");
    assert!(
        page.contains("<strong>Draft:</strong> not published by <code>dossier build</code>"),
        "{page}"
    );
    assert!(
        server
            .get("/agencies/space/index.html")
            .2
            .contains("plans ahead")
    );
    // Published, the page loses its banner on the next reload.
    let events = server.events();
    next_event(&events);
    site.write(
        "content/domains/plans.md",
        "+++\ntitle = \"Plans\"\nagencies = [\"space\"]\n+++\nThe [Agency of Space](agency:space) plans ahead.\n",
    );
    let changed = expect_reload(&events);
    assert!(
        changed.contains(&"domains/plans/index.html".to_string()),
        "{changed:?}"
    );
    assert!(!server.get("/domains/plans/index.html").2.contains("draft"));
    drop(server);

    site.write(
        "content/domains/plans.md",
        "+++\ntitle = \"Plans\"\ndraft = true\nagencies = [\"space\"]\n+++\nThe [Agency of Space](agency:space) plans ahead.\n",
    );
    let server = Server::start_with(
        &site,
        dossier().args(["serve", "--port", "0", "--no-drafts"]),
    );
    assert_eq!(server.get("/domains/plans/index.html").0, 404);
    assert!(
        !server
            .get("/agencies/space/index.html")
            .2
            .contains("plans ahead")
    );
}

/// The page template of the default theme with `line` at the start of its
/// article.
fn page_template_with(line: &str) -> String {
    let template = std::fs::read_to_string(
        crate::common::repo_root().join("themes/default/templates/page.html"),
    )
    .expect("template");
    let article = "<article class=\"page{% if page.draft %} draft{% endif %}\">";
    assert_contains!(template, article);
    template.replace(article, &format!("{article}{line}"))
}

/// A loop of 10,000,000,000 turns that writes at every turn.
const RUNAWAY: &str = "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{{ i }}{% endfor %}{% endfor %}";

/// A loop of 10,000,000,000 turns that neither writes nor calls `range`:
/// nothing can stop it.
const SILENT_RUNAWAY: &str =
    "{% set xs = range(end=100000) %}{% for i in xs %}{% for j in xs %}{% endfor %}{% endfor %}";

#[test]
fn a_runaway_template_edit_then_a_fix_serves_the_fixed_site_within_seconds() {
    let site = Site::new(SITE);
    let server = Server::start(&site);
    let events = server.events();
    next_event(&events);
    for (runaway, fixed) in [(RUNAWAY, "fixed once"), (SILENT_RUNAWAY, "fixed twice")] {
        // A template that would run for hours under the default limits...
        site.write(
            "themes/default/templates/page.html",
            &page_template_with(runaway),
        );
        std::thread::sleep(Duration::from_millis(700));
        // ...and the fix, while it runs.
        site.write(
            "themes/default/templates/page.html",
            &page_template_with(fixed),
        );
        let fixed_at = Instant::now();
        let changed = expect_reload(&events);
        assert!(
            fixed_at.elapsed() < Duration::from_secs(5),
            "the fixed site came after {:?}",
            fixed_at.elapsed()
        );
        assert!(
            changed.contains(&"domains/space/index.html".to_string()),
            "{changed:?}"
        );
        let (status, _, page) = server.get("/domains/space/index.html");
        assert_eq!(status, 200);
        assert!(page.contains(fixed), "{page}");
    }
}

#[test]
fn an_over_budget_template_is_reported_over_the_last_good_site() {
    let site = Site::new(SITE);
    site.write(
        "site.toml",
        "title = \"Served site\"\ntemplate_time_limit = 1\n",
    );
    let server = Server::start(&site);
    let events = server.events();
    next_event(&events);
    let before = server.get("/domains/space/index.html").2;
    for runaway in [RUNAWAY, SILENT_RUNAWAY] {
        site.write(
            "themes/default/templates/page.html",
            &page_template_with(runaway),
        );
        let (name, problems) = next_event(&events);
        assert_eq!(name, "problems", "{problems}");
        let text = problems["text"].as_str().expect("text");
        assert!(text.contains("E0503 template-limit"), "{text}");
        assert!(
            text.contains("themes/default/templates/page.html"),
            "{text}"
        );
        assert!(text.contains("template_time_limit"), "{text}");
        assert_eq!(server.get("/domains/space/index.html").2, before);
    }
}

/// Sends `signal` to the server, and waits for it to end.
fn signal_and_wait(mut server: Server, signal: i32) -> Duration {
    let pid = i32::try_from(server.child.id()).expect("a process id");
    let sent = Instant::now();
    // SAFETY: `kill` only sends a signal to the process started by this test.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    loop {
        if server.child.try_wait().expect("wait").is_some() {
            return sent.elapsed();
        }
        assert!(
            sent.elapsed() < Duration::from_secs(10),
            "dossier serve still runs 10 s after signal {signal}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn sigterm_and_sigint_end_serve_promptly_even_while_a_template_runs_away() {
    for signal in [libc::SIGTERM, libc::SIGINT] {
        let site = Site::new(SITE);
        // As the first process of a container, a process gets no signal
        // that it does not handle itself: ignoring them first does the same.
        let server = Server::start_in_shell(&site, "trap '' TERM INT");
        site.write(
            "themes/default/templates/page.html",
            &page_template_with(SILENT_RUNAWAY),
        );
        std::thread::sleep(Duration::from_millis(700));
        let took = signal_and_wait(server, signal);
        assert!(
            took < Duration::from_secs(2),
            "signal {signal}: ended after {took:?}"
        );
    }
}

#[test]
fn a_connection_that_sends_no_request_or_sends_it_slowly_is_closed() {
    let site = Site::new(SITE);
    let server = Server::start(&site);
    let started = Instant::now();
    let mut silent = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    let mut slow = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    slow.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
        .expect("send");
    let trickle = std::thread::spawn(move || {
        // One byte of a header a second, for ever.
        let mut buffer = [0; 64];
        slow.set_read_timeout(Some(Duration::from_secs(1)))
            .expect("timeout");
        loop {
            match slow.read(&mut buffer) {
                Ok(0) => return Ok(()),
                Ok(_) => return Err("an answer to a request never finished"),
                Err(_) => {
                    if slow.write_all(b"X").is_err() {
                        return Ok(());
                    }
                }
            }
        }
    });
    silent
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let mut buffer = [0; 64];
    let read = silent.read(&mut buffer);
    assert!(
        matches!(read, Ok(0))
            || read
                .as_ref()
                .is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionReset),
        "{read:?}"
    );
    let closed_after = started.elapsed();
    assert!(
        closed_after < Duration::from_secs(20),
        "closed after {closed_after:?}"
    );
    assert_eq!(trickle.join().expect("thread"), Ok(()));
    assert!(started.elapsed() < Duration::from_secs(20));
    // The server still answers.
    assert_eq!(server.get("/").0, 200);
}

#[test]
fn citations_of_changed_source_passages_are_shown_below_the_pages_which_still_update() {
    let mut archive = SITE.replace(
        "The [Agency of Space](agency:space) flies.",
        "The [Agency of Space](agency:space) flies. ([source](source:note#p1))",
    );
    archive.push_str("-- seeds/note.md --\nThe agency flies.\n\nIt lands.\n");
    let site = Site::new(&archive);
    site.run(&["check"]).expect_code(0);
    let server = Server::start(&site);
    let events = server.events();
    let (_, hello) = next_event(&events);
    assert!(hello["drift"].is_null(), "{hello}");

    site.write(
        "seeds/note.md",
        "A new opening.\n\nThe agency flies.\n\nIt lands.\n",
    );
    let (name, reload) = next_event(&events);
    assert_eq!(name, "reload", "{reload}");
    assert_eq!(
        reload["drift"]["summary"],
        "1 citation of a source passage that changed since sources.lock"
    );
    let text = reload["drift"]["text"].as_str().expect("text");
    assert_contains!(text, "W0106 source-changed");
    assert_contains!(text, "its old words are now at `#p2`");
    // The note is news, not a failure: the new site is served.
    assert_contains!(server.get("/sources/note/index.html").2, "A new opening.");
    let (_, hello) = next_event(&server.events());
    assert!(hello["drift"]["text"].is_string(), "{hello}");
}
