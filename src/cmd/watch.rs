//! `dossier watch` and `dossier serve`: rebuild on every save; serve with live reload.
//!
//! One loop drives both: it waits for a batch of changed paths, collects whatever else arrived
//! meanwhile, and rebuilds once with the session (so builds never overlap, and changes that
//! arrive during a build cause exactly one more build after it). A failed build prints its
//! errors and keeps the last good site, on disk and in the browser; so does a build that
//! panics (a bug), after which the next save rebuilds with a fresh session.
//!
//! `watch` writes the output folder (public/). `serve` builds in memory and leaves public/
//! alone (unless `--output` names a folder); it builds with the path of the configured
//! base URL on the local server's address, so every link stays on the preview. The loop runs
//! on the calling thread; the server runs on its own (see [`crate::serve`]) and is handed
//! each good site.

use std::io::IsTerminal;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::{ServeArgs, WatchArgs, plural, print_failure};
use crate::build::{self, Failure, Options, Report, Session};
use crate::diag;
use crate::load;
use crate::serve::{self, Preview};
use crate::watch::{self, Event};

pub fn watch(a: &WatchArgs) -> ExitCode {
    run(a, None)
}

pub fn serve(a: &ServeArgs) -> ExitCode {
    run(&a.watch, Some(a))
}

/// How one rebuild went.
enum Built {
    Ok(Report),
    Failed(Failure),
    /// The rebuild panicked (a bug in dossier); the message.
    Panicked(String),
}

/// What the loop drives: the session, and for `serve` the preview server.
struct Driver {
    root: PathBuf,
    /// Where the site is written: public/ for `watch`, nowhere for `serve` (unless
    /// `--output` is given).
    output: Option<PathBuf>,
    /// `--base-url`.
    cli_base_url: Option<String>,
    poll: bool,
    quiet: bool,
    session: Session,
    /// The base URL the session builds with (for `serve`: on the local server).
    base_url: Option<String>,
    preview: Option<Preview>,
    /// For `serve`: the local server's origin links use (`None`: host-relative links).
    origin: Option<String>,
}

impl Driver {
    fn new(a: &WatchArgs, output: Option<PathBuf>, preview: Option<Preview>) -> Driver {
        let root = a.common.root.clone();
        let origin = preview
            .as_ref()
            .and_then(|p| serve::origin(&p.local_addr()));
        let cli_base_url = a.common.base_url.clone();
        let base_url = match &preview {
            Some(_) => Some(served_base_url(
                &root,
                cli_base_url.as_deref(),
                origin.as_deref(),
                None,
            )),
            None => cli_base_url.clone(),
        };
        let session = new_session(&root, &output, &base_url, a.poll);
        Driver {
            root,
            output,
            cli_base_url,
            poll: a.poll,
            quiet: a.common.quiet,
            session,
            base_url,
            preview,
            origin,
        }
    }

    fn new_session(&self) -> Session {
        new_session(&self.root, &self.output, &self.base_url, self.poll)
    }
    /// Rebuilds with the session.
    fn rebuild(&mut self) -> Built {
        self.rebuild_with(Session::rebuild)
    }

    /// Rebuilds with `f`, and hands the result to the server. The base path follows
    /// site.yaml: when it changed, the session starts afresh (every page changes anyway).
    fn rebuild_with(&mut self, f: impl FnOnce(&mut Session) -> Result<Report, Failure>) -> Built {
        if self.preview.is_some() {
            let want = served_base_url(
                &self.root,
                self.cli_base_url.as_deref(),
                self.origin.as_deref(),
                self.base_url.as_deref(),
            );
            if self.base_url.as_deref() != Some(want.as_str()) {
                self.base_url = Some(want);
                self.session = self.new_session();
            }
        }
        // A panic (in this thread or in a rayon worker, which rayon passes on to this thread)
        // must not end the preview: the last good site stays, and the caches the panic may
        // have left half updated are dropped with the session.
        match catch_unwind(AssertUnwindSafe(|| f(&mut self.session))) {
            Ok(Ok(r)) => Built::Ok(r),
            Ok(Err(f)) => Built::Failed(f),
            Err(payload) => {
                self.session = self.new_session();
                Built::Panicked(panic_message(payload.as_ref()))
            }
        }
    }

