//! Writing the output safely: a failed build leaves the previous output as it was, a folder
//! holding files dossier did not write is refused, stale pages are removed, and unchanged files
//! are not rewritten.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime};

use common::*;

/// Two articles and three claims.
fn dossier_of_three() -> Fixture {
    let f = Fixture::new();
    f.simple_article(
        "alpha",
        "Alpha News",
        "The bridge reopened on Monday after eight months of repairs.\n",
    );
    f.simple_article(
        "beta",
        "Beta Times",
        "After nine months of work, the bridge reopened on Monday.\n",
    );
    f.claims(CLAIMS);
    f
}

const CLAIMS: &str = "- id: reopened\n  claim: \"The bridge reopened on Monday.\"\n  topic: bridge\n  quotes:\n    - source: alpha\n      text: \"The bridge reopened on Monday\"\n    - source: beta\n      text: \"the bridge reopened on Monday\"\n- id: duration\n  claim: \"The repairs took eight months.\"\n  topic: bridge\n  value: {kind: quantity, unit: months, stated: \"8\"}\n  quotes:\n    - source: alpha\n      text: \"after eight months of repairs\"\n      value: \"8\"\n    - source: beta\n      text: \"After nine months of work\"\n      value: \"9\"\n- id: work\n  claim: \"There was work on the bridge.\"\n  quotes:\n    - source: beta\n      text: \"nine months of work\"\n";

/// An mtime far in the past, to see whether a file is rewritten.
fn long_ago() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000)
}

/// Sets the mtime of every file under `dir` to [`long_ago`].
fn age_all(dir: &Path) {
    for rel in read_tree(dir).keys() {
        let file = std::fs::File::options()
            .append(true)
            .open(dir.join(rel))
            .expect("open an output file");
        file.set_modified(long_ago()).expect("set the mtime");
    }
}

/// path -> (mtime, inode) of every file under `dir`.
fn stamps(dir: &Path) -> BTreeMap<String, (SystemTime, u64)> {
    read_tree(dir)
        .keys()
        .map(|rel| {
            let m = std::fs::symlink_metadata(dir.join(rel)).expect("metadata");
            (rel.clone(), (m.modified().expect("mtime"), inode(&m)))
        })
        .collect()
}

#[cfg(unix)]
fn inode(m: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    m.ino()
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> u64 {
    0
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let f = dossier_of_three();
    f.build().expect_code(0);
    age_all(&f.out());
    let before = read_tree(&f.out());
    let before_stamps = stamps(&f.out());
    let before_dirs = read_dirs(&f.out());
    assert!(before.contains_key(".dossier-manifest"));

    // Break a quote.
    f.claims(&CLAIMS.replace(
        "after eight months of repairs",
        "after eighteen months of repairs",
    ));
    let run = f.build();
    run.expect_code(1);
    assert_contains(&run.stderr, "nothing was written");
    run.diag("error", "quote not found in source `alpha`");

    assert_same_tree(
        &before,
        &read_tree(&f.out()),
        "the output after a failed build",
    );
    assert_eq!(before_stamps, stamps(&f.out()), "no file was touched");
    assert_eq!(
        before_dirs,
        read_dirs(&f.out()),
        "no folder was added or removed"
    );
}

#[test]
fn a_failed_first_build_creates_nothing() {
    let f = dossier_of_three();
    f.claims(&CLAIMS.replace("source: beta", "source: gamma"));
    f.build().expect_code(1);
    assert!(!f.out().exists(), "no output folder");
}

#[test]
fn a_foreign_file_is_refused_and_kept() {
    let f = dossier_of_three();
    std::fs::create_dir_all(f.out()).expect("create the output folder");
    std::fs::write(f.out().join("notes.txt"), "my notes").expect("write notes");
    let run = f.build();
    run.expect_code(2);
    assert_contains(&run.stderr, "notes.txt");
    assert_contains(&run.stderr, "did not write");
    let tree = read_tree(&f.out());
    assert_eq!(
        tree.keys().collect::<Vec<_>>(),
        vec!["notes.txt"],
        "nothing was written beside it"
    );
    assert_eq!(tree["notes.txt"], b"my notes", "the file is kept as it was");
    assert!(read_dirs(&f.out()).is_empty(), "no folder was created");
}

#[test]
fn a_foreign_file_in_a_built_output_is_refused_and_nothing_changes() {
    let f = dossier_of_three();
    f.build().expect_code(0);
    std::fs::write(f.out().join("claims/notes.txt"), "my notes").expect("write notes");
    let before = read_tree(&f.out());
    // A change that would rewrite pages and remove one.
    f.claims(&CLAIMS.replace("- id: work\n", "- id: labour\n"));
    let run = f.build();
    run.expect_code(2);
    assert_contains(&run.stderr, "claims/notes.txt");
    assert_same_tree(&before, &read_tree(&f.out()), "the refused output");
}

#[test]
fn a_foreign_file_is_refused_even_by_a_build_that_changes_nothing() {
    let f = dossier_of_three();
    f.build().expect_code(0);
    std::fs::write(f.out().join("CNAME"), "example.org").expect("write CNAME");
    f.build().expect_code(2);
    assert_eq!(read_text(&f.out().join("CNAME")), "example.org");
}

#[test]
fn stale_pages_are_removed() {
    let f = dossier_of_three();
    f.build().expect_code(0);
    assert!(f.out().join("claims/work/index.html").is_file());
    assert!(f.out().join("sources/beta/index.html").is_file());

    // Delete the claim `work`.
    let cut = CLAIMS.find("- id: work").expect("the claim is there");
    f.claims(&CLAIMS[..cut]);
    let run = f.build();
    run.expect_code(0);
    assert_contains(&run.stdout, "1 removed");
    assert!(
        !f.out().join("claims/work").exists(),
        "the page and its folder are removed"
    );
    let manifest = read_text(&f.out().join(".dossier-manifest"));
    assert_lacks(&manifest, "claims/work/");
    assert_contains(&manifest, "claims/reopened/index.html");
    let files: Vec<String> = read_tree(&f.out())
        .into_keys()
        .filter(|k| k != ".dossier-manifest")
        .collect();
    let listed: Vec<String> = manifest
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split_once("  ").map_or(l, |(_, p)| p).to_string())
        .collect();
    assert_eq!(files, listed, "the manifest lists exactly the files");

    // Deleting an article (and the claims quoting it) removes its page too.
    std::fs::remove_file(f.root().join("content/articles/beta.md")).expect("remove beta");
    f.claims("- id: reopened\n  claim: \"The bridge reopened on Monday.\"\n  quotes:\n    - source: alpha\n      text: \"The bridge reopened on Monday\"\n");
    f.build().expect_code(0);
    assert!(!f.out().join("sources/beta").exists());
    assert!(!f.out().join("claims/duration").exists());
    assert!(
        !f.out().join("topics/bridge").exists(),
        "a topic with no claims left has no page"
    );
    assert!(
        !f.out().join("topics").exists(),
        "empty folders are removed"
    );
}

