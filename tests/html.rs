//! The HTML dossier writes: escaping and sanitising of everything a curator or a source
//! writes, quote highlighting across Markdown markup, base_url on every internal link, and
//! text-fragment links to the publisher's page.

mod common;

use common::*;

const XSS_SCRIPT: &str = "<script>alert(1)</script>";
const XSS_IMG: &str = "\"><img src=x onerror=alert(1)>";
const XSS_LINK: &str = "[x](javascript:alert(1))";

/// YAML double-quoted form of a string.
fn yq(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A dossier whose every text field, and the article body, carries the payloads.
fn hostile_dossier() -> Fixture {
    let all = format!("{XSS_SCRIPT} {XSS_IMG} {XSS_LINK}");
    let f = Fixture::new();
    f.write(
        "content/site.yaml",
        &format!(
            "title: {}\ndescription: {}\ntopics:\n  - id: evil\n    title: {}\n    description: {}\n",
            yq(&format!("Site {all}")),
            yq(&format!("Description {all}")),
            yq(&format!("Topic {all}")),
            yq(&format!("Topic description {all}")),
        ),
    );
    f.article(
        "evil",
        &format!(
            "title: {}\noutlet: {}\nauthor: {}\nnote: {}\nurl: {}\npublished: 2025-01-11\n",
            yq(&format!("Title {all}")),
            yq(&format!("Outlet {all}")),
            yq(&format!("Author {all}")),
            yq(&format!("Note {all}")),
            yq("https://example.org/a?q=\"><script>alert(1)</script>"),
        ),
        &format!(
            "Body {XSS_SCRIPT} and {XSS_IMG} and {XSS_LINK} here.\n\n\
             {XSS_SCRIPT}\n\n\
             <img src=x onerror=alert(1)>\n\n\
             <a href=\"javascript:alert(1)\" onclick=\"alert(1)\">raw link</a> and <b onmouseover=alert(1)>bold</b>\n\n\
             ![pic](javascript:alert(1)) [upper](JaVaScRiPt:alert(1)) [entity](javascript&#58;alert(1)) \
             [tab](java&#9;script:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [vb](vbscript:msgbox(1)) \
             <javascript:alert(1)> [ref][r]\n\n\
             [r]: javascript:alert(1)\n\n\
             A safe [link](https://example.org/safe) stays.\n"
        ),
    );
    // The contradicting quote is another article's: a source never conflicts with itself.
    let evil = std::fs::read_to_string(f.root().join("content/articles/evil.md")).expect("read");
    f.write("content/articles/evil2.md", &evil);
    f.claims(&format!(
        "- id: evil\n  claim: {}\n  topic: evil\n  note: {}\n  value: {{kind: text}}\n  quotes:\n    - source: evil\n      text: {}\n      via: {}\n      value: {}\n    - source: evil2\n      text: {}\n      stance: contradicts\n      value: {}\n",
        yq(&format!("Claim {all}")),
        yq(&format!("Claim note {all}")),
        yq(&format!("Body {XSS_SCRIPT} and")),
        yq(&format!("Via {XSS_SCRIPT}")),
        yq(XSS_SCRIPT),
        yq("onerror=alert(1)> and x here"),
        yq(XSS_IMG),
    ));
    f
}

/// The page without its JSON-LD block, which must hold no `<` (so no markup and nothing that
/// could end the element).
fn without_json_ld(html: &str, path: &str) -> String {
    const OPEN: &str = "<script type=\"application/ld+json\">";
    let Some(start) = html.find(OPEN) else {
        return html.to_string();
    };
    let body = start + OPEN.len();
    let end = body + html[body..].find("</script>").expect("the JSON-LD ends");
    assert!(
        !html[body..end].contains('<'),
        "{path}: a `<` in the JSON-LD"
    );
    format!("{}{}", &html[..start], &html[end + "</script>".len()..])
}

#[test]
fn nothing_a_curator_or_source_writes_becomes_markup() {
    let f = hostile_dossier();
    let run = f.build();
    run.expect_code(0);
    let tree = read_tree(&f.out());
    let pages = html_pages(&tree);
    assert!(
        pages.len() >= 7,
        "all pages built: {:?}",
        tree.keys().collect::<Vec<_>>()
    );
    for (path, html) in &pages {
        // A claim page's ClaimReview is the only script: JSON with no `<` in it at all.
        let html = &without_json_ld(html, path);
        let lower = html.to_ascii_lowercase();
        assert!(!lower.contains("<script"), "{path}: a raw <script");
        assert!(!lower.contains("<img"), "{path}: a raw <img");
        for t in tags(html) {
            assert_ne!(t.name, "<stray>", "{path}: a raw `<` that starts no tag");
            assert!(
                ![
                    "script", "img", "iframe", "object", "embed", "svg", "style", "form", "b"
                ]
                .contains(&t.name.as_str()),
                "{path}: a <{}> element from the content",
                t.name
            );
            for (name, value) in &t.attrs {
                assert!(
                    !name.starts_with("on"),
                    "{path}: an event handler {name}={value:?} on <{}>",
                    t.name
                );
                if ["href", "src", "action", "formaction"].contains(&name.as_str()) {
                    let v: String = value
                        .chars()
                        .filter(|c| !c.is_whitespace() && !c.is_control())
                        .collect();
                    let v = v.to_ascii_lowercase();
                    for scheme in ["javascript:", "vbscript:", "data:"] {
                        assert!(
                            !v.starts_with(scheme),
                            "{path}: {name}={value:?} on <{}>",
                            t.name
                        );
                    }
                }
            }
        }
    }

    // The text is shown, escaped.
    let escaped_script = "&lt;script&gt;alert(1)&lt;/script&gt;";
    let claim = f.page("claims/evil/index.html");
    for needle in [
        format!("Claim {escaped_script}"),
        format!("Claim note {escaped_script}"),
        format!("Title {escaped_script}"),
        format!("Outlet {escaped_script}"),
        format!("Via {escaped_script}"),
        "&lt;img src=x onerror=alert(1)&gt;".to_string(),
    ] {
        assert_contains(&claim, &needle);
    }
    let source = f.page("sources/evil/index.html");
    for needle in [
        escaped_script.to_string(),
        "raw link&lt;/a&gt;".to_string(),
        format!("Author {escaped_script}"),
        format!("Note {escaped_script}"),
        "&lt;a href=".to_string(),
    ] {
        assert_contains(&source, &needle);
    }
    assert_contains(&source, "href=\"https://example.org/safe\"");
    let index = f.page("index.html");
    assert_contains(&index, &format!("Site {escaped_script}"));
    assert_contains(&index, &format!("Description {escaped_script}"));
    assert_contains(
        &f.page("topics/evil/index.html"),
        &format!("Topic description {escaped_script}"),
    );
    assert_contains(
        &f.page("discrepancies/index.html"),
        &format!("Claim {escaped_script}"),
    );
}

#[test]
fn quotes_are_highlighted_across_emphasis_and_links() {
    let f = Fixture::new();
    f.simple_article(
        "alpha",
        "Alpha News",
        "The **two soldiers** were [captured](https://example.org) on Monday.\n",
    );
    f.claims("- id: captured\n  claim: \"Two soldiers were captured on Monday.\"\n  quotes:\n    - source: alpha\n      text: \"two soldiers were captured on Monday\"\n");
    f.build().expect_code(0);

    let source = f.page("sources/alpha/index.html");
    let strong = source.find("<strong>").expect("the emphasis is kept");
    let strong_end = source[strong..].find("</strong>").expect("closed") + strong;
    assert_contains(&source[strong..strong_end], "<mark");
    assert_contains(&source[strong..strong_end], "two soldiers</mark>");
    let link = source
        .find("<a href=\"https://example.org\">")
        .expect("the link is kept");
    let link_end = source[link..].find("</a>").expect("closed") + link;
    assert_contains(&source[link..link_end], "<mark");
    assert_contains(&source[link..link_end], "captured</mark>");
    // The words between and after are marked too; the anchor sits at the start.
    assert_contains(&source, "<mark class=\"quote\"> were </mark>");
    assert_contains(&source, "<mark class=\"quote\"> on Monday</mark>");
    assert!(
        source.find("id=\"q-captured\"").expect("the anchor")
            < source.find("<mark").expect("a mark")
    );

    let claim = f.page("claims/captured/index.html");
    assert_contains(
        &claim,
        "<p>The <mark>two soldiers were captured on Monday</mark>.</p>",
    );
    assert_contains(&claim, "href=\"/sources/alpha/#q-captured\"");
}

#[test]
fn quotes_ignore_typography_but_not_words() {
    let f = Fixture::new();
    f.simple_article(
        "alpha",
        "Alpha News",
        "\u{201C}We\u{2019}ve seen\u{00A0}them,\u{201D} said the  officer \u{2014} twice.\nIt was *very*\nlate.\n",
    );
    f.claims(
        "- id: seen\n  claim: \"Seen\"\n  quotes:\n    - source: alpha\n      text: \"\\\"We've seen them,\\\" said the officer - twice.\"\n    - source: alpha\n      text: \"It was very late.\"\n",
    );
    let run = f.build();
    run.expect_code(0);
    let claim = f.page("claims/seen/index.html");
    assert_contains(&claim, "<mark>");
    assert_contains(&claim, "very");
}

#[test]
fn internal_links_start_with_a_path_base_url() {
    let f = linked_dossier();
    f.build_into(&f.out(), &["--base-url", "/sub/"])
        .expect_code(0);
    let n = assert_internal_links(&f, "/sub/", &["https://example.org/"]);
    assert!(n > 30, "many internal links were checked ({n})");
    assert_contains(&f.page("index.html"), "href=\"/sub/static/style.css\"");
    assert_contains(&f.page("404.html"), "href=\"/sub/\"");
}

#[test]
fn base_url_from_site_yaml_without_trailing_slash() {
    let f = linked_dossier();
    f.write(
        "content/site.yaml",
        "title: \"T\"\nbase_url: \"/dossier\"\n",
    );
    f.build().expect_code(0);
    assert_internal_links(&f, "/dossier/", &["https://example.org/"]);
}

#[test]
fn internal_links_start_with_a_full_base_url() {
    let f = linked_dossier();
    f.build_into(&f.out(), &["--base-url", "https://dossier.test/sub"])
        .expect_code(0);
    let n = assert_internal_links(&f, "https://dossier.test/sub/", &["https://example.org/"]);
    assert!(n > 30, "many internal links were checked ({n})");
}

#[test]
fn the_default_base_url_is_the_root() {
    let f = linked_dossier();
    f.build().expect_code(0);
    assert_internal_links(&f, "/", &["https://example.org/"]);
}

/// A dossier with every kind of page and link: topics, two sources with URLs, a conflict.
fn linked_dossier() -> Fixture {
    let f = Fixture::new();
    f.write(
        "content/site.yaml",
        "title: \"T\"\ndescription: \"See [the sources](https://example.org/list).\"\n",
    );
    f.article(
        "alpha",
        "title: \"Alpha\"\noutlet: \"Alpha News\"\nurl: \"https://example.org/alpha\"\n",
        "About 10,000 soldiers were sent, the ministry said. See [more](https://example.org/more).\n",
    );
    f.article(
        "beta",
        "title: \"Beta\"\noutlet: \"Beta Times\"\nrevision_of: alpha\n",
        "Some 20,000 soldiers were sent.\n",
    );
    f.claims(
        "- id: troops\n  claim: \"Troops were sent.\"\n  topic: deployment\n  note: \"Compare [the ministry](https://example.org/ministry).\"\n  value: {kind: quantity}\n  quotes:\n    - source: alpha\n      text: \"About 10,000 soldiers were sent\"\n      value: \"~10000\"\n    - source: beta\n      text: \"Some 20,000 soldiers were sent.\"\n      value: \"~20000\"\n- id: ministry\n  claim: \"The ministry said so.\"\n  quotes:\n    - source: alpha\n      text: \"the ministry said\"\n",
    );
    f
}

/// Asserts every href/src of every page is a fragment, an external address starting with
/// one of `external`, or starts with `base`; returns how many start with `base`.
#[track_caller]
fn assert_internal_links(f: &Fixture, base: &str, external: &[&str]) -> usize {
    let mut internal = 0;
    for (path, html) in html_pages(&read_tree(&f.out())) {
        for link in links(&html) {
            if link.starts_with('#') || external.iter().any(|e| link.starts_with(e)) {
                continue;
            }
            assert!(
                link.starts_with(base),
                "{path}: the link {link:?} does not start with {base:?}"
            );
            internal += 1;
        }
    }
    internal
}

#[test]
fn text_fragment_links_are_percent_encoded() {
    let f = Fixture::new();
    f.article(
        "alpha",
        "title: \"Alpha\"\noutlet: \"Alpha News\"\nurl: \"https://example.org/a\"\n",
        "Officials said some 10,000 to 12,000 well-trained soldiers arrived.\n\n\
         The long report says that the soldiers arrived in the region on a cold Monday in January.\n",
    );
    f.article(
        "beta",
        "title: \"Beta\"\noutlet: \"Beta\"\nurl: \"https://example.org/b#top\"\n",
        "Soldiers, it said, arrived.\n",
    );
    f.simple_article("gamma", "Gamma", "Soldiers arrived, said Gamma.\n");
    f.claims(
        "- id: arrived\n  claim: \"Soldiers arrived.\"\n  quotes:\n    - source: alpha\n      text: \"10,000 to 12,000 well-trained soldiers\"\n    - source: alpha\n      text: \"the soldiers arrived in the region on a cold Monday in January\"\n    - source: beta\n      text: \"Soldiers, it said, arrived.\"\n    - source: gamma\n      text: \"Soldiers arrived\"\n",
    );
    f.build().expect_code(0);
    let claim = f.page("claims/arrived/index.html");
    let fragments: Vec<String> = links(&claim)
        .into_iter()
        .filter(|l| l.contains("#:~:text="))
        .collect();
    assert!(
        fragments.contains(
            &"https://example.org/a#:~:text=10%2C000%20to%2012%2C000%20well%2Dtrained%20soldiers"
                .to_string()
        ),
        "{fragments:?}"
    );
    // A long passage is linked by its first and last words: `start,end`, the comma unencoded.
    assert!(
        fragments.contains(&"https://example.org/a#:~:text=the%20soldiers%20arrived%20in,cold%20Monday%20in%20January".to_string()),
        "{fragments:?}"
    );
    // An existing fragment is replaced.
    assert!(
        fragments.contains(
            &"https://example.org/b#:~:text=Soldiers%2C%20it%20said%2C%20arrived.".to_string()
        ),
        "{fragments:?}"
    );
    assert_eq!(
        fragments.len(),
        3,
        "no fragment link for the article without a URL: {fragments:?}"
    );
    for l in &fragments {
        let term = l.split("#:~:text=").nth(1).expect("a term");
        assert!(
            !term.contains(' ') && !term.contains('-') && !term.contains('#'),
            "{l}"
        );
    }
}

#[test]
fn the_html_scanner_sees_what_the_tests_refuse() {
    // The checks above are only as good as the scanner: it must find tags and attributes,
    // and must not be fooled by `>` inside quoted attribute values.
    let t = tags(
        "<p title=\"a > b onerror=x\">x</p><IMG SRC=x OnError=alert(1)><a href='java&#115;cript:x'>",
    );
    assert_eq!(t.len(), 3, "{t:?}");
    assert_eq!(
        t[0].attrs,
        vec![("title".to_string(), "a > b onerror=x".to_string())]
    );
    assert_eq!(t[1].name, "img");
    assert_eq!(t[1].attr("onerror"), Some("alert(1)"));
    assert_eq!(t[2].attr("href"), Some("javascript:x"));
    assert_eq!(tags("a < b")[0].name, "<stray>");
    assert!(tags("&lt;script&gt; <!-- <img> --> <!DOCTYPE html>").is_empty());
}
