//! The bodies of the fuzz targets, with their invariants, in one place: the cargo-fuzz
//! targets (`fuzz/fuzz_targets/*.rs`) and the plain replay test (`tests/fuzz_corpus.rs`)
//! include this file by `#[path]`, so a corpus file is checked the same way by both.
//!
//! Each function takes one input and panics when an invariant does not hold: no panic
//! inside dossier, and every diagnostic pointing at a line (and column) the file has.
//! It uses only dossier's public API and the standard library.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use dossier::anchor;
use dossier::check::{self, Parsed};
use dossier::diag::{self, Diagnostic, SourceFiles};
use dossier::load;
use dossier::model::{CLAIMS_FILE, Dossier, SITE_FILE, ValueKind};
use dossier::output::Files;
use dossier::serve::{self, Route};
use dossier::values;

/// A target's body: panics when an invariant does not hold for the input.
pub type Target = fn(&[u8]);

/// The targets, by the name of their folder under `fuzz/corpus/`.
pub const TARGETS: &[(&str, Target)] = &[
    ("front_matter", front_matter),
    ("claims_yaml", claims_yaml),
    ("values", value_kinds),
    ("anchor", anchor_quote),
    ("serve_route", serve_route),
];

/// The text a diagnostic's file holds, as positions count it (what `SourceFiles` shows).
fn shown_text(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    text.strip_prefix('\u{FEFF}').unwrap_or(&text).to_string()
}

/// Panics unless `d` points at a line of `text` (line 1 of an empty file counts), and at a
/// column of that line or just past its end.
fn assert_within(d: &Diagnostic, text: &str) {
    let lines: Vec<&str> = text.lines().collect();
    let count = lines.len().max(1);
    assert!(
        d.pos.line >= 1 && d.pos.line <= count,
        "{}:{}:{}: line outside the file ({count} lines): {}",
        d.file,
        d.pos.line,
        d.pos.col,
        d.message
    );
    let line = lines.get(d.pos.line - 1).copied().unwrap_or("");
    let width = line.chars().count();
    assert!(
        d.pos.col >= 1 && d.pos.col <= width + 1,
        "{}:{}:{}: column outside the line ({width} characters): {}",
        d.file,
        d.pos.line,
        d.pos.col,
        d.message
    );
}

/// Checks every diagnostic against the texts of `files` (each must name one of them), and
/// renders them all (the renderer slices lines by these positions).
fn assert_diagnostics(diags: &[Diagnostic], files: &BTreeMap<String, String>) {
    let mut sources = SourceFiles::default();
    for (f, t) in files {
        sources.insert(f, t);
    }
    for d in diags {
        let text = files
            .get(&d.file)
            .unwrap_or_else(|| panic!("diagnostic names a file not given: {d:?}"));
        assert_within(d, text);
        assert!(
            !d.message.is_empty(),
            "a diagnostic without a message: {d:?}"
        );
    }
    let _ = diag::render(diags, &sources, false);
}

/// `front_matter`: the bytes as the article `content/articles/x.md`.
pub fn front_matter(data: &[u8]) {
    let file = "content/articles/x.md";
    let (article, diags) = load::parse_article("x", file, data.to_vec());
    let text = shown_text(data);
    if let Some(a) = &article {
        assert_eq!(a.file, file);
        assert!(a.body_line >= 1, "body line 0");
        // The body is the end of the file, and starts on the line given.
        let decoded = std::str::from_utf8(data).expect("an article is only made from text");
        let decoded = decoded.strip_prefix('\u{FEFF}').unwrap_or(decoded);
        assert!(decoded.ends_with(&a.body) || a.body.contains('\u{FFFD}'));
        if !a.body.is_empty() {
            let at = text.len() - a.body.len();
            let line = 1 + text[..at].matches('\n').count();
            assert_eq!(line, a.body_line, "the body does not start where it says");
        }
    } else {
        assert!(
            diags.iter().any(Diagnostic::is_error),
            "no article and no error"
        );
    }
    let files = BTreeMap::from([(file.to_string(), text)]);
    assert_diagnostics(&diags, &files);
}

