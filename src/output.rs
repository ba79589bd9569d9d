//! Writing the site: the last phase. Takes the whole site in memory (path -> bytes) and makes
//! the output folder hold exactly that, touching as little as possible, with one writer at a
//! time and all or nothing.
//!
//! - **One writer at a time.** Every write (and every check of a stamp, [`verify`]) holds an
//!   exclusive advisory lock on the output folder itself (on Unix the folder's own inode is
//!   locked, so no lock file is published with the site and replacing the manifest by rename
//!   does not lose the lock; elsewhere a hidden `.dossier-lock` file in the folder). A second
//!   writer says so on stderr and waits.
//! - **All or nothing.** Every new or changed file is first written to a temporary file
//!   (`.dossier-*.tmp`) beside its final place. Only when all of them are written are they
//!   renamed into place: new paths first, then changed ones, then stale files are removed. A
//!   failure while staging (disk full, a name the file system refuses) removes the temporary
//!   files and the folders made for them: nothing visible changes.
//! - **Only dossier's own files.** Files the site no longer has are removed, but only files
//!   dossier wrote itself: the manifest (`.dossier-manifest`) lists them. An output folder
//!   that holds anything else is refused, never emptied.
//! - **Repairable.** Before the first rename, the manifest is replaced by an unstamped list of
//!   every file old and new; the final manifest (each file's BLAKE3 hash and path, and the
//!   stamp when the caller gives one) replaces it once everything is in place. A build stopped
//!   at any point (even `kill -9`) therefore leaves either the old complete site under its old
//!   manifest plus hidden temporary files, or an unstamped manifest: either way the next build
//!   checks everything and repairs the folder.
//!
//! The manifest's lines are `<blake3 hex>  <path>` (the format of `b3sum`), after an optional
//! first line `# <stamp>`; a line with a path alone (an interim manifest, or one written by an
//! older dossier) vouches for nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::files::content_hash;

/// The manifest's file name, at the top of the output folder.
pub const MANIFEST: &str = ".dossier-manifest";

/// The lock file, where a folder cannot be locked itself (not on Unix).
#[cfg(not(unix))]
const LOCK_FILE: &str = ".dossier-lock";

/// The longest file or folder name (in bytes) that every common file system takes.
const NAME_MAX: usize = 255;

/// The site's files: relative path (with `/`) -> bytes. The bytes are shared, so that a
/// rebuild can keep a page's bytes, and the preview server can serve them, without copying.
pub type Files = BTreeMap<String, Arc<[u8]>>;

/// A file's content hash, as the manifest records it.
type Hash = [u8; 32];

/// What a write did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// What a write left in the folder: the manifest it wrote. A session passes it to its next
/// write, which then trusts that the folder holds what was written only while the manifest on
/// disk is still exactly this one (another writer replaces it).
#[derive(Debug, Clone)]
pub struct Written {
    manifest: Vec<u8>,
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

/// An exclusive lock on an output folder, held until dropped.
struct Lock {
    _file: File,
}

/// Locks the output folder `dir` (which must exist), waiting (and saying so on stderr) while
/// another dossier holds it.
fn lock(dir: &Path) -> Result<Lock, WriteError> {
    #[cfg(unix)]
    let file = File::open(dir).map_err(|e| io_err("open", dir, e))?;
    #[cfg(not(unix))]
    let file = {
        let p = dir.join(LOCK_FILE);
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&p)
            .map_err(|e| io_err("open", &p, e))?
    };
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!(
                "dossier: another dossier is writing to {}; waiting for it to finish",
                dir.display()
            );
            file.lock().map_err(|e| io_err("lock", dir, e))?;
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(io_err("lock", dir, e)),
    }
    Ok(Lock { _file: file })
}

/// A manifest, read: the stamp (its first line, without `# `) and each file with its hash
/// when the line records one.
#[derive(Default)]
struct Manifest {
    stamp: Option<String>,
    files: BTreeMap<String, Option<Hash>>,
}

