//! Errors a curator can act on, tried as a new user makes them: each names its cause and its
//! fix, at the line of the cause; one syntax error in claims.yaml does not hide the other
//! problems of the file; an unknown field or kind is reported once, with the field meant, and
//! causes no follow-on errors. And the warnings that do not fail the build: an article no
//! claim quotes, a claim whose quotes all come from one origin.

mod common;

use common::*;

/// The body of `alpha`: its first line is line 5 of the file, its second paragraph line 7.
const ALPHA: &str = "The two paratroopers were captured on Monday, officials said.\n\
\n\
Some 10,000 to 12,000 soldiers were sent to Russia.\n";

/// The body of `beta` (Beta Post): its paragraphs start on lines 5 and 7.
const BETA: &str = "The reporter met the Courier at the gate.\n\
\n\
We knocked on doors, he said, and nobody answered.\n";

/// A dossier with `alpha` (Alpha News) and `beta` (Beta Post), and this claims.yaml.
fn dossier_with(claims: &str) -> Fixture {
    let f = Fixture::new();
    f.simple_article("alpha", "Alpha News", ALPHA);
    f.simple_article("beta", "Beta Post", BETA);
    f.claims(claims);
    f
}

/// A well-formed claim `id` quoting `source` with `text`.
fn claim(id: &str, source: &str, text: &str) -> String {
    format!(
        "- id: {id}\n  claim: \"Claim {id}.\"\n  quotes:\n    - source: {source}\n      text: \"{text}\"\n"
    )
}

/// Builds, expecting content errors (see [`Fixture::build_fails`]).
#[track_caller]
fn fails(f: &Fixture) -> Run {
    f.build_fails()
}

/// The headlines of a run's errors.
fn errors(run: &Run) -> Vec<String> {
    run.diagnostics_of("error")
        .into_iter()
        .map(|d| d.headline)
        .collect()
}

#[test]
fn every_problem_of_a_broken_claims_yaml_is_reported_in_one_run_at_its_line() {
    // Eight entries of 5 lines each: entry k starts on line 5k-4 and its `text:` is line 5k.
    let entries = [
        claim("one", "alpha", "The two paratroopers were captured on Monday"),
        // Entry 2: a quotation mark inside a double-quoted string.
        "- id: two\n  claim: \"Claim two.\"\n  quotes:\n    - source: beta\n      text: \"The reporter met the Courier. \"We knocked on doors.\"\"\n".to_string(),
        claim("three", "alpha", "officials said"),
        // Entry 4: a tab in the indentation (line 19).
        "- id: four\n  claim: \"Claim four.\"\n  quotes:\n\t- source: alpha\n      text: \"Some 10,000 to 12,000 soldiers\"\n".to_string(),
        claim("five", "beta", "nobody answered"),
        // Entry 6: `text` without its colon (line 30).
        "- id: six\n  claim: \"Claim six.\"\n  quotes:\n    - source: alpha\n      text \"sent to Russia\"\n".to_string(),
        claim("seven", "beta", "We knocked on doors"),
        // Entry 8 is well formed, but names an article that does not exist (line 39).
        claim("eight", "gamma", "officials said"),
    ];
    let f = dossier_with(&entries.concat());
    let run = fails(&f);
    let all = errors(&run);
    assert_eq!(
        all.len(),
        4,
        "one report per problem, no follow-ons: {all:#?}"
    );

    run.diag("error", "closing quote comes early")
        .assert_at("content/claims.yaml:10:44");
    run.diag("error", "a tab at line 19 column 1")
        .assert_at("content/claims.yaml:19:1");
    run.diag("error", "has no colon after the key")
        .assert_at("content/claims.yaml:30:7");
    let d = run.diag("error", "unknown source `gamma`");
    d.assert_at("content/claims.yaml:39:15");
    assert!(d.headline.starts_with("claim `eight`: "), "{}", d.headline);
    // The good entries between were checked: their quotes are found (an unknown source in
    // one of them would be reported too, as entry 8's is).
    assert_lacks(&run.stderr, "claim `three`");
    assert_lacks(&run.stderr, "claim `seven`");
}

