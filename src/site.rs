//! The site model: the third phase. Turns a [`Checked`] dossier into the list of pages, each
//! with the template that renders it and the data it shows, and the site's URLs.
//!
//! Everything a template prints is prepared here: escaped HTML fragments (Markdown notes,
//! quotes in their sentences, highlighted articles), labels and links. Templates only lay it
//! out. Page data never holds anything that changes when an unrelated claim changes (no
//! global counters or neighbours), so one edit changes only the pages that show it.

use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

use serde::Serialize;

use crate::anchor;
use crate::check::{
    Anchor, Checked, CheckedClaim, CheckedQuote, ConflictKind, Status, ValueFrom, topic_slug,
};
use crate::markdown::{self, Highlight, escape};
use crate::model::{Attribution, Stance, ValueKind};
use crate::revisions;
use crate::stances::StanceFrom;
use crate::{chart, values::Value};
use crate::{notes, origins, values};

/// The address of the "How to read this site" page, under the base URL.
pub const HOW_TO_READ: &str = "how-to-read/";

/// The most origins a claim page names.
const ORIGINS_SHOWN: usize = 6;
/// The most origins a claim's entry in a list names.
const ORIGINS_LISTED: usize = 2;

/// One page of the site.
pub struct Page {
    /// The output file, relative to the output folder: `claims/x/index.html`.
    pub path: String,
    /// Long runs of rendered items (see [`Items`]) that the page's data holds only as
    /// [`splice_marker`]s: the renderer puts them in place after rendering, so that a page
    /// listing 10,000 claims does not copy them through the template engine.
    pub splices: Vec<Vec<Arc<str>>>,
    /// The theme template that renders it.
    pub template: &'static str,
    pub data: PageData,
}

/// The data of each kind of page.
pub enum PageData {
    Index(IndexPage),
    Claim(ClaimPage),
    Sources(SourcesPage),
    Source(SourcePage),
    Discrepancies(DiscrepanciesPage),
    Topic(TopicPage),
    NotFound(Common),
    /// "How to read this site": what statuses, origins and labels mean.
    HowToRead(Common),
    ClaimItem(ClaimItem),
    DiscrepancyItem(DiscrepancyItem),
    PrecisionItem(PrecisionItem),
}

/// A claim's entry in the claim lists of the front page and topic pages
/// (`claim_item.html`).
#[derive(Serialize)]
pub struct ClaimItem {
    pub site: SiteInfo,
    pub c: ClaimRef,
}

/// A disputed claim's section on the discrepancies page (`discrepancy_item.html`).
#[derive(Serialize)]
pub struct DiscrepancyItem {
    pub site: SiteInfo,
    pub d: ClaimConflicts,
}

/// A claim whose values differ in precision only, on the discrepancies page
/// (`precision_item.html`).
#[derive(Serialize)]
pub struct PrecisionItem {
    pub site: SiteInfo,
    pub p: PrecisionView,
}

/// What the pages that list many claims show of each claim, each rendered by its own item
/// template one claim at a time, so that a rebuild renders only the claims that changed and
/// a page listing 10,000 claims is put together from the others as they were.
#[derive(Default)]
pub struct Items {
    /// Each claim's entry in claim lists (`claim_item.html`).
    pub entry: Vec<Arc<str>>,
    /// Each claim's section on the discrepancies page: disputed claims
    /// (`discrepancy_item.html`) and those that differ in precision only
    /// (`precision_item.html`).
    pub section: Vec<Option<Arc<str>>>,
}

/// What stands in a page's data for `splices[k]` (see [`Page::splices`]): private-use
/// characters around a name no text would hold, untouched by HTML escaping and by tidying.
pub(crate) fn splice_marker(k: usize) -> String {
    format!("\u{E000}dossier-splice-{k}\u{E000}")
}

/// Which item of a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ItemKind {
    Entry,
    Section,
}

/// What every page has.
#[derive(Serialize, Clone)]
pub struct Common {
    pub site: SiteInfo,
    /// The page's title (for `<title>` and the heading).
    pub title: String,
    /// Which navigation entry is current: index, sources, discrepancies, or none.
    pub section: &'static str,
    /// The page's URL.
    pub url: String,
    /// What the page is about, for `<meta name="description">` and Open Graph.
    pub meta_description: Option<String>,
    /// The page's absolute URL, for `<link rel="canonical">` and Open Graph: only when
    /// `base_url` is absolute, and not on the 404 page.
    pub canonical: Option<String>,
}

#[derive(Serialize, Clone)]
pub struct SiteInfo {
    pub title: String,
    pub base_url: String,
    pub language: String,
    /// Whether `base_url` is absolute: then the site has a feed and a sitemap.
    pub absolute: bool,
}

#[derive(Serialize, Clone)]
pub struct SourceRef {
    pub id: String,
    pub title: String,
    pub outlet: String,
    /// A short name for narrow places (the matrix's column headings): the outlet, "(later
    /// version)" for a revision, or the title shortened when the outlet is unknown.
    pub short: String,
    pub attribution: &'static str,
    pub published: Option<String>,
    pub published_label: Option<String>,
    /// "first version", "update", "update 2"… when the article is one of several versions
    /// of a report (`revision_of`).
    pub version_label: Option<String>,
    /// This source's page on the site.
    pub url: String,
    /// The article on the publisher's site.
    pub external_url: Option<String>,
}

#[derive(Serialize, Clone)]
pub struct ClaimRef {
    pub id: String,
    pub url: String,
    pub text: String,
    pub status: &'static str,
    /// What the badge says: the status, or "single origin" for a claim corroborated by
    /// outlets that all relay one party.
    pub status_label: &'static str,
    /// `single-origin`, or `None`.
    pub qualifier: Option<&'static str>,
    /// The badge's link: the status explained on the "How to read this site" page.
    pub status_url: String,
    /// Its support in short, for lists: "4 outlets, 1 origin: SBU"; `None` when nothing
    /// supports it.
    pub support: Option<String>,
    pub topic_title: Option<String>,
    pub topic_url: Option<String>,
    pub n_sources: usize,
}

#[derive(Serialize)]
pub struct Counts {
    pub claims: usize,
    pub sources: usize,
    pub quotes: usize,
    pub topics: usize,
    /// Conflicts: at most one of each kind (values, stances) per claim.
    pub conflicts: usize,
    /// Corroborated by two or more independent origins.
    pub corroborated: usize,
    /// Corroborated by several outlets that all have one origin.
    pub single_origin: usize,
    pub single_source: usize,
    pub disputed: usize,
}

#[derive(Serialize)]
pub struct TopicGroup {
    pub title: String,
    pub url: Option<String>,
    pub description_html: Option<String>,
    /// The number of claims in the group.
    pub count: usize,
    /// Their entries (`claim_item.html`), one after the other.
    pub claims_html: String,
}

#[derive(Serialize)]
pub struct Cell {
    /// supports, contradicts, mentions, or "" when the source does not speak to the claim.
    pub stance: &'static str,
    pub symbol: &'static str,
    pub label: String,
    pub url: Option<String>,
}

#[derive(Serialize)]
pub struct MatrixRow {
    pub claim: ClaimRef,
    pub cells: Vec<Cell>,
}

#[derive(Serialize)]
pub struct IndexPage {
    #[serde(flatten)]
    pub common: Common,
    pub description_html: Option<String>,
    pub counts: Counts,
    pub groups: Vec<TopicGroup>,
    /// The coverage matrix; `None` when too many sources are cited to show one.
    pub matrix: Option<Matrix>,
    /// The number of sources the matrix would need.
    pub matrix_width: usize,
}

/// A claims x sources table: which source supports, contradicts or mentions each claim.
#[derive(Serialize)]
pub struct Matrix {
    /// The columns: the sources cited by the claims shown, in source order.
    pub sources: Vec<SourceRef>,
    pub rows: Vec<MatrixRow>,
}

/// The most sources a coverage matrix shows; beyond it, a page shows none.
pub(crate) const MATRIX_MAX_SOURCES: usize = 40;

