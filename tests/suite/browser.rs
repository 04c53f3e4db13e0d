//! The bundled iCET site in a real browser. Debian's headless Chromium,
//! driven over the DevTools protocol, opens a fresh build from `file://`
//! and reads it as a person would: it follows links from the home page to
//! a domain, an agency and a mention's passage and back, searches, opens
//! results, opens the print page, and runs axe-core on the pages it sees.
//! Through all of it, no console error may appear and every request must be
//! a `file://` URL.
//!
//! Without Chromium (or axe-core) the tests print a line with SKIPPED and
//! the reason; with `DOSSIER_REQUIRE_BROWSER=1` that is a failure instead.
//! Chromium is looked for at `$DOSSIER_CHROMIUM`, then `/usr/bin/chromium`;
//! axe-core at `$DOSSIER_AXE`, then `target/axe/node_modules/axe-core/axe.min.js`
//! (`npm install --prefix target/axe axe-core@4`). Screenshots go to the
//! test's temporary folder, or to `docs/screenshots/` with
//! `DOSSIER_UPDATE_SCREENSHOTS=1`.

use std::ffi::OsStr;
use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use headless_chrome::browser::tab::Tab;
use headless_chrome::protocol::cdp::Page::CaptureScreenshotFormatOption;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Emulation, Log, Network, Runtime};
use headless_chrome::{Browser, LaunchOptions};

use crate::common::{Run, assert_contains, dossier, repo_root};

mod entries;
mod reading;
mod search;

/// Set to `1` to make a missing browser or axe-core a failure.
const REQUIRE: &str = "DOSSIER_REQUIRE_BROWSER";

/// How long any one wait may take.
const PATIENCE: Duration = Duration::from_secs(15);

fn browser_required() -> bool {
    std::env::var(REQUIRE).is_ok_and(|value| value == "1")
}

/// Reports a check that cannot run: a failure under `DOSSIER_REQUIRE_BROWSER=1`,
/// a loud line otherwise.
fn skip(what: &str, reason: &str) {
    if browser_required() {
        panic!("{REQUIRE}=1, but {what} cannot run: {reason}");
    }
    // Straight to stderr: the test harness captures `eprintln!`, and this
    // line must be seen.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {what}: {reason} (set {REQUIRE}=1 to make this a failure)"
    );
}

fn chromium() -> Result<PathBuf, String> {
    let candidate = std::env::var_os("DOSSIER_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if candidate.is_file() {
        Ok(candidate)
    } else {
        Err(format!(
            "no Chromium at {} (apt-get install -y chromium)",
            candidate.display()
        ))
    }
}

fn axe_source() -> Result<String, String> {
    let path = std::env::var_os("DOSSIER_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/axe/node_modules/axe-core/axe.min.js"));
    std::fs::read_to_string(&path).map_err(|error| {
        format!(
            "no axe-core at {} ({error}; npm install --prefix target/axe axe-core@4)",
            path.display()
        )
    })
}

/// A headless Chromium with a profile of its own (removed with the
/// folder), and its first tab.
fn launch(chromium: PathBuf) -> (Browser, Arc<Tab>, tempfile::TempDir) {
    let profile = tempfile::tempdir().expect("temporary folder");
    let user_data = format!("--user-data-dir={}", profile.path().display());
    let args: Vec<&OsStr> = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        user_data.as_str(),
    ]
    .into_iter()
    .map(OsStr::new)
    .collect();
    let options = LaunchOptions::default_builder()
        .path(Some(chromium))
        .headless(true)
        .sandbox(false)
        .window_size(Some((1280, 900)))
        .idle_browser_timeout(Duration::from_secs(120))
        .args(args)
        .build()
        .expect("launch options");
    let browser = Browser::new(options).expect("start Chromium");
    let tab = browser.new_tab().expect("a tab");
    tab.set_default_timeout(PATIENCE);
    (browser, tab, profile)
}

/// What the browser reported while the tests ran.
#[derive(Default)]
struct Seen {
    /// Every URL any page requested.
    requests: Vec<String>,
    /// Console errors, uncaught exceptions and error log entries.
    errors: Vec<String>,
}

