//! One writer at a time, and all or nothing: two builds racing into one folder, builds killed
//! at any moment, and writes that fail half way (a name too long for the file system, a full
//! disk, a folder where a file must go). After each, the folder holds one whole site (the old
//! one or the new one, never a mix under a valid stamp), no temporary file, and the next build
//! repairs whatever an interruption left.
//!
//! The figures each test prints (`--nocapture`) are in docs/notes/build-reliability.md.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

use common::*;
use dossier::output::{self, Files};

type Tree = BTreeMap<String, Vec<u8>>;

/// How many rounds a randomised test runs: `default`, or `$DOSSIER_RACE_ROUNDS` (for the
/// longer runs behind the figures in docs/notes/build-reliability.md).
fn rounds(default: usize) -> usize {
    std::env::var("DOSSIER_RACE_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Writes a dossier of `n` articles and claims into `root` (`variant` changes every claim's
/// text, so two variants differ in every claim page, and in which claims exist).
fn make_dossier(root: &Path, n: usize, variant: &str) {
    let w = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    w("content/site.yaml", "title: \"Race dossier\"\n");
    let mut claims = String::new();
    for i in 0..n {
        w(
            &format!("content/articles/a{i:03}.md"),
            &format!(
                "---\ntitle: \"Article {i}\"\noutlet: \"Outlet {}\"\n---\nThe council met on day {i} and voted on item {i}.\n",
                i % 7
            ),
        );
        // Variant `b` drops every fifth claim and adds some of its own.
        if variant == "b" && i % 5 == 0 {
            claims.push_str(&format!(
                "- id: only-b-{i}\n  claim: \"Item {i} was voted on ({variant}).\"\n  topic: t{}\n  quotes:\n    - source: a{i:03}\n      text: \"voted on item {i}\"\n",
                i % 4
            ));
            continue;
        }
        claims.push_str(&format!(
            "- id: c{i}\n  claim: \"The council met on day {i} ({variant}).\"\n  topic: t{}\n  quotes:\n    - source: a{i:03}\n      text: \"The council met on day {i}\"\n",
            i % 3
        ));
    }
    w("content/claims.yaml", &claims);
}

fn build_cmd(root: &Path, out: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dossier"));
    c.args(["build", "--quiet", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn build(root: &Path, out: &Path) -> Run {
    let mut args = vec!["build".into(), "--root".into(), root.as_os_str().to_owned()];
    args.push("--output".into());
    args.push(out.as_os_str().to_owned());
    dossier(args)
}

fn is_temp(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.starts_with(".dossier-") && name.ends_with(".tmp")
}

fn stamped(tree: &Tree) -> bool {
    tree.get(output::MANIFEST)
        .is_some_and(|m| m.starts_with(b"# dossier-build "))
}

/// Two dossiers (`a`, `b`) and the trees their builds give.
struct Pair {
    _tmp: tempfile::TempDir,
    a: PathBuf,
    b: PathBuf,
    tree_a: Tree,
    tree_b: Tree,
}

fn two_dossiers(n: usize) -> Pair {
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    make_dossier(&a, n, "a");
    make_dossier(&b, n, "b");
    let ref_a = tmp.path().join("ref-a");
    let ref_b = tmp.path().join("ref-b");
    build(&a, &ref_a).expect_code(0);
    build(&b, &ref_b).expect_code(0);
    let (tree_a, tree_b) = (read_tree(&ref_a), read_tree(&ref_b));
    assert_ne!(tree_a, tree_b);
    Pair {
        _tmp: tmp,
        a,
        b,
        tree_a,
        tree_b,
    }
}

/// Two builds of different dossiers started together into one folder, many times: both
/// succeed (the second waits for the first), and the folder then holds exactly one of the two
/// sites, manifest and stamp included; a build of that dossier then finds it up to date.
#[test]
fn two_builds_racing_into_one_folder_leave_one_whole_site() {
    let p = two_dossiers(30);
    let tmp = tempfile::tempdir().expect("tmp");
    let pairs = rounds(12);
    let (mut waited, mut a_won, mut b_won) = (0, 0, 0);
    for i in 0..pairs {
        let out = tmp.path().join(format!("site-{i}"));
        // Half the pairs start from an existing site (of either dossier), half from nothing.
        match i % 4 {
            0 => build(&p.a, &out).expect_code(0),
            1 => build(&p.b, &out).expect_code(0),
            _ => &Run {
                code: 0,
                stdout: String::new(),
                stderr: String::new(),
            },
        };
        let (first, second) = if i % 2 == 0 {
            (&p.a, &p.b)
        } else {
            (&p.b, &p.a)
        };
        let c1 = build_cmd(first, &out).spawn().expect("spawn");
        let c2 = build_cmd(second, &out).spawn().expect("spawn");
        for c in [c1, c2] {
            let o = c.wait_with_output().expect("wait");
            let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
            assert!(o.status.success(), "pair {i}: a build failed:\n{stderr}");
            if stderr.contains("waiting for it to finish") {
                waited += 1;
            }
        }
        let tree = read_tree(&out);
        let which = if tree == p.tree_a {
            a_won += 1;
            &p.a
        } else if tree == p.tree_b {
            b_won += 1;
            &p.b
        } else {
            let near =
                if changed_files(&tree, &p.tree_a).len() < changed_files(&tree, &p.tree_b).len() {
                    &p.tree_a
                } else {
                    &p.tree_b
                };
            panic!(
                "pair {i}: a mixed site (stamped: {}); differs from the nearer one in {:?}",
                stamped(&tree),
                changed_files(&tree, near)
            );
        };
        let again = build(which, &out);
        again.expect_code(0);
        assert_contains(&again.stdout, "is up to date");
    }
    eprintln!(
        "{pairs} racing pairs: {a_won} left a's site, {b_won} b's, {waited} builds waited for the lock, 0 mixed, 0 refused"
    );
}

/// A build killed (SIGKILL) at moments spread over a whole build: the folder never holds a
/// mix under a valid stamp, and the next build leaves exactly the site a clean build gives.
#[cfg(unix)]
#[test]
fn a_build_killed_at_any_moment_is_repaired_by_the_next() {
    let p = two_dossiers(40);
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("site");
    build(&p.a, &out).expect_code(0);
    // How long a build takes that rewrites most of the site (measured, not asserted; the
    // longest of four, as other work on the machine can slow one down).
    let mut whole = std::time::Duration::ZERO;
    for root in [&p.b, &p.a, &p.b, &p.a] {
        let t0 = Instant::now();
        build(root, &out).expect_code(0);
        whole = whole.max(t0.elapsed());
    }
    let kills = rounds(12);
    let mut outcomes: BTreeMap<&str, usize> = BTreeMap::new();
    let mut current = &p.a;
    for k in 0..kills {
        let (next, next_tree) = if std::ptr::eq(current, &p.a) {
            (&p.b, &p.tree_b)
        } else {
            (&p.a, &p.tree_a)
        };
        let mut child = build_cmd(next, &out).spawn().expect("spawn");
        std::thread::sleep(whole.mul_f64(k as f64 / kills as f64 * 1.2));
        let _ = child.kill();
        let status = child.wait().expect("wait");
        let tree = read_tree(&out);
        let visible: Tree = tree
            .iter()
            .filter(|(k, _)| !is_temp(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let outcome = if status.success() {
            "finished before the kill"
        } else if visible == p.tree_a || visible == p.tree_b {
            if tree.len() == visible.len() {
                "killed: a whole site"
            } else {
                "killed: a whole site and hidden temporary files"
            }
        } else {
            assert!(
                !stamped(&tree),
                "kill {k}: a mixed site under a valid stamp: {:?}",
                changed_files(&visible, next_tree)
            );
            let pages = |t: &Tree| -> Tree {
                t.iter()
                    .filter(|(k, _)| *k != output::MANIFEST)
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            };
            let old_tree = if std::ptr::eq(next_tree, &p.tree_a) {
                &p.tree_b
            } else {
                &p.tree_a
            };
            if pages(&visible) == pages(old_tree) {
                "killed after staging: old pages, unstamped manifest"
            } else if pages(&visible) == pages(next_tree) {
                "killed after renaming: new pages, unstamped manifest"
            } else {
                "killed while renaming: a mix, unstamped manifest"
            }
        };
        *outcomes.entry(outcome).or_default() += 1;
        // The next build of the dossier the killed build was building repairs the folder.
        build(next, &out).expect_code(0);
        assert_same_tree(next_tree, &read_tree(&out), &format!("kill {k}: repaired"));
        current = next;
    }
    eprintln!("{kills} builds killed (a whole build took {whole:?}): {outcomes:?}");
}

fn files(list: &[(&str, &[u8])]) -> Files {
    list.iter()
        .map(|(p, b)| (p.to_string(), Arc::from(*b)))
        .collect()
}

/// Every file and every folder under `dir`, to compare before and after.
fn snapshot(dir: &Path) -> (Tree, std::collections::BTreeSet<String>) {
    (read_tree(dir), read_dirs(dir))
}

/// The site `write` is asked to replace in the failure tests: a page, a page in a folder.
fn old_site() -> Files {
    files(&[
        ("index.html", b"old index"),
        ("claims/a/index.html", b"old a"),
        ("claims/b/index.html", b"old b"),
    ])
}

/// `dir` after `new` failed to replace the old site: exactly as before, no temporary file.
#[track_caller]
fn assert_untouched(dir: &Path, before: &(Tree, std::collections::BTreeSet<String>)) {
    let after = snapshot(dir);
    assert_same_tree(&before.0, &after.0, "the folder after a failed write");
    assert_eq!(before.1, after.1, "no folder added or removed");
    assert!(
        !after.0.keys().any(|k| is_temp(k)),
        "no temporary file is left"
    );
}

/// A name longer than file systems take (here a claim id of 300 characters), among changes
/// that would succeed: nothing is written.
#[test]
fn a_name_too_long_fails_the_write_before_anything_changes() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("site");
    output::write(&out, &old_site(), None, Some("dossier-build x")).expect("write");
    let before = snapshot(&out);
    let long = "x".repeat(300);
    for (what, path) in [
        ("a folder name", format!("claims/{long}/index.html")),
        ("a file name", format!("static/{long}.css")),
    ] {
        let mut new = old_site();
        new.insert("index.html".into(), Arc::from(&b"new index"[..]));
        new.insert("claims/c/index.html".into(), Arc::from(&b"new c"[..]));
        new.insert(path, Arc::from(&b"x"[..]));
        let err = output::write(&out, &new, None, None).expect_err(what);
        assert_contains(&err.to_string(), "file systems take at most 255");
        assert_untouched(&out, &before);
    }
    build_still_repairs(&out);
}

/// The same with the real file system's own error: a name the preflight check lets through
/// (255 bytes, the most it takes) inside a path the file system refuses (a folder name of 255
/// bytes plus the temporary file's name in it is fine; a path beyond PATH_MAX is not).
#[cfg(target_os = "linux")]
#[test]
fn a_path_too_long_for_the_file_system_changes_nothing() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("site");
    output::write(&out, &old_site(), None, None).expect("write");
    let before = snapshot(&out);
    // 20 folders of 250 bytes: 5,000 bytes, beyond Linux's PATH_MAX (4,096).
    let deep: Vec<String> = (0..20)
        .map(|i| format!("{i:02}{}", "d".repeat(248)))
        .collect();
    let mut new = old_site();
    new.insert("index.html".into(), Arc::from(&b"new index"[..]));
    new.insert("claims/new/index.html".into(), Arc::from(&b"new"[..]));
    new.insert(
        format!("{}/index.html", deep.join("/")),
        Arc::from(&b"deep"[..]),
    );
    let err = output::write(&out, &new, None, None).expect_err("a path too long");
    eprintln!("path too long: {err}");
    assert_untouched(&out, &before);
}

/// A full disk (a small tmpfs, where this test may mount one: it runs as root on Linux; it
/// says so and passes elsewhere): the write fails half way through staging, and the folder
/// is as it was.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_fails_the_write_and_changes_nothing() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mnt = tmp.path().join("small");
    std::fs::create_dir_all(&mnt).expect("mkdir");
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
        .arg(&mnt)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("cannot mount a tmpfs here (not root?): the full-disk case is not tried");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _guard = Unmount(mnt.clone());
    let out = mnt.join("site");
    output::write(&out, &old_site(), None, Some("dossier-build x")).expect("write");
    let before = snapshot(&out);
    // Fill the disk, then free 16 KiB: room for some of the new files, not all.
    let filler = mnt.join("filler");
    {
        use std::io::Write;
        let mut f = std::fs::File::create(&filler).expect("filler");
        let chunk = vec![0u8; 4096];
        while f.write_all(&chunk).and_then(|_| f.flush()).is_ok() {}
    }
    let len = std::fs::metadata(&filler).expect("filler").len();
    std::fs::File::options()
        .write(true)
        .open(&filler)
        .and_then(|f| f.set_len(len.saturating_sub(16 * 1024)))
        .expect("free some room");
    let mut new = old_site();
    new.insert("index.html".into(), Arc::from(vec![b'i'; 4096]));
    new.insert("claims/c/index.html".into(), Arc::from(vec![b'c'; 8192]));
    new.insert("claims/d/index.html".into(), Arc::from(vec![b'd'; 40_000]));
    let err = output::write(&out, &new, None, None).expect_err("the disk is full");
    eprintln!("full disk: {err}");
    assert_untouched(&out, &before);
    // With room again, the same write succeeds.
    std::fs::remove_file(&filler).expect("remove the filler");
    output::write(&out, &new, None, None).expect("write");
    assert_eq!(read_tree(&out)["claims/d/index.html"].len(), 40_000);
}

/// After a failed write, a build (here: a write with no knowledge of the folder) still finds
/// the folder its own and completes.
fn build_still_repairs(out: &Path) {
    let site = files(&[("index.html", b"repaired")]);
    output::write(out, &site, None, None).expect("a later write succeeds");
    let tree = read_tree(out);
    assert_eq!(tree.len(), 2, "{:?}", tree.keys().collect::<Vec<_>>());
}

/// Two writers of different sites, one folder, many rounds, in one process (threads): the
/// folder always ends as one of the two sites.
#[test]
fn writers_on_threads_serialize() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("site");
    let site = |tag: &str, n: usize| -> Files {
        (0..n)
            .map(|i| {
                (
                    format!("p/{i}/index.html"),
                    Arc::from(format!("{tag} {i}").into_bytes()),
                )
            })
            .collect()
    };
    let (a, b) = (site("a", 120), site("b", 90));
    for round in 0..rounds(12) {
        std::thread::scope(|s| {
            s.spawn(|| output::write(&out, &a, None, None).expect("a"));
            s.spawn(|| output::write(&out, &b, None, None).expect("b"));
        });
        let tree = read_tree(&out);
        let pages: Tree = tree
            .into_iter()
            .filter(|(k, _)| k != output::MANIFEST)
            .collect();
        let as_tree =
            |f: &Files| -> Tree { f.iter().map(|(k, v)| (k.clone(), v.to_vec())).collect() };
        assert!(
            pages == as_tree(&a) || pages == as_tree(&b),
            "round {round}: a mix of both sites"
        );
    }
}
