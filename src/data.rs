//! The site's data files: `claims.json` and `claims.csv` (every claim and quote, for reuse),
//! an Atom feed of claims (`feed.xml`), `sitemap.xml` and `robots.txt`, and each claim page's
//! schema.org `ClaimReview` (JSON-LD). The only module that knows about serde_json and csv.
//!
//! Everything here is made from the checked dossier alone (never the wall clock), in claim
//! and file order, with numbers that are counts or offsets (integers): a value is printed in
//! the notation of `value:` (`~8000`, `2025-01-11`), never as a float. The files depend on
//! every claim, so every run writes them anew, like the front page. What is not here: pages.

use serde::Serialize;

use crate::check::{Checked, CheckedClaim, CheckedQuote, ConflictKind, ValueFrom, topic_slug};
use crate::markdown::escape;
use crate::output::Files;
use crate::values;

/// Bumped when a field changes meaning or goes away (adding one does not bump it).
const FORMAT_VERSION: u32 = 1;

/// How many claims the feed holds: the latest by their sources' dates.
pub(crate) const FEED_ENTRIES: usize = 100;

#[derive(Serialize)]
struct ClaimsFile<'a> {
    format: &'static str,
    version: u32,
    title: &'a str,
    base_url: &'a str,
    language: &'a str,
    claims: Vec<ClaimData<'a>>,
}

#[derive(Serialize)]
struct Topic<'a> {
    id: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct ClaimData<'a> {
    id: &'a str,
    text: &'a str,
    url: String,
    topic: Option<Topic<'a>>,
    /// `corroborated`, `single-source` or `disputed`.
    status: &'static str,
    /// `single-origin` when corroborated by outlets that all relay one party.
    qualifier: Option<&'static str>,
    /// What the site's badge says.
    rating: &'static str,
    supporting_outlets: usize,
    origins: Vec<OriginData<'a>>,
    /// The claim's own value (`stated:`).
    value: Option<OwnValue<'a>>,
    /// The distinct values the quotes state, each with the quotes that state it.
    values: Vec<ValueData>,
    conflicts: Vec<ConflictData>,
    corrections: Vec<CorrectionData>,
    precision_only: bool,
    /// The latest `published` date (the day) among its sources, if any is dated.
    latest_source_date: Option<&'a str>,
    quotes: Vec<QuoteData<'a>>,
}

#[derive(Serialize)]
struct OriginData<'a> {
    label: &'a str,
    attributed: bool,
    outlets: usize,
}

#[derive(Serialize)]
struct OwnValue<'a> {
    kind: &'static str,
    unit: Option<&'a str>,
    stated: Option<&'a str>,
    label: Option<String>,
}

#[derive(Serialize)]
struct ValueData {
    value: String,
    label: String,
    /// Indices in the claim's `quotes`.
    quotes: Vec<usize>,
    /// The ids of the sources that state it (each once, in the order first quoted).
    sources: Vec<String>,
}

#[derive(Serialize)]
struct ConflictData {
    /// `values` or `stance`.
    kind: &'static str,
    /// Two quotes (indices in `quotes`) that show it: for values, `a` states a value below
    /// `b`'s (or another account); for stances, `a` supports and `b` contradicts.
    a: usize,
    b: usize,
}

#[derive(Serialize)]
struct CorrectionData {
    /// The earlier version's quote and the later one's (indices in `quotes`).
    from: usize,
    to: usize,
}

#[derive(Serialize)]
struct QuoteData<'a> {
    source: &'a str,
    outlet: &'a str,
    title: &'a str,
    url: Option<&'a str>,
    published: Option<&'a str>,
    /// `supports`, `contradicts` or `mentions`.
    stance: &'static str,
    /// `written`, `default`, `value` (derived from its value) or `unresolved`.
    stance_from: &'static str,
    via: Option<&'a str>,
    /// In the notation of `value:`.
    value: Option<&'a str>,
    value_label: Option<String>,
    /// The value was read from the quote's text (no `value:` was written).
    value_read: bool,
    text: &'a str,
    position: Option<Position>,
}

#[derive(Serialize)]
struct Position {
    /// The quote's passage on this site: the source page with the `#q-...` anchor.
    url: String,
    /// The paragraph (block) of the article, from 0, in the article's text as the site
    /// shows it (Markdown removed).
    paragraph: usize,
    /// Where each part of the quote is in that paragraph: [start, end) in characters
    /// (Unicode scalar values); one part unless the quote has an ellipsis.
    parts: Vec<[usize; 2]>,
}

