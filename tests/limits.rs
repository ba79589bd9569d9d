//! Limits and wrong answers: ids and topic names too long for a file name are reported by
//! `check` with file and line (they used to pass and fail half way through `build`); values
//! no quantity can have are refused where they are written; `revision_of` finds its article
//! whatever the file names; the sources list puts each original before its updates; a very
//! long misquote is reported shortened.

mod common;

use common::*;

const BODY: &str = "Alpha says a.\n";

/// A dossier with the article `alpha` and `claims`.
fn with_claims(claims: &str) -> Fixture {
    let f = Fixture::new();
    f.simple_article("alpha", "Alpha News", BODY);
    f.claims(claims);
    f
}

/// `check` and `build` both fail with content errors (exit 1), and the build writes nothing.
#[track_caller]
fn refused(f: &Fixture) -> Run {
    let build = f.build();
    build.expect_code(1);
    assert!(!f.out().exists(), "a failed build writes nothing");
    let run = f.check();
    run.expect_code(1);
    run
}

#[test]
fn a_claim_id_too_long_for_a_file_name_is_reported_by_check() {
    let id = "a".repeat(256);
    let f = with_claims(&format!(
        "- id: {id}\n  claim: \"A.\"\n  quotes:\n    - source: alpha\n      text: \"Alpha says a.\"\n"
    ));
    let d = refused(&f).diag("error", "the claim id is 256 characters long");
    d.assert_at("content/claims.yaml:1")
        .assert_mentions("the most is 100");
    // The headline names the claim by the start of its id, not all 256 characters.
    assert!(!d.headline.contains(&"a".repeat(101)), "{}", d.headline);
}

#[test]
fn the_longest_id_allowed_builds() {
    let id = "a".repeat(100);
    let f = with_claims(&format!(
        "- id: {id}\n  claim: \"A.\"\n  quotes:\n    - source: alpha\n      text: \"Alpha says a.\"\n"
    ));
    f.build().expect_code(0);
    assert!(f.out().join(format!("claims/{id}/index.html")).is_file());
}

#[test]
fn an_undeclared_topic_of_sixty_words_is_reported_by_check() {
    let topic = vec!["deployment"; 60].join(" ");
    let f = with_claims(&format!(
        "- id: a\n  claim: \"A.\"\n  topic: \"{topic}\"\n  quotes:\n    - source: alpha\n      text: \"Alpha says a.\"\n"
    ));
    refused(&f)
        .diag("error", "the page name of topic")
        .assert_at("content/claims.yaml:1")
        .assert_mentions("the most is 100")
        .assert_mentions("declare it under `topics:`");
}

#[test]
fn a_source_file_name_too_long_is_reported_by_check() {
    let id = "b".repeat(120);
    let f = Fixture::new();
    f.simple_article(&id, "Beta", BODY);
    f.claims(&format!(
        "- id: a\n  claim: \"A.\"\n  quotes:\n    - source: {id}\n      text: \"Alpha says a.\"\n"
    ));
    let run = refused(&f);
    run.diag("error", "is 120 characters long")
        .assert_at(&format!("content/articles/{id}.md:1"));
    // The article is still read: its quote is found, only the name is wrong.
    assert_lacks(&run.stderr, "unknown source");
    assert_lacks(&run.stderr, "quote not found");
}

#[test]
fn a_declared_topic_id_too_long_is_reported_by_check() {
    let id = "t".repeat(101);
    let f = with_claims(
        "- id: a\n  claim: \"A.\"\n  quotes:\n    - source: alpha\n      text: \"Alpha says a.\"\n",
    );
    f.write(
        "content/site.yaml",
        &format!("title: \"T\"\ntopics:\n  - id: {id}\n    title: \"A topic\"\n"),
    );
    refused(&f)
        .diag("error", "is 101 characters long")
        .assert_at("content/site.yaml:3");
}

#[test]
fn a_value_no_quantity_can_have_is_refused_where_it_is_written() {
    // Two identical `<0` used to make a conflict (an empty interval meets nothing).
    let f = Fixture::new();
    f.simple_article("alpha", "Alpha News", BODY);
    f.simple_article("beta", "Beta Times", "Beta says a.\n");
    f.claims(
        "- id: a\n  claim: \"A.\"\n  value: {kind: quantity}\n  quotes:\n    - source: alpha\n      text: \"Alpha says a.\"\n      value: \"<0\"\n    - source: beta\n      text: \"Beta says a.\"\n      value: \"<0\"\n",
    );
    let run = refused(&f);
    let errors = run.diagnostics_of("error");
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    errors[0]
        .assert_at("content/claims.yaml:7")
        .assert_mentions("`<0` is true of no quantity")
        .assert_mentions("write `0`");
    errors[1].assert_at("content/claims.yaml:10");
    assert_lacks(&run.stderr, "conflict");
}

