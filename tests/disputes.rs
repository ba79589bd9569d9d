//! Corrections across versions of one report, the revision page, and the discrepancies page
//! as a finding (the list of disputed claims, the table, the interval chart), on small
//! dossiers made here.

mod common;
use common::*;

/// An article's front matter: title, outlet, date, and the version it revises.
fn front(id: &str, outlet: &str, published: &str, revision_of: Option<&str>) -> String {
    let mut f =
        format!("title: \"The {id} story\"\noutlet: \"{outlet}\"\npublished: {published}\n");
    if let Some(r) = revision_of {
        f.push_str(&format!("revision_of: {r}\n"));
    }
    f
}

/// A claim `c` of value kind `kind` quoting (source, text, value).
fn claim(id: &str, kind: &str, quotes: &[(&str, &str, &str)]) -> String {
    let mut y =
        format!("- id: {id}\n  claim: \"The claim {id}.\"\n  value: {{kind: {kind}}}\n  quotes:\n");
    for (source, text, value) in quotes {
        y.push_str(&format!(
            "    - source: {source}\n      text: \"{text}\"\n      value: \"{value}\"\n"
        ));
    }
    y
}

/// The Tribune's first version and update, and the Herald.
fn bridge(first: &str, update: &str, herald: &str) -> Fixture {
    let f = Fixture::new();
    f.article(
        "tribune",
        &front("tribune", "The Tribune", "2025-03-15", None),
        &format!("The bridge reopened on {first}.\n"),
    );
    f.article(
        "tribune-update",
        &front(
            "tribune-update",
            "The Tribune",
            "2025-03-16",
            Some("tribune"),
        ),
        &format!("The bridge reopened on {update}.\n"),
    );
    f.article(
        "herald",
        &front("herald", "The Herald", "2025-03-16", None),
        &format!("The bridge reopened on {herald}.\n"),
    );
    let date = |s: &str| match s {
        "15 March 2025" => "2025-03-15",
        "14 March 2025" => "2025-03-14",
        _ => "2025-03-16",
    };
    f.claims(&claim(
        "c",
        "date",
        &[
            ("tribune", &format!("reopened on {first}"), date(first)),
            (
                "tribune-update",
                &format!("reopened on {update}"),
                date(update),
            ),
            ("herald", &format!("reopened on {herald}"), date(herald)),
        ],
    ));
    f
}

#[test]
fn a_correction_across_versions_is_not_a_dispute_and_is_labelled() {
    let f = bridge("15 March 2025", "14 March 2025", "14 March 2025");
    let run = f.build();
    run.expect_code(0);
    assert_lacks(&run.stderr, "cannot both be true");
    let page = f.page("discrepancies/index.html");
    assert!(section_ids(&page, "discrepancy").is_empty(), "{page}");
    assert_eq!(section_ids(&page, "correction-claim"), ["c"]);
    let s = section_by_id(&page, "c").expect("the correction");
    assert_contains(
        s,
        "The Tribune changed the value: 15 March 2025 in the first version, 14 March 2025 in the update.",
    );
    assert_lacks(s, "class=\"reason\"");
    assert_lacks(&page, "class=\"toc\"");
    let claim = f.page("claims/c/index.html");
    assert_contains(&claim, "Corrected in a later version");
    assert_lacks(&claim, "Where the sources disagree");
    assert_lacks(&claim, "status-disputed");
    // Both versions are labelled wherever they are shown; the box lists each value once with
    // the version that states it, and the quotes follow, the first version first.
    let box_ = section_by_id(&claim, "conflicts-heading").unwrap_or(&claim);
    assert_contains(box_, "The tribune story</a> (first version)");
    assert_contains(box_, "The tribune-update story</a> (update)");
    let quotes = &claim[claim.find("class=\"side-by-side\"").expect("the quotes")..];
    let first = quotes
        .find("first version")
        .expect("the first version labelled");
    let update = quotes.find(">update<").expect("the update labelled");
    assert!(first < update, "versions in order");
    // The first version cited with its later one: the sources list shows the first first.
    let list = f.page("sources/index.html");
    let (a, b) = (
        list.find("/sources/tribune/").expect("listed"),
        list.find("/sources/tribune-update/").expect("listed"),
    );
    assert!(a < b);
}