/// What a claim's rating says, in words (the `ClaimReview`'s `alternateName` too).
pub(crate) fn rating(cc: &CheckedClaim<'_>) -> &'static str {
    if cc.single_origin() {
        return "Single origin: reported by several outlets that relay one party";
    }
    match cc.status {
        crate::check::Status::Corroborated => "Corroborated by independent sources",
        crate::check::Status::SingleSource => "Single source",
        crate::check::Status::Disputed => "Sources conflict",
    }
}

/// The day of a `published` date (`2025-01-11` of `2025-01-11T10:00:00Z`), if it is one.
fn day(published: &str) -> Option<&str> {
    let d = published.get(..10)?;
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    (digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10)).then_some(d)
}

/// The latest day among a claim's sources' `published` dates.
fn latest_day<'a>(c: &Checked<'a>, cc: &CheckedClaim<'_>) -> Option<&'a str> {
    cc.quotes
        .iter()
        .filter_map(|q| c.sources[q.source].article.published.as_deref())
        .filter_map(day)
        .max()
}

fn value_label(cc: &CheckedClaim<'_>, q: &CheckedQuote<'_>) -> Option<String> {
    match (&q.written, &cc.claim.value) {
        (Some(raw), Some(spec)) => Some(values::describe(spec.kind, raw, spec.unit.as_deref())),
        _ => None,
    }
}

/// Character offsets of `r` (byte offsets of `text`) counted from `from`.
fn chars_between(text: &str, from: usize, to: usize) -> usize {
    text.get(from..to).map_or(0, |s| s.chars().count())
}

fn position(c: &Checked<'_>, base: &str, q: &CheckedQuote<'_>) -> Option<Position> {
    let a = q.anchor.as_ref()?;
    let src = &c.sources[q.source];
    let doc = &src.parsed.doc;
    let block = doc.blocks.get(a.block)?;
    // Each part's offsets, counted on from the last: linear in the paragraph.
    let mut parts = Vec::with_capacity(a.parts.len());
    let (mut at_byte, mut at_char) = (block.start, 0);
    for p in &a.parts {
        let start = at_char + chars_between(&doc.plain, at_byte, p.start);
        let end = start + chars_between(&doc.plain, p.start, p.end);
        parts.push([start, end]);
        (at_byte, at_char) = (p.end, end);
    }
    Some(Position {
        url: format!("{base}sources/{}/#{}", src.article.id, q.mark_id),
        paragraph: a.block,
        parts,
    })
}

fn claim_data<'a>(c: &Checked<'a>, cc: &'a CheckedClaim<'a>) -> ClaimData<'a> {
    let d = c.dossier;
    let base = d.site.base_url.as_str();
    let claim = cc.claim;
    let spec = claim.value.as_ref();
    let topic = claim.topic.as_deref().map(|t| Topic {
        id: t,
        title: d
            .site
            .topics
            .iter()
            .find(|x| x.id == t)
            .map_or(t, |x| x.title.as_str()),
    });
    let values = cc
        .values
        .iter()
        .map(|g| {
            let first = &cc.quotes[g.quotes[0]];
            let sources = distinct(g.quotes.iter().map(|&i| cc.quotes[i].source))
                .into_iter()
                .map(|si| c.sources[si].article.id.clone())
                .collect();
            ValueData {
                value: first.written.clone().unwrap_or_default(),
                label: value_label(cc, first).unwrap_or_default(),
                quotes: g.quotes.clone(),
                sources,
            }
        })
        .collect();
    ClaimData {
        id: &claim.id,
        text: &claim.claim,
        url: format!("{base}claims/{}/", claim.id),
        topic,
        status: cc.status.as_str(),
        qualifier: cc.single_origin().then_some("single-origin"),
        rating: rating(cc),
        supporting_outlets: cc.supporting_outlets,
        origins: cc
            .origins
            .iter()
            .map(|o| OriginData {
                label: &o.label,
                attributed: o.attributed,
                outlets: o.outlets,
            })
            .collect(),
        value: spec.map(|s| {
            let stated = s.stated.as_ref().map(|(raw, _)| raw.as_str());
            OwnValue {
                kind: s.kind.as_str(),
                unit: s.unit.as_deref(),
                stated,
                label: stated.map(|raw| values::describe(s.kind, raw, s.unit.as_deref())),
            }
        }),
        values,
        conflicts: cc
            .conflicts
            .iter()
            .map(|k| ConflictData {
                kind: match k.kind {
                    ConflictKind::Values => "values",
                    ConflictKind::Stance => "stance",
                },
                a: k.a,
                b: k.b,
            })
            .collect(),
        corrections: cc
            .corrections
            .iter()
            .map(|k| CorrectionData {
                from: k.from,
                to: k.to,
            })
            .collect(),
        precision_only: cc.precision_only,
        latest_source_date: latest_day(c, cc),
        quotes: cc
            .quotes
            .iter()
            .map(|q| {
                let a = c.sources[q.source].article;
                let value_label = value_label(cc, q);
                QuoteData {
                    source: &a.id,
                    outlet: &a.outlet,
                    title: &a.title,
                    url: a.url.as_deref(),
                    published: a.published.as_deref(),
                    stance: q.stance.as_str(),
                    stance_from: q.stance_from.as_str(),
                    via: q.quote.via.as_deref(),
                    value: value_label.as_ref().and(q.written.as_deref()),
                    value_read: value_label.is_some() && q.value_from == ValueFrom::ReadFromText,
                    value_label,
                    text: &q.quote.text,
                    position: position(c, base, q),
                }
            })
            .collect(),
    }
}

