//! What the site derives from values and stances: conflicts, differences in precision only, and
//! each claim's status (corroborated, single source, disputed).

mod common;

use common::*;

/// One claim: its id, value kind (or none), and (source, value, stance) per quote.
struct C {
    id: &'static str,
    kind: Option<&'static str>,
    quotes: &'static [(&'static str, Option<&'static str>, &'static str)],
}

const CLAIMS: &[C] = &[
    C {
        id: "precision",
        kind: Some("quantity"),
        quotes: &[
            ("alpha", Some("10000-12000"), "supports"),
            ("beta", Some(">=10000"), "supports"),
        ],
    },
    C {
        id: "no-overlap",
        kind: Some("quantity"),
        quotes: &[
            ("alpha", Some("10000-12000"), "supports"),
            ("beta", Some(">12000"), "supports"),
        ],
    },
    C {
        id: "about-near",
        kind: Some("quantity"),
        quotes: &[
            ("alpha", Some("~12000"), "supports"),
            ("beta", Some("13000"), "supports"),
        ],
    },
    C {
        id: "about-far",
        kind: Some("quantity"),
        quotes: &[
            ("alpha", Some("~12000"), "supports"),
            ("beta", Some("13500"), "supports"),
        ],
    },
    C {
        id: "same-number",
        kind: Some("quantity"),
        quotes: &[
            ("alpha", Some("12000"), "supports"),
            ("beta", Some("12,000"), "supports"),
        ],
    },
    C {
        id: "dates",
        kind: Some("date"),
        quotes: &[
            ("alpha", Some("2025-01-09"), "supports"),
            ("beta", Some("2025-01-11"), "supports"),
        ],
    },
    C {
        id: "date-precision",
        kind: Some("date"),
        quotes: &[
            ("alpha", Some("2025-01"), "supports"),
            ("beta", Some("2025-01-09"), "supports"),
        ],
    },
    C {
        id: "years",
        kind: Some("year"),
        quotes: &[
            ("alpha", Some("2004"), "supports"),
            ("beta", Some("2005"), "supports"),
        ],
    },
    C {
        id: "texts",
        kind: Some("text"),
        quotes: &[
            ("alpha", Some("Special Forces"), "supports"),
            ("beta", Some("paratroopers"), "supports"),
        ],
    },
    C {
        id: "same-text",
        kind: Some("text"),
        quotes: &[
            ("alpha", Some("Special Forces"), "supports"),
            ("beta", Some("special  forces."), "supports"),
        ],
    },
    C {
        id: "stance",
        kind: None,
        quotes: &[("alpha", None, "supports"), ("beta", None, "contradicts")],
    },
    C {
        id: "corroborated",
        kind: None,
        quotes: &[("alpha", None, "supports"), ("beta", None, "supports")],
    },
    C {
        id: "revisions",
        kind: None,
        quotes: &[
            ("alpha", None, "supports"),
            ("alpha-update", None, "supports"),
        ],
    },
    C {
        id: "same-outlet",
        kind: None,
        quotes: &[
            ("alpha", None, "supports"),
            ("alpha-again", None, "supports"),
        ],
    },
    C {
        id: "mentioned",
        kind: None,
        quotes: &[("alpha", None, "supports"), ("beta", None, "mentions")],
    },
    C {
        id: "contradicted-only",
        kind: None,
        quotes: &[("beta", None, "contradicts")],
    },
];

/// The sentence of `source` that claim `id` quotes.
fn sentence(source: &str, id: &str) -> String {
    format!("Report {source} on the {id} question.")
}

fn fixture() -> Fixture {
    let f = Fixture::new();
    let body = |source: &str| -> String {
        CLAIMS
            .iter()
            .filter(|c| c.quotes.iter().any(|q| q.0 == source))
            .map(|c| sentence(source, c.id) + "\n\n")
            .collect()
    };
    f.article(
        "alpha",
        "title: \"Alpha\"\noutlet: \"Alpha News\"\n",
        &body("alpha"),
    );
    f.article(
        "alpha-update",
        "title: \"Alpha, updated\"\noutlet: \"Alpha News Online\"\nrevision_of: alpha\n",
        &body("alpha-update"),
    );
    f.article(
        "alpha-again",
        "title: \"Alpha again\"\noutlet: \"Alpha News\"\n",
        &body("alpha-again"),
    );
    f.article(
        "beta",
        "title: \"Beta\"\noutlet: \"Beta Times\"\n",
        &body("beta"),
    );
    let mut yaml = String::new();
    for c in CLAIMS {
        yaml.push_str(&format!(
            "- id: {}\n  claim: \"The {} claim.\"\n",
            c.id, c.id
        ));
        if let Some(k) = c.kind {
            yaml.push_str(&format!("  value:\n    kind: {k}\n"));
        }
        yaml.push_str("  quotes:\n");
        for (source, value, stance) in c.quotes {
            yaml.push_str(&format!(
                "    - source: {source}\n      text: \"{}\"\n      stance: {stance}\n",
                sentence(source, c.id)
            ));
            if let Some(v) = value {
                yaml.push_str(&format!("      value: \"{v}\"\n"));
            }
        }
    }
    f.claims(&yaml);
    let run = f.build();
    run.expect_code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    f
}