#[test]
fn a_real_dispute_between_outlets_still_is_and_shows_the_correction_too() {
    // The Tribune corrects 15 to 14 March; the Herald says 15 March: the Herald and the
    // Tribune's latest word disagree.
    let f = bridge("15 March 2025", "14 March 2025", "15 March 2025");
    f.build().expect_code(0);
    let page = f.page("discrepancies/index.html");
    assert_eq!(section_ids(&page, "discrepancy"), ["c"]);
    let s = section_by_id(&page, "c").expect("the dispute");
    assert_contains(
        s,
        "The Tribune gives 14 March 2025; The Herald gives 15 March 2025: different dates",
    );
    assert_contains(
        s,
        "The Tribune changed the value: 15 March 2025 in the first version, 14 March 2025 in the update.",
    );
    assert_eq!(
        s.matches("class=\"reason\"").count(),
        1,
        "the reason said once"
    );
    assert_contains(s, "<span class=\"version\">first version</span>");
    assert_contains(s, "<span class=\"version\">update</span>");
    assert_contains(&f.page("claims/c/index.html"), "status-disputed");

    // A dispute between the first version and another outlet that the update resolves is
    // no dispute: the Tribune now agrees with the Herald.
    let f = bridge("16 March 2025", "14 March 2025", "14 March 2025");
    f.build().expect_code(0);
    let page = f.page("discrepancies/index.html");
    assert!(section_ids(&page, "discrepancy").is_empty());
    assert_eq!(section_ids(&page, "correction-claim"), ["c"]);
}

#[test]
fn one_version_contradicting_itself_is_still_reported() {
    let f = Fixture::new();
    f.article(
        "tribune",
        &front("tribune", "The Tribune", "2025-03-15", None),
        "The bridge reopened on 15 March 2025. Later it said the bridge reopened on 14 March 2025.\n",
    );
    f.claims(&claim(
        "c",
        "date",
        &[
            ("tribune", "reopened on 15 March 2025", "2025-03-15"),
            ("tribune", "reopened on 14 March 2025", "2025-03-14"),
        ],
    ));
    let run = f.build();
    run.expect_code(0);
    run.diag(
        "warning",
        "source `tribune` states values that cannot both be true",
    );
}

#[test]
fn the_revision_page_shows_what_the_update_added_removed_and_changed() {
    let f = Fixture::new();
    f.article(
        "gazette",
        &front("gazette", "The Gazette", "2025-01-11", None),
        "The first paragraph stays.\n\n\
         The other had no documents at all.\n\n\
         The bridge reopened on Monday after repairs.\n\n\
         This paragraph is gone in the update.\n\n\
         Fish & chips are <served> here.\n",
    );
    f.article(
        "gazette-update",
        &front(
            "gazette-update",
            "The Gazette",
            "2025-01-12",
            Some("gazette"),
        ),
        "The first paragraph stays.\n\n\
         The other had no documents.\n\n\
         The bridge reopened on Tuesday after repairs.\n\n\
         Fish & chips are <served> there.\n\n\
         A new closing paragraph arrives.\n",
    );
    f.claims(
        "- id: c\n  claim: \"The claim.\"\n  quotes:\n    - source: gazette-update\n      text: \"The first paragraph stays\"\n",
    );
    f.build().expect_code(0);
    let page = f.page("sources/gazette-update/index.html");
    let s = section_by_id(&page, "changes").expect("the revision section");
    // Both versions labelled, the first version first.
    let (a, b) = (
        s.find("first version").expect("labelled"),
        s.find("<span class=\"version\">update</span>")
            .expect("labelled"),
    );
    assert!(a < b);
    assert_contains(
        s,
        "The Gazette, <a href=\"/sources/gazette/\">The gazette story</a>",
    );
    assert_contains(s, "11 January 2025");
    assert_contains(s, "12 January 2025");
    assert_contains(
        s,
        "<p class=\"para para-removed\"><span class=\"para-tag\">Removed</span> <del>This paragraph is gone in the update.</del></p>",
    );
    assert_contains(
        s,
        "<p class=\"para para-added\"><span class=\"para-tag\">Added</span> <ins>A new closing paragraph arrives.</ins></p>",
    );
    // A changed paragraph, word by word; a changed word.
    assert_contains(
        s,
        "The other had no <del>documents at all.</del> <ins>documents.</ins>",
    );
    assert_contains(
        s,
        "The bridge reopened on <del>Monday</del> <ins>Tuesday</ins> after repairs.",
    );
    assert_contains(s, "1 paragraph added, 1 removed, 3 changed, 1 unchanged");
    // Unchanged text is counted, not repeated; nothing from the text is markup.
    assert_eq!(s.matches("para-same").count(), 1, "{s}");
    assert_contains(
        s,
        "Fish &amp; chips are &lt;served&gt; <del>here.</del> <ins>there.</ins>",
    );
    assert_lacks(s, "<served>");
    // The first version's page points at what the update changed.
    let original = f.page("sources/gazette/index.html");
    assert_contains(&original, "href=\"/sources/gazette-update/#changes\"");
    assert!(section_by_id(&original, "changes").is_none());
    assert_links_resolve(&f.out());
}