/// `claims.json`: every claim, its status, origins, values, conflicts and quotes.
pub fn claims_json(c: &Checked<'_>) -> String {
    let site = &c.dossier.site;
    let file = ClaimsFile {
        format: "dossier-claims",
        version: FORMAT_VERSION,
        title: &site.title,
        base_url: &site.base_url,
        language: &site.language,
        claims: c.claims.iter().map(|cc| claim_data(c, cc)).collect(),
    };
    // Serialising plain structs of strings, integers and booleans cannot fail.
    let mut s = serde_json::to_string_pretty(&file).unwrap_or_default();
    s.push('\n');
    s
}

/// The columns of `claims.csv`.
pub(crate) const CSV_COLUMNS: [&str; 11] = [
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
    "passage_url",
];

/// `claims.csv`: one row per quote (RFC 4180: CRLF line ends, fields quoted when needed).
pub fn claims_csv(c: &Checked<'_>) -> Vec<u8> {
    let base = c.dossier.site.base_url.as_str();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing into memory cannot fail.
    let _ = w.write_record(CSV_COLUMNS);
    for cc in &c.claims {
        let status = if cc.single_origin() {
            "single-origin"
        } else {
            cc.status.as_str()
        };
        for q in &cc.quotes {
            let src = &c.sources[q.source];
            let a = src.article;
            let value = value_label(cc, q).and(q.written.as_deref()).unwrap_or("");
            let passage = format!("{base}sources/{}/#{}", a.id, q.mark_id);
            let _ = w.write_record([
                cc.claim.id.as_str(),
                cc.claim.claim.as_str(),
                status,
                a.id.as_str(),
                a.outlet.as_str(),
                a.title.as_str(),
                q.stance.as_str(),
                value,
                q.quote.text.as_str(),
                a.url.as_deref().unwrap_or(""),
                passage.as_str(),
            ]);
        }
    }
    w.into_inner().unwrap_or_default()
}

/// Whether the site's URLs are absolute (`base_url` names a scheme and host).
pub fn is_absolute(base_url: &str) -> bool {
    base_url.starts_with("https://") || base_url.starts_with("http://")
}

/// XML text: `&`, `<`, `>` and both quotes escaped, and the control characters XML 1.0
/// does not allow dropped.
fn xml(s: &str) -> String {
    let s: String = s
        .chars()
        .filter(|&ch| !ch.is_control() || matches!(ch, '\t' | '\n' | '\r') || ch >= '\u{80}')
        .collect();
    escape(&s)
}

/// The items of `it` in order, each once (hashed: linear, not a search per item).
fn distinct<T: Eq + std::hash::Hash + Copy>(it: impl Iterator<Item = T>) -> Vec<T> {
    let mut seen = std::collections::HashSet::new();
    it.filter(|x| seen.insert(*x)).collect()
}

/// The outlets of a claim's sources, each once, in the order first quoted.
fn outlets<'a>(c: &Checked<'a>, cc: &CheckedClaim<'_>) -> Vec<&'a str> {
    distinct(
        cc.quotes
            .iter()
            .map(|q| c.sources[q.source].article.outlet.as_str()),
    )
}

