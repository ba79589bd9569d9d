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

/// The sentence of `source` that claim `id` quotes (with the words of its text value: a
/// text value is checked against the quote).
fn sentence(source: &str, id: &str) -> String {
    let named = CLAIMS
        .iter()
        .filter(|c| c.id == id && c.kind == Some("text"))
        .flat_map(|c| c.quotes.iter())
        .find(|q| q.0 == source)
        .and_then(|q| q.1);
    match named {
        Some(v) => format!(
            "Report {source} on the {id} question, naming {}.",
            v.trim_end_matches('.')
        ),
        None => format!("Report {source} on the {id} question."),
    }
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
            // The badge links to its explanation (an `a`); a `span` in themes that do not.
            (t.name == "span" || t.name == "a")
                && t.attr("class")
                    .is_some_and(|c| c.starts_with("status status-"))
        })
        .unwrap_or_else(|| panic!("claims/{id}: a status"));
    let class = t.attr("class").expect("a class");
    // A qualifier (`status-single-origin`) may follow.
    let class = class.trim_start_matches("status status-");
    class.split(' ').next().unwrap_or(class).to_string()
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
        let at = s.find("<p class=\"reason\"").expect("a reason");
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

/// A dossier with articles (id, outlet, revision_of) whose bodies are the given sentences,
/// and one claim `c` of value kind `kind` quoting (source, sentence, value, stance).
fn one_claim(
    articles: &[(&str, &str, Option<&str>, Vec<String>)],
    kind: Option<&str>,
    quotes: &[(&str, String, Option<String>, &str)],
) -> Fixture {
    let f = Fixture::new();
    for (id, outlet, rev, sentences) in articles {
        let mut front = format!("title: \"The {id} report\"\noutlet: \"{outlet}\"\n");
        if let Some(r) = rev {
            front.push_str(&format!("revision_of: {r}\n"));
        }
        f.article(id, &front, &(sentences.join("\n\n") + "\n"));
    }
    let mut yaml = String::from("- id: c\n  claim: \"The claim.\"\n");
    if let Some(k) = kind {
        yaml.push_str(&format!("  value: {{kind: {k}}}\n"));
    }
    yaml.push_str("  quotes:\n");
    for (source, text, value, stance) in quotes {
        yaml.push_str(&format!(
            "    - source: {source}\n      text: \"{text}\"\n      stance: {stance}\n"
        ));
        if let Some(v) = value {
            yaml.push_str(&format!("      value: \"{v}\"\n"));
        }
    }
    f.claims(&yaml);
    f
}

fn said(source: &str, k: usize) -> String {
    // "No. 3" is no quantity: the values these quotes are given are not checked against it.
    format!("The {source} report says figure No. {k} stands.")
}

/// Every pair used to be listed: 300 quotes with distinct values made 44,850 reasons (and 400
/// made a 146 MB page). Now the claim has one reason and a table with one row per distinct
/// value, in which each quote appears once.
#[test]
fn many_distinct_values_make_one_reason_and_a_table_linear_in_the_quotes() {
    const N: usize = 300;
    let per = N / 3;
    let ids = ["alpha", "beta", "gamma"];
    let articles: Vec<(&str, &str, Option<&str>, Vec<String>)> = ids
        .iter()
        .map(|id| (*id, *id, None, (0..per).map(|k| said(id, k)).collect()))
        .collect();
    let quotes: Vec<(&str, String, Option<String>, &str)> = (0..N)
        .map(|i| {
            let (id, k) = (ids[i / per], i % per);
            (id, said(id, k), Some(format!("{}", 1000 + i)), "supports")
        })
        .collect();
    let f = one_claim(&articles, Some("quantity"), &quotes);
    f.build().expect_code(0);
    let page = f.page("discrepancies/index.html");
    let section = section_by_id(&page, "c").expect("the claim is disputed");
    assert_eq!(section.matches("class=\"reason\"").count(), 1, "said once");
    assert_contains(section, &format!("{N} different values are stated"));
    // Lowest and highest: the first quote of alpha against the last of gamma.
    assert_contains(section, "alpha gives 1,000; gamma gives 1,299");
    assert_eq!(
        section.matches("<th scope=\"row\">").count(),
        N,
        "a row per value"
    );
    for i in 0..N {
        let (id, k) = (ids[i / per], i % per);
        let mark = if k == 0 {
            "q-c".to_string()
        } else {
            format!("q-c--{}", k + 1)
        };
        assert_eq!(
            section.matches(&format!("/sources/{id}/#{mark}\"")).count(),
            1,
            "quote {i} appears once"
        );
    }
    // The rows go from the lowest value up.
    let at = |v: &str| {
        section
            .find(&format!("<th scope=\"row\">{v}</th>"))
            .expect(v)
    };
    assert!(at("1,000") < at("1,001") && at("1,001") < at("1,299"));
    assert!(
        page.len() < N * 4000,
        "the page grows with the quotes, not their pairs: {} bytes",
        page.len()
    );
    // The claim page's box has the same table, linking to the quotes below it.
    let claim = f.page("claims/c/index.html");
    assert_contains(&claim, "Where the sources disagree");
    assert_eq!(claim.matches("<th scope=\"row\">").count(), N);
    assert_contains(&claim, "href=\"#source-beta--q-c--7\"");
}

