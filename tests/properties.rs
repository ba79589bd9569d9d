//! Property tests of the functions that take user text (`proptest`).
//!
//! - Any word-aligned passage of any paragraph, copied with typographic variations (curly or
//!   straight quotes, dash variants, spaces of other kinds and widths, emphasis in the source,
//!   NFD or NFC), anchors back to exactly that passage.
//! - `normalize` is idempotent and does not depend on the normal form of its input.
//! - No function that takes user text panics on arbitrary Unicode: anchoring, the closest
//!   passage and its word diff, sentences, value parsing and description, slugs, date checks,
//!   base URLs, front matter, Markdown, and a whole load and check of a dossier.
//! - Every parsed value is non-empty and compatible with itself; compatibility is symmetric.
//! - Slugs hold only `a-z`, `0-9` and inner `-`, so they never leave the site folder.
//! - Tidied HTML is stable under a second tidy, and tidying drops only white space.
//!
//! Case counts are fixed per property (see `CASES`) so the whole file runs in a few seconds
//! in a debug build; docs/notes/text-reliability.md lists them. `PROPTEST_CASES` raises them
//! for a longer run.

use std::path::{Component, Path};

use dossier::anchor;
use dossier::check::Parsed;
use dossier::model::{ValueKind, is_valid_id, slugify};
use dossier::render;
use dossier::values::{self, Value};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