#[derive(Serialize, Clone)]
pub struct QuoteView {
    /// The id of this quote on the claim page.
    pub anchor: String,
    pub stance: &'static str,
    /// Why, when the stance is derived rather than written ("its value is incompatible with
    /// the claim's about 12,000").
    pub stance_note: Option<String>,
    pub via: Option<String>,
    pub value_label: Option<String>,
    /// The value was read from the quote (no `value:` was written).
    pub value_read: bool,
    /// How a relative date, a year-less date or an age was resolved, if it was.
    pub resolution: Option<String>,
    /// The quote as the curator wrote it.
    pub text: String,
    /// The surrounding sentence, with the quoted words in `<mark>`.
    pub context_html: String,
    /// The passage on this site's source page.
    pub passage_url: String,
    /// The passage on the publisher's site (a URL text fragment), where the article has a URL.
    pub external_url: Option<String>,
}

#[derive(Serialize)]
pub struct Column {
    pub anchor: String,
    pub source: SourceRef,
    pub quotes: Vec<QuoteView>,
}

#[derive(Serialize, Clone)]
pub struct Side {
    pub source: SourceRef,
    pub quote: QuoteView,
}

/// Where a claim's sources disagree: why they cannot all be right, said once per kind, and
/// a table of what each says (each quote once). The discrepancies page and the claim page's
/// "where the sources disagree" box show the same table.
#[derive(Serialize, Clone)]
pub struct DisputeView {
    /// Whether the sources disagree (else the view only shows corrections between versions).
    pub disputed: bool,
    /// Why the values cannot all be true, and (when a source takes a side on the claim
    /// without stating a value) why the sides cannot: the reason is said once, so a stance
    /// conflict between quotes that all state values is the values' conflict.
    pub reasons: Vec<Reason>,
    /// Values a later version of a report changed: "BBC News changed the value: 15 March
    /// 2025 in the first version, 14 March 2025 in the update."
    pub corrections: Vec<String>,
    /// The table of values (every quote that states one), then the table of stances (the
    /// quotes that take a side without stating a value), when there is one.
    pub tables: Vec<Table>,
    /// The interval chart of the values (inline SVG, see [`crate::chart`]), for quantities,
    /// dates and years that conflict.
    pub chart_html: Option<String>,
}

/// What each source says, for one kind of conflict.
#[derive(Serialize, Clone)]
pub struct Table {
    /// `values` or `stance`.
    pub kind: &'static str,
    /// The heading of the first column ("Value", "Stance").
    pub heading: &'static str,
    /// For values: the distinct values stated, each once, each with the sources that state
    /// it. For stances: supports, then contradicts.
    pub rows: Vec<Row>,
}

/// Why the quotes of a claim cannot all be right.
#[derive(Serialize, Clone)]
pub struct Reason {
    /// `values` or `stance`.
    pub kind: &'static str,
    pub text: String,
}

/// One row of a dispute table: a value (or a stance) and the sources that state it.
#[derive(Serialize, Clone)]
pub struct Row {
    /// The value as a reader reads it ("10,000–12,000 soldiers"), or the stance.
    pub label: String,
    /// The reports that state it: an outlet's versions of one report together.
    pub reports: Vec<Statement>,
}

/// The quotes of one report (a first version and its later versions) in a row.
#[derive(Serialize, Clone)]
pub struct Statement {
    /// The outlet of the report's first version quoted here.
    pub outlet: String,
    pub quotes: Vec<Stated>,
}

/// A quote in a dispute table.
#[derive(Serialize, Clone)]
pub struct Stated {
    pub source: SourceRef,
    pub quote: QuoteView,
    /// The quote on the claim's page (`#source-x--q-claim`).
    pub claim_anchor: String,
}

#[derive(Serialize)]
pub struct ClaimPage {
    #[serde(flatten)]
    pub common: Common,
    /// The claim's schema.org `ClaimReview`, as JSON safe inside a `<script>` element.
    pub json_ld: String,
    pub claim: ClaimRef,
    pub note_html: Option<String>,
    pub value_kind: Option<&'static str>,
    pub unit: Option<String>,
    /// The claim's own value as a reader reads it ("about 12,000 people").
    pub stated_label: Option<String>,
    pub supporting_outlets: usize,
    /// "1 origin: SBU", "2 independent origins: SBU, Newsweek"; `None` when nothing supports.
    pub origins_label: Option<String>,
    pub columns: Vec<Column>,
    /// Where the sources disagree; `None` when they do not.
    pub dispute: Option<DisputeView>,
    pub precision_only: bool,
}

#[derive(Serialize)]
pub struct SourceRow {
    pub source: SourceRef,
    pub revision_of: Option<SourceRef>,
    pub n_quotes: usize,
    pub n_claims: usize,
}

#[derive(Serialize)]
pub struct SourcesPage {
    #[serde(flatten)]
    pub common: Common,
    pub sources: Vec<SourceRow>,
}

#[derive(Serialize)]
pub struct Citation {
    pub claim: ClaimRef,
    pub stance: &'static str,
    /// The quote's anchor on this page.
    pub anchor: String,
    pub value_label: Option<String>,
}

#[derive(Serialize)]
pub struct SourcePage {
    #[serde(flatten)]
    pub common: Common,
    pub source: SourceRef,
    pub author: Option<String>,
    pub note_html: Option<String>,
    pub revision_of: Option<SourceRef>,
    /// Later versions, the next first.
    pub revisions: Vec<SourceRef>,
    /// What this version changed from the one it revises (`revision_of`); boxed, as most
    /// sources have none.
    pub revision: Option<Box<RevisionView>>,
    pub body_html: String,
    pub citations: Vec<Citation>,
}

/// What a later version of an article added, removed and changed, paragraph by paragraph
/// and word by word (see [`crate::revisions::diff`]).
#[derive(Serialize)]
pub struct RevisionView {
    /// The version it revises, and this one (each labelled: "first version", "update").
    pub earlier: SourceRef,
    pub later: SourceRef,
    /// "3 paragraphs added, 1 removed, 14 changed, 2 unchanged".
    pub summary: String,
    /// One `<p>` per paragraph (a run of unchanged ones is one line), `<ins>`/`<del>` inside.
    pub diff_html: String,
}

#[derive(Serialize)]
pub struct ClaimConflicts {
    pub claim: ClaimRef,
    pub note_html: Option<String>,
    pub dispute: DisputeView,
}

#[derive(Serialize)]
pub struct PrecisionView {
    pub claim: ClaimRef,
    pub sides: Vec<Side>,
}

#[derive(Serialize)]
pub struct DiscrepanciesPage {
    #[serde(flatten)]
    pub common: Common,
    /// The number of disputed claims, one line for each (linking to its section), and their
    /// sections (`discrepancy_item.html`).
    pub count: usize,
    pub toc: Vec<TocEntry>,
    pub claims_html: String,
    /// The number of claims whose values a later version of a report changed, with no
    /// conflict, and their sections (`correction_item.html`).
    pub corrected_count: usize,
    pub corrected_html: String,
    /// The number of claims that differ in precision only, and their sections
    /// (`precision_item.html`).
    pub precision_count: usize,
    pub precision_html: String,
}

/// A disputed claim's line in the list at the top of the discrepancies page.
#[derive(Serialize)]
pub struct TocEntry {
    /// The claim's id: its section is `#<id>`.
    pub id: String,
    pub text: String,
    /// What the sources disagree on, in a few words ("different dates").
    pub why: String,
}