/// Readers see outlet names and titles, never internal ids.
#[test]
fn reasons_name_outlets_not_ids() {
    let f = fixture();
    let page = f.page("discrepancies/index.html");
    for id in ["no-overlap", "dates", "stance"] {
        let s = section_by_id(&page, id).expect("a section");
        for p in s.split("<p class=\"reason\"").skip(1) {
            let reason = p.split("</p>").next().expect("a reason");
            assert_contains(reason, "Alpha News");
            assert_contains(reason, "Beta Times");
            assert_lacks(reason, "(alpha)");
            assert_lacks(reason, "(beta)");
        }
    }
}

/// A source that states two values that cannot both be true does not dispute itself: the
/// claim is not disputed, not "precision only" (that would say the values agree), and the
/// curator is warned.
#[test]
fn one_source_never_conflicts_with_itself() {
    let articles = [
        (
            "alpha",
            "Alpha News",
            None,
            vec![said("alpha", 0), said("alpha", 1)],
        ),
        ("beta", "Beta Times", None, vec![said("beta", 0)]),
    ];
    let f = one_claim(
        &articles,
        Some("quantity"),
        &[
            ("alpha", said("alpha", 0), Some("100".into()), "supports"),
            ("alpha", said("alpha", 1), Some("200".into()), "supports"),
            ("beta", said("beta", 0), None, "supports"),
        ],
    );
    let run = f.build();
    run.expect_code(0);
    run.diag(
        "warning",
        "source `alpha` states values that cannot both be true",
    );
    let page = f.page("discrepancies/index.html");
    assert!(section_by_id(&page, "c").is_none(), "not disputed:\n{page}");
    assert_lacks(&page, "/claims/c/");
    let claim = f.page("claims/c/index.html");
    assert_lacks(&claim, "status-disputed");
    assert_lacks(&claim, "different precision");

    // A source that supports a claim and contradicts it, with no other source against it.
    let articles = [
        (
            "alpha",
            "Alpha News",
            None,
            vec![said("alpha", 0), said("alpha", 1)],
        ),
        ("beta", "Beta Times", None, vec![said("beta", 0)]),
    ];
    let f = one_claim(
        &articles,
        None,
        &[
            ("alpha", said("alpha", 0), None, "supports"),
            ("alpha", said("alpha", 1), None, "contradicts"),
        ],
    );
    f.build().expect_code(0);
    assert_lacks(&f.page("claims/c/index.html"), "status-disputed");
    // With another source supporting it, the two disagree.
    let f = one_claim(
        &articles,
        None,
        &[
            ("alpha", said("alpha", 0), None, "supports"),
            ("alpha", said("alpha", 1), None, "contradicts"),
            ("beta", said("beta", 0), None, "supports"),
        ],
    );
    f.build().expect_code(0);
    let page = f.page("discrepancies/index.html");
    let s = section_by_id(&page, "c").expect("disputed");
    assert_contains(
        s,
        "2 reports support the claim and 1 contradicts it; for instance, Beta Times supports the claim and Alpha News contradicts it",
    );
}

