//! Small file-system helpers: sorted directory walks (the only module that knows about
//! walkdir), reading text with a clear error, and [`Seen`], which tells from a file's metadata
//! whether it changed since it was last read.
//!
//! Walks are always sorted by file name so that everything downstream is deterministic.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Every regular file below `dir`, sorted, as (path relative to `dir` with `/`, full path).
/// A missing `dir` gives an empty list. Editor temp and hidden files are skipped. Symbolic
/// links are followed (a curator may keep the articles elsewhere); a link loop is an error.
pub fn walk_files(dir: &Path) -> io::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .follow_links(true)
    {
        let entry = entry.map_err(io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = match entry.path().strip_prefix(dir) {
            Ok(r) => r,
            Err(_) => continue,
        };
        if rel
            .components()
            .any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()))
        {
            continue;
        }
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        out.push((rel, entry.path().to_path_buf()));
    }
    Ok(out)
}

/// Names of files that editors and systems leave beside real content: hidden files, swap
/// and backup files. They are never read as content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with('#')
        || name == "4913"
}

/// Reads a UTF-8 text file; the error says which file and why.
pub fn read_text(path: &Path) -> Result<String, String> {
    read_text_hashed(path)
        .map(|(t, _)| t)
        .map_err(|e| e.message)
}

/// Why a file could not be read as text, and where in it (1-based line and column, in
/// characters; line 1, column 1 when the file could not be read at all).
#[derive(Clone, Debug)]
pub struct TextError {
    pub line: usize,
    pub col: usize,
    pub message: String,
    /// What to do about it.
    pub help: &'static str,
}

/// [`read_text`], with the [`content_hash`] of the file's bytes.
pub fn read_text_hashed(path: &Path) -> Result<(String, [u8; 32]), TextError> {
    let bytes = std::fs::read(path).map_err(|e| TextError {
        line: 1,
        col: 1,
        message: format!("cannot read {}: {e}", path.display()),
        help: "check that the file can be read (its permissions, or whether it is a file)",
    })?;
    let hash = content_hash(&bytes);
    Ok((decode_text(path, bytes)?, hash))
}

/// The text of a file's bytes (UTF-8, without a byte-order mark); the error says which file
/// and why, and names the line and column of the first byte that is not UTF-8.
pub fn decode_text(path: &Path, bytes: Vec<u8>) -> Result<String, TextError> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let bad = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line_start = memchr::memrchr(b'\n', &bytes[..bad]).map_or(0, |i| i + 1);
        let line = 1 + memchr::memchr_iter(b'\n', &bytes[..bad]).count();
        // Valid up to `bad`, so the part of the line before it is text. Columns are counted
        // after a byte-order mark, as everywhere else.
        let before = std::str::from_utf8(&bytes[line_start..bad]).unwrap_or_default();
        let before = if line == 1 { before.trim_start_matches('\u{FEFF}') } else { before };
        let col = before.chars().count() + 1;
        TextError {
            line,
            col,
            message: format!(
                "{} is not UTF-8 text: the byte 0x{:02X} at line {line}, column {col} is not UTF-8",
                path.display(),
                bytes[bad]
            ),
            help: "save the file as UTF-8 text (most editors offer the encoding when saving), or retype the character there",
        }
    })?;
    // Some editors (Windows Notepad) start UTF-8 files with a byte-order mark.
    let text = match text.strip_prefix('\u{FEFF}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    // U+E000 (a private-use character, meaningless in published text) marks where the
    // renderer splices runs of items into a page (`site::splice_marker`): no input may hold
    // one. U+FFFD has the same length in UTF-8, so positions do not move.
    Ok(if text.contains(PRIVATE) {
        text.replace(PRIVATE, "\u{FFFD}")
    } else {
        text
    })
}

/// The character the renderer's splice markers are made of.
const PRIVATE: char = '\u{E000}';

/// What a file's metadata says about its contents: when any of these differ, the file may
/// have changed. An editor's atomic save (write a new file, rename it over) changes the inode.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct StatKey {
    len: u64,
    modified: Option<SystemTime>,
    #[cfg(unix)]
    ino: u64,
    #[cfg(unix)]
    ctime: (i64, i64),
}

