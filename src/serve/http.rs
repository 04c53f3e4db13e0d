//! The HTTP side of `dossier serve`: the site's files from memory, the
//! live-reload script and its event stream.
//!
//! Files come only from the current [`Generation`], never from the disk, so
//! no request path can reach outside the site: paths with `.` or `..`
//! segments, encoded slashes or backslashes, or a doubled leading slash are
//! refused with the theme's 404 page before any lookup.

use std::borrow::Cow;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream};
use tokio::sync::broadcast;

use super::{Shared, SiteEvent};
use crate::diagnostics::Code;
use crate::render::supervise::GRACE;
use crate::session::Generation;

/// Where the live-reload script is served.
pub const LIVE_SCRIPT_PATH: &str = "/__dossier/live.js";

/// Where the live-reload events are served.
pub const EVENTS_PATH: &str = "/__dossier/events";

const LIVE_SCRIPT: &str = include_str!("live.js");

/// The routes of the server.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(LIVE_SCRIPT_PATH, get(live_script))
        .route(EVENTS_PATH, get(events))
        .fallback(file)
        .with_state(shared)
}

async fn live_script() -> Response {
    let mut response = LIVE_SCRIPT.into_response();
    set_type(&mut response, "text/javascript; charset=utf-8");
    response
}

/// The event stream: first the site's state (`hello`), then every change.
async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = shared.events.subscribe();
    let hello = shared.hello();
    let first = stream::once(async move { Ok(to_event(&hello)) });
    let rest = stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(event) => return Some((Ok(to_event(&event)), receiver)),
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(futures_util::StreamExt::chain(first, rest))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

fn to_event(event: &SiteEvent) -> Event {
    Event::default().event(event.name()).data(event.data())
}

/// A file of the site, or the bytes of it a `Range` header asks for.
async fn file(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let Some(path) = site_path(uri.path()) else {
        return not_found(&shared).await;
    };
    let Some(generation) = shared.current() else {
        return no_site_yet(&shared);
    };
    if !generation.contains(&path) {
        let directory = format!("{}/index.html", path.trim_end_matches("/index.html"));
        if !path.ends_with("index.html") && generation.contains(&directory) {
            // The query goes along: `/search?q=space` ends at the results.
            let query = uri.query().map(|query| format!("?{query}"));
            let location = format!("{}/{}", uri.path(), query.unwrap_or_default());
            return redirect(&location);
        }
        return not_found(&shared).await;
    }
    match bytes_of(&generation, &path).await {
        Ok(bytes) => {
            let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
            ranged(file_response(&path, &bytes, StatusCode::OK), range).await
        }
        Err(problem) => problem_response(&problem),
    }
}

/// `full` cut down to the one byte range that `range` asks for, as a
/// `206 Partial Content`; `416` for a range past the end. A request for
/// several ranges, or a `Range` header that does not parse, gets the whole
/// file, as HTTP lets a server answer.
async fn ranged(full: Response, range: Option<&str>) -> Response {
    let (mut parts, body) = full.into_parts();
    parts
        .headers
        .insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    let Some(Ok(parsed)) = range.map(http_range_header::parse_range_header) else {
        return Response::from_parts(parts, body);
    };
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let length = bytes.len() as u64;
    match parsed.validate(length).as_deref() {
        Ok([one]) => {
            let (start, end) = (*one.start(), *one.end());
            parts.status = StatusCode::PARTIAL_CONTENT;
            insert_header(
                &mut parts.headers,
                header::CONTENT_RANGE,
                &format!("bytes {start}-{end}/{length}"),
            );
            // `validate` keeps every range inside the file.
            let part = bytes.slice(start as usize..=end as usize);
            Response::from_parts(parts, Body::from(part))
        }
        Ok(_) => Response::from_parts(parts, Body::from(bytes)),
        Err(_) => {
            parts.status = StatusCode::RANGE_NOT_SATISFIABLE;
            insert_header(
                &mut parts.headers,
                header::CONTENT_RANGE,
                &format!("bytes */{length}"),
            );
            Response::from_parts(parts, Body::empty())
        }
    }
}

fn insert_header(headers: &mut HeaderMap, name: header::HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(name, value);
    }
}

/// The bytes of the file at `path` of `generation`, or the text of the
/// problem that keeps it from being served. A file not rendered yet is
/// rendered on a thread of the blocking pool, and waited for no longer than
/// its time limit allows: a template that cannot be stopped keeps that
/// thread, not the server.
async fn bytes_of(generation: &Arc<Generation>, path: &str) -> Result<Arc<[u8]>, String> {
    let shown = |problem: Box<crate::diagnostics::Diagnostic>| {
        format!("{}: {}", problem.code, problem.message)
    };
    if let Some(rendered) = generation.rendered(path) {
        return rendered.map_err(shown);
    }
    let limits = generation.limits();
    let rendering = {
        let (generation, path) = (Arc::clone(generation), path.to_string());
        tokio::task::spawn_blocking(move || generation.get(&path))
    };
    match tokio::time::timeout(limits.time + GRACE, rendering).await {
        Ok(Ok(Some(rendered))) => rendered.map_err(shown),
        Ok(Ok(None)) => Err(format!("`{path}` is not a file of the site")),
        Ok(Err(_)) => Err(format!("rendering `{path}` failed")),
        Err(_) => Err(format!(
            "{}: rendering `{path}` ran past `template_time_limit` ({} s) and was given up on",
            Code::TemplateLimit,
            limits.time.as_secs()
        )),
    }
}

