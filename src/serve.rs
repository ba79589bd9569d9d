//! The preview server: the only module that knows about tiny_http.
//!
//! It serves the last good build *from memory* (the same bytes `build` writes), under the
//! site's `base_url` path, so a sub-path deployment previews as it will be published. Because
//! it only ever looks paths up in that in-memory map, no request can reach a file outside the
//! site, whatever `..`, percent-encoding, backslashes or symlinks it tries; such paths are
//! refused before the lookup anyway.
//!
//! Into every HTML page it adds a small script that long-polls `__dossier/poll`: after a
//! successful rebuild the page reloads itself; after a failed one it shows the errors in an
//! overlay and keeps the page as it was, until a save fixes them. The files on disk never
//! contain that script.

use crate::output::Files;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, Server};

/// What the server shows; updated by the rebuild loop.
pub struct Live {
    /// The last good site: path -> bytes.
    pub files: Arc<Files>,
    /// Counts rebuild attempts, good or bad.
    pub generation: u64,
    /// The errors of the last attempt, if it failed (plain text).
    pub errors: Option<String>,
}

/// The state shared by the rebuild loop and the server.
pub struct Shared {
    live: Mutex<Live>,
    changed: Condvar,
    /// The path the site is served under: `/` or `/sub/`.
    base_path: String,
}

impl Shared {
    pub fn new(base_path: &str, files: Arc<Files>) -> Arc<Shared> {
        Arc::new(Shared {
            live: Mutex::new(Live {
                files,
                generation: 1,
                errors: None,
            }),
            changed: Condvar::new(),
            base_path: base_path.to_string(),
        })
    }

    /// A rebuild succeeded: serve its files and tell the open pages to reload.
    pub fn update_ok(&self, files: Arc<Files>) {
        if let Ok(mut l) = self.live.lock() {
            l.files = files;
            l.generation += 1;
            l.errors = None;
        }
        self.changed.notify_all();
    }

    /// A rebuild failed: keep serving the last good site and show the errors.
    pub fn update_err(&self, errors: String) {
        if let Ok(mut l) = self.live.lock() {
            l.generation += 1;
            l.errors = Some(errors);
        }
        self.changed.notify_all();
    }

    fn snapshot(&self) -> (Arc<Files>, u64, Option<String>) {
        match self.live.lock() {
            Ok(l) => (l.files.clone(), l.generation, l.errors.clone()),
            Err(p) => {
                let l = p.into_inner();
                (l.files.clone(), l.generation, l.errors.clone())
            }
        }
    }

    /// Waits until the generation differs from `since` (or the timeout passes).
    fn wait_change(&self, since: u64, timeout: Duration) -> (u64, Option<String>) {
        let Ok(guard) = self.live.lock() else {
            return (since, None);
        };
        let res = self
            .changed
            .wait_timeout_while(guard, timeout, |l| l.generation == since);
        match res {
            Ok((l, _)) => (l.generation, l.errors.clone()),
            Err(p) => {
                let (l, _) = p.into_inner();
                (l.generation, l.errors.clone())
            }
        }
    }
}

/// The path part of a base URL: `/`, `/sub/` (from `https://host/sub/` too).
pub fn base_path(base_url: &str) -> String {
    let rest = base_url
        .strip_prefix("https://")
        .or_else(|| base_url.strip_prefix("http://"))
        .map(|r| r.find('/').map_or("/", |i| &r[i..]))
        .unwrap_or(base_url);
    let mut p = rest.to_string();
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    if !p.ends_with('/') {
        p.push('/');
    }
    p
}

