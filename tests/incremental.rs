//! Incremental rebuilds (`dossier::build::Session`, what `watch` and `serve` use) give exactly
//! what a fresh build gives, after every kind of edit, and report errors at the same lines.

mod common;
use common::copy_dir;

use std::path::Path;

use dossier::build::{self, Failure, Options, Session};

/// What a fresh build gives: the first run of a new session.
fn fresh(root: &Path) -> Result<Vec<(String, Vec<u8>)>, Vec<String>> {
    incremental(&mut Session::new(Options {
        root: root.to_path_buf(),
        output: None,
        base_url: None,
    }))
}

fn incremental(s: &mut Session) -> Result<Vec<(String, Vec<u8>)>, Vec<String>> {
    match s.rebuild() {
        Ok(_) => Ok(s
            .files()
            .expect("files")
            .iter()
            .map(|(k, v)| (k.clone(), v.to_vec()))
            .collect()),
        Err(Failure::Content { diagnostics, .. }) => {
            Err(diagnostics.iter().map(|d| d.headline()).collect())
        }
        Err(Failure::Usage(u)) => Err(vec![u]),
    }
}

/// Compares two results, naming the files that differ (not dumping their bytes).
#[track_caller]
fn same(
    got: Result<Vec<(String, Vec<u8>)>, Vec<String>>,
    want: Result<Vec<(String, Vec<u8>)>, Vec<String>>,
    what: &str,
) {
    match (&got, &want) {
        (Ok(g), Ok(w)) => {
            let gp: Vec<&String> = g.iter().map(|f| &f.0).collect();
            let wp: Vec<&String> = w.iter().map(|f| &f.0).collect();
            assert_eq!(gp, wp, "{what}: the files differ");
            let differ: Vec<&String> = g
                .iter()
                .zip(w)
                .filter(|(a, b)| a.1 != b.1)
                .map(|(a, _)| &a.0)
                .collect();
            assert!(
                differ.is_empty(),
                "{what}: these pages differ from a fresh build: {differ:?}"
            );
        }
        (Err(g), Err(w)) => assert_eq!(g, w, "{what}: the errors differ"),
        _ => panic!(
            "{what}: one build failed, the other did not: {:?} vs {:?}",
            got.as_ref().err(),
            want.as_ref().err()
        ),
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

/// One edit to the dossier's files.
type Step<'a> = Box<dyn Fn() + 'a>;

#[test]
fn every_edit_rebuilds_to_what_a_fresh_build_gives() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &root.join("content"),
    );
    let claims = root.join("content/claims.yaml");
    let mut session = Session::new(Options {
        root: root.to_path_buf(),
        output: Some(root.join("public")),
        base_url: None,
    });
    same(incremental(&mut session), fresh(root), "first build");

    let steps: Vec<(&str, Step)> = vec![
        (
            "claim text",
            Box::new(|| {
                edit(
                    &claims,
                    "North Korea has sent 10,000 to 12,000 soldiers",
                    "North Korea has sent at least ten thousand soldiers",
                )
            }),
        ),
        (
            "lines inserted above every claim",
            Box::new(|| edit(&claims, "- id: ", "# a comment\n\n- id: ")),
        ),
        (
            "a quote shortened",
            Box::new(|| {
                edit(
                    &claims,
                    "Pyongyang had sent 10,000 to 12,000 soldiers to Russia",
                    "Pyongyang had sent 10,000 to 12,000 soldiers",
                )
            }),
        ),
        (
            "a value changed into a conflict-free one",
            Box::new(|| edit(&claims, "value: \"1998-1999\"", "value: \"1999\"")),
        ),
        (
            "an article's title",
            Box::new(|| {
                edit(
                    &root.join("content/articles/newsweek.md"),
                    "title: \"",
                    "title: \"Retitled: ",
                )
            }),
        ),
        (
            "an article's body",
            Box::new(|| {
                edit(
                    &root.join("content/articles/newsweek.md"),
                    "Newsweek has contacted",
                    "Newsweek has since contacted",
                )
            }),
        ),
        (
            "a topic changed",
            Box::new(|| edit(&claims, "topic: deployment", "topic: casualties")),
        ),
        (
            "a claim moved to the end",
            Box::new(|| {
                let text = std::fs::read_to_string(&claims).expect("read");
                let start = text.find("- id: ").expect("first claim");
                let next = text[start + 1..].find("\n- id: ").expect("second claim") + start + 2;
                let moved = format!(
                    "{}{}\n{}",
                    &text[..start],
                    &text[next..],
                    &text[start..next]
                );
                std::fs::write(&claims, moved).expect("write");
            }),
        ),
        (
            "a site setting",
            Box::new(|| {
                edit(
                    &root.join("content/site.yaml"),
                    "title: \"",
                    "title: \"The ",
                )
            }),
        ),
        (
            "an article added",
            Box::new(|| {
                std::fs::write(
                    root.join("content/articles/extra.md"),
                    "---\ntitle: \"Extra\"\noutlet: \"Extra Post\"\n---\nTwo soldiers were captured.\n",
                )
                .expect("write")
            }),
        ),
        (
            "an article removed",
            Box::new(|| {
                std::fs::remove_file(root.join("content/articles/extra.md")).expect("remove")
            }),
        ),
    ];
    for (what, step) in steps {
        step();
        same(
            incremental(&mut session),
            fresh(root),
            &format!("after: {what}"),
        );
    }

    // Errors: the same messages at the same lines as a fresh build, and after the fix the
    // same site again.
    edit(&claims, "- id: ", "# one more line\n- id: ");
    edit(
        &claims,
        "text: \"Ukraine has alleged",
        "text: \"Ukraine has claimed",
    );
    let got = incremental(&mut session);
    assert!(got.is_err(), "a broken quote fails");
    same(got, fresh(root), "errors match a fresh build");
    edit(
        &claims,
        "- id: troop-numbers",
        "- id: troop-numbers\n  claim: [unclosed",
    );
    same(
        incremental(&mut session),
        fresh(root),
        "a syntax error is reported as a whole parse reports it",
    );
    edit(
        &claims,
        "- id: troop-numbers\n  claim: [unclosed",
        "- id: troop-numbers",
    );
    edit(
        &claims,
        "text: \"Ukraine has claimed",
        "text: \"Ukraine has alleged",
    );
    let got = incremental(&mut session);
    assert!(got.is_ok(), "{:?}", got.as_ref().err());
    same(got.clone(), fresh(root), "fixed");
    // And the files written are what a one-shot build writes.
    let out = tempfile::tempdir().expect("tmp");
    build::run(&Options {
        root: root.to_path_buf(),
        output: Some(out.path().join("site")),
        base_url: None,
    })
    .expect("builds");
    for (path, bytes) in got.expect("ok") {
        assert_eq!(
            std::fs::read(root.join("public").join(&path)).expect("written"),
            bytes,
            "{path}"
        );
        assert_eq!(
            std::fs::read(out.path().join("site").join(&path)).expect("built"),
            bytes,
            "{path}"
        );
    }
}

