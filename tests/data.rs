//! The data files and metadata of a site: claims.json (validated against
//! docs/claims.schema.json), claims.csv, sitemap.xml, robots.txt, the Atom feed, meta and
//! Open Graph tags, and each claim page's `ClaimReview` JSON-LD. On the bundled site and on
//! a small dossier made here, with an absolute `base_url` and with a path-only one.

mod common;

use common::*;
use serde_json::Value;

const SITE_ABSOLUTE: &str = "title: \"Test <dossier> & co\"\nbase_url: \"https://example.org/news/\"\ndescription: \"Evacuations, *side by side*.\"\n";

/// Three outlets: two that disagree on a figure (both dated), one undated whose claim's
/// text holds what would end a `<script>` element.
fn dossier(site: &str) -> Fixture {
    let f = Fixture::new();
    f.write("content/site.yaml", site);
    f.article(
        "alpha",
        "title: \"Evacuation ends\"\noutlet: \"Alpha News\"\npublished: 2025-01-10\nurl: \"https://alpha.example/a\"\n",
        "Intro paragraph.\n\nAbout 12,000 people were evacuated on Friday, officials said.\n",
    );
    f.article(
        "beta",
        "title: \"Evacuation: the figures\"\noutlet: \"Beta Times\"\npublished: 2025-01-12T08:00:00Z\nurl: \"https://beta.example/b?x=1&y=2\"\n",
        "Selon l\u{2019}\u{c9}tat, over 15,000 people were evacuated on Friday.\n",
    );
    f.article(
        "gamma",
        "title: \"The bridge, \\\"closed\\\"\"\noutlet: \"Gamma Radio\"\n",
        "The bridge was closed on Monday.\n",
    );
    f.claims(
        "- id: evacuated\n  claim: \"About 12,000 people were evacuated.\"\n  topic: evacuation\n  value:\n    kind: quantity\n    unit: people\n  quotes:\n    - source: alpha\n      text: \"About 12,000 people were evacuated\"\n      value: \"~12000\"\n    - source: beta\n      text: \"over 15,000 people were evacuated\"\n      value: \">15000\"\n\
- id: bridge\n  claim: \"The bridge </script><!-- was closed.\"\n  quotes:\n    - source: gamma\n      text: \"The bridge was closed\"\n",
    );
    f
}

fn built(site: &str) -> Fixture {
    let f = dossier(site);
    let run = f.build();
    run.expect_code(0);
    f
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// Validates `v` against a JSON Schema (draft 2020-12) that uses only the keywords this
/// knows; any other keyword fails the test, so the schema cannot say more than is checked.
/// Returns the problems found, with their JSON pointers.
fn validate(schema: &Value, v: &Value, at: &str, problems: &mut Vec<String>) {
    let Some(s) = schema.as_object() else {
        problems.push(format!("{at}: schema is not an object"));
        return;
    };
    for (k, rule) in s {
        match k.as_str() {
            "$schema" | "title" | "description" => {}
            "type" => {
                let names: Vec<&str> = match rule {
                    Value::String(n) => vec![n.as_str()],
                    Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                    _ => vec![],
                };
                let ok = names.iter().any(|n| match *n {
                    "object" => v.is_object(),
                    "array" => v.is_array(),
                    "string" => v.is_string(),
                    "integer" => v.is_u64() || v.is_i64(),
                    "boolean" => v.is_boolean(),
                    "null" => v.is_null(),
                    other => panic!("unknown type {other}"),
                });
                if !ok {
                    problems.push(format!("{at}: {v} is not of type {names:?}"));
                }
            }
            "enum" => {
                if !rule.as_array().is_some_and(|a| a.contains(v)) {
                    problems.push(format!("{at}: {v} not in {rule}"));
                }
            }
            "const" => {
                if rule != v {
                    problems.push(format!("{at}: {v} is not {rule}"));
                }
            }
            "required" => {
                for name in rule.as_array().into_iter().flatten() {
                    let name = name.as_str().unwrap_or("");
                    if v.as_object().is_some_and(|o| !o.contains_key(name)) {
                        problems.push(format!("{at}: `{name}` is missing"));
                    }
                }
            }
            "properties" => {
                if let (Some(o), Some(props)) = (v.as_object(), rule.as_object()) {
                    for (name, sub) in props {
                        if let Some(x) = o.get(name) {
                            validate(sub, x, &format!("{at}/{name}"), problems);
                        }
                    }
                }
            }
            "additionalProperties" => {
                assert_eq!(rule, &Value::Bool(false), "only `false` is supported");
                let props = s.get("properties").and_then(Value::as_object);
                for name in v.as_object().into_iter().flat_map(|o| o.keys()) {
                    if !props.is_some_and(|p| p.contains_key(name)) {
                        problems.push(format!("{at}: `{name}` is not in the schema"));
                    }
                }
            }
            "items" => {
                for (i, x) in v.as_array().into_iter().flatten().enumerate() {
                    validate(rule, x, &format!("{at}/{i}"), problems);
                }
            }
            "minItems" | "maxItems" => {
                if let Some(a) = v.as_array() {
                    let n = rule.as_u64().unwrap_or(0) as usize;
                    if (k == "minItems" && a.len() < n) || (k == "maxItems" && a.len() > n) {
                        problems.push(format!("{at}: {} items breaks {k} {n}", a.len()));
                    }
                }
            }
            "minimum" => {
                if v.as_f64().is_some_and(|x| x < rule.as_f64().unwrap_or(0.0)) {
                    problems.push(format!("{at}: {v} is below {rule}"));
                }
            }
            "pattern" => {
                if let Some(t) = v.as_str() {
                    let re = regex::Regex::new(rule.as_str().unwrap_or("")).expect("a pattern");
                    if !re.is_match(t) {
                        problems.push(format!("{at}: {t:?} does not match {rule}"));
                    }
                }
            }
            "oneOf" => {
                let matching = rule
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|sub| {
                        let mut p = Vec::new();
                        validate(sub, v, at, &mut p);
                        p.is_empty()
                    })
                    .count();
                if matching != 1 {
                    problems.push(format!("{at}: {v} matches {matching} of oneOf"));
                }
            }
            other => panic!("the schema uses `{other}`, which this test does not check"),
        }
    }
}

