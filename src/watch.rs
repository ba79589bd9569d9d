//! Watching the dossier's files: the only module that knows about notify.
//!
//! Raw file-system events are debounced (notify-debouncer-full, which also pairs the two halves
//! of a rename) and reduced to the list of paths that matter: files under `content/` or
//! `themes/`, minus editor temp and swap files and anything in the output folder. The rest of
//! dossier sees a batch of paths on a channel and never a notify type. With `poll`, files are
//! compared on a timer instead of by native events, for file systems where those are
//! unreliable (network drives, some containers and VMs).

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer, new_debouncer_opt};

use crate::files::is_ignored_name;

/// A message from the watcher.
#[derive(Debug)]
pub enum Event {
    /// These files changed (created, modified, removed or renamed).
    Changed(Vec<PathBuf>),
    /// The watcher reported a problem (it keeps watching).
    Error(String),
    /// The user asked to stop (Ctrl-C).
    Stop,
}

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    _inner: Box<dyn std::any::Any + Send>,
}

/// Whether a changed path is one a rebuild should react to.
pub fn is_relevant(root: &Path, output: Option<&Path>, path: &Path) -> bool {
    if let Some(out) = output
        && (path.starts_with(out) || canonical(path).starts_with(canonical(out)))
    {
        return false;
    }
    let rel = if let Ok(r) = path.strip_prefix(root) {
        r.to_path_buf()
    } else if let Ok(r) = canonical(path).strip_prefix(canonical(root)) {
        r.to_path_buf()
    } else {
        return false;
    };
    let mut comps = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let top = comps.next().unwrap_or_default();
    if top != "content" && top != "themes" {
        return false;
    }
    !rel.components()
        .any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()))
}

fn canonical(p: &Path) -> PathBuf {
    // A removed file cannot be canonicalised; its folder usually can.
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    match (p.parent(), p.file_name()) {
        (Some(parent), Some(name)) => parent
            .canonicalize()
            .map(|c| c.join(name))
            .unwrap_or_else(|_| p.to_path_buf()),
        _ => p.to_path_buf(),
    }
}

/// Starts watching `root/content` and `root/themes`, sending relevant changes on `tx`.
pub fn start(
    root: &Path,
    output: Option<&Path>,
    poll: bool,
    debounce: Duration,
    tx: Sender<Event>,
) -> Result<Watcher, String> {
    let root_owned = root.to_path_buf();
    let output_owned = output.map(Path::to_path_buf);
    let handler = move |res: DebounceEventResult| {
        let msg = match res {
            Ok(events) => {
                // Reading a file is not a change (and a rebuild reads every file).
                let mut paths: Vec<PathBuf> = events
                    .iter()
                    .filter(|e| !matches!(e.kind, notify::EventKind::Access(_)))
                    .flat_map(|e| e.paths.iter())
                    .filter(|p| is_relevant(&root_owned, output_owned.as_deref(), p))
                    .cloned()
                    .collect();
                paths.sort();
                paths.dedup();
                if paths.is_empty() {
                    return;
                }
                Event::Changed(paths)
            }
            Err(errors) => Event::Error(
                errors
                    .iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        };
        let _ = tx.send(msg);
    };
    let dirs: Vec<PathBuf> = ["content", "themes"]
        .iter()
        .map(|d| root.join(d))
        .filter(|d| d.is_dir())
        .collect();
    let err = |e: notify::Error| format!("cannot watch {}: {e}", root.display());
    if poll {
        // notify's poller compares modification times in whole seconds, so two saves within a
        // second would look like one; comparing contents catches every save.
        let config = notify::Config::default()
            .with_poll_interval(Duration::from_millis(400))
            .with_compare_contents(true);
        let mut d = new_debouncer_opt::<_, notify::PollWatcher, _>(
            debounce,
            None,
            handler,
            notify_debouncer_full::NoCache,
            config,
        )
        .map_err(err)?;
        for dir in &dirs {
            d.watch(dir, RecursiveMode::Recursive).map_err(err)?;
        }
        Ok(Watcher {
            _inner: Box::new(d),
        })
    } else {
        let mut d = new_debouncer(debounce, None, handler).map_err(err)?;
        for dir in &dirs {
            d.watch(dir, RecursiveMode::Recursive).map_err(err)?;
        }
        Ok(Watcher {
            _inner: Box::new(d),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relevant_paths() {
        let root = Path::new("/d");
        let out = Some(Path::new("/d/public"));
        let cases = [
            ("/d/content/claims.yaml", true),
            ("/d/content/articles/a.md", true),
            ("/d/themes/default/templates/base.html", true),
            ("/d/content/articles/.a.md.swp", false),
            ("/d/content/articles/a.md~", false),
            ("/d/content/articles/4913", false),
            ("/d/content/.#claims.yaml", false),
            ("/d/public/index.html", false),
            ("/d/target/debug/x", false),
            ("/d/README.md", false),
            ("/elsewhere/content/claims.yaml", false),
        ];
        for (p, want) in cases {
            assert_eq!(is_relevant(root, out, Path::new(p)), want, "{p}");
        }
    }
}
