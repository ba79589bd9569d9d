//! Ordinary Unicode in a dossier: text that used to panic (`é` in a date-time, the Kelvin
//! sign and `İ` in a source), sources and quotes in different normal forms (NFD and NFC), and
//! topics written in scripts other than Latin. Each is a small dossier built with the binary.

mod common;

use common::*;

/// A claim quoting `alpha` with `text`.
fn claim_quoting(text: &str) -> String {
    format!(
        "- id: c\n  claim: \"A claim.\"\n  quotes:\n    - source: alpha\n      text: \"{text}\"\n"
    )
}

#[test]
fn a_date_time_with_a_letter_is_an_error_not_a_panic() {
    let f = Fixture::new();
    f.article(
        "alpha",
        "title: \"A\"\noutlet: \"Alpha News\"\npublished: \"2025-03-03T12:0\u{e9}\"\n",
        "Alpha says a.\n",
    );
    f.claims(&claim_quoting("Alpha says a."));
    let run = f.check();
    run.expect_code(1);
    run.diag("error", "is not an ISO 8601 date")
        .assert_at("content/articles/alpha.md:4");
    assert_lacks(&run.stderr, "panicked");
}

#[test]
fn a_misquote_near_letters_whose_lower_case_is_longer_is_reported() {
    // Two `İ` (each one byte longer in lower case) and a Kelvin sign (two bytes shorter):
    // the lower-cased text has the source's length, but its offsets are not the source's.
    let f = Fixture::new();
    f.simple_article(
        "alpha",
        "Alpha News",
        "\u{130}\u{130} Fox \u{e9} \u{212a} and more words here.\n",
    );
    f.claims(&claim_quoting("fox \u{e9}"));
    let run = f.check();
    run.expect_code(1);
    run.diag("error", "quote not found in source `alpha`")
        .assert_mentions("\u{201c}Fox \u{e9}\u{201d}")
        .assert_mentions("only in letter case");
    assert_lacks(&run.stderr, "panicked");
}

#[test]
fn a_source_in_nfd_matches_a_quote_in_nfc_and_the_other_way_round() {
    let nfd = "Le caf\u{65}\u{301} est ferm\u{65}\u{301} le lundi.\n";
    let nfc = "Le caf\u{e9} est ferm\u{e9} le lundi.\n";
    for (body, quote) in [
        (nfd, "caf\u{e9} est ferm\u{e9}"),
        (nfc, "caf\u{65}\u{301} est ferm\u{65}\u{301}"),
    ] {
        let f = Fixture::new();
        f.simple_article("alpha", "Alpha News", body);
        f.claims(&claim_quoting(quote));
        f.build().expect_code(0);
        // The highlight holds the source's own characters (NFD stays NFD on its page).
        let own = &body[3..body.len() - 11];
        assert_contains(
            &f.page("sources/alpha/index.html"),
            &format!("<mark class=\"quote\">{own}</mark>"),
        );
    }
}

#[test]
fn topics_in_other_scripts_get_pages() {
    let f = Fixture::new();
    f.simple_article(
        "alpha",
        "Alpha News",
        "Alpha says a.\n\nAlpha says b.\n\nAlpha says c.\n",
    );
    f.claims(
        "- id: a\n  claim: \"A.\"\n  topic: \"\u{412}\u{43e}\u{439}\u{43d}\u{430}\"\n  quotes:\n    - source: alpha\n      text: \"Alpha says a.\"\n\
         - id: b\n  claim: \"B.\"\n  topic: \"\u{3a0}\u{3cc}\u{3bb}\u{3b5}\u{3bc}\u{3bf}\u{3c2}\"\n  quotes:\n    - source: alpha\n      text: \"Alpha says b.\"\n\
         - id: c\n  claim: \"C.\"\n  topic: \"\u{6771}\u{4eac}\"\n  quotes:\n    - source: alpha\n      text: \"Alpha says c.\"\n",
    );
    let run = f.build();
    run.expect_code(0);
    assert_lacks(&run.stderr, "has no letters or digits");
    // Transliterated, ASCII page names; the topic keeps its own title on the page.
    assert_contains(
        &f.page("topics/voina/index.html"),
        "\u{412}\u{43e}\u{439}\u{43d}\u{430}",
    );
    assert_contains(
        &f.page("topics/polemos/index.html"),
        "\u{3a0}\u{3cc}\u{3bb}\u{3b5}\u{3bc}\u{3bf}\u{3c2}",
    );
    let topics: Vec<String> = read_tree(&f.out())
        .into_keys()
        .filter(|k| k.starts_with("topics/") && k.ends_with("/index.html"))
        .collect();
    assert_eq!(topics.len(), 3, "{topics:?}");
    for t in &topics {
        assert!(t.is_ascii(), "{t}");
    }
}
