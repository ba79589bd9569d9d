//! The preview server: the only module that knows about hyper and tokio.
//!
//! It serves the last good build *from memory* (the bytes a build makes, never read back from
//! disk), under the site's `base_url` path, so a sub-path deployment previews as it will be
//! published. Because it only ever looks paths up in that in-memory map, no request can reach
//! a file outside the site, whatever `..`, percent-encoding, backslashes or symlinks it tries;
//! such paths are refused before the lookup anyway ([`route`]).
//!
//! Into every HTML page it adds a small script that long-polls `__dossier/poll`: after a
//! successful rebuild the page reloads itself; after a failed one it shows the errors in an
//! overlay and keeps the page as it was, until a save fixes them. What is built never
//! contains that script.
//!
//! The server runs on its own tokio runtime (two worker threads, started by [`start`]); the
//! rebuild loop stays synchronous on its own thread and hands each new site over through a
//! [`tokio::sync::watch`] channel ([`Preview::update_ok`], [`Preview::update_err`]). Every
//! connection is a task of its own, so no client can hold up another, and every resource a
//! client can make the server hold is bounded ([`Limits`]): connections, pending reload
//! waits, the size of a request head, the time to send one, and the time a client may take
//! to read an answer. See docs/notes/serve-design.md for why hyper.

use std::convert::Infallible;
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::{Semaphore, oneshot, watch};
use tokio_io_timeout::TimeoutStream;

use crate::output::Files;

/// What a client can make the server hold, at most.
#[derive(Clone, Debug)]
pub struct Limits {
    /// From the moment a connection waits for a request until its head (request line and
    /// headers) has arrived: a slow-header client, and an idle keep-alive connection, are
    /// dropped after this.
    pub header_timeout: Duration,
    /// How long a write may make no progress: a client that stops reading its answers (say,
    /// one that pipelines requests and never reads) is dropped after this.
    pub write_timeout: Duration,
    /// The largest request head (request line and headers) read; a larger one is answered
    /// 431. (hyper reads at most this much of a request before it can parse it.)
    pub max_head: usize,
    /// The longest request target (path and query) answered; a longer one (inside a head that
    /// fits `max_head`) is answered 414.
    pub max_target: usize,
    /// Open connections at once; one more is answered 503 and closed.
    pub max_connections: usize,
    /// Live-reload polls waiting at once; one more is answered 503 at once (the page asks
    /// again a second later).
    pub max_waits: usize,
    /// How long a live-reload poll waits for a rebuild before it is answered anyway.
    pub poll_wait: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
            max_head: 64 * 1024,
            max_target: 8 * 1024,
            max_connections: 4096,
            max_waits: 4096,
            poll_wait: Duration::from_secs(25),
        }
    }
}

/// What the server shows: the last good site and how the last rebuild went.
#[derive(Clone)]
struct Snapshot {
    /// The last good site: path -> bytes (empty until a first good build).
    files: Arc<Files>,
    /// Counts rebuild attempts, good or bad; 0 until the first one is done.
    generation: u64,
    /// The errors of the last attempt, if it failed (plain text).
    errors: Option<Arc<str>>,
    /// The path the site is served under: `/` or `/sub/`.
    base: Arc<str>,
}