#[test]
fn a_semantic_error_after_a_syntax_error_keeps_its_line_and_the_good_claims_are_checked() {
    let claims = format!(
        "# claims\n\n{}{}{}",
        "- id: one\n  claim: \"One.\"\n  quotes:\n    - source: alpha\n      text: \"x\" y\n",
        claim(
            "two",
            "alpha",
            "The two paratroopers were captured on Tuesday"
        ),
        claim("three", "alpha", "officials said"),
    );
    let f = dossier_with(&claims);
    let run = fails(&f);
    run.diag("error", "closing quote comes early")
        .assert_at("content/claims.yaml:7:15");
    // Entry two's quote is checked as usual: not found, with the closest passage.
    let d = run.diag("error", "quote not found in source `alpha`");
    d.assert_at("content/claims.yaml:12:13");
    d.assert_mentions("{+Tuesday+}");
    assert_eq!(errors(&run).len(), 2, "{}", run.stderr);
}

#[test]
fn a_quote_with_quotation_marks_says_where_the_string_closes_and_shows_the_fixed_line() {
    let f = dossier_with(
        "- id: a\n  claim: \"A.\"\n  quotes:\n    - source: beta\n      text: \"The reporter met the Courier. \"We knocked on doors.\"\"\n",
    );
    let run = fails(&f);
    let d = run.diag("error", "YAML syntax error");
    d.assert_at("content/claims.yaml:5:44");
    d.assert_mentions("the string's closing quote comes early at column 44");
    d.assert_mentions("`We knocked on doors.\"\"` follows it");
    // The fix: escaped quotation marks (the fixed line is shown), single quotes, or `>-`.
    d.assert_mentions(
        r#"write the line as `text: "The reporter met the Courier. \"We knocked on doors.\""`"#,
    );
    d.assert_mentions(r#"each quotation mark is written `\"`"#);
    d.assert_mentions("single quotes (each `'` in it written `''`)");
    d.assert_mentions("`>-` block scalar");
    assert_lacks(&run.stderr, "did not find expected key");
}

#[test]
fn a_single_quoted_string_with_an_apostrophe_says_to_double_it() {
    let f = dossier_with(
        "- id: a\n  claim: 'The soldier's account.'\n  quotes:\n    - source: alpha\n      text: \"officials said\"\n",
    );
    let run = fails(&f);
    let d = run.diag("error", "closing quote comes early at column 22");
    d.assert_at("content/claims.yaml:2:22");
    d.assert_mentions("write the line as `claim: 'The soldier''s account.'`");
    d.assert_mentions("inside single quotes each `'` is written `''`");
}

#[test]
fn a_tab_is_named_as_a_tab() {
    let f = dossier_with(
        "- id: a\n  claim: \"A.\"\n  quotes:\n    - source: alpha\n  \t  text: \"officials said\"\n",
    );
    let run = fails(&f);
    let d = run.diag(
        "error",
        "a tab at line 5 column 3: YAML indents with spaces",
    );
    d.assert_at("content/claims.yaml:5:3");
    d.assert_mentions("replace the tab with spaces");
    assert_lacks(&run.stderr, "cannot start any token");
}

#[test]
fn a_tab_in_front_matter_names_the_article_line() {
    let f = dossier_with(&claim("a", "alpha", "officials said"));
    f.article("gamma", "title: \"G\"\n\toutlet: \"Gamma\"\n", "Text.\n");
    let run = fails(&f);
    run.diag("error", "a tab at line 3 column 1")
        .assert_at("content/articles/gamma.md:3:1")
        .assert_mentions("replace the tab with spaces");
}

#[test]
fn a_missing_colon_is_reported_on_its_own_line() {
    // The parser notices only at the next line (`stance:`) that `text` had no colon.
    let f = dossier_with(
        "- id: a\n  claim: \"A.\"\n  quotes:\n    - source: alpha\n      text \"officials said\"\n      stance: supports\n",
    );
    let run = fails(&f);
    let d = run.diag(
        "error",
        r#"`text "officials said"` has no colon after the key `text`"#,
    );
    d.assert_at("content/claims.yaml:5:7");
    d.assert_mentions(r#"write `text: "officials said"`"#);
    // Also where the next line is the next claim's.
    let f = dossier_with(&format!(
        "- id: a\n  claim \"A.\"\n  quotes:\n    - source: alpha\n      text: \"officials said\"\n{}",
        claim("b", "alpha", "officials said")
    ));
    let run = fails(&f);
    run.diag("error", "has no colon after the key `claim`")
        .assert_at("content/claims.yaml:2:3")
        .assert_mentions(r#"write `claim: "A."`"#);
}

#[test]
fn date_in_front_matter_suggests_published() {
    let f = dossier_with(&claim("a", "alpha", "officials said"));
    f.article(
        "gamma",
        "title: \"G\"\noutlet: \"Gamma\"\ndate: 2025-01-11\n",
        "Text.\n",
    );
    let run = fails(&f);
    run.diag("error", "unknown field `date`")
        .assert_at("content/articles/gamma.md:4:1")
        .assert_mentions("did you mean `published`?");
    assert_eq!(errors(&run).len(), 1, "{}", run.stderr);
}

#[test]
fn synonyms_are_suggested_before_the_nearest_spelling() {
    let f = dossier_with(&claim("a", "alpha", "officials said"));
    f.article(
        "gamma",
        "headline: \"G\"\npublisher: \"Gamma\"\nbyline: \"Someone\"\n",
        "Text.\n",
    );
    let run = fails(&f);
    run.diag("error", "unknown field `headline`")
        .assert_mentions("did you mean `title`?");
    run.diag("error", "unknown field `publisher`")
        .assert_mentions("did you mean `outlet`?");
    run.diag("error", "unknown field `byline`")
        .assert_mentions("did you mean `author`?");
    // The misspelt required fields are not also reported as missing.
    assert_lacks(&run.stderr, "missing required field");
    assert_eq!(errors(&run).len(), 3, "{}", run.stderr);
}

#[test]
fn kind_number_suggests_quantity_with_no_follow_on_errors() {
    let f = dossier_with(
        "- id: troops\n  claim: \"About 10,000 to 12,000 soldiers were sent.\"\n  value:\n    kind: number\n    units: soldiers\n  quotes:\n    - source: alpha\n      text: \"Some 10,000 to 12,000 soldiers were sent\"\n      value: \"10000-12000\"\n    - source: alpha\n      text: \"officials said\"\n      stance: agrees\n",
    );
    let run = fails(&f);
    let d = run.diag("error", "unknown value kind `number`");
    d.assert_at("content/claims.yaml:4:11");
    d.assert_mentions("did you mean `quantity`?");
    run.diag("error", "unknown field `units`")
        .assert_at("content/claims.yaml:5:5")
        .assert_mentions("did you mean `unit`?");
    run.diag("error", "unknown stance `agrees`")
        .assert_mentions("did you mean `supports`?");
    assert_eq!(errors(&run).len(), 3, "no follow-on errors: {}", run.stderr);
    assert!(run.diagnostics_of("warning").is_empty(), "{}", run.stderr);
}

#[test]
fn an_unknown_kind_with_no_likely_meaning_causes_no_follow_on_errors() {
    let f = dossier_with(
        "- id: troops\n  claim: \"A.\"\n  value:\n    kind: flibber\n  quotes:\n    - source: alpha\n      text: \"Some 10,000 to 12,000 soldiers were sent\"\n      value: \"10000-12000\"\n",
    );
    let run = fails(&f);
    run.diag("error", "unknown value kind `flibber`")
        .assert_mentions("quantity, date, year, text");
    assert_eq!(errors(&run).len(), 1, "{}", run.stderr);
}

#[test]
fn type_is_read_as_kind_and_reported_once() {
    let f = dossier_with(
        "- id: troops\n  claim: \"A.\"\n  value: {type: quantity}\n  quotes:\n    - source: alpha\n      text: \"Some 10,000 to 12,000 soldiers were sent\"\n      value: \"~500\"\n",
    );
    let run = fails(&f);
    run.diag("error", "unknown field `type`")
        .assert_mentions("did you mean `kind`?");
    // The value is checked as a quantity: the quote does not say 500.
    run.diag("error", "`~500` is not what the quote says");
    assert_lacks(&run.stderr, "missing required field `kind`");
    assert_eq!(errors(&run).len(), 2, "{}", run.stderr);
}

#[test]
fn qoute_is_reported_once_and_what_it_holds_is_still_checked() {
    // In a claim, `qoute:` means `quotes`; in a quote, `text`. Either way one report, and the
    // quotes are checked as usual (so the misquote below is found).
    let f = dossier_with(
        "- id: a\n  claim: \"A.\"\n  qoute:\n    - source: alpha\n      qoute: \"The two paratroopers were caught\"\n    - source: alpha\n      claim: \"officials said\"\n    - outlet: beta\n      text: \"nobody answered\"\n      stance: denies\n",
    );
    let run = fails(&f);
    let qoute: Vec<Diag> = run
        .diagnostics_of("error")
        .into_iter()
        .filter(|d| d.headline.contains("unknown field `qoute`"))
        .collect();
    assert_eq!(qoute.len(), 2, "{}", run.stderr);
    qoute[0]
        .assert_at("content/claims.yaml:3:3")
        .assert_mentions("did you mean `quotes`?");
    qoute[1]
        .assert_at("content/claims.yaml:5:7")
        .assert_mentions("did you mean `text`?");
    run.diag("error", "unknown field `claim`")
        .assert_mentions("did you mean `text`?");
    run.diag("error", "unknown field `outlet`")
        .assert_mentions("did you mean `source`?");
    run.diag("error", "unknown stance `denies`")
        .assert_mentions("did you mean `contradicts`?");
    run.diag("error", "quote not found in source `alpha`")
        .assert_at("content/claims.yaml:5:14");
    assert_lacks(&run.stderr, "missing required field");
    assert_lacks(&run.stderr, "has no quotes");
    assert_eq!(errors(&run).len(), 6, "{}", run.stderr);
}

#[test]
fn an_empty_article_is_one_error_with_an_example() {
    let f = dossier_with(&format!(
        "{}{}",
        claim("a", "gamma", "officials said"),
        claim("b", "gamma", "something else")
    ));
    f.write("content/articles/gamma.md", "");
    let run = fails(&f);
    let all = errors(&run);
    assert_eq!(all.len(), 1, "{all:#?}");
    let d = run.diag("error", "the file is empty");
    d.assert_at("content/articles/gamma.md:1");
    d.assert_mentions("an article starts with front matter between `---` lines");
    d.assert_mentions("title: \"The article's title\"");
    d.assert_mentions("outlet: \"Who published it\"");
}

#[test]
fn front_matter_that_never_closes_says_so() {
    let f = dossier_with(&claim("a", "gamma", "The soldiers were seen"));
    f.write(
        "content/articles/gamma.md",
        "---\ntitle: \"G\"\noutlet: \"Gamma\"\n\nThe soldiers were seen.\n",
    );
    let run = fails(&f);
    let d = run.diag("error", "front matter opened at line 1 is never closed");
    d.assert_at("content/articles/gamma.md:1");
    d.assert_mentions("add a line `---` after the last field");
    assert_lacks(&run.stderr, "has no front matter");
    // The quote is still found in the text.
    assert_eq!(errors(&run).len(), 1, "{}", run.stderr);
}

#[test]
fn a_quote_pasted_from_another_article_names_that_article() {
    let f = dossier_with(&claim("a", "alpha", "We knocked on doors, he said"));
    let run = fails(&f);
    let d = run.diag("error", "quote not found in source `alpha`");
    d.assert_at("content/claims.yaml:5:13");
    d.assert_mentions(
        "this quote is verbatim in `beta` (Beta Post, line 7): did you mean `source: beta`?",
    );
    d.assert_mentions("it is verbatim in content/articles/beta.md:7");
    // Not diffed against an unrelated passage of alpha.
    assert_lacks(&d.text, "closest passage");
}

#[test]
fn an_elision_across_paragraphs_states_the_rule() {
    let f = dossier_with(&claim(
        "a",
        "alpha",
        "The two paratroopers were captured ... soldiers were sent to Russia",
    ));
    let run = fails(&f);
    let d = run.diag("error", "quote not found in source `alpha`");
    d.assert_mentions("the parts start on lines 5, 7 of content/articles/alpha.md");
    d.assert_mentions("must appear in order within one paragraph");
    d.assert_mentions("quote each paragraph separately");
    // Quoted a paragraph at a time, it builds.
    let f = dossier_with(
        "- id: a\n  claim: \"A.\"\n  quotes:\n    - source: alpha\n      text: \"The two paratroopers were captured\"\n    - source: alpha\n      text: \"soldiers were sent to Russia\"\n    - source: beta\n      text: \"The reporter … at the gate\"\n",
    );
    f.build().expect_code(0);
}

#[test]
fn an_article_no_claim_quotes_is_a_warning_and_the_build_succeeds() {
    let f = dossier_with(&claim("a", "alpha", "officials said"));
    let run = f.build();
    run.expect_code(0);
    let d = run.diag(
        "warning",
        "`beta` (Beta Post) is not quoted by any claim: quote it or remove it",
    );
    d.assert_at("content/articles/beta.md:1");
    assert_eq!(run.diagnostics().len(), 1, "{}", run.stderr);
    assert!(f.out().join("sources/beta/index.html").is_file());
    // A later version of a quoted report is kept for what it changed: no warning.
    let f = dossier_with(&format!(
        "{}{}",
        claim("a", "alpha", "officials said"),
        claim("b", "beta", "nobody answered")
    ));
    f.article(
        "beta-update",
        "title: \"B2\"\noutlet: \"Beta Post\"\nrevision_of: beta\n",
        BETA,
    );
    let run = f.build();
    run.expect_code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn a_claim_whose_quotes_have_one_origin_without_saying_so_is_a_warning() {
    // Beta names Alpha News as its `via`: with Alpha's own report, one origin, which no quote
    // says outright.
    let f = dossier_with(
        "- id: a\n  claim: \"A.\"\n  quotes:\n    - source: alpha\n      text: \"officials said\"\n    - source: beta\n      text: \"he said\"\n      via: \"Alpha News\"\n",
    );
    let run = f.build();
    run.expect_code(0);
    run.diag(
        "warning",
        "all 2 quotes of claim `a` come from one origin (Alpha News): the claim is shown as single-origin",
    )
    .assert_at("content/claims.yaml:1:1")
    .assert_mentions("leave `via` out of its quote");
    assert_eq!(run.diagnostics().len(), 1, "{}", run.stderr);
    assert!(
        f.out().join("claims/a/index.html").is_file(),
        "the build succeeds"
    );
    // Where every quote names the party it relays, the quotes already say it: no warning.
    let f = dossier_with(
        "- id: a\n  claim: \"A.\"\n  quotes:\n    - source: alpha\n      text: \"officials said\"\n      via: \"SBU\"\n    - source: beta\n      text: \"he said\"\n      via: \"SBU\"\n",
    );
    let run = f.build();
    run.expect_code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    // Not where the claim is already reported on: the other warning is the one to read.
    let f = dossier_with(
        "- id: a\n  claim: \"A.\"\n  quotes:\n    - source: alpha\n      text: \"were\"\n    - source: beta\n      text: \"he said\"\n      via: \"Alpha News\"\n",
    );
    let run = f.build();
    run.expect_code(0);
    run.diag("warning", "the quote occurs 2 times");
    assert_eq!(run.diagnostics().len(), 1, "{}", run.stderr);
    // Two origins: no warning.
    let f = dossier_with(
        "- id: a\n  claim: \"A.\"\n  quotes:\n    - source: alpha\n      text: \"officials said\"\n    - source: beta\n      text: \"he said\"\n",
    );
    let run = f.build();
    run.expect_code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn other_syntax_mistakes_name_their_cause_and_fix() {
    let quote = "    - source: alpha\n      text: \"officials said\"\n";
    let cases = [
        // A key alone, without its colon, over its list.
        (
            format!("- id: a\n  claim: \"A.\"\n  quotes\n{quote}"),
            "`quotes` has no colon after the key `quotes`",
            "content/claims.yaml:3:3",
            "write `quotes:`",
        ),
        // The parser's "mapping values are not allowed" on the next line's colon.
        (
            "- id: a\n  claim: \"A.\"\n  quotes:\n    - source alpha\n      text: \"officials said\"\n".to_string(),
            "`source alpha` has no colon after the key `source`",
            "content/claims.yaml:4:7",
            "write `source: alpha`",
        ),
        // A `: ` in a plain value.
        (
            format!("- id: a\n  claim: The count: two\n  quotes:\n{quote}"),
            "the value of `claim` holds `: `",
            "content/claims.yaml:2:19",
            "put the value in quotes: `claim: \"The count: two\"`",
        ),
        // A string never closed (the next claim is still read).
        (
            format!(
                "- id: a\n  claim: \"A.\"\n  quotes:\n    - source: alpha\n      text: \"officials said\n{}",
                claim("b", "alpha", "officials said")
            ),
            "the string opened at line 5 column 13 is never closed",
            "content/claims.yaml:5:13",
            "end the string with `\"`",
        ),
    ];
    for (claims, needle, at, help) in cases {
        let f = dossier_with(&claims);
        let run = fails(&f);
        run.diag("error", needle)
            .assert_at(at)
            .assert_mentions(help);
        assert_eq!(errors(&run).len(), 1, "{}", run.stderr);
    }
}