/// The small fixed dossier `claims_yaml` checks against: three articles (one a revision of
/// another) with the text that trips matching up (Kelvin sign, dotted capital I, NFD,
/// typographic quotes and dashes, Markdown markup, numbers and dates).
const FIXTURE: &[(&str, &str)] = &[
    (
        SITE_FILE,
        "title: Fuzz\nbase_url: https://example.org/fuzz/\ntopics:\n  - id: capture\n    title: Capture\n",
    ),
    (
        "content/articles/alpha.md",
        "---\ntitle: \"Two soldiers captured\"\noutlet: Alpha News\nurl: https://example.org/a\npublished: 2025-01-11\n---\n\
Ukrainian forces captured **two** soldiers on 9 January 2025, officials said.\n\n\
About 12,000 troops \u{2014} perhaps 10,000 to 12,000 \u{2014} were sent in 2024; \u{201C}at least 1,500\u{201D} died.\n\n\
- The \u{212A}elvin sign and \u{130}stanbul; cafe\u{301} in NFD.\n- A second item, with *emphasis* and `code`.\n\n\
> \u{201C}We will not comment,\u{201D} a spokesman said\u{2026} later.\n",
    ),
    (
        "content/articles/alpha-update.md",
        "---\ntitle: Update\noutlet: Alpha News\nrevision_of: alpha\npublished: 2025-01-12T09:30:00Z\n---\n\
Ukrainian forces captured two soldiers on 9 January, officials said.\n\n\
About 11,000 troops were sent in 2024.\n",
    ),
    (
        "content/articles/beta.md",
        "---\ntitle: Beta report\noutlet: Beta Times\nattribution: inferred\n---\n\
# Heading\n\nThe two men were captured on 10 January 2025 near Kursk.\n\n\
| year | troops |\n|---|---|\n| 2005 | over 12,000 |\n",
    ),
];

/// The fixture, loaded once by the real loader from a temporary folder.
fn fixture() -> &'static Dossier {
    static D: OnceLock<Dossier> = OnceLock::new();
    D.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for (rel, text) in FIXTURE {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folders");
            std::fs::write(&path, text).expect("write the fixture");
        }
        std::fs::write(dir.path().join(CLAIMS_FILE), "[]\n").expect("write claims.yaml");
        let loaded = load::load(dir.path()).expect("the fixture loads");
        let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "the fixture has errors: {errors:?}");
        loaded.dossier
    })
}

/// `claims_yaml`: the bytes as claims.yaml, loaded and checked against [`FIXTURE`].
pub fn claims_yaml(data: &[u8]) {
    let (claims, mut diags) = load::parse_claims(data.to_vec());
    let fixed = fixture();
    let d = Dossier {
        site: fixed.site.clone(),
        articles: fixed.articles.clone(),
        claims,
    };
    let checked = check::check(&d, &mut check::Cache::default(), &mut diags);
    // Every quote the check anchored lies in its source's text, on character boundaries.
    for c in &checked.claims {
        for q in &c.quotes {
            let Some(a) = &q.anchor else { continue };
            let src = &checked.sources[q.source];
            let plain = &src.parsed.doc.plain;
            let block = src.parsed.doc.blocks[a.block].clone();
            for r in &a.parts {
                assert!(r.start <= r.end && block.start <= r.start && r.end <= block.end);
                assert!(plain.is_char_boundary(r.start) && plain.is_char_boundary(r.end));
            }
        }
    }
    let mut files: BTreeMap<String, String> = FIXTURE
        .iter()
        .map(|(f, t)| (f.to_string(), t.to_string()))
        .collect();
    files.insert(CLAIMS_FILE.to_string(), shown_text(data));
    assert_diagnostics(&diags, &files);
}

const KINDS: [ValueKind; 4] = [
    ValueKind::Quantity,
    ValueKind::Date,
    ValueKind::Year,
    ValueKind::Text,
];

/// `values`: the text (split at the first line break into two) parsed as each kind of value:
/// a value is compatible with itself, and compatibility is symmetric.
pub fn value_kinds(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (a, b) = text.split_once('\n').unwrap_or((&text, &text));
    for kind in KINDS {
        let _ = values::describe(kind, a, Some("troops"));
        let pa = values::parse(kind, a);
        let pb = values::parse(kind, b);
        for v in [&pa, &pb].into_iter().flatten() {
            assert!(
                values::compatible(v, v),
                "{kind:?} `{a}` / `{b}`: {v:?} is not compatible with itself"
            );
        }
        if let (Ok(x), Ok(y)) = (&pa, &pb) {
            assert_eq!(
                values::compatible(x, y),
                values::compatible(y, x),
                "{kind:?}: compatibility of {x:?} and {y:?} is not symmetric"
            );
        }
        if let Err(e) = &pa {
            assert!(!e.is_empty(), "an empty error");
        }
    }
}

