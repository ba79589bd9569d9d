//! Diff-friendly output: anchors derived from claim and source ids, every internal link
//! resolving to a page and an id, and one edit changing only the pages that show it.

mod common;

use std::collections::BTreeSet;

use common::*;

const CLAIMS: &str = "- id: a\n  claim: \"Claim a.\"\n  topic: one\n  quotes:\n    - source: alpha\n      text: \"Alpha says a.\"\n- id: b\n  claim: \"Claim b.\"\n  topic: two\n  value: {kind: quantity}\n  quotes:\n    - source: beta\n      text: \"Beta says b.\"\n      value: \"10\"\n    - source: gamma\n      text: \"Gamma says b.\"\n      value: \"20\"\n- id: c\n  claim: \"Claim c.\"\n  topic: two\n  quotes:\n    - source: beta\n      text: \"Beta says c.\"\n";

/// Three sources and three claims; `b` is disputed.
fn three_claims() -> Fixture {
    let f = Fixture::new();
    f.simple_article("alpha", "Alpha News", "Alpha says a.\n");
    f.simple_article("beta", "Beta Times", "Beta says b.\n\nBeta says c.\n");
    f.simple_article("gamma", "Gamma Daily", "Gamma says b.\n");
    f.claims(CLAIMS);
    f.build().expect_code(0);
    f
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn editing_one_claim_changes_only_the_pages_that_show_it() {
    let f = three_claims();
    let before = read_tree(&f.out());
    assert!(
        section_ids(&f.page("discrepancies/index.html"), "discrepancy").contains(&"b".to_string())
    );

    f.claims(&CLAIMS.replace("Claim a.", "Claim a, reworded."));
    let run = f.build();
    run.expect_code(0);
    let after = read_tree(&f.out());
    assert_eq!(
        changed_files(&before, &after),
        set(&[
            "claims/a/index.html",
            "index.html",
            "topics/one/index.html",
            "sources/alpha/index.html",
            // The data files hold every claim.
            "claims.json",
            "claims.csv",
            // Its first line records the fingerprint of the input the site was built from.
            ".dossier-manifest",
        ]),
        "editing claim a (not disputed)"
    );
    assert_contains(&run.stdout, " 6 written");

    f.claims(
        &CLAIMS
            .replace("Claim a.", "Claim a, reworded.")
            .replace("Claim b.", "Claim b, reworded."),
    );
    f.build().expect_code(0);
    let again = read_tree(&f.out());
    assert_eq!(
        changed_files(&after, &again),
        set(&[
            "claims/b/index.html",
            "index.html",
            "topics/two/index.html",
            "sources/beta/index.html",
            "sources/gamma/index.html",
            "discrepancies/index.html",
            "claims.json",
            "claims.csv",
            ".dossier-manifest",
        ]),
        "editing claim b (disputed)"
    );
    for other in [
        "claims/a/index.html",
        "claims/c/index.html",
        "sources/alpha/index.html",
        "sources/index.html",
        "404.html",
    ] {
        assert_eq!(after[other], again[other], "{other} is unchanged");
    }
}

#[test]
fn editing_a_note_changes_only_the_claim_page() {
    let f = three_claims();
    let before = read_tree(&f.out());
    f.claims(&CLAIMS.replace("  topic: two\n  quotes:\n    - source: beta\n      text: \"Beta says c.\"", "  topic: two\n  note: \"A *new* note.\"\n  quotes:\n    - source: beta\n      text: \"Beta says c.\""));
    f.build().expect_code(0);
    assert_eq!(
        changed_files(&before, &read_tree(&f.out())),
        set(&["claims/c/index.html", ".dossier-manifest"])
    );
    assert_contains(&f.page("claims/c/index.html"), "A <em>new</em> note.");
}

#[test]
fn adding_a_claim_does_not_renumber_other_pages() {
    let f = three_claims();
    let before = read_tree(&f.out());
    let new_claim = "- id: d\n  claim: \"Claim d.\"\n  quotes:\n    - source: gamma\n      text: \"Gamma says b.\"\n";
    f.claims(&format!("{new_claim}{CLAIMS}"));
    f.build().expect_code(0);
    let after = read_tree(&f.out());
    let changed = changed_files(&before, &after);
    for unchanged in [
        "claims/a/index.html",
        "claims/b/index.html",
        "claims/c/index.html",
        "sources/alpha/index.html",
        "topics/one/index.html",
    ] {
        assert!(
            !changed.contains(unchanged),
            "{unchanged} changed: {changed:?}"
        );
    }
    assert!(
        changed.contains("claims/d/index.html") && changed.contains(".dossier-manifest"),
        "{changed:?}"
    );
}

#[test]
fn ids_are_derived_from_claim_and_source_ids() {
    let f = three_claims();
    let alpha = ids(&f.page("sources/alpha/index.html"));
    assert!(alpha.contains(&"q-a".to_string()), "{alpha:?}");
    let beta = ids(&f.page("sources/beta/index.html"));
    assert!(
        beta.contains(&"q-b".to_string()) && beta.contains(&"q-c".to_string()),
        "{beta:?}"
    );
    let b = ids(&f.page("claims/b/index.html"));
    assert!(
        b.contains(&"source-beta".to_string()) && b.contains(&"source-gamma".to_string()),
        "{b:?}"
    );
    let index = ids(&f.page("index.html"));
    for c in ["claim-a", "claim-b", "claim-c"] {
        assert!(index.contains(&c.to_string()), "{index:?}");
    }
    let disc = ids(&f.page("discrepancies/index.html"));
    assert!(disc.contains(&"b".to_string()), "{disc:?}");
}

#[test]
fn a_second_quote_from_one_source_gets_a_numbered_anchor() {
    let f = Fixture::new();
    f.simple_article(
        "alpha",
        "Alpha News",
        "The first sentence is here. The second sentence is there.\n",
    );
    f.claims("- id: a\n  claim: \"A\"\n  quotes:\n    - source: alpha\n      text: \"The first sentence is here.\"\n    - source: alpha\n      text: \"The second sentence is there.\"\n");
    f.build().expect_code(0);
    let source = f.page("sources/alpha/index.html");
    let found = ids(&source);
    assert!(
        found.contains(&"q-a".to_string()) && found.contains(&"q-a--2".to_string()),
        "{found:?}"
    );
    let claim = f.page("claims/a/index.html");
    assert_contains(&claim, "href=\"/sources/alpha/#q-a\"");
    assert_contains(&claim, "href=\"/sources/alpha/#q-a--2\"");
    assert_links_resolve(&f.out());
}

#[test]
fn every_internal_link_resolves_to_a_page_and_an_id() {
    let f = three_claims();
    let n = assert_links_resolve(&f.out());
    assert!(n > 20, "links were checked ({n})");
}

#[test]
fn every_page_has_unique_ids() {
    let f = three_claims();
    for (path, html) in html_pages(&read_tree(&f.out())) {
        assert!(
            duplicate_ids(&html).is_empty(),
            "{path}: duplicate ids {:?}",
            duplicate_ids(&html)
        );
    }
}

#[test]
fn quote_anchors_of_different_claims_never_collide() {
    let f = Fixture::new();
    f.simple_article("alpha", "Alpha News", "The first sentence is here. The second sentence is there.\n\nA third sentence stands alone.\n");
    f.claims("- id: a\n  claim: \"A\"\n  quotes:\n    - source: alpha\n      text: \"The first sentence is here.\"\n    - source: alpha\n      text: \"The second sentence is there.\"\n- id: a-2\n  claim: \"A2\"\n  quotes:\n    - source: alpha\n      text: \"A third sentence stands alone.\"\n");
    f.build().expect_code(0);
    let source = f.page("sources/alpha/index.html");
    assert!(
        duplicate_ids(&source).is_empty(),
        "sources/alpha: duplicate ids {:?}",
        duplicate_ids(&source)
    );
}

#[test]
fn column_anchors_of_different_sources_never_collide() {
    let f = Fixture::new();
    f.simple_article("x", "X", "The x text.\n");
    f.simple_article("x-heading", "XH", "The xh text.\n");
    f.claims("- id: k\n  claim: \"K\"\n  quotes:\n    - source: x\n      text: \"The x text.\"\n    - source: x-heading\n      text: \"The xh text.\"\n");
    f.build().expect_code(0);
    let claim = f.page("claims/k/index.html");
    assert!(
        duplicate_ids(&claim).is_empty(),
        "claims/k: duplicate ids {:?}",
        duplicate_ids(&claim)
    );
}
