//! Checking: the second phase. Resolves every reference, anchors every quote in its source,
//! parses and compares values, and derives each claim's conflicts and status.
//!
//! Input is the loaded [`Dossier`]; output is a [`Checked`] dossier (the facts the site shows)
//! plus diagnostics. Nothing here renders or writes.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use crate::anchor::{self, Normalized};
use crate::diag::{Diagnostic, Pos};
use crate::load::edit_distance;
use crate::markdown::Doc;
use crate::model::*;
use crate::origins::{self, Origin, SourceOrigin};
pub use crate::recognise::ValueFrom;
use crate::recognise::{self, QuoteValue};
use crate::revisions::{self, Correction};
use crate::stances::{self, StanceFrom};
use crate::values::{self, Value};

/// An article's text, parsed: kept between builds while the article does not change.
pub struct Parsed {
    /// Unique within the process: tells parses apart (a new parse never reuses an id).
    pub generation: u64,
    pub doc: Doc,
    /// One per block of `doc`.
    pub blocks: Vec<Normalized>,
    /// Where each line of the body starts (reports name article lines).
    pub lines: crate::diag::LineIndex,
    /// Which blocks hold each word, made once the article has been searched often enough
    /// for it to pay (see [`Parsed::word_index`]).
    index: std::sync::OnceLock<anchor::WordIndex>,
    /// How many quotes have been looked for in it without the index.
    searches: std::sync::atomic::AtomicUsize,
}

impl Parsed {
    pub fn new(body: &str) -> Parsed {
        let doc = Doc::parse(body);
        let blocks = doc
            .blocks
            .iter()
            .map(|r| Normalized::new(&doc.plain[r.clone()]))
            .collect();
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Parsed {
            generation: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            doc,
            blocks,
            lines: crate::diag::LineIndex::new(body),
            index: std::sync::OnceLock::new(),
            searches: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// The word index of this article's blocks, for an article of at least
    /// `INDEX_MIN_BLOCKS` blocks once `INDEX_AFTER_SEARCHES` quotes have been looked for in
    /// it: then each further quote is looked for only in the blocks that could hold it,
    /// instead of the whole article (50,000 quotes into one long article would otherwise
    /// scan it 50,000 times). Short or rarely quoted articles never pay for an index. The
    /// answers are the same either way, so when it is made does not change any output.
    pub fn word_index(&self) -> Option<&anchor::WordIndex> {
        const INDEX_MIN_BLOCKS: usize = 64;
        const INDEX_AFTER_SEARCHES: usize = 64;
        if self.blocks.len() < INDEX_MIN_BLOCKS {
            return None;
        }
        if let Some(ix) = self.index.get() {
            return Some(ix);
        }
        let n = self
            .searches
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if n < INDEX_AFTER_SEARCHES {
            return None;
        }
        Some(
            self.index
                .get_or_init(|| anchor::WordIndex::new(&self.blocks)),
        )
    }
}

/// What earlier checks found, reused while the texts involved are unchanged: parsed articles
/// by source id, quote anchors by (source id, quote text), and whole claims by id. It is
/// updated by every [`check`] (failed runs too: everything in it is keyed by exactly what
/// it was computed from).
#[derive(Default)]
pub struct Cache {
    /// By source id: the article parsed (to compare its body with the next run's).
    parsed: HashMap<String, (Arc<Article>, Arc<Parsed>)>,
    /// By source id, then quote text.
    anchors: HashMap<String, HashMap<String, CachedAnchor>>,
    /// By claim id: the last check of the claim.
    claims: HashMap<String, Memo>,
    /// Whether to keep what a check found for the next (a one-shot build does not).
    pub retain: bool,
}

/// Where a quote was found (and how many times) in one parse of its source.
type CachedAnchor = (Arc<Parsed>, Option<(Arc<Anchor>, usize)>);

/// One claim's check, reused while the claim and everything it can depend on in the
/// sources are the same: the list of source ids, and the parse and outlet of each source it
/// quotes. A claim that only moved in claims.yaml (same entry text) is the same unless its
/// check reported something (the report would point at the old line).
struct Memo {
    claim: Arc<Claim>,
    /// The list of source ids checked against (unknown ids are reported with suggestions).
    ids: u64,
    /// For each of `quotes`, its source's [`source_epoch`].
    sources: Vec<u64>,
    /// (index in the claim's quotes, source, anchor, value, occurrences, mark id).
    quotes: Vec<MemoQuote>,
    values: Vec<ValueGroup>,
    conflicts: Vec<Conflict>,
    corrections: Vec<Correction>,
    precision_only: bool,
    status: Status,
    supporting_outlets: usize,
    value: Option<Value>,
    origins: Vec<Origin>,
    fingerprint: u64,
    diags: Vec<Diagnostic>,
}

struct MemoQuote {
    index: usize,
    source: usize,
    anchor: Option<Arc<Anchor>>,
    value: QuoteValue,
    occurrences: usize,
    mark_id: Arc<str>,
    stance: Stance,
    stance_from: StanceFrom,
}

impl Cache {
    /// A cache that keeps what each check found, for the next.
    pub fn new() -> Cache {
        Cache {
            retain: true,
            ..Cache::default()
        }
    }
}

/// An article with its parsed text.
pub struct Source<'a> {
    pub article: &'a Article,
    pub parsed: Arc<Parsed>,
    /// The id of the first version of this report (itself, unless `revision_of`).
    pub root_id: &'a str,
    /// Later versions of this article.
    pub revisions: Vec<usize>,
    /// What the article's note shows of the pages it links to ([`crate::notes`]).
    pub note_refs: u64,
    /// Which version of its report this is: 0 for the first, 1 for the version that revises
    /// it, and so on (see [`crate::revisions`]).
    pub version: usize,
}

/// Where a quote was found in its source.
#[derive(Clone, Debug)]
pub struct Anchor {
    pub block: usize,
    /// Ranges of the source's plain text (absolute offsets).
    pub parts: Vec<Range<usize>>,
}

/// A quote after checking.
pub struct CheckedQuote<'a> {
    pub quote: &'a Quote,
    pub source: usize,
    pub anchor: Option<Arc<Anchor>>,
    pub value: Option<Value>,
    /// Whether `value` was declared in `value:` or read from the quote.
    pub value_from: ValueFrom,
    /// `value` in the notation of `value:` (`~8000`, `2025-01-11`): as declared, or as read.
    pub written: Option<String>,
    /// The quote's own words that state the value ("about 8,000"), where they were found.
    pub stated: Option<String>,
    /// How a relative date, a year-less date or an age was resolved against the article's
    /// date ("“on Saturday” in an article of Sunday 12 January 2025: 11 January 2025").
    pub resolution: Option<String>,
    /// How many places of the source the quote matches (1 when found once).
    pub occurrences: usize,
    /// The anchor id of this quote on its source's page, e.g. `q-troop-numbers`.
    pub mark_id: Arc<str>,
    /// Where the quote stands on the claim: as written, else derived from its value
    /// ([`crate::stances`]).
    pub stance: Stance,
    pub stance_from: StanceFrom,
}

/// Why the quotes of a claim cannot all be right: one per kind, at most two per claim.
/// `a` and `b` are a *witness*, two quotes (indices in the claim's quotes) of two different
/// sources that show it: for values, `a` states a value wholly below `b`'s (or, for text,
/// another account); for stances, `a` supports the claim and `b` contradicts it. The other
/// quotes are in the claim's [`ValueGroup`]s and stances, not paired: that keeps the work
/// and the pages linear in the quotes (every pair of 10,000 values is 50 million pairs).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Conflict {
    pub a: usize,
    pub b: usize,
    pub kind: ConflictKind,
}

/// One distinct value among a claim's quotes, with every quote that states it.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueGroup {
    pub value: Value,
    /// Indices in the claim's quotes, in file order.
    pub quotes: Vec<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConflictKind {
    /// The values stated cannot all be true.
    Values,
    /// One source supports the claim and another contradicts it.
    Stance,
}

