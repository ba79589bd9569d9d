//! Writing the site: the last phase. Takes the whole site in memory (path -> bytes) and makes
//! the output folder hold exactly that, touching as little as possible.
//!
//! - Only files whose bytes changed are written, each to a temporary file in the same folder
//!   and renamed into place, so an interrupted build never leaves a truncated file.
//! - Files the site no longer has are removed, but only files dossier wrote itself: the
//!   manifest (`.dossier-manifest`, one path per line) lists them. An output folder that holds
//!   anything else is refused, never emptied.
//! - The manifest is written before any file (listing old and new files) and again after, so
//!   a build stopped half way can always be finished by the next one.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

/// The manifest's file name, at the top of the output folder.
pub const MANIFEST: &str = ".dossier-manifest";

/// The site's files: relative path (with `/`) -> bytes. The bytes are shared, so that a
/// rebuild can keep a page's bytes, and the preview server can serve them, without copying.
pub type Files = BTreeMap<String, Arc<[u8]>>;

/// What a write did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Why the output could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The folder holds files dossier did not write; nothing was touched.
    Foreign {
        dir: PathBuf,
        files: Vec<String>,
    },
    Io(String),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Foreign { dir, files } => {
                let shown: Vec<&str> = files.iter().take(5).map(String::as_str).collect();
                let more = if files.len() > 5 {
                    format!(" and {} more", files.len() - 5)
                } else {
                    String::new()
                };
                write!(
                    f,
                    "refusing to write to {}: it holds files dossier did not write ({}{more}). \
                     dossier never deletes what it did not write: choose an empty or new folder \
                     with --output, or move those files away",
                    dir.display(),
                    shown.join(", ")
                )
            }
            WriteError::Io(e) => write!(f, "{e}"),
        }
    }
}

fn io_err(what: &str, path: &Path, e: std::io::Error) -> WriteError {
    WriteError::Io(format!("cannot {what} {}: {e}", path.display()))
}

/// Reads the manifest; `None` when there is none.
fn read_manifest(dir: &Path) -> Result<Option<BTreeSet<String>>, WriteError> {
    let path = dir.join(MANIFEST);
    match std::fs::read_to_string(&path) {
        Ok(t) => Ok(Some(
            t.lines()
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect(),
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_err("read", &path, e)),
    }
}

/// Every file under `dir` (relative paths), symlinks included, the manifest excluded.
fn existing_files(dir: &Path) -> Result<Vec<String>, WriteError> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let full = dir.join(&rel);
        let entries = std::fs::read_dir(&full).map_err(|e| io_err("list", &full, e))?;
        for e in entries {
            let e = e.map_err(|e| io_err("list", &full, e))?;
            let name = e.file_name().to_string_lossy().into_owned();
            let child = rel.join(&name);
            let ft = e
                .file_type()
                .map_err(|e| io_err("inspect", &e_path(&full, &name), e))?;
            if ft.is_dir() {
                stack.push(child);
            } else {
                let s = child
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                if s != MANIFEST {
                    out.push(s);
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

fn e_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, renamed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let parent = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| io_err("create", parent, e))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".dossier-").suffix(".tmp");
    // Temporary files are private (0600) by default; a published file must be readable by
    // the web server like any other file (0644, less what the umask removes).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut tmp = builder
        .tempfile_in(parent)
        .map_err(|e| io_err("create a temporary file in", parent, e))?;
    tmp.write_all(bytes)
        .map_err(|e| io_err("write", tmp.path(), e))?;
    tmp.persist(path)
        .map_err(|e| io_err("rename into", path, e.error))?;
    Ok(())
}

/// The stamp line of the manifest (without `# `), if there is one: what the build that wrote
/// the folder knew about its input (see `build.rs`).
pub fn read_stamp(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join(MANIFEST)).ok()?;
    text.lines().next()?.strip_prefix("# ").map(str::to_string)
}

/// How many files the manifest lists.
pub fn manifest_len(dir: &Path) -> usize {
    read_manifest(dir).ok().flatten().map_or(0, |m| m.len())
}

