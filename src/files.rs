//! Small file-system helpers: sorted directory walks (the only module that knows about
//! walkdir) and reading text with a clear error.
//!
//! Walks are always sorted by file name so that everything downstream is deterministic.

use std::io;
use std::path::{Path, PathBuf};

/// Every regular file below `dir`, sorted, as (path relative to `dir` with `/`, full path).
/// A missing `dir` gives an empty list. Editor temp and hidden files are skipped.
pub fn walk_files(dir: &Path) -> io::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .follow_links(false)
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
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{} is not UTF-8 text (invalid byte at offset {}); save it as UTF-8",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    // Some editors (Windows Notepad) start UTF-8 files with a byte-order mark.
    Ok(match text.strip_prefix('\u{FEFF}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// A hash of a text, to tell within one process whether it changed since it was last seen
/// (not stable across versions of Rust: never stored).
pub fn text_hash(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}