/// A claim's derived status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Corroborated,
    SingleSource,
    Disputed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Corroborated => "corroborated",
            Status::SingleSource => "single-source",
            Status::Disputed => "disputed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Corroborated => "corroborated",
            Status::SingleSource => "single source",
            Status::Disputed => "disputed",
        }
    }
}

/// A claim after checking.
pub struct CheckedClaim<'a> {
    pub claim: &'a Claim,
    /// A hash of everything the site shows of the claim (not positions): its pages need
    /// rebuilding exactly when this changes (or a source they show changes).
    pub fingerprint: u64,
    pub quotes: Vec<CheckedQuote<'a>>,
    /// The distinct values the quotes state, each once with the quotes that state it:
    /// quantities, dates and years from the lowest up, texts in the order first quoted.
    pub values: Vec<ValueGroup>,
    /// Why the quotes cannot all be right: at most one conflict of each kind.
    pub conflicts: Vec<Conflict>,
    /// Values that a later version of a report changed (never conflicts).
    pub corrections: Vec<Correction>,
    /// The values differ but are compatible (e.g. "10,000-12,000" and "at least 10,000").
    pub precision_only: bool,
    pub status: Status,
    /// The number of distinct outlets that support it.
    pub supporting_outlets: usize,
    /// The claim's own value (`stated:`), parsed.
    pub value: Option<Value>,
    /// The independent origins of its support ([`crate::origins`]).
    pub origins: Vec<Origin>,
}

impl CheckedClaim<'_> {
    /// Whether the claim is corroborated by several outlets that all have one origin (they
    /// relay one party's statement): the site labels it "single origin".
    pub fn single_origin(&self) -> bool {
        self.status == Status::Corroborated && self.origins.len() == 1
    }
}

/// A checked dossier: everything the site model needs.
pub struct Checked<'a> {
    pub dossier: &'a Dossier,
    pub sources: Vec<Source<'a>>,
    pub claims: Vec<CheckedClaim<'a>>,
}

impl<'a> Checked<'a> {
    pub(crate) fn source_index(&self, id: &str) -> Option<usize> {
        self.sources
            .binary_search_by(|s| s.article.id.as_str().cmp(id))
            .ok()
    }
}

/// Checks a loaded dossier, reusing what `cache` holds of a previous check (and leaving in
/// it what this check found). Problems are appended to `diags`.
pub fn check<'a>(d: &'a Dossier, cache: &mut Cache, diags: &mut Vec<Diagnostic>) -> Checked<'a> {
    // Articles are sorted by id by the loader (walks are sorted).
    let mut sources: Vec<Source<'a>> = d
        .articles
        .par_iter()
        .map(|a| {
            let parsed = match cache.parsed.get(&a.id) {
                Some((old, p)) if Arc::ptr_eq(old, a) || old.body == a.body => p.clone(),
                _ => Arc::new(Parsed::new(&a.body)),
            };
            Source {
                article: a,
                parsed,
                root_id: &a.id,
                revisions: Vec::new(),
                note_refs: 0,
                version: 0,
            }
        })
        .collect();
    check_revisions(&mut sources, diags);

    let index: HashMap<&str, usize> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.article.id.as_str(), i))
        .collect();
    let outlets: Vec<String> = sources
        .iter()
        .map(|s| outlet_identity(s, &sources))
        .collect();
    // Everything a claim's check reads of the sources.
    let ids = {
        let mut h = DefaultHasher::new();
        for s in &sources {
            s.article.id.hash(&mut h);
        }
        h.finish()
    };
    let origin_of: Vec<SourceOrigin<'_>> = sources
        .iter()
        .zip(&outlets)
        .map(|(s, o)| {
            let root = sources
                .binary_search_by(|x| x.article.id.as_str().cmp(s.root_id))
                .map(|i| &sources[i])
                .unwrap_or(s);
            SourceOrigin {
                identity: o,
                report: s.root_id,
                outlet: (root.article.attribution != Attribution::Unknown)
                    .then_some(root.article.outlet.as_str()),
                title: &root.article.title,
            }
        })
        .collect();
    // What the recogniser reads of each article: its date and language.
    let contexts: Vec<recognise::Context> = sources
        .iter()
        .map(|s| {
            let language = s.article.language.as_deref().unwrap_or(&d.site.language);
            recognise::Context::new(s.article.published.as_deref(), language)
        })
        .collect();
    let epochs: Vec<u64> = sources
        .iter()
        .zip(&origin_of)
        .zip(&contexts)
        .map(|((s, o), x)| source_epoch(s, o, x))
        .collect();

    check_topics(d, diags);

    let env = Env {
        sources: &sources,
        index: &index,
        outlets: &outlets,
        origins: &origin_of,
        contexts: &contexts,
        cache,
    };
    let results: Vec<(CheckedClaim<'a>, Vec<Diagnostic>, Option<Memo>)> = d
        .claims
        .par_iter()
        .map(|c| match cache.claims.get(&c.id) {
            Some(m) if m.holds_for(c, ids, &epochs) => (recall(c, m), m.diags.clone(), None),
            _ => {
                let mut local = Vec::new();
                let cc = check_claim(c, &env, &mut local);
                // A quote not found is reported with what the other sources hold
                // (`not_found_because`), which the memo's epochs do not cover: a claim with a
                // quote left unanchored is checked again next run.
                let others_read = cc.quotes.iter().any(|q| q.anchor.is_none());
                let memo =
                    (cache.retain && !others_read).then(|| remember(c, &cc, ids, &epochs, &local));
                (cc, local, memo)
            }
        })
        .collect();
    // Notes name other claims and sources: what they show of them is hashed here, every run,
    // outside the memos (a claim's memo does not know the claims its note names).
    let refs = crate::notes::check(d, diags);
    for (s, r) in sources.iter_mut().zip(&refs.articles) {
        s.note_refs = *r;
    }
    let mut claims = Vec::with_capacity(results.len());
    let mut memos = Vec::new();
    for ((mut c, mut ds, memo), r) in results.into_iter().zip(&refs.claims) {
        if *r != 0 {
            let mut h = DefaultHasher::new();
            (c.fingerprint, r).hash(&mut h);
            c.fingerprint = h.finish();
        }
        diags.append(&mut ds);
        if let Some(m) = memo {
            memos.push((claims.len(), m));
        }
        claims.push(c);
    }
    let checked = Checked {
        dossier: d,
        sources,
        claims,
    };
    // Which articles are quoted is known only when every claim could be read; and a
    // warning is for when the errors are fixed.
    if !diags.iter().any(Diagnostic::is_error) {
        unquoted(&checked, diags);
    }
    if cache.retain {
        update(cache, &checked, memos);
    }
    checked
}

/// A warning for each article that no claim quotes, nor any other version of its report (a
/// later version is kept for what it changed): it is on the site, but supports nothing.
fn unquoted(checked: &Checked<'_>, diags: &mut Vec<Diagnostic>) {
    let mut quoted: Vec<bool> = vec![false; checked.sources.len()];
    for c in &checked.claims {
        for q in &c.quotes {
            quoted[q.source] = true;
        }
    }
    let quoted_reports: std::collections::BTreeSet<&str> = checked
        .sources
        .iter()
        .zip(&quoted)
        .filter(|(_, q)| **q)
        .map(|(s, _)| s.root_id)
        .collect();
    for s in &checked.sources {
        if quoted_reports.contains(s.root_id) {
            continue;
        }
        let a = s.article;
        let outlet = if a.outlet.is_empty() {
            String::new()
        } else {
            format!(" ({})", a.outlet)
        };
        diags.push(
            Diagnostic::warning(
                &a.file,
                Pos::new(1, 1),
                format!(
                    "`{}`{outlet} is not quoted by any claim: quote it or remove it",
                    a.id
                ),
            )
            .subject(format!("source `{}`", a.id))
            .help(format!(
                "quote it in {CLAIMS_FILE} (`source: {}`), or move the file out of \
                 content/articles/ if it is not part of the dossier",
                a.id
            )),
        );
    }
}