/// `feed.xml`: an Atom feed of the claims, each dated by the latest `published` date of its
/// sources; the latest [`FEED_ENTRIES`], newest first (then in claim order). Claims with no
/// dated source are not in it. `None` unless `base_url` is absolute (Atom ids are IRIs).
pub fn feed(c: &Checked<'_>) -> Option<String> {
    let site = &c.dossier.site;
    let base = site.base_url.as_str();
    if !is_absolute(base) {
        return None;
    }
    let mut dated: Vec<(&str, usize)> = c
        .claims
        .iter()
        .enumerate()
        .filter_map(|(i, cc)| latest_day(c, cc).map(|d| (d, i)))
        .collect();
    // Newest first; a stable sort keeps claim order within a day.
    dated.sort_by(|a, b| b.0.cmp(a.0));
    dated.truncate(FEED_ENTRIES);
    let updated = dated.first().map_or("1970-01-01", |d| d.0);
    let mut s = String::new();
    s.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    s.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml(&site.language)
    ));
    s.push_str(&format!("<title>{}</title>\n", xml(&site.title)));
    if let Some(d) = &site.description {
        s.push_str(&format!("<subtitle>{}</subtitle>\n", xml(d)));
    }
    s.push_str(&format!("<id>{}</id>\n", xml(base)));
    s.push_str(&format!(
        "<link rel=\"self\" href=\"{}feed.xml\"/>\n",
        xml(base)
    ));
    s.push_str(&format!(
        "<link rel=\"alternate\" href=\"{}\"/>\n",
        xml(base)
    ));
    s.push_str(&format!("<updated>{updated}T00:00:00Z</updated>\n"));
    s.push_str(&format!(
        "<author><name>{}</name></author>\n",
        xml(&site.title)
    ));
    for (date, i) in dated {
        let cc = &c.claims[i];
        let url = format!("{base}claims/{}/", cc.claim.id);
        s.push_str("<entry>\n");
        s.push_str(&format!("<title>{}</title>\n", xml(&cc.claim.claim)));
        s.push_str(&format!("<id>{}</id>\n", xml(&url)));
        s.push_str(&format!("<link href=\"{}\"/>\n", xml(&url)));
        s.push_str(&format!("<updated>{date}T00:00:00Z</updated>\n"));
        if let Some(t) = &cc.claim.topic {
            let title = site
                .topics
                .iter()
                .find(|x| x.id == *t)
                .map_or(t.as_str(), |x| x.title.as_str());
            s.push_str(&format!(
                "<category term=\"{}\" label=\"{}\"/>\n",
                xml(&topic_slug(c.dossier, t)),
                xml(title)
            ));
        }
        s.push_str(&format!(
            "<summary>{}. Sources: {}.</summary>\n",
            xml(rating(cc)),
            xml(&outlets(c, cc).join(", "))
        ));
        s.push_str("</entry>\n");
    }
    s.push_str("</feed>\n");
    Some(s)
}

/// The data files of a site: `claims.json`, `claims.csv` and (when `base_url` is absolute)
/// `feed.xml`, by output path.
pub fn files(c: &Checked<'_>) -> Vec<(String, Vec<u8>)> {
    // Three independent passes over the claims, side by side.
    let (json, (csv, feed)) = rayon::join(
        || claims_json(c),
        || rayon::join(|| claims_csv(c), || feed(c)),
    );
    let mut out = vec![
        ("claims.json".to_string(), json.into_bytes()),
        ("claims.csv".to_string(), csv),
    ];
    if let Some(f) = feed {
        out.push(("feed.xml".to_string(), f.into_bytes()));
    }
    out
}

/// Adds `sitemap.xml` (when `base_url` is absolute: a sitemap's URLs must be) and
/// `robots.txt` to a whole site: the sitemap lists every page (each `index.html`, in path
/// order; not the 404 page).
pub fn add_indexes(files: &mut Files, base_url: &str) {
    let mut robots = String::from("User-agent: *\nAllow: /\n");
    if is_absolute(base_url) {
        let mut s = String::from(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for path in files.keys() {
            let Some(dir) = path.strip_suffix("index.html") else {
                continue;
            };
            if !(dir.is_empty() || dir.ends_with('/')) {
                continue;
            }
            s.push_str(&format!(
                "<url><loc>{}{}</loc></url>\n",
                xml(base_url),
                xml(dir)
            ));
        }
        s.push_str("</urlset>\n");
        files.insert(
            "sitemap.xml".to_string(),
            std::sync::Arc::from(s.into_bytes()),
        );
        robots.push_str(&format!("Sitemap: {base_url}sitemap.xml\n"));
    }
    files.insert(
        "robots.txt".to_string(),
        std::sync::Arc::from(robots.into_bytes()),
    );
}

/// A JSON text safe inside `<script type="application/ld+json">`: it holds no `<` at all, so
/// nothing in it can end the element (`</script`), open a comment (`<!--`) or start the
/// script's "double escaped" state. `<` occurs only inside JSON strings, where `\u003c`
/// means the same (stricter than escaping `</` as `<\/`, which leaves `<!--` to handle).
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
}

