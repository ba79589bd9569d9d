//! Values read from quotes and checked against them: every recogniser (numbers in each style,
//! number words, ranges, qualifiers, dates, weekdays, relative dates, ages) on small dossiers
//! made here, each error message, and "(read from the text)" on the claim page.

mod common;

use common::*;

/// One claim per case: (kind, unit, the sentence quoted, the value declared).
type Case<'a> = (&'a str, Option<&'a str>, &'a str, Option<&'a str>);

/// A dossier with one article (front matter `front` besides title and outlet) holding every
/// case's sentence as a paragraph, and one claim `c<i>` per case quoting it.
fn dossier(front: &str, cases: &[Case<'_>]) -> Fixture {
    let f = Fixture::new();
    let body: String = cases.iter().map(|c| format!("{}\n\n", c.2)).collect();
    f.article(
        "alpha",
        &format!("title: \"Alpha report\"\noutlet: \"Alpha News\"\n{front}"),
        &body,
    );
    let mut yaml = String::new();
    for (i, (kind, unit, text, value)) in cases.iter().enumerate() {
        yaml.push_str(&format!(
            "- id: c{i}\n  claim: \"Claim {i}.\"\n  value:\n    kind: {kind}\n"
        ));
        if let Some(u) = unit {
            yaml.push_str(&format!("    unit: {u}\n"));
        }
        yaml.push_str(&format!(
            "  quotes:\n    - source: alpha\n      text: \"{}\"\n",
            text.replace('"', "\\\"")
        ));
        if let Some(v) = value {
            yaml.push_str(&format!("      value: \"{v}\"\n"));
        }
    }
    f.claims(&yaml);
    f
}

/// What claim `c<i>`'s quote card says of its value, tags removed: "about 8,000 (read from
/// the text)"; `None` when it shows no value.
fn shown(f: &Fixture, i: usize) -> Option<String> {
    let page = f.page(&format!("claims/c{i}/index.html"));
    let at = page.find("states <strong class=\"value\">")?;
    let rest = &page[at + "states ".len()..];
    let end = rest.find("</figcaption>").expect("the caption ends");
    let mut text = String::new();
    let mut in_tag = false;
    for ch in rest[..end].chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    Some(decode_entities(&text))
}

/// Builds the cases (which must build with no problem) and returns what each card shows.
fn read_all(front: &str, cases: &[Case<'_>]) -> Vec<Option<String>> {
    let f = dossier(front, cases);
    let run = f.build();
    run.expect_code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    (0..cases.len()).map(|i| shown(&f, i)).collect()
}

#[track_caller]
fn expect_read(front: &str, kind: &str, unit: Option<&str>, cases: &[(&str, &str)]) {
    let all: Vec<Case<'_>> = cases.iter().map(|(t, _)| (kind, unit, *t, None)).collect();
    let got = read_all(front, &all);
    for ((text, want), got) in cases.iter().zip(got) {
        // The value, "(read from the text)", then how it was resolved, if it was.
        let (value, resolution) = match want.split_once(" (\u{201C}") {
            Some((v, r)) => (v, format!(" (\u{201C}{r}")),
            None => (*want, String::new()),
        };
        assert_eq!(
            got.as_deref(),
            Some(format!("{value} (read from the text){resolution}").as_str()),
            "{text}"
        );
    }
}

#[test]
fn numbers_in_each_style_are_read() {
    expect_read(
        "",
        "quantity",
        Some("people"),
        &[
            ("Around 8,000 people were evacuated.", "about 8,000 people"),
            ("In all 8 000 people were evacuated.", "8,000 people"),
            ("In all 8\u{a0}000 people were moved.", "8,000 people"),
            ("In all 8\u{202f}000 people left.", "8,000 people"),
            ("In all 8'000 people were counted.", "8,000 people"),
            ("In all 8\u{2019}000 people came.", "8,000 people"),
            ("The 2.5 people per household.", "2.5 people"),
            ("As many as 12,345.5 on average.", "up to 12345.5 people"),
        ],
    );
}

#[test]
fn the_articles_language_decides_ambiguous_separators() {
    // German: `.` groups thousands and `,` is the decimal point.
    expect_read(
        "language: de\n",
        "quantity",
        None,
        &[
            ("Rund 8.000 Menschen wurden evakuiert.", "8,000"),
            ("Es waren 1,5 Millionen.", "1.5"),
            ("Genau 1.500,5 Liter.", "1500.5"),
        ],
    );
    // English (the site's language by default): the other way round.
    expect_read(
        "",
        "quantity",
        None,
        &[
            ("They counted 1,500 of them.", "1,500"),
            ("They counted 1.500 of them.", "1.5"),
        ],
    );
    // A language dossier does not know: `8.000` is eight or eight thousand, so it is not
    // read, and either is accepted when declared.
    let f = dossier(
        "language: xx\n",
        &[
            ("quantity", None, "Es waren 8.000 Menschen.", None),
            ("quantity", None, "Es waren 8.000 Leute.", Some("8000")),
            ("quantity", None, "Es waren 8.000 Personen.", Some("8")),
            ("quantity", None, "Es waren 8.000 Kinder.", Some("80")),
        ],
    );
    let run = f.build();
    run.expect_code(1);
    let d = run.diag("error", "`80` is not what the quote says");
    d.assert_mentions("“8.000” is 8,000 or 8 depending on the article's language");
    d.assert_mentions("write the one the claim is about: `8000` or `8`");
    assert_eq!(run.diagnostics().len(), 1, "{}", run.stderr);
}

#[test]
fn number_words_and_multipliers_are_read() {
    expect_read(
        "",
        "quantity",
        None,
        &[
            ("Officials said ten thousand fled.", "10,000"),
            ("Officials counted a dozen.", "12"),
            ("Officials counted two hundred and fifty.", "250"),
            ("Officials counted twenty-five.", "25"),
            ("Officials counted 1.5 million.", "1,500,000"),
            ("Hundreds of people fled.", "200–999"),
            ("Tens of thousands of people fled.", "20,000–99,999"),
        ],
    );
}

#[test]
fn ranges_and_qualifiers_are_read() {
    expect_read(
        "",
        "quantity",
        Some("soldiers"),
        &[
            (
                "Pyongyang had sent 10,000 to 12,000 soldiers.",
                "10,000–12,000 soldiers",
            ),
            (
                "It sent between 10,000 and 12,000 soldiers.",
                "10,000–12,000 soldiers",
            ),
            ("It sent 10,000-12,000 soldiers.", "10,000–12,000 soldiers"),
            (
                "It sent 10 to 12 million soldiers.",
                "10,000,000–12,000,000 soldiers",
            ),
            (
                "It sent at least 10,000 soldiers.",
                "at least 10,000 soldiers",
            ),
            ("It sent more than 1,000 soldiers.", "over 1,000 soldiers"),
            ("It sent over 12,000 soldiers.", "over 12,000 soldiers"),
            ("It sent up to 4,000 soldiers.", "up to 4,000 soldiers"),
            ("The figure is as high as 4,000.", "up to 4,000 soldiers"),
            ("It sent about 8,000 soldiers.", "about 8,000 soldiers"),
            ("It sent around 8,000 soldiers.", "about 8,000 soldiers"),
            ("It sent some 200 soldiers.", "about 200 soldiers"),
            ("It sent nearly 300 soldiers.", "about 300 soldiers"),
            ("It sent fewer than 50 soldiers.", "under 50 soldiers"),
            ("It sent under 50 soldiers.", "under 50 soldiers"),
        ],
    );
}

#[test]
fn dates_are_read_and_year_less_ones_resolved() {
    expect_read(
        "",
        "date",
        None,
        &[
            ("They were captured on 9 January 2025.", "9 January 2025"),
            ("They were captured on January 11, 2025.", "11 January 2025"),
            ("They were captured on 2025-01-11.", "11 January 2025"),
            ("They arrived in November 2024.", "November 2024"),
            ("They arrived in 2024.", "2024"),
        ],
    );
    expect_read(
        "published: 2025-01-12\n",
        "date",
        None,
        &[
            (
                "The men were captured on 9 January.",
                "9 January 2025 (“9 January” in an article of Sunday 12 January 2025: 9 January 2025)",
            ),
            (
                "A conference on Dec. 19 showed it.",
                "19 December 2024 (“Dec. 19” in an article of Sunday 12 January 2025: 19 December 2024)",
            ),
            (
                "They arrived in December.",
                "December 2024 (“December” in an article of Sunday 12 January 2025: December 2024)",
            ),
        ],
    );
}

#[test]
fn weekdays_and_relative_dates_resolve_against_the_published_date() {
    let p = "in an article of Sunday 12 January 2025";
    expect_read(
        "published: 2025-01-12\n",
        "date",
        None,
        &[
            (
                "Ukraine said on Saturday that it held them.",
                &format!("11 January 2025 (“on Saturday” {p}: 11 January 2025)"),
            ),
            (
                "Austin said Thursday that it was so.",
                &format!("9 January 2025 (“Thursday” {p}: 9 January 2025)"),
            ),
            (
                "It was announced yesterday.",
                &format!("11 January 2025 (“yesterday” {p}: 11 January 2025)"),
            ),
            (
                "Last month, the military issued a directive.",
                &format!("December 2024 (“Last month” {p}: December 2024)"),
            ),
            (
                "The agency said two weeks ago that it was so.",
                &format!(
                    "26 December 2024 to 1 January 2025 (“two weeks ago” {p}: 26 December 2024 to 1 January 2025)"
                ),
            ),
        ],
    );
}

#[test]
fn ages_resolve_to_birth_years_that_agree_with_a_stated_year() {
    let f = Fixture::new();
    f.article(
        "alpha",
        "title: \"Alpha\"\noutlet: \"Alpha News\"\npublished: 2025-01-12\n",
        "The captured soldiers are a 20-year-old rifleman and a sniper aged 26.\n\nThe rifleman was born in 2005.\n",
    );
    f.claims(
        "- id: born\n  claim: \"The rifleman was born in 2005.\"\n  value: {kind: year}\n  quotes:\n    - source: alpha\n      text: \"a 20-year-old rifleman\"\n    - source: alpha\n      text: \"The rifleman was born in 2005.\"\n- id: sniper\n  claim: \"The sniper was born in 1999.\"\n  value: {kind: year}\n  quotes:\n    - source: alpha\n      text: \"a sniper aged 26\"\n",
    );
    let run = f.build();
    run.expect_code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let page = decode_entities(&f.page("claims/born/index.html"));
    assert_contains(
        &page,
        "2004–2005</strong> <span class=\"value-read\">(read from the text)</span> <span class=\"resolution\">(“20-year-old” in an article of Sunday 12 January 2025: born in 2004 or 2005)</span>",
    );
    // Compatible with "born in 2005": a difference in precision, not a dispute.
    assert_lacks(&page, "status-disputed");
    assert_contains(&page, "precision");
    let sniper = decode_entities(&f.page("claims/sniper/index.html"));
    assert_contains(&sniper, "1998–1999</strong>");
}

#[test]
fn a_quote_stating_several_values_or_none_gives_no_value_unless_declared() {
    let cases: &[Case<'_>] = &[
        (
            "year",
            None,
            "He was born in 2005 and served since 2021.",
            None,
        ),
        ("quantity", None, "Many soldiers were sent.", None),
        (
            "year",
            None,
            "He was born in 2005 and served since 2021 (again).",
            Some("2021"),
        ),
        // Nothing the recogniser reads: the declared value is the curator's reading.
        (
            "quantity",
            Some("soldiers"),
            "Many soldiers were sent (again).",
            Some(">=100"),
        ),
    ];
    let f = dossier("published: 2025-01-12\n", cases);
    let run = f.build();
    run.expect_code(0);
    // The one with several values and none declared is a warning, which names them.
    let warnings = run.diagnostics_of("warning");
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    warnings[0].assert_mentions("the quote states 2 values of the claim's kind (“2005”, “2021”)");
    let got: Vec<Option<String>> = (0..cases.len()).map(|i| shown(&f, i)).collect();
    assert_eq!(got[0], None);
    assert_eq!(got[1], None);
    assert_eq!(got[2].as_deref(), Some("2021"));
    assert_eq!(got[3].as_deref(), Some("at least 100 soldiers"));
}

#[test]
fn a_declared_value_the_quote_does_not_state_is_an_error_saying_what_to_write() {
    let f = dossier(
        "",
        &[
            (
                "quantity",
                None,
                "Around 8,000 people were evacuated.",
                Some("~80000"),
            ),
            (
                "quantity",
                None,
                "Around 8,000 people were counted.",
                Some("8000"),
            ),
            (
                "quantity",
                None,
                "Some 8,000 people were moved.",
                Some("8.000"),
            ),
            (
                "quantity",
                None,
                "Exactly 8,000 people were there.",
                Some("8001"),
            ),
            (
                "date",
                None,
                "It happened on 9 January 2025.",
                Some("2025-01-11"),
            ),
            ("date", None, "It happened on Jan. 11.", Some("2025-01-12")),
            (
                "year",
                None,
                "He was born in 2005 and served since 2021.",
                Some("2004"),
            ),
        ],
    );
    let run = f.build();
    run.expect_code(1);
    run.diag(
        "error",
        "claim `c0`: `~80000` is not what the quote says: it says “Around 8,000”",
    )
    .assert_at("content/claims.yaml:8:14")
    .assert_mentions("help: write `~8000`");
    run.diag(
        "error",
        "claim `c1`: `8000` is more precise than the quote: it says “Around 8,000”",
    )
    .assert_mentions("help: write `~8000`");
    run.diag("error", "claim `c2`: `8.000` is not what the quote says")
        .assert_mentions("in `value:` a `.` is a decimal point (`8.000` is read as 8)")
        .assert_mentions("write `~8000`");
    run.diag(
        "error",
        "claim `c3`: `8001` is not what the quote says: it says “8,000”",
    )
    .assert_mentions("write `8000`");
    run.diag(
        "error",
        "claim `c4`: `2025-01-11` is not what the quote says: it says “9 January 2025”",
    )
    .assert_mentions("write `2025-01-09`");
    run.diag(
        "error",
        "claim `c5`: `2025-01-12` is not what the quote says: it says “Jan. 11”",
    )
    .assert_mentions("write a date on 11 January, e.g. `2025-01-11`")
    .assert_mentions("no `published` date");
    run.diag(
        "error",
        "claim `c6`: `2004` is not what the quote says: it says “2005” and “2021”",
    )
    .assert_mentions("write the one the claim is about: `2005` or `2021`");
    assert_eq!(run.diagnostics().len(), 7, "{}", run.stderr);
}

#[test]
fn a_less_precise_value_is_a_warning_and_text_values_are_looked_for_in_the_quote() {
    let f = dossier(
        "",
        &[
            (
                "quantity",
                None,
                "It sent 10,000 to 12,000 soldiers.",
                Some(">=10000"),
            ),
            (
                "date",
                None,
                "It happened on 9 January 2025.",
                Some("2025-01"),
            ),
            (
                "text",
                None,
                "Special Operation Forces and paratroopers did it.",
                Some("paratroopers and Special Operation Forces"),
            ),
            ("text", None, "Paratroopers did it.", Some("marines")),
        ],
    );
    let run = f.build();
    run.expect_code(0);
    run.diag(
        "warning",
        "claim `c0`: `>=10000` is less precise than the quote, which says “10,000 to 12,000”",
    )
    .assert_mentions("write `10000-12000`");
    run.diag(
        "warning",
        "claim `c1`: `2025-01` is less precise than the quote, which says “9 January 2025”",
    )
    .assert_mentions("write `2025-01-09`");
    run.diag(
        "warning",
        "claim `c3`: the quote does not contain “marines” of the value `marines`",
    );
    assert_eq!(run.diagnostics().len(), 3, "{}", run.stderr);
    // Declared values show without "(read from the text)".
    assert_eq!(shown(&f, 0).as_deref(), Some("at least 10,000"));
}

#[test]
fn undated_articles_check_the_shape_and_say_the_reading_is_the_curators() {
    let got = read_all(
        "",
        &[
            (
                "date",
                None,
                "Zelenskyy wrote on X on Saturday.",
                Some("2025-01-11"),
            ),
            (
                "year",
                None,
                "He is identified as a 20-year-old rifleman.",
                Some("2004-2005"),
            ),
            ("date", None, "He wrote on Saturday again.", None),
        ],
    );
    assert_eq!(
        got[0].as_deref(),
        Some(
            "11 January 2025 (“on Saturday”, in an undated article: the day is the curator’s reading)"
        )
    );
    assert_eq!(
        got[1].as_deref(),
        Some(
            "2004–2005 (“20-year-old”, in an undated article: the value is the curator’s reading)"
        )
    );
    assert_eq!(got[2], None, "an unresolved weekday is not read");
    // 2025-01-12 was a Sunday.
    let f = dossier(
        "",
        &[(
            "date",
            None,
            "Zelenskyy wrote on X on Saturday.",
            Some("2025-01-12"),
        )],
    );
    let run = f.build();
    run.expect_code(1);
    run.diag(
        "error",
        "`2025-01-12` is not what the quote says: it says “on Saturday”",
    )
    .assert_mentions("write a date that is a Saturday");
}

/// An edit to an article's date or language changes the values read from its quotes, in a
/// long-running session as in a fresh build.
#[test]
fn the_published_date_and_language_are_part_of_the_check() {
    let f = dossier(
        "published: 2025-01-12\n",
        &[
            (
                "date",
                None,
                "Ukraine said on Saturday that it held them.",
                None,
            ),
            ("quantity", None, "Officials counted 1.500 of them.", None),
        ],
    );
    use dossier::build::{Options, Session};
    let mut session = Session::new(Options {
        root: f.root(),
        output: Some(f.out()),
        base_url: None,
    });
    session.rebuild().expect("first build");
    assert_eq!(
        shown(&f, 0).as_deref(),
        Some(
            "11 January 2025 (read from the text) (“on Saturday” in an article of Sunday 12 January 2025: 11 January 2025)"
        )
    );
    assert_eq!(shown(&f, 1).as_deref(), Some("1.5 (read from the text)"));
    let article = f.root().join("content/articles/alpha.md");
    let text = read_text(&article);
    std::fs::write(
        &article,
        text.replace(
            "published: 2025-01-12\n",
            "published: 2025-01-20\nlanguage: de\n",
        ),
    )
    .expect("write");
    session.rebuild().expect("second build");
    assert_eq!(
        shown(&f, 0).as_deref(),
        Some(
            "18 January 2025 (read from the text) (“on Saturday” in an article of Monday 20 January 2025: 18 January 2025)"
        )
    );
    assert_eq!(shown(&f, 1).as_deref(), Some("1,500 (read from the text)"));
}