    /// Prints how a rebuild went (after `changed`, unless it is the first) and hands it to
    /// the server.
    fn report(&self, built: &Built, changed: &[PathBuf], started: Instant) {
        match built {
            Built::Ok(r) => {
                if !self.quiet {
                    let ms = started.elapsed().as_millis();
                    let into = match &self.output {
                        Some(o) => format!("into {}", o.display()),
                        None => "in memory".to_string(),
                    };
                    if changed.is_empty() {
                        println!(
                            "built {} claim{} ({} disputed) from {} source{} {into} in {ms} ms",
                            r.claims,
                            super::plural(r.claims),
                            r.disputed,
                            r.sources,
                            super::plural(r.sources),
                        );
                    } else {
                        let names: Vec<String> = changed
                            .iter()
                            .map(|p| {
                                p.strip_prefix(&self.root)
                                    .unwrap_or(p)
                                    .display()
                                    .to_string()
                            })
                            .take(3)
                            .collect();
                        let written = match &r.written {
                            Some(w) => format!(", {} written, {} removed", w.written, w.removed),
                            None => String::new(),
                        };
                        println!(
                            "rebuilt after {} in {ms} ms: {} page{} rendered{written}",
                            names.join(", "),
                            r.pages,
                            plural(r.pages),
                        );
                    }
                }
                if !r.warnings.is_empty() {
                    let color = std::io::stderr().is_terminal();
                    eprint!("{}", diag::render(&r.warnings, &r.sources_text, color));
                }
                if let (Some(p), Some(files)) = (&self.preview, self.session.files()) {
                    let base = serve::base_path(self.base_url.as_deref().unwrap_or("/"));
                    p.update_ok(files, &base);
                }
            }
            Built::Failed(f) => {
                let text = print_failure(f, "keeping the last good site");
                if let Some(p) = &self.preview {
                    p.update_err(&text);
                }
            }
            Built::Panicked(msg) => {
                let text = format!(
                    "internal error: the rebuild panicked: {msg}\nThis is a bug in dossier; please report it. The last good site is kept, and the next save rebuilds from scratch."
                );
                eprintln!("dossier: error: {text}");
                if let Some(p) = &self.preview {
                    p.update_err(&text);
                }
            }
        }
    }
}

fn new_session(
    root: &Path,
    output: &Option<PathBuf>,
    base_url: &Option<String>,
    poll: bool,
) -> Session {
    let mut s = Session::new(Options {
        root: root.to_path_buf(),
        output: output.clone(),
        base_url: base_url.clone(),
    });
    // Polling is for file systems whose events cannot be trusted: nor can their times.
    s.trust_metadata(!poll);
    s
}

/// For `serve`: the base URL to build with: the path of `--base-url` (`cli`) or of
/// site.yaml's `base_url`, on the local server (`origin`; host-relative without one). When
/// site.yaml cannot be read as it is (a save half done, a syntax error), `current`.
fn served_base_url(
    root: &Path,
    cli: Option<&str>,
    origin: Option<&str>,
    current: Option<&str>,
) -> String {
    let configured = match cli {
        Some(b) => Some(b.to_string()),
        None => match site_base_url(root) {
            Ok(b) => b,
            Err(()) => {
                if let Some(c) = current {
                    return c.to_string();
                }
                None
            }
        },
    };
    // An invalid base_url is reported by the build (it reads site.yaml too).
    let url = configured
        .and_then(|b| load::normalize_base_url(&b).ok())
        .unwrap_or_else(|| "/".to_string());
    let path = serve::base_path(&url);
    match origin {
        Some(o) => format!("{o}{path}"),
        None => path,
    }
}

/// The text of a panic's payload.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(no message)".to_string()
    }
}