fn parse_manifest(text: &str) -> Manifest {
    let mut m = Manifest::default();
    for (i, line) in text.lines().enumerate() {
        if let Some(c) = line.strip_prefix("# ") {
            if i == 0 {
                m.stamp = Some(c.to_string());
            }
            continue;
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let hashed = line
            .split_once("  ")
            .and_then(|(h, p)| Some((parse_hex(h)?, p)));
        match hashed {
            Some((h, p)) => m.files.insert(p.to_string(), Some(h)),
            None => m.files.insert(line.to_string(), None),
        };
    }
    m
}

fn parse_hex(s: &str) -> Option<Hash> {
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

fn hex(h: &Hash) -> String {
    h.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads the manifest's bytes; `None` when there is none.
fn read_manifest_bytes(dir: &Path) -> Result<Option<Vec<u8>>, WriteError> {
    let path = dir.join(MANIFEST);
    match std::fs::read(&path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_err("read", &path, e)),
    }
}

/// What an output folder holds.
struct Present {
    /// Every file (relative paths, sorted), symlinks included, the manifest (and lock file)
    /// excluded.
    files: Vec<String>,
    /// Every folder below the top, deepest first.
    dirs: Vec<PathBuf>,
    /// Folders with nothing in them.
    empty_dirs: usize,
}

fn existing(dir: &Path) -> Result<Present, WriteError> {
    let mut out = Present {
        files: Vec::new(),
        dirs: Vec::new(),
        empty_dirs: 0,
    };
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let full = dir.join(&rel);
        let entries = std::fs::read_dir(&full).map_err(|e| io_err("list", &full, e))?;
        let mut any = false;
        for e in entries {
            any = true;
            let e = e.map_err(|e| io_err("list", &full, e))?;
            let name = e.file_name().to_string_lossy().into_owned();
            let child = rel.join(&name);
            let ft = e
                .file_type()
                .map_err(|e| io_err("inspect", &full.join(&name), e))?;
            if ft.is_dir() {
                out.dirs.push(dir.join(&child));
                stack.push(child);
            } else {
                let s = slash_path(&child);
                if s != MANIFEST && !is_lock_file(&s) {
                    out.files.push(s);
                }
            }
        }
        if !any && !rel.as_os_str().is_empty() {
            out.empty_dirs += 1;
        }
    }
    out.files.sort();
    // Deepest first, so that removing the empty ones bottom-up works in one pass.
    out.dirs
        .sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    Ok(out)
}

fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(unix)]
fn is_lock_file(_: &str) -> bool {
    false
}

#[cfg(not(unix))]
fn is_lock_file(p: &str) -> bool {
    p == LOCK_FILE
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, renamed.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let parent = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| io_err("create", parent, e))?;
    stage(parent, bytes)?
        .persist(path)
        .map_err(|e| io_err("rename into", path, e.error))?;
    Ok(())
}

/// Writes `bytes` to a new temporary file in `parent` (which must exist); the file is removed
/// when the returned path is dropped without being persisted.
fn stage(parent: &Path, bytes: &[u8]) -> Result<tempfile::TempPath, WriteError> {
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
    Ok(tmp.into_temp_path())
}

/// What a stamped output folder holds, when everything in it is as its manifest says.
pub(crate) struct Verified {
    /// The stamp (the manifest's first line, without `# `).
    pub stamp: String,
    /// How many files the site has.
    pub files: usize,
}

/// Checks, holding the folder's lock, that `dir` holds exactly the files its manifest lists
/// (no file missing, none added, no temporary file or empty folder an interrupted build may
/// have left), each with the bytes whose hash the manifest records, and that the manifest's
/// stamp is one `wanted` accepts. Every file is read and hashed: this is what `dossier build`
/// trusts instead of building. `None` when anything differs.
pub(crate) fn verify(dir: &Path, wanted: impl Fn(&str) -> bool) -> Option<Verified> {
    if !dir.is_dir() {
        return None;
    }
    let _lock = lock(dir).ok()?;
    let bytes = read_manifest_bytes(dir).ok()??;
    let manifest = parse_manifest(std::str::from_utf8(&bytes).ok()?);
    let stamp = manifest.stamp.clone()?;
    if !wanted(&stamp) {
        return None;
    }
    let present = existing(dir).ok()?;
    if present.empty_dirs > 0
        || present.files.len() != manifest.files.len()
        || !present.files.iter().all(|p| manifest.files.contains_key(p))
    {
        return None;
    }
    let all_same = manifest.files.par_iter().all(|(p, h)| {
        h.is_some_and(|h| std::fs::read(dir.join(p)).is_ok_and(|b| content_hash(&b) == h))
    });
    all_same.then_some(Verified {
        stamp,
        files: manifest.files.len(),
    })
}

fn manifest_bytes<'p>(
    entries: impl IntoIterator<Item = (&'p str, Option<&'p Hash>)>,
    stamp: Option<&str>,
) -> Vec<u8> {
    let mut s = String::new();
    if let Some(st) = stamp {
        s.push_str("# ");
        s.push_str(st);
        s.push('\n');
    }
    for (p, h) in entries {
        if let Some(h) = h {
            s.push_str(&hex(h));
            s.push_str("  ");
        }
        s.push_str(p);
        s.push('\n');
    }
    s.into_bytes()
}

/// Makes `dir` hold exactly `files` (plus the manifest); see the module's documentation.
/// `stamp` goes on the manifest's first line, once everything is written.
pub fn write(
    dir: &Path,
    files: &Files,
    last: Option<(&Files, &Written)>,
    stamp: Option<&str>,
) -> Result<WriteStats, WriteError> {
    write_tracked(dir, files, last, stamp).map(|(s, _)| s)
}