/// Cases per property unless `PROPTEST_CASES` says otherwise.
fn cases(n: u32) -> ProptestConfig {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(n);
    ProptestConfig {
        cases: n,
        // Failures are reported with their input; no files are written next to the tests.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Letters of several scripts, accented letters included (as NFC).
const LETTERS: &str =
    "[a-zA-Z\u{e0}-\u{ff}\u{3b1}-\u{3c9}\u{430}-\u{44f}\u{5d0}-\u{5ea}\u{4e00}-\u{4e40}]{1,7}";

/// One word of a source: letters, a number that makes it unique, then maybe punctuation.
#[derive(Clone, Debug)]
struct Word {
    letters: String,
    /// `'s`, `,`, `;` or nothing.
    tail: &'static str,
    emphasis: bool,
}

fn word() -> impl Strategy<Value = Word> {
    (
        LETTERS,
        prop_oneof![
            Just(""),
            Just(""),
            Just(","),
            Just(";"),
            Just("'s"),
            Just("-")
        ],
        prop::bool::weighted(0.2),
    )
        .prop_map(|(letters, tail, emphasis)| Word {
            letters,
            tail,
            emphasis,
        })
}

/// The `i`th word as the source writes it (Markdown) and as a reader sees it (plain).
fn source_word(w: &Word, i: usize) -> (String, String) {
    let core = format!("{}{i}", w.letters);
    let tail = if w.tail == "-" { "" } else { w.tail };
    let md = if w.emphasis {
        format!("*{core}*{tail}")
    } else {
        format!("{core}{tail}")
    };
    (md, format!("{core}{tail}"))
}

/// The typographic variations a copied quote may carry.
#[derive(Clone, Debug)]
struct Copy {
    /// The separator between words: space, several, non-breaking, tab.
    spaces: Vec<&'static str>,
    curly: bool,
    nfd: bool,
}

fn copy(n: usize) -> impl Strategy<Value = Copy> {
    (
        prop::collection::vec(
            prop_oneof![Just(" "), Just("  "), Just("\u{a0}"), Just(" \t ")],
            n,
        ),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(spaces, curly, nfd)| Copy { spaces, curly, nfd })
}

/// A paragraph of unique words, a passage of it (word indices `a..b`) and how it is copied.
fn passage() -> impl Strategy<Value = (Vec<Word>, usize, usize, Copy, bool)> {
    prop::collection::vec(word(), 1..40)
        .prop_flat_map(|words| {
            let n = words.len();
            (Just(words), 0..n)
        })
        .prop_flat_map(|(words, a)| {
            let n = words.len();
            (Just(words), Just(a), a + 1..=n)
        })
        .prop_flat_map(|(words, a, b)| (Just(words), Just(a), Just(b), copy(b - a), any::<bool>()))
}

/// Any string, or one dense in what Unicode normalisation changes: combining marks, Hangul
/// jamo and syllables, Tibetan vowel signs, precomposed Latin letters, singletons (the Kelvin
/// and Ångström signs, Greek varia), and the characters matching folds or drops.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-eA-E \u{300}-\u{36f}\u{1100}-\u{1112}\u{1161}-\u{1175}\u{11a8}-\u{11c2}\u{ac00}-\u{ac10}\u{f71}-\u{f81}\u{e0}-\u{ff}\u{212a}\u{212b}\u{1fef}\u{1ffd}\u{ad}\u{200b}-\u{200d}\u{2018}-\u{201f}\u{2026}\u{130}]{0,16}",
    ]
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn a_copied_passage_anchors_back_to_exactly_that_passage(
        (words, a, b, copied, source_nfd) in passage()
    ) {
        let mut md = String::new();
        let mut expected = (0, 0);
        let mut plain_words = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let (m, p) = source_word(w, i);
            if i > 0 {
                // A dash word joins with the next: "one-two" is one passage boundary less.
                md.push_str(if words[i - 1].tail == "-" { " - " } else { " " });
            }
            md.push_str(&m);
            plain_words.push(p);
        }
        md.push('\n');
        let md: String = if source_nfd { md.nfd().collect() } else { md };
        // The quote: the passage's words with the copy's separators and typography.
        let mut quote = String::new();
        for (k, i) in (a..b).enumerate() {
            if k > 0 {
                if words[i - 1].tail == "-" {
                    quote.push_str(if copied.curly { " \u{2013} " } else { " - " });
                } else {
                    quote.push_str(copied.spaces[k]);
                }
            }
            let p = &plain_words[i];
            quote.push_str(&if copied.curly { p.replace('\'', "\u{2019}") } else { p.clone() });
        }
        let quote: String = if copied.nfd { quote.nfd().collect() } else { quote.nfc().collect() };

        let parsed = Parsed::new(&md);
        let found = anchor::find(&parsed.blocks, &quote);
        prop_assert!(found.is_some(), "not found: {quote:?} in {md:?}");
        let found = found.unwrap_or_else(|| unreachable!());
        prop_assert_eq!(found.occurrences, 1);
        prop_assert_eq!(found.parts.len(), 1);
        let block = &parsed.doc.blocks[found.block];
        let text = &parsed.doc.plain[block.clone()];
        let r = found.parts[0].clone();
        let got = &text[r.clone()];
        // Exactly that passage: its first and last words, and nothing more.
        let first: String = plain_words[a].nfc().collect();
        let last: String = plain_words[b - 1].nfc().collect();
        let got_nfc: String = got.nfc().collect();
        prop_assert!(got_nfc.starts_with(&first), "{got:?} starts with {first:?}");
        prop_assert!(got_nfc.ends_with(&last), "{got:?} ends with {last:?}");
        prop_assert_eq!(anchor::normalize(got), anchor::normalize(&quote));
        expected.0 = r.start;
        expected.1 = r.end;
        prop_assert!(text.is_char_boundary(expected.0) && text.is_char_boundary(expected.1));
    }

    #[test]
    fn normalize_is_idempotent(s in text()) {
        let once = anchor::normalize(&s);
        prop_assert_eq!(anchor::normalize(&once), once);
    }

    #[test]
    fn normalize_ignores_the_normal_form(s in text()) {
        let nfd: String = s.nfd().collect();
        let nfc: String = s.nfc().collect();
        prop_assert_eq!(anchor::normalize(&nfd), anchor::normalize(&nfc));
    }

    #[test]
    fn anchoring_never_panics(body in text(), quote in text()) {
        let parsed = Parsed::new(&body);
        let _ = anchor::find(&parsed.blocks, &quote);
        if let Some(c) = anchor::closest(&parsed.blocks, &quote) {
            let block = &parsed.doc.blocks[c.block];
            let text = &parsed.doc.plain[block.clone()];
            prop_assert!(c.range.start <= c.range.end && c.range.end <= text.len());
            let passage = &text[c.range.clone()];
            let _ = anchor::word_diff(passage, &quote);
            let _ = anchor::sentence_around(text, c.range.clone());
        }
        let _ = anchor::word_diff(&body, &quote);
        let _ = anchor::shorten(&body, 10);
        let _ = parsed.doc.render(&[]);
    }

    #[test]
    fn a_quote_from_a_source_is_found_in_it(body in text(), from in 0usize..64, len in 1usize..32) {
        // Any run of characters of a block, copied exactly, is found (maybe elsewhere first,
        // or not on word boundaries: then not found, but never a panic or a wrong range).
        let parsed = Parsed::new(&body);
        for (b, block) in parsed.blocks.iter().enumerate() {
            let chars: Vec<(usize, char)> = block.text.char_indices().collect();
            if from >= chars.len() {
                continue;
            }
            let start = chars[from].0;
            let end = chars.get(from + len).map_or(block.text.len(), |c| c.0);
            let quote = &block.text[start..end];
            if let Some(f) = anchor::find(&parsed.blocks, quote) {
                let r = &parsed.doc.blocks[f.block];
                let text = &parsed.doc.plain[r.clone()];
                for p in &f.parts {
                    prop_assert!(p.start <= p.end && p.end <= text.len());
                    prop_assert!(text.is_char_boundary(p.start) && text.is_char_boundary(p.end));
                }
            }
            let _ = b;
        }
    }

    #[test]
    fn value_parsing_never_panics(s in text()) {
        for kind in [ValueKind::Quantity, ValueKind::Date, ValueKind::Year, ValueKind::Text] {
            if let Ok(v) = values::parse(kind, &s) {
                prop_assert!(values::compatible(&v, &v), "{s:?} as {kind:?} gives {v:?}");
                if let Value::Text(t) = &v {
                    prop_assert!(!t.is_empty(), "{s:?} gives an empty text");
                }
            }
            let _ = values::describe(kind, &s, Some("units"));
        }
        let _ = dossier::load::is_iso_date_or_datetime(&s);
        let _ = dossier::load::normalize_base_url(&s);
        let _ = dossier::load::split_front_matter(&s);
    }
}

