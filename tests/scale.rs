//! Reports of many problems are complete and correct: every problem once, in file order, at
//! its line, with the line shown and the closest passage named. (How long they take is
//! measured by `tools/src/bin/linear.rs`, not asserted here.)

mod common;

use common::*;

/// Paragraphs per article.
const PARAGRAPHS: usize = 50;

fn paragraph(a: usize, k: usize) -> String {
    format!(
        "Report {a} paragraph {k}: officials counted {} people near the river.",
        a * 1000 + k
    )
}

#[test]
fn a_thousand_broken_quotes_are_each_reported_once_at_their_line() {
    const N: usize = 1000;
    let f = Fixture::new();
    let articles = N.div_ceil(PARAGRAPHS);
    for a in 0..articles {
        let body: String = (0..PARAGRAPHS).map(|k| paragraph(a, k) + "\n\n").collect();
        f.simple_article(&format!("r{a}"), &format!("Outlet {a}"), &body);
    }
    let mut yaml = String::new();
    for i in 0..N {
        let (a, k) = (i / PARAGRAPHS, i % PARAGRAPHS);
        let text = paragraph(a, k).replace("officials", "observers");
        yaml.push_str(&format!(
            "- id: c{i}\n  claim: \"Claim {i}.\"\n  quotes:\n    - source: r{a}\n      text: \"{text}\"\n"
        ));
    }
    f.claims(&yaml);
    let run = f.check();
    run.expect_code(1);
    assert_contains(
        &run.stderr,
        &format!("dossier: {N} errors and 0 warnings; nothing was written"),
    );
    let diags = run.diagnostics();
    assert_eq!(diags.len(), N, "each problem once");
    // simple_article's front matter is four lines: paragraph k is on line 5 + 2k.
    let first_body_line = 5;
    for (i, d) in diags.iter().enumerate() {
        let (a, k) = (i / PARAGRAPHS, i % PARAGRAPHS);
        let line = 5 * i + 5;
        assert_eq!(
            d.headline,
            format!("claim `c{i}`: quote not found in source `r{a}`"),
            "in file order"
        );
        d.assert_at(&format!("content/claims.yaml:{line}:13"));
        assert!(
            d.text
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("{line} |"))
                    && l.contains(&format!("paragraph {k}: observers"))),
            "the line is shown:\n{}",
            d.text
        );
        // The closest passage is the right paragraph, at its line of the article.
        d.assert_mentions(&format!(
            "closest passage, content/articles/r{a}.md:{}: \u{201C}Report {a} paragraph {k}: officials",
            first_body_line + 2 * k,
        ));
        d.assert_mentions("[-officials-]");
        d.assert_mentions("{+observers+}");
    }
}
