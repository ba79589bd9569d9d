//! A claim's own value and the stances derived from it, independent origins and the labels
//! of statuses, references in notes, names instead of ids, and the "How to read this site"
//! page: each on small dossiers made here (and the bundled one for the ids and the links).

mod common;

use common::*;

const PEOPLE: &[(&str, &str, &str)] = &[
    ("alpha", "Alpha News", "About 12,000 people were evacuated"),
    ("beta", "Beta Times", "Over 15,000 people were evacuated"),
    ("gamma", "Gamma Radio", "Around 8,000 people were evacuated"),
    ("delta", "Delta Daily", "Some 12,500 people were evacuated"),
];

/// Four outlets with one sentence each (from [`PEOPLE`]).
fn four_outlets() -> Fixture {
    let f = Fixture::new();
    for (id, outlet, sentence) in PEOPLE {
        f.simple_article(id, outlet, &format!("{sentence} on Friday.\n"));
    }
    f
}

/// The quotes of [`PEOPLE`] with these values and extra lines (e.g. a stance), each quote
/// indented as a list item of `quotes:`.
fn quotes(values: &[&str], extra: &[&str]) -> String {
    let mut y = String::new();
    for (k, (id, _, sentence)) in PEOPLE.iter().enumerate() {
        y.push_str(&format!("    - source: {id}\n      text: \"{sentence}\"\n"));
        if let Some(v) = values.get(k).filter(|v| !v.is_empty()) {
            y.push_str(&format!("      value: \"{v}\"\n"));
        }
        if let Some(e) = extra.get(k).filter(|e| !e.is_empty()) {
            y.push_str(&format!("      {e}\n"));
        }
    }
    y
}

const VALUES: &[&str] = &["~12000", ">15000", "~8000", "~12500"];

/// The `class` of each quote figure on a page, in order.
fn stances_on(page: &str) -> Vec<String> {
    tags(page)
        .into_iter()
        .filter(|t| t.name == "figure" && t.attr("class").is_some_and(|c| c.starts_with("quote ")))
        .filter_map(|t| t.attr("class").map(str::to_string))
        .collect()
}