/// Three disputed claims (values, stances, texts) and one that is not.
fn three_disputes() -> Fixture {
    let f = Fixture::new();
    for (id, outlet, body) in [
        (
            "alpha",
            "Alpha News",
            "About 8,000 people were evacuated. The flood was caused by rain. The dam held.",
        ),
        (
            "beta",
            "Beta Times",
            "Between 10,000 and 12,000 people were evacuated. The flood was caused by a dam failure. The dam held.",
        ),
        (
            "gamma",
            "Gamma Post",
            "Over 15,000 people were evacuated. The dam did not hold.",
        ),
    ] {
        f.article(
            id,
            &front(id, outlet, "2025-02-01", None),
            &format!("{body}\n"),
        );
    }
    let mut y = claim(
        "evacuated",
        "quantity",
        &[
            ("alpha", "About 8,000 people were evacuated", "~8000"),
            (
                "beta",
                "Between 10,000 and 12,000 people were evacuated",
                "10000-12000",
            ),
            ("gamma", "Over 15,000 people were evacuated", ">15000"),
        ],
    );
    y.push_str(&claim(
        "cause",
        "text",
        &[
            ("alpha", "The flood was caused by rain", "rain"),
            (
                "beta",
                "The flood was caused by a dam failure",
                "a dam failure",
            ),
        ],
    ));
    y.push_str(
        "- id: dam-held\n  claim: \"The dam held.\"\n  quotes:\n    - source: alpha\n      text: \"The dam held\"\n    - source: gamma\n      text: \"The dam did not hold\"\n      stance: contradicts\n",
    );
    y.push_str(
        "- id: calm\n  claim: \"People were evacuated.\"\n  quotes:\n    - source: alpha\n      text: \"people were evacuated\"\n",
    );
    f.claims(&y);
    f
}

#[test]
fn the_top_list_links_to_every_disputed_claim() {
    let f = three_disputes();
    f.build().expect_code(0);
    let page = f.page("discrepancies/index.html");
    let sections = section_ids(&page, "discrepancy");
    assert_eq!(sections, ["evacuated", "cause", "dam-held"]);
    let start = page
        .find("<nav class=\"toc\"")
        .expect("the list at the top");
    let toc = &page[start..page[start..].find("</nav>").expect("ends") + start];
    let first_section = page
        .find("<section class=\"discrepancy\"")
        .expect("a section");
    assert!(start < first_section, "the list comes first");
    let linked: Vec<String> = links(toc)
        .into_iter()
        .map(|l| l.trim_start_matches('#').to_string())
        .collect();
    assert_eq!(linked, sections);
    assert_eq!(toc.matches("<li>").count(), 3, "one line each");
    assert_contains(
        toc,
        "The claim evacuated.</a> <span class=\"why\">figures that do not overlap</span>",
    );
    assert_contains(toc, "<span class=\"why\">different accounts</span>");
    assert_contains(
        toc,
        "<span class=\"why\">one source supports it, another contradicts it</span>",
    );
    assert_lacks(toc, "calm");
}

#[test]
fn the_chart_draws_one_bar_per_source_interval_with_a_text_alternative() {
    let f = three_disputes();
    f.build().expect_code(0);
    let page = f.page("discrepancies/index.html");
    let s = section_by_id(&page, "evacuated").expect("the dispute");
    let start = s.find("<svg").expect("a chart");
    let svg = &s[start..s.find("</svg>").expect("ends") + "</svg>".len()];
    assert_eq!(svg.matches("<rect class=\"bar\"").count(), 3, "{svg}");
    // "over 15,000" is open-ended: one arrow.
    assert_eq!(svg.matches("<path class=\"bar\"").count(), 1, "{svg}");
    assert_contains(svg, "role=\"img\"");
    assert_contains(
        svg,
        "aria-labelledby=\"chart-evacuated-title chart-evacuated-desc\"",
    );
    assert_contains(svg, "<title id=\"chart-evacuated-title\">");
    assert_contains(
        svg,
        "<desc id=\"chart-evacuated-desc\">Alpha News: about 8,000. Beta Times: 10,000–12,000. Gamma Post: over 15,000.</desc>",
    );
    assert_lacks(svg, "<script");
    // No chart for text values; the claim page shows the same chart and table.
    assert_lacks(section_by_id(&page, "cause").expect("the dispute"), "<svg");
    let claim = f.page("claims/evacuated/index.html");
    assert_contains(&claim, svg);
    // Byte for byte the same on another build.
    let again = f.path("again");
    f.build_into(&again, &[]).expect_code(0);
    assert_eq!(read_text(&again.join("discrepancies/index.html")), page);
}