/// Whether the folder holds exactly the files its manifest lists: none missing, nothing
/// else (no file put there by hand, no temporary file left by an interrupted build).
pub fn complete(dir: &Path) -> bool {
    match (read_manifest(dir), existing_files(dir)) {
        (Ok(Some(listed)), Ok(present)) => {
            present.len() == listed.len() && present.iter().all(|p| listed.contains(p))
        }
        _ => false,
    }
}

fn manifest_bytes<'p>(paths: impl IntoIterator<Item = &'p str>, stamp: Option<&str>) -> Vec<u8> {
    let mut s = String::new();
    if let Some(st) = stamp {
        s.push_str("# ");
        s.push_str(st);
        s.push('\n');
    }
    for p in paths {
        s.push_str(p);
        s.push('\n');
    }
    s.into_bytes()
}

/// Makes `dir` hold exactly `files` (plus the manifest). `last` is what the previous call
/// wrote there, when the caller knows it: files whose bytes are the same are then not even
/// read back. `stamp` goes on the manifest's first line, once everything is written.
pub fn write(
    dir: &Path,
    files: &Files,
    last: Option<&Files>,
    stamp: Option<&str>,
) -> Result<WriteStats, WriteError> {
    let listed: BTreeSet<String>;
    let last = last.filter(|_| dir.join(MANIFEST).is_file());
    // Sorted.
    let old: Vec<&str> = if let Some(l) = last {
        // The caller wrote `last` here itself (and checked the folder then): what it wrote is
        // what there is to replace or remove.
        l.keys().map(String::as_str).collect()
    } else if dir.exists() {
        if !dir.is_dir() {
            return Err(WriteError::Io(format!(
                "{} exists and is not a folder",
                dir.display()
            )));
        }
        let present = existing_files(dir)?;
        let manifest = read_manifest(dir)?;
        let known = manifest.clone().unwrap_or_default();
        let foreign: Vec<String> = present
            .iter()
            .filter(|p| !known.contains(*p) && !is_leftover_temp(p))
            .cloned()
            .collect();
        if !foreign.is_empty() {
            return Err(WriteError::Foreign {
                dir: dir.to_path_buf(),
                files: foreign,
            });
        }
        // Remove temporary files an interrupted build may have left.
        for p in present.iter().filter(|p| is_leftover_temp(p)) {
            let _ = std::fs::remove_file(dir.join(p));
        }
        let present: BTreeSet<String> = present.into_iter().collect();
        listed = known.into_iter().filter(|p| present.contains(p)).collect();
        listed.iter().map(String::as_str).collect()
    } else {
        Vec::new()
    };
    std::fs::create_dir_all(dir).map_err(|e| io_err("create", dir, e))?;

    let manifest_path = dir.join(MANIFEST);
    // What the manifest on disk holds, kept up to date as it is rewritten below.
    let mut on_disk = std::fs::read(&manifest_path).ok();

    // What changes: files whose bytes differ (compared with what was written last time when
    // the caller knows it, else read back), and files the site no longer has.
    // Both lists are sorted: one merge pairs each file with what was there.
    // (path, bytes, the bytes written last time when the caller knows them).
    type Pair<'f> = (&'f String, &'f Arc<[u8]>, Option<&'f Arc<[u8]>>);
    let mut pairs: Vec<Pair> = Vec::new();
    let mut stale: Vec<&str> = Vec::new();
    let mut union: Vec<&str> = Vec::with_capacity(files.len());
    let mut at = old.iter().copied().peekable();
    for (rel, bytes) in files {
        while let Some(o) = at.next_if(|o| *o < rel.as_str()) {
            stale.push(o);
            union.push(o);
        }
        let was = at.next_if(|o| *o == rel.as_str()).is_some();
        union.push(rel);
        // When the caller knows what it wrote, unchanged pages are the very same bytes.
        let prev = last.and_then(|l| l.get(rel));
        if !was || prev.is_none_or(|p| !Arc::ptr_eq(p, bytes)) {
            pairs.push((rel, bytes, if was { prev } else { None }));
        }
    }
    for o in at {
        stale.push(o);
        union.push(o);
    }
    let changed: Vec<(&String, &Arc<[u8]>)> = pairs
        .into_par_iter()
        .filter(|(rel, bytes, prev)| {
            let same = match (prev, last) {
                (Some(prev), _) => prev == bytes,
                (None, Some(_)) => false,
                (None, None) => {
                    old.binary_search(&rel.as_str()).is_ok()
                        && std::fs::read(dir.join(rel)).is_ok_and(|b| *b == ***bytes)
                }
            };
            !same
        })
        .map(|(rel, bytes, _)| (rel, bytes))
        .collect();
    let mut stats = WriteStats {
        written: changed.len(),
        unchanged: files.len() - changed.len(),
        removed: 0,
    };

    if !changed.is_empty() || !stale.is_empty() {
        // Before writing: every file old or new, and no stamp, so a build stopped half way
        // is finished (not skipped) by the next one.
        let interim = manifest_bytes(union.iter().copied(), None);
        if on_disk.as_deref() != Some(interim.as_slice()) {
            write_atomic(&manifest_path, &interim)?;
            on_disk = Some(interim);
        }
        changed
            .par_iter()
            .map(|(rel, bytes)| write_atomic(&dir.join(rel), bytes))
            .collect::<Result<Vec<()>, WriteError>>()?;
        for stale in stale {
            let path = dir.join(stale);
            match std::fs::remove_file(&path) {
                Ok(()) => stats.removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(io_err("remove", &path, e)),
            }
            // Remove folders the removal left empty, up to the output folder.
            let mut parent = path.parent();
            while let Some(p) = parent {
                if p == dir || std::fs::remove_dir(p).is_err() {
                    break;
                }
                parent = p.parent();
            }
        }
    }
    let final_manifest = manifest_bytes(files.keys().map(String::as_str), stamp);
    if on_disk.as_deref() != Some(final_manifest.as_slice()) {
        write_atomic(&manifest_path, &final_manifest)?;
    }
    Ok(stats)
}