/// Whether some value of `a` and some value of `b` can both be true, in n log n (never every
/// pair): for intervals, a sweep by lower end that keeps, for each side, the interval seen
/// so far reaching highest (an interval meets one of the other side that starts no later
/// exactly when it meets the one of them reaching highest); for texts, a shared text.
fn any_compatible(a: &[&Value], b: &[&Value]) -> bool {
    use std::cmp::Ordering;
    let texts = |v: &[&Value]| -> HashSet<String> {
        v.iter()
            .filter_map(|x| match x {
                Value::Text(t) => Some(t.clone()),
                Value::Interval { .. } => None,
            })
            .collect()
    };
    if !texts(a).is_disjoint(&texts(b)) {
        return true;
    }
    let lo_key = |v: &Value| match v {
        Value::Interval { lo: Some(l), .. } => (l.v, if l.inclusive { 0 } else { 1 }),
        _ => (f64::NEG_INFINITY, 0),
    };
    let hi_key = |v: &Value| match v {
        Value::Interval { hi: Some(h), .. } => (h.v, if h.inclusive { 0 } else { -1 }),
        _ => (f64::INFINITY, 0),
    };
    let cmp = |x: (f64, i32), y: (f64, i32)| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1));
    let mut all: Vec<(&Value, usize)> = a
        .iter()
        .map(|v| (*v, 0))
        .chain(b.iter().map(|v| (*v, 1)))
        .filter(|(v, _)| matches!(v, Value::Interval { .. }))
        .collect();
    all.sort_by(|x, y| cmp(lo_key(x.0), lo_key(y.0)));
    let mut highest: [Option<&Value>; 2] = [None, None];
    for (v, side) in all {
        if let Some(o) = highest[1 - side]
            && values::compatible(v, o)
        {
            return true;
        }
        let h = &mut highest[side];
        if h.is_none_or(|x| cmp(hi_key(v), hi_key(x)) == Ordering::Greater) {
            *h = Some(v);
        }
    }
    false
}

/// What a disputed claim's sources disagree on, in a few words.
fn toc_why(cc: &CheckedClaim<'_>) -> String {
    if !cc.conflicts.iter().any(|k| k.kind == ConflictKind::Values) {
        return "one source supports it, another contradicts it".to_string();
    }
    match cc.claim.value.as_ref().map(|v| v.kind) {
        Some(ValueKind::Date) => "different dates",
        Some(ValueKind::Year) => "years that do not overlap",
        Some(ValueKind::Text) => "different accounts",
        _ => "figures that do not overlap",
    }
    .to_string()
}

#[derive(Serialize)]
pub struct TopicPage {
    #[serde(flatten)]
    pub common: Common,
    pub description_html: Option<String>,
    /// The number of claims, and their entries (`claim_item.html`).
    pub count: usize,
    pub claims_html: String,
    pub matrix: Option<Matrix>,
    pub matrix_width: usize,
}

/// Which pages to build: all, or the pages of some claims, sources and topics (the front
/// page, the sources list, the discrepancies page and the 404 page are always built).
#[derive(Debug, Default)]
pub struct Selection {
    pub all: bool,
    /// Claim ids.
    pub claims: HashSet<String>,
    /// Source ids.
    pub sources: HashSet<String>,
    /// Topic page slugs.
    pub topics: HashSet<String>,
    /// Whether the sources list is as last built (then it is not built again).
    pub sources_list_unchanged: bool,
}

impl Selection {
    pub fn all() -> Selection {
        Selection {
            all: true,
            ..Selection::default()
        }
    }
}

/// Builds the selected pages of the site, given the rendered items of every claim (a build
/// without a session, for the benchmarks: `dossier build` renders each page as it is built).
pub fn build(c: &Checked<'_>, sel: &Selection, items: &Items) -> Vec<Page> {
    use rayon::prelude::*;
    let b = Builder::new(c);
    let mut pages = b.shared_pages(sel, items);
    let lazy: Vec<Page> = b.pages(sel).into_par_iter().map(|k| b.page(k)).collect();
    pages.extend(lazy);
    pages
}

/// One claim's or one source's page, to be built on demand.
#[derive(Clone, Copy, Debug)]
pub enum PageKey {
    Claim(usize),
    Source(usize),
}

/// Builds pages one at a time, so a build can render each page and drop its data before the
/// next (the data of 10,000 claim pages need not all be in memory at once).
pub struct Builder<'c, 'a> {
    m: Model<'c, 'a>,
}

impl<'c, 'a> Builder<'c, 'a> {
    pub fn new(c: &'c Checked<'a>) -> Self {
        Builder { m: Model::new(c) }
    }

    /// The pages that show many claims: front page, sources list, discrepancies, 404, and
    /// the selected topic pages. `items` are the rendered items of every claim.
    pub(crate) fn shared_pages(&self, sel: &Selection, items: &Items) -> Vec<Page> {
        let m = &self.m;
        let mut pages = vec![m.index_page(items)];
        if sel.all || !sel.sources_list_unchanged {
            pages.push(m.sources_page());
        }
        pages.extend([m.discrepancies_page(items), m.not_found(), m.how_to_read()]);
        pages.extend(m.topic_pages(sel, items));
        pages
    }

    /// For each source, what the sources list shows of its citations: (quotes, claims).
    pub(crate) fn citation_counts(&self) -> Vec<(usize, usize)> {
        (0..self.m.citing.len())
            .map(|i| self.m.citation_count(i))
            .collect()
    }

    /// Whether claim `ci` has an item of this kind.
    pub fn has_item(&self, ci: usize, kind: ItemKind) -> bool {
        let cc = &self.m.c.claims[ci];
        match kind {
            ItemKind::Entry => true,
            ItemKind::Section => {
                !cc.conflicts.is_empty() || !cc.corrections.is_empty() || cc.precision_only
            }
        }
    }

    /// The data of one claim's item, as a page to render (its `path` only names it).
    pub fn item(&self, ci: usize, kind: ItemKind) -> Page {
        let m = &self.m;
        let cc = &m.c.claims[ci];
        let site = m.site.clone();
        let (template, data) = match kind {
            ItemKind::Entry => (
                "claim_item.html",
                PageData::ClaimItem(ClaimItem {
                    site,
                    c: m.claim_ref(ci).clone(),
                }),
            ),
            ItemKind::Section if !cc.conflicts.is_empty() || !cc.corrections.is_empty() => (
                if cc.conflicts.is_empty() {
                    "correction_item.html"
                } else {
                    "discrepancy_item.html"
                },
                PageData::DiscrepancyItem(DiscrepancyItem {
                    site,
                    d: ClaimConflicts {
                        claim: m.claim_ref(ci).clone(),
                        note_html: cc.claim.note.as_deref().map(|n| m.note_html(n)),
                        dispute: m.dispute_view(cc),
                    },
                }),
            ),
            ItemKind::Section => (
                "precision_item.html",
                PageData::PrecisionItem(PrecisionItem {
                    site,
                    p: PrecisionView {
                        claim: m.claim_ref(ci).clone(),
                        sides: cc
                            .quotes
                            .iter()
                            .filter(|q| q.value.is_some())
                            .map(|q| Side {
                                source: m.sources[q.source].clone(),
                                quote: m.quote_view(cc, q, String::new()),
                            })
                            .collect(),
                    },
                }),
            ),
        };
        Page {
            path: format!("the list entry of claim `{}`", cc.claim.id),
            splices: Vec::new(),
            template,
            data,
        }
    }

    /// The selected claim and source pages, to build with [`Builder::page`].
    pub fn pages(&self, sel: &Selection) -> Vec<PageKey> {
        let c = self.m.c;
        let claims = (0..c.claims.len())
            .filter(|&ci| sel.all || sel.claims.contains(&c.claims[ci].claim.id))
            .map(PageKey::Claim);
        let sources = (0..c.sources.len())
            .filter(|&i| sel.all || sel.sources.contains(&c.sources[i].article.id))
            .map(PageKey::Source);
        claims.chain(sources).collect()
    }

    pub fn page(&self, key: PageKey) -> Page {
        match key {
            PageKey::Claim(i) => self.m.claim_page(i),
            PageKey::Source(i) => self.m.source_page(i),
        }
    }
}

struct Model<'c, 'a> {
    c: &'c Checked<'a>,
    site: SiteInfo,
    base: String,
    sources: Vec<SourceRef>,
    /// Each claim's reference, made when first needed.
    claims: Vec<OnceLock<ClaimRef>>,
    /// For each source: the (claim, quote) index pairs that quote it, in claim order.
    citing: Vec<Vec<(usize, usize)>>,
    /// What notes' references link to.
    targets: notes::Targets<'c>,
    /// The site's description as plain text (Markdown removed), for meta descriptions.
    description: Option<String>,
}

