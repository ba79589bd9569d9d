//! The bundled dossier (the repository's content/ and themes/): it builds, checks cleanly,
//! shows exactly the expected discrepancies, the committed public/ is what a build gives, and
//! builds are reproducible.

mod common;
use common::copy_dir;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;

/// The claim ids of content/claims.yaml, read line by line (each claim starts `- id: `).
fn bundled_claim_ids() -> Vec<String> {
    let text = read_text(&repo_root().join("content/claims.yaml"));
    let ids: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("- id:"))
        .map(|s| s.trim().trim_matches('"').to_string())
        .collect();
    assert!(!ids.is_empty(), "content/claims.yaml has claims");
    ids
}

/// The article ids of content/articles/.
fn bundled_article_ids() -> BTreeSet<String> {
    let dir = repo_root().join("content/articles");
    let ids: BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("list content/articles")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter_map(|n| n.strip_suffix(".md").map(str::to_string))
        .collect();
    assert!(!ids.is_empty(), "content/articles has articles");
    ids
}

fn build_bundled(out: &Path) -> Run {
    let run = dossier([
        "build".as_ref(),
        "--root".as_ref(),
        repo_root().as_os_str(),
        "--output".as_ref(),
        out.as_os_str(),
    ]);
    run.expect_code(0);
    run
}

/// The sub-folders of `dir` (one level).
fn subdirs(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("an entry"))
        .filter(|e| e.file_type().expect("a file type").is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn builds_every_page() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("public");
    let run = build_bundled(&out);
    assert!(
        run.stderr.is_empty(),
        "a clean build prints nothing on stderr:\n{}",
        run.stderr
    );
    assert_contains(&run.stdout, "built ");

    for f in [
        "index.html",
        "discrepancies/index.html",
        "sources/index.html",
        "404.html",
        "static/style.css",
        ".dossier-manifest",
    ] {
        assert!(out.join(f).is_file(), "{f} is written");
    }

    let claims = bundled_claim_ids();
    let unique: BTreeSet<String> = claims.iter().cloned().collect();
    assert_eq!(
        unique.len(),
        claims.len(),
        "claim ids in content/claims.yaml are unique"
    );
    for id in &claims {
        assert!(
            out.join("claims").join(id).join("index.html").is_file(),
            "claims/{id}/index.html is written"
        );
    }
    assert_eq!(
        subdirs(&out.join("claims")),
        unique,
        "one claim page per claim, no more"
    );

    let articles = bundled_article_ids();
    for id in &articles {
        assert!(
            out.join("sources").join(id).join("index.html").is_file(),
            "sources/{id}/index.html is written"
        );
    }
    assert_eq!(
        subdirs(&out.join("sources")),
        articles,
        "one source page per article, no more"
    );

    // The manifest lists exactly the files written.
    let tree = read_tree(&out);
    let manifest = String::from_utf8(tree[".dossier-manifest"].clone()).expect("manifest is text");
    assert!(
        manifest.starts_with("# dossier-build "),
        "the manifest's first line records what the build was made from: {manifest:.80}"
    );
    // Each line: the file's BLAKE3 hash, two spaces, its path.
    let listed: BTreeSet<&str> = manifest
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split_once("  ").map_or(l, |(_, p)| p))
        .collect();
    let written: BTreeSet<&str> = tree
        .keys()
        .map(String::as_str)
        .filter(|k| *k != ".dossier-manifest")
        .collect();
    assert_eq!(
        listed, written,
        "the manifest lists every file written, and only those"
    );

    // Every claim page links to the stylesheet and says which claim it is.
    let page = read_text(&out.join("claims/troop-numbers/index.html"));
    assert_contains(&page, "static/style.css");
    assert_contains(&page, "status-disputed");
}

#[test]
fn check_is_clean_and_writes_nothing() {
    let tmp = tempfile::tempdir().expect("tmp");
    // Check a copy, so that a stray write would be seen.
    copy_dir(&repo_root().join("content"), &tmp.path().join("content"));
    copy_dir(&repo_root().join("themes"), &tmp.path().join("themes"));
    let run = dossier(["check".as_ref(), "--root".as_ref(), tmp.path().as_os_str()]);
    run.expect_code(0);
    assert!(
        run.stderr.is_empty(),
        "check reports no warnings:\n{}",
        run.stderr
    );
    assert_contains(&run.stdout, "0 warnings");
    assert!(!tmp.path().join("public").exists(), "check writes nothing");
}