fn schema() -> Value {
    json(&read_text(&repo_root().join("docs/claims.schema.json")))
}

fn problems(v: &Value) -> Vec<String> {
    let mut p = Vec::new();
    validate(&schema(), v, "", &mut p);
    p
}

#[test]
fn bundled_claims_json_follows_its_schema() {
    let schema = schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let data = json(&read_text(&repo_root().join("public/claims.json")));
    assert_eq!(problems(&data), Vec::<String>::new());
    let claims = data["claims"].as_array().expect("claims");
    assert_eq!(claims.len(), 41, "every bundled claim");
    assert!(claims.iter().any(|c| c["status"] == "disputed"));
    // The validator is not blind: a document missing a field, with a field of the wrong
    // type, or with a status the format does not have, is refused.
    let mut broken = data.clone();
    broken["claims"][0]
        .as_object_mut()
        .expect("a claim")
        .remove("status");
    broken["claims"][1]["quotes"][0]["value_read"] = Value::String("no".into());
    broken["claims"][2]["status"] = Value::String("true".into());
    let p = problems(&broken);
    assert_eq!(p.len(), 3, "{p:?}");
    assert!(p[0].contains("/claims/0: `status` is missing"), "{p:?}");
}

#[test]
fn claims_json_holds_statuses_values_conflicts_and_positions() {
    let f = built(SITE_ABSOLUTE);
    let data = json(&f.page("claims.json"));
    assert_eq!(problems(&data), Vec::<String>::new());
    assert_eq!(data["title"], "Test <dossier> & co");
    let c = &data["claims"][0];
    assert_eq!(c["id"], "evacuated");
    assert_eq!(c["url"], "https://example.org/news/claims/evacuated/");
    assert_eq!(c["status"], "disputed");
    assert_eq!(c["rating"], "Sources conflict");
    assert_eq!(c["latest_source_date"], "2025-01-12");
    // The distinct values, lowest first, as value notation (no floats), with their sources.
    assert_eq!(c["values"][0]["value"], "~12000");
    assert_eq!(c["values"][0]["sources"], serde_json::json!(["alpha"]));
    assert_eq!(c["values"][1]["value"], ">15000");
    assert_eq!(c["values"][1]["sources"], serde_json::json!(["beta"]));
    assert_eq!(c["conflicts"][0]["kind"], "values");
    let q = &c["quotes"][1];
    assert_eq!(q["source"], "beta");
    assert_eq!(q["outlet"], "Beta Times");
    assert_eq!(q["url"], "https://beta.example/b?x=1&y=2");
    assert_eq!(q["published"], "2025-01-12T08:00:00Z");
    assert_eq!(q["value"], ">15000");
    assert_eq!(q["value_read"], false);
    // Offsets are characters, not bytes: "Selon l’État, " is 14 characters, 17 bytes.
    assert_eq!(q["position"]["paragraph"], 0);
    assert_eq!(q["position"]["parts"], serde_json::json!([[14, 47]]));
    assert_eq!(
        q["position"]["url"],
        "https://example.org/news/sources/beta/#q-evacuated"
    );
    // The second paragraph of alpha.
    let p = &c["quotes"][0]["position"];
    assert_eq!(p["paragraph"], 1);
    assert_eq!(p["parts"], serde_json::json!([[0, 34]]));
    // The passage URL is an anchor of the source page.
    assert_contains(&f.page("sources/beta/index.html"), "id=\"q-evacuated\"");
    let b = &data["claims"][1];
    assert_eq!(b["status"], "single-source");
    assert_eq!(b["latest_source_date"], Value::Null);
    assert_eq!(b["quotes"][0]["stance_from"], "default");
    // Byte for byte the same when built again.
    let again = f.path("again");
    f.build_into(&again, &[]).expect_code(0);
    assert_eq!(f.page("claims.json"), read_text(&again.join("claims.json")));
}