/// Panics unless `r` lies in `text` on character boundaries.
fn assert_range(text: &str, r: &std::ops::Range<usize>, what: &str) {
    assert!(
        r.start <= r.end && r.end <= text.len(),
        "{what} {r:?} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
        "{what} {r:?} not on character boundaries of {text:?}"
    );
}

/// `anchor`: the bytes as (source text, quote), split at the first NUL (without one, the
/// text is quoted from itself). The source is parsed as an article body and the quote
/// anchored as `check` does; every range found lies in the block on character boundaries.
pub fn anchor_quote(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (source, quote) = text.split_once('\0').unwrap_or((&text, &text));
    let parsed = Parsed::new(source);
    let plain = &parsed.doc.plain;
    let block_text = |b: usize| &plain[parsed.doc.blocks[b].clone()];
    assert_eq!(parsed.blocks.len(), parsed.doc.blocks.len());
    match anchor::find(&parsed.blocks, quote) {
        Some(f) => {
            assert!(f.occurrences >= 1, "found, but no occurrence");
            assert!(!f.parts.is_empty(), "found, but no part");
            let block = block_text(f.block);
            let mut last_end = 0;
            for r in &f.parts {
                assert_range(block, r, "a found part");
                assert!(r.start >= last_end, "parts {:?} out of order", f.parts);
                last_end = r.end;
            }
            let all = f.parts[0].start..last_end;
            let around = anchor::sentence_around(block, all.clone());
            assert_range(block, &around, "the sentence around");
            assert!(
                around.start <= all.start && all.end <= around.end,
                "the sentence {around:?} does not hold {all:?}"
            );
        }
        None => {
            if let Some(c) = anchor::closest(&parsed.blocks, quote) {
                let block = block_text(c.block);
                assert_range(block, &c.range, "the closest passage");
                let passage = &block[c.range.clone()];
                let _ = anchor::word_diff(passage, quote);
                let _ = anchor::shorten(passage, anchor::SHOWN_MAX);
            }
        }
    }
    let _ = anchor::shorten(quote, 16);
}

/// The site `serve_route` routes into.
fn site_files() -> &'static Files {
    static F: OnceLock<Files> = OnceLock::new();
    F.get_or_init(|| {
        let body: Arc<[u8]> = Arc::from(&b"x"[..]);
        [
            "index.html",
            "style.css",
            "claims/two-soldiers/index.html",
            "sources/alpha/index.html",
            "disputes/index.html",
            "a b/index.html",
            "caf\u{e9}/index.html",
        ]
        .into_iter()
        .map(|k| (k.to_string(), body.clone()))
        .collect()
    })
}

/// `serve_route`: the bytes as (base URL, request URL), split at the first line break
/// (without one, or when the loader refuses it, the base is `/`). A file routed to is a file of the site, named by a
/// relative path that cannot leave the folder; the live-reload poll is only its own
/// address; a redirect stays under the base.
pub fn serve_route(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (base_url, url) = text.split_once('\n').unwrap_or(("/", &text));
    // As `serve` has it: the base URL site.yaml gives, as the loader accepts it.
    let base = load::normalize_base_url(base_url)
        .map_or_else(|_| "/".to_string(), |b| serve::base_path(&b));
    assert!(
        base.starts_with('/') && base.ends_with('/'),
        "base path {base:?}"
    );
    let files = site_files();
    let route = serve::route(url, &base, files);
    let path = url.split_once('?').map_or(url, |(p, _)| p);
    // An encoded slash (`%2F`) or backslash never stands for a separator.
    let encoded_separator =
        path.to_ascii_lowercase().contains("%2f") || path.to_ascii_lowercase().contains("%5c");
    match &route {
        Route::File(key) => {
            assert!(
                files.contains_key(key),
                "routed to {key:?}, not a file of the site"
            );
            assert!(!key.starts_with('/') && !key.contains('\\'));
            assert!(
                key.split('/')
                    .all(|s| s != ".." && s != "." && !s.is_empty())
            );
            assert!(
                !encoded_separator,
                "{url:?} (an encoded separator) routed to {key:?}"
            );
        }
        Route::Poll(_) => {
            assert!(
                !encoded_separator,
                "{url:?} (an encoded separator) is the poll"
            );
            assert!(path.ends_with("/poll"), "{url:?} routed to the poll");
        }
        Route::Redirect(to) => {
            assert!(
                to.starts_with(&base) || to == &base,
                "{url:?} redirects to {to:?}, outside {base:?}"
            );
            assert!(
                !to.split('/').any(|s| s == ".."),
                "{url:?} redirects to {to:?}"
            );
        }
        Route::NotFound | Route::Forbidden => {}
    }
}
