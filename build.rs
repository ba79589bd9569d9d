//! Build script: a hash of dossier's own source (its code, the built-in theme, the locked
//! dependencies), so that a build can tell whether an output folder was made by this very
//! dossier from the same input, and skip the work when nothing changed.

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

fn main() {
    let mut files = Vec::new();
    for dir in ["src", "themes/default"] {
        walk(Path::new(dir), &mut files);
        println!("cargo:rerun-if-changed={dir}");
    }
    for f in ["Cargo.toml", "Cargo.lock", "build.rs"] {
        files.push(PathBuf::from(f));
        println!("cargo:rerun-if-changed={f}");
    }
    let mut h = blake3::Hasher::new();
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
    }
    let hex = h.finalize().to_hex();
    println!("cargo:rustc-env=DOSSIER_SOURCE_HASH={}", &hex[..32]);
}