#[test]
fn claims_csv_has_one_quoted_row_per_quote() {
    let f = built(SITE_ABSOLUTE);
    let bytes = std::fs::read(f.out().join("claims.csv")).expect("claims.csv");
    let text = String::from_utf8(bytes.clone()).expect("UTF-8");
    assert!(text.ends_with("\r\n"), "RFC 4180 lines end in CRLF");
    // A field with a comma and quotes is quoted, its quotes doubled.
    assert_contains(&text, "\"The bridge, \"\"closed\"\"\"");
    let mut r = csv::Reader::from_reader(&bytes[..]);
    let head: Vec<String> = r
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        head,
        [
            "claim_id",
            "claim",
            "status",
            "source_id",
            "outlet",
            "title",
            "stance",
            "value",
            "quote",
            "url",
            "passage_url"
        ]
    );
    let rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.expect("a row").iter().map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 3, "one row per quote");
    assert_eq!(rows[1][0], "evacuated");
    assert_eq!(rows[1][2], "disputed");
    assert_eq!(rows[1][4], "Beta Times");
    assert_eq!(rows[1][7], ">15000");
    assert_eq!(rows[1][8], "over 15,000 people were evacuated");
    assert_eq!(rows[1][9], "https://beta.example/b?x=1&y=2");
    assert_eq!(rows[2][1], "The bridge </script><!-- was closed.");
    assert_eq!(rows[2][5], "The bridge, \"closed\"");
}

#[test]
fn sitemap_robots_and_feed_with_an_absolute_base_url() {
    let f = built(SITE_ABSOLUTE);
    let sitemap = f.page("sitemap.xml");
    let locs: Vec<&str> = sitemap
        .lines()
        .filter_map(|l| l.strip_prefix("<url><loc>")?.strip_suffix("</loc></url>"))
        .collect();
    for want in [
        "https://example.org/news/",
        "https://example.org/news/claims/evacuated/",
        "https://example.org/news/claims/bridge/",
        "https://example.org/news/sources/",
        "https://example.org/news/sources/gamma/",
        "https://example.org/news/discrepancies/",
        "https://example.org/news/how-to-read/",
        "https://example.org/news/topics/evacuation/",
    ] {
        assert!(locs.contains(&want), "{want} not in {locs:?}");
    }
    assert!(!sitemap.contains("404"), "{sitemap}");
    // Every page of the site, and nothing else.
    let pages = read_tree(&f.out())
        .keys()
        .filter(|p| p.ends_with("index.html"))
        .count();
    assert_eq!(locs.len(), pages);
    assert_eq!(
        f.page("robots.txt"),
        "User-agent: *\nAllow: /\nSitemap: https://example.org/news/sitemap.xml\n"
    );
    let feed = f.page("feed.xml");
    assert_contains(&feed, "<title>Test &lt;dossier&gt; &amp; co</title>");
    // Dated by the latest of its sources, never the clock; the undated claim is left out.
    assert_contains(&feed, "<updated>2025-01-12T00:00:00Z</updated>");
    assert_eq!(feed.matches("<entry>").count(), 1, "{feed}");
    assert_contains(&feed, "<id>https://example.org/news/claims/evacuated/</id>");
    assert_contains(
        &feed,
        "<summary>Sources conflict. Sources: Alpha News, Beta Times.</summary>",
    );
    assert_lacks(&feed, "bridge");
}