const DISPUTED: [&str; 6] = [
    "capture-date",
    "capturing-unit",
    "troop-numbers",
    "casualty-estimates",
    "evidence-provided",
    "russia-denied-deployment",
];

#[test]
fn discrepancies_page_lists_exactly_the_disputed_claims() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("public");
    build_bundled(&out);
    let page = read_text(&out.join("discrepancies/index.html"));

    let listed: BTreeSet<String> = section_ids(&page, "discrepancy").into_iter().collect();
    let expected: BTreeSet<String> = DISPUTED.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        listed, expected,
        "the conflicts listed on the discrepancies page"
    );
    for id in DISPUTED {
        let section = section_by_id(&page, id).unwrap_or_else(|| panic!("a section for {id}"));
        assert_contains(section, "class=\"reason\"");
        assert_contains(section, &format!("claims/{id}/"));
        let claim = read_text(&out.join(format!("claims/{id}/index.html")));
        assert_contains(&claim, "status status-disputed");
        assert_contains(&claim, "Where the sources disagree");
    }

    // Differences in precision are shown apart, never as conflicts.
    let precision_at = page
        .find("Differences in precision only")
        .expect("a precision section");
    for id in ["sniper-birth-year", "in-russia-by-autumn-2024"] {
        assert!(!listed.contains(id), "{id} is not a conflict");
        if let Some(at) = page.find(&format!("id=\"{id}\"")) {
            assert!(
                at > precision_at,
                "{id} appears only under \"Differences in precision only\""
            );
        }
        let claim = read_text(&out.join(format!("claims/{id}/index.html")));
        assert_lacks(&claim, "status-disputed");
    }
    for id in section_ids(&page, "precision-claim") {
        assert!(
            !listed.contains(&id),
            "{id} is listed both as a conflict and as a precision difference"
        );
    }

    // Every claim not listed is not disputed.
    for id in bundled_claim_ids() {
        let claim = read_text(&out.join(format!("claims/{id}/index.html")));
        assert_eq!(
            claim.contains("status status-disputed"),
            listed.contains(&id),
            "claims/{id}: disputed status and the discrepancies page agree"
        );
    }
}

#[test]
fn committed_public_equals_a_fresh_build() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("public");
    build_bundled(&out);
    let fresh = read_tree(&out);
    let committed = read_tree(&repo_root().join("public"));
    assert_same_tree(&committed, &fresh, "public/ (committed) vs a fresh build");
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("a");
    let b = tmp.path().join("elsewhere/b");
    build_bundled(&a);
    build_bundled(&b);
    let (ta, tb) = (read_tree(&a), read_tree(&b));
    assert!(ta.len() > 50, "the bundled site has many files");
    assert_same_tree(&ta, &tb, "two builds");
}

#[test]
fn output_does_not_depend_on_where_the_dossier_is() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut trees = Vec::new();
    for name in ["one", "a/much/deeper/folder"] {
        let root = tmp.path().join(name);
        copy_dir(&repo_root().join("content"), &root.join("content"));
        copy_dir(&repo_root().join("themes"), &root.join("themes"));
        let run = dossier([
            "build".as_ref(),
            "--root".as_ref(),
            root.as_os_str(),
            "-q".as_ref(),
        ]);
        run.expect_code(0);
        assert!(
            run.stdout.is_empty(),
            "-q prints nothing on success:\n{}",
            run.stdout
        );
        trees.push(read_tree(&root.join("public")));
    }
    assert_same_tree(
        &trees[0],
        &trees[1],
        "builds of two copies in different folders",
    );
    let from_repo = tempfile::tempdir().expect("tmp");
    build_bundled(from_repo.path());
    assert_same_tree(
        &trees[0],
        &read_tree(from_repo.path()),
        "a copy vs the repository",
    );
}

#[test]
fn every_page_has_unique_ids() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("public");
    build_bundled(&out);
    let pages = html_pages(&read_tree(&out));
    assert!(pages.len() > 50);
    for (path, html) in pages {
        let dup = duplicate_ids(&html);
        assert!(dup.is_empty(), "{path}: duplicate ids {dup:?}");
        assert!(
            !ids(&html).iter().any(String::is_empty),
            "{path}: an empty id"
        );
    }
}

#[test]
fn every_internal_link_resolves() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("public");
    build_bundled(&out);
    let n = assert_links_resolve(&out);
    assert!(n > 1000, "the bundled site has many internal links ({n})");
}