/// [`write`], also giving what it left, for the caller's next write. `last` is what the
/// caller's previous write wrote there (the files and what it left): while the manifest on
/// disk is still the one it wrote, files whose bytes are the same are then not even read
/// back, and the folder is not listed.
pub(crate) fn write_tracked(
    dir: &Path,
    files: &Files,
    last: Option<(&Files, &Written)>,
    stamp: Option<&str>,
) -> Result<(WriteStats, Written), WriteError> {
    if dir.exists() && !dir.is_dir() {
        return Err(WriteError::Io(format!(
            "{} exists and is not a folder",
            dir.display()
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| io_err("create", dir, e))?;
    let _lock = lock(dir)?;

    let manifest_path = dir.join(MANIFEST);
    let on_disk = read_manifest_bytes(dir)?;
    // Trusted only while no one else wrote here since.
    let last = last.filter(|(_, w)| on_disk.as_deref() == Some(w.manifest.as_slice()));
    let old_manifest = on_disk
        .as_deref()
        .map(|b| parse_manifest(&String::from_utf8_lossy(b)))
        .unwrap_or_default();

    // Sorted: what there is to replace or remove.
    let old: Vec<&str> = if let Some((l, _)) = last {
        l.keys().map(String::as_str).collect()
    } else {
        let present = existing(dir)?;
        let foreign: Vec<String> = present
            .files
            .iter()
            .filter(|p| !old_manifest.files.contains_key(*p) && !is_leftover_temp(p))
            .cloned()
            .collect();
        if !foreign.is_empty() {
            return Err(WriteError::Foreign {
                dir: dir.to_path_buf(),
                files: foreign,
            });
        }
        // Remove what an interrupted build may have left: temporary files, and folders made
        // for them that hold nothing (a failing remove_dir means the folder holds something).
        for p in present.files.iter().filter(|p| is_leftover_temp(p)) {
            let _ = std::fs::remove_file(dir.join(p));
        }
        for d in &present.dirs {
            let _ = std::fs::remove_dir(d);
        }
        let present: BTreeSet<&str> = present.files.iter().map(String::as_str).collect();
        old_manifest
            .files
            .keys()
            .map(String::as_str)
            .filter(|p| present.contains(p))
            .collect()
    };

    // Both lists are sorted: one merge pairs each file with what was there.
    // (path, bytes, whether it was there, the bytes written last time when the caller knows).
    type Pair<'f> = (&'f String, &'f Arc<[u8]>, bool, Option<&'f Arc<[u8]>>);
    let mut pairs: Vec<Pair> = Vec::with_capacity(files.len());
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
        let prev = last.and_then(|(l, _)| l.get(rel)).filter(|_| was);
        pairs.push((rel, bytes, was, prev));
    }
    for o in at {
        stale.push(o);
        union.push(o);
    }
    // Whether each file must be written, and its hash: known from the last manifest when the
    // caller wrote the same bytes (the very same, usually), else computed.
    let judged: Vec<(bool, Hash)> = pairs
        .par_iter()
        .map(|(rel, bytes, was, prev)| {
            let known = old_manifest.files.get(*rel).copied().flatten();
            match (prev, last) {
                (Some(p), _) if Arc::ptr_eq(p, bytes) || **p == **bytes => match known {
                    Some(h) => (false, h),
                    None => (false, content_hash(bytes)),
                },
                (_, Some(_)) => (true, content_hash(bytes)),
                (_, None) => {
                    let same = *was && std::fs::read(dir.join(rel)).is_ok_and(|b| *b == ***bytes);
                    (!same, content_hash(bytes))
                }
            }
        })
        .collect();
    let changed: Vec<(&String, &Arc<[u8]>, bool)> = pairs
        .iter()
        .zip(&judged)
        .filter(|(_, (write, _))| *write)
        .map(|((rel, bytes, was, _), _)| (*rel, *bytes, *was))
        .collect();
    let mut stats = WriteStats {
        written: changed.len(),
        unchanged: files.len() - changed.len(),
        removed: 0,
    };
    let final_manifest = manifest_bytes(
        files
            .keys()
            .map(String::as_str)
            .zip(judged.iter().map(|(_, h)| Some(h))),
        stamp,
    );

    let mut manifest_now = on_disk;
    if !changed.is_empty() || !stale.is_empty() {
        // 1. Stage every new or changed file beside its final place. Nothing visible yet.
        let staged = stage_all(dir, &changed)?;
        // 2. Every file old or new, and no stamp: from here on, a build stopped half way is
        //    finished (not skipped) by the next one.
        let interim = manifest_bytes(union.iter().map(|p| (*p, None)), None);
        write_atomic(&manifest_path, &interim)?;
        manifest_now = Some(interim);
        // 3. Into place: new paths first (nothing links to them yet), then changed ones.
        //    Each group in parallel: a rename over an existing file can wait for the new
        //    file's data to be flushed (ext4's replace-via-rename rule), and overlapping those
        //    waits keeps the moment in which old and new pages are mixed short.
        let (new, existing): (Vec<_>, Vec<_>) = staged.into_iter().partition(|(_, _, was)| !*was);
        for group in [new, existing] {
            group
                .into_par_iter()
                .map(|(tmp, path, _)| {
                    tmp.persist(&path)
                        .map_err(|e| io_err("rename into", &path, e.error))
                })
                .collect::<Result<Vec<()>, WriteError>>()?;
        }
        // 4. Stale files last.
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
    if manifest_now.as_deref() != Some(final_manifest.as_slice()) {
        write_atomic(&manifest_path, &final_manifest)?;
    }
    Ok((
        stats,
        Written {
            manifest: final_manifest,
        },
    ))
}

/// A staged file: its temporary path, its final path, and whether a file is there already.
type Staged = (tempfile::TempPath, PathBuf, bool);

/// Writes every file of `changed` to a temporary file beside its final place, making the
/// folders they need. On any failure, removes what it made (the temporary files, and the
/// folders) and reports the first failure: the folder is as it was.
fn stage_all(
    dir: &Path,
    changed: &[(&String, &Arc<[u8]>, bool)],
) -> Result<Vec<Staged>, WriteError> {
    // Names the file system would refuse are found before anything is made.
    for (rel, _, _) in changed {
        if let Some(name) = rel.split('/').find(|n| n.len() > NAME_MAX) {
            return Err(WriteError::Io(format!(
                "cannot write {}: the name `{name}` is {} bytes long, and file systems take at \
                 most {NAME_MAX}; use a shorter id or slug",
                dir.join(rel).display(),
                name.len()
            )));
        }
    }
    // The folders to make, parents first (sorted: a parent sorts before its children).
    let mut to_make: BTreeSet<PathBuf> = BTreeSet::new();
    for (rel, _, _) in changed {
        let mut p = dir.join(rel);
        while p.pop() && p.as_path() != dir && !to_make.contains(&p) {
            if p.is_dir() {
                break;
            }
            to_make.insert(p.clone());
        }
    }
    let mut made: Vec<PathBuf> = Vec::new();
    let undo = |made: &[PathBuf]| {
        for d in made.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    };
    for d in &to_make {
        if let Err(e) = std::fs::create_dir(d) {
            undo(&made);
            return Err(io_err("create", d, e));
        }
        made.push(d.clone());
    }
    let staged: Result<Vec<Staged>, WriteError> = changed
        .par_iter()
        .map(|(rel, bytes, was)| {
            let path = dir.join(rel);
            if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
                return Err(WriteError::Io(format!(
                    "cannot write {}: a folder stands where the file must go; move it away",
                    path.display()
                )));
            }
            let parent = path.parent().unwrap_or(dir);
            Ok((stage(parent, bytes)?, path, *was))
        })
        .collect();
    // (On failure, the temporary files staged are removed as they are dropped.)
    staged.inspect_err(|_| undo(&made))
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

    fn listed(dir: &Path) -> Vec<String> {
        let text = std::fs::read_to_string(dir.join(MANIFEST)).expect("manifest");
        parse_manifest(&text).files.into_keys().collect()
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
        assert_eq!(m, format!("{}  c.html\n", hex(&content_hash(b"3"))));
        assert_eq!(listed(&out), vec!["c.html"]);
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

    #[test]
    fn manifests_of_older_dossiers_are_read_but_vouch_for_nothing() {
        let m = parse_manifest("# dossier-build x\nindex.html\nclaims/a/index.html\n");
        assert_eq!(m.stamp.as_deref(), Some("dossier-build x"));
        assert_eq!(m.files.len(), 2);
        assert!(m.files.values().all(Option::is_none));
        let h = content_hash(b"x");
        let m = parse_manifest(&format!("{}  a b.html\n", hex(&h)));
        assert_eq!(m.files.get("a b.html"), Some(&Some(h)));
    }

    #[test]
    fn a_session_trusts_its_last_write_only_while_the_manifest_is_its_own() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("public");
        let v1 = files(&[("a.html", "1"), ("b.html", "2")]);
        let (_, w1) = write_tracked(&out, &v1, None, None).expect("write");
        // Someone else writes another site here.
        write(&out, &files(&[("a.html", "9")]), None, None).expect("write");
        // The session's next write does not believe the folder holds v1.
        let (s, _) = write_tracked(&out, &v1, Some((&v1, &w1)), None).expect("write");
        assert_eq!(s.written, 2);
        assert_eq!(std::fs::read(out.join("a.html")).expect("read"), b"1");
    }
}
