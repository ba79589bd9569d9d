//! Versions of one report (`revision_of`): which version of its report each article is,
//! which of a claim's quotes a later version supersedes, the corrections a later version
//! makes to a value, and what a later version added, removed and changed (the revision diff
//! on its page).
//!
//! A value that changes between versions of one report is a *correction* the outlet made,
//! never a dispute between outlets: [`superseded`] tells the conflict finder in
//! [`crate::check`] to compare only each report's latest word, and [`corrections`] lists the
//! changes for the pages. Everything here is linear in the quotes and, for the diff, bounded
//! by caps (see [`diff`]). Nothing here renders pages; [`DiffView::html`] is escaped,
//! line-broken HTML for the site model to place.

use std::collections::HashMap;
use std::time::Duration;

use similar::{Algorithm, DiffTag};

use crate::anchor;
use crate::check::{CheckedQuote, Source};
use crate::markdown::escape;

/// What a reader calls version `version` of a report (0 is the first), when the report has
/// more than one version (`has_versions`).
pub fn version_label(version: usize, has_versions: bool) -> Option<String> {
    match (has_versions, version) {
        (false, _) => None,
        (true, 0) => Some("first version".to_string()),
        (true, 1) => Some("update".to_string()),
        (true, n) => Some(format!("update {n}")),
    }
}

/// Whether source `s` is one of several versions of a report.
pub fn has_versions(s: &Source<'_>) -> bool {
    s.version > 0 || !s.revisions.is_empty()
}

/// For each quote: whether a later version of its report also speaks to the claim in the
/// same way (`speaks`: states a value, or takes a side), so that this quote is no longer the
/// report's word. Linear in the quotes.
pub fn superseded(
    quotes: &[CheckedQuote<'_>],
    sources: &[Source<'_>],
    speaks: impl Fn(&CheckedQuote<'_>) -> bool,
) -> Vec<bool> {
    let mut latest: HashMap<&str, usize> = HashMap::new();
    for q in quotes.iter().filter(|q| speaks(q)) {
        let s = &sources[q.source];
        let v = latest.entry(s.root_id).or_insert(s.version);
        *v = (*v).max(s.version);
    }
    quotes
        .iter()
        .map(|q| {
            let s = &sources[q.source];
            speaks(q) && latest.get(s.root_id).is_some_and(|&v| s.version < v)
        })
        .collect()
}

/// A value a later version of a report changed: quote `from` (of the earlier version) states
/// one value, quote `to` (of the next version that states one) another. Indices in the
/// claim's quotes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Correction {
    pub from: usize,
    pub to: usize,
}

/// The corrections between versions among a claim's quotes: for each report quoted in more
/// than one version with a value, each version's first value compared with the next
/// version's. In the order the reports are first quoted; linear in the quotes (and n log n
/// to order each report's versions).
pub fn corrections(quotes: &[CheckedQuote<'_>], sources: &[Source<'_>]) -> Vec<Correction> {
    let mut at: HashMap<&str, usize> = HashMap::new();
    let mut reports: Vec<Vec<usize>> = Vec::new();
    for (i, q) in quotes.iter().enumerate() {
        if q.value.is_none() {
            continue;
        }
        let root = sources[q.source].root_id;
        let r = *at.entry(root).or_insert_with(|| {
            reports.push(Vec::new());
            reports.len() - 1
        });
        reports[r].push(i);
    }
    let mut out = Vec::new();
    for mut qs in reports {
        let key = |i: usize| {
            let s = &sources[quotes[i].source];
            (s.version, s.article.id.as_str(), i)
        };
        qs.sort_by(|&a, &b| key(a).cmp(&key(b)));
        // The first quote of each version.
        qs.dedup_by_key(|i| quotes[*i].source);
        for w in qs.windows(2) {
            if quotes[w[0]].value != quotes[w[1]].value {
                out.push(Correction {
                    from: w[0],
                    to: w[1],
                });
            }
        }
    }
    out
}

/// What a later version changed, as HTML, with counts of paragraphs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DiffView {
    /// One element per line: `<p class="para para-…">`, with `<ins>`/`<del>` inside.
    pub html: String,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub unchanged: usize,
}

/// The most paragraphs of each version aligned paragraph by paragraph (after the unchanged
/// ones at both ends are set aside); past it the middle is shown as removed, then added.
/// Bounds Myers' O(N×D) on huge articles.
const MAX_PARAGRAPHS: usize = 2_000;

/// The most words of one paragraph that are diffed word by word; a longer changed paragraph
/// is shown removed, then added.
const MAX_PARAGRAPH_WORDS: usize = 2_000;

/// The most words diffed word by word in one article; past it, changed paragraphs are shown
/// removed, then added. With [`MAX_PARAGRAPH_WORDS`], the diff's work is bounded whatever
/// the size of the articles.
const MAX_DIFFED_WORDS: usize = 100_000;

/// How many later paragraphs are looked at for the counterpart of a changed paragraph.
const PAIR_WINDOW: usize = 8;

/// A safety net for each diff (as in the misquote diff, [`crate::anchor::word_diff`]): the
/// caps above end the diff long before it, so the answer is the same on any machine.
const DIFF_DEADLINE: Duration = Duration::from_millis(500);

/// A paragraph of an article: its text, and the text as [`anchor::normalize`] makes it (the
/// check has it already: [`crate::check::Parsed::blocks`]).
#[derive(Clone, Copy, Debug)]
pub struct Para<'a> {
    pub text: &'a str,
    pub key: &'a str,
}

