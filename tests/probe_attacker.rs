//! Regressions for what probing dossier as an attacker and as a careless user found (see
//! docs/notes/probe-attacker.md): each builds a small dossier made here and checks the output.

mod common;

use common::*;

/// Two outlets whose quotes state no number, so each declared value stands as the curator's
/// reading, and a claim `id` whose two quotes declare `a` and `b` (a dispute, so a chart).
fn two_values(id: &str, a: &str, b: &str) -> Fixture {
    let f = Fixture::new();
    f.simple_article("alpha", "Alpha News", "Many soldiers came.\n");
    f.simple_article("beta", "Beta Times", "More soldiers came.\n");
    f.claims(&format!(
        "- id: {id}\n  claim: \"Soldiers came.\"\n  value: {{ kind: quantity, unit: soldiers }}\n  quotes:\n    - source: alpha\n      text: \"Many soldiers came.\"\n      value: \"{a}\"\n    - source: beta\n      text: \"More soldiers came.\"\n      value: \"{b}\"\n"
    ));
    f
}

/// A 309-digit number made the chart's padded axis overflow to infinity, and every
/// coordinate of the bar NaN (`<rect x="NaN" width="NaN">`).
#[test]
fn values_near_the_largest_float_draw_no_nan() {
    let huge = format!("17{}", "0".repeat(307));
    let f = two_values("huge", "0", &huge);
    f.build().expect_code(0);
    let page = f.page("claims/huge/index.html");
    assert_lacks(&page, "NaN");
    assert_lacks(&page, "inf");
    // The value is still shown, digit for digit.
    assert_contains(&page, &format!("170{}", ",000".repeat(102)));
}

/// Numbers past what an i64 holds were shown as 9,223,372,036,854,775,807, a number no
/// source stated, in the caption, the table and the axis.
#[test]
fn big_numbers_read_as_written() {
    let f = two_values("big", "5", "99999999999999999999999");
    f.build().expect_code(0);
    let page = f.page("claims/big/index.html");
    assert_lacks(&page, "9,223,372,036,854,775,807");
    assert_contains(&page, "99,999,999,999,999,999,999,999 soldiers");
    assert_contains(&page, "<svg class=\"chart\"");
}

/// Tiny quantities gave an axis whose every tick read "0".
#[test]
fn tiny_quantities_have_distinct_ticks() {
    let f = two_values("tiny", "0.0000001", "0.0000003");
    f.build().expect_code(0);
    let page = f.page("claims/tiny/index.html");
    let ticks: Vec<&str> = page
        .lines()
        .filter(|l| l.contains("class=\"tick-label\""))
        .filter_map(|l| l.split('>').nth(1))
        .filter_map(|l| l.split('<').next())
        .collect();
    assert!(ticks.len() >= 2, "ticks: {ticks:?}");
    let mut distinct = ticks.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), ticks.len(), "ticks: {ticks:?}");
    assert!(ticks.contains(&"0.0000002"), "ticks: {ticks:?}");
}

/// A quote of thousands of numbers (a pasted table) with a wrong value made one error of
/// 229 KB: every number the quote states, repeats included, in the message and the help.
#[test]
fn a_wrong_value_in_a_quote_of_many_numbers_lists_a_few() {
    let sentence: String = (1..=40)
        .map(|k| format!("{k},500 soldiers came,"))
        .collect::<Vec<_>>()
        .join(" ");
    let text = format!("{sentence} {sentence}");
    let f = Fixture::new();
    f.simple_article("alpha", "Alpha News", &format!("{text}\n"));
    f.claims(&format!(
        "- id: many\n  claim: \"Soldiers came.\"\n  value: {{ kind: quantity }}\n  quotes:\n    - source: alpha\n      text: \"{text}\"\n      value: \"77\"\n"
    ));
    let run = f.check();
    let d = run.diag("error", "is not what the quote says");
    assert!(
        d.headline.ends_with(
            "“1,500” and “2,500” and “3,500” and “4,500” and “5,500” and “6,500” and 34 more"
        ),
        "{}",
        d.headline
    );
    let help = d.help().expect("a help line");
    assert!(help.ends_with("`6500` and 34 more"), "{help}");
    assert!(run.stderr.len() < 2000, "{} bytes", run.stderr.len());
}

/// A value with an invisible character pasted into it (a zero-width joiner, a direction
/// mark) was refused as "`12000` is not a quantity", which reads as nonsense.
#[test]
fn a_value_with_an_invisible_character_says_so() {
    let f = Fixture::new();
    f.simple_article("alpha", "Alpha News", "Some 12,000 soldiers came.\n");
    for (bad, code) in [
        ("1\u{200D}2000", "U+200D"),
        ("\u{200F}12000\u{200F}", "U+200F"),
    ] {
        f.claims(&format!(
            "- id: zwj\n  claim: \"Soldiers came.\"\n  value: {{ kind: quantity }}\n  quotes:\n    - source: alpha\n      text: \"Some 12,000 soldiers came.\"\n      value: \"{bad}\"\n"
        ));
        let run = f.check();
        let d = run.diag("error", "is not a quantity");
        assert_contains(&d.headline, &format!("invisible character, {code}"));
    }
}

/// A claim of dates whose quotes disagree was told to write `stated: "~12000"`, which a date
/// claim refuses.
#[test]
fn the_help_for_a_claim_without_its_own_value_gives_an_example_of_its_kind() {
    let f = Fixture::new();
    f.article(
        "alpha",
        "title: \"A\"\noutlet: \"Alpha News\"\n",
        "It happened on 9 January 2025.\n",
    );
    f.article(
        "beta",
        "title: \"B\"\noutlet: \"Beta Times\"\n",
        "It happened on 11 January 2025.\n",
    );
    f.claims(
        "- id: when\n  claim: \"It happened.\"\n  value: { kind: date }\n  quotes:\n    - source: alpha\n      text: \"It happened on 9 January 2025.\"\n    - source: beta\n      text: \"It happened on 11 January 2025.\"\n",
    );
    let run = f.check();
    let d = run.diag("warning", "states no value of its own");
    let help = d.help().expect("a help line");
    assert_contains(&help, "`stated: \"2025-01-09\"`");
    assert_lacks(&help, "~12000");
}

/// An article whose lines end in CR alone was refused as having no front matter, with no
/// hint why (its `---` lines are plainly there in an editor).
#[test]
fn an_article_with_cr_only_line_endings_is_told_why() {
    let f = Fixture::new();
    f.claims(
        "- id: came\n  claim: \"Soldiers came.\"\n  quotes:\n    - source: alpha\n      text: \"Some soldiers came.\"\n",
    );
    f.write(
        "content/articles/alpha.md",
        "---\rtitle: \"A\"\routlet: \"Alpha News\"\r---\rSome soldiers came.\r",
    );
    let run = f.check();
    let d = run.diag("error", "has no front matter");
    assert_contains(&d.text, "carriage return alone");
    // A file with CRLF line endings is read as before.
    f.write(
        "content/articles/alpha.md",
        "---\r\ntitle: \"A\"\r\noutlet: \"Alpha News\"\r\n---\r\nSome soldiers came.\r\n",
    );
    f.check().expect_code(0);
}