/// Articles whose file names sort `tribune-update.md`, `tribune.md`, `tribune2.md`: by id,
/// `tribune` comes first.
fn tribune() -> Fixture {
    let f = Fixture::new();
    f.simple_article("tribune", "Tribune", "The original says a.\n");
    f.article(
        "tribune-update",
        "title: \"Update\"\noutlet: \"Tribune\"\nrevision_of: tribune\n",
        "The update says a.\n",
    );
    f.simple_article("tribune2", "Other", "The other says a.\n");
    // Two ids before them, so that a search by id in file-name order lands on the update
    // first and never sees the original.
    f.simple_article("aardvark", "Aardvark", "Aardvark says a.\n");
    f.simple_article("bravo", "Bravo", "Bravo says a.\n");
    f.claims(
        "- id: a\n  claim: \"A.\"\n  quotes:\n    - source: tribune\n      text: \"The original says a.\"\n    - source: tribune-update\n      text: \"The update says a.\"\n    - source: tribune2\n      text: \"The other says a.\"\n",
    );
    f
}

#[test]
fn revision_of_finds_its_article_whatever_the_file_names() {
    let f = tribune();
    let run = f.build();
    run.expect_code(0);
    assert_lacks(&run.stderr, "names no article");
    // Versions of one report count as one outlet.
    assert_contains(
        &f.page("sources/tribune-update/index.html"),
        "sources/tribune/",
    );
}

#[test]
fn the_sources_list_puts_each_original_before_its_updates() {
    let f = tribune();
    f.write(
        "content/articles/a-later.md",
        "---\ntitle: \"Later\"\noutlet: \"Zeta\"\nrevision_of: zeta\n---\nLater.\n",
    );
    f.simple_article("zeta", "Zeta", "Zeta.\n");
    f.build().expect_code(0);
    let page = f.page("sources/index.html");
    let at = |id: &str| {
        page.find(&format!("href=\"/sources/{id}/\""))
            .unwrap_or_else(|| panic!("{id} is listed:\n{page}"))
    };
    assert!(at("aardvark") < at("tribune"));
    assert!(at("tribune") < at("tribune-update"));
    assert!(at("tribune-update") < at("tribune2"));
    // `a-later` sorts first by id, but follows the article it revises.
    assert!(at("tribune2") < at("zeta"));
    assert!(at("zeta") < at("a-later"));
}

#[test]
fn the_front_page_columns_put_each_original_before_its_updates() {
    let f = Fixture::new();
    f.simple_article("zeta", "Zeta", "Zeta says a.\n");
    f.article(
        "a-later",
        "title: \"Later\"\noutlet: \"Zeta\"\nrevision_of: zeta\n",
        "Later says a.\n",
    );
    f.simple_article("middle", "Middle", "Middle says a.\n");
    f.claims(
        "- id: a\n  claim: \"A.\"\n  quotes:\n    - source: a-later\n      text: \"Later says a.\"\n    - source: zeta\n      text: \"Zeta says a.\"\n    - source: middle\n      text: \"Middle says a.\"\n",
    );
    f.build().expect_code(0);
    let page = f.page("index.html");
    let at = |id: &str| {
        page.find(&format!(
            "<th scope=\"col\" class=\"source-col\"><a href=\"/sources/{id}/\""
        ))
        .unwrap_or_else(|| panic!("{id} is a column:\n{page}"))
    };
    assert!(at("middle") < at("zeta"));
    assert!(at("zeta") < at("a-later"));
}

#[test]
fn a_long_misquote_is_reported_shortened() {
    let words: Vec<String> = (0..20_000).map(|i| format!("w{i}")).collect();
    let body = format!("{}.\n", words.join(" "));
    let mut quoted = words.clone();
    quoted[10_000] = "changed".to_string();
    let f = Fixture::new();
    f.simple_article("alpha", "Alpha News", &body);
    f.claims(&format!(
        "- id: a\n  claim: \"A.\"\n  quotes:\n    - source: alpha\n      text: \"{}\"\n",
        quoted.join(" ")
    ));
    let run = f.check();
    run.expect_code(1);
    let d = run.diag("error", "quote not found");
    let notes = d.notes();
    let diff = notes
        .iter()
        .find(|n| n.starts_with("differences: "))
        .expect("a word diff");
    assert!(diff.contains("[-w10000-]{+changed+}"), "{diff}");
    assert!(diff.contains("characters left out"), "{diff}");
    assert!(diff.len() < 4_000, "the diff is {} bytes", diff.len());
    let passage = notes
        .iter()
        .find(|n| n.starts_with("closest passage"))
        .expect("the closest passage");
    assert!(
        passage.len() < 4_000,
        "the passage is {} bytes",
        passage.len()
    );
}
