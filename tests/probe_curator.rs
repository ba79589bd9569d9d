//! What a hurried curator and a fact-checking reader found (branch probe-c), each on a small
//! dossier made here or on the bundled one: messages that say what to write, and conclusions
//! that are true to the sources.

mod common;

use common::*;

/// A quote pasted with its typographic quotation marks (`text: “…”`) keeps them as part of
/// the text in YAML, so it is not found: the help says to delimit it with straight quotes.
#[test]
fn typographic_quotes_around_a_quote_say_what_to_write() {
    let f = Fixture::new();
    f.simple_article("a", "Alpha News", "Turnout was 40% in the capital.\n");
    f.claims(
        "- id: turnout\n  claim: \"Turnout was 40%.\"\n  quotes:\n    - source: a\n      text: \u{201C}Turnout was 40% in the capital.\u{201D}\n",
    );
    let run = f.check();
    run.expect_code(1);
    let d = run.diag("error", "quote not found");
    d.assert_at("content/claims.yaml:5:13");
    assert_eq!(
        d.help().as_deref(),
        Some(
            "the text starts and ends with typographic quotation marks, which YAML keeps as part of the text: delimit it with straight quotes instead, `text: \"Turnout was 40% in the capital.\"`"
        )
    );

    // Written as the help says, it is found.
    f.claims(
        "- id: turnout\n  claim: \"Turnout was 40%.\"\n  quotes:\n    - source: a\n      text: \"Turnout was 40% in the capital.\"\n",
    );
    f.check().expect_code(0);
}

/// A quote whose own words are in typographic quotes but that is not found for another reason
/// keeps the usual help.
#[test]
fn a_quote_merely_containing_typographic_quotes_keeps_the_usual_help() {
    let f = Fixture::new();
    f.simple_article("a", "Alpha News", "He called it “not easy” on Saturday.\n");
    f.claims(
        "- id: x\n  claim: \"Hard.\"\n  quotes:\n    - source: a\n      text: \"He called it “not easy” on Sunday.\"\n",
    );
    let run = f.check();
    run.expect_code(1);
    let help = run
        .diag("error", "quote not found")
        .help()
        .unwrap_or_default();
    assert!(help.starts_with("[-...-] is in the source"), "{help}");
}

/// A date claim without its own value whose quotes' dates conflict is told to add a *date*
/// (one a quote states), not the quantity `~12000` of the old fixed example.
#[test]
fn unresolved_stances_help_gives_a_value_of_the_claims_kind() {
    let f = Fixture::new();
    f.simple_article("a", "Alpha News", "The dam broke on 15 March 2025.\n");
    f.simple_article("b", "Beta Times", "The dam broke on 14 March 2025.\n");
    f.claims(
        "- id: dam\n  claim: \"The dam broke on 15 March 2025.\"\n  value:\n    kind: date\n  quotes:\n    - source: a\n      text: \"The dam broke on 15 March 2025.\"\n    - source: b\n      text: \"The dam broke on 14 March 2025.\"\n",
    );
    let run = f.check();
    run.expect_code(0);
    let d = run.diag("warning", "claim states no value of its own");
    d.assert_at("content/claims.yaml:1:1");
    let help = d.help().unwrap_or_default();
    assert!(help.contains("`stated: \"2025-03-15\"`"), "{help}");
    assert!(!help.contains("~12000"), "{help}");
}

fn build_bundled() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("public");
    dossier([
        "build".as_ref(),
        "--root".as_ref(),
        repo_root().as_os_str(),
        "--output".as_ref(),
        out.as_os_str(),
    ])
    .expect_code(0);
    (tmp, out)
}

/// The bundled dossier's conclusions, re-read against the seeds: the 1998 on the ID card is
/// another person's birth year (every report says so), so the rifleman's birth year is not
/// disputed; Ukraine's one statement of the capture date, reported by both BBC versions, is
/// one origin, not two.
#[test]
fn bundled_conclusions_are_true_to_the_seeds() {
    let (_tmp, out) = build_bundled();
    let rifleman = read_text(&out.join("claims/rifleman-birth-year/index.html"));
    assert_lacks(&rifleman, "status-disputed");
    assert_lacks(&rifleman, "1998</");
    let disc = read_text(&out.join("discrepancies/index.html"));
    // It is listed only as a difference in precision ("20-year-old" is 2004-2005).
    let precision = disc
        .find("Differences in precision only")
        .expect("a precision section");
    let first = disc
        .find("claims/rifleman-birth-year/")
        .expect("listed for its precision");
    assert!(
        first > precision,
        "the rifleman's birth year is not a conflict"
    );

    let date = read_text(&out.join("claims/capture-date/index.html"));
    assert_contains(&date, "1 supporting outlet, 1 origin");
    assert_contains(&date, "status-disputed");

    let photos = read_text(&out.join("claims/photos-released/index.html"));
    assert_contains(&photos, "3 supporting outlets, 3 independent origins");
}

