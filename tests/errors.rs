//! Every class of content error, each in its own small dossier: exit status 1, the message, the
//! file and line it points at, the claim or source it names, and the suggested fix. A build
//! with errors writes nothing.

mod common;

use common::*;

/// The body of `content/articles/alpha.md`; it starts on line 5 of the file.
const ALPHA_BODY: &str = "The two paratroopers were captured on Monday, officials said.\n\
\n\
Some 10,000 to 12,000 soldiers were sent, officials said.\n";

/// A dossier with the article `alpha` and the given claims.yaml.
fn with_claims(claims: &str) -> Fixture {
    let f = Fixture::new();
    f.simple_article("alpha", "Alpha News", ALPHA_BODY);
    f.claims(claims);
    f
}

/// A valid claims.yaml quoting `alpha`.
const GOOD_CLAIMS: &str = "- id: captured\n  claim: \"Two soldiers were captured.\"\n  quotes:\n    - source: alpha\n      text: \"The two paratroopers were captured on Monday\"\n";

/// Builds, expecting content errors (see [`Fixture::build_fails`]).
#[track_caller]
fn fails(f: &Fixture) -> Run {
    f.build_fails()
}

#[test]
fn the_good_dossier_builds() {
    // The control for every test below: the same dossier without the mistake builds.
    let f = with_claims(GOOD_CLAIMS);
    let run = f.build();
    run.expect_code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert!(f.out().join("claims/captured/index.html").is_file());
}

#[test]
fn yaml_syntax_error_in_claims_points_at_its_line() {
    let f = with_claims(
        "- id: a\n  claim: \"A\"\n  quotes:\n    - source: alpha\n      text: \"The two\" paratroopers\n",
    );
    let run = fails(&f);
    run.diag("error", "YAML syntax error")
        .assert_at("content/claims.yaml:5");
    assert_eq!(run.diagnostics_of("error").len(), 1);
}

#[test]
fn yaml_syntax_error_in_front_matter_points_at_the_article_line() {
    let f = with_claims(GOOD_CLAIMS);
    f.article(
        "beta",
        "outlet: \"Beta\"\ntitle: \"Beta\" extra\n",
        "Beta body.\n",
    );
    let run = fails(&f);
    run.diag("error", "YAML syntax error")
        .assert_at("content/articles/beta.md:3");
}

#[test]
fn unknown_field_suggests_the_known_one() {
    let f = with_claims(
        "- id: a\n  claim: \"A\"\n  qoutes:\n    - source: alpha\n      text: \"The two paratroopers\"\n",
    );
    let run = fails(&f);
    let d = run.diag("error", "unknown field `qoutes`");
    d.assert_at("content/claims.yaml:3:3");
    assert!(
        d.headline.starts_with("claim `a`: "),
        "names the claim: {}",
        d.headline
    );
    assert_eq!(d.help().as_deref(), Some("did you mean `quotes`?"));
}

#[test]
fn unknown_field_in_front_matter_and_site_yaml() {
    let f = with_claims(GOOD_CLAIMS);
    f.article(
        "beta",
        "title: \"Beta\"\noutlet: \"Beta\"\nauhtor: \"Someone\"\n",
        "Beta body.\n",
    );
    f.write("content/site.yaml", "title: \"T\"\ndescripton: \"D\"\n");
    let run = fails(&f);
    let d = run.diag("error", "unknown field `auhtor`");
    d.assert_at("content/articles/beta.md:4:1");
    assert!(
        d.headline.starts_with("source `beta`: "),
        "names the source: {}",
        d.headline
    );
    d.assert_mentions("did you mean `author`?");
    run.diag("error", "unknown field `descripton`")
        .assert_at("content/site.yaml:2:1")
        .assert_mentions("did you mean `description`?");
}

#[test]
fn missing_claim_text() {
    let f = with_claims(&format!(
        "{GOOD_CLAIMS}- id: no-text\n  quotes:\n    - source: alpha\n      text: \"The two paratroopers\"\n"
    ));
    let run = fails(&f);
    let d = run.diag("error", "missing required field `claim`");
    d.assert_at("content/claims.yaml:6:1");
    assert!(
        d.headline.starts_with("claim `no-text`: "),
        "{}",
        d.headline
    );
    d.assert_mentions("add `claim: ...`");
}