/// One browser, one tab, one freshly built site.
struct Session {
    tab: Arc<Tab>,
    public: PathBuf,
    seen: Arc<Mutex<Seen>>,
    _browser: Browser,
    _profile: tempfile::TempDir,
    _site: tempfile::TempDir,
}

impl Session {
    fn start(chromium: PathBuf) -> Session {
        let site = tempfile::tempdir().expect("temporary folder");
        let public = site.path().join("public");
        Run::of(
            dossier()
                .arg("build")
                .arg("--root")
                .arg(repo_root())
                .arg("--output")
                .arg(&public)
                .output()
                .expect("run dossier"),
        )
        .expect_code(0);

        let (browser, tab, profile) = launch(chromium);

        let seen = Arc::new(Mutex::new(Seen::default()));
        let sink = Arc::clone(&seen);
        tab.add_event_listener(Arc::new(move |event: &Event| {
            let mut seen = sink.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            match event {
                Event::NetworkRequestWillBeSent(sent) => {
                    seen.requests.push(sent.params.request.url.clone());
                }
                Event::RuntimeConsoleAPICalled(call)
                    if call.params.Type == Runtime::ConsoleAPICalledEventTypeOption::Error =>
                {
                    let words: Vec<String> = call
                        .params
                        .args
                        .iter()
                        .map(|arg| format!("{:?}", arg.value))
                        .collect();
                    seen.errors
                        .push(format!("console.error: {}", words.join(" ")));
                }
                Event::RuntimeExceptionThrown(thrown) => {
                    let details = &thrown.params.exception_details;
                    seen.errors.push(format!(
                        "uncaught: {} {:?}",
                        details.text,
                        details
                            .exception
                            .as_ref()
                            .and_then(|e| e.description.clone())
                    ));
                }
                Event::LogEntryAdded(added)
                    if added.params.entry.level == Log::LogEntryLevel::Error =>
                {
                    seen.errors.push(format!(
                        "log: {} {:?}",
                        added.params.entry.text, added.params.entry.url
                    ));
                }
                _ => {}
            }
        }))
        .expect("listen");
        tab.enable_log().expect("log domain");
        tab.enable_runtime().expect("runtime domain");
        tab.call_method(Network::Enable {
            max_total_buffer_size: None,
            max_resource_buffer_size: None,
            max_post_data_size: None,
            report_direct_socket_traffic: None,
            enable_durable_messages: None,
        })
        .expect("network domain");

        Session {
            tab,
            public,
            seen,
            _browser: browser,
            _profile: profile,
            _site: site,
        }
    }

    /// The `file://` URL of a file of the built site.
    fn url(&self, path: &str) -> String {
        format!("file://{}/{path}", self.public.display())
    }

    /// The path of the current page relative to the site, with its query
    /// and fragment.
    fn here(&self) -> String {
        let href = self.text("location.href");
        let prefix = self.url("");
        href.strip_prefix(&prefix).unwrap_or(&href).to_string()
    }

    /// Opens a file of the site and waits until it has loaded.
    fn open(&self, path: &str) {
        let url = self.url(path);
        self.tab.navigate_to(&url).expect("navigate");
        let expected = serde_json::Value::String(url);
        self.wait_for(
            &format!("open {path}"),
            &format!("location.href === {expected} && document.readyState === 'complete'"),
        );
    }

    /// Evaluates `expression` and returns its value as JSON.
    fn eval(&self, expression: &str) -> serde_json::Value {
        let result = self
            .tab
            .evaluate(expression, true)
            .unwrap_or_else(|e| panic!("evaluate {expression}: {e}"));
        result.value.unwrap_or(serde_json::Value::Null)
    }

    fn text(&self, expression: &str) -> String {
        match self.eval(expression) {
            serde_json::Value::String(text) => text,
            other => panic!("{expression} gave {other}"),
        }
    }

    fn truth(&self, expression: &str) -> bool {
        self.eval(expression) == serde_json::Value::Bool(true)
    }