/// A claim that states its own value, with every side taken by a quote whose stance follows
/// from its value: the values' conflict is the one reason given, even where a supporting
/// value ("around 12,000") overlaps the contradicting one ("over 12,000"); the claim's value
/// explains the stances. (The bundled troop numbers showed a second, stance reason.)
#[test]
fn derived_stances_add_no_second_reason() {
    let f = Fixture::new();
    f.simple_article(
        "a",
        "Alpha News",
        "Pyongyang sent 10,000 to 12,000 soldiers.\n",
    );
    f.simple_article(
        "b",
        "Beta Times",
        "Pyongyang sent around 12,000 soldiers.\n",
    );
    f.simple_article("c", "Gamma Radio", "Pyongyang sent over 12,000 soldiers.\n");
    let claim = |extra: &str| {
        format!(
            "- id: troops\n  claim: \"North Korea sent 10,000 to 12,000 soldiers.\"\n  value:\n    kind: quantity\n    stated: \"10000-12000\"\n  quotes:\n    - source: a\n      text: \"Pyongyang sent 10,000 to 12,000 soldiers.\"\n    - source: b\n      text: \"Pyongyang sent around 12,000 soldiers.\"\n    - source: c\n      text: \"Pyongyang sent over 12,000 soldiers.\"\n{extra}"
        )
    };
    f.claims(&claim(""));
    f.build().expect_code(0);
    let page = f.page("discrepancies/index.html");
    assert_eq!(page.matches("class=\"reason\"").count(), 1, "{page}");
    assert_contains(&page, "the ranges do not overlap");
    assert_lacks(&page, "contradicts it");
    let claim_page = f.page("claims/troops/index.html");
    assert_eq!(claim_page.matches("class=\"reason\"").count(), 1);

    // A quote that takes a side without a value still gets the stance reason.
    f.simple_article("d", "Delta Daily", "Officials denied the figures.\n");
    f.claims(&claim(
        "    - source: d\n      text: \"Officials denied the figures.\"\n      stance: contradicts\n",
    ));
    f.build().expect_code(0);
    let page = f.page("discrepancies/index.html");
    assert_eq!(page.matches("class=\"reason\"").count(), 2, "{page}");
    assert_contains(&page, "contradicts it");
}

/// A hurried curator leaves `value:` out under a quote that states two numbers: nothing is
/// read, and `check` says so, naming both and what to write, rather than leaving the quote
/// silently without a value (which would hide a disagreement).
#[test]
fn a_quote_stating_two_numbers_without_a_value_is_a_warning_naming_them() {
    let f = Fixture::new();
    f.simple_article(
        "a",
        "Alpha News",
        "Police said 300 were arrested and 40 injured.\n",
    );
    f.claims(
        "- id: arrested\n  claim: \"300 were arrested.\"\n  value:\n    kind: quantity\n  quotes:\n    - source: a\n      text: \"Police said 300 were arrested and 40 injured.\"\n",
    );
    let run = f.check();
    run.expect_code(0);
    let d = run.diag("warning", "the quote states 2 values");
    d.assert_at("content/claims.yaml:7:13");
    d.assert_mentions("(“300”, “40”)");
    assert_eq!(
        d.help().as_deref(),
        Some("write the one that is the claim's under the quote, e.g. `value: \"300\"`")
    );
    // Declared, it is checked and the warning goes.
    f.claims(
        "- id: arrested\n  claim: \"300 were arrested.\"\n  value:\n    kind: quantity\n  quotes:\n    - source: a\n      text: \"Police said 300 were arrested and 40 injured.\"\n      value: \"300\"\n",
    );
    let run = f.check();
    run.expect_code(0);
    assert!(run.diagnostics().is_empty(), "{}", run.stderr);
}

/// Values pasted as the article writes them (`40%`, `$2 billion`, `9 January 2025`) are not
/// in the notation of `value:`; the error says the exact value to write.
#[test]
fn a_value_written_as_news_text_is_told_its_notation() {
    let f = Fixture::new();
    f.simple_article(
        "a",
        "Alpha News",
        "Turnout was 40% in the capital.\n\nThe fund is worth $2 billion.\n\nHe was wounded on 9 January 2025.\n",
    );
    f.claims(concat!(
        "- id: turnout\n  claim: \"Turnout was 40%.\"\n  value:\n    kind: quantity\n    unit: percent\n  quotes:\n    - source: a\n      text: \"Turnout was 40% in the capital.\"\n      value: \"40%\"\n",
        "- id: fund\n  claim: \"The fund is worth $2 billion.\"\n  value:\n    kind: quantity\n    stated: \"$2 billion\"\n  quotes:\n    - source: a\n      text: \"The fund is worth $2 billion.\"\n",
        "- id: wounded\n  claim: \"He was wounded on 9 January 2025.\"\n  value:\n    kind: date\n  quotes:\n    - source: a\n      text: \"He was wounded on 9 January 2025.\"\n      value: \"9 January 2025\"\n",
    ));
    let run = f.check();
    run.expect_code(1);
    let helps: Vec<(String, String)> = run
        .diagnostics_of("error")
        .iter()
        .map(|d| {
            (
                d.location().unwrap_or_default(),
                d.help().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(helps.len(), 3, "{}", run.stderr);
    assert_eq!(helps[0].0, "content/claims.yaml:9:14");
    assert!(helps[0].1.starts_with("write `40` ("), "{}", helps[0].1);
    assert_eq!(helps[1].0, "content/claims.yaml:14:13");
    assert!(
        helps[1]
            .1
            .starts_with("write `2000000000` (the value the claim states"),
        "{}",
        helps[1].1
    );
    assert_eq!(helps[2].0, "content/claims.yaml:25:14");
    assert!(
        helps[2].1.starts_with("write `2025-01-09` ("),
        "{}",
        helps[2].1
    );
}