impl StatKey {
    fn of(meta: &std::fs::Metadata) -> StatKey {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        StatKey {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            ino: meta.ino(),
            #[cfg(unix)]
            ctime: (meta.ctime(), meta.ctime_nsec()),
        }
    }
}

/// How long after its last modification a file's timestamps are trusted to tell a later
/// change: within this window, a second save in the same clock tick (or, on file systems
/// with coarse timestamps, the same two seconds) could leave size and times as they were,
/// so a file this fresh is read again (Git's "racily clean" rule).
const RACY: Duration = Duration::from_secs(2);

/// The files read by earlier runs of a session, by path: their metadata when read and a
/// hash of their bytes. A file whose metadata is unchanged (and was not modified just before
/// it was read) is taken to hold the same bytes, so a rebuild need not read it again.
#[derive(Default)]
pub struct Seen {
    files: HashMap<PathBuf, (StatKey, [u8; 32])>,
    /// Folder listings (names sorted, with whether each is a folder, a file, or neither),
    /// by folder: a folder's times change when an entry is added, removed or renamed.
    dirs: HashMap<PathBuf, (StatKey, Listing)>,
    /// Never vouch for anything: every file is read and every folder listed on every run
    /// (for file systems whose times cannot be trusted).
    pub distrust: bool,
}

/// A folder's entries, sorted by name: (name, is a folder, is a regular file).
type Listing = std::sync::Arc<Vec<(std::ffi::OsString, bool, bool)>>;

impl Seen {
    /// The hash of `path`'s bytes, when its metadata shows it unchanged since it was
    /// recorded.
    pub fn unchanged(&self, path: &Path, meta: &std::fs::Metadata) -> Option<[u8; 32]> {
        if self.distrust {
            return None;
        }
        let (key, hash) = self.files.get(path)?;
        (*key == StatKey::of(meta)).then_some(*hash)
    }

    /// Records that `path`, with metadata `meta` (taken before reading it), held bytes hashing
    /// to `hash`. A file modified within [`RACY`] of now is not recorded: it is read again
    /// next time.
    pub fn record(&mut self, path: &Path, meta: &std::fs::Metadata, hash: [u8; 32]) {
        self.record_at(path, meta, hash, SystemTime::now());
    }

    /// [`Seen::record`] at the time `now`. Both the modification and the change time must be
    /// settled: then any later change, even one that sets the old modification time back
    /// (`rsync -t`), gives the file a new change time.
    fn record_at(
        &mut self,
        path: &Path,
        meta: &std::fs::Metadata,
        hash: [u8; 32],
        now: SystemTime,
    ) {
        if !settled(meta, now) {
            self.files.remove(path);
        } else {
            self.files
                .insert(path.to_path_buf(), (StatKey::of(meta), hash));
        }
    }