/// Values as curators write them, valid and not.
fn value_text() -> impl Strategy<Value = (ValueKind, String)> {
    let n = || {
        prop_oneof![
            Just("0".to_string()),
            (0u32..20_000).prop_map(|n| n.to_string()),
            "[0-9]{1,3}(,[0-9]{3}){0,2}"
        ]
    };
    let quantity = prop_oneof![
        n(),
        (n(), n()).prop_map(|(a, b)| format!("{a}-{b}")),
        (
            prop_oneof![
                Just("~"),
                Just(">="),
                Just("<="),
                Just(">"),
                Just("<"),
                Just("\u{2265}"),
                Just("\u{2264}")
            ],
            n()
        )
            .prop_map(|(op, x)| format!("{op}{x}")),
    ]
    .prop_map(|s| (ValueKind::Quantity, s));
    let date = (1990u32..2030, 0u32..14, 0u32..33, 0usize..3)
        .prop_map(|(y, m, d, parts)| match parts {
            0 => format!("{y}"),
            1 => format!("{y}-{m:02}"),
            _ => format!("{y}-{m:02}-{d:02}"),
        })
        .prop_map(|s| (ValueKind::Date, s));
    let year = (1990u32..2030, 0u32..5, any::<bool>())
        .prop_map(|(y, span, range)| {
            if range {
                format!("{y}-{}", y + span)
            } else {
                format!("{y}")
            }
        })
        .prop_map(|s| (ValueKind::Year, s));
    let text = "[a-zA-Z .,;]{0,12}".prop_map(|s| (ValueKind::Text, s));
    prop_oneof![quantity, date, year, text]
}

proptest! {
    #![proptest_config(cases(512))]

    #[test]
    fn values_are_non_empty_and_compatibility_is_symmetric(
        (ka, a) in value_text(),
        (kb, b) in value_text(),
    ) {
        let pa = values::parse(ka, &a);
        let pb = values::parse(kb, &b);
        for (s, p) in [(&a, &pa), (&b, &pb)] {
            if let Ok(v) = p {
                prop_assert!(values::compatible(v, v), "{s:?} gives {v:?}, true of nothing");
                match v {
                    Value::Interval { lo: Some(l), hi: Some(h) } => {
                        prop_assert!(l.v <= h.v, "{s:?} gives {v:?}");
                    }
                    Value::Text(t) => prop_assert!(!t.is_empty(), "{s:?} gives an empty text"),
                    _ => {}
                }
            }
        }
        if let (Ok(x), Ok(y)) = (&pa, &pb) {
            prop_assert_eq!(values::compatible(x, y), values::compatible(y, x), "{:?} and {:?}", a, b);
        }
    }

    #[test]
    fn slugs_never_leave_the_site_folder(s in text()) {
        let slug = slugify(&s);
        prop_assert!(slug.is_empty() || is_valid_id(&slug), "{s:?} gives {slug:?}");
        for bad in ["/", "\\", "..", "\0"] {
            prop_assert!(!slug.contains(bad), "{s:?} gives {slug:?}");
        }
        let page = Path::new("site").join("topics").join(&slug).join("index.html");
        prop_assert!(page.components().all(|c| matches!(c, Component::Normal(_))));
        prop_assert!(page.starts_with("site/topics"));
    }
}

