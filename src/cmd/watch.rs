//! `dossier watch` and `dossier serve`: rebuild on every save; serve with live reload.
//!
//! One loop drives both: it waits for a batch of changed paths, collects whatever else arrived
//! meanwhile, and rebuilds once with the session (so builds never overlap, and changes that
//! arrive during a build cause exactly one more build after it). A failed build prints its
//! errors and keeps the last good site, on disk and in the browser.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::{ServeArgs, WatchArgs, plural, print_failure};
use crate::build::{self, Failure, Options, Session};
use crate::diag;
use crate::serve;
use crate::watch::{self, Event};

pub fn watch(a: &WatchArgs) -> ExitCode {
    run(a, None)
}

pub fn serve(a: &ServeArgs) -> ExitCode {
    run(&a.watch, Some(a))
}

fn output_of(a: &WatchArgs) -> PathBuf {
    a.output
        .clone()
        .unwrap_or_else(|| build::default_output(&a.common.root))
}

fn run(a: &WatchArgs, serve_args: Option<&ServeArgs>) -> ExitCode {
    let root = a.common.root.clone();
    let output = output_of(a);
    let mut session = Session::new(Options {
        root: root.clone(),
        output: Some(output.clone()),
        base_url: a.common.base_url.clone(),
    });
    // Polling is for file systems whose events cannot be trusted: nor can their times.
    session.trust_metadata(!a.poll);

    let (tx, rx) = mpsc::channel::<Event>();
    let stop_tx = tx.clone();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop_tx.send(Event::Stop);
    }) {
        eprintln!("dossier: warning: cannot catch Ctrl-C: {e}");
    }

    let first = session.rebuild();
    let mut shared = None;
    match &first {
        Ok(r) => {
            if !a.common.quiet {
                println!(
                    "built {} claims ({} disputed) from {} sources into {} in {} ms",
                    r.claims,
                    r.disputed,
                    r.sources,
                    output.display(),
                    r.timings.total.as_millis()
                );
            }
        }
        Err(Failure::Usage(msg)) => {
            eprintln!("dossier: error: {msg}");
            return ExitCode::from(2);
        }
        Err(f) => {
            print_failure(f, "keeping the last good site");
        }
    }

    if let Some(s) = serve_args {
        let base_url = a
            .common
            .base_url
            .clone()
            .or_else(|| site_base_url(&root))
            .unwrap_or_else(|| "/".to_string());
        let base_path = serve::base_path(&base_url);
        let files = session.files().unwrap_or_default();
        let sh = serve::Shared::new(&base_path, files);
        if let Err(Failure::Content {
            diagnostics,
            sources,
        }) = &first
        {
            sh.update_err(diag::render(diagnostics, sources, false));
        }
        let addr = format!("{}:{}", s.bind, s.port);
        if let Err(e) = serve::start(&addr, sh.clone()) {
            eprintln!("dossier: error: {e}");
            return ExitCode::from(2);
        }
        let host = if s.bind.contains(':') {
            format!("[{}]", s.bind)
        } else {
            s.bind.clone()
        };
        let url = format!("http://{host}:{}{base_path}", s.port);
        println!("serving {url} (Ctrl-C to stop)");
        if s.open {
            open_browser(&url);
        }
        shared = Some(sh);
    }

    let _watcher = match watch::start(
        &root,
        Some(&output),
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
            root.join("content").display(),
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
        match session.rebuild() {
            Ok(r) => {
                let w = r.written.clone().unwrap_or_default();
                if !a.common.quiet {
                    let names: Vec<String> = changed
                        .iter()
                        .map(|p| p.strip_prefix(&root).unwrap_or(p).display().to_string())
                        .take(3)
                        .collect();
                    println!(
                        "rebuilt after {} in {} ms: {} page{} rendered, {} written, {} removed",
                        names.join(", "),
                        started.elapsed().as_millis(),
                        r.pages,
                        plural(r.pages),
                        w.written,
                        w.removed
                    );
                }
                if !r.warnings.is_empty() {
                    let color = std::io::stderr().is_terminal();
                    eprint!("{}", diag::render(&r.warnings, &r.sources_text, color));
                }
                if let (Some(sh), Some(files)) = (&shared, session.files()) {
                    sh.update_ok(files);
                }
            }
            Err(f) => {
                let text = print_failure(&f, "keeping the last good site");
                if let Some(sh) = &shared {
                    sh.update_err(text);
                }
            }
        }
    }
    if !a.common.quiet {
        println!("stopped; {} is as last built", output.display());
    }
    ExitCode::SUCCESS
}

/// The base_url of site.yaml, read directly (for serving before a first good build).
fn site_base_url(root: &std::path::Path) -> Option<String> {
    let text = std::fs::read_to_string(root.join(crate::model::SITE_FILE)).ok()?;
    let node = crate::yaml::parse(&text, 0).ok()?;
    match node.value {
        crate::yaml::Yaml::Map(m) => m
            .into_iter()
            .find(|(k, _)| k == "base_url")
            .and_then(|(_, v)| v.as_scalar()),
        _ => None,
    }
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