/// With three values of which only two cannot both be true, the reason names those two, and
/// the table shows all three; an outlet's versions of one report stand together in a row.
#[test]
fn the_reason_names_values_that_really_conflict_and_versions_stand_together() {
    let articles = [
        ("alpha", "Alpha News", None, vec![said("alpha", 0)]),
        (
            "alpha-update",
            "Alpha News",
            Some("alpha"),
            vec![said("alpha-update", 0)],
        ),
        ("beta", "Beta Times", None, vec![said("beta", 0)]),
        ("gamma", "Gamma Post", None, vec![said("gamma", 0)]),
    ];
    let f = one_claim(
        &articles,
        Some("quantity"),
        &[
            ("beta", said("beta", 0), Some("150-300".into()), "supports"),
            (
                "alpha",
                said("alpha", 0),
                Some("100-200".into()),
                "supports",
            ),
            ("gamma", said("gamma", 0), Some("250".into()), "supports"),
            (
                "alpha-update",
                said("alpha-update", 0),
                Some("100-200".into()),
                "supports",
            ),
        ],
    );
    f.build().expect_code(0);
    let page = f.page("discrepancies/index.html");
    let s = section_by_id(&page, "c").expect("disputed");
    assert_contains(
        s,
        "3 different values are stated and they cannot all be true: Alpha News gives 100–200; Gamma Post gives 250",
    );
    assert_lacks(s, "Beta Times gives");
    let rows: Vec<&str> = s.split("<tr>").skip(2).collect();
    assert_eq!(rows.len(), 3, "{s}");
    assert_contains(rows[0], "<th scope=\"row\">100–200</th>");
    assert_eq!(
        rows[0].matches("class=\"report\"").count(),
        1,
        "both versions of the Alpha News report in one entry:\n{}",
        rows[0]
    );
    assert_contains(rows[0], "/sources/alpha/#q-c\"");
    assert_contains(rows[0], "/sources/alpha-update/#q-c\"");
    assert_contains(rows[1], "150–300");
    assert_contains(rows[2], "250");
}

/// The table groups the versions of one report, which can change when only an article the
/// claim does not quote changes (a first version becomes a later version of another
/// report): a session's rebuild shows the same pages as a fresh build.
#[test]
fn regrouped_versions_are_rebuilt_in_a_session() {
    use dossier::build::{Options, Session};
    let articles = [
        ("alpha", "Alpha News", None, vec![said("alpha", 0)]),
        (
            "alpha-update",
            "Alpha News",
            Some("alpha"),
            vec![said("alpha-update", 0)],
        ),
        ("delta", "Alpha News", None, vec![said("delta", 0)]),
        ("echo", "Alpha News", Some("delta"), vec![said("echo", 0)]),
        ("beta", "Beta Times", None, vec![said("beta", 0)]),
    ];
    let f = one_claim(
        &articles,
        Some("quantity"),
        &[
            (
                "alpha-update",
                said("alpha-update", 0),
                Some("100".into()),
                "supports",
            ),
            ("echo", said("echo", 0), Some("100".into()), "supports"),
            ("beta", said("beta", 0), Some("200".into()), "supports"),
        ],
    );
    let opts = Options {
        root: f.root(),
        output: None,
        base_url: None,
    };
    let pages = |s: &mut Session| -> Vec<(String, Vec<u8>)> {
        s.rebuild().expect("builds");
        let files = s.files().expect("files");
        files.iter().map(|(k, v)| (k.clone(), v.to_vec())).collect()
    };
    let mut session = Session::new(opts.clone());
    let before = pages(&mut session);
    let page = |p: &[(String, Vec<u8>)]| {
        let (_, b) = p
            .iter()
            .find(|(k, _)| k == "discrepancies/index.html")
            .expect("the page");
        String::from_utf8(b.clone()).expect("text")
    };
    assert_eq!(page(&before).matches("class=\"report\"").count(), 3);
    // `alpha` (not quoted) becomes a later version of `delta`: both quoted updates are now
    // versions of one report.
    f.article(
        "alpha",
        "title: \"The alpha report\"\noutlet: \"Alpha News\"\nrevision_of: delta\n",
        &(said("alpha", 0) + "\n"),
    );
    let after = pages(&mut session);
    let fresh = pages(&mut Session::new(opts));
    assert_eq!(page(&fresh).matches("class=\"report\"").count(), 2);
    assert_eq!(page(&after), page(&fresh), "the discrepancies page");
    assert!(after == fresh, "every page as a fresh build makes it");
}