#[test]
fn each_quote_appears_once_on_the_discrepancies_page() {
    let f = Fixture::new();
    for (id, outlet, body) in [
        ("alpha", "Alpha News", "The toll was 100 people."),
        ("beta", "Beta Times", "The toll was 300 people."),
        ("gamma", "Gamma Post", "Nobody knows the toll."),
        ("delta", "Delta Daily", "The toll is known."),
    ] {
        f.article(
            id,
            &front(id, outlet, "2025-02-01", None),
            &format!("{body}\n"),
        );
    }
    f.claims(
        "- id: toll\n  claim: \"The toll is known.\"\n  value: {kind: quantity}\n  quotes:\n\
         \x20   - source: alpha\n      text: \"The toll was 100 people\"\n      value: \"100\"\n\
         \x20   - source: beta\n      text: \"The toll was 300 people\"\n      value: \"300\"\n      stance: contradicts\n\
         \x20   - source: gamma\n      text: \"Nobody knows the toll\"\n      stance: contradicts\n\
         \x20   - source: delta\n      text: \"The toll is known\"\n",
    );
    f.build().expect_code(0);
    let page = f.page("discrepancies/index.html");
    let s = section_by_id(&page, "toll").expect("the dispute");
    assert_eq!(s.matches("<figure class=\"quote").count(), 4, "{s}");
    for id in ["alpha", "beta", "gamma", "delta"] {
        assert_eq!(
            page.matches(&format!("href=\"/sources/{id}/#q-toll\""))
                .count(),
            1,
            "{id}'s quote once"
        );
    }
    // Values and stances: two reasons (the sides taken without a value are not the values'
    // conflict), each said once.
    assert_eq!(s.matches("class=\"reason\"").count(), 2, "{s}");
}

/// The bundled dossier: the BBC report's update has a revision page, and nothing on the
/// discrepancies page is a correction dressed as a dispute.
#[test]
fn the_bundled_update_has_a_revision_page() {
    let page = read_text(&repo_root().join("public/sources/bbc-report-update/index.html"));
    let s = section_by_id(&page, "changes").expect("the revision section");
    assert_contains(s, "<span class=\"version\">first version</span>");
    assert!(s.contains("<ins>") && s.contains("<del>"));
    assert_contains(
        s,
        "The other had no <del>documents at all.</del> <ins>documents.</ins>",
    );
}

/// The stance reason is left out only when the values' reason says the same thing (no
/// supporting value can be true with a contradicting one): a source that contradicts the
/// claim while stating a value a supporter also states is its own disagreement, and is said.
#[test]
fn a_stance_reason_stays_when_the_values_do_not_explain_it() {
    // Stances written: the claim states no value, so on conflicting values a default stance
    // would count as neither support nor contradiction (docs/FORMAT.md).
    let quotes = |beta_value: &str| {
        format!(
            "- id: toll\n  claim: \"The toll is 100.\"\n  value: {{kind: quantity}}\n  quotes:\n\
             \x20   - source: alpha\n      text: \"The toll was 100 people\"\n      value: \"100\"\n      stance: supports\n\
             \x20   - source: beta\n      text: \"The toll was {beta_value} people\"\n      value: \"{beta_value}\"\n      stance: contradicts\n\
             \x20   - source: gamma\n      text: \"The toll was 300 people\"\n      value: \"300\"\n      stance: supports\n"
        )
    };
    for (beta, reasons) in [("500", 1), ("300", 2), ("100", 2)] {
        let f = Fixture::new();
        for (id, outlet, n) in [
            ("alpha", "Alpha News", "100"),
            ("beta", "Beta Times", beta),
            ("gamma", "Gamma Post", "300"),
        ] {
            f.article(
                id,
                &front(id, outlet, "2025-02-01", None),
                &format!("The toll was {n} people.\n"),
            );
        }
        f.claims(&quotes(beta));
        f.build().expect_code(0);
        let page = f.page("discrepancies/index.html");
        let s = section_by_id(&page, "toll").expect("the dispute");
        assert_eq!(
            s.matches("class=\"reason\"").count(),
            reasons,
            "beta says {beta}: {s}"
        );
        assert_eq!(
            s.matches("<figure class=\"quote").count(),
            3,
            "each quote once"
        );
    }
}
