//! Build script: a hash of dossier's own source (its code, the built-in theme, the locked
//! dependencies), so that a build can tell whether an output folder was made by this very
//! dossier from the same input, and skip the work when nothing changed.
//!
//! What is hashed is the product only: `src/`, `themes/default/`, `Cargo.toml`, `build.rs`, and
//! of `Cargo.lock` only the entries of the packages `dossier` itself resolves to (its own entry
//! and everything reachable from it). The workspace member `tools/` (benchmarks, the synthetic
//! generator), `tests/`, `fuzz/`, `content/` and `docs/` are not inputs: editing a tool, or
//! locking a new dependency of a tool, leaves `DOSSIER_SOURCE_HASH` as it was. The list of
//! what was hashed is written to `$OUT_DIR/source-inputs.txt`, and a unit test in src/lib.rs
//! reads it back.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// One `[[package]]` entry of Cargo.lock: its name, version, the dependency strings it lists
/// (`"name"`, `"name version"` or `"name version (source)"`) and its text.
struct LockEntry<'a> {
    name: &'a str,
    version: &'a str,
    deps: Vec<&'a str>,
    text: &'a str,
}

fn lock_entries(lock: &str) -> Vec<LockEntry<'_>> {
    let mut out = Vec::new();
    for block in lock.split("[[package]]\n").skip(1) {
        // A block ends at the next table header ([metadata] in old lock files) if any.
        let text = match block.find("\n[") {
            Some(i) => &block[..i + 1],
            None => block,
        };
        let field = |key: &str| {
            text.lines()
                .find_map(|l| {
                    l.strip_prefix(key)?
                        .strip_prefix(" = \"")?
                        .strip_suffix('"')
                })
                .unwrap_or("")
        };
        let deps = match text.find("dependencies = [\n") {
            Some(i) => text[i..]
                .lines()
                .skip(1)
                .take_while(|l| *l != "]")
                .filter_map(|l| l.trim().strip_prefix('"')?.strip_suffix("\","))
                .collect(),
            None => Vec::new(),
        };
        out.push(LockEntry {
            name: field("name"),
            version: field("version"),
            deps,
            text,
        });
    }
    out
}

/// The entries of Cargo.lock that the package `root` resolves to, in the lock file's order, or
/// `None` when the file does not parse as expected (the caller then hashes all of it: a hash
/// that changes too often costs a rebuild; one that misses a change would trust a stale site).
fn resolved<'a>(entries: &'a [LockEntry<'a>], root: &str) -> Option<Vec<&'a LockEntry<'a>>> {
    let start = entries.iter().position(|e| e.name == root)?;
    let mut seen = BTreeSet::from([start]);
    let mut todo = vec![start];
    while let Some(i) = todo.pop() {
        for dep in &entries[i].deps {
            let mut words = dep.split(' ');
            let name = words.next()?;
            let version = words.next();
            let mut found = false;
            for (j, e) in entries.iter().enumerate() {
                if e.name == name && version.is_none_or(|v| v == e.version) {
                    found = true;
                    if seen.insert(j) {
                        todo.push(j);
                    }
                }
            }
            if !found {
                return None;
            }
        }
    }
    Some(seen.into_iter().map(|i| &entries[i]).collect())
}

fn main() {
    let mut files = Vec::new();
    for dir in ["src", "themes/default"] {
        walk(Path::new(dir), &mut files);
        println!("cargo:rerun-if-changed={dir}");
    }
    for f in ["Cargo.toml", "build.rs"] {
        files.push(PathBuf::from(f));
        println!("cargo:rerun-if-changed={f}");
    }
    println!("cargo:rerun-if-changed=Cargo.lock");

    let mut h = blake3::Hasher::new();
    let mut inputs = String::new();
    for f in &files {
        // Paths with `/` whatever the platform, so every machine computes the same hash.
        let rel = f
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        h.update(rel.as_bytes());
        h.update(&[0]);
        if let Ok(bytes) = std::fs::read(f) {
            h.update(&bytes);
        }
        h.update(&[0]);
        inputs.push_str(&rel);
        inputs.push('\n');
    }

    let lock = std::fs::read_to_string("Cargo.lock").unwrap_or_default();
    h.update(b"Cargo.lock\0");
    let entries = lock_entries(&lock);
    match resolved(&entries, "dossier") {
        Some(used) => {
            for e in used {
                h.update(e.text.as_bytes());
                h.update(&[0]);
                inputs.push_str(&format!("Cargo.lock: {} {}\n", e.name, e.version));
            }
        }
        None => {
            h.update(lock.as_bytes());
            inputs.push_str("Cargo.lock\n");
        }
    }
    h.update(&[0]);

    let hex = h.finalize().to_hex();
    println!("cargo:rustc-env=DOSSIER_SOURCE_HASH={}", &hex[..32]);
    if let Some(out) = std::env::var_os("OUT_DIR") {
        // Read back by a unit test in src/lib.rs; a failure to write it fails that test.
        let _ = std::fs::write(Path::new(&out).join("source-inputs.txt"), inputs);
    }
}