/// Starts the server on `addr` (e.g. `127.0.0.1:1111`) in background threads.
pub fn start(addr: &str, shared: Arc<Shared>) -> Result<(), String> {
    let server = Server::http(addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let server = Arc::new(server);
    // A few workers; long polls get a thread of their own.
    for _ in 0..4 {
        let server = server.clone();
        let shared = shared.clone();
        thread::spawn(move || {
            for req in server.incoming_requests() {
                handle(req, &shared);
            }
        });
    }
    Ok(())
}

/// What a request path resolves to.
#[derive(Debug, PartialEq, Eq)]
pub enum Route {
    /// A file of the site.
    File(String),
    /// Add a trailing slash (a folder's index).
    Redirect(String),
    /// The live-reload long poll.
    Poll(u64),
    NotFound,
    /// A path that tries to leave the site.
    Forbidden,
}

/// Decodes `%XX` escapes; `None` when they are malformed or not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Resolves a request URL against the site's files.
pub fn route(url: &str, base: &str, files: &Files) -> Route {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let Some(path) = percent_decode(path) else {
        return Route::Forbidden;
    };
    if path.contains('\\') || path.contains('\0') || !path.starts_with('/') {
        return Route::Forbidden;
    }
    if path.split('/').any(|seg| seg == ".." || seg == ".") {
        return Route::Forbidden;
    }
    if base != "/" && path == base.trim_end_matches('/') {
        return Route::Redirect(base.to_string());
    }
    let Some(rel) = path.strip_prefix(base) else {
        return if path == "/" {
            Route::Redirect(base.to_string())
        } else {
            Route::NotFound
        };
    };
    if rel == "__dossier/poll" {
        let since = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("since="))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        return Route::Poll(since);
    }
    if rel.split('/').any(|seg| seg.starts_with('.')) {
        return Route::NotFound;
    }
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if files.contains_key(&key) {
        return Route::File(key);
    }
    if files.contains_key(&format!("{key}/index.html")) {
        return Route::Redirect(format!("{base}{rel}/"));
    }
    Route::NotFound
}

/// The content type of a file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Adds a header (names and values here are ASCII constants or site paths, always valid;
/// an invalid one would be left out).
fn with<R: std::io::Read>(r: Response<R>, k: &str, v: &str) -> Response<R> {
    match Header::from_bytes(k.as_bytes(), v.as_bytes()) {
        Ok(h) => r.with_header(h),
        Err(()) => r,
    }
}

/// A JSON string literal, safe inside a `<script>` element.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