fn run(a: &WatchArgs, serve_args: Option<&ServeArgs>) -> ExitCode {
    let output = match serve_args {
        // `serve` builds in memory; it writes only where it is told to.
        Some(_) => a.output.clone(),
        None => Some(
            a.output
                .clone()
                .unwrap_or_else(|| build::default_output(&a.common.root)),
        ),
    };

    let (tx, rx) = mpsc::channel::<Event>();
    let stop_tx = tx.clone();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop_tx.send(Event::Stop);
    }) {
        eprintln!("dossier: warning: cannot catch Ctrl-C: {e}");
    }

    // The server listens before the first build: the links are built with its address.
    let preview = match serve_args {
        Some(s) => match serve::start(&s.bind, s.port, "/", serve::Limits::default()) {
            Ok(p) => Some(p),
            Err(e) => {
                eprintln!("dossier: error: {e}");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let mut d = Driver::new(a, output, preview);

    let started = Instant::now();
    let first = d.rebuild();
    if let Built::Failed(Failure::Usage(msg)) = &first {
        eprintln!("dossier: error: {msg}");
        return ExitCode::from(2);
    }
    d.report(&first, &[], started);

    if let (Some(s), Some(p)) = (serve_args, &d.preview) {
        let addr = p.local_addr();
        let shown = match addr {
            std::net::SocketAddr::V4(a) if a.ip().is_unspecified() => {
                format!("http://127.0.0.1:{}", a.port())
            }
            std::net::SocketAddr::V6(a) if a.ip().is_unspecified() => {
                format!("http://[::1]:{}", a.port())
            }
            _ => serve::origin(&addr).unwrap_or_default(),
        };
        let url = format!(
            "{shown}{}",
            serve::base_path(d.base_url.as_deref().unwrap_or("/"))
        );
        if serve::is_public(&addr) {
            eprintln!(
                "dossier: warning: listening on {addr}: the preview is visible to other machines on the network"
            );
        }
        println!("serving {url} (Ctrl-C to stop)");
        if s.open {
            open_browser(&url);
        }
    }

    let _watcher = match watch::start(
        &d.root,
        d.output.as_deref(),
        a.poll,
        Duration::from_millis(a.debounce),
        tx,
    ) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("dossier: error: {e}");
            return ExitCode::from(2);
        }
    };
    if !a.common.quiet {
        println!(
            "watching {} for changes{}",
            d.root.join("content").display(),
            if a.poll { " (polling)" } else { "" }
        );
    }

    while let Ok(first_event) = rx.recv() {
        let mut events = vec![first_event];
        // Whatever else arrived meanwhile joins this build.
        while let Ok(e) = rx.try_recv() {
            events.push(e);
        }
        if events.iter().any(|e| matches!(e, Event::Stop)) {
            break;
        }
        let mut changed: Vec<PathBuf> = Vec::new();
        for e in events {
            match e {
                Event::Changed(p) => changed.extend(p),
                Event::Error(msg) => eprintln!("dossier: warning: watcher: {msg}"),
                Event::Stop => {}
            }
        }
        if changed.is_empty() {
            continue;
        }
        let started = Instant::now();
        let built = d.rebuild();
        d.report(&built, &changed, started);
    }
    if !a.common.quiet {
        match &d.output {
            Some(o) => println!("stopped; {} is as last built", o.display()),
            None => println!("stopped"),
        }
    }
    ExitCode::SUCCESS
}

