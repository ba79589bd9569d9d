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