#[test]
fn unchanged_files_are_not_rewritten() {
    let f = dossier_of_three();
    f.build().expect_code(0);
    age_all(&f.out());
    let before = stamps(&f.out());
    assert!(before.values().all(|(t, _)| *t == long_ago()));

    let run = f.build();
    run.expect_code(0);
    assert_contains(&run.stdout, " 0 written");
    assert_contains(&run.stdout, &format!("{} unchanged", before.len() - 1));
    assert_eq!(
        before,
        stamps(&f.out()),
        "a no-op rebuild touches no file, the manifest included"
    );

    // Edit one claim: the files that show it are rewritten, and only those.
    let old_tree = read_tree(&f.out());
    f.claims(&CLAIMS.replace(
        "There was work on the bridge.",
        "Work was done on the bridge.",
    ));
    let run = f.build();
    run.expect_code(0);
    let new_tree = read_tree(&f.out());
    let changed = changed_files(&old_tree, &new_tree);
    assert!(changed.contains("claims/work/index.html"), "{changed:?}");
    // The manifest's first line (the input fingerprint) changes too; it is not a page.
    let pages = changed.iter().filter(|p| *p != ".dossier-manifest").count();
    assert_contains(&run.stdout, &format!(" {pages} written"));
    for (rel, (mtime, ino)) in stamps(&f.out()) {
        let was = before[&rel];
        if changed.contains(&rel) {
            assert_ne!(mtime, long_ago(), "{rel} changed and was rewritten");
        } else {
            assert_eq!(
                (mtime, ino),
                was,
                "{rel} did not change and was not rewritten"
            );
        }
    }
}

#[test]
fn leftover_temporary_files_are_cleaned_up() {
    let f = dossier_of_three();
    f.build().expect_code(0);
    // What an interrupted build may leave behind.
    std::fs::write(f.out().join("claims/.dossier-abc123.tmp"), "half a page").expect("write");
    let run = f.build();
    run.expect_code(0);
    assert!(!f.out().join("claims/.dossier-abc123.tmp").exists());
}

#[cfg(unix)]
#[test]
fn output_files_are_readable_like_any_other_file() {
    use std::os::unix::fs::PermissionsExt;
    let f = dossier_of_three();
    f.build().expect_code(0);
    // A file created the ordinary way in the same place gets the mode the umask allows.
    let probe = f.path("probe.txt");
    std::fs::write(&probe, "x").expect("write a probe");
    let expected = std::fs::metadata(&probe)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777;
    for rel in read_tree(&f.out()).keys() {
        let mode = std::fs::metadata(f.out().join(rel))
            .expect("metadata")
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(
            mode, expected,
            "{rel}: mode {mode:o}, a file written normally gets {expected:o}"
        );
    }
}