/// A running preview server. Dropping it stops the server.
pub struct Preview {
    tx: watch::Sender<Snapshot>,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Preview {
    /// The address the server listens on (with the port chosen when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// A rebuild succeeded: serve its files under `base_path` and tell the open pages to
    /// reload.
    pub fn update_ok(&self, files: Arc<Files>, base_path: &str) {
        self.tx.send_modify(|s| {
            s.files = files;
            s.generation += 1;
            s.errors = None;
            if *s.base != *base_path {
                s.base = Arc::from(base_path);
            }
        });
    }

    /// A rebuild failed: keep serving the last good site and show the errors.
    pub fn update_err(&self, errors: &str) {
        self.tx.send_modify(|s| {
            s.generation += 1;
            s.errors = Some(Arc::from(errors));
        });
    }

    /// The number of rebuild attempts reported so far.
    pub fn generation(&self) -> u64 {
        self.tx.borrow().generation
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Whether serving on `addr` is visible to other machines.
pub(crate) fn is_public(addr: &SocketAddr) -> bool {
    !addr.ip().is_loopback()
}

/// The origin (`http://host:port`) links should use to stay on a server listening on
/// `addr`; `None` when it listens on every interface (`0.0.0.0`, `::`), where only the
/// browser knows which name it used, so links must be host-relative.
pub fn origin(addr: &SocketAddr) -> Option<String> {
    if addr.ip().is_unspecified() {
        return None;
    }
    Some(match addr {
        SocketAddr::V4(a) => format!("http://{}:{}", a.ip(), a.port()),
        SocketAddr::V6(a) => format!("http://[{}]:{}", a.ip(), a.port()),
    })
}

/// Starts the server on `bind`:`port` (a port of 0 picks a free one), serving under
/// `base_path` until the first [`Preview::update_ok`] says otherwise. Pages asked for before
/// the first rebuild is reported get a page that reloads itself when it is done.
pub fn start(bind: &str, port: u16, base_path: &str, limits: Limits) -> Result<Preview, String> {
    let addr = (bind, port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot listen on {bind}:{port}: {e}"))?
        .next()
        .ok_or_else(|| format!("cannot listen on {bind}:{port}: the name has no address"))?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("dossier-serve")
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the preview server: {e}"))?;
    let listener = {
        let _guard = rt.enter();
        listen(addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?
    };
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let (tx, rx) = watch::channel(Snapshot {
        files: Arc::new(Files::new()),
        generation: 0,
        errors: None,
        base: Arc::from(base_path),
    });
    let (stop, stopped) = oneshot::channel();
    let thread = std::thread::Builder::new()
        .name("dossier-serve".to_string())
        .spawn(move || {
            rt.block_on(accept_loop(listener, rx, limits, stopped));
            rt.shutdown_timeout(Duration::from_secs(1));
        })
        .map_err(|e| format!("cannot start the preview server: {e}"))?;
    Ok(Preview {
        tx,
        addr,
        stop: Some(stop),
        thread: Some(thread),
    })
}

fn listen(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = match addr {
        SocketAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
        SocketAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
    };
    // Restarting `serve` right after Ctrl-C must not fail on the old connections' TIME_WAIT.
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    // A deeper queue than the usual 128, so a burst of connections is not dropped.
    socket.listen(1024)
}

/// What every connection's handler shares.
#[derive(Clone)]
struct Context {
    rx: watch::Receiver<Snapshot>,
    waits: Arc<Semaphore>,
    limits: Arc<Limits>,
}

/// The answer to a connection over the cap, written before closing it.
const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

async fn accept_loop(
    listener: tokio::net::TcpListener,
    rx: watch::Receiver<Snapshot>,
    limits: Limits,
    mut stop: oneshot::Receiver<()>,
) {
    let connections = Arc::new(Semaphore::new(limits.max_connections));
    let cx = Context {
        rx,
        waits: Arc::new(Semaphore::new(limits.max_waits)),
        limits: Arc::new(limits),
    };
    loop {
        let accepted = tokio::select! {
            _ = &mut stop => return,
            a = listener.accept() => a,
        };
        let stream = match accepted {
            Ok((s, _)) => s,
            Err(_) => {
                // Out of file descriptors, most likely: the connections open now must close
                // first; do not spin meanwhile.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        // Without it, a keep-alive connection waits ~40 ms per answer (Nagle's algorithm
        // holding the last segment until the client's delayed ACK).
        let _ = stream.set_nodelay(true);
        let Ok(permit) = connections.clone().try_acquire_owned() else {
            // The socket's buffer is empty: this small write cannot block.
            let _ = stream.try_write(BUSY);
            continue;
        };
        let cx = cx.clone();
        tokio::spawn(async move {
            let _permit = permit;
            // A connection costs hyper's buffers (some 24 KB) only once it has sent something;
            // until then it is this small task. Silence past the header timeout ends it.
            // (`peek`, not `readable`: tokio takes a new socket to be readable until a read
            // says otherwise.)
            let mut first = [0u8; 1];
            match tokio::time::timeout(cx.limits.header_timeout, stream.peek(&mut first)).await {
                Ok(Ok(n)) if n > 0 => {}
                _ => return,
            }
            let mut io = TimeoutStream::new(stream);
            io.set_write_timeout(Some(cx.limits.write_timeout));
            let limits = cx.limits.clone();
            let service = service_fn(move |req| {
                let cx = cx.clone();
                async move { Ok::<_, Infallible>(respond(req, &cx).await) }
            });
            // The error (a timeout, a reset, a malformed request already answered 400) ends
            // only this connection.
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .max_buf_size(limits.max_head)
                .serve_connection(TokioIo::new(Box::pin(io)), service)
                .await;
        });
    }
}

type Answer = Response<Full<Bytes>>;

fn answer(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Answer {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

const TEXT: &str = "text/plain; charset=utf-8";
const HTML: &str = "text/html; charset=utf-8";

async fn respond(req: Request<Incoming>, cx: &Context) -> Answer {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = answer(StatusCode::METHOD_NOT_ALLOWED, TEXT, "method not allowed\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let target = req.uri().path_and_query().map_or("/", |p| p.as_str());
    if target.len() > cx.limits.max_target {
        return answer(StatusCode::URI_TOO_LONG, TEXT, "request target too long\n");
    }
    let snap = cx.rx.borrow().clone();
    let route = route(target, &snap.base, &snap.files);
    // The request's parts point into hyper's read buffer: while they live, hyper reads the
    // next request into a new one. A poll may wait for minutes; drop them first.
    drop(req);
    if snap.files.is_empty() && !matches!(route, Route::Poll(_)) {
        return no_site_yet(&snap);
    }
    match route {
        Route::File(key) => {
            let ct = content_type(&key);
            let body = &snap.files[&key];
            let bytes = if ct == HTML {
                Bytes::from(inject(body, &snap))
            } else {
                // The site's own bytes, shared, not copied.
                Bytes::from_owner(body.clone())
            };
            answer(StatusCode::OK, ct, bytes)
        }
        Route::Redirect(to) => {
            let mut r = answer(StatusCode::MOVED_PERMANENTLY, TEXT, "");
            if let Ok(v) = HeaderValue::from_str(&encode_location(&to)) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Route::Poll(since) => poll(since, snap, cx).await,
        Route::NotFound | Route::Forbidden => match snap.files.get("404.html") {
            Some(page) => answer(StatusCode::NOT_FOUND, HTML, inject(page, &snap)),
            None => answer(StatusCode::NOT_FOUND, TEXT, "not found\n"),
        },
    }
}

/// The page for any request before a first good build.
fn no_site_yet(snap: &Snapshot) -> Answer {
    let why = if snap.generation == 0 {
        "dossier is building the site"
    } else {
        "dossier has no good build of this dossier yet: fix the errors shown below (and in the terminal)"
    };
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>dossier</title></head>\n<body>\n<p>{why}; this page reloads by itself.</p>\n</body>\n</html>\n"
    );
    let mut r = answer(
        StatusCode::SERVICE_UNAVAILABLE,
        HTML,
        inject(page.as_bytes(), snap),
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    r
}

/// A live-reload poll: answered as soon as the generation differs from `since`, or after
/// [`Limits::poll_wait`]. A waiting poll is a parked task on the runtime, not a thread.
async fn poll(since: u64, snap: Snapshot, cx: &Context) -> Answer {
    let snap = if snap.generation != since {
        snap
    } else {
        let Ok(_permit) = cx.waits.try_acquire() else {
            let mut r = answer(
                StatusCode::SERVICE_UNAVAILABLE,
                TEXT,
                "too many pages are waiting for a rebuild; ask again later\n",
            );
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            return r;
        };
        let mut rx = cx.rx.clone();
        let waited =
            tokio::time::timeout(cx.limits.poll_wait, rx.wait_for(|s| s.generation != since)).await;
        let got = match waited {
            Ok(Ok(s)) => Some(s.clone()),
            // Timed out (or the server is stopping): the page asks again.
            _ => None,
        };
        got.unwrap_or_else(|| cx.rx.borrow().clone())
    };
    let e = snap.errors.as_deref();
    let body = format!(
        "{{\"generation\":{},\"ok\":{},\"errors\":{}}}",
        snap.generation,
        e.is_none(),
        e.map_or("null".to_string(), json_string)
    );
    answer(StatusCode::OK, "application/json", body)
}

/// Percent-encodes what may not stand in a `Location` header (the path is decoded, and a
/// base path may hold any character).
fn encode_location(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The path part of a base URL: `/`, `/sub/` (from `https://host/sub/` too).
pub fn base_path(base_url: &str) -> String {
    let rest = base_url
        .strip_prefix("https://")
        .or_else(|| base_url.strip_prefix("http://"))
        .map(|r| r.find('/').map_or("/", |i| &r[i..]))
        .unwrap_or(base_url);
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let mut p = rest.to_string();
    if !p.starts_with('/') {
        p.insert(0, '/');
    }
    if !p.ends_with('/') {
        p.push('/');
    }
    p
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

/// Decodes `%XX` escapes; `None` when they are malformed or not UTF-8 (which refuses overlong
/// encodings such as `%C0%AE` for `.`).
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
    let (raw_path, query) = url.split_once('?').unwrap_or((url, ""));
    let Some(path) = percent_decode(raw_path) else {
        return Route::Forbidden;
    };
    if path.contains('\\') || path.contains('\0') || !path.starts_with('/') {
        return Route::Forbidden;
    }
    if path.split('/').any(|seg| seg == ".." || seg == ".") {
        return Route::Forbidden;
    }
    // An encoded slash is part of a name, not a separator (`/__dossier%2Fpoll` is not the
    // live-reload poll, `claims%2Fx/` not the folder claims/x/); no file's name holds one.
    if raw_path
        .as_bytes()
        .windows(3)
        .any(|w| w[0] == b'%' && w[1] == b'2' && w[2].eq_ignore_ascii_case(&b'f'))
    {
        return Route::NotFound;
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
pub(crate) fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => HTML,
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => TEXT,
        "xml" => "application/xml",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// A JSON string literal, safe inside a `<script>` element.
pub(crate) fn json_string(s: &str) -> String {
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
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
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

/// `html` with the live-reload script added before its last `</body>` (or at its end).
fn inject(html: &[u8], snap: &Snapshot) -> Vec<u8> {
    let script = LIVE_SCRIPT
        .replace("__BASE__", &json_string(&snap.base))
        .replace("__GEN__", &snap.generation.to_string())
        .replace(
            "__ERRORS__",
            &snap
                .errors
                .as_deref()
                .map_or("null".to_string(), json_string),
        );
    // `</body>` is near the end: searching backwards finds it at once.
    let at = html
        .windows(7)
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
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
        assert_eq!(base_path("http://127.0.0.1:1111/d/"), "/d/");
        assert_eq!(base_path("https://example.org/d/?x#y"), "/d/");
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
            "/index.html%00",
            "/%00/index.html",
            // Overlong UTF-8 for `.` and `/`: not UTF-8, so refused.
            "/%c0%ae%c0%ae/etc/passwd",
            "/%c0%af..%c0%afetc",
            "/%e0%80%ae%e0%80%ae/",
        ] {
            assert_eq!(route(bad, "/", &f), Route::Forbidden, "{bad}");
        }
        assert_eq!(route("/.dossier-manifest", "/", &f), Route::NotFound);
    }

    #[test]
    fn an_encoded_slash_is_no_separator() {
        // Found by the `serve_route` fuzz target: `%2F` was decoded before the path was
        // split, so `/__dossier%2fpoll` was the live-reload poll.
        let f = site();
        for url in [
            "/__dossier%2fpoll",
            "/__dossier%2Fpoll?since=3",
            "/d/__dossier%2fpoll",
            "/claims%2fa/",
            "/claims%2Fa/index.html",
            "/claims%2fa",
        ] {
            let base = if url.starts_with("/d/") { "/d/" } else { "/" };
            assert_eq!(route(url, base, &f), Route::NotFound, "{url}");
        }
        // Other escapes still decode, and `..` spelled with them is still refused.
        assert_eq!(route("/%5F%5Fdossier/poll", "/", &f), Route::Poll(0));
        assert_eq!(
            route("/claims/%61/", "/", &f),
            Route::File("claims/a/index.html".into())
        );
        assert_eq!(route("/%2e%2e/x", "/", &f), Route::Forbidden);
        assert_eq!(route("/claims/%2e%2e%2fsecret", "/", &f), Route::Forbidden);
    }

    #[test]
    fn locations_are_valid_header_values() {
        assert_eq!(encode_location("/d/claims/a/"), "/d/claims/a/");
        assert_eq!(encode_location("/dossié x/"), "/dossi%C3%A9%20x/");
        assert!(HeaderValue::from_str(&encode_location("/\r\n\u{7f}é/")).is_ok());
    }

    #[test]
    fn origins() {
        let a: SocketAddr = "127.0.0.1:1111".parse().expect("addr");
        assert_eq!(origin(&a).as_deref(), Some("http://127.0.0.1:1111"));
        assert!(!is_public(&a));
        let a: SocketAddr = "[::1]:8080".parse().expect("addr");
        assert_eq!(origin(&a).as_deref(), Some("http://[::1]:8080"));
        assert!(!is_public(&a));
        let a: SocketAddr = "0.0.0.0:1111".parse().expect("addr");
        assert_eq!(origin(&a), None);
        assert!(is_public(&a));
        let a: SocketAddr = "192.168.1.5:1111".parse().expect("addr");
        assert_eq!(origin(&a).as_deref(), Some("http://192.168.1.5:1111"));
        assert!(is_public(&a));
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let snap = Snapshot {
            files: Arc::new(Files::new()),
            generation: 3,
            errors: Some(Arc::from("bad </script>")),
            base: Arc::from("/d/"),
        };
        let out =
            String::from_utf8(inject(b"<body><p>x</p></body>\n</html>\n", &snap)).expect("utf-8");
        assert!(out.starts_with("<body><p>x</p><script id=\"dossier-live\">"));
        assert!(out.ends_with("</script>\n</body>\n</html>\n"));
        assert!(out.contains("var base = \"/d/\", gen = 3;"));
        assert!(out.contains("bad \\u003c/script\\u003e"));
        let out = inject(b"no body", &snap);
        assert!(out.starts_with(b"no body<script"));
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