fn stance_symbol(s: Stance) -> &'static str {
    match s {
        Stance::Supports => "●",
        Stance::Contradicts => "✕",
        Stance::Mentions => "○",
    }
}

/// The value a quote states, as a reader reads it ("about 12,000 soldiers"), if it states one.
fn value_label(cc: &CheckedClaim<'_>, q: &CheckedQuote<'_>) -> Option<String> {
    match (&q.written, &cc.claim.value) {
        (Some(raw), Some(spec)) => Some(values::describe(spec.kind, raw, spec.unit.as_deref())),
        _ => None,
    }
}

/// The claim's own value as a reader reads it ("about 12,000 people").
fn stated_label(cc: &CheckedClaim<'_>) -> Option<String> {
    let spec = cc.claim.value.as_ref()?;
    let (raw, _) = spec.stated.as_ref()?;
    cc.value.as_ref()?;
    Some(values::describe(spec.kind, raw, spec.unit.as_deref()))
}

/// Why a quote stands where it does, when that was derived rather than written.
fn stance_note(cc: &CheckedClaim<'_>, q: &CheckedQuote<'_>) -> Option<String> {
    match q.stance_from {
        StanceFrom::Value => {
            let claim = stated_label(cc)?;
            Some(match q.stance {
                Stance::Contradicts => {
                    format!("its value is incompatible with the claim\u{2019}s {claim}")
                }
                _ => format!("its value is compatible with the claim\u{2019}s {claim}"),
            })
        }
        StanceFrom::Unresolved => Some(
            "the sources\u{2019} values disagree and the claim states no value of its own, so this quote is counted neither for nor against it".to_string(),
        ),
        StanceFrom::Written | StanceFrom::Default => None,
    }
}

/// A text cut to its first words, at most `max` characters (and the first word whole), with
/// "…" when cut: a citation mark inside an article does not wrap, so it must stay narrow.
fn first_words(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut n = 0;
    for w in text.split_whitespace() {
        let len = w.chars().count();
        if !out.is_empty() && n + 1 + len > max {
            out.push('\u{2026}');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
            n += 1;
        }
        out.push_str(w);
        n += len;
    }
    out
}

/// A claim's text cut for a citation mark inside an article (no wider than the ids shown
/// there before).
fn short_claim(text: &str) -> String {
    first_words(text, 24)
}

/// A source's short name ([`SourceRef::short`]): made from the source and its first
/// version only (what its fingerprint holds), never from other sources.
fn short_source(s: &crate::check::Source<'_>) -> String {
    let a = s.article;
    let name = match a.attribution {
        Attribution::Unknown => first_words(&a.title, 36),
        _ => a.outlet.clone(),
    };
    if s.root_id != a.id {
        format!("{name} (later version)")
    } else {
        name
    }
}

/// Percent-encodes a text-fragment term: everything but unreserved characters, so `-`, `,`
/// and `&` (which have meaning in `#:~:text=`) are encoded too.
pub(crate) fn encode_fragment_term(s: &str) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    const SET: &percent_encoding::AsciiSet =
        &NON_ALPHANUMERIC.remove(b'.').remove(b'_').remove(b'~');
    let folded: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    utf8_percent_encode(&folded, SET).to_string()
}

/// A URL text fragment for a passage: the whole passage when short, else its first and last
/// words (`#:~:text=start,end`).
pub(crate) fn text_fragment(url: &str, first: &str, last: &str) -> String {
    let base = url.split("#").next().unwrap_or(url);
    let words = |s: &str| s.split_whitespace().count();
    const SHORT: usize = 8;
    let (start, end) = if first == last && words(first) <= SHORT {
        (first.to_string(), None)
    } else {
        let fw: Vec<&str> = first.split_whitespace().collect();
        let lw: Vec<&str> = last.split_whitespace().collect();
        let start = fw[..fw.len().min(4)].join(" ");
        let end = lw[lw.len().saturating_sub(4)..].join(" ");
        (start, Some(end))
    };
    match end {
        Some(e) => format!(
            "{base}#:~:text={},{}",
            encode_fragment_term(&start),
            encode_fragment_term(&e)
        ),
        None => format!("{base}#:~:text={}", encode_fragment_term(&start)),
    }
}

impl<'c, 'a> Model<'c, 'a> {
    fn new(c: &'c Checked<'a>) -> Self {
        let d = c.dossier;
        let base = d.site.base_url.clone();
        let site = SiteInfo {
            title: d.site.title.clone(),
            base_url: base.clone(),
            language: d.site.language.clone(),
            absolute: crate::data::is_absolute(&base),
        };
        let sources = c
            .sources
            .iter()
            .map(|s| {
                let a = s.article;
                SourceRef {
                    id: a.id.clone(),
                    title: a.title.clone(),
                    outlet: a.outlet.clone(),
                    short: short_source(s),
                    attribution: a.attribution.as_str(),
                    published: a.published.clone(),
                    published_label: a.published.as_deref().map(|p| {
                        let day = p.split(['T', ' ']).next().unwrap_or(p);
                        values::describe(ValueKind::Date, day, None)
                    }),
                    version_label: revisions::version_label(s.version, revisions::has_versions(s)),
                    url: format!("{base}sources/{}/", a.id),
                    external_url: a.url.clone(),
                }
            })
            .collect();
        let mut citing = vec![Vec::new(); c.sources.len()];
        for (ci, cc) in c.claims.iter().enumerate() {
            for (qi, q) in cc.quotes.iter().enumerate() {
                citing[q.source].push((ci, qi));
            }
        }
        Model {
            c,
            site,
            base,
            sources,
            claims: (0..c.claims.len()).map(|_| OnceLock::new()).collect(),
            citing,
            targets: notes::Targets::new(d),
            description: d.site.description.as_deref().map(|md| {
                let plain = crate::check::Parsed::new(md).doc.plain;
                plain.split_whitespace().collect::<Vec<_>>().join(" ")
            }),
        }
    }

    /// A curator's note as HTML, its references to claims and sources resolved.
    fn note_html(&self, md: &str) -> String {
        notes::to_html(&self.targets, &self.base, md)
    }

    /// Claim `ci`'s reference.
    fn claim_ref(&self, ci: usize) -> &ClaimRef {
        self.claims[ci].get_or_init(|| self.make_claim_ref(&self.c.claims[ci]))
    }

    fn common(&self, title: &str, section: &'static str, path: &str) -> Common {
        let url = format!("{}{path}", self.base);
        Common {
            site: self.site.clone(),
            title: title.to_string(),
            section,
            meta_description: self.description.clone(),
            canonical: (self.site.absolute && path != "404.html").then(|| url.clone()),
            url,
        }
    }

    fn topic(&self, t: &str) -> (String, String) {
        let d = self.c.dossier;
        let slug = topic_slug(d, t);
        let title = d
            .site
            .topics
            .iter()
            .find(|x| x.id == t)
            .map(|x| x.title.clone())
            .unwrap_or_else(|| t.to_string());
        (title, format!("{}topics/{slug}/", self.base))
    }

    fn make_claim_ref(&self, cc: &CheckedClaim<'_>) -> ClaimRef {
        let c = cc.claim;
        let (topic_title, topic_url) = match &c.topic {
            Some(t) => {
                let (title, url) = self.topic(t);
                (Some(title), Some(url))
            }
            None => (None, None),
        };
        let mut srcs: Vec<usize> = cc.quotes.iter().map(|q| q.source).collect();
        srcs.sort_unstable();
        srcs.dedup();
        let single_origin = cc.single_origin();
        ClaimRef {
            id: c.id.clone(),
            url: format!("{}claims/{}/", self.base, c.id),
            text: c.claim.clone(),
            status: cc.status.as_str(),
            status_label: if single_origin {
                "single origin"
            } else {
                cc.status.label()
            },
            qualifier: single_origin.then_some("single-origin"),
            support: (!cc.origins.is_empty()).then(|| {
                let n = cc.supporting_outlets;
                format!(
                    "{n} outlet{}, {}",
                    if n == 1 { "" } else { "s" },
                    origins::describe(&cc.origins, ORIGINS_LISTED)
                )
            }),
            status_url: format!(
                "{}{HOW_TO_READ}#status-{}",
                self.base,
                if single_origin {
                    "single-origin"
                } else {
                    cc.status.as_str()
                }
            ),
            topic_title,
            topic_url,
            n_sources: srcs.len(),
        }
    }