/// The status class of a claim's page: corroborated, single-source or disputed.
fn status(f: &Fixture, id: &str) -> String {
    let page = f.page(&format!("claims/{id}/index.html"));
    let t = tags(&page)
        .into_iter()
        .find(|t| {
            t.name == "span"
                && t.attr("class")
                    .is_some_and(|c| c.starts_with("status status-"))
        })
        .unwrap_or_else(|| panic!("claims/{id}: a status"));
    let class = t.attr("class").expect("a class");
    class.trim_start_matches("status status-").to_string()
}

#[test]
fn conflicts_and_precision_on_the_discrepancies_page() {
    let f = fixture();
    let page = f.page("discrepancies/index.html");
    let conflicts = section_ids(&page, "discrepancy");
    assert_eq!(
        conflicts,
        vec![
            "no-overlap",
            "about-far",
            "dates",
            "years",
            "texts",
            "stance"
        ],
        "the conflicts, in file order"
    );
    let precision = section_ids(&page, "precision-claim");
    assert_eq!(
        precision,
        vec!["precision", "about-near", "date-precision"],
        "the differences in precision only"
    );
    let heading = page
        .find("Differences in precision only")
        .expect("the precision heading");
    for id in &precision {
        assert!(
            page.find(&format!("id=\"{id}\"")).expect("listed") > heading,
            "{id} is under the precision heading"
        );
    }

    let reason = |id: &str| -> String {
        let s = section_by_id(&page, id).unwrap_or_else(|| panic!("a section for {id}"));
        let at = s.find("<p class=\"reason\">").expect("a reason");
        s[at..]
            .split("</p>")
            .next()
            .expect("the reason")
            .to_string()
    };
    assert_contains(&reason("no-overlap"), "do not overlap");
    assert_contains(&reason("no-overlap"), "10,000–12,000");
    assert_contains(&reason("no-overlap"), "over 12,000");
    assert_contains(&reason("dates"), "9 January 2025");
    assert_contains(&reason("dates"), "11 January 2025");
    assert_contains(&reason("years"), "2004");
    assert_contains(&reason("years"), "2005");
    assert_contains(&reason("stance"), "supports the claim");
    assert_contains(&reason("stance"), "contradicts it");
    // The disagreeing sources are side by side.
    let s = section_by_id(&page, "dates").expect("dates");
    assert_contains(s, "/sources/alpha/#q-dates");
    assert_contains(s, "/sources/beta/#q-dates");
}

#[test]
fn statuses_are_derived() {
    let f = fixture();
    for (id, expected) in [
        ("precision", "corroborated"),
        ("about-near", "corroborated"),
        ("same-number", "corroborated"),
        ("same-text", "corroborated"),
        ("date-precision", "corroborated"),
        ("no-overlap", "disputed"),
        ("about-far", "disputed"),
        ("dates", "disputed"),
        ("years", "disputed"),
        ("texts", "disputed"),
        ("stance", "disputed"),
        ("corroborated", "corroborated"),
        ("revisions", "single-source"),
        ("same-outlet", "single-source"),
        ("mentioned", "single-source"),
    ] {
        assert_eq!(status(&f, id), expected, "the status of {id}");
    }
    let revisions = f.page("claims/revisions/index.html");
    assert_contains(&revisions, "single source");
    assert_contains(&revisions, "1 supporting outlet");
    assert_contains(
        &f.page("claims/corroborated/index.html"),
        "2 supporting outlets",
    );
}

#[test]
fn a_claim_only_contradicted_is_not_corroborated() {
    let f = fixture();
    assert_ne!(status(&f, "contradicted-only"), "corroborated");
    assert_contains(
        &f.page("claims/contradicted-only/index.html"),
        "0 supporting outlets",
    );
}

#[test]
fn equal_values_are_neither_conflicts_nor_precision() {
    let f = fixture();
    let page = f.page("discrepancies/index.html");
    for id in [
        "same-number",
        "same-text",
        "corroborated",
        "revisions",
        "mentioned",
    ] {
        assert!(
            !page.contains(&format!("id=\"{id}\"")),
            "{id} is not on the discrepancies page"
        );
        assert!(
            !page.contains(&format!("/claims/{id}/")),
            "{id} is not linked from the discrepancies page"
        );
    }
}

#[test]
fn claim_pages_explain_the_conflict_or_the_precision() {
    let f = fixture();
    let page = f.page("claims/no-overlap/index.html");
    assert_contains(&page, "Where the sources disagree");
    assert_contains(&page, "do not overlap");
    let page = f.page("claims/precision/index.html");
    assert_lacks(&page, "Where the sources disagree");
    assert_contains(&page, "different precision");
    assert_contains(&page, "at least 10,000");
}

#[test]
fn the_index_shows_each_status_and_counts_them() {
    let f = fixture();
    let index = f.page("index.html");
    let mut counts = std::collections::BTreeMap::new();
    for c in CLAIMS {
        let st = status(&f, c.id);
        let at = index
            .find(&format!("<li id=\"claim-{}\">", c.id))
            .unwrap_or_else(|| panic!("{} is listed", c.id));
        let item = index[at..].split("</li>").next().expect("the item");
        assert_contains(item, &format!("status-{st}"));
        *counts.entry(st).or_insert(0) += 1;
    }
    assert_eq!(counts.get("disputed"), Some(&6));
    for (st, label) in [
        ("disputed", "disputed"),
        ("corroborated", "corroborated"),
        ("single-source", "single source"),
    ] {
        let n = counts.get(st).copied().unwrap_or(0);
        assert_contains(&index, &format!("<strong>{n}</strong> {label}"));
    }
}