/// The manifest in `dir`: its stamp line (if any) and the rest (each file's hash and path).
fn manifest(dir: &Path) -> (Option<String>, String) {
    let text = std::fs::read_to_string(dir.join(".dossier-manifest")).expect("manifest");
    match text.strip_prefix("# ") {
        Some(rest) => {
            let (stamp, files) = rest.split_once('\n').unwrap_or((rest, ""));
            (Some(stamp.to_string()), files.to_string())
        }
        None => (None, text),
    }
}

/// With settled files (older than the two seconds in which their timestamps cannot vouch for
/// them), a session reads only the files whose metadata changed. What it builds, and the
/// manifest it writes (every file's hash), are still exactly those of a fresh one-shot build;
/// only the one-shot build stamps its manifest.
#[test]
fn settled_files_are_vouched_for_by_their_metadata() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &root.join("content"),
    );
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let claims = root.join("content/claims.yaml");
    let article = root.join("content/articles/newsweek.md");
    let mut session = Session::new(Options {
        root: root.to_path_buf(),
        output: Some(root.join("public")),
        base_url: None,
    });
    let check = |session: &mut Session, what: &str| {
        same(incremental(session), fresh(root), what);
        let out = tempfile::tempdir().expect("tmp");
        let report = build::run(&Options {
            root: root.to_path_buf(),
            output: Some(out.path().to_path_buf()),
            base_url: None,
        })
        .expect("builds");
        let (session_stamp, session_files) = manifest(&root.join("public"));
        let (build_stamp, build_files) = manifest(out.path());
        assert_eq!(
            session_stamp, None,
            "{what}: a session does not stamp its output"
        );
        // Only a build without warnings stamps its output (the article added below is
        // quoted by no claim: a warning).
        assert_eq!(
            build_stamp.is_some(),
            report.warnings.is_empty(),
            "{what}: a build without warnings stamps its output"
        );
        assert_eq!(
            session_files, build_files,
            "{what}: the files and their hashes"
        );
    };
    check(&mut session, "first build");
    check(&mut session, "nothing changed");
    edit(
        &claims,
        "North Korea has sent 10,000 to 12,000 soldiers",
        "North Korea has sent at least ten thousand soldiers",
    );
    check(&mut session, "a claim edited");
    edit(
        &article,
        "Newsweek has contacted",
        "Newsweek has since contacted",
    );
    check(&mut session, "an article edited");
    // The same bytes written again: a new modification time, nothing else.
    let text = std::fs::read(&claims).expect("read");
    std::fs::write(&claims, text).expect("write");
    check(&mut session, "claims.yaml saved unchanged");
    std::fs::write(
        root.join("content/articles/extra.md"),
        "---\ntitle: \"Extra\"\noutlet: \"Extra Post\"\n---\nTwo soldiers were captured.\n",
    )
    .expect("write");
    check(&mut session, "an article added");
    std::fs::remove_file(root.join("content/articles/extra.md")).expect("remove");
    check(&mut session, "an article removed");
}