    /// The entries of folder `dir`, from the last listing when the folder's metadata vouches
    /// for it (by the same rule as files).
    fn list(&mut self, dir: &Path) -> io::Result<Listing> {
        let meta = std::fs::metadata(dir)?;
        let key = StatKey::of(&meta);
        if let Some((k, l)) = self.dirs.get(dir)
            && *k == key
            && !self.distrust
        {
            return Ok(l.clone());
        }
        let mut entries = Vec::new();
        for e in std::fs::read_dir(dir)? {
            let e = e?;
            let mut t = e.file_type()?;
            if t.is_symlink() {
                // Followed, as walkdir follows them; a dangling link is neither.
                match std::fs::metadata(e.path()) {
                    Ok(m) => t = m.file_type(),
                    Err(_) => continue,
                }
            }
            entries.push((e.file_name(), t.is_dir(), t.is_file()));
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let listing = std::sync::Arc::new(entries);
        if settled(&meta, SystemTime::now()) {
            self.dirs.insert(dir.to_path_buf(), (key, listing.clone()));
        } else {
            self.dirs.remove(dir);
        }
        Ok(listing)
    }

    /// [`walk_files`], listing only the folders whose metadata changed.
    pub fn walk_files(&mut self, dir: &Path) -> io::Result<Vec<(String, PathBuf)>> {
        let mut out = Vec::new();
        if dir.is_dir() {
            self.walk_into(dir, "", &mut Vec::new(), &mut out)?;
        }
        Ok(out)
    }

    /// Walks `dir` (at `rel`); `above` holds the folders being walked, to stop at link loops.
    fn walk_into(
        &mut self,
        dir: &Path,
        rel: &str,
        above: &mut Vec<PathBuf>,
        out: &mut Vec<(String, PathBuf)>,
    ) -> io::Result<()> {
        let real = std::fs::canonicalize(dir)?;
        if above.contains(&real) {
            return Err(io::Error::other(format!(
                "file system loop found: {} points to {}, a folder it is in",
                dir.display(),
                real.display()
            )));
        }
        above.push(real);
        for (os_name, is_dir, is_file) in self.list(dir)?.iter() {
            let name = os_name.to_string_lossy();
            if is_ignored_name(&name) {
                continue;
            }
            let r = if rel.is_empty() {
                name.into_owned()
            } else {
                format!("{rel}/{name}")
            };
            let path = dir.join(os_name);
            if *is_dir {
                self.walk_into(&path, &r, above, out)?;
            } else if *is_file {
                out.push((r, path));
            }
        }
        above.pop();
        Ok(())
    }
}

/// Whether a file's modification and change times are both at least [`RACY`] before `now`.
fn settled(meta: &std::fs::Metadata, now: SystemTime) -> bool {
    let old = |t: Option<SystemTime>| {
        t.and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age >= RACY)
    };
    #[cfg(unix)]
    let changed = {
        use std::os::unix::fs::MetadataExt;
        u64::try_from(meta.ctime())
            .ok()
            .map(|s| SystemTime::UNIX_EPOCH + Duration::new(s, meta.ctime_nsec() as u32))
    };
    #[cfg(not(unix))]
    let changed = meta.modified().ok();
    old(meta.modified().ok()) && old(changed)
}

/// The hash of a file's bytes that [`Seen`] and the input fingerprint use.
pub fn content_hash(bytes: &[u8]) -> [u8; 32] {
    // A large file (claims.yaml) is hashed on every core.
    if bytes.len() >= 1 << 18 {
        return *blake3::Hasher::new()
            .update_rayon(bytes)
            .finalize()
            .as_bytes();
    }
    *blake3::hash(bytes).as_bytes()
}

/// A file found by [`scan`]: its path relative to the root (with `/`), the hash of its bytes,
/// and the bytes themselves when the scan read them and was asked to keep them.
pub struct Scanned {
    pub rel: String,
    pub hash: [u8; 32],
    pub bytes: Option<Vec<u8>>,
}