/// The path of the site's file that a request path names, or `None` for a
/// path that tries to leave the site.
///
/// ```
/// use dossier::serve::http::site_path;
/// assert_eq!(site_path("/").as_deref(), Some("index.html"));
/// assert_eq!(site_path("/domains/space/").as_deref(), Some("domains/space/index.html"));
/// assert_eq!(site_path("/static/style.css").as_deref(), Some("static/style.css"));
/// assert_eq!(site_path("/my%20notes/index.html").as_deref(), Some("my notes/index.html"));
/// assert_eq!(site_path("/../etc/passwd"), None);
/// assert_eq!(site_path("/%2e%2e/etc/passwd"), None);
/// assert_eq!(site_path("/a%2f..%2f..%2fetc"), None);
/// assert_eq!(site_path("//etc/passwd"), None);
/// assert_eq!(site_path("/a\\b"), None);
/// assert_eq!(site_path("/100%"), None);
/// assert_eq!(site_path("/%FF.html"), None);
/// assert_eq!(site_path("/%+9.html"), None);
/// ```
pub fn site_path(request: &str) -> Option<String> {
    let raw = request.strip_prefix('/')?;
    let mut parts = Vec::new();
    for encoded in raw.split('/') {
        let part = percent_decode(encoded)?;
        if part == "." || part == ".." || part.contains(['/', '\\', '\0']) {
            return None;
        }
        parts.push(part);
    }
    // A trailing slash names the folder's index page.
    if parts.last().is_some_and(String::is_empty) {
        parts.pop();
        parts.push("index.html".to_string());
    }
    if parts.iter().any(String::is_empty) {
        return None;
    }
    Some(parts.join("/"))
}

/// Decodes `%XX` escapes; `None` for an invalid escape (a `%` without two
/// hexadecimal digits after it) or text that does not decode to UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let escapes_valid = text.split('%').skip(1).all(|after| {
        after
            .as_bytes()
            .get(..2)
            .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    if !escapes_valid {
        return None;
    }
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(Cow::into_owned)
}

fn file_response(path: &str, bytes: &[u8], status: StatusCode) -> Response {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let body = if is_html {
        Body::from(with_live_script(bytes))
    } else {
        Body::from(bytes.to_vec())
    };
    let mut response = (status, body).into_response();
    let content_type = match mime.type_() {
        mime_guess::mime::TEXT => format!("{}; charset=utf-8", mime.essence_str()),
        _ if mime.essence_str() == "application/javascript" => {
            "text/javascript; charset=utf-8".to_string()
        }
        _ => mime.essence_str().to_string(),
    };
    set_type(&mut response, &content_type);
    response
}

/// `html` with the live-reload script before its closing `</body>`.
fn with_live_script(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{LIVE_SCRIPT_PATH}\"></script>");
    let text = String::from_utf8_lossy(html);
    let at = text.rfind("</body>").unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + tag.len());
    out.push_str(&text[..at]);
    out.push_str(&tag);
    out.push_str(&text[at..]);
    out.into_bytes()
}

async fn not_found(shared: &Shared) -> Response {
    let page = match shared.current() {
        Some(generation) if generation.contains("404.html") => {
            bytes_of(&generation, "404.html").await.ok()
        }
        _ => None,
    };
    match page {
        Some(bytes) => file_response("404.html", &bytes, StatusCode::NOT_FOUND),
        None => {
            let html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head><body><h1>Not found</h1></body></html>";
            file_response("404.html", html.as_bytes(), StatusCode::NOT_FOUND)
        }
    }
}

/// The page shown before the site has ever built: the overlay shows why.
fn no_site_yet(shared: &Shared) -> Response {
    let summary = shared
        .problems()
        .map_or_else(|| "building".to_string(), |p| p.summary.clone());
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>dossier</title></head><body><h1>The site has not built yet</h1><p>{}</p></body></html>",
        html_escape(&summary)
    );
    file_response(
        "index.html",
        html.as_bytes(),
        StatusCode::SERVICE_UNAVAILABLE,
    )
}

fn problem_response(text: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Template error</title></head><body><h1>This page failed to render</h1><pre>{}</pre></body></html>",
        html_escape(text)
    );
    file_response(
        "index.html",
        html.as_bytes(),
        StatusCode::INTERNAL_SERVER_ERROR,
    )
}

fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    crate::render::view::escape_into(&mut out, text);
    out
}

fn redirect(location: &str) -> Response {
    let mut response = StatusCode::PERMANENT_REDIRECT.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

fn set_type(response: &mut Response, content_type: &str) {
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}