/// What the paragraphs `new` of a later version changed from the paragraphs `old` of an
/// earlier one: paragraphs aligned first (a diff of paragraphs), then words inside each
/// changed paragraph. Paragraphs and words are compared normalised, so typography alone
/// (curly quotes, dashes, spaces) is no change; the words shown are each version's own.
pub fn diff(old_paras: &[Para<'_>], new_paras: &[Para<'_>]) -> DiffView {
    let (old, new): (Vec<&str>, Vec<&str>) = (
        old_paras.iter().map(|p| p.text).collect(),
        new_paras.iter().map(|p| p.text).collect(),
    );
    let (old, new) = (&old[..], &new[..]);
    let (ok, nk): (Vec<&str>, Vec<&str>) = (
        old_paras.iter().map(|p| p.key).collect(),
        new_paras.iter().map(|p| p.key).collect(),
    );
    let mut out = DiffView::default();
    let mut budget = MAX_DIFFED_WORDS;
    // The unchanged paragraphs at both ends are set aside (linear).
    let pre = ok.iter().zip(&nk).take_while(|(a, b)| a == b).count();
    let suf = ok[pre..]
        .iter()
        .rev()
        .zip(nk[pre..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    unchanged(&mut out, pre);
    let (om, nm) = (pre..ok.len() - suf, pre..nk.len() - suf);
    if om.len() > MAX_PARAGRAPHS || nm.len() > MAX_PARAGRAPHS {
        for &p in &old[om] {
            removed(&mut out, p);
        }
        for &p in &new[nm] {
            added(&mut out, p);
        }
    } else {
        let deadline = std::time::Instant::now() + DIFF_DEADLINE;
        let ops = similar::capture_diff_deadline(
            Algorithm::Myers,
            &ok[..],
            om,
            &nk[..],
            nm,
            Some(deadline),
        );
        for op in ops {
            let (tag, o, n) = op.as_tag_tuple();
            match tag {
                DiffTag::Equal => unchanged(&mut out, o.len()),
                DiffTag::Delete => o.for_each(|i| removed(&mut out, old[i])),
                DiffTag::Insert => n.for_each(|j| added(&mut out, new[j])),
                DiffTag::Replace => {
                    replace(&mut out, &mut budget, old, new, &ok, &nk, o, n);
                }
            }
        }
    }
    unchanged(&mut out, suf);
    out
}

/// A run of paragraphs replaced by another: each old paragraph is paired with the first of
/// the next few new ones that shares most of its words (a changed paragraph, diffed word by
/// word); new paragraphs passed over were added, old ones without a counterpart removed.
#[allow(clippy::too_many_arguments)]
fn replace(
    out: &mut DiffView,
    budget: &mut usize,
    old: &[&str],
    new: &[&str],
    ok: &[&str],
    nk: &[&str],
    o: std::ops::Range<usize>,
    n: std::ops::Range<usize>,
) {
    let mut next = n.start;
    for i in o {
        let window = next..n.end.min(next + PAIR_WINDOW);
        let words = Words::of(ok[i]);
        let partner = window.clone().find(|&j| words.similar_enough(nk[j]));
        match partner {
            Some(j) => {
                for &p in &new[next..j] {
                    added(out, p);
                }
                changed(out, budget, (old[i], ok[i]), (new[j], nk[j]));
                next = j + 1;
            }
            None => removed(out, old[i]),
        }
    }
    for &p in &new[next..n.end] {
        added(out, p);
    }
}

/// The words of a paragraph (normalised), counted, to compare with others.
struct Words<'a> {
    counts: HashMap<&'a str, usize>,
    n: usize,
}

impl<'a> Words<'a> {
    fn of(p: &'a str) -> Words<'a> {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        let mut n = 0;
        for w in p.split(' ').filter(|w| !w.is_empty()) {
            *counts.entry(w).or_default() += 1;
            n += 1;
        }
        Words { counts, n }
    }

    /// Whether paragraph `b` shares at least half the words of the longer of the two:
    /// counted with multiplicity, linear in `b`'s length.
    fn similar_enough(&self, b: &str) -> bool {
        let mut used: HashMap<&str, usize> = HashMap::new();
        let (mut nb, mut shared) = (0usize, 0usize);
        for w in b.split(' ').filter(|w| !w.is_empty()) {
            nb += 1;
            if let Some(&c) = self.counts.get(w) {
                let u = used.entry(w).or_default();
                if *u < c {
                    *u += 1;
                    shared += 1;
                }
            }
        }
        let longer = self.n.max(nb);
        longer > 0 && 2 * shared >= longer
    }
}

fn unchanged(out: &mut DiffView, n: usize) {
    if n == 0 {
        return;
    }
    out.unchanged += n;
    let what = if n == 1 {
        "1 paragraph unchanged".to_string()
    } else {
        format!("{n} paragraphs unchanged")
    };
    out.html
        .push_str(&format!("<p class=\"para para-same\">{what}</p>\n"));
}

fn removed(out: &mut DiffView, p: &str) {
    out.removed += 1;
    out.html.push_str(&format!(
        "<p class=\"para para-removed\"><span class=\"para-tag\">Removed</span> <del>{}</del></p>\n",
        escape(p.trim())
    ));
}

fn added(out: &mut DiffView, p: &str) {
    out.added += 1;
    out.html.push_str(&format!(
        "<p class=\"para para-added\"><span class=\"para-tag\">Added</span> <ins>{}</ins></p>\n",
        escape(p.trim())
    ));
}

/// A changed paragraph, word by word: unchanged words as the later version has them, runs
/// of removed words in `<del>`, of added words in `<ins>`.
fn changed(out: &mut DiffView, budget: &mut usize, (a, ak): (&str, &str), (b, bk): (&str, &str)) {
    let (aw, bw): (Vec<&str>, Vec<&str>) = (
        a.split_whitespace().collect(),
        b.split_whitespace().collect(),
    );
    let words = aw.len() + bw.len();
    if aw.len() > MAX_PARAGRAPH_WORDS || bw.len() > MAX_PARAGRAPH_WORDS || words > *budget {
        removed(out, a);
        added(out, b);
        return;
    }
    *budget -= words;
    out.changed += 1;
    // The words of the normalised paragraph, one for one with the words shown (normalising
    // keeps word breaks, except where a "word" was only zero-width characters: then each
    // word is normalised on its own).
    let keys = |text: &[&str], key: &str| -> Vec<String> {
        let k: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
        if k.len() == text.len() {
            k.into_iter().map(str::to_string).collect()
        } else {
            text.iter().map(|w| anchor::normalize(w)).collect()
        }
    };
    let (ak, bk) = (keys(&aw, ak), keys(&bw, bk));
    let deadline = std::time::Instant::now() + DIFF_DEADLINE;
    let ops = similar::capture_diff_deadline(
        Algorithm::Myers,
        &ak[..],
        0..ak.len(),
        &bk[..],
        0..bk.len(),
        Some(deadline),
    );
    let mut pieces: Vec<String> = Vec::new();
    for op in ops {
        let (tag, o, n) = op.as_tag_tuple();
        let old_words = escape(&aw[o].join(" "));
        let new_words = escape(&bw[n].join(" "));
        match tag {
            DiffTag::Equal => pieces.push(new_words),
            DiffTag::Delete => pieces.push(format!("<del>{old_words}</del>")),
            DiffTag::Insert => pieces.push(format!("<ins>{new_words}</ins>")),
            DiffTag::Replace => {
                pieces.push(format!("<del>{old_words}</del> <ins>{new_words}</ins>"));
            }
        }
    }
    out.html.push_str(&format!(
        "<p class=\"para para-changed\"><span class=\"para-tag\">Changed</span> {}</p>\n",
        pieces.join(" ")
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paragraphs as the check gives them (with their normalised text).
    fn diff(old: &[&str], new: &[&str]) -> DiffView {
        fn paras<'a>(ps: &[&'a str], keys: &'a [String]) -> Vec<Para<'a>> {
            ps.iter()
                .zip(keys)
                .map(|(text, key)| Para { text, key })
                .collect()
        }
        let keys =
            |ps: &[&str]| -> Vec<String> { ps.iter().map(|p| anchor::normalize(p)).collect() };
        let (ok, nk) = (keys(old), keys(new));
        super::diff(&paras(old, &ok), &paras(new, &nk))
    }

    #[test]
    fn paragraphs_then_words() {
        let old = [
            "Same at the start.",
            "The other had no documents at all.",
            "A paragraph that goes.",
            "Same at the end.",
        ];
        let new = [
            "Same at the start.",
            "The other had no documents.",
            "A wholly new paragraph arrives here.",
            "Same at the end.",
        ];
        let d = diff(&old, &new);
        assert_eq!((d.added, d.removed, d.changed, d.unchanged), (1, 1, 1, 2));
        assert!(
            d.html
                .contains("The other had no <del>documents at all.</del> <ins>documents.</ins>"),
            "{}",
            d.html
        );
        assert!(d.html.contains("<del>A paragraph that goes.</del>"));
        assert!(
            d.html
                .contains("<ins>A wholly new paragraph arrives here.</ins>")
        );
    }

    #[test]
    fn typography_is_no_change_and_text_is_escaped() {
        let d = diff(
            &["North Korea\u{2019}s <b>units</b>"],
            &["North Korea's <b>units</b>"],
        );
        assert_eq!((d.changed, d.unchanged), (0, 1));
        let d = diff(&["a <b> c d"], &["a <i> c d"]);
        assert!(d.html.contains("&lt;i&gt;"), "{}", d.html);
        assert!(!d.html.contains("<i>"));
    }

    #[test]
    fn huge_middles_are_shown_whole() {
        let old: Vec<String> = (0..MAX_PARAGRAPHS + 1)
            .map(|i| format!("old {i}"))
            .collect();
        let new: Vec<String> = (0..MAX_PARAGRAPHS + 1)
            .map(|i| format!("new {i}"))
            .collect();
        let (o, n): (Vec<&str>, Vec<&str>) = (
            old.iter().map(|s| s.as_str()).collect(),
            new.iter().map(|s| s.as_str()).collect(),
        );
        let d = diff(&o, &n);
        assert_eq!(
            (d.removed, d.added),
            (MAX_PARAGRAPHS + 1, MAX_PARAGRAPHS + 1)
        );
    }

    #[test]
    fn labels() {
        assert_eq!(version_label(0, false), None);
        assert_eq!(version_label(0, true).as_deref(), Some("first version"));
        assert_eq!(version_label(1, true).as_deref(), Some("update"));
        assert_eq!(version_label(2, true).as_deref(), Some("update 2"));
    }
}