    /// Waits until `condition` (JavaScript) holds on the current page.
    fn wait_for(&self, what: &str, condition: &str) {
        let start = Instant::now();
        let guarded = format!(
            "(() => {{ try {{ return !!({condition}); }} catch (e) {{ return false; }} }})()"
        );
        while start.elapsed() < PATIENCE {
            if self.truth(&guarded) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "timed out waiting to {what}: {condition} (at {})",
            self.here()
        );
    }

    /// Waits until `expression` (JavaScript) gives `expected`; on a time-out
    /// the failure shows the last value seen.
    fn wait_for_value(&self, what: &str, expression: &str, expected: &str) {
        let start = Instant::now();
        let guarded = format!(
            "(() => {{ try {{ return String({expression}); }} catch (e) {{ return 'error: ' + e; }} }})()"
        );
        let mut last = String::new();
        while start.elapsed() < PATIENCE {
            last = self.text(&guarded);
            if last == expected {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("timed out waiting to {what}: {expression} is {last:?}, not {expected:?}");
    }

    /// Clicks the first element matching `selector` as a user would, with
    /// the mouse.
    fn click(&self, selector: &str) {
        self.tab
            .wait_for_element(selector)
            .unwrap_or_else(|e| panic!("no {selector} on {}: {e}", self.here()))
            .click()
            .unwrap_or_else(|e| panic!("click {selector}: {e}"));
    }

    /// Clicks a link and waits until the page it leads to has loaded.
    fn follow(&self, selector: &str) -> String {
        let href = self.text(&format!(
            "document.querySelector({}).href",
            serde_json::Value::String(selector.to_string())
        ));
        self.click(selector);
        let expected = serde_json::Value::String(href.clone());
        self.wait_for(
            &format!("follow {selector}"),
            &format!("location.href === {expected} && document.readyState === 'complete'"),
        );
        href
    }

    fn press(&self, key: &str) {
        self.tab
            .press_key(key)
            .unwrap_or_else(|e| panic!("press {key}: {e}"));
    }

    fn type_text(&self, text: &str) {
        self.tab
            .type_str(text)
            .unwrap_or_else(|e| panic!("type {text}: {e}"));
    }

    fn screenshot(&self, name: &str) {
        let png = self
            .tab
            .capture_screenshot(CaptureScreenshotFormatOption::Png, None, None, true)
            .expect("screenshot");
        let dir = if std::env::var("DOSSIER_UPDATE_SCREENSHOTS").is_ok_and(|v| v == "1") {
            repo_root().join("docs/screenshots")
        } else {
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots")
        };
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    }

    /// Lays the page out as a phone `width` pixels wide would, or as the
    /// window does again with `None`.
    fn viewport(&self, width: Option<u32>) {
        match width {
            Some(width) => {
                self.tab
                    .call_method(Emulation::SetDeviceMetricsOverride {
                        width,
                        height: 844,
                        device_scale_factor: 1.0,
                        mobile: true,
                        scale: None,
                        screen_width: None,
                        screen_height: None,
                        position_x: None,
                        position_y: None,
                        dont_set_visible_size: None,
                        screen_orientation: None,
                        viewport: None,
                        display_feature: None,
                        device_posture: None,
                    })
                    .expect("emulate a phone");
            }
            None => {
                self.tab
                    .call_method(Emulation::ClearDeviceMetricsOverride(None))
                    .expect("stop emulating a phone");
            }
        }
    }

    fn emulate(&self, media: &str, dark: bool) {
        self.tab
            .call_method(Emulation::SetEmulatedMedia {
                media: Some(media.to_string()),
                features: Some(vec![Emulation::MediaFeature {
                    name: "prefers-color-scheme".to_string(),
                    value: if dark { "dark" } else { "light" }.to_string(),
                }]),
            })
            .expect("emulate media");
    }

    /// The serious and critical violations axe-core finds on the current
    /// page, one line each.
    fn axe(&self, axe: &str) -> Vec<String> {
        if !self.truth("typeof window.axe === 'object'") {
            self.tab.evaluate(axe, false).expect("inject axe-core");
        }
        // `preload: false`: axe would otherwise fetch the stylesheets with
        // XMLHttpRequest, which file:// forbids.
        let report = self.text(
            "axe.run(document, { resultTypes: ['violations'], preload: false }).then(r => JSON.stringify({\
               rules: r.passes.length + r.violations.length,\
               serious: r.violations\
                .filter(v => v.impact === 'serious' || v.impact === 'critical')\
                .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '\
                  + v.nodes.map(n => n.target.join(' ')).join(', '))}))",
        );
        let report: serde_json::Value = serde_json::from_str(&report).expect("axe report");
        let rules = report["rules"].as_u64().unwrap_or(0);
        assert!(rules >= 20, "axe-core checked only {rules} rules: {report}");
        serde_json::from_value(report["serious"].clone()).expect("axe violations")
    }
}

/// Home -> a domain -> an agency -> a mention's passage, and back.
fn follows_links_from_home_to_a_mention_and_back(s: &Session) {
    s.open("index.html");
    s.screenshot("home");
    s.follow("main a[href='domains/space/index.html']");
    assert_eq!(s.here(), "domains/space/index.html");
    assert_eq!(s.text("document.querySelector('h1').textContent"), "Space");

    s.follow(".prose a[href='../../agencies/isro/index.html']");
    assert_eq!(s.here(), "agencies/isro/index.html");
    assert_contains!(
        s.text("document.querySelector('h1').textContent"),
        "Indian Space Research Organisation"
    );
    s.screenshot("agency");

    let href = s.follow("a.in-context[href^='../../domains/space/index.html#']");
    let (_, fragment) = href
        .split_once('#')
        .expect("the mention links to a passage");
    assert!(
        s.here().starts_with("domains/space/index.html#"),
        "{}",
        s.here()
    );
    let target = s.text("document.querySelector(':target')?.id ?? ''");
    assert_eq!(target, fragment, "the passage is the page's target");
    let top = s.eval("document.querySelector(':target').getBoundingClientRect().top");
    let height = s.eval("innerHeight");
    assert!(
        top.as_f64()
            .is_some_and(|top| top > -1.0 && Some(top) < height.as_f64()),
        "the passage is scrolled into view: top {top}, window height {height}"
    );
    assert_contains!(
        s.text("document.querySelector(':target').textContent"),
        "ISRO",
        "the passage mentions ISRO"
    );

    // Through a timer, so that the evaluation has returned before the page
    // it ran in goes away (else: "Inspected target navigated or closed").
    s.eval("setTimeout(() => history.back())");
    s.wait_for(
        "go back",
        "location.pathname.endsWith('/agencies/isro/index.html') && document.readyState === 'complete'",
    );
}

/// The print page holds every page, its links lead within it, and print
/// media hide the navigation.
fn print_page_holds_the_whole_briefing(s: &Session) {
    s.open("index.html");
    s.follow(".site-footer a[href='print/index.html']");
    for chapter in [
        "home",
        "domains",
        "domains-space",
        "domains-defense",
        "agencies",
        "topics",
        "agencies-isro",
    ] {
        assert!(
            s.truth(&format!("!!document.getElementById('{chapter}')")),
            "chapter {chapter}"
        );
    }
    let broken = s.text(
        "JSON.stringify([...document.querySelectorAll('a[href^=\"#\"]')]\
           .map(a => decodeURIComponent(a.getAttribute('href').slice(1)))\
           .filter(id => id && !document.getElementById(id)))",
    );
    assert_eq!(broken, "[]", "in-page links without a target");
    assert!(
        s.truth(
            "!document.querySelector('main a[href*=\"domains/\"], main a[href*=\"agencies/\"]')"
        ),
        "links between printed pages stay on the page"
    );
    s.screenshot("print");
    s.follow("main a[href='#domains-space--visits']");
    assert_eq!(s.here(), "print/index.html#domains-space--visits");

    s.emulate("print", false);
    assert!(s.truth("getComputedStyle(document.querySelector('.site-header')).display === 'none'"));
    assert!(s.truth("getComputedStyle(document.querySelector('.site-footer')).display === 'none'"));
    assert!(s.truth(
        "getComputedStyle(document.querySelector('.print-chapter')).breakBefore === 'page'"
    ));
    s.emulate("", false);
}

/// A page prints on its own: no navigation, the address of every link to
/// the web written out.
fn each_page_prints_on_its_own(s: &Session) {
    s.open("sources/2023-01-31-icet-fact-sheet/index.html");
    s.emulate("print", false);
    for chrome in [
        ".site-header",
        ".site-footer",
        ".breadcrumbs",
        ".page-aside",
    ] {
        assert!(
            s.truth(&format!(
                "getComputedStyle(document.querySelector('{chrome}')).display === 'none'"
            )),
            "{chrome} is hidden in print"
        );
    }
    let external = s.text(
        "getComputedStyle(document.querySelector('main a[href^=\"https:\"]'), '::after').content",
    );
    assert_contains!(
        external,
        "https://www.whitehouse.gov/",
        "external links show their address"
    );
    s.emulate("", false);
}

/// axe-core finds no serious or critical violation on the pages read (one
/// of them with a callout), in light and dark.
fn pages_have_no_serious_accessibility_violations(s: &Session, axe: &str) {
    let mut found = Vec::new();
    for dark in [false, true] {
        s.emulate("", dark);
        for page in [
            "index.html",
            "domains/index.html",
            "domains/space/index.html",
            "agencies/index.html",
            "agencies/isro/index.html",
            "agencies/nasa/index.html",
            "topics/quantum/index.html",
            "search/index.html?q=ISRO",
            "print/index.html",
        ] {
            s.open(page);
            if page.starts_with("search/") {
                s.wait_for(
                    "see results",
                    "document.querySelectorAll('.search-result').length > 0",
                );
            }
            for violation in s.axe(axe) {
                found.push(format!(
                    "{page}{}: {violation}",
                    if dark { " (dark)" } else { "" }
                ));
            }
        }
    }
    s.emulate("", false);
    assert!(found.is_empty(), "{}", found.join("\n"));

    // The check itself sees a violation when there is one: text too faint
    // to read.
    s.open("index.html");
    s.eval("document.querySelector('main h1').style.color = '#f4f4f4'");
    let faint = s.axe(axe);
    assert!(
        faint
            .iter()
            .any(|v| v.starts_with("color-contrast (serious)")),
        "axe-core missed faint text: {faint:?}"
    );
}

#[test]
fn the_site_works_offline_in_a_real_browser() {
    let chromium = match chromium() {
        Ok(path) => path,
        Err(reason) => return skip("the browser tests", &reason),
    };
    let start = Instant::now();
    let session = Session::start(chromium);
    eprintln!("build and start: {:.1} s", start.elapsed().as_secs_f64());
    let mut failures: Vec<String> = Vec::new();
    let mut check = |name: &str, run: &dyn Fn()| {
        let start = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(run));
        eprintln!("{name}: {:.1} s", start.elapsed().as_secs_f64());
        if let Err(panic) = outcome {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(format!("{name}: {message}"));
        }
    };
    check("follows_links_from_home_to_a_mention_and_back", &|| {
        follows_links_from_home_to_a_mention_and_back(&session)
    });
    check("search_finds_passages_and_names", &|| {
        search::search_finds_passages_and_names(&session)
    });
    check("search_ranks_what_readers_mean", &|| {
        search::search_ranks_what_readers_mean(&session)
    });
    check("print_page_holds_the_whole_briefing", &|| {
        print_page_holds_the_whole_briefing(&session)
    });
    check("each_page_prints_on_its_own", &|| {
        each_page_prints_on_its_own(&session)
    });
    check("citations_are_numbered_and_noted_in_print", &|| {
        reading::citations_are_numbered_and_noted_in_print(&session)
    });
    check("a_phone_shows_the_lead_before_the_chips", &|| {
        reading::a_phone_shows_the_lead_before_the_chips(&session)
    });
    check("arrows_lead_to_the_next_and_previous_page", &|| {
        reading::arrows_lead_to_the_next_and_previous_page(&session)
    });
    check("a_passage_has_a_permalink", &|| {
        reading::a_passage_has_a_permalink(&session)
    });
    check(
        "permalinks_stand_at_the_end_of_each_passages_own_text",
        &|| reading::permalinks_stand_at_the_end_of_each_passages_own_text(&session),
    );
    check("source_and_coverage_pages_read_well", &|| {
        reading::source_and_coverage_pages_read_well(&session)
    });
    check("figures_are_underlined_without_a_gap", &|| {
        reading::figures_are_underlined_without_a_gap(&session)
    });
    check("a_parents_page_lists_a_childs_mention", &|| {
        entries::a_parents_page_lists_a_childs_mention(&session)
    });
    check(
        "the_matrix_shows_on_screen_on_a_phone_and_in_print",
        &|| entries::the_matrix_shows_on_screen_on_a_phone_and_in_print(&session),
    );
    match axe_source() {
        Ok(axe) => check("pages_have_no_serious_accessibility_violations", &|| {
            pages_have_no_serious_accessibility_violations(&session, &axe)
        }),
        Err(reason) => skip("the accessibility check", &reason),
    }

    let seen = std::mem::take(
        &mut *session
            .seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()),
    );
    let remote: Vec<&String> = seen
        .requests
        .iter()
        .filter(|url| !url.starts_with("file://"))
        .collect();
    if !remote.is_empty() {
        failures.push(format!("requests that left the site: {remote:#?}"));
    }
    if seen.requests.len() < 10 {
        failures.push(format!(
            "too few requests were seen to trust the network check: {:?}",
            seen.requests
        ));
    }
    if !seen.errors.is_empty() {
        failures.push(format!("console errors: {:#?}", seen.errors));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// `dossier serve` answers a missing address at any depth with the site's
/// 404 page, as hosts do: styled, and with links that lead to the site.
#[test]
fn the_404_page_is_styled_and_its_links_work_at_any_depth() {
    let chromium = match chromium() {
        Ok(path) => path,
        Err(reason) => return skip("the 404 page in a browser", &reason),
    };
    let site = crate::common::Site::new(
        "-- site.toml --\ntitle = \"Served\"\n-- content/_index.md --\n+++\ntitle = \"Home\"\n+++\nThe home page.\n-- content/domains/space.md --\n+++\ntitle = \"Space\"\n+++\nSpace.\n",
    );
    let server = crate::serve::Server::start(&site);
    let (_browser, tab, _profile) = launch(chromium);
    let eval = |expression: &str| {
        tab.evaluate(expression, true)
            .unwrap_or_else(|e| panic!("evaluate {expression}: {e}"))
            .value
            .unwrap_or(serde_json::Value::Null)
    };
    let wait = |condition: &str| {
        let start = Instant::now();
        while start.elapsed() < PATIENCE {
            if eval(&format!(
                "(() => {{ try {{ return !!({condition}); }} catch (e) {{ return false; }} }})()"
            )) == serde_json::Value::Bool(true)
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "timed out waiting for {condition} at {}",
            eval("location.href")
        );
    };
    tab.navigate_to(&server.url("/domains/spce/nested/"))
        .expect("navigate");
    wait("document.readyState === 'complete' && document.querySelector('.not-found')");
    // The stylesheet applied: the header is laid out by it, not by the
    // browser's defaults.
    wait(
        "[...document.styleSheets].some(sheet => sheet.href && sheet.href.endsWith('/static/style.css') && sheet.cssRules.length > 10)",
    );
    assert_eq!(
        eval("getComputedStyle(document.querySelector('.site-header')).display"),
        "block"
    );
    assert_ne!(
        eval("getComputedStyle(document.body).fontFamily"),
        eval(
            "(() => { const probe = document.createElement('iframe'); document.body.append(probe); return getComputedStyle(probe.contentDocument.body).fontFamily; })()"
        ),
        "the page's font is the theme's"
    );
    // Its link home leads home.
    let home = eval("document.querySelector('.not-found a').href");
    assert_eq!(home, server.url("/index.html").as_str());
    tab.evaluate("document.querySelector('.not-found a').click()", false)
        .expect("click");
    wait("location.pathname === '/index.html' && document.readyState === 'complete'");
    assert_eq!(eval("document.querySelector('h1').textContent"), "Home");
}