proptest! {
    // Each case writes a small dossier to disk and loads and checks it: fewer cases.
    #![proptest_config(cases(48))]

    #[test]
    fn loading_and_checking_arbitrary_text_never_panics(
        front in any::<String>(),
        body in any::<String>(),
        quote in any::<String>(),
        value in any::<String>(),
        topic in any::<String>(),
    ) {
        let tmp = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let root = tmp.path();
        let write = |rel: &str, text: &str| -> Result<(), TestCaseError> {
            let p = root.join(rel);
            if let Some(d) = p.parent() {
                std::fs::create_dir_all(d).map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
            std::fs::write(p, text).map_err(|e| TestCaseError::fail(e.to_string()))
        };
        // YAML double-quoted strings: escape what would end them.
        let q = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
        write("content/site.yaml", "title: \"T\"\n")?;
        write("content/articles/alpha.md", &format!("---\n{front}\n---\n{body}"))?;
        write("content/articles/beta.md", &format!("---\ntitle: \"B\"\noutlet: \"{}\"\npublished: \"{}\"\n---\n{body}", q(&front), q(&value)))?;
        write(
            "content/claims.yaml",
            &format!(
                "- id: a\n  claim: \"{}\"\n  topic: \"{}\"\n  value: {{kind: quantity}}\n  quotes:\n    - source: alpha\n      text: \"{}\"\n      value: \"{}\"\n    - source: beta\n      text: \"{}\"\n      value: \"{}\"\n",
                q(&quote), q(&topic), q(&quote), q(&value), q(&body), q(&value)
            ),
        )?;
        if let Ok(loaded) = dossier::load::load(root) {
            let mut diags = loaded.diagnostics.clone();
            let checked = dossier::check::check(&loaded.dossier, &mut dossier::check::Cache::default(), &mut diags);
            for s in &checked.sources {
                let _ = s.parsed.doc.render(&[]);
            }
        }
    }
}

// ------------------------------------------------------------------------------------------
// Values read from quotes (src/recognise.rs)

/// How a number can be written in a news text, with the language that reads it so.
#[derive(Clone, Copy, Debug)]
enum Written {
    Plain,
    /// Thousands grouped with this separator, in this language.
    Grouped(char, &'static str),
    /// A decimal: thousands with the first separator, the point with the second.
    Decimal(char, char, &'static str),
    Words,
}

fn written() -> impl Strategy<Value = Written> {
    prop_oneof![
        Just(Written::Plain),
        Just(Written::Grouped(',', "en")),
        Just(Written::Grouped('.', "de")),
        Just(Written::Grouped(' ', "en")),
        Just(Written::Grouped('\u{a0}', "fr")),
        Just(Written::Grouped('\u{2009}', "en")),
        Just(Written::Grouped('\u{202f}', "fr")),
        Just(Written::Grouped('\'', "de-CH")),
        Just(Written::Grouped('\u{2019}', "de-CH")),
        Just(Written::Decimal(',', '.', "en")),
        Just(Written::Decimal('.', ',', "de")),
        Just(Written::Decimal('\'', '.', "de-CH")),
        Just(Written::Words),
    ]
}

fn grouped(n: u64, sep: char) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// English number words: "two hundred and fifty thousand, ..." without the commas.
fn words(n: u64) -> String {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    fn below_thousand(n: u64, out: &mut Vec<String>) {
        let (h, r) = (n / 100, n % 100);
        if h > 0 {
            out.push(format!("{} hundred", UNITS[h as usize]));
            if r > 0 {
                out.push("and".into());
            }
        }
        if r >= 20 {
            let u = r % 10;
            out.push(if u > 0 {
                format!("{}-{}", TENS[(r / 10) as usize], UNITS[u as usize])
            } else {
                TENS[(r / 10) as usize].to_string()
            });
        } else if r > 0 || h == 0 {
            out.push(UNITS[r as usize].to_string());
        }
    }
    let mut out = Vec::new();
    for (scale, name) in [(1_000_000, "million"), (1_000, "thousand")] {
        if !(n / scale).is_multiple_of(1000) {
            below_thousand(n / scale % 1000, &mut out);
            out.push(name.into());
        }
    }
    if !n.is_multiple_of(1000) || n == 0 {
        below_thousand(n % 1000, &mut out);
    }
    out.join(" ")
}

proptest! {
    #![proptest_config(cases(512))]

    /// A number written in any supported style (with the article's language where the style
    /// needs it) is read back as itself, bare and after "about".
    #[test]
    fn a_number_in_any_supported_style_reads_back_as_itself(
        n in 0u64..1_000_000_000,
        frac in 1u64..100,
        style in written(),
        about in any::<bool>(),
    ) {
        use dossier::recognise::{Context, Reading, recognise};
        let (text, language, want) = match style {
            Written::Plain => (n.to_string(), "en", n.to_string()),
            Written::Grouped(sep, lang) => (grouped(n, sep), lang, n.to_string()),
            Written::Decimal(sep, point, lang) => {
                let f = format!("{frac:02}");
                let f = f.trim_end_matches('0');
                (format!("{}{point}{f}", grouped(n, sep)), lang, format!("{n}.{f}"))
            }
            Written::Words => (words(n), "en", n.to_string()),
        };
        // Four plain digits from 1000 to 2999 are read as a year, not a count.
        prop_assume!(!(matches!(style, Written::Plain) && (1000..3000).contains(&n)) || about);
        let want = if about { format!("~{want}") } else { want };
        let sentence = format!("Officials said {}{text} people were evacuated.", if about { "about " } else { "" });
        let found = recognise(ValueKind::Quantity, None, &sentence, &Context::new(None, language));
        prop_assert_eq!(found.len(), 1, "{:?} gives {:?}", sentence, found);
        match &found[0].reading {
            Reading::Value { notation, value, .. } => {
                prop_assert_eq!(notation, &want, "{:?}", sentence);
                let parsed = values::parse(ValueKind::Quantity, notation).map_err(TestCaseError::fail)?;
                prop_assert!(values::same(&parsed, value), "{:?}: {:?} vs {:?}", sentence, parsed, value);
            }
            other => prop_assert!(false, "{:?} gives {:?}", sentence, other),
        }
    }

    /// Whatever a text states, each value read from it is written in a notation that parses
    /// back to it, and is compatible with, and the same as, itself; nothing panics on any text.
    #[test]
    fn every_value_read_is_its_notation_and_compatible_with_itself(
        pieces in proptest::collection::vec(prop_oneof![
            Just("about".to_string()), Just("at least".to_string()), Just("between".to_string()),
            Just("and".to_string()), Just("to".to_string()), Just("-".to_string()),
            Just("on".to_string()), Just("Saturday".to_string()), Just("last".to_string()),
            Just("month".to_string()), Just("weeks ago".to_string()), Just("year-old".to_string()),
            Just("aged".to_string()), Just("January".to_string()), Just("Jan.".to_string()),
            Just("hundreds of".to_string()), Just("a dozen".to_string()), Just("million".to_string()),
            (0u32..40).prop_map(|n| n.to_string()),
            (1990u32..2030).prop_map(|n| n.to_string()),
            "[0-9]{1,3}([,. '][0-9]{3}){0,2}([.,][0-9]{1,2})?",
            "[a-z]{1,6}",
            any::<String>(),
        ], 0..12),
        published in prop_oneof![Just(None), Just(Some("2025-01-12")), Just(Some("2024-02-29")), Just(Some("2025-12-31T23:00:00Z"))],
        language in prop_oneof![Just("en"), Just("de"), Just("xx")],
    ) {
        use dossier::recognise::{Context, Reading, recognise};
        let text = pieces.join(" ");
        let cx = Context::new(published, language);
        for kind in [ValueKind::Quantity, ValueKind::Date, ValueKind::Year] {
            for unit in [None, Some("days")] {
                for f in recognise(kind, unit, &text, &cx) {
                    prop_assert!(text.get(f.span.clone()) == Some(f.stated.as_str()));
                    let readings: Vec<(String, Value)> = match f.reading {
                        Reading::Value { notation, value, .. } => vec![(notation, value)],
                        Reading::Ambiguous { readings } => readings,
                        Reading::Unresolved(_) => Vec::new(),
                    };
                    for (notation, value) in readings {
                        let parsed = values::parse(kind, &notation).map_err(TestCaseError::fail)?;
                        prop_assert!(values::same(&parsed, &value), "{:?} in {:?}", notation, text);
                        prop_assert!(values::compatible(&value, &value), "{:?} in {:?}", notation, text);
                    }
                }
            }
        }
    }
}

/// HTML-ish text: tags (`<pre>` among them, with and without attributes), attributes with
/// quoted values, text in several scripts, entities, and every kind of space and line break
/// (CR LF, lone CR, tabs, no-break and em spaces).
fn html_ish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<p>".to_string()),
        Just("</p>".to_string()),
        Just("<pre>".to_string()),
        Just("<pre class=\"code\">".to_string()),
        Just("</pre>".to_string()),
        Just("<ul>\n".to_string()),
        Just("  <li>".to_string()),
        Just("</li>\n".to_string()),
        Just("<br/>".to_string()),
        Just("&amp;".to_string()),
        Just("&#8217;".to_string()),
        "[a-z]{1,6}".prop_map(|t| format!("<{t}>")),
        (
            "[a-z]{1,6}",
            "[a-z-]{1,8}",
            "[ a-zA-Z0-9\u{e9}<>/=\"']{0,8}"
        )
            .prop_map(|(t, a, v)| format!("<{t} {a}=\"{v}\">")),
        LETTERS.prop_map(|s| s.to_string()),
        prop_oneof![
            Just("\n"),
            Just("\n\n"),
            Just("\r\n"),
            Just("\r"),
            Just(" "),
            Just("  "),
            Just("\t"),
            Just("\u{a0}"),
            Just("\u{2003}"),
            Just(" \n \t\n"),
        ]
        .prop_map(str::to_string),
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..48).prop_map(|v| v.concat())
}

/// The characters of `s` that are not white space, in order.
fn ink(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

proptest! {
    #![proptest_config(cases(512))]

    #[test]
    fn tidied_html_is_stable_under_a_second_tidy(html in html_ish()) {
        let once = render::tidy(&html);
        let twice = render::tidy(&once);
        prop_assert_eq!(&twice, &once, "tidy of {:?}", html);
        // Tidying drops white space only, never a character a reader or a browser reads.
        prop_assert_eq!(ink(&once), ink(&html), "tidy of {:?}", html);
    }
}

// ------------------------------------------------------------------------------------------
// The word index (anchor::WordIndex) only narrows where a quote is looked for.

/// Paragraphs from a small vocabulary, so words repeat across blocks and quotes match often,
/// more than once, across elisions, and at word edges ("10,000" inside "110,000").
fn paragraphs() -> impl Strategy<Value = Vec<String>> {
    let word = prop::sample::select(vec![
        "the",
        "bridge",
        "reopened",
        "10,000",
        "110,000",
        "soldiers",
        "Kursk",
        "on",
        "9",
        "January",
        "said",
        "“captured”",
        "it's",
        "café",
        "cafe\u{301}",
        "—",
        "a",
        "A",
    ]);
    prop::collection::vec(prop::collection::vec(word, 1..12), 1..24)
        .prop_map(|ps| ps.into_iter().map(|ws| ws.join(" ")).collect())
}

proptest! {
    #![proptest_config(cases(256))]

    /// With or without the word index, every quote (a run of a paragraph's words, whole or
    /// elided, or words from nowhere) gets the same answer: the same block, parts and count.
    #[test]
    fn the_word_index_never_changes_where_a_quote_is_found(
        ps in paragraphs(),
        picks in prop::collection::vec((any::<prop::sample::Index>(), 0usize..8, 1usize..6, any::<bool>()), 1..16),
    ) {
        let md = ps.join("\n\n");
        let parsed = Parsed::new(&md);
        let index = anchor::WordIndex::new(&parsed.blocks);
        for (which, start, len, elide) in picks {
            let words: Vec<&str> = ps[which.index(ps.len())].split(' ').collect();
            let a = start.min(words.len() - 1);
            let b = (a + len).min(words.len());
            let quote = if elide && b - a >= 3 {
                format!("{} ... {}", words[a], words[a + 2..b].join(" "))
            } else {
                words[a..b].join(" ")
            };
            let plain = anchor::find(&parsed.blocks, &quote);
            let indexed = anchor::find_with(&parsed.blocks, Some(&index), &quote);
            prop_assert_eq!(&indexed, &plain, "quote {:?} in {:?}", quote, md);
        }
    }
}