/// What checking a claim reads besides the claim.
struct Env<'s, 'a> {
    sources: &'s [Source<'a>],
    index: &'s HashMap<&'a str, usize>,
    /// Each source's outlet identity.
    outlets: &'s [String],
    /// What each source contributes to a claim's origins.
    origins: &'s [SourceOrigin<'s>],
    /// Each source's date and language, for reading values from its quotes.
    contexts: &'s [recognise::Context],
    cache: &'s Cache,
}

/// A claim's check from its memo.
fn recall<'a>(c: &'a Claim, m: &Memo) -> CheckedClaim<'a> {
    CheckedClaim {
        claim: c,
        fingerprint: m.fingerprint,
        quotes: m
            .quotes
            .iter()
            .map(|q| CheckedQuote {
                quote: &c.quotes[q.index],
                source: q.source,
                anchor: q.anchor.clone(),
                value: q.value.value.clone(),
                value_from: q.value.value_from,
                written: q.value.written.clone(),
                stated: q.value.stated.clone(),
                resolution: q.value.resolution.clone(),
                occurrences: q.occurrences,
                mark_id: q.mark_id.clone(),
                stance: q.stance,
                stance_from: q.stance_from,
            })
            .collect(),
        values: m.values.clone(),
        conflicts: m.conflicts.clone(),
        corrections: m.corrections.clone(),
        precision_only: m.precision_only,
        status: m.status,
        supporting_outlets: m.supporting_outlets,
        value: m.value.clone(),
        origins: m.origins.clone(),
    }
}

/// What a claim's check reads of source `s`: its parse, its outlet (identity, and the names
/// its origin is shown by), where its body starts in its file (reports name article lines),
/// the first version of its report and which version it is (the conflict finder counts a
/// report once, by its latest word, and the dispute table labels its versions), and its date
/// and language (values are read from its quotes against them).
fn source_epoch(s: &Source<'_>, o: &SourceOrigin<'_>, cx: &recognise::Context) -> u64 {
    // Destructured without `..`, like the fingerprints: a new field is a compile error here
    // until it is hashed or named as not read by a claim's check (with the reason).
    let Source {
        article,
        parsed,
        root_id,
        revisions,
        version,
        note_refs: _, // What the article's note shows; the check of a claim does not read it.
    } = s;
    let Article {
        id: _,   // Part of `ids`, hashed once for all sources.
        file: _, // Reports name it, but it is `articles/<id>.md`: it follows the id.
        // Read as `o.title` (an origin of unknown outlet is named by it); the pages show
        // the rest from the source's fingerprint (build.rs).
        title: _,
        url: _,
        published: _, // Read as `cx` (the date values are resolved against).
        language: _,  // Read as `cx` too.
        author: _,
        note: _,
        note_pos: _,
        outlet: _,      // Read as `o` (identity and name of its origin).
        attribution: _, // Read as `o` too.
        revision_of: _, // Read as `root_id`.
        revision_of_pos: _,
        body: _, // Read as its parse (`parsed.generation`).
        body_line,
    } = article;
    let SourceOrigin {
        identity,
        report,
        outlet,
        title,
    } = o;
    let mut h = DefaultHasher::new();
    (identity, report, outlet, title).hash(&mut h);
    (
        parsed.generation,
        body_line,
        root_id,
        version,
        revisions.is_empty(),
        cx,
    )
        .hash(&mut h);
    h.finish()
}

impl Memo {
    /// Whether this memo is the check of `c` now.
    fn holds_for(&self, c: &Arc<Claim>, ids: u64, epochs: &[u64]) -> bool {
        let same_claim = Arc::ptr_eq(&self.claim, c)
            || (self.diags.is_empty() && c.entry.is_some() && c.entry == self.claim.entry);
        same_claim
            && self.ids == ids
            && self
                .quotes
                .iter()
                .zip(&self.sources)
                .all(|(q, e)| epochs.get(q.source) == Some(e))
    }
}

/// The memo of a claim's check.
fn remember(
    c: &Arc<Claim>,
    cc: &CheckedClaim<'_>,
    ids: u64,
    epochs: &[u64],
    diags: &[Diagnostic],
) -> Memo {
    let mut next = 0;
    Memo {
        claim: c.clone(),
        ids,
        sources: cc.quotes.iter().map(|q| epochs[q.source]).collect(),
        quotes: cc
            .quotes
            .iter()
            .map(|q| MemoQuote {
                // The checked quotes are the claim's in order (some skipped): a cursor finds
                // each, where searching from the start would be quadratic in the quotes.
                index: {
                    while next < c.quotes.len() && !std::ptr::eq(&c.quotes[next], q.quote) {
                        next += 1;
                    }
                    next += 1;
                    next - 1
                },
                source: q.source,
                anchor: q.anchor.clone(),
                value: QuoteValue {
                    value: q.value.clone(),
                    value_from: q.value_from,
                    written: q.written.clone(),
                    stated: q.stated.clone(),
                    resolution: q.resolution.clone(),
                },
                occurrences: q.occurrences,
                mark_id: q.mark_id.clone(),
                stance: q.stance,
                stance_from: q.stance_from,
            })
            .collect(),
        values: cc.values.clone(),
        conflicts: cc.conflicts.clone(),
        corrections: cc.corrections.clone(),
        precision_only: cc.precision_only,
        status: cc.status,
        supporting_outlets: cc.supporting_outlets,
        value: cc.value.clone(),
        origins: cc.origins.clone(),
        fingerprint: cc.fingerprint,
        diags: diags.to_vec(),
    }
}

/// Leaves in the cache what a check found: the parses, the new memos, and the anchors of the
/// claims checked afresh; drops what belongs to sources and claims that are gone or changed.
fn update(cache: &mut Cache, c: &Checked<'_>, memos: Vec<(usize, Memo)>) {
    let mut parsed = HashMap::with_capacity(c.sources.len());
    for (s, a) in c.sources.iter().zip(&c.dossier.articles) {
        parsed.insert(s.article.id.clone(), (a.clone(), s.parsed.clone()));
    }
    cache.parsed = parsed;
    // Anchors found in parses that are no longer current can never be used again.
    cache.anchors.retain(|id, m| match cache.parsed.get(id) {
        Some((_, p)) => {
            m.retain(|_, (q, _)| Arc::ptr_eq(q, p));
            !m.is_empty()
        }
        None => false,
    });
    for (ci, _) in &memos {
        for q in &c.claims[*ci].quotes {
            let src = &c.sources[q.source];
            let found = q.anchor.clone().map(|a| (a, q.occurrences));
            cache
                .anchors
                .entry(src.article.id.clone())
                .or_default()
                .insert(q.quote.text.clone(), (src.parsed.clone(), found));
        }
    }
    for (ci, m) in memos {
        cache.claims.insert(c.claims[ci].claim.id.clone(), m);
    }
    if cache.claims.len() > c.claims.len() {
        let ids: std::collections::HashSet<&str> =
            c.claims.iter().map(|x| x.claim.id.as_str()).collect();
        cache.claims.retain(|id, _| ids.contains(id.as_str()));
    }
}