#[test]
fn missing_outlet() {
    let f = with_claims(GOOD_CLAIMS);
    f.article(
        "beta",
        "title: \"Beta\"\nurl: \"https://example.org/beta\"\n",
        "Beta body.\n",
    );
    let run = fails(&f);
    let d = run.diag("error", "missing required field `outlet`");
    d.assert_at("content/articles/beta.md:2");
    assert!(d.headline.starts_with("source `beta`: "), "{}", d.headline);
}

#[test]
fn claim_without_quotes() {
    let f = with_claims("- id: lonely\n  claim: \"No quotes here\"\n");
    let run = fails(&f);
    let d = run.diag("error", "the claim has no quotes");
    d.assert_at("content/claims.yaml:1");
    assert!(d.headline.starts_with("claim `lonely`: "), "{}", d.headline);
}

#[test]
fn bad_claim_id() {
    let f = with_claims(
        "- id: Bad_ID\n  claim: \"A\"\n  quotes:\n    - source: alpha\n      text: \"The two paratroopers\"\n",
    );
    let run = fails(&f);
    let d = run.diag("error", "invalid claim id `Bad_ID`");
    d.assert_at("content/claims.yaml:1:7");
    d.assert_mentions("`bad-id`");
}

#[test]
fn duplicate_claim_id() {
    let f = with_claims(&format!("{GOOD_CLAIMS}{GOOD_CLAIMS}"));
    let run = fails(&f);
    let d = run.diag("error", "duplicate claim id `captured`");
    d.assert_at("content/claims.yaml:6:1");
    assert_eq!(d.notes(), vec!["first used at line 1".to_string()]);
}

#[test]
fn bad_source_file_name() {
    let f = with_claims(GOOD_CLAIMS);
    f.simple_article("Bad_Name", "Beta", "Beta body.\n");
    let run = fails(&f);
    let d = run.diag("error", "invalid source id `Bad_Name`");
    d.assert_at("content/articles/Bad_Name.md:1");
    d.assert_mentions("rename it to `bad-name.md`");
    assert_eq!(run.diagnostics_of("error").len(), 1, "{}", run.stderr);
}

#[test]
fn unknown_source_suggests_the_nearest_article() {
    let f = with_claims(
        "- id: a\n  claim: \"A\"\n  quotes:\n    - source: alpah\n      text: \"The two paratroopers\"\n",
    );
    let run = fails(&f);
    let d = run.diag("error", "unknown source `alpah`");
    d.assert_at("content/claims.yaml:4:15");
    assert!(d.headline.starts_with("claim `a`: "), "{}", d.headline);
    d.assert_mentions("did you mean `alpha`?");
}

#[test]
fn malformed_quantity_value() {
    let f = with_claims(
        "- id: troops\n  claim: \"A\"\n  value:\n    kind: quantity\n  quotes:\n    - source: alpha\n      text: \"Some 10,000 to 12,000 soldiers were sent\"\n      value: \"lots\"\n",
    );
    let run = fails(&f);
    let d = run.diag("error", "malformed quantity value");
    d.assert_at("content/claims.yaml:8:14");
    assert!(d.headline.starts_with("claim `troops`: "), "{}", d.headline);
    d.assert_mentions("`lots`");
    d.assert_mentions("`10000-12000`");
}

#[test]
fn value_without_a_value_kind() {
    let f = with_claims(
        "- id: troops\n  claim: \"A\"\n  quotes:\n    - source: alpha\n      text: \"Some 10,000 to 12,000 soldiers were sent\"\n      value: \"10000-12000\"\n",
    );
    let run = fails(&f);
    let d = run.diag(
        "error",
        "the quote states a value but the claim declares no value kind",
    );
    d.assert_at("content/claims.yaml:6:14");
    assert!(d.headline.starts_with("claim `troops`: "), "{}", d.headline);
    d.assert_mentions("kind: quantity");
}

#[test]
fn unknown_value_kind() {
    let f = with_claims(
        "- id: troops\n  claim: \"A\"\n  value:\n    kind: number\n  quotes:\n    - source: alpha\n      text: \"Some 10,000 to 12,000 soldiers were sent\"\n",
    );
    let run = fails(&f);
    run.diag("error", "unknown value kind `number`")
        .assert_at("content/claims.yaml:4:11")
        .assert_mentions("quantity, date, year, text");
}