const LIVE_SCRIPT: &str = r#"<script id="dossier-live">
(function () {
  var base = __BASE__, gen = __GEN__;
  function overlay(text) {
    var o = document.getElementById("dossier-overlay");
    if (!text) { if (o) o.remove(); return; }
    if (!o) {
      o = document.createElement("div");
      o.id = "dossier-overlay";
      o.setAttribute("role", "alert");
      o.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;z-index:2147483647;background:#2b0b0e;color:#ffe8e8;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;padding:12px 16px;border-top:4px solid #e5484d;box-shadow:0 -4px 16px rgba(0,0,0,.4)";
      document.body.appendChild(o);
    }
    o.textContent = "";
    var h = document.createElement("strong");
    h.textContent = "dossier: the last save has errors. This page shows the last good build.";
    var p = document.createElement("pre");
    p.style.whiteSpace = "pre-wrap";
    p.style.margin = "8px 0 0";
    p.textContent = text;
    o.appendChild(h);
    o.appendChild(p);
  }
  function poll() {
    fetch(base + "__dossier/poll?since=" + gen, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.generation !== gen) {
          gen = s.generation;
          if (s.ok) { location.reload(); return; }
          overlay(s.errors);
        }
        poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  overlay(__ERRORS__);
  poll();
})();
</script>
"#;

fn inject(html: &[u8], base: &str, generation: u64, errors: Option<&str>) -> Vec<u8> {
    let script = LIVE_SCRIPT
        .replace("__BASE__", &json_string(base))
        .replace("__GEN__", &generation.to_string())
        .replace(
            "__ERRORS__",
            &errors.map_or("null".to_string(), json_string),
        );
    let text = String::from_utf8_lossy(html);
    let out = match text.rfind("</body>") {
        Some(i) => format!("{}{script}{}", &text[..i], &text[i..]),
        None => format!("{text}{script}"),
    };
    out.into_bytes()
}

fn handle(req: Request, shared: &Arc<Shared>) {
    let method = req.method().clone();
    if method != Method::Get && method != Method::Head {
        let _ = req.respond(with(
            Response::from_string("method not allowed").with_status_code(405),
            "Allow",
            "GET, HEAD",
        ));
        return;
    }
    let (files, generation, errors) = shared.snapshot();
    let base = shared.base_path.as_str();
    if files.is_empty() && !req.url().contains("__dossier/poll") {
        // No good build yet: a page that shows the errors and reloads once they are fixed.
        let page = b"<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>dossier</title></head>\n<body>\n<p>dossier has no good build of this dossier yet: fix the errors shown below (and in the terminal); this page reloads by itself.</p>\n</body>\n</html>\n";
        let resp = Response::from_data(inject(page, base, generation, errors.as_deref()))
            .with_status_code(503);
        let _ = req.respond(with(resp, "Content-Type", "text/html; charset=utf-8"));
        return;
    }
    match route(req.url(), base, &files) {
        Route::File(key) => {
            let body = &files[&key];
            let ct = content_type(&key);
            let bytes = if ct.starts_with("text/html") {
                inject(body, base, generation, errors.as_deref())
            } else {
                body.to_vec()
            };
            let _ = req.respond(with(
                with(Response::from_data(bytes), "Content-Type", ct),
                "Cache-Control",
                "no-store",
            ));
        }
        Route::Redirect(to) => {
            let _ = req.respond(with(Response::empty(301), "Location", &to));
        }
        Route::Poll(since) => {
            let shared = shared.clone();
            thread::spawn(move || {
                let (g, e) = if since == generation {
                    shared.wait_change(since, Duration::from_secs(25))
                } else {
                    (generation, errors)
                };
                let body = format!(
                    "{{\"generation\":{g},\"ok\":{},\"errors\":{}}}",
                    e.is_none(),
                    e.as_deref().map_or("null".to_string(), json_string)
                );
                let _ = req.respond(with(
                    with(
                        Response::from_string(body),
                        "Content-Type",
                        "application/json",
                    ),
                    "Cache-Control",
                    "no-store",
                ));
            });
        }
        Route::NotFound | Route::Forbidden => {
            let status = 404;
            match files.get("404.html") {
                Some(b) => {
                    let page = Response::from_data(inject(b, base, generation, errors.as_deref()))
                        .with_status_code(status);
                    let _ = req.respond(with(page, "Content-Type", "text/html; charset=utf-8"));
                }
                None => {
                    let _ =
                        req.respond(Response::from_string("not found").with_status_code(status));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Files {
        [
            "index.html",
            "claims/a/index.html",
            "static/style.css",
            "404.html",
        ]
        .iter()
        .map(|p| (p.to_string(), Arc::from(&b"x"[..])))
        .collect()
    }

    #[test]
    fn routes() {
        let f = site();
        assert_eq!(route("/", "/", &f), Route::File("index.html".into()));
        assert_eq!(
            route("/claims/a/", "/", &f),
            Route::File("claims/a/index.html".into())
        );
        assert_eq!(
            route("/claims/a", "/", &f),
            Route::Redirect("/claims/a/".into())
        );
        assert_eq!(
            route("/static/style.css?v=1", "/", &f),
            Route::File("static/style.css".into())
        );
        assert_eq!(route("/nope/", "/", &f), Route::NotFound);
        assert_eq!(route("/__dossier/poll?since=7", "/", &f), Route::Poll(7));
    }

    #[test]
    fn sub_path() {
        let f = site();
        assert_eq!(
            route("/d/claims/a/", "/d/", &f),
            Route::File("claims/a/index.html".into())
        );
        assert_eq!(route("/d", "/d/", &f), Route::Redirect("/d/".into()));
        assert_eq!(route("/", "/d/", &f), Route::Redirect("/d/".into()));
        assert_eq!(route("/claims/a/", "/d/", &f), Route::NotFound);
        assert_eq!(base_path("https://example.org/d/"), "/d/");
        assert_eq!(base_path("https://example.org"), "/");
        assert_eq!(base_path("/d"), "/d/");
    }

    #[test]
    fn never_leaves_the_site() {
        let f = site();
        for bad in [
            "/../etc/passwd",
            "/claims/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/claims%2f..%2f..%2fetc/passwd",
            "/..\\..\\etc\\passwd",
            "/%5c..%5cetc",
            "/./index.html",
            "/%zz",
        ] {
            assert_eq!(route(bad, "/", &f), Route::Forbidden, "{bad}");
        }
        assert_eq!(route("/.dossier-manifest", "/", &f), Route::NotFound);
    }

    #[test]
    fn json_is_script_safe() {
        assert_eq!(
            json_string("a\"</script>\n"),
            "\"a\\\"\\u003c/script\\u003e\\n\""
        );
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("static/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("static/favicon.svg"), "image/svg+xml");
    }
}