fn check_revisions(sources: &mut [Source<'_>], diags: &mut Vec<Diagnostic>) {
    let ids: Vec<String> = sources.iter().map(|s| s.article.id.clone()).collect();
    let find = |id: &str| ids.binary_search_by(|x| x.as_str().cmp(id)).ok();
    let mut parent: Vec<Option<usize>> = vec![None; sources.len()];
    for (i, s) in sources.iter().enumerate() {
        let a = s.article;
        let Some(r) = &a.revision_of else { continue };
        match find(r) {
            Some(p) if p == i => diags.push(
                Diagnostic::error(
                    &a.file,
                    a.revision_of_pos,
                    "an article cannot be a revision of itself",
                )
                .subject(format!("source `{}`", a.id))
                .help("name the earlier version's id in `revision_of`, or remove it"),
            ),
            Some(p) => parent[i] = Some(p),
            None => diags.push(
                Diagnostic::error(
                    &a.file,
                    a.revision_of_pos,
                    format!("`revision_of: {r}` names no article"),
                )
                .subject(format!("source `{}`", a.id))
                .help(suggest_id(
                    r,
                    &ids,
                    "the earlier version's file name without .md",
                )),
            ),
        }
    }
    for i in 0..sources.len() {
        // Follow the chain to its first version; a cycle is an error.
        let mut at = i;
        let mut steps = 0;
        while let Some(p) = parent[at] {
            at = p;
            steps += 1;
            if steps > sources.len() {
                let a = sources[i].article;
                diags.push(
                    Diagnostic::error(&a.file, a.revision_of_pos, "`revision_of` goes round in a circle")
                        .subject(format!("source `{}`", a.id))
                        .help("the first version of a report has no `revision_of`; later versions name an earlier one"),
                );
                at = i;
                steps = 0;
                break;
            }
        }
        let root_article = sources[at].article;
        sources[i].root_id = &root_article.id;
        sources[i].version = steps;
        if let Some(p) = parent[i] {
            sources[p].revisions.push(i);
        }
    }
}

fn suggest_id(wrong: &str, known: &[String], what: &str) -> String {
    let nearest = known
        .iter()
        .map(|k| (edit_distance(wrong, k), k))
        .min()
        .filter(|(d, _)| *d <= 3.max(wrong.len() / 3));
    match nearest {
        Some((_, k)) => format!("did you mean `{k}`? Ids are {what}"),
        None if known.is_empty() => "there are no articles in content/articles/ yet".to_string(),
        None => format!(
            "ids are {what}; known: {}",
            known.iter().take(8).cloned().collect::<Vec<_>>().join(", ")
        ),
    }
}

fn check_topics(d: &Dossier, diags: &mut Vec<Diagnostic>) {
    let mut slugs: BTreeMap<String, &str> = BTreeMap::new();
    for t in &d.site.topics {
        slugs.insert(t.id.clone(), &t.id);
    }
    for c in &d.claims {
        let Some(t) = &c.topic else { continue };
        if d.site.topics.iter().any(|x| &x.id == t) {
            continue;
        }
        let slug = slugify(t);
        if slug.is_empty() {
            diags.push(
                Diagnostic::error(
                    CLAIMS_FILE,
                    c.pos,
                    format!("topic `{t}` has no letters or digits"),
                )
                .subject(format!("claim `{}`", c.id))
                .help("name the topic with words, e.g. `deployment`"),
            );
            continue;
        }
        if let Some(problem) = id_length_problem(
            &format!("the page name of topic `{}`", crate::anchor::shorten(t, 60)),
            &slug,
        ) {
            diags.push(
                Diagnostic::error(CLAIMS_FILE, c.pos, problem)
                    .subject(format!("claim `{}`", c.id))
                    .help("name the topic in a few words, or declare it under `topics:` in content/site.yaml with a short `id` and the long text as its `title`"),
            );
            continue;
        }
        if !d.site.topics.is_empty() {
            let ids: Vec<String> = d.site.topics.iter().map(|x| x.id.clone()).collect();
            diags.push(
                Diagnostic::warning(
                    CLAIMS_FILE,
                    c.pos,
                    format!("topic `{t}` is not declared in site.yaml"),
                )
                .subject(format!("claim `{}`", c.id))
                .help(suggest_id(
                    t,
                    &ids,
                    "declared under `topics:` in content/site.yaml",
                )),
            );
        }
        match slugs.get(&slug) {
            Some(other) if *other != t.as_str() => diags.push(
                Diagnostic::error(
                    CLAIMS_FILE,
                    c.pos,
                    format!("topic `{t}` and topic `{other}` would share the page topics/{slug}/"),
                )
                .subject(format!("claim `{}`", c.id))
                .help("use one spelling for the topic"),
            ),
            Some(_) => {}
            None => {
                slugs.insert(slug, t);
            }
        }
    }
}

/// The topic id (page slug) of a claim's topic.
pub(crate) fn topic_slug(d: &Dossier, topic: &str) -> String {
    if d.site.topics.iter().any(|t| t.id == topic) {
        topic.to_string()
    } else {
        slugify(topic)
    }
}

fn check_claim<'a>(
    c: &'a Claim,
    env: &Env<'_, 'a>,
    diags: &mut Vec<Diagnostic>,
) -> CheckedClaim<'a> {
    let (sources, index, cache) = (env.sources, env.index, env.cache);
    let subject = format!("claim `{}`", c.id);
    let mut quotes = Vec::with_capacity(c.quotes.len());
    let mut per_source: HashMap<usize, usize> = HashMap::new();
    for q in &c.quotes {
        let Some(&si) = index.get(q.source.as_str()) else {
            let ids: Vec<String> = sources.iter().map(|s| s.article.id.clone()).collect();
            diags.push(
                Diagnostic::error(
                    CLAIMS_FILE,
                    q.source_pos,
                    format!("unknown source `{}`", q.source),
                )
                .subject(subject.clone())
                .help(suggest_id(
                    &q.source,
                    &ids,
                    "article file names in content/articles/ without .md",
                )),
            );
            continue;
        };
        let src = &sources[si];
        let n = per_source.entry(si).or_default();
        *n += 1;
        // `--` cannot occur in an id, so these anchors never collide with another claim's.
        let mark_id: Arc<str> = if *n == 1 {
            format!("q-{}", c.id)
        } else {
            format!("q-{}--{}", c.id, n)
        }
        .into();
        let cached = cache
            .anchors
            .get(q.source.as_str())
            .and_then(|m| m.get(q.text.as_str()))
            .filter(|(p, _)| Arc::ptr_eq(p, &src.parsed))
            .map(|(_, f)| f.clone());
        let (anchor, occurrences) = anchor_quote(q, si, sources, cached, &subject, diags);
        let declared = check_value(c, q, &subject, diags);
        let QuoteValue {
            value,
            value_from,
            written,
            stated,
            resolution,
        } = recognise::settle(
            c.value.as_ref(),
            q,
            declared,
            &env.contexts[si],
            &subject,
            diags,
        );
        quotes.push(CheckedQuote {
            quote: q,
            source: si,
            anchor,
            value,
            value_from,
            written,
            stated,
            resolution,
            occurrences,
            mark_id,
            stance: Stance::Supports,
            stance_from: StanceFrom::Default,
        });
    }
    // Stances first: which versions' stances are current depends on them.
    let claim_value = stances::claim_value(c, &subject, diags);
    stances::derive(c, claim_value.as_ref(), &mut quotes, &subject, diags);
    let mut who = parties(&quotes, sources, index);
    let mut found = find_conflicts(&quotes, &who);
    if claim_value.is_none()
        && found
            .conflicts
            .iter()
            .any(|k| k.kind == ConflictKind::Values)
        && stances::withhold_unresolved(c, &mut quotes, &subject, diags)
    {
        who = parties(&quotes, sources, index);
        found = find_conflicts(&quotes, &who);
    }
    let Disagreement {
        values,
        conflicts,
        precision_only,
        self_contradiction,
    } = found;
    let corrections = revisions::corrections(&quotes, sources);
    if let Some([a, b]) = self_contradiction {
        let (qa, qb) = (&quotes[a], &quotes[b]);
        let who = if qa.source == qb.source {
            format!("source `{}`", qa.quote.source)
        } else {
            format!(
                "versions `{}` and `{}` of one report",
                qa.quote.source, qb.quote.source
            )
        };
        diags.push(
            Diagnostic::warning(
                CLAIMS_FILE,
                qb.quote.value.as_ref().map(|v| v.1).unwrap_or(qb.quote.text_pos),
                format!(
                    "{who} state{} values that cannot both be true (`{}` and `{}`); no other source disagrees, so the claim is not shown as disputed",
                    if qa.source == qb.source { "s" } else { "" },
                    qa.written.as_deref().unwrap_or(""),
                    qb.written.as_deref().unwrap_or(""),
                ),
            )
            .subject(subject.clone())
            .help("check the values; when a later version of a report corrects a figure, give that version its own article with `revision_of`"),
        );
    }
    let mut outlets: Vec<&str> = quotes
        .iter()
        .filter(|q| q.stance == Stance::Supports)
        .map(|q| env.outlets[q.source].as_str())
        .collect();
    outlets.sort_unstable();
    outlets.dedup();
    let status = if !conflicts.is_empty() {
        Status::Disputed
    } else if outlets.len() >= 2 {
        Status::Corroborated
    } else {
        Status::SingleSource
    };
    let supporting_outlets = outlets.len();
    let origins = origins::of(&quotes, env.origins);
    // Shown as "single origin" on the site: said to the curator too where the quotes do not
    // already say it, each naming the one party in its `via` (a relay written as such): where
    // an outlet's own reporting is one origin with the quotes that name that outlet as their
    // `via`. Not on a claim already reported on (that report is the one to read first).
    let implicit = quotes.iter().any(|q| {
        q.stance == Stance::Supports && q.quote.via.as_deref().is_none_or(|v| v.trim().is_empty())
    });
    if status == Status::Corroborated && origins.len() == 1 && implicit && diags.is_empty() {
        let supporting = quotes
            .iter()
            .filter(|q| q.stance == Stance::Supports)
            .count();
        let which = if supporting == quotes.len() {
            "quotes"
        } else {
            "supporting quotes"
        };
        diags.push(
            Diagnostic::warning(
                CLAIMS_FILE,
                c.pos,
                format!(
                    "all {supporting} {which} of claim `{}` come from one origin ({}): the claim \
                     is shown as single-origin",
                    c.id, origins[0].label
                ),
            )
            .help(format!(
                "a quote whose `via` names an outlet is one origin with that outlet's own \
                 reporting: that is right when it relays {}; when it reported the claim \
                 independently, leave `via` out of its quote",
                origins[0].label
            )),
        );
    }
    let mut cc = CheckedClaim {
        claim: c,
        fingerprint: 0,
        quotes,
        values,
        conflicts,
        corrections,
        precision_only,
        status,
        supporting_outlets,
        value: claim_value,
        origins,
    };
    cc.fingerprint = claim_fingerprint(&cc, env.sources);
    cc
}

