//! Replays the fuzz corpora (`fuzz/corpus/<target>/`), the hand-written seeds
//! (`fuzz/seeds/<target>/`) and the inputs that once failed (`fuzz/regressions/<target>/`) through the same functions and invariants as the cargo-fuzz
//! targets (`fuzz/common/mod.rs`), so `cargo test` keeps what fuzzing found without a
//! nightly toolchain or libFuzzer.

use std::path::{Path, PathBuf};

#[path = "../fuzz/common/mod.rs"]
mod fuzz_common;

/// The files of `dir`, sorted (none when it does not exist).
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a readable folder entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs every input of `target`, and says which failed (a failure does not stop the replay,
/// so one does not hide the others).
fn replay(target: &str) {
    let (_, run) = fuzz_common::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .expect("a known target");
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let corpus = inputs(&fuzz.join("corpus").join(target));
    let mut others = inputs(&fuzz.join("seeds").join(target));
    others.extend(inputs(&fuzz.join("regressions").join(target)));
    assert!(
        !corpus.is_empty(),
        "no corpus for `{target}` in fuzz/corpus/{target}/"
    );
    let mut failed = Vec::new();
    for path in corpus.iter().chain(&others) {
        let data = std::fs::read(path).expect("a readable corpus file");
        if std::panic::catch_unwind(|| run(&data)).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} inputs of `{target}` fail (rerun one with `cargo fuzz run {target} FILE` in fuzz/):\n{}",
        failed.len(),
        corpus.len() + others.len(),
        failed.join("\n")
    );
}

#[test]
fn front_matter() {
    replay("front_matter");
}

#[test]
fn claims_yaml() {
    replay("claims_yaml");
}

#[test]
fn values() {
    replay("values");
}

#[test]
fn anchor() {
    replay("anchor");
}

#[test]
fn serve_route() {
    replay("serve_route");
}

/// Every target has a test above, and every corpus folder a target.
#[test]
fn every_target_is_replayed() {
    let names: Vec<&str> = fuzz_common::TARGETS.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names,
        [
            "front_matter",
            "claims_yaml",
            "values",
            "anchor",
            "serve_route"
        ]
    );
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    for dir in inputs_dirs(&corpus) {
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        assert!(
            names.contains(&name.as_str()),
            "fuzz/corpus/{name} has no target"
        );
    }
}

fn inputs_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|es| {
            es.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}