#[test]
fn meta_description_canonical_and_open_graph_on_every_page() {
    let f = built(SITE_ABSOLUTE);
    for (page, url) in [
        ("index.html", "https://example.org/news/"),
        (
            "claims/evacuated/index.html",
            "https://example.org/news/claims/evacuated/",
        ),
        (
            "sources/beta/index.html",
            "https://example.org/news/sources/beta/",
        ),
        (
            "discrepancies/index.html",
            "https://example.org/news/discrepancies/",
        ),
    ] {
        let html = f.page(page);
        let t = tags(&html);
        let find = |name: &str, key: &str, val: &str| {
            t.iter()
                .find(|x| x.name == name && x.attr(key) == Some(val))
                .unwrap_or_else(|| panic!("no <{name} {key}={val:?}> in {page}"))
                .clone()
        };
        assert_eq!(find("link", "rel", "canonical").attr("href"), Some(url));
        assert_eq!(
            find("meta", "property", "og:url").attr("content"),
            Some(url)
        );
        find("meta", "property", "og:title");
        find("meta", "name", "description");
        assert_eq!(
            find("link", "type", "application/atom+xml").attr("href"),
            Some("https://example.org/news/feed.xml")
        );
    }
    let claim = f.page("claims/evacuated/index.html");
    let t = tags(&claim);
    let desc = t
        .iter()
        .find(|x| x.name == "meta" && x.attr("name") == Some("description"))
        .and_then(|x| x.attr("content"))
        .expect("a description");
    assert_eq!(
        desc,
        "Sources conflict: \u{201C}About 12,000 people were evacuated.\u{201D} Quotes from Alpha News, Beta Times."
    );
    // The site's description, Markdown removed, on the other pages.
    let index = f.page("index.html");
    assert!(
        tags(&index).iter().any(|x| x.name == "meta"
            && x.attr("name") == Some("description")
            && x.attr("content") == Some("Evacuations, side by side.")),
        "{index}"
    );
    assert_lacks(&f.page("404.html"), "rel=\"canonical\"");
}

#[test]
fn a_path_only_base_url_has_no_sitemap_feed_or_canonical() {
    let f = built("title: \"Test\"\nbase_url: \"/sub/dir/\"\n");
    assert!(!f.out().join("sitemap.xml").exists());
    assert!(!f.out().join("feed.xml").exists());
    assert_eq!(f.page("robots.txt"), "User-agent: *\nAllow: /\n");
    let index = f.page("index.html");
    assert_lacks(&index, "canonical");
    assert_lacks(&index, "og:");
    assert_lacks(&index, "feed.xml");
    // The data files are there, with the site's (relative) URLs.
    let data = json(&f.page("claims.json"));
    assert_eq!(data["claims"][0]["url"], "/sub/dir/claims/evacuated/");
}

/// The JSON-LD of a claim page, parsed.
fn claim_review(html: &str) -> (String, Value) {
    let open = "<script type=\"application/ld+json\">";
    let start = html.find(open).expect("a JSON-LD script") + open.len();
    let end = start + html[start..].find("</script>").expect("its end");
    let raw = html[start..end].to_string();
    let v = json(&raw);
    (raw, v)
}

#[test]
fn claim_pages_carry_a_claim_review() {
    let f = built(SITE_ABSOLUTE);
    let (_, r) = claim_review(&f.page("claims/evacuated/index.html"));
    // What schema.org's ClaimReview and Google's fact-check markup require.
    assert_eq!(r["@context"], "https://schema.org");
    assert_eq!(r["@type"], "ClaimReview");
    assert_eq!(r["url"], "https://example.org/news/claims/evacuated/");
    assert_eq!(r["claimReviewed"], "About 12,000 people were evacuated.");
    assert_eq!(r["author"]["@type"], "Organization");
    assert_eq!(r["author"]["name"], "Test <dossier> & co");
    let rating = &r["reviewRating"];
    assert_eq!(rating["@type"], "Rating");
    assert_eq!(rating["alternateName"], "Sources conflict");
    for k in ["ratingValue", "bestRating", "worstRating"] {
        assert!(rating[k].is_string(), "{k}: {rating}");
    }
    let item = &r["itemReviewed"];
    assert_eq!(item["@type"], "Claim");
    let urls: Vec<&str> = item["appearance"]
        .as_array()
        .expect("appearance")
        .iter()
        .filter_map(|w| w["url"].as_str())
        .collect();
    assert_eq!(
        urls,
        ["https://alpha.example/a", "https://beta.example/b?x=1&y=2"]
    );
    assert_eq!(item["appearance"][1]["publisher"]["name"], "Beta Times");
    assert_eq!(item["firstAppearance"]["url"], "https://alpha.example/a");
    assert_eq!(r["datePublished"], "2025-01-12");
}

#[test]
fn claim_review_cannot_end_its_script_element() {
    let f = built(SITE_ABSOLUTE);
    let html = f.page("claims/bridge/index.html");
    let (raw, r) = claim_review(&html);
    assert_lacks(&raw, "<");
    assert_contains(&raw, "\\u003c/script>\\u003c!--");
    // Parsed back, the text is the claim's, unchanged.
    assert_eq!(r["claimReviewed"], "The bridge </script><!-- was closed.");
    assert_eq!(r["reviewRating"]["alternateName"], "Single source");
    assert!(r.get("datePublished").is_none(), "no dated source");
}