/// `dossier build` checks every output file's bytes against the manifest before it trusts
/// the stamp: a page edited by hand (same length, so only the bytes tell) is restored.
#[test]
fn a_hand_edited_output_file_is_restored_by_build() {
    let f = dossier_of_three();
    f.build().expect_code(0);
    let built = read_tree(&f.out());
    let page = f.out().join("claims/work/index.html");
    let text = read_text(&page);
    assert!(text.contains("There was work"), "{text}");
    std::fs::write(&page, text.replace("There was work", "There was WORK")).expect("edit");
    let run = f.build();
    run.expect_code(0);
    assert_lacks(&run.stdout, "up to date");
    assert_contains(&run.stdout, " 1 written");
    assert_same_tree(&built, &read_tree(&f.out()), "the output after the repair");
    // A removed page and an added empty folder are noticed too.
    std::fs::remove_file(&page).expect("remove");
    f.build().expect_code(0);
    std::fs::create_dir(f.out().join("claims/empty")).expect("mkdir");
    let run = f.build();
    run.expect_code(0);
    assert_lacks(&run.stdout, "up to date");
    assert_same_tree(&built, &read_tree(&f.out()), "the output after the repairs");
    assert_eq!(read_dirs(&f.out()), {
        let again = f.path("again");
        f.build_into(&again, &[]).expect_code(0);
        read_dirs(&again)
    });
    assert_contains(&f.build().stdout, "is up to date");
}

fn session(f: &Fixture) -> dossier::build::Session {
    dossier::build::Session::new(dossier::build::Options {
        root: f.root(),
        output: Some(f.out()),
        base_url: None,
    })
}

/// Only a complete one-shot build certifies the folder: what a session (`watch`, `serve`)
/// wrote is checked and compared in full by the next `dossier build`.
#[test]
fn a_session_does_not_stamp_its_output() {
    let f = dossier_of_three();
    let mut s = session(&f);
    s.rebuild().expect("first run");
    f.claims(&CLAIMS.replace("There was work", "Work happened"));
    s.rebuild().expect("incremental run");
    let manifest = read_text(&f.out().join(".dossier-manifest"));
    assert!(!manifest.starts_with('#'), "unstamped: {manifest:.80}");
    // A session's mistake would be corrected here: everything is checked and compared.
    let run = f.build();
    run.expect_code(0);
    assert_lacks(&run.stdout, "up to date");
    assert_contains(&run.stdout, "built ");
    assert_contains(
        &read_text(&f.out().join(".dossier-manifest")),
        "# dossier-build ",
    );
    assert_contains(&f.build().stdout, "is up to date");
}

/// A session whose write failed half way knows nothing of the folder afterwards: its next
/// write compares the folder with the site and rewrites what is stale there, even pages
/// whose content is back to what the session last wrote.
#[test]
fn a_session_after_a_failed_write_rewrites_what_is_stale_on_disk() {
    let f = dossier_of_three();
    let mut s = session(&f);
    s.rebuild().expect("first run");
    let before = read_tree(&f.out());
    // A new claim, whose page a folder (holding a file) stands in the way of, and an edit of
    // an existing claim.
    let obstacle = f.out().join("claims/extra/index.html");
    std::fs::create_dir_all(&obstacle).expect("mkdir");
    std::fs::write(obstacle.join("keep.txt"), "in the way").expect("write");
    let edited = format!(
        "{}- id: extra\n  claim: \"Extra.\"\n  quotes:\n    - source: beta\n      text: \"nine months of work\"\n",
        CLAIMS.replace("There was work", "Work happened")
    );
    f.claims(&edited);
    match s.rebuild() {
        Err(dossier::build::Failure::Usage(msg)) => {
            assert_contains(&msg, "claims/extra/index.html")
        }
        Err(other) => panic!("expected a write error, got {other:?}"),
        Ok(_) => panic!("the write succeeded through a folder in the way"),
    }
    let mut after = read_tree(&f.out());
    assert_eq!(
        after.remove("claims/extra/index.html/keep.txt").as_deref(),
        Some(&b"in the way"[..])
    );
    assert_same_tree(&before, &after, "the output after a failed write");
    // The obstacle goes, and the content is back to what the session last wrote.
    std::fs::remove_dir_all(f.out().join("claims/extra")).expect("rm");
    f.claims(CLAIMS);
    s.rebuild().expect("the next run");
    let fresh = f.path("fresh");
    f.build_into(&fresh, &[]).expect_code(0);
    let pages = |t: std::collections::BTreeMap<String, Vec<u8>>| {
        t.into_iter()
            .filter(|(k, _)| k != ".dossier-manifest")
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    assert_same_tree(
        &pages(read_tree(&fresh)),
        &pages(read_tree(&f.out())),
        "the session's output vs a fresh build",
    );
}