/// Every file below `dirs` of `root` (sorted, each path prefixed by its dir) with the hash of
/// its bytes, reading only the files `seen` does not vouch for, and recording those. The bytes
/// read are kept for the files `keep` names. `None` when a file cannot be read.
pub fn scan(
    root: &Path,
    dirs: &[&str],
    seen: &mut Seen,
    keep: impl Fn(&str) -> bool + Sync,
) -> Option<Vec<Scanned>> {
    use rayon::prelude::*;
    let mut listed = Vec::new();
    for dir in dirs {
        for (rel, path) in seen.walk_files(&root.join(dir)).ok()? {
            listed.push((format!("{dir}/{rel}"), path));
        }
    }
    let seen_now: &Seen = seen;
    let found: Vec<Option<(Scanned, Option<std::fs::Metadata>)>> = listed
        .par_iter()
        .map(|(rel, path)| {
            let meta = std::fs::metadata(path).ok()?;
            if let Some(hash) = seen_now.unchanged(path, &meta) {
                let found = Scanned {
                    rel: rel.clone(),
                    hash,
                    bytes: None,
                };
                return Some((found, None));
            }
            let bytes = std::fs::read(path).ok()?;
            let found = Scanned {
                rel: rel.clone(),
                hash: content_hash(&bytes),
                bytes: keep(rel).then_some(bytes),
            };
            Some((found, Some(meta)))
        })
        .collect();
    let mut out = Vec::with_capacity(found.len());
    for (f, (_, path)) in found.into_iter().zip(&listed) {
        let (f, meta) = f?;
        if let Some(meta) = meta {
            seen.record(path, &meta, f.hash);
        }
        out.push(f);
    }
    // Files that are gone are forgotten.
    if seen.files.len() > listed.len() {
        let present: std::collections::HashSet<&Path> =
            listed.iter().map(|(_, p)| p.as_path()).collect();
        seen.files.retain(|p, _| present.contains(p.as_path()));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_walks_list_what_walkdir_lists() {
        let tmp = tempfile::tempdir().expect("tmp");
        let d = tmp.path();
        for f in [
            "b.md",
            "a/z.md",
            "a/b/c.md",
            "a-b.md",
            "A.md",
            ".hidden.md",
            "x.md~",
            ".git/config",
            "a/.swp/y.md",
            "4913",
        ] {
            let p = d.join(f);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(&p, f).expect("write");
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(d.join("b.md"), d.join("link.md")).expect("symlink");
        let mut seen = Seen::default();
        let want = walk_files(d).expect("walk");
        assert_eq!(seen.walk_files(d).expect("walk"), want);
        assert_eq!(seen.walk_files(d).expect("walk"), want);
        std::fs::remove_file(d.join("a/b/c.md")).expect("rm");
        assert_eq!(
            seen.walk_files(d).expect("walk"),
            walk_files(d).expect("walk")
        );
        assert!(seen.walk_files(&d.join("none")).expect("walk").is_empty());
    }

    #[test]
    fn no_input_can_hold_a_splice_marker() {
        let marker = crate::site::splice_marker(0);
        let text = decode_text(
            Path::new("claims.yaml"),
            format!("claim: \"{marker}\"\n").into_bytes(),
        )
        .expect("text");
        assert!(!text.contains('\u{E000}'), "{text:?}");
        assert_eq!(text.len(), marker.len() + "claim: \"\"\n".len());
    }

    #[test]
    fn seen_vouches_only_for_settled_files() {
        let tmp = tempfile::tempdir().expect("tmp");
        let p = tmp.path().join("a.md");
        std::fs::write(&p, "aaaa").expect("write");
        let meta = || std::fs::metadata(&p).expect("stat");
        let hash = content_hash(b"aaaa");
        let mut seen = Seen::default();
        // Just written: not vouched for.
        seen.record(&p, &meta(), hash);
        assert_eq!(seen.unchanged(&p, &meta()), None);
        // Settled (as seen a minute later): vouched for while its metadata is the same.
        let later = SystemTime::now() + Duration::from_secs(60);
        seen.record_at(&p, &meta(), hash, later);
        assert_eq!(seen.unchanged(&p, &meta()), Some(hash));
        // Unless told to trust nothing (`watch --poll`).
        seen.distrust = true;
        assert_eq!(seen.unchanged(&p, &meta()), None);
        seen.distrust = false;
        // Rewritten with the same size and its old modification time put back: the change
        // time tells.
        let modified = meta().modified().expect("mtime");
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&p, "bbbb").expect("write");
        std::fs::File::options()
            .write(true)
            .open(&p)
            .and_then(|f| f.set_modified(modified))
            .expect("set mtime");
        assert_eq!(meta().modified().expect("mtime"), modified);
        assert_eq!(seen.unchanged(&p, &meta()), None);
        // Replaced by an editor's atomic save (a new file renamed over it).
        seen.record_at(&p, &meta(), content_hash(b"bbbb"), later);
        let tmp_file = tmp.path().join("a.md.tmp");
        std::fs::write(&tmp_file, "cccc").expect("write");
        std::fs::rename(&tmp_file, &p).expect("rename");
        assert_eq!(seen.unchanged(&p, &meta()), None);
    }
}