#[test]
fn unknown_stance() {
    let f = with_claims(
        "- id: a\n  claim: \"A\"\n  quotes:\n    - source: alpha\n      text: \"The two paratroopers\"\n      stance: suports\n",
    );
    let run = fails(&f);
    let d = run.diag("error", "unknown stance `suports`");
    d.assert_at("content/claims.yaml:6:15");
    assert!(d.headline.starts_with("claim `a`: "), "{}", d.headline);
    d.assert_mentions("did you mean `supports`?");
}

#[test]
fn quote_not_found_shows_the_closest_passage_and_a_word_diff() {
    let f = with_claims(
        "- id: a\n  claim: \"A\"\n  quotes:\n    - source: alpha\n      text: \"The two parachutists were captured on Monday\"\n",
    );
    let run = fails(&f);
    let d = run.diag("error", "quote not found in source `alpha`");
    d.assert_at("content/claims.yaml:5:13");
    assert!(d.headline.starts_with("claim `a`: "), "{}", d.headline);
    let notes = d.notes();
    assert!(
        notes.iter().any(
            |n| n.starts_with("closest passage, content/articles/alpha.md:5:")
                && n.contains("The two paratroopers were captured on Monday")
        ),
        "the closest passage, with its line: {notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("[-paratroopers-]{+parachutists+}")),
        "a word diff: {notes:?}"
    );
}

#[test]
fn quote_not_found_in_a_later_paragraph_names_that_line() {
    let f = with_claims(
        "- id: a\n  claim: \"A\"\n  quotes:\n    - source: alpha\n      text: \"Some 10,000 to 11,000 soldiers were sent\"\n",
    );
    let run = fails(&f);
    let d = run.diag("error", "quote not found in source `alpha`");
    assert!(
        d.notes()
            .iter()
            .any(|n| n.starts_with("closest passage, content/articles/alpha.md:7:")),
        "{:?}",
        d.notes()
    );
    d.assert_mentions("[-12,000-]{+11,000+}");
}

#[test]
fn quote_differing_only_in_case() {
    let f = with_claims(
        "- id: a\n  claim: \"A\"\n  quotes:\n    - source: alpha\n      text: \"the two paratroopers were captured\"\n",
    );
    let run = fails(&f);
    let d = run.diag("error", "quote not found in source `alpha`");
    d.assert_at("content/claims.yaml:5:13");
    d.assert_mentions("differs from it only in letter case");
}

#[test]
fn elided_parts_must_be_in_one_paragraph() {
    // Found: both parts in the first paragraph, in order.
    let ok = with_claims(
        "- id: a\n  claim: \"A\"\n  quotes:\n    - source: alpha\n      text: \"The two paratroopers ... officials said.\"\n",
    );
    ok.build().expect_code(0);
    // Not found: the parts are in two paragraphs.
    let f = with_claims(
        "- id: a\n  claim: \"A\"\n  quotes:\n    - source: alpha\n      text: \"The two paratroopers ... soldiers were sent\"\n",
    );
    fails(&f).diag("error", "quote not found in source `alpha`");
}

#[test]
fn quote_that_occurs_twice_is_a_warning() {
    let f = with_claims(
        "- id: a\n  claim: \"A\"\n  quotes:\n    - source: alpha\n      text: \"officials said\"\n",
    );
    let run = f.build();
    run.expect_code(0);
    assert_contains(&run.stderr, "warning");
    let d = run.diag("warning", "the quote occurs 2 times in `alpha`");
    d.assert_at("content/claims.yaml:5:13");
    assert!(d.headline.starts_with("claim `a`: "), "{}", d.headline);
    assert!(run.diagnostics_of("error").is_empty(), "{}", run.stderr);
    assert!(
        f.out().join("claims/a/index.html").is_file(),
        "a warning does not stop the build"
    );
    let check = f.check();
    check.expect_code(0);
    assert_contains(&check.stderr, "the quote occurs 2 times");
    assert_contains(&check.stdout, "1 warning");
}

#[test]
fn revision_of_naming_no_article() {
    let f = with_claims(GOOD_CLAIMS);
    f.article(
        "beta",
        "title: \"Beta\"\noutlet: \"Beta\"\nrevision_of: alpah\n",
        "Beta body.\n",
    );
    let run = fails(&f);
    let d = run.diag("error", "`revision_of: alpah` names no article");
    d.assert_at("content/articles/beta.md:4:14");
    assert!(d.headline.starts_with("source `beta`: "), "{}", d.headline);
    d.assert_mentions("did you mean `alpha`?");
}