fn is_leftover_temp(p: &str) -> bool {
    let name = p.rsplit('/').next().unwrap_or(p);
    name.starts_with(".dossier-") && name.ends_with(".tmp")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> Files {
        list.iter()
            .map(|(p, b)| (p.to_string(), Arc::from(b.as_bytes())))
            .collect()
    }

    #[test]
    fn writes_only_changes_and_removes_stale() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("public");
        let s = write(
            &out,
            &files(&[("a/index.html", "1"), ("b.html", "2")]),
            None,
            None,
        )
        .expect("write");
        assert_eq!(
            s,
            WriteStats {
                written: 2,
                unchanged: 0,
                removed: 0
            }
        );
        let s = write(
            &out,
            &files(&[("a/index.html", "1"), ("c.html", "3")]),
            None,
            None,
        )
        .expect("write");
        assert_eq!(
            s,
            WriteStats {
                written: 1,
                unchanged: 1,
                removed: 1
            }
        );
        assert!(!out.join("b.html").exists());
        let s = write(&out, &files(&[("c.html", "3")]), None, None).expect("write");
        assert_eq!(s.removed, 1);
        assert!(!out.join("a").exists(), "empty folder removed");
        let m = std::fs::read_to_string(out.join(MANIFEST)).expect("manifest");
        assert_eq!(m, "c.html\n");
    }

    #[test]
    fn refuses_foreign_files() {
        let tmp = tempfile::tempdir().expect("tmp");
        std::fs::write(tmp.path().join("thesis.docx"), "precious").expect("w");
        let err =
            write(tmp.path(), &files(&[("index.html", "x")]), None, None).expect_err("refused");
        assert!(matches!(err, WriteError::Foreign { .. }));
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("thesis.docx")).expect("kept"),
            "precious"
        );
        assert!(!tmp.path().join("index.html").exists());
    }
}