/// Who states each of a claim's quotes, for the conflict finder ([`Party`]).
fn parties(
    quotes: &[CheckedQuote<'_>],
    sources: &[Source<'_>],
    index: &HashMap<&str, usize>,
) -> Vec<Party> {
    let value = revisions::superseded(quotes, sources, |q| q.value.is_some());
    let stance = revisions::superseded(quotes, sources, |q| {
        matches!(q.stance, Stance::Supports | Stance::Contradicts)
    });
    quotes
        .iter()
        .enumerate()
        .map(|(i, q)| Party {
            report: index
                .get(sources[q.source].root_id)
                .copied()
                .unwrap_or(q.source),
            current_value: !value[i],
            current_stance: !stance[i],
        })
        .collect()
}

/// What a claim's own page, and its entries on other pages, show: everything but positions.
/// The first version of each quoted source's report counts: the dispute table groups the
/// versions of one report, which can change when only an article it does not quote changes.
fn claim_fingerprint(cc: &CheckedClaim<'_>, sources: &[Source<'_>]) -> u64 {
    // Destructured without `..`: a new field is a compile error here until it is hashed or
    // named as ignored (with the reason).
    let CheckedClaim {
        claim,
        fingerprint: _, // What this computes.
        quotes,
        values,
        conflicts,
        corrections,
        precision_only,
        status,
        supporting_outlets,
        value: _, // Parsed from `stated`, hashed with the claim's `value`.
        origins,
    } = cc;
    let Claim {
        id,
        pos: _, // Positions show on no page.
        claim: text,
        topic,
        note,
        note_pos: _, // A position.
        value,
        quotes: _, // Each is hashed below, as its checked quote.
        entry: _,  // Identifies the entry; everything it holds is hashed field by field.
    } = &**claim;
    let mut h = DefaultHasher::new();
    for q in quotes {
        let s = &sources[q.source];
        // Versions are labelled ("first version", "update") wherever a quote is shown.
        (s.root_id, s.version, s.revisions.is_empty()).hash(&mut h);
    }
    (id, text, topic, note).hash(&mut h);
    if let Some(ValueSpec { kind, unit, stated }) = value {
        (kind, unit, stated.as_ref().map(|s| &s.0)).hash(&mut h);
    }
    for q in quotes {
        let CheckedQuote {
            quote,
            source,
            anchor,
            value: _, // Follows from `written` and the claim's kind.
            value_from,
            written,
            stated,
            resolution,
            occurrences,
            mark_id,
            stance,
            stance_from,
        } = q;
        let Quote {
            pos: _,
            source: source_id,
            source_pos: _,
            text,
            text_pos: _,
            stance: _, // Hashed as decided (`stance`, `stance_from`).
            value,
            via,
        } = quote;
        (
            source_id,
            text,
            stance,
            stance_from,
            value.as_ref().map(|v| &v.0),
            via,
        )
            .hash(&mut h);
        (source, mark_id, occurrences).hash(&mut h);
        // What the card shows of the value (the value itself follows from `written`).
        (value_from, written, stated, resolution).hash(&mut h);
        if let Some(a) = anchor {
            let Anchor { block, parts } = &**a;
            (block, parts).hash(&mut h);
        }
    }
    for ValueGroup {
        value: _, // The value of the quotes listed, hashed with them.
        quotes,
    } in values
    {
        quotes.hash(&mut h);
    }
    conflicts.hash(&mut h);
    corrections.hash(&mut h);
    (status.as_str(), precision_only, supporting_outlets).hash(&mut h);
    origins.hash(&mut h);
    h.finish()
}

/// Which outlet an article counts as: versions of one report are one outlet; articles whose
/// outlet is unknown count as their own.
fn outlet_identity(s: &Source<'_>, all: &[Source<'_>]) -> String {
    let root = all
        .binary_search_by(|x| x.article.id.as_str().cmp(s.root_id))
        .map(|i| &all[i])
        .unwrap_or(s);
    match root.article.attribution {
        Attribution::Unknown => format!("source:{}", root.article.id),
        _ => format!("outlet:{}", values::normalize_text(&root.article.outlet)),
    }
}