#[test]
fn bad_published_date() {
    let f = with_claims(GOOD_CLAIMS);
    f.article(
        "beta",
        "title: \"Beta\"\noutlet: \"Beta\"\npublished: 12 Jan 2025\n",
        "Beta body.\n",
    );
    let run = fails(&f);
    let d = run.diag("error", "`published: 12 Jan 2025` is not an ISO 8601 date");
    d.assert_at("content/articles/beta.md:4:12");
    assert!(d.headline.starts_with("source `beta`: "), "{}", d.headline);
    d.assert_mentions("YYYY-MM-DD");
}

#[test]
fn impossible_published_date() {
    let f = with_claims(GOOD_CLAIMS);
    f.article(
        "beta",
        "title: \"Beta\"\noutlet: \"Beta\"\npublished: 2025-02-30\n",
        "Beta body.\n",
    );
    fails(&f).diag("error", "`published: 2025-02-30` is not an ISO 8601 date");
}

#[test]
fn article_url_must_be_http() {
    let f = with_claims(GOOD_CLAIMS);
    f.article(
        "beta",
        "title: \"Beta\"\noutlet: \"Beta\"\nurl: \"javascript:alert(1)\"\n",
        "Beta body.\n",
    );
    let run = fails(&f);
    run.diag("error", "is not an http(s) URL")
        .assert_at("content/articles/beta.md:4:6");
}

#[test]
fn article_without_front_matter() {
    let f = with_claims(GOOD_CLAIMS);
    f.write("content/articles/beta.md", "Just a body.\n");
    let run = fails(&f);
    let d = run.diag("error", "the article has no front matter");
    d.assert_at("content/articles/beta.md:1");
    assert!(d.headline.starts_with("source `beta`: "), "{}", d.headline);
}

#[test]
fn missing_site_yaml() {
    let f = with_claims(GOOD_CLAIMS);
    std::fs::remove_file(f.root().join("content/site.yaml")).expect("remove site.yaml");
    let run = fails(&f);
    run.diag("error", "the dossier has no site.yaml")
        .assert_at("content/site.yaml:1");
}

#[test]
fn site_yaml_without_title() {
    let f = with_claims(GOOD_CLAIMS);
    f.write("content/site.yaml", "language: en\n");
    fails(&f)
        .diag("error", "missing required field `title`")
        .assert_at("content/site.yaml:1");
}

#[test]
fn missing_claims_yaml() {
    let f = Fixture::new();
    f.simple_article("alpha", "Alpha News", ALPHA_BODY);
    fails(&f)
        .diag("error", "the dossier has no claims.yaml")
        .assert_at("content/claims.yaml:1");
}

#[test]
fn unknown_theme() {
    let f = with_claims(GOOD_CLAIMS);
    f.write("content/site.yaml", "title: \"T\"\ntheme: fancy\n");
    fails(&f)
        .diag("error", "theme `fancy` not found")
        .assert_at("content/site.yaml:2:8");
}

#[test]
fn several_errors_are_all_reported_in_one_run() {
    let f = Fixture::new();
    f.simple_article("alpha", "Alpha News", ALPHA_BODY);
    f.article(
        "beta",
        "title: \"Beta\"\noutlet: \"Beta\"\npublished: yesterday\n",
        "Beta body.\n",
    );
    f.claims(
        "- id: one\n\
         \x20 claim: \"One\"\n\
         \x20 quotes:\n\
         \x20   - source: alpah\n\
         \x20     text: \"The two paratroopers\"\n\
         - id: two\n\
         \x20 claim: \"Two\"\n\
         \x20 quotes:\n\
         \x20   - source: alpha\n\
         \x20     text: \"The three paratroopers\"\n\
         - id: three\n\
         \x20 claim: \"Three\"\n\
         \x20 quotes:\n\
         \x20   - source: alpha\n\
         \x20     text: \"The two paratroopers\"\n\
         \x20     stance: against\n\
         - id: four\n\
         \x20 claim: \"Four\"\n\
         \x20 value: {kind: year}\n\
         \x20 quotes:\n\
         \x20   - source: alpha\n\
         \x20     text: \"The two paratroopers\"\n\
         \x20     value: \"last year\"\n",
    );
    let run = fails(&f);
    let errors = run.diagnostics_of("error");
    assert_eq!(
        errors.len(),
        5,
        "five errors, each reported once:\n{}",
        run.stderr
    );
    assert_contains(
        &run.stderr,
        "dossier: 5 errors and 0 warnings; nothing was written",
    );
    run.diag("error", "`published: yesterday` is not an ISO 8601 date")
        .assert_at("content/articles/beta.md:4");
    run.diag("error", "unknown source `alpah`")
        .assert_at("content/claims.yaml:4");
    run.diag("error", "quote not found in source `alpha`")
        .assert_at("content/claims.yaml:10");
    run.diag("error", "unknown stance `against`")
        .assert_at("content/claims.yaml:16");
    run.diag("error", "malformed year value")
        .assert_at("content/claims.yaml:23");
    // Sorted by file, then line.
    let order: Vec<String> = errors.iter().filter_map(Diag::location).collect();
    let mut sorted = order.clone();
    sorted.sort_by_key(|l| {
        let mut it = l.split(':');
        let file = it.next().unwrap_or_default().to_string();
        let line: usize = it.next().and_then(|n| n.parse().ok()).unwrap_or(0);
        (file, line)
    });
    assert_eq!(order, sorted, "diagnostics are in file and line order");
}