/// The base_url of site.yaml, read directly (the session reads it too, but the server needs
/// it before a build, and after a failed one). `Err` when site.yaml cannot be read or parsed
/// as it is; `Ok(None)` when it has no base_url.
fn site_base_url(root: &Path) -> Result<Option<String>, ()> {
    let text = match std::fs::read_to_string(root.join(crate::model::SITE_FILE)) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(_) => return Err(()),
    };
    let node = crate::yaml::parse(&text, 0).map_err(|_| ())?;
    Ok(match node.value {
        crate::yaml::Yaml::Map(m) => m
            .into_iter()
            .find(|(k, _)| k == "base_url")
            .and_then(|(_, v)| v.as_scalar()),
        _ => None,
    })
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(cmd).arg(url).spawn() {
        eprintln!("dossier: could not open a browser ({cmd}: {e}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cmd::CommonArgs;
    use rayon::prelude::*;
    use std::io::{Read, Write};

    fn dossier(dir: &Path, base_url: &str) {
        let w = |rel: &str, text: &str| {
            let p = dir.join(rel);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, text).expect("write");
        };
        w(
            "content/site.yaml",
            &format!("title: \"Panic test\"\nbase_url: \"{base_url}\"\n"),
        );
        w(
            "content/articles/alpha.md",
            "---\ntitle: \"Alpha\"\noutlet: \"Alpha Times\"\n---\nThe bridge reopened on Monday.\n",
        );
        w(
            "content/claims.yaml",
            "- id: reopened\n  claim: \"The bridge reopened.\"\n  quotes:\n    - source: alpha\n      text: \"The bridge reopened on Monday\"\n",
        );
    }

    fn get(addr: std::net::SocketAddr, path: &str) -> (u16, String) {
        let mut s = std::net::TcpStream::connect(addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).expect("read");
        let text = String::from_utf8_lossy(&buf).to_string();
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .expect("status");
        (status, text)
    }

    fn args(root: &Path) -> WatchArgs {
        WatchArgs {
            common: CommonArgs {
                root: root.to_path_buf(),
                base_url: None,
                quiet: true,
                timings: false,
            },
            output: None,
            poll: false,
            debounce: 50,
        }
    }

    /// A panic in a rayon worker during a rebuild: the preview keeps the last good site,
    /// shows the panic as an error, and the next rebuild works (with a fresh session).
    #[test]
    fn a_panicking_rebuild_keeps_the_preview() {
        let tmp = tempfile::tempdir().expect("tmp");
        dossier(tmp.path(), "https://example.org/d/");
        let p = serve::start("127.0.0.1", 0, "/", serve::Limits::default()).expect("start");
        let addr = p.local_addr();
        let mut d = Driver::new(&args(tmp.path()), None, Some(p));
        let first = d.rebuild();
        let Built::Ok(r) = &first else {
            panic!("the first build failed");
        };
        let all_pages = r.pages;
        d.report(&first, &[], Instant::now());
        let (st, page) = get(addr, "/d/claims/reopened/");
        assert_eq!(st, 200, "{page}");
        // The host of base_url is replaced by the local server's.
        assert!(
            page.contains(&format!("href=\"http://{addr}/d/static/style.css\"")),
            "{page}"
        );
        assert!(!page.contains("example.org/d/"), "{page}");

        let built = d.rebuild_with(|s| {
            let _ = s.files();
            (0..64).into_par_iter().for_each(|i| {
                if i == 37 {
                    panic!("boom in worker {i}");
                }
            });
            unreachable!("the panic ends the rebuild")
        });
        let Built::Panicked(msg) = &built else {
            panic!("the panic was not caught");
        };
        assert!(msg.contains("boom in worker 37"), "{msg}");
        d.report(&built, &[PathBuf::from("x")], Instant::now());
        let (st, page) = get(addr, "/d/claims/reopened/");
        assert_eq!(st, 200, "the last good site is still served");
        assert!(page.contains("The bridge reopened."), "{page}");
        assert!(
            page.contains("the rebuild panicked: boom in worker 37"),
            "{page}"
        );
        let (_, poll) = get(addr, "/d/__dossier/poll?since=0");
        assert!(poll.contains("\"ok\":false"), "{poll}");

        // The next save rebuilds, from scratch, and clears the error.
        let claims = tmp.path().join("content/claims.yaml");
        let text = std::fs::read_to_string(&claims).expect("read");
        std::fs::write(&claims, text.replace("reopened.\"", "reopened again.\"")).expect("edit");
        let again = d.rebuild();
        let Built::Ok(r) = &again else {
            panic!("the rebuild after a panic failed");
        };
        assert_eq!(r.pages, all_pages, "a full rebuild");
        d.report(&again, &[claims], Instant::now());
        let (_, page) = get(addr, "/d/claims/reopened/");
        assert!(page.contains("The bridge reopened again."), "{page}");
        assert!(!page.contains("panicked"), "{page}");
    }

    /// The base path follows site.yaml without a restart; a broken site.yaml keeps it.
    #[test]
    fn the_base_path_follows_site_yaml() {
        let tmp = tempfile::tempdir().expect("tmp");
        dossier(tmp.path(), "/one/");
        let p = serve::start("127.0.0.1", 0, "/", serve::Limits::default()).expect("start");
        let addr = p.local_addr();
        let mut d = Driver::new(&args(tmp.path()), None, Some(p));
        let b = d.rebuild();
        d.report(&b, &[], Instant::now());
        assert_eq!(get(addr, "/one/").0, 200);
        let site = tmp.path().join("content/site.yaml");
        std::fs::write(
            &site,
            "title: \"Panic test\"\nbase_url: \"https://example.org/two/\"\n",
        )
        .expect("edit");
        let b = d.rebuild();
        d.report(&b, std::slice::from_ref(&site), Instant::now());
        let (st, page) = get(addr, "/two/");
        assert_eq!(st, 200, "{page}");
        assert!(
            page.contains(&format!("href=\"http://{addr}/two/sources/\"")),
            "{page}"
        );
        assert_eq!(get(addr, "/one/").0, 404, "the old path is gone");
        std::fs::write(&site, "title: [unclosed\n").expect("break");
        let origin = format!("http://{addr}");
        assert_eq!(
            served_base_url(tmp.path(), None, Some(&origin), d.base_url.as_deref()),
            format!("http://{addr}/two/")
        );
        assert_eq!(
            served_base_url(tmp.path(), Some("https://x.org/cli/"), Some(&origin), None),
            format!("http://{addr}/cli/")
        );
    }
}