/// The page's text as a reader reads it: tags and scripts (the JSON-LD) removed, entities
/// decoded.
fn visible(html: &str) -> String {
    let mut html = html.to_string();
    while let Some(s) = html.find("<script") {
        let e = html[s..]
            .find("</script>")
            .map_or(html.len(), |e| s + e + 9);
        html.replace_range(s..e, "");
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    decode_entities(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The meta line of a claim page (status, sources, outlets, origins), as text.
fn meta(page: &str) -> String {
    let start = page
        .find("<p class=\"claim-meta\">")
        .expect("a claim-meta line");
    let end = start + page[start..].find("</p>").expect("its end");
    visible(&page[start..end])
}

#[test]
fn stances_follow_from_the_claims_own_value() {
    let f = four_outlets();
    f.claims(&format!(
        "- id: evacuated\n  claim: \"About 12,000 people were evacuated.\"\n  value:\n    kind: quantity\n    unit: people\n    stated: \"~12000\"\n  quotes:\n{}",
        quotes(VALUES, &[])
    ));
    let run = f.build();
    run.expect_code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let page = f.page("claims/evacuated/index.html");
    // ~12,000 and ~12,500 meet the claim's ~12,000; over 15,000 and about 8,000 do not.
    assert_eq!(
        stances_on(&page),
        [
            "quote stance-supports",
            "quote stance-contradicts",
            "quote stance-contradicts",
            "quote stance-supports"
        ]
    );
    let text = visible(&page);
    assert_contains(
        &text,
        "contradicts : its value is incompatible with the claim\u{2019}s about 12,000 people",
    );
    assert_contains(
        &text,
        "supports : its value is compatible with the claim\u{2019}s about 12,000 people",
    );
    assert_contains(&text, "The claim states about 12,000 people");
    // Two outlets support it, not four; it is disputed (supported and contradicted).
    let m = meta(&page);
    assert_contains(&m, "2 supporting outlets");
    assert_contains(&m, "disputed");
    assert_lacks(&m, "4 supporting outlets");
}

#[test]
fn written_stances_stay_but_a_disagreeing_one_is_a_warning() {
    let f = four_outlets();
    f.claims(&format!(
        "- id: evacuated\n  claim: \"About 12,000 people were evacuated.\"\n  value:\n    kind: quantity\n    unit: people\n    stated: \"~12000\"\n  quotes:\n{}",
        quotes(
            VALUES,
            &[
                "stance: contradicts",
                "stance: supports",
                "stance: mentions",
                ""
            ]
        )
    ));
    let run = f.build();
    run.expect_code(0);
    // Quote 1 (line 9..) is `contradicts` on a compatible value; quote 2 `supports` on an
    // incompatible one; `mentions` is never a warning.
    let w = run.diagnostics_of("warning");
    assert_eq!(w.len(), 2, "{}", run.stderr);
    run.diag("warning", "written as `contradicts`")
        .assert_at("content/claims.yaml:11")
        .assert_mentions("`~12000`")
        .assert_mentions("remove `stance: contradicts`");
    run.diag("warning", "written as `supports`")
        .assert_at("content/claims.yaml:15")
        .assert_mentions("`>15000` is incompatible with the claim's `~12000`")
        .assert_mentions("remove `stance: supports`");
    // The written stances are what the page shows, without a "derived" note.
    let page = f.page("claims/evacuated/index.html");
    assert_eq!(
        stances_on(&page),
        [
            "quote stance-contradicts",
            "quote stance-supports",
            "quote stance-mentions",
            "quote stance-supports"
        ]
    );
    assert_eq!(page.matches("class=\"stance-note\"").count(), 1);
}

#[test]
fn without_a_claim_value_conflicting_values_are_not_counted_as_support() {
    let f = four_outlets();
    // No `stated:`, no stances: the values conflict (8,000 against over 15,000), so which of
    // them "supports" the claim is not for the site to say. The fourth quote states none (it
    // leaves out its figure, so none is read from it).
    let y = quotes(&["~12000", ">15000", "~8000", ""], &[]).replace(
        "\"Some 12,500 people were evacuated\"",
        "\"people were evacuated\"",
    );
    f.claims(&format!(
        "- id: evacuated\n  claim: \"About 12,000 people were evacuated.\"\n  value:\n    kind: quantity\n    unit: people\n  quotes:\n{y}"
    ));
    let run = f.build();
    run.expect_code(0);
    run.diag("warning", "the claim states no value of its own")
        .assert_at("content/claims.yaml:1")
        .assert_mentions("stated: \"~12000\"");
    let page = f.page("claims/evacuated/index.html");
    assert_eq!(
        stances_on(&page),
        [
            "quote stance-mentions",
            "quote stance-mentions",
            "quote stance-mentions",
            "quote stance-supports"
        ]
    );
    assert_contains(&visible(&page), "counted neither for nor against it");
    let m = meta(&page);
    assert_contains(&m, "1 supporting outlet,");
    // Still disputed: the values cannot all be true.
    assert_contains(&m, "disputed");
}

#[test]
fn without_a_claim_value_compatible_values_support_as_before() {
    let f = four_outlets();
    // Beta's and Gamma's quotes leave out their figures (a value would be read from them).
    let mut y = quotes(&["~12000", "", "", "~12500"], &[]);
    y = y
        .replace(
            "\"Over 15,000 people were evacuated\"",
            "\"people were evacuated\"",
        )
        .replace(
            "\"Around 8,000 people were evacuated\"",
            "\"people were evacuated\"",
        );
    f.claims(&format!(
        "- id: evacuated\n  claim: \"About 12,000 people were evacuated.\"\n  value:\n    kind: quantity\n  quotes:\n{y}"
    ));
    let run = f.build();
    run.expect_code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let page = f.page("claims/evacuated/index.html");
    assert!(
        stances_on(&page)
            .iter()
            .all(|c| c == "quote stance-supports")
    );
    assert_eq!(page.matches("class=\"stance-note\"").count(), 0);
    assert_contains(&meta(&page), "4 supporting outlets");
}

#[test]
fn a_malformed_claim_value_is_an_error() {
    let f = four_outlets();
    f.claims(&format!(
        "- id: evacuated\n  claim: \"About 12,000 people were evacuated.\"\n  value:\n    kind: quantity\n    stated: \"lots\"\n  quotes:\n{}",
        quotes(VALUES, &[])
    ));
    let run = f.check();
    run.expect_code(1);
    run.diag("error", "malformed quantity value in `stated`")
        .assert_at("content/claims.yaml:5")
        .assert_mentions("write the value the claim states as a number");
}

/// A dossier of one claim quoting `quotes` (source id, via or "") from articles that each
/// say "Two soldiers were captured." (`front` gives each article's front matter).
fn origins_fixture(articles: &[(&str, &str)], quotes: &[(&str, &str)]) -> Fixture {
    let f = Fixture::new();
    for (id, front) in articles {
        f.article(id, front, "Two soldiers were captured.\n");
    }
    let mut y =
        String::from("- id: captured\n  claim: \"Two soldiers were captured.\"\n  quotes:\n");
    for (source, via) in quotes {
        y.push_str(&format!(
            "    - source: {source}\n      text: \"Two soldiers were captured.\"\n"
        ));
        if !via.is_empty() {
            y.push_str(&format!("      via: \"{via}\"\n"));
        }
    }
    f.claims(&y);
    let run = f.build();
    run.expect_code(0);
    // Nothing on stderr but, where an outlet's own report and the quotes naming it as their
    // `via` are the one origin, the warning that says so (tests/curator_errors.rs).
    assert!(
        run.diagnostics()
            .iter()
            .all(|d| d.level == "warning" && d.headline.contains("come from one origin")),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.diagnostics().is_empty(),
        run.stderr.is_empty(),
        "{}",
        run.stderr
    );
    f
}

fn badge(page: &str) -> Tag {
    tags(page)
        .into_iter()
        .find(|t| {
            t.name == "a"
                && t.attr("class")
                    .is_some_and(|c| c.starts_with("status status-"))
        })
        .expect("a status badge")
}

#[test]
fn versions_of_one_article_are_one_origin() {
    let f = origins_fixture(
        &[
            ("alpha", "title: \"Alpha\"\noutlet: \"Alpha News\"\n"),
            (
                "alpha-update",
                "title: \"Alpha, updated\"\noutlet: \"Alpha News\"\nrevision_of: alpha\n",
            ),
        ],
        &[("alpha", ""), ("alpha-update", "")],
    );
    let page = f.page("claims/captured/index.html");
    assert_eq!(
        meta(&page),
        "single source 2 sources; 1 supporting outlet, 1 origin: Alpha News"
    );
}

#[test]
fn outlets_relaying_one_party_are_one_origin() {
    let f = origins_fixture(
        &[
            ("alpha", "title: \"Alpha\"\noutlet: \"Alpha News\"\n"),
            ("beta", "title: \"Beta\"\noutlet: \"Beta Times\"\n"),
            ("gamma", "title: \"Gamma\"\noutlet: \"Gamma Radio\"\n"),
            ("delta", "title: \"Delta\"\noutlet: \"Delta Daily\"\n"),
        ],
        // Names compare after normalising case and white space.
        &[
            ("alpha", "SBU"),
            ("beta", "SBU"),
            ("gamma", "sbu"),
            ("delta", " SBU "),
        ],
    );
    let page = f.page("claims/captured/index.html");
    assert_eq!(
        meta(&page),
        "single origin 4 sources; 4 supporting outlets, 1 origin: SBU"
    );
    // Corroborated (the contract), labelled "single origin", explained on the how-to page.
    let b = badge(&page);
    assert_eq!(
        b.attr("class"),
        Some("status status-corroborated status-single-origin")
    );
    assert_eq!(b.attr("href"), Some("/how-to-read/#status-single-origin"));
    assert_contains(
        &visible(&f.page("index.html")),
        "0 corroborated 1 single origin",
    );
}

#[test]
fn different_parties_and_own_reporting_are_several_origins() {
    let f = origins_fixture(
        &[
            ("alpha", "title: \"Alpha\"\noutlet: \"Alpha News\"\n"),
            ("beta", "title: \"Beta\"\noutlet: \"Beta Times\"\n"),
            ("gamma", "title: \"Gamma\"\noutlet: \"Gamma Radio\"\n"),
            (
                "unknown",
                "title: \"A report from nowhere\"\noutlet: \"Unidentified outlet\"\nattribution: unknown\n",
            ),
        ],
        &[
            ("alpha", "SBU"),
            ("beta", "Zelensky"),
            ("gamma", ""),
            ("unknown", ""),
        ],
    );
    let page = f.page("claims/captured/index.html");
    assert_eq!(
        meta(&page),
        "corroborated 4 sources; 4 supporting outlets, 4 independent origins: SBU, Zelensky, Gamma Radio, \u{201C}A report from nowhere\u{201D}"
    );
    let b = badge(&page);
    assert_eq!(b.attr("class"), Some("status status-corroborated"));
    assert_eq!(b.attr("href"), Some("/how-to-read/#status-corroborated"));
    // An outlet named as a `via` is the same origin as that outlet's own report.
    let f = origins_fixture(
        &[
            ("alpha", "title: \"Alpha\"\noutlet: \"Alpha News\"\n"),
            ("beta", "title: \"Beta\"\noutlet: \"Beta Times\"\n"),
        ],
        &[("alpha", ""), ("beta", "alpha news")],
    );
    assert_eq!(
        meta(&f.page("claims/captured/index.html")),
        "single origin 2 sources; 2 supporting outlets, 1 origin: Alpha News"
    );
}

/// Two articles and two claims, the first with `note`.
fn notes_fixture(note: &str) -> Fixture {
    let f = Fixture::new();
    f.simple_article("alpha", "Alpha News", "Two soldiers were captured.\n");
    f.article(
        "beta",
        "title: \"The Beta report\"\noutlet: \"Beta Times\"\n",
        "Two soldiers were captured.\n",
    );
    f.claims(&format!(
        "- id: captured\n  claim: \"Two soldiers were captured.\"\n  note: |\n{note}  quotes:\n    - source: alpha\n      text: \"Two soldiers were captured.\"\n- id: other\n  claim: \"The other claim.\"\n  quotes:\n    - source: beta\n      text: \"Two soldiers were captured.\"\n"
    ));
    f
}

#[test]
fn notes_link_to_sources_and_claims_by_name() {
    let f = notes_fixture(
        "    As [the Beta paper](source:beta) says; see also [](claim:other)\n    and [](source:beta).\n",
    );
    let run = f.build();
    run.expect_code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let page = f.page("claims/captured/index.html");
    assert_contains(&page, "<a href=\"/sources/beta/\">the Beta paper</a>");
    // An empty link text shows the claim's text, or the article's title.
    assert_contains(&page, "<a href=\"/claims/other/\">The other claim.</a>");
    assert_contains(&page, "<a href=\"/sources/beta/\">The Beta report</a>");
    assert_lacks(&visible(&page), "claim:other");
}

#[test]
fn a_note_linking_to_an_unknown_id_is_an_error() {
    let f = notes_fixture(
        "    First line.\n    See [the report](source:gamma) and [x](claim:nothing).\n",
    );
    let run = f.check();
    run.expect_code(1);
    run.diag("error", "links to source `gamma`, which does not exist")
        .assert_at("content/claims.yaml:5")
        .assert_mentions("article file names");
    run.diag("error", "links to claim `nothing`, which does not exist")
        .assert_at("content/claims.yaml:5")
        .assert_mentions("claim ids");
}

#[test]
fn a_bare_id_in_a_note_is_a_warning() {
    let f = notes_fixture("    As `beta` says (claim `other`); `code` is fine.\n");
    let run = f.build();
    run.expect_code(0);
    assert_eq!(run.diagnostics_of("warning").len(), 2, "{}", run.stderr);
    run.diag("warning", "names source `beta` by its id")
        .assert_at("content/claims.yaml:4")
        .assert_mentions("[The Beta report](source:beta)");
    run.diag("warning", "names claim `other` by its id")
        .assert_mentions("(claim:other)");
}

/// The bundled dossier built afresh into a temporary folder.
fn bundled() -> (tempfile::TempDir, Vec<(String, String)>) {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("site");
    let run = dossier([
        std::ffi::OsStr::new("build"),
        std::ffi::OsStr::new("--root"),
        repo_root().as_os_str(),
        std::ffi::OsStr::new("--output"),
        out.as_os_str(),
    ]);
    run.expect_code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let pages = html_pages(&read_tree(&out));
    (tmp, pages)
}

fn bundled_ids() -> Vec<String> {
    let root = repo_root();
    let mut ids: Vec<String> = std::fs::read_dir(root.join("content/articles"))
        .expect("articles")
        .filter_map(|e| {
            let n = e.ok()?.file_name().into_string().ok()?;
            n.strip_suffix(".md").map(str::to_string)
        })
        .collect();
    let claims = read_text(&root.join("content/claims.yaml"));
    ids.extend(
        claims
            .lines()
            .filter_map(|l| l.strip_prefix("- id: "))
            .map(|s| s.trim().to_string()),
    );
    ids
}

#[test]
fn readers_see_no_internal_ids_in_the_bundled_site() {
    let ids = bundled_ids();
    assert!(ids.len() > 40, "{ids:?}");
    let (_tmp, pages) = bundled();
    let mut found = Vec::new();
    for (path, html) in &pages {
        let text = visible(html);
        for id in &ids {
            // As a word of its own (not inside another word or a longer id).
            let mut at = 0;
            while let Some(i) = text[at..].find(id.as_str()) {
                let s = at + i;
                let e = s + id.len();
                let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-');
                if !word(text[..s].chars().next_back()) && !word(text[e..].chars().next()) {
                    found.push(format!("{path}: {id}"));
                }
                at = e;
            }
        }
    }
    assert!(found.is_empty(), "ids readers would see: {found:#?}");
}

#[test]
fn the_how_to_page_is_linked_from_every_badge_and_footer() {
    let (_tmp, pages) = bundled();
    let how = &pages
        .iter()
        .find(|(p, _)| p == "how-to-read/index.html")
        .expect("the how-to page")
        .1;
    let anchors = ids(how);
    for a in [
        "status-corroborated",
        "status-single-origin",
        "status-single-source",
        "status-disputed",
        "origins",
    ] {
        assert!(anchors.contains(&a.to_string()), "#{a} on the how-to page");
    }
    let text = visible(how);
    for words in [
        "(read from the text)",
        "(inferred)",
        "precision",
        "Discrepancies",
    ] {
        assert_contains(&text, words);
    }
    let mut badges = 0;
    for (path, html) in &pages {
        if path != "how-to-read/index.html" {
            assert_contains(html, "<a href=\"/how-to-read/\">How to read this site</a>");
        }
        for t in tags(html) {
            let Some(class) = t.attr("class") else {
                continue;
            };
            if !class.starts_with("status status-") || path == "how-to-read/index.html" {
                continue;
            }
            assert_eq!(t.name, "a", "{path}: a badge that is not a link");
            let href = t.attr("href").unwrap_or("");
            let anchor = href
                .strip_prefix("/how-to-read/#")
                .unwrap_or_else(|| panic!("{path}: badge links to {href}"));
            assert!(anchors.contains(&anchor.to_string()), "{path}: #{anchor}");
            badges += 1;
        }
    }
    assert!(badges > 100, "{badges} badges");
}