/// Finds a quote in its source (or takes what the cache found), with the number of places it
/// matches; reports it when it is not found or found more than once.
fn anchor_quote(
    q: &Quote,
    si: usize,
    sources: &[Source<'_>],
    cached: Option<Option<(Arc<Anchor>, usize)>>,
    subject: &str,
    diags: &mut Vec<Diagnostic>,
) -> (Option<Arc<Anchor>>, usize) {
    let src = &sources[si];
    let doc = &src.parsed.doc;
    let block_start = |b: usize| doc.blocks[b].start;
    let found = match cached {
        Some(c) => c,
        None => anchor::find_with(&src.parsed.blocks, src.parsed.word_index(), &q.text).map(|f| {
            let base = block_start(f.block);
            let a = Anchor {
                block: f.block,
                parts: f
                    .parts
                    .iter()
                    .map(|r| r.start + base..r.end + base)
                    .collect(),
            };
            (Arc::new(a), f.occurrences)
        }),
    };
    match found {
        Some((a, occurrences)) => {
            if occurrences > 1 {
                diags.push(
                    Diagnostic::warning(
                        CLAIMS_FILE,
                        q.text_pos,
                        format!(
                            "the quote occurs {} times in `{}`; the first is highlighted",
                            occurrences, q.source
                        ),
                    )
                    .subject(subject.to_string())
                    .help("quote a few more words so the quote points at one passage"),
                );
            }
            (Some(a), occurrences)
        }
        // An article with no text whose front matter could not be read (an empty file) is
        // reported as such, once: its quotes are not each reported as not found.
        None if src.article.body.trim().is_empty()
            && src.article.title.is_empty()
            && src.article.outlet.is_empty() =>
        {
            (None, 0)
        }
        None => {
            let mut d = Diagnostic::error(
                CLAIMS_FILE,
                q.text_pos,
                format!("quote not found in source `{}`", q.source),
            )
            .subject(subject.to_string());
            if let Some(d) = not_found_because(q, si, sources, d.clone()) {
                diags.push(d);
                return (None, 0);
            }
            match anchor::closest(&src.parsed.blocks, &q.text) {
                Some(cl) => {
                    let base = block_start(cl.block);
                    let passage = &doc.plain[cl.range.start + base..cl.range.end + base];
                    let line = line_of(src, cl.range.start + base);
                    d = d.note(format!(
                        "closest passage, {}:{line}: \u{201C}{}\u{201D}",
                        src.article.file,
                        anchor::shorten(passage, anchor::SHOWN_MAX)
                    ));
                    if cl.case_only {
                        d = d
                            .note("the quote differs from it only in letter case")
                            .help("copy the passage with its capitals as the source has them");
                    } else {
                        d = d
                            .note(format!("differences: {}", anchor::word_diff(passage, &q.text)))
                            .help("[-...-] is in the source but not in the quote, {+...+} is in the quote but not in the source: copy the words exactly as the source has them, or elide with `...`");
                    }
                }
                None => {
                    d = d.help(format!(
                        "no passage of {} shares words with this quote: check `source:` names the right article",
                        src.article.file
                    ));
                }
            }
            if let Some(inner) = typographic_wrapped(&q.text) {
                d = d.help(format!(
                    "the text starts and ends with typographic quotation marks, which YAML keeps as part of the text: delimit it with straight quotes instead, `text: \"{}\"`",
                    anchor::shorten(inner, anchor::SHOWN_MAX)
                ));
            }
            diags.push(d);
            (None, 0)
        }
    }
}

/// The error `d` (a quote not found in source `si`) completed with its cause, when that is
/// one of two a curator easily makes, instead of the closest passage: the quote was pasted
/// from another article (it is verbatim in another source), or its elided parts lie in
/// different paragraphs of its source. Looked for only for quotes not found, with each
/// source's index ([`Parsed::word_index`]) where it has one.
fn not_found_because(
    q: &Quote,
    si: usize,
    sources: &[Source<'_>],
    d: Diagnostic,
) -> Option<Diagnostic> {
    let src = &sources[si];
    if let Some(parts) = anchor::elided_across(&src.parsed.blocks, &q.text) {
        let doc = &src.parsed.doc;
        let lines: Vec<String> = parts
            .iter()
            .map(|&(b, off)| line_of(src, doc.blocks[b].start + off).to_string())
            .collect();
        return Some(
            d.note(format!(
                "each part of the quote is in {}, in order, but not within one paragraph: \
                 the parts start on lines {} of {}",
                q.source,
                lines.join(", "),
                src.article.file
            ))
            .help(
                "an elided quote's parts (around `...`, `…` or `[...]`) must appear in order \
                 within one paragraph: quote each paragraph separately, as its own quote with \
                 the same `source:`",
            ),
        );
    }
    let mut found = sources
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != si)
        .filter_map(|(_, s)| {
            let f = anchor::find_with(&s.parsed.blocks, s.parsed.word_index(), &q.text)?;
            Some((s, f))
        });
    let (other, f) = found.next()?;
    let more = found.count();
    let line = line_of(
        other,
        other.parsed.doc.blocks[f.block].start + f.parts[0].start,
    );
    let outlet = if other.article.outlet.is_empty() {
        String::new()
    } else {
        format!("{}, ", other.article.outlet)
    };
    let mut d = d.note(format!(
        "the quote is not in {}; it is verbatim in {}:{line}",
        src.article.file, other.article.file
    ));
    if more > 0 {
        d = d.note(format!(
            "and in {more} other source{} besides",
            if more == 1 { "" } else { "s" }
        ));
    }
    Some(d.help(format!(
        "this quote is verbatim in `{id}` ({outlet}line {line}): did you mean `source: {id}`?",
        id = other.article.id
    )))
}

/// The text inside typographic quotation marks that wrap a whole quote (`“…”`, `‘…’`, `«…»`,
/// `„…“`), as a hurried curator pastes it: YAML takes such marks as part of the text.
fn typographic_wrapped(text: &str) -> Option<&str> {
    const PAIRS: [(char, &[char]); 4] = [
        ('\u{201C}', &['\u{201D}', '\u{201C}']),
        ('\u{2018}', &['\u{2019}']),
        ('\u{00AB}', &['\u{00BB}']),
        ('\u{201E}', &['\u{201C}', '\u{201D}']),
    ];
    let t = text.trim();
    let first = t.chars().next()?;
    let (_, closers) = PAIRS.iter().find(|(open, _)| *open == first)?;
    let inner = t.strip_prefix(first)?;
    let last = inner.chars().last()?;
    if !closers.contains(&last) {
        return None;
    }
    let inner = inner.strip_suffix(last)?.trim();
    (!inner.is_empty()).then_some(inner)
}

/// The line of the article file where a plain-text offset stands.
pub(crate) fn line_of(src: &Source<'_>, plain_offset: usize) -> usize {
    let off = src
        .parsed
        .doc
        .source_offset(plain_offset)
        .min(src.article.body.len());
    // Binary search in the body's line starts: a report of 20,000 quotes does not count lines
    // from the top of the article for each.
    src.article.body_line + src.parsed.lines.line_of(off) - 1
}

fn check_value(c: &Claim, q: &Quote, subject: &str, diags: &mut Vec<Diagnostic>) -> Option<Value> {
    let (raw, pos) = q.value.as_ref()?;
    let Some(spec) = &c.value else {
        diags.push(
            Diagnostic::error(
                CLAIMS_FILE,
                *pos,
                "the quote states a value but the claim declares no value kind",
            )
            .subject(subject.to_string())
            .help("add `value: {kind: quantity}` (or date, year, text) to the claim"),
        );
        return None;
    };
    parse_written(spec, raw, *pos, subject, Written::Quote, diags)
}

/// Where a value was written: a quote's `value:` or the claim's own `stated:`.
#[derive(Clone, Copy)]
pub(crate) enum Written {
    Quote,
    Stated,
}

/// Parses a value written in claims.yaml at `pos`; a malformed one is an error that names
/// the value to write when the text reads as one (`40%` → `40`).
pub(crate) fn parse_written(
    spec: &crate::model::ValueSpec,
    raw: &str,
    pos: crate::diag::Pos,
    subject: &str,
    at: Written,
    diags: &mut Vec<Diagnostic>,
) -> Option<Value> {
    let e = match values::parse(spec.kind, raw) {
        Ok(v) => return Some(v),
        Err(e) => e,
    };
    let (kind, forms) = (spec.kind.as_str(), values::forms(spec.kind));
    let notation = crate::recognise::as_notation(spec.kind, spec.unit.as_deref(), raw);
    let (message, help) = match at {
        Written::Quote => (
            format!("malformed {kind} value: {e}"),
            match notation {
                Some(n) => format!("write `{n}` (values are written as {forms})"),
                None => format!("write {forms}"),
            },
        ),
        Written::Stated => (
            format!("malformed {kind} value in `stated`: {e}"),
            match notation {
                Some(n) => format!("write `{n}` (the value the claim states, as {forms})"),
                None => format!("write the value the claim states as {forms}"),
            },
        ),
    };
    diags.push(
        Diagnostic::error(CLAIMS_FILE, pos, message)
            .subject(subject.to_string())
            .help(help),
    );
    None
}

/// What [`find_conflicts`] finds.
struct Disagreement {
    values: Vec<ValueGroup>,
    conflicts: Vec<Conflict>,
    precision_only: bool,
    /// Two quotes of one source whose values cannot both be true, when no other source
    /// disagrees with that source (a source never conflicts with itself).
    self_contradiction: Option<[usize; 2]>,
}

/// Who states each quote, as the conflict finder counts them: the report (the first version's
/// source index, so that the versions of one report are one party), and whether the quote is
/// its report's latest word on the claim's value and on its side (an earlier version's quote
/// that a later version supersedes is a correction, never a conflict: see
/// [`crate::revisions`]).
#[derive(Clone, Copy, Debug)]
struct Party {
    report: usize,
    current_value: bool,
    current_stance: bool,
}

/// Groups a claim's values and finds why its quotes cannot all be right, in time linear in
/// the quotes (and n log n to sort the values): never by comparing every pair.
///
/// What is concluded, and why it is true to the sources:
/// - Identical values are one group, so they never conflict.
/// - Only each report's latest word counts ([`Party`]): a value a later version replaced is
///   a correction, shown as such, not a disagreement.
/// - The values *cannot all be true* when the intervals have no point in common (in one
///   dimension, intervals that meet pairwise all meet, so this is "some pair does not meet",
///   decided from the highest lower bound and the lowest upper bound), or when the texts
///   are not all one.
/// - It is a *conflict* only when two different reports disagree: some value of one report
///   and some value of another cannot both be true. For intervals, that holds for reports
///   `s` and `t` exactly when the lowest upper bound of `s` lies below the highest lower
///   bound of `t`, so only the two reports with the lowest upper bounds and the two with
///   the highest lower bounds need to be looked at.
/// - Stances conflict when one report supports the claim and another contradicts it.
fn find_conflicts(quotes: &[CheckedQuote<'_>], parties: &[Party]) -> Disagreement {
    let values = group_values(quotes);
    let report: Vec<usize> = parties.iter().map(|p| p.report).collect();
    let mut conflicts = Vec::new();
    let mut precision_only = false;
    let mut self_contradiction = None;
    let stated: Vec<(usize, &Value)> = quotes
        .iter()
        .enumerate()
        .filter(|(i, _)| parties[*i].current_value)
        .filter_map(|(i, q)| q.value.as_ref().map(|v| (i, v)))
        .collect();
    let distinct_current = {
        let mut keys: Vec<ValueKey<'_>> = stated.iter().map(|(_, v)| ValueKey::of(v)).collect();
        keys.sort_unstable();
        keys.dedup();
        keys.len()
    };
    if distinct_current > 1 {
        let all_compatible = match values[0].value {
            Value::Text(_) => false,
            Value::Interval { .. } => {
                let lo = stated.iter().map(|(_, v)| lower(v)).max_by(|a, b| a.cmp(b));
                let hi = stated.iter().map(|(_, v)| upper(v)).min_by(|a, b| a.cmp(b));
                matches!((lo, hi), (Some(l), Some(h)) if l <= h)
            }
        };
        if all_compatible {
            precision_only = true;
        } else {
            let witness = match values[0].value {
                Value::Text(_) => differing_pair(&report, &stated, |a, b| a != b),
                Value::Interval { .. } => separated_pair(&report, &stated),
            };
            match witness {
                Ok((a, b)) => conflicts.push(Conflict {
                    a,
                    b,
                    kind: ConflictKind::Values,
                }),
                Err(pair) => self_contradiction = pair,
            }
        }
    }
    let supporting: Vec<(usize, &Stance)> = quotes
        .iter()
        .enumerate()
        .filter(|(i, _)| parties[*i].current_stance)
        .filter(|(_, q)| matches!(q.stance, Stance::Supports | Stance::Contradicts))
        .map(|(i, q)| (i, &q.stance))
        .collect();
    if let Ok((a, b)) = differing_pair(&report, &supporting, |a, b| a != b) {
        // The supporting quote first.
        let (a, b) = if quotes[a].stance == Stance::Supports {
            (a, b)
        } else {
            (b, a)
        };
        conflicts.push(Conflict {
            a,
            b,
            kind: ConflictKind::Stance,
        });
    }
    Disagreement {
        values,
        conflicts,
        precision_only,
        self_contradiction,
    }
}

/// The distinct values of the quotes, each with its quotes: intervals from the lowest up,
/// texts in the order first quoted.
fn group_values(quotes: &[CheckedQuote<'_>]) -> Vec<ValueGroup> {
    let mut at: HashMap<ValueKey<'_>, usize> = HashMap::new();
    let mut groups: Vec<ValueGroup> = Vec::new();
    for (i, q) in quotes.iter().enumerate() {
        let Some(v) = &q.value else { continue };
        let g = *at.entry(ValueKey::of(v)).or_insert_with(|| {
            groups.push(ValueGroup {
                value: v.clone(),
                quotes: Vec::new(),
            });
            groups.len() - 1
        });
        groups[g].quotes.push(i);
    }
    if groups
        .iter()
        .all(|g| matches!(g.value, Value::Interval { .. }))
    {
        groups.sort_by(|a, b| {
            (lower(&a.value), upper(&a.value)).cmp(&(lower(&b.value), upper(&b.value)))
        });
    }
    groups
}

/// A value as a hash key: equal exactly when the values are equal.
#[derive(PartialEq, Eq, Hash, PartialOrd, Ord)]
enum ValueKey<'v> {
    Interval(Option<(u64, bool)>, Option<(u64, bool)>),
    Text(&'v str),
}

impl<'v> ValueKey<'v> {
    fn of(v: &'v Value) -> ValueKey<'v> {
        // +0.0 and -0.0 are equal values with different bits.
        let bits = |b: Option<values::Bound>| {
            b.map(|b| {
                (
                    (if b.v == 0.0 { 0.0f64 } else { b.v }).to_bits(),
                    b.inclusive,
                )
            })
        };
        match v {
            Value::Interval { lo, hi } => ValueKey::Interval(bits(*lo), bits(*hi)),
            Value::Text(t) => ValueKey::Text(t),
        }
    }
}

/// An end of an interval as a point on the line, so that two intervals meet exactly when
/// the lower end of each is at or below the upper end of the other ([`values::compatible`]):
/// an open end lies just inside its number, an unbounded end at infinity.
#[derive(Clone, Copy, Debug, PartialEq)]
struct End {
    v: f64,
    /// -1 just below `v`, 0 at it, +1 just above it.
    side: i8,
}

impl Eq for End {}

impl PartialOrd for End {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for End {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.v.total_cmp(&other.v).then(self.side.cmp(&other.side))
    }
}

fn lower(v: &Value) -> End {
    match v {
        Value::Interval { lo: Some(b), .. } => End {
            v: b.v,
            side: if b.inclusive { 0 } else { 1 },
        },
        _ => End {
            v: f64::NEG_INFINITY,
            side: 0,
        },
    }
}

fn upper(v: &Value) -> End {
    match v {
        Value::Interval { hi: Some(b), .. } => End {
            v: b.v,
            side: if b.inclusive { 0 } else { -1 },
        },
        _ => End {
            v: f64::INFINITY,
            side: 0,
        },
    }
}

/// Two quotes of different reports whose intervals do not meet, the lower first; `Err` with
/// a pair of one report whose intervals do not meet when no two reports disagree.
#[allow(clippy::type_complexity)]
fn separated_pair(
    report: &[usize],
    stated: &[(usize, &Value)],
) -> Result<(usize, usize), Option<[usize; 2]>> {
    // Per source: the quote with the lowest upper end, and the one with the highest lower end.
    let mut per: HashMap<usize, ((End, usize), (End, usize))> = HashMap::new();
    for &(i, v) in stated {
        let (h, l) = (upper(v), lower(v));
        per.entry(report[i])
            .and_modify(|(lowest, highest)| {
                if h < lowest.0 {
                    *lowest = (h, i);
                }
                if l > highest.0 {
                    *highest = (l, i);
                }
            })
            .or_insert(((h, i), (l, i)));
    }
    // The two sources with the lowest upper ends, and the two with the highest lower ends
    // (ties broken by quote order, so the witness does not depend on hashing).
    let mut lowest: Vec<(End, usize, usize)> = Vec::new();
    let mut highest: Vec<(End, usize, usize)> = Vec::new();
    for (&s, &((h, hi), (l, li))) in &per {
        lowest.push((h, hi, s));
        highest.push((l, li, s));
    }
    lowest.sort_by_key(|a| (a.0, a.1));
    highest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    lowest.truncate(2);
    highest.truncate(2);
    // The most extreme pair of two sources: the lowest upper end against the highest lower
    // end when they are of two sources, else the runner-up of either.
    let mut best: Option<(usize, usize)> = None;
    for (x, y) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
        if let (Some(&(h, hi, s)), Some(&(l, li, t))) = (lowest.get(x), highest.get(y))
            && s != t
            && h < l
        {
            best = Some((hi, li));
            break;
        }
    }
    match best {
        Some(p) => Ok(p),
        None => Err(match (lowest.first(), highest.first()) {
            (Some(&(h, hi, _)), Some(&(l, li, _))) if h < l => Some([hi, li]),
            _ => None,
        }),
    }
}

/// Two quotes of different reports whose items differ (`differ`), in quote order; `Err`
/// with two items of one source that differ when no two sources differ.
#[allow(clippy::type_complexity)]
fn differing_pair<T: ?Sized>(
    report: &[usize],
    items: &[(usize, &T)],
    differ: impl Fn(&T, &T) -> bool,
) -> Result<(usize, usize), Option<[usize; 2]>> {
    let Some(&(first, x)) = items.first() else {
        return Err(None);
    };
    let s0 = report[first];
    // Another report that says something else than the first quote.
    if let Some(&(j, _)) = items.iter().find(|(j, y)| report[*j] != s0 && differ(x, y)) {
        return Ok((first, j));
    }
    // Every other source says what the first quote says: a disagreement needs a quote of
    // the first source that says something else.
    let other_of_s0 = items.iter().find(|(_, y)| differ(x, y)).map(|(j, _)| *j);
    let other_source = items
        .iter()
        .find(|(j, _)| report[*j] != s0)
        .map(|(j, _)| *j);
    match (other_of_s0, other_source) {
        (Some(d), Some(o)) => Ok((d.min(o), d.max(o))),
        (Some(d), None) => Err(Some([first, d])),
        _ => Err(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pos;

    /// splitmix64: a small seeded generator, so the cases are the same on every run.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    fn quote(stance: Stance) -> Quote {
        Quote {
            pos: Pos::default(),
            source: String::new(),
            source_pos: Pos::default(),
            text: String::new(),
            text_pos: Pos::default(),
            stance: Some((stance, Pos::default())),
            value: None,
            via: None,
        }
    }

    /// The grouped, linear computation agrees with comparing every pair of quotes with
    /// [`values::compatible`]: a conflict exactly when two quotes of different sources cannot
    /// both be true (and its witness is such a pair), "precision only" exactly when the
    /// values differ and every pair is compatible, identical values in one group.
    #[test]
    fn conflicts_agree_with_every_pair_compared() {
        const QUANTITIES: &[&str] = &[
            "10", "12", "10-12", "12-15", "~12", ">=12", ">12", "<=10", "<10", "<12", "13", "15",
            "10,000", "10000", "9-10", ">15", "0",
        ];
        const TEXTS: &[&str] = &["paratroopers", "Paratroopers.", "special forces", "marines"];
        let stances = [Stance::Supports, Stance::Contradicts, Stance::Mentions];
        let mut rng = Rng(8);
        let mut disputed = [0usize; 2];
        for case in 0..4000 {
            let text = case % 4 == 0;
            let n = 1 + rng.below(7);
            let sources = 1 + rng.below(3);
            let quotes: Vec<Quote> = (0..n)
                .map(|_| quote(stances[rng.below(stances.len())]))
                .collect();
            let checked: Vec<CheckedQuote<'_>> = quotes
                .iter()
                .map(|q| {
                    let value = if rng.below(5) == 0 {
                        None
                    } else if text {
                        values::parse(ValueKind::Text, TEXTS[rng.below(TEXTS.len())]).ok()
                    } else {
                        values::parse(ValueKind::Quantity, QUANTITIES[rng.below(QUANTITIES.len())])
                            .ok()
                    };
                    CheckedQuote {
                        quote: q,
                        source: rng.below(sources),
                        anchor: None,
                        value,
                        value_from: ValueFrom::Declared,
                        written: None,
                        stated: None,
                        resolution: None,
                        occurrences: 1,
                        mark_id: Arc::from(""),
                        stance: q.stance.map_or(Stance::Supports, |s| s.0),
                        stance_from: StanceFrom::Written,
                    }
                })
                .collect();
            // Sources 0 and 1 may be two versions of one report; a superseded quote is one
            // a later version replaced.
            let merged = rng.below(2) == 0;
            let parties: Vec<Party> = checked
                .iter()
                .map(|q| Party {
                    report: if merged && q.source == 1 { 0 } else { q.source },
                    current_value: rng.below(4) != 0,
                    current_stance: rng.below(4) != 0,
                })
                .collect();
            let d = find_conflicts(&checked, &parties);
            let pairs = |ok: &dyn Fn(&CheckedQuote<'_>, &CheckedQuote<'_>) -> bool| {
                let mut all = Vec::new();
                for i in 0..n {
                    for j in 0..n {
                        if i != j && ok(&checked[i], &checked[j]) {
                            all.push((i, j));
                        }
                    }
                }
                all
            };
            let incompatible =
                |a: &CheckedQuote<'_>, b: &CheckedQuote<'_>| match (&a.value, &b.value) {
                    (Some(x), Some(y)) => !values::compatible(x, y),
                    _ => false,
                };
            let at = |q: &CheckedQuote<'_>| {
                let i = checked
                    .iter()
                    .position(|x| std::ptr::eq(x, q))
                    .expect("a quote of the case");
                parties[i]
            };
            let counted = |q: &CheckedQuote<'_>| at(q).current_value;
            let across = pairs(&|a, b| {
                at(a).report != at(b).report && counted(a) && counted(b) && incompatible(a, b)
            });
            let within = pairs(&|a, b| counted(a) && counted(b) && incompatible(a, b));
            let value_conflict = d.conflicts.iter().find(|k| k.kind == ConflictKind::Values);
            assert_eq!(value_conflict.is_some(), !across.is_empty(), "case {case}");
            if let Some(k) = value_conflict {
                assert!(across.contains(&(k.a, k.b)), "case {case}: witness {k:?}");
                disputed[0] += 1;
            }
            let distinct = {
                let mut u: Vec<&Value> = Vec::new();
                for v in checked
                    .iter()
                    .filter(|q| counted(q))
                    .filter_map(|q| q.value.as_ref())
                {
                    if !u.contains(&v) {
                        u.push(v);
                    }
                }
                u.len()
            };
            assert_eq!(
                d.precision_only,
                distinct > 1 && within.is_empty(),
                "case {case}"
            );
            assert_eq!(
                d.self_contradiction.is_some(),
                across.is_empty() && !within.is_empty(),
                "case {case}"
            );
            // Groups: every stated value once, equal values together, each quote once.
            let stated: Vec<usize> = (0..n).filter(|&i| checked[i].value.is_some()).collect();
            let mut grouped: Vec<usize> = d.values.iter().flat_map(|g| g.quotes.clone()).collect();
            grouped.sort_unstable();
            assert_eq!(grouped, stated, "case {case}");
            for g in &d.values {
                for &i in &g.quotes {
                    assert_eq!(checked[i].value.as_ref(), Some(&g.value), "case {case}");
                }
            }
            for (x, g) in d.values.iter().enumerate() {
                for h in &d.values[x + 1..] {
                    assert_ne!(g.value, h.value, "case {case}");
                }
            }
            let stance_pairs = pairs(&|a, b| {
                at(a).report != at(b).report
                    && at(a).current_stance
                    && at(b).current_stance
                    && a.stance == Stance::Supports
                    && b.stance == Stance::Contradicts
            });
            let stance = d.conflicts.iter().find(|k| k.kind == ConflictKind::Stance);
            assert_eq!(stance.is_some(), !stance_pairs.is_empty(), "case {case}");
            if let Some(k) = stance {
                assert!(stance_pairs.contains(&(k.a, k.b)), "case {case}: {k:?}");
                disputed[1] += 1;
            }
        }
        // The cases reach both answers of both kinds.
        assert!(disputed[0] > 200 && disputed[1] > 200, "{disputed:?}");
    }
}