#[derive(Serialize)]
struct LdClaimReview<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    url: &'a str,
    #[serde(rename = "claimReviewed")]
    claim_reviewed: &'a str,
    #[serde(rename = "itemReviewed")]
    item_reviewed: LdClaim<'a>,
    author: LdOrg<'a>,
    #[serde(rename = "reviewRating")]
    review_rating: LdRating,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<&'a str>,
}

#[derive(Serialize)]
struct LdClaim<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    appearance: Vec<LdWork<'a>>,
    #[serde(rename = "firstAppearance", skip_serializing_if = "Option::is_none")]
    first_appearance: Option<LdWork<'a>>,
}

#[derive(Serialize, Clone)]
struct LdWork<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    headline: &'a str,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<&'a str>,
    publisher: LdOrg<'a>,
}

#[derive(Serialize, Clone)]
struct LdOrg<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

/// The rating: no numeric scale fits "the sources conflict", so the textual rating is what
/// counts (Google's fact-check guidelines ask for `alternateName`); the number places the
/// status on a 1 (disputed) to 3 (corroborated) scale.
#[derive(Serialize)]
struct LdRating {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "ratingValue")]
    rating_value: &'static str,
    #[serde(rename = "bestRating")]
    best_rating: &'static str,
    #[serde(rename = "worstRating")]
    worst_rating: &'static str,
    #[serde(rename = "alternateName")]
    alternate_name: &'static str,
}

/// Claim `ci`'s `ClaimReview` (schema.org JSON-LD), safe to print inside a `<script>`
/// element as it is. `url` is the claim page's (absolute when `base_url` is).
pub(crate) fn claim_review(c: &Checked<'_>, ci: usize, url: &str) -> String {
    let site = &c.dossier.site;
    let cc = &c.claims[ci];
    // Each source article once, in the order first quoted.
    let seen = distinct(cc.quotes.iter().map(|q| q.source));
    let works: Vec<LdWork<'_>> = seen
        .iter()
        .map(|&si| {
            let a = c.sources[si].article;
            LdWork {
                kind: "CreativeWork",
                url: a.url.as_deref(),
                headline: &a.title,
                date_published: a.published.as_deref(),
                publisher: LdOrg {
                    kind: "Organization",
                    name: &a.outlet,
                    url: None,
                },
            }
        })
        .collect();
    // The earliest dated article is where the claim first appeared (of those quoted).
    let first = seen
        .iter()
        .zip(&works)
        .filter_map(|(&si, w)| {
            c.sources[si]
                .article
                .published
                .as_deref()
                .and_then(day)
                .map(|d| (d, w))
        })
        .min_by(|a, b| a.0.cmp(b.0))
        .map(|(_, w)| w.clone());
    let rating_value = match (cc.status, cc.single_origin()) {
        (crate::check::Status::Disputed, _) => "1",
        (crate::check::Status::SingleSource, _) | (_, true) => "2",
        (crate::check::Status::Corroborated, false) => "3",
    };
    let review = LdClaimReview {
        context: "https://schema.org",
        kind: "ClaimReview",
        url,
        claim_reviewed: &cc.claim.claim,
        item_reviewed: LdClaim {
            kind: "Claim",
            appearance: works,
            first_appearance: first,
        },
        author: LdOrg {
            kind: "Organization",
            name: &site.title,
            url: Some(&site.base_url),
        },
        review_rating: LdRating {
            kind: "Rating",
            rating_value,
            best_rating: "3",
            worst_rating: "1",
            alternate_name: rating(cc),
        },
        date_published: latest_day(c, cc),
    };
    script_safe(&serde_json::to_string_pretty(&review).unwrap_or_default())
}

/// The meta description of a claim's page: its rating, the claim and its sources' outlets.
pub(crate) fn claim_description(c: &Checked<'_>, ci: usize) -> String {
    let cc = &c.claims[ci];
    format!(
        "{}: \u{201C}{}\u{201D} Quotes from {}.",
        rating(cc),
        cc.claim.claim,
        outlets(c, cc).join(", ")
    )
}