#[test]
fn errors_are_shown_with_the_offending_line() {
    let f = with_claims(
        "- id: a\n  claim: \"A\"\n  quotes:\n    - source: alpah\n      text: \"The two paratroopers\"\n",
    );
    let run = fails(&f);
    let d = run.diag("error", "unknown source `alpah`");
    // annotate-snippets shows the line itself, with its number, under the location.
    assert!(
        d.text
            .lines()
            .any(|l| l.trim_start().starts_with("4 |") && l.contains("- source: alpah")),
        "{}",
        d.text
    );
    assert!(
        d.text.lines().any(|l| l.contains("^^^^^")),
        "the span is underlined:\n{}",
        d.text
    );
}

#[test]
fn a_quote_matching_only_inside_a_word_is_not_called_a_case_difference() {
    let f = Fixture::new();
    f.simple_article(
        "alpha",
        "Alpha News",
        "The town was recaptured on Monday. Officials counted 110,000 troops.\n",
    );
    f.claims(
        "- id: a\n  claim: \"A\"\n  quotes:\n    - source: alpha\n      text: \"captured on Monday\"\n- id: b\n  claim: \"B\"\n  quotes:\n    - source: alpha\n      text: \"10,000 troops\"\n",
    );
    let run = fails(&f);
    let errors = run.diagnostics_of("error");
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    for d in errors {
        assert!(
            d.headline.contains("quote not found in source `alpha`"),
            "{}",
            d.text
        );
        assert!(
            !d.text.contains("only in letter case"),
            "the quote and the source have the same letter case; the difference is the word:\n{}",
            d.text
        );
    }
}

#[test]
fn a_claim_with_a_bad_id_still_has_its_quotes_checked() {
    let f = with_claims(
        "- id: Bad_ID\n  claim: \"A\"\n  quotes:\n    - source: alpah\n      text: \"The two paratroopers\"\n",
    );
    let run = fails(&f);
    run.diag("error", "invalid claim id `Bad_ID`");
    run.diag("error", "unknown source `alpah`")
        .assert_at("content/claims.yaml:4:15");
}

#[test]
fn an_article_with_an_error_is_not_reported_as_an_unknown_source() {
    let f = with_claims(
        "- id: a\n  claim: \"A\"\n  quotes:\n    - source: beta\n      text: \"Beta body.\"\n",
    );
    f.article("beta", "title: \"Beta\"\n", "Beta body.\n");
    let run = fails(&f);
    run.diag("error", "missing required field `outlet`");
    assert_lacks(&run.stderr, "unknown source `beta`");
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let f = Fixture::new();
    f.write(
        "content/articles/alpha.md",
        &format!("\u{FEFF}---\ntitle: \"Alpha\"\noutlet: \"Alpha News\"\n---\n{ALPHA_BODY}"),
    );
    f.write("content/claims.yaml", &format!("\u{FEFF}{GOOD_CLAIMS}"));
    let run = f.build();
    run.expect_code(0);
}