    fn quote_view(
        &self,
        cc: &CheckedClaim<'_>,
        q: &CheckedQuote<'_>,
        anchor_id: String,
    ) -> QuoteView {
        let src = &self.c.sources[q.source];
        let (context_html, external_url) = match &q.anchor {
            Some(a) => self.context(q.source, a),
            None => (escape(&q.quote.text), None),
        };
        let value_label = value_label(cc, q);
        QuoteView {
            anchor: anchor_id,
            stance: q.stance.as_str(),
            stance_note: stance_note(cc, q),
            via: q.quote.via.clone(),
            value_read: value_label.is_some() && q.value_from == ValueFrom::ReadFromText,
            resolution: value_label.as_ref().and(q.resolution.clone()),
            value_label,
            text: q.quote.text.clone(),
            context_html,
            passage_url: format!("{}sources/{}/#{}", self.base, src.article.id, q.mark_id),
            external_url,
        }
    }

    /// The quote in its sentence, as HTML with the quoted words marked, and the text-fragment
    /// link to the publisher's page.
    fn context(&self, si: usize, a: &Anchor) -> (String, Option<String>) {
        let src = &self.c.sources[si];
        let plain = &src.parsed.doc.plain;
        let block = src.parsed.doc.blocks[a.block].clone();
        let text = &plain[block.clone()];
        let rel = |r: &std::ops::Range<usize>| r.start - block.start..r.end - block.start;
        let first = rel(&a.parts[0]);
        let last = rel(&a.parts[a.parts.len() - 1]);
        let sentence = anchor::sentence_around(text, first.start..last.end);
        let mut html = String::new();
        let mut at = sentence.start;
        for p in &a.parts {
            let p = rel(p);
            html.push_str(&escape(&text[at..p.start]));
            html.push_str("<mark>");
            html.push_str(&escape(&text[p.clone()]));
            html.push_str("</mark>");
            at = p.end;
        }
        html.push_str(&escape(&text[at..sentence.end]));
        let external = src
            .article
            .url
            .as_deref()
            .map(|u| text_fragment(u, &text[first.clone()], &text[last.clone()]));
        (html, external)
    }

    fn column_anchor(&self, si: usize) -> String {
        format!("source-{}", self.c.sources[si].article.id)
    }