#[test]
fn windows_line_endings_are_read() {
    let f = Fixture::new();
    f.write(
        "content/articles/alpha.md",
        &format!("---\ntitle: \"Alpha\"\noutlet: \"Alpha News\"\n---\n{ALPHA_BODY}")
            .replace('\n', "\r\n"),
    );
    f.write("content/claims.yaml", &GOOD_CLAIMS.replace('\n', "\r\n"));
    f.build().expect_code(0);
    // Positions stay right with CRLF.
    std::fs::remove_dir_all(f.out()).expect("remove the output");
    f.write(
        "content/claims.yaml",
        &GOOD_CLAIMS.replace("alpha", "alpah").replace('\n', "\r\n"),
    );
    fails(&f)
        .diag("error", "unknown source `alpah`")
        .assert_at("content/claims.yaml:4:15");
}

/// A valid claims.yaml of `n` claims quoting `alpha` (five lines each), so that line
/// `5 * n + 1` is the first after them.
fn many_claims(n: usize) -> String {
    (0..n)
        .map(|i| format!("- id: c{i}\n  claim: \"C{i}\"\n  quotes:\n    - source: alpha\n      text: \"The two paratroopers were captured on Monday\"\n"))
        .collect()
}

#[test]
fn a_control_character_in_claims_yaml_names_its_line_and_column() {
    let mut claims = many_claims(80);
    claims.push_str("- id: bell\n  claim: \"A bell \u{7} rings\"\n  quotes:\n    - source: alpha\n      text: \"The two paratroopers\"\n");
    let f = with_claims(&claims);
    let run = fails(&f);
    run.diag("error", "U+0007")
        .assert_at("content/claims.yaml:402:18")
        .assert_mentions("control character");
}

#[test]
fn invalid_utf8_names_its_line_and_column() {
    // In claims.yaml, on line 400.
    let f = with_claims(GOOD_CLAIMS);
    let mut bytes = many_claims(79).into_bytes();
    bytes.extend_from_slice(b"- id: latin1\n  claim: \"Caf\xe9\"\n");
    std::fs::write(f.root().join("content/claims.yaml"), &bytes).expect("write");
    let run = fails(&f);
    run.diag("error", "is not UTF-8 text")
        .assert_at("content/claims.yaml:397:14")
        .assert_mentions("0xE9");
    // In an article, below its front matter; the line is shown.
    let f = with_claims(GOOD_CLAIMS);
    let mut body =
        format!("---\ntitle: \"Alpha\"\noutlet: \"Alpha News\"\n---\n{ALPHA_BODY}").into_bytes();
    body.extend_from_slice(b"\nA caf\xe9 by the river.\n");
    std::fs::write(f.root().join("content/articles/alpha.md"), &body).expect("write");
    let run = fails(&f);
    let d = run.diag("error", "is not UTF-8 text");
    d.assert_at("content/articles/alpha.md:9:6");
    assert!(
        d.text
            .lines()
            .any(|l| l.trim_start().starts_with("9 |") && l.contains("by the river")),
        "the line is shown:\n{}",
        d.text
    );
}

#[test]
fn a_control_character_in_front_matter_or_site_yaml_names_its_line() {
    let f = with_claims(GOOD_CLAIMS);
    f.write(
        "content/articles/alpha.md",
        &format!("---\ntitle: \"Alpha\"\noutlet: \"Alpha\u{1b} News\"\n---\n{ALPHA_BODY}"),
    );
    fails(&f)
        .diag("error", "U+001B")
        .assert_at("content/articles/alpha.md:3:15");
    let f = with_claims(GOOD_CLAIMS);
    f.write(
        "content/site.yaml",
        "title: \"T\"\ndescription: \"a\u{0}b\"\n",
    );
    fails(&f)
        .diag("error", "U+0000")
        .assert_at("content/site.yaml:2:16");
}

#[test]
fn unclosed_brackets_are_refused_before_parsing_naming_their_line() {
    // 80 KB of `[`: the YAML parser took 11 seconds over this; the scan refuses it at once.
    let mut claims = many_claims(3);
    claims.push_str(&format!(
        "- id: deep\n  claim: \"Deep\"\n  note: {}\n",
        "[".repeat(80_000)
    ));
    let f = with_claims(&claims);
    let run = fails(&f);
    let d = run.diag("error", "nested");
    d.assert_at("content/claims.yaml:18");
    assert_eq!(run.diagnostics().len(), 1, "{}", run.stderr);
    // A bracket in plain text is text.
    let f = with_claims(&GOOD_CLAIMS.replace(
        "claim: \"Two soldiers were captured.\"",
        &format!("claim: Two [sic] soldiers {}", "[".repeat(100)),
    ));
    f.build().expect_code(0);
}