    /// Why the claim's sources disagree, and the table of what each says: linear in the
    /// quotes (each appears once, in the row of its value or its stance).
    fn dispute_view(&self, cc: &CheckedClaim<'_>) -> DisputeView {
        let kind = cc.claim.value.as_ref().map(|v| v.kind);
        let unit = cc.claim.value.as_ref().and_then(|v| v.unit.as_deref());
        let describe = |q: &CheckedQuote<'_>| {
            let raw = q.written.as_deref().unwrap_or("");
            let d = kind
                .map(|k| values::describe(k, raw, unit))
                .unwrap_or_default();
            match kind {
                Some(ValueKind::Text) => format!("\u{201C}{d}\u{201D}"),
                _ => d,
            }
        };
        // Readers see outlets; titles too when the two sources named share an outlet.
        let names = |a: &CheckedQuote<'_>, b: &CheckedQuote<'_>| {
            let (sa, sb) = (&self.sources[a.source], &self.sources[b.source]);
            if sa.outlet == sb.outlet {
                (
                    format!("{} (\u{201C}{}\u{201D})", sa.outlet, sa.title),
                    format!("{} (\u{201C}{}\u{201D})", sb.outlet, sb.title),
                )
            } else {
                (sa.outlet.clone(), sb.outlet.clone())
            }
        };
        let mut view = DisputeView {
            disputed: !cc.conflicts.is_empty(),
            reasons: Vec::new(),
            corrections: Vec::new(),
            tables: Vec::new(),
            chart_html: None,
        };
        let value_conflict = cc.conflicts.iter().any(|k| k.kind == ConflictKind::Values);
        if value_conflict || !cc.corrections.is_empty() {
            // Every quote that states a value, in the row of its value.
            view.tables.push(Table {
                kind: "values",
                heading: "Value",
                rows: cc
                    .values
                    .iter()
                    .map(|g| Row {
                        label: describe(&cc.quotes[g.quotes[0]]),
                        reports: self.reports(cc, &g.quotes),
                    })
                    .collect(),
            });
        }
        for k in &cc.corrections {
            let (qa, qb) = (&cc.quotes[k.from], &cc.quotes[k.to]);
            let (sa, sb) = (&self.sources[qa.source], &self.sources[qb.source]);
            let label = |s: &SourceRef| s.version_label.clone().unwrap_or_default();
            view.corrections.push(format!(
                "{} changed the value: {} in the {}, {} in the {}.",
                sa.outlet,
                describe(qa),
                label(sa),
                describe(qb),
                label(sb)
            ));
        }
        if value_conflict && let Some(kind) = kind {
            view.chart_html = self.chart(cc, kind, &describe);
        }
        for k in &cc.conflicts {
            let (qa, qb) = (&cc.quotes[k.a], &cc.quotes[k.b]);
            let (na, nb) = names(qa, qb);
            match k.kind {
                ConflictKind::Values => {
                    let why = match kind {
                        Some(ValueKind::Text) => "different accounts",
                        Some(ValueKind::Date) => "different dates",
                        Some(ValueKind::Year) => "the years do not overlap",
                        _ => "the ranges do not overlap, so both cannot be true",
                    };
                    let n = cc.values.len();
                    let lead = if n > 2 {
                        format!("{n} different values are stated and they cannot all be true: ")
                    } else {
                        String::new()
                    };
                    view.reasons.push(Reason {
                        kind: "values",
                        text: format!(
                            "{lead}{na} gives {}; {nb} gives {}: {why}",
                            describe(qa),
                            describe(qb)
                        ),
                    });
                }
                ConflictKind::Stance => {
                    let of = |st: Stance| -> Vec<usize> {
                        (0..cc.quotes.len())
                            .filter(|&i| cc.quotes[i].stance == st)
                            .collect()
                    };
                    let (sup, con) = (of(Stance::Supports), of(Stance::Contradicts));
                    // Reports, not articles: an outlet's versions of one report count once.
                    let count = |qs: &[usize]| {
                        let mut s: Vec<&str> = qs
                            .iter()
                            .map(|&i| self.c.sources[cc.quotes[i].source].root_id)
                            .collect();
                        s.sort_unstable();
                        s.dedup();
                        s.len()
                    };
                    let (ns, nc) = (count(&sup), count(&con));
                    // Whether no supporting value is compatible with a contradicting one: then
                    // the sides are the values' disagreement, which its reason says.
                    let explained = {
                        let vals = |qs: &[usize]| -> Vec<&Value> {
                            qs.iter()
                                .filter_map(|&i| cc.quotes[i].value.as_ref())
                                .collect()
                        };
                        // Stances derived from the claim's own value are explained by it: the
                        // page says the claim's value and that incompatible values contradict.
                        let derived = sup.iter().chain(&con).all(|&i| {
                            cc.quotes[i].value.is_none()
                                || cc.quotes[i].stance_from == crate::stances::StanceFrom::Value
                        });
                        derived || !any_compatible(&vals(&sup), &vals(&con))
                    };
                    // Each quote once: those in the table of values show their stance there.
                    let shown = |qs: Vec<usize>| -> Vec<usize> {
                        match view.tables.first() {
                            Some(_) => qs
                                .into_iter()
                                .filter(|&i| cc.quotes[i].value.is_none())
                                .collect(),
                            None => qs,
                        }
                    };
                    let (sup, con) = (shown(sup), shown(con));
                    // Every side is taken by a quote that states a value (none is left to
                    // show in a table of stances), and the values explain the sides.
                    if value_conflict && explained && sup.is_empty() && con.is_empty() {
                        continue;
                    }
                    let text = if ns == 1 && nc == 1 {
                        format!("{na} supports the claim; {nb} contradicts it")
                    } else {
                        format!(
                            "{ns} report{} support{} the claim and {nc} contradict{} it; for instance, {na} supports the claim and {nb} contradicts it",
                            if ns == 1 { "" } else { "s" },
                            if ns == 1 { "s" } else { "" },
                            if nc == 1 { "s" } else { "" },
                        )
                    };
                    view.reasons.push(Reason {
                        kind: "stance",
                        text,
                    });
                    let rows: Vec<Row> = [("supports the claim", sup), ("contradicts it", con)]
                        .into_iter()
                        .filter(|(_, qs)| !qs.is_empty())
                        .map(|(label, qs)| Row {
                            label: label.to_string(),
                            reports: self.reports(cc, &qs),
                        })
                        .collect();
                    if !rows.is_empty() {
                        view.tables.push(Table {
                            kind: "stance",
                            heading: "Stance",
                            rows,
                        });
                    }
                }
            }
        }
        view
    }

    /// The quotes `qs` (indices in the claim's quotes) grouped by report, in the order each
    /// report is first quoted: an outlet's versions of one report together.
    fn reports(&self, cc: &CheckedClaim<'_>, qs: &[usize]) -> Vec<Statement> {
        let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        let mut out: Vec<Statement> = Vec::new();
        for i in self.by_report(cc, qs) {
            let q = &cc.quotes[i];
            let root = self.c.sources[q.source].root_id;
            let r = *at.entry(root).or_insert_with(|| {
                out.push(Statement {
                    outlet: self.sources[q.source].outlet.clone(),
                    quotes: Vec::new(),
                });
                out.len() - 1
            });
            let anchor = self.column_anchor(q.source);
            out[r].quotes.push(Stated {
                source: self.sources[q.source].clone(),
                quote: self.quote_view(cc, q, String::new()),
                claim_anchor: format!("{anchor}--{}", q.mark_id),
            });
        }
        out
    }

    /// The quotes `qs` with each report's together, in the order each report is first
    /// quoted, and its versions in order, the first version first (a stable sort keeps the
    /// quotes of one version in file order).
    fn by_report(&self, cc: &CheckedClaim<'_>, qs: &[usize]) -> Vec<usize> {
        let mut qs = qs.to_vec();
        let mut first_seen: std::collections::HashMap<&str, usize> =
            std::collections::HashMap::new();
        for (k, &i) in qs.iter().enumerate() {
            first_seen
                .entry(self.c.sources[cc.quotes[i].source].root_id)
                .or_insert(k);
        }
        qs.sort_by_key(|&i| {
            let s = &self.c.sources[cc.quotes[i].source];
            (first_seen[s.root_id], s.version)
        });
        qs
    }

    /// The interval chart of a claim's values: one bar per source and value, in the order
    /// of the table (values from the lowest up, an outlet's versions together).
    fn chart(
        &self,
        cc: &CheckedClaim<'_>,
        kind: ValueKind,
        describe: &dyn Fn(&CheckedQuote<'_>) -> String,
    ) -> Option<String> {
        // Outlets that more than one report of this claim share: their bars name the title.
        let mut reports: HashSet<(&str, &str)> = HashSet::new();
        let mut reports_of: std::collections::HashMap<&str, usize> =
            std::collections::HashMap::new();
        for q in &cc.quotes {
            let outlet = self.sources[q.source].outlet.as_str();
            if reports.insert((outlet, self.c.sources[q.source].root_id)) {
                *reports_of.entry(outlet).or_default() += 1;
            }
        }
        if cc.values.len() > chart::MAX_BARS {
            // Too many to draw (at least one bar per value): the table stays.
            return None;
        }
        let mut bars: Vec<chart::Bar<'_>> = Vec::new();
        for g in &cc.values {
            let mut seen: HashSet<usize> = HashSet::new();
            let value: &Value = &g.value;
            for i in self.by_report(cc, &g.quotes) {
                let q = &cc.quotes[i];
                if !seen.insert(q.source) {
                    continue;
                }
                let src = &self.sources[q.source];
                let mut who = src.outlet.clone();
                if reports_of.get(src.outlet.as_str()).is_some_and(|&n| n > 1) {
                    who.push_str(&format!(" (\u{201C}{}\u{201D})", src.title));
                }
                if let Some(v) = &src.version_label {
                    who.push_str(&format!(", {v}"));
                }
                bars.push(chart::Bar {
                    who,
                    label: describe(q),
                    value,
                });
                if bars.len() > chart::MAX_BARS {
                    return None;
                }
            }
        }
        chart::svg(&cc.claim.id, kind, &bars)
    }

    fn claim_page(&self, ci: usize) -> Page {
        let cc = &self.c.claims[ci];
        let c = cc.claim;
        let mut columns: Vec<Column> = Vec::new();
        // The column of each source, by source index (not searched per quote).
        let mut column_of: std::collections::HashMap<usize, usize> =
            std::collections::HashMap::new();
        for q in &cc.quotes {
            let anchor = self.column_anchor(q.source);
            // `--` cannot occur in an id: the two ids stay apart.
            let view = self.quote_view(cc, q, format!("{anchor}--{}", q.mark_id));
            match column_of.get(&q.source) {
                Some(&k) => columns[k].quotes.push(view),
                None => {
                    column_of.insert(q.source, columns.len());
                    columns.push(Column {
                        anchor,
                        source: self.sources[q.source].clone(),
                        quotes: vec![view],
                    });
                }
            }
        }
        let claim = self.claim_ref(ci).clone();
        let mut common = self.common(&c.claim, "claims", &format!("claims/{}/", c.id));
        common.meta_description = Some(crate::data::claim_description(self.c, ci));
        let json_ld = crate::data::claim_review(self.c, ci, &common.url);
        Page {
            path: format!("claims/{}/index.html", c.id),
            splices: Vec::new(),
            template: "claim.html",
            data: PageData::Claim(ClaimPage {
                common,
                json_ld,
                claim,
                note_html: c.note.as_deref().map(|n| self.note_html(n)),
                value_kind: c.value.as_ref().map(|v| v.kind.as_str()),
                unit: c.value.as_ref().and_then(|v| v.unit.clone()),
                stated_label: stated_label(cc),
                supporting_outlets: cc.supporting_outlets,
                origins_label: (!cc.origins.is_empty())
                    .then(|| origins::describe(&cc.origins, ORIGINS_SHOWN)),
                columns,
                dispute: (!cc.conflicts.is_empty() || !cc.corrections.is_empty())
                    .then(|| self.dispute_view(cc)),
                precision_only: cc.precision_only,
            }),
        }
    }

    fn index_page(&self, items: &Items) -> Page {
        let d = self.c.dossier;
        let mut groups: Vec<TopicGroup> = d
            .site
            .topics
            .iter()
            .map(|t| TopicGroup {
                title: t.title.clone(),
                url: Some(format!("{}topics/{}/", self.base, t.id)),
                description_html: t.description.as_deref().map(markdown::to_html),
                count: 0,
                claims_html: String::new(),
            })
            .collect();
        // Group of each topic named by claims (declared topics first, in their order).
        let mut group_of: std::collections::HashMap<&str, usize> = d
            .site
            .topics
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        let mut unsorted = TopicGroup {
            title: "Other claims".to_string(),
            url: None,
            description_html: None,
            count: 0,
            claims_html: String::new(),
        };
        // Each group's entries (the last for the unsorted claims).
        let mut pieces: Vec<Vec<Arc<str>>> = vec![Vec::new(); groups.len()];
        let mut unsorted_pieces: Vec<Arc<str>> = Vec::new();
        for (ci, cc) in self.c.claims.iter().enumerate() {
            let (g, p) = match &cc.claim.topic {
                Some(t) => {
                    let at = match group_of.get(t.as_str()) {
                        Some(&at) => at,
                        None => {
                            let (title, url) = self.topic(t);
                            // Two undeclared topics can share a page (same slug).
                            let at = match groups
                                .iter()
                                .position(|g| g.url.as_deref() == Some(url.as_str()))
                            {
                                Some(at) => at,
                                None => {
                                    groups.push(TopicGroup {
                                        title,
                                        url: Some(url),
                                        description_html: None,
                                        count: 0,
                                        claims_html: String::new(),
                                    });
                                    pieces.push(Vec::new());
                                    groups.len() - 1
                                }
                            };
                            group_of.insert(t, at);
                            at
                        }
                    };
                    (&mut groups[at], &mut pieces[at])
                }
                None => (&mut unsorted, &mut unsorted_pieces),
            };
            g.count += 1;
            p.push(items.entry[ci].clone());
        }
        if unsorted.count > 0 {
            groups.push(unsorted);
            pieces.push(unsorted_pieces);
        }
        let mut splices = Vec::new();
        let mut kept = Vec::new();
        for (mut g, p) in groups.into_iter().zip(pieces) {
            if g.count > 0 {
                g.claims_html = splice_marker(splices.len());
                splices.push(p);
                kept.push(g);
            }
        }
        let groups = kept;
        let n_topics = groups.iter().filter(|g| g.url.is_some()).count();
        let all: Vec<usize> = (0..self.c.claims.len()).collect();
        let (matrix, matrix_width) = self.matrix(&all);
        let count = |s: Status| self.c.claims.iter().filter(|c| c.status == s).count();
        let counts = Counts {
            claims: self.c.claims.len(),
            sources: self.c.sources.len(),
            quotes: self.c.claims.iter().map(|c| c.quotes.len()).sum(),
            topics: n_topics,
            conflicts: self.c.claims.iter().map(|c| c.conflicts.len()).sum(),
            corroborated: self
                .c
                .claims
                .iter()
                .filter(|c| c.status == Status::Corroborated && !c.single_origin())
                .count(),
            single_origin: self.c.claims.iter().filter(|c| c.single_origin()).count(),
            single_source: count(Status::SingleSource),
            disputed: count(Status::Disputed),
        };
        Page {
            path: "index.html".to_string(),
            splices,
            template: "index.html",
            data: PageData::Index(IndexPage {
                common: self.common(&d.site.title, "index", ""),
                description_html: d.site.description.as_deref().map(markdown::to_html),
                counts,
                groups,
                matrix,
                matrix_width,
            }),
        }
    }

    /// The coverage matrix of some claims (indices into the claims), with the number of
    /// sources it needs; `None` when that is more than [`MATRIX_MAX_SOURCES`].
    fn matrix(&self, claims: &[usize]) -> (Option<Matrix>, usize) {
        let mut cited = vec![false; self.c.sources.len()];
        for &ci in claims {
            for q in &self.c.claims[ci].quotes {
                cited[q.source] = true;
            }
        }
        let mut columns: Vec<usize> = (0..cited.len()).filter(|&i| cited[i]).collect();
        columns.sort_by(|&a, &b| self.source_order_key(a).cmp(&self.source_order_key(b)));
        if columns.len() > MATRIX_MAX_SOURCES {
            return (None, columns.len());
        }
        let rows = claims
            .iter()
            .map(|&ci| {
                let cc = &self.c.claims[ci];
                let r = self.claim_ref(ci);
                MatrixRow {
                    claim: r.clone(),
                    cells: columns
                        .iter()
                        .map(|&si| {
                            // The strongest stance this source takes: contradicts > supports > mentions.
                            let stance = cc
                                .quotes
                                .iter()
                                .filter(|q| q.source == si)
                                .map(|q| q.stance)
                                .min_by_key(|s| match s {
                                    Stance::Contradicts => 0,
                                    Stance::Supports => 1,
                                    Stance::Mentions => 2,
                                });
                            match stance {
                                Some(s) => Cell {
                                    stance: s.as_str(),
                                    symbol: stance_symbol(s),
                                    label: format!("{}: {}", self.sources[si].short, s.as_str()),
                                    url: Some(format!("{}#{}", r.url, self.column_anchor(si))),
                                },
                                None => Cell {
                                    stance: "",
                                    symbol: "",
                                    label: format!("{}: not cited", self.sources[si].short),
                                    url: None,
                                },
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        let sources = columns.iter().map(|&i| self.sources[i].clone()).collect();
        (
            Some(Matrix { sources, rows }),
            cited.iter().filter(|c| **c).count(),
        )
    }

    fn topic_pages(&self, sel: &Selection, items: &Items) -> Vec<Page> {
        let d = self.c.dossier;
        // (slug, claims), in order of first appearance.
        let mut members: Vec<(String, Vec<usize>)> = Vec::new();
        let mut slot: std::collections::HashMap<&str, Option<usize>> =
            std::collections::HashMap::new();
        for (ci, cc) in self.c.claims.iter().enumerate() {
            let Some(t) = &cc.claim.topic else { continue };
            let at = *slot.entry(t.as_str()).or_insert_with(|| {
                let slug = topic_slug(d, t);
                if !sel.all && !sel.topics.contains(&slug) {
                    return None;
                }
                Some(match members.iter().position(|(s, _)| *s == slug) {
                    Some(at) => at,
                    None => {
                        members.push((slug, Vec::new()));
                        members.len() - 1
                    }
                })
            });
            if let Some(at) = at {
                members[at].1.push(ci);
            }
        }
        members
            .into_iter()
            .map(|(slug, claims)| {
                let t = self.c.claims[claims[0]]
                    .claim
                    .topic
                    .as_deref()
                    .unwrap_or("");
                let (title, _) = self.topic(t);
                let def = d.site.topics.iter().find(|x| x.id == t);
                let entries = claims.iter().map(|&ci| items.entry[ci].clone()).collect();
                let (matrix, matrix_width) = self.matrix(&claims);
                Page {
                    path: format!("topics/{slug}/index.html"),
                    splices: vec![entries],
                    template: "topic.html",
                    data: PageData::Topic(TopicPage {
                        common: self.common(&title, "index", &format!("topics/{slug}/")),
                        description_html: def
                            .and_then(|x| x.description.as_deref())
                            .map(markdown::to_html),
                        count: claims.len(),
                        claims_html: splice_marker(0),
                        matrix,
                        matrix_width,
                    }),
                }
            })
            .collect()
    }

    /// How often source `si` is cited: (quotes, claims). `citing` is in claim order.
    fn citation_count(&self, si: usize) -> (usize, usize) {
        let citing = &self.citing[si];
        let claims = citing
            .iter()
            .enumerate()
            .filter(|(k, (ci, _))| *k == 0 || citing[k - 1].0 != *ci)
            .count();
        (citing.len(), claims)
    }

    /// Where source `i` stands in lists of sources: by the id of its report's first version,
    /// then its versions in order (the first version first), then by id; so an update
    /// (`tribune-update`) follows its original (`tribune`) whatever their ids. Made only of
    /// what the source's own fingerprint holds (its id, its first version's id and which
    /// version it is), so a page listing sources is rebuilt whenever their order can change.
    fn source_order_key(&self, i: usize) -> (&str, usize, &str) {
        let s = &self.c.sources[i];
        (s.root_id, s.version, s.article.id.as_str())
    }

    /// Every source, in the order of lists of sources ([`Self::source_order_key`]).
    fn sources_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.c.sources.len()).collect();
        order.sort_by(|&a, &b| self.source_order_key(a).cmp(&self.source_order_key(b)));
        order
    }

    fn sources_page(&self) -> Page {
        let rows = self
            .sources_order()
            .into_iter()
            .map(|i| (i, &self.c.sources[i]))
            .map(|(i, s)| {
                let (n_quotes, n_claims) = self.citation_count(i);
                SourceRow {
                    source: self.sources[i].clone(),
                    revision_of: s
                        .article
                        .revision_of
                        .as_deref()
                        .and_then(|r| self.c.source_index(r))
                        .map(|j| self.sources[j].clone()),
                    n_quotes,
                    n_claims,
                }
            })
            .collect();
        Page {
            path: "sources/index.html".to_string(),
            splices: Vec::new(),
            template: "sources.html",
            data: PageData::Sources(SourcesPage {
                common: self.common("Sources", "sources", "sources/"),
                sources: rows,
            }),
        }
    }

    fn source_page(&self, si: usize) -> Page {
        let s = &self.c.sources[si];
        let a = s.article;
        let mut highlights = Vec::new();
        let mut citations = Vec::new();
        for &(ci, qi) in &self.citing[si] {
            let (cc, r) = (&self.c.claims[ci], self.claim_ref(ci));
            {
                let q = &cc.quotes[qi];
                let Some(anchor) = &q.anchor else { continue };
                let last = anchor.parts.len() - 1;
                for (k, p) in anchor.parts.iter().enumerate() {
                    highlights.push(Highlight {
                        range: p.clone(),
                        before: if k == 0 {
                            format!("<span class=\"anchor\" id=\"{}\"></span>", escape(&q.mark_id))
                        } else {
                            String::new()
                        },
                        after: if k == last {
                            format!(
                                "<a class=\"cite cite-{}\" href=\"{}#{}\" title=\"{}\"><span class=\"visually-hidden\">{}: </span>{}</a>",
                                q.stance.as_str(),
                                escape(&r.url),
                                escape(&self.column_anchor(si)),
                                escape(&r.text),
                                q.stance.as_str(),
                                escape(&short_claim(&r.text))
                            )
                        } else {
                            String::new()
                        },
                    });
                }
                citations.push(Citation {
                    claim: r.clone(),
                    stance: q.stance.as_str(),
                    anchor: q.mark_id.to_string(),
                    value_label: value_label(cc, q),
                });
            }
        }
        let body_html = s.parsed.doc.render(&highlights);
        let revision_of = a
            .revision_of
            .as_deref()
            .and_then(|r| self.c.source_index(r))
            .map(|j| self.sources[j].clone());
        let mut revisions: Vec<usize> = s.revisions.clone();
        revisions.sort_by(|&x, &y| self.source_order_key(x).cmp(&self.source_order_key(y)));
        let revisions: Vec<SourceRef> =
            revisions.iter().map(|&j| self.sources[j].clone()).collect();
        let revision = a
            .revision_of
            .as_deref()
            .and_then(|r| self.c.source_index(r))
            .filter(|&j| j != si)
            .map(|j| Box::new(self.revision_view(j, si)));
        let title = a.title.clone();
        let _ = Attribution::Stated;
        Page {
            path: format!("sources/{}/index.html", a.id),
            splices: Vec::new(),
            template: "source.html",
            data: PageData::Source(SourcePage {
                common: self.common(&title, "sources", &format!("sources/{}/", a.id)),
                source: self.sources[si].clone(),
                author: a.author.clone(),
                note_html: a.note.as_deref().map(|n| self.note_html(n)),
                revision_of,
                revisions,
                revision,
                body_html,
                citations,
            }),
        }
    }

    /// What source `later` changed from source `earlier`, the version it revises.
    fn revision_view(&self, earlier: usize, later: usize) -> RevisionView {
        let paragraphs = |i: usize| -> Vec<revisions::Para<'_>> {
            let p = &self.c.sources[i].parsed;
            p.doc
                .blocks
                .iter()
                .zip(&p.blocks)
                .map(|(r, n)| revisions::Para {
                    text: &p.doc.plain[r.clone()],
                    key: &n.text,
                })
                .collect()
        };
        let d = revisions::diff(&paragraphs(earlier), &paragraphs(later));
        let n = |k: usize, what: &str| match k {
            1 => format!("1 paragraph {what}"),
            k => format!("{k} paragraphs {what}"),
        };
        let mut parts = vec![n(d.added, "added")];
        parts.extend(
            [
                (d.removed, "removed"),
                (d.changed, "changed"),
                (d.unchanged, "unchanged"),
            ]
            .into_iter()
            .map(|(k, w)| format!("{k} {w}")),
        );
        RevisionView {
            earlier: self.sources[earlier].clone(),
            later: self.sources[later].clone(),
            summary: parts.join(", "),
            diff_html: d.html,
        }
    }

    fn discrepancies_page(&self, items: &Items) -> Page {
        let (mut disputed, mut corrected, mut precision) = (Vec::new(), Vec::new(), Vec::new());
        let mut toc = Vec::new();
        for (cc, section) in self.c.claims.iter().zip(&items.section) {
            let Some(section) = section else { continue };
            if !cc.conflicts.is_empty() {
                disputed.push(section.clone());
                toc.push(TocEntry {
                    id: cc.claim.id.clone(),
                    text: cc.claim.claim.clone(),
                    why: toc_why(cc),
                });
            } else if !cc.corrections.is_empty() {
                corrected.push(section.clone());
            } else {
                precision.push(section.clone());
            }
        }
        let (count, corrected_count, precision_count) =
            (disputed.len(), corrected.len(), precision.len());
        Page {
            path: "discrepancies/index.html".to_string(),
            splices: vec![disputed, corrected, precision],
            template: "discrepancies.html",
            data: PageData::Discrepancies(DiscrepanciesPage {
                common: self.common("Discrepancies", "discrepancies", "discrepancies/"),
                count,
                toc,
                claims_html: splice_marker(0),
                corrected_count,
                corrected_html: splice_marker(1),
                precision_count,
                precision_html: splice_marker(2),
            }),
        }
    }

    fn how_to_read(&self) -> Page {
        Page {
            path: format!("{HOW_TO_READ}index.html"),
            splices: Vec::new(),
            template: "how-to-read.html",
            data: PageData::HowToRead(self.common("How to read this site", "none", HOW_TO_READ)),
        }
    }

    fn not_found(&self) -> Page {
        Page {
            path: "404.html".to_string(),
            splices: Vec::new(),
            template: "404.html",
            data: PageData::NotFound(self.common("Page not found", "none", "404.html")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sweep agrees with comparing every pair.
    #[test]
    fn any_compatible_agrees_with_every_pair() {
        const FORMS: &[&str] = &[
            "10", "12", "10-12", "12-15", "~12", ">=12", ">12", "<=10", "<10", "<12", "13", "9-10",
            ">15", "0", "15",
        ];
        let parsed: Vec<Value> = FORMS
            .iter()
            .map(|f| values::parse(ValueKind::Quantity, f).expect("a value"))
            .collect();
        let mut x: u64 = 7;
        let mut next = |n: usize| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((x >> 33) % n as u64) as usize
        };
        for case in 0..3000 {
            let (na, nb) = (next(4), next(4));
            let a: Vec<&Value> = (0..na).map(|_| &parsed[next(parsed.len())]).collect();
            let b: Vec<&Value> = (0..nb).map(|_| &parsed[next(parsed.len())]).collect();
            let brute = a.iter().any(|x| b.iter().any(|y| values::compatible(x, y)));
            assert_eq!(any_compatible(&a, &b), brute, "case {case}: {a:?} {b:?}");
        }
        let (t, u) = (Value::Text("a".into()), Value::Text("b".into()));
        assert!(any_compatible(&[&t, &u], &[&u]));
        assert!(!any_compatible(&[&t], &[&u]));
    }

    #[test]
    fn fragments_are_encoded() {
        assert_eq!(
            text_fragment(
                "https://x.org/a#top",
                "10,000 to 12,000 soldiers",
                "10,000 to 12,000 soldiers"
            ),
            "https://x.org/a#:~:text=10%2C000%20to%2012%2C000%20soldiers"
        );
        assert_eq!(
            text_fragment(
                "https://x.org/a",
                "one-two three four five six seven eight nine ten",
                "one-two three four five six seven eight nine ten"
            ),
            "https://x.org/a#:~:text=one%2Dtwo%20three%20four%20five,seven%20eight%20nine%20ten"
        );
        assert_eq!(
            encode_fragment_term("Russia\u{2019}s & co"),
            "Russia%E2%80%99s%20%26%20co"
        );
    }
}
