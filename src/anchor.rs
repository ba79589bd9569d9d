//! Quote anchoring: finding each quote in the plain text of its source.
//!
//! Matching ignores what typography and copying change (curly vs straight quotes, dash
//! variants, non-breaking and repeated white space, Markdown markup, which the plain text has
//! already dropped) but never letter case or words. `...`, `…` and `[...]` elide: each part
//! must appear in order within one block. Quotes match whole words only ("10,000" is not
//! found inside "110,000").
//!
//! When a quote is not found, [`closest`] finds the passage of the source that shares the most
//! words with it, so the error can show the curator what the source really says.
//!
//! Each block is normalised once ([`Normalized`]); a quote search scans only the blocks of its
//! own source, so the work is linear in the text of the sources quoted.

use std::collections::HashMap;
use std::ops::Range;

/// How one character is normalised: `None` drops it, otherwise its replacement.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' | '`'
        | '\u{00B4}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => "\"",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => "-",
        '\u{2026}' => "...",
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' => "",
        _ => return None,
    })
}

/// Normalises a string the way quotes are matched (keeping case).
pub fn normalize(s: &str) -> String {
    Normalized::new(s).text
}

/// A text in normalised form, with a map back to the original byte offsets.
///
/// Normalising is two passes: typography is folded and white space collapsed character by
/// character ([`fold`]), then the result is put in Unicode NFC, so that a source typed with
/// combining accents (NFD, as some systems copy it) matches a quote typed with precomposed
/// letters and the other way round. Both passes keep, for every byte they produce, the
/// start of the original character it came from, so a match still points at the source's
/// own bytes.
pub struct Normalized {
    pub text: String,
    /// For each byte of `text`: the start of the original character it came from.
    starts: Vec<u32>,
    /// Where the last character that made it into `text` ends in the original.
    len: u32,
}

impl Normalized {
    pub fn new(s: &str) -> Normalized {
        let mut text = String::with_capacity(s.len());
        let mut starts = Vec::with_capacity(s.len());
        let mut last_end = 0u32;
        let mut pending_space: Option<u32> = None;
        for (i, c) in s.char_indices() {
            if c.is_whitespace() {
                if !text.is_empty() && pending_space.is_none() {
                    pending_space = Some(i as u32);
                }
                continue;
            }
            let mut buf = [0u8; 4];
            let rep: &str = match fold(c) {
                Some(r) => r,
                None => c.encode_utf8(&mut buf),
            };
            if rep.is_empty() {
                continue;
            }
            if let Some(sp) = pending_space.take() {
                text.push(' ');
                starts.push(sp);
            }
            text.push_str(rep);
            for _ in 0..rep.len() {
                starts.push(i as u32);
            }
            last_end = (i + c.len_utf8()) as u32;
        }
        let (text, starts) = compose(text, starts);
        Normalized {
            text,
            starts,
            len: last_end,
        }
    }

    /// The original byte range of a normalised range: from the start of its first character
    /// to the start of the character after its last (white space after it is not included:
    /// a folded run of spaces maps to its first space). An empty range maps to an empty
    /// range where it starts.
    pub fn original(&self, r: Range<usize>) -> Range<usize> {
        let Some(&start) = self.starts.get(r.start) else {
            return self.len as usize..self.len as usize;
        };
        let start = start as usize;
        if r.end <= r.start {
            return start..start;
        }
        // The bytes of one folded character (`…` as `...`) share a start: skip to the next.
        let last = self.starts[(r.end - 1).min(self.starts.len() - 1)];
        let mut i = r.end;
        while i < self.starts.len() && self.starts[i] == last {
            i += 1;
        }
        let end = self.starts.get(i).map_or(self.len, |&s| s) as usize;
        start..end.max(start)
    }
}

/// Puts a folded text in NFC, carrying its map of original offsets along.
///
/// Composition only ever joins a character with the ones just before it, so the text is cut
/// into runs that compose on their own: a new run starts at every starter (combining class 0)
/// that does not compose with the run's starter as composed so far (Hangul jamo compose
/// starter with starter). Each run is composed on its
/// own and every byte it gives maps to the run's first original offset (a run is one letter
/// and its marks, so the highlight still covers whole letters). Text already in NFC, nearly
/// all text, is returned as it is after a quick check.
fn compose(text: String, starts: Vec<u32>) -> (String, Vec<u32>) {
    use unicode_normalization::char::{
        canonical_combining_class, compose as pair, decompose_canonical,
    };
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        return (text, starts);
    }
    let mut out = String::with_capacity(text.len());
    let mut out_starts = Vec::with_capacity(starts.len());
    let mut run_start = 0;
    let flush = |from: usize, to: usize, out: &mut String, out_starts: &mut Vec<u32>| {
        if from == to {
            return;
        }
        let at = starts[from];
        for c in text[from..to].nfc() {
            // NFC can give characters the first pass folds (U+1FEF is a grave accent): fold
            // them again, so that normalising twice changes nothing.
            let mut buf = [0u8; 4];
            let rep = fold(c).unwrap_or_else(|| c.encode_utf8(&mut buf));
            out.push_str(rep);
            out_starts.extend(std::iter::repeat_n(at, rep.len()));
        }
    };
    // The run's starter as composed so far, and whether a mark since blocks it from
    // composing with a later starter.
    let mut starter: Option<char> = None;
    let mut blocked = false;
    for (i, c) in text.char_indices() {
        // A character whose decomposition starts with a mark (U+0F73) joins the run too.
        let mut first = None;
        decompose_canonical(c, |d| {
            first.get_or_insert(d);
        });
        if canonical_combining_class(first.unwrap_or(c)) != 0 {
            blocked = true;
            continue;
        }
        if !blocked && let Some(x) = starter.and_then(|s| pair(s, c)) {
            starter = Some(x); // Hangul syllables: L + V, then LV + T
            continue;
        }
        flush(run_start, i, &mut out, &mut out_starts);
        run_start = i;
        starter = Some(c);
        blocked = false;
    }
    flush(run_start, text.len(), &mut out, &mut out_starts);
    (out, out_starts)
}

/// Splits a normalised quote into the parts separated by elisions.
pub fn parts(quote: &str) -> Vec<String> {
    quote
        .replace("[...]", "...")
        .split("...")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

fn is_word_byte(text: &str, at: usize, before: bool) -> bool {
    let c = if before {
        text[..at].chars().next_back()
    } else {
        text[at..].chars().next()
    };
    c.is_some_and(char::is_alphanumeric)
}

/// The first place `part` occurs in `text` from `from` on, on word boundaries.
fn find_word(text: &str, part: &str, from: usize) -> Option<usize> {
    find_word_with(
        &memchr::memmem::Finder::new(part.as_bytes()),
        text,
        part,
        from,
    )
}

/// [`find_word`] with a searcher built once for `part` (a quote is looked for in every block
/// of its source).
fn find_word_with(
    finder: &memchr::memmem::Finder<'_>,
    text: &str,
    part: &str,
    from: usize,
) -> Option<usize> {
    let first_alnum = part.chars().next().is_some_and(char::is_alphanumeric);
    let last_alnum = part.chars().next_back().is_some_and(char::is_alphanumeric);
    let mut at = from;
    while let Some(i) = text.as_bytes().get(at..).and_then(|t| finder.find(t)) {
        let s = at + i;
        let e = s + part.len();
        let ok_start = !first_alnum || !is_word_byte(text, s, true);
        let ok_end = !last_alnum || !is_word_byte(text, e, false);
        if ok_start && ok_end {
            return Some(s);
        }
        at = s + text[s..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// Where a quote was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The block of the source it is in.
    pub block: usize,
    /// The ranges of the block's plain text that the quote's parts cover (original bytes,
    /// relative to the block's start).
    pub parts: Vec<Range<usize>>,
    /// How many places in the source the quote matches.
    pub occurrences: usize,
}

/// Matches the parts, in order, in one normalised block; returns their normalised ranges.
fn match_in(
    block: &str,
    parts: &[(String, memchr::memmem::Finder<'_>)],
    from: usize,
) -> Option<Vec<Range<usize>>> {
    let mut out = Vec::with_capacity(parts.len());
    let mut at = from;
    for (p, finder) in parts {
        let s = find_word_with(finder, block, p, at)?;
        out.push(s..s + p.len());
        at = s + p.len();
    }
    Some(out)
}

/// Which blocks of a source hold each word (a maximal run of alphanumeric characters of the
/// normalised text). A quote is then looked for only in the blocks that hold its rarest
/// inner word, so many quotes into one long article cost the blocks each could be in, not
/// the whole article each time. It costs memory in proportion to the article's words, so
/// `check` builds it only for long articles that are quoted often ([`crate::check::Parsed`]).
pub struct WordIndex {
    blocks: HashMap<String, Vec<u32>>,
}

impl WordIndex {
    pub fn new(blocks: &[Normalized]) -> WordIndex {
        let mut map: HashMap<String, Vec<u32>> = HashMap::new();
        for (b, block) in blocks.iter().enumerate() {
            let b = b as u32;
            for (s, e) in words(&block.text) {
                let list = map.entry(block.text[s..e].to_string()).or_default();
                if list.last() != Some(&b) {
                    list.push(b);
                }
            }
        }
        WordIndex { blocks: map }
    }

    /// The blocks that hold `word`, in order.
    fn blocks_of(&self, word: &str) -> &[u32] {
        self.blocks.get(word).map_or(&[], Vec::as_slice)
    }

    /// The fewest blocks that a match of all of `parts` could be in: those holding the rarest
    /// word that lies strictly inside one part (a word at a part's edge may be part of a longer
    /// word of the source). `None` when no part has an inner word.
    fn candidates(&self, parts: &[(String, memchr::memmem::Finder<'_>)]) -> Option<&[u32]> {
        let mut best: Option<&[u32]> = None;
        for (p, _) in parts {
            for (s, e) in words(p) {
                if s == 0 || e == p.len() {
                    continue;
                }
                let bs = self.blocks_of(&p[s..e]);
                if best.is_none_or(|b| bs.len() < b.len()) {
                    best = Some(bs);
                }
            }
        }
        best
    }
}

/// The byte ranges of the maximal runs of alphanumeric characters of `s`.
fn words(s: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut it = s.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = it.by_ref().find(|(_, c)| c.is_alphanumeric())?;
        let mut end = s.len();
        while let Some(&(i, c)) = it.peek() {
            if !c.is_alphanumeric() {
                end = i;
                break;
            }
            it.next();
        }
        Some((start, end))
    })
}

/// Finds `quote` in the normalised blocks of a source.
pub fn find(blocks: &[Normalized], quote: &str) -> Option<Found> {
    find_with(blocks, None, quote)
}

/// [`find`], looking only in the blocks that `index` (of these blocks) says could hold the
/// quote. The answer is the same with or without the index.
pub fn find_with(blocks: &[Normalized], index: Option<&WordIndex>, quote: &str) -> Option<Found> {
    let q = normalize(quote);
    let q = q.trim();
    if q.is_empty() {
        return None;
    }
    // A quote is first tried literally (sources contain "..." too), then with elisions.
    let literal = vec![q.to_string()];
    let split = parts(q);
    let candidates: Vec<&Vec<String>> =
        if split.len() > 1 || split.first().map(String::as_str) != Some(q) {
            vec![&literal, &split]
        } else {
            vec![&literal]
        };
    for ps in candidates {
        if ps.is_empty() {
            continue;
        }
        let ps: Vec<(String, memchr::memmem::Finder<'_>)> = ps
            .iter()
            .map(|p| {
                (
                    p.clone(),
                    memchr::memmem::Finder::new(p.as_bytes()).into_owned(),
                )
            })
            .collect();
        let ps = ps.as_slice();
        let mut first: Option<(usize, Vec<Range<usize>>)> = None;
        let mut occurrences = 0;
        // A match lies in a block that holds every inner word of every part: with an index,
        // only the blocks holding the rarest one are searched (in order, so the first match
        // and the count of occurrences are those of a search of every block).
        let only = index.and_then(|ix| ix.candidates(ps));
        let order: Box<dyn Iterator<Item = usize>> = match only {
            Some(bs) => Box::new(bs.iter().map(|&b| b as usize)),
            None => Box::new(0..blocks.len()),
        };
        for b in order {
            let block = &blocks[b];
            let mut from = 0;
            while let Some(m) = match_in(&block.text, ps, from) {
                occurrences += 1;
                from = m[0].start
                    + block.text[m[0].start..]
                        .chars()
                        .next()
                        .map_or(1, char::len_utf8);
                if first.is_none() {
                    first = Some((b, m));
                }
                if occurrences > 1 && ps.len() > 1 {
                    break;
                }
            }
        }
        if let Some((b, m)) = first {
            return Some(Found {
                block: b,
                parts: m.into_iter().map(|r| blocks[b].original(r)).collect(),
                occurrences,
            });
        }
    }
    None
}

/// Where the parts of an elided quote (two or more parts) lie when they are all in the
/// source, in order, but not within one block: for each part, its block and its start
/// (original bytes, relative to the block's start). `None` when the quote has one part, or a
/// part is not found after the one before it, or all lie in one block. One pass over the
/// blocks from the first part's match on: linear in the source.
pub fn elided_across(blocks: &[Normalized], quote: &str) -> Option<Vec<(usize, usize)>> {
    let q = normalize(quote);
    let ps = parts(q.trim());
    if ps.len() < 2 {
        return None;
    }
    let mut out = Vec::with_capacity(ps.len());
    let (mut b, mut at) = (0, 0);
    for p in &ps {
        let finder = memchr::memmem::Finder::new(p.as_bytes());
        loop {
            let block = blocks.get(b)?;
            if let Some(s) = find_word_with(&finder, &block.text, p, at) {
                out.push((b, block.original(s..s + p.len()).start));
                at = s + p.len();
                break;
            }
            b += 1;
            at = 0;
        }
    }
    (out.first()?.0 != out.last()?.0).then_some(out)
}

/// The passage of a source closest to a quote that was not found.
#[derive(Clone, Debug)]
pub struct Closest {
    pub block: usize,
    /// Original byte range within the block.
    pub range: Range<usize>,
    /// The quote differs from this passage only in letter case.
    pub case_only: bool,
}

fn words_with_ranges(s: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(st) = start.take() {
            out.push((s[st..i].to_lowercase(), st..i));
        }
    }
    if let Some(st) = start {
        out.push((s[st..].to_lowercase(), st..s.len()));
    }
    out
}

/// A text in lower case, with the offset in the original of each of its bytes.
///
/// Lower-casing is done one character at a time because it can change a character's length
/// (the Kelvin sign, three bytes, becomes `k`; `İ` becomes `i` and a combining dot): offsets
/// of a lower-cased string as a whole do not carry over to the original.
struct Lowered {
    text: String,
    /// For each byte of `text`: the start of the original character it came from.
    starts: Vec<usize>,
    /// The length of the original.
    len: usize,
}

impl Lowered {
    fn new(s: &str) -> Lowered {
        let mut text = String::with_capacity(s.len());
        let mut starts = Vec::with_capacity(s.len());
        for (i, c) in s.char_indices() {
            let before = text.len();
            text.extend(c.to_lowercase());
            starts.extend(std::iter::repeat_n(i, text.len() - before));
        }
        Lowered {
            text,
            starts,
            len: s.len(),
        }
    }

    /// Whether `r` starts and ends where original characters do.
    fn aligned(&self, r: Range<usize>) -> bool {
        let at =
            |i: usize| i == 0 || i >= self.starts.len() || self.starts[i - 1] != self.starts[i];
        r.start < r.end && at(r.start) && at(r.end)
    }

    /// The original range of `r`, a range of whole characters of `text`.
    fn original(&self, r: Range<usize>) -> Range<usize> {
        let start = self.starts.get(r.start).copied().unwrap_or(self.len);
        let end = self.starts.get(r.end).copied().unwrap_or(self.len);
        start..end.max(start)
    }
}

/// Finds the window of the source's words that shares the most words with the quote.
pub fn closest(blocks: &[Normalized], quote: &str) -> Option<Closest> {
    let q = normalize(quote);
    let lower = Lowered::new(&q).text;
    if !lower.is_empty() {
        for (b, block) in blocks.iter().enumerate() {
            let folded = Lowered::new(&block.text);
            let mut from = 0;
            while let Some(i) = find_word(&folded.text, &lower, from) {
                from = i + folded.text[i..].chars().next().map_or(1, char::len_utf8);
                if !folded.aligned(i..i + lower.len()) {
                    continue; // part of one character's lower case (`i` of `İ`)
                }
                let r = folded.original(i..i + lower.len());
                if block.text[r.clone()] != *q {
                    return Some(Closest {
                        block: b,
                        range: block.original(r),
                        case_only: true,
                    });
                }
                break;
            }
        }
    }
    let qwords: Vec<String> = words_with_ranges(&q).into_iter().map(|w| w.0).collect();
    if qwords.is_empty() {
        return None;
    }
    let mut want: HashMap<&str, i32> = HashMap::new();
    for w in &qwords {
        *want.entry(w.as_str()).or_default() += 1;
    }
    let k = qwords.len();
    let mut best: Option<(i32, usize, Range<usize>)> = None;
    for (b, block) in blocks.iter().enumerate() {
        let words = words_with_ranges(&block.text);
        if words.is_empty() {
            continue;
        }
        let mut have: HashMap<&str, i32> = HashMap::new();
        let mut score = 0i32;
        for (i, (w, _)) in words.iter().enumerate() {
            let e = have.entry(w.as_str()).or_default();
            *e += 1;
            if *e <= *want.get(w.as_str()).unwrap_or(&0) {
                score += 1;
            }
            if i >= k {
                let old = words[i - k].0.as_str();
                let e = have.entry(old).or_default();
                if *e <= *want.get(old).unwrap_or(&0) {
                    score -= 1;
                }
                *e -= 1;
            }
            let start = (i + 1).saturating_sub(k);
            if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                // Drop leading words the quote does not have, then fill the window up to the
                // quote's length again, so the passage lines up with the quote.
                let mut first = start;
                while first < i && !want.contains_key(words[first].0.as_str()) {
                    first += 1;
                }
                let last = (first + k - 1).min(words.len() - 1).max(i);
                let r = words[first].1.start..words[last].1.end;
                best = Some((score, b, r));
            }
        }
    }
    let (score, b, r) = best?;
    if score == 0 {
        return None;
    }
    Some(Closest {
        block: b,
        range: blocks[b].original(r),
        case_only: false,
    })
}

/// The most words on either side of the changed middle that the word diff aligns: past it
/// the middle is shown as one replacement. Bounds the diff's work (Myers' algorithm is
/// O(N×D)) whatever the size of the quote.
const DIFF_MAX_WORDS: usize = 2_000;

/// How long the word diff may take before it settles for a coarser answer. Only a safety
/// net: with [`DIFF_MAX_WORDS`] the diff ends long before it (the answer is the same on any
/// machine unless it is reached).
const DIFF_DEADLINE: std::time::Duration = std::time::Duration::from_millis(500);

/// How many characters of an unchanged run of words the word diff shows on each side of a
/// change.
const DIFF_CONTEXT: usize = 120;

/// The most characters of text that a report shows whole ([`shorten`]).
pub const SHOWN_MAX: usize = 800;

/// `s` if it has at most `max` characters; otherwise its start and end with the number of
/// characters left out between them (cut on characters, never inside one).
pub fn shorten(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    let keep = max / 2;
    let head: String = s.chars().take(keep).collect();
    let tail_start = s.char_indices().nth(n - keep).map_or(s.len(), |(i, _)| i);
    format!(
        "{head} [\u{2026} {} characters left out \u{2026}] {}",
        n - 2 * keep,
        &s[tail_start..]
    )
}

/// The last `max` characters of `s` (with how many are left out before them).
fn last_chars(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    let from = s.char_indices().nth(n - max).map_or(s.len(), |(i, _)| i);
    format!("[\u{2026} {} characters left out] {}", n - max, &s[from..])
}

/// The first `max` characters of `s` (with how many are left out after them).
fn first_chars(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    let to = s.char_indices().nth(max).map_or(s.len(), |(i, _)| i);
    format!("{} [{} characters left out \u{2026}]", &s[..to], n - max)
}

/// A word diff between what the source says and the quote: `[-source-]{+quote+}`.
///
/// The words both share at the start and at the end are set aside first (linear), so only
/// the changed middle is diffed; long unchanged runs and long changes are shown shortened.
pub fn word_diff(source: &str, quote: &str) -> String {
    let (a, b) = (normalize(source), normalize(quote));
    let aw: Vec<&str> = a.split_inclusive(' ').collect();
    let bw: Vec<&str> = b.split_inclusive(' ').collect();
    let p = aw.iter().zip(&bw).take_while(|(x, y)| x == y).count();
    let s = aw[p..]
        .iter()
        .rev()
        .zip(bw[p..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a_mid, b_mid) = (&aw[p..aw.len() - s], &bw[p..bw.len() - s]);
    let mut out = last_chars(&aw[..p].concat(), DIFF_CONTEXT);
    let (am, bm) = (a_mid.concat(), b_mid.concat());
    if a_mid.len() > DIFF_MAX_WORDS || b_mid.len() > DIFF_MAX_WORDS {
        let space = am.ends_with(' ') || bm.ends_with(' ');
        if !am.trim().is_empty() {
            out.push_str(&format!("[-{}-]", shorten(am.trim(), SHOWN_MAX / 2)));
        }
        if !bm.trim().is_empty() {
            out.push_str(&format!("{{+{}+}}", shorten(bm.trim(), SHOWN_MAX / 2)));
        }
        if space {
            out.push(' ');
        }
    } else {
        out.push_str(&diff_middle(&am, &bm));
    }
    out.push_str(&first_chars(&aw[aw.len() - s..].concat(), DIFF_CONTEXT));
    shorten(&out.replace("-] {+", "-]{+"), 2 * SHOWN_MAX)
}

/// The word diff of the changed middle of two texts.
fn diff_middle(a: &str, b: &str) -> String {
    let diff = similar::TextDiff::configure()
        .timeout(DIFF_DEADLINE)
        .diff_words(a, b);
    let mut out = String::new();
    for op in diff.ops() {
        for change in diff.iter_changes(op) {
            let v = change.value();
            match change.tag() {
                similar::ChangeTag::Equal => out.push_str(&shorten(v, 2 * DIFF_CONTEXT)),
                similar::ChangeTag::Delete => {
                    if !v.trim().is_empty() {
                        out.push_str(&format!("[-{}-]", v.trim()));
                    }
                    if v.ends_with(' ') {
                        out.push(' ');
                    }
                }
                similar::ChangeTag::Insert => {
                    if !v.trim().is_empty() {
                        out.push_str(&format!("{{+{}+}}", v.trim()));
                    }
                    if v.ends_with(' ') {
                        out.push(' ');
                    }
                }
            }
        }
    }
    out
}

/// Abbreviations after which a full stop never ends a sentence.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sgt", "capt", "gov", "sen", "rep", "vs",
    "etc", "jr", "sr", "prof", "rev",
];

/// Abbreviations that do not end a sentence when a number follows ("No. 84", "Jan. 11").
const BEFORE_NUMBERS: &[&str] = &[
    "no", "nos", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "art", "vol", "p", "pp",
];

/// Whether a sentence ends at byte `i` of `text` (`text[i]` is `.`, `!` or `?`).
fn ends_sentence(text: &str, i: usize) -> bool {
    let b = text.as_bytes();
    if b[i] == b'.' {
        let word_start = text[..i]
            .char_indices()
            .rev()
            .find(|(_, c)| !c.is_alphanumeric() && *c != '.')
            .map_or(0, |(p, c)| p + c.len_utf8());
        let word = &text[word_start..i];
        let last = word.rsplit('.').next().unwrap_or(word);
        if last.chars().count() == 1 && last.chars().all(|c| c.is_uppercase()) {
            return false; // an initial, or U.S.
        }
        let lower = last.to_lowercase();
        if TITLES.contains(&lower.as_str()) {
            return false;
        }
        let number_follows = text[i + 1..]
            .trim_start()
            .starts_with(|c: char| c.is_ascii_digit());
        if number_follows && BEFORE_NUMBERS.contains(&lower.as_str()) {
            return false;
        }
    }
    let mut rest = text[i + 1..].chars().peekable();
    while let Some(c) = rest.peek() {
        if matches!(c, '"' | '\'' | '\u{201D}' | '\u{2019}' | ')' | ']') {
            rest.next();
        } else {
            break;
        }
    }
    match rest.next() {
        None => true,
        Some(c) if c.is_whitespace() => rest.find(|c| !c.is_whitespace()).is_none_or(|c| {
            c.is_uppercase()
                || c.is_ascii_digit()
                || matches!(c, '"' | '\u{201C}' | '\u{2018}' | '\'')
        }),
        _ => false,
    }
}

/// The sentence(s) around `range` in a block of plain text.
pub fn sentence_around(text: &str, range: Range<usize>) -> Range<usize> {
    let mut start = 0;
    for (i, c) in text[..range.start].char_indices() {
        if matches!(c, '.' | '!' | '?') && ends_sentence(text, i) {
            // The next sentence starts after the closing quotes and white space.
            let after = &text[i + 1..];
            let skip = after
                .char_indices()
                .find(|(_, c)| {
                    !(c.is_whitespace()
                        || matches!(c, '"' | '\'' | '\u{201D}' | '\u{2019}' | ')' | ']'))
                })
                .map_or(after.len(), |(j, _)| j);
            if i + 1 + skip <= range.start {
                start = i + 1 + skip;
            }
        }
    }
    let mut end = text.len();
    // The last character of the range: a sentence may end on it ("... Russia.").
    let search_from = text[..range.end]
        .char_indices()
        .next_back()
        .map_or(range.start, |(i, _)| i)
        .max(range.start);
    for (i, c) in text[search_from..].char_indices() {
        let at = search_from + i;
        if matches!(c, '.' | '!' | '?') && at + 1 >= range.end && ends_sentence(text, at) {
            let after = &text[at + 1..];
            let closing = after
                .char_indices()
                .find(|(_, c)| !matches!(c, '"' | '\'' | '\u{201D}' | '\u{2019}' | ')' | ']'))
                .map_or(after.len(), |(j, _)| j);
            end = at + 1 + closing;
            break;
        }
    }
    start..end.max(range.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(texts: &[&str]) -> Vec<Normalized> {
        texts.iter().map(|t| Normalized::new(t)).collect()
    }

    #[test]
    fn typography_is_ignored() {
        let b = blocks(&[
            "He said it was Russia\u{2019}s \u{201C}sovereign decision\u{201D} \u{2013} twice.",
        ]);
        let f = find(&b, "Russia's \"sovereign  decision\" - twice").expect("found");
        assert_eq!(f.parts, vec![15..60]);
        assert_eq!(f.occurrences, 1);
    }

    #[test]
    fn case_and_words_matter() {
        let b = blocks(&["Pyongyang had sent 110,000 soldiers."]);
        assert!(find(&b, "pyongyang had sent").is_none());
        assert!(find(&b, "10,000 soldiers").is_none());
        assert!(find(&b, "110,000 soldiers").is_some());
    }

    #[test]
    fn elisions_within_one_block() {
        let b = blocks(&["One two three four five.", "Six seven."]);
        let f = find(&b, "One two ... five").expect("found");
        assert_eq!(f.parts, vec![0..7, 19..23]);
        assert!(find(&b, "four five ... Six").is_none());
        assert!(find(&b, "five ... two").is_none());
        assert!(find(&b, "One […] four").is_some());
    }

    #[test]
    fn literal_dots_in_source() {
        let b = blocks(&["the prisoner...emphasises that"]);
        let f = find(&b, "the prisoner...emphasises").expect("found");
        assert_eq!(f.parts.len(), 1);
    }

    #[test]
    fn duplicates_are_counted() {
        let b = blocks(&["a war b", "the war"]);
        assert_eq!(find(&b, "war").map(|f| f.occurrences), Some(2));
    }

    #[test]
    fn closest_passage() {
        let b = blocks(&[
            "Nothing here.",
            "The soldiers were captured by paratroopers on 9 January.",
        ]);
        let c = closest(&b, "captured by parachutists on 9 January").expect("close");
        assert_eq!(c.block, 1);
        assert!(!c.case_only);
        let c = closest(&b, "the soldiers were captured").expect("close");
        assert!(c.case_only);
        // Inside a longer word is not a difference of case.
        let b2 = blocks(&["They were recaptured on Monday."]);
        let c = closest(&b2, "captured on Monday").expect("close");
        assert!(!c.case_only);
        assert_eq!(
            word_diff(
                "captured by paratroopers on 9 January",
                "captured by parachutists on 9 January"
            ),
            "captured by [-paratroopers-]{+parachutists+} on 9 January"
        );
    }

    #[test]
    fn sentences() {
        let t = "Jan. 11 was a Saturday. The U.S. said \u{201C}no.\u{201D} Then it said yes. End";
        let s = t.find("said").expect("x");
        let r = sentence_around(t, s..s + 4);
        assert_eq!(&t[r], "The U.S. said \u{201C}no.\u{201D}");
        let s = t.find("was").expect("x");
        assert_eq!(&t[sentence_around(t, s..s + 3)], "Jan. 11 was a Saturday.");
        let s = t.find("End").expect("x");
        assert_eq!(&t[sentence_around(t, s..s + 3)], "End");
    }

    #[test]
    fn case_folding_that_changes_lengths_does_not_panic() {
        // The Kelvin sign (3 bytes) lower-cases to `k` (1 byte), `İ` (2 bytes) to `i` and a
        // combining dot (3 bytes): offsets of the lower-cased text as a whole are wrong.
        let b = blocks(&["\u{212A}elvin and \u{0130}stanbul met the Quick Brown Fox today."]);
        let c = closest(&b, "the quick brown fox").expect("close");
        assert!(c.case_only);
        let t = "\u{212A}elvin and \u{0130}stanbul met the Quick Brown Fox today.";
        assert_eq!(&t[c.range], "the Quick Brown Fox");
        // Two `İ` (one byte longer each) and a Kelvin sign (two bytes shorter): the same
        // length in all, but the match is two bytes off, inside the Kelvin sign.
        let t = "\u{0130}\u{0130} Fox \u{00E9} \u{212A}";
        let c = closest(&blocks(&[t]), "fox \u{00E9}").expect("close");
        assert!(c.case_only);
        assert_eq!(&t[c.range], "Fox \u{00E9}");
    }

    #[test]
    fn nfd_and_nfc_match_each_other() {
        let nfd = "Le caf\u{0065}\u{0301} est ferm\u{0065}\u{0301} le lundi.";
        let nfc = "Le caf\u{00E9} est ferm\u{00E9} le lundi.";
        for (source, quote) in [
            (nfd, "caf\u{00E9} est ferm\u{00E9}"),
            (nfc, "caf\u{0065}\u{0301} est ferm\u{0065}\u{0301}"),
        ] {
            let b = blocks(&[source]);
            let f = find(&b, quote).expect("found");
            let r = f.parts[0].clone();
            // The highlight covers the source's own bytes, accents included.
            let expected = if source == nfd {
                "caf\u{0065}\u{0301} est ferm\u{0065}\u{0301}"
            } else {
                "caf\u{00E9} est ferm\u{00E9}"
            };
            assert_eq!(&source[r], expected);
        }
        assert_eq!(normalize("e\u{0301}"), "\u{00E9}");
        // A folded character between a letter and its accent: normalising twice is once.
        let s = "e\u{00AD}\u{0301} \u{1FEF}";
        assert_eq!(normalize(&normalize(s)), normalize(s));
    }

    #[test]
    fn long_quotes_are_diffed_quickly_and_shown_shortened() {
        let words: Vec<String> = (0..200_000).map(|i| format!("w{i}")).collect();
        let source = words.join(" ");
        let mut quote_words = words.clone();
        quote_words[100_000] = "changed".to_string();
        let quote = quote_words.join(" ");
        let d = word_diff(&source, &quote);
        assert!(d.contains("[-w100000-]{+changed+}"), "{d}");
        assert!(d.len() < 4 * SHOWN_MAX, "{} bytes", d.len());
        assert!(d.contains("characters left out"), "{d}");
        // Everything different: one replacement, shortened.
        let other: Vec<String> = (0..200_000).map(|i| format!("v{i}")).collect();
        let d = word_diff(&source, &other.join(" "));
        assert!(d.starts_with("[-w0 w1"), "{d}");
        assert!(d.len() < 4 * SHOWN_MAX, "{} bytes", d.len());
    }

    #[test]
    fn shortening_keeps_both_ends() {
        assert_eq!(shorten("abc", 10), "abc");
        let s = "\u{00E9}".repeat(100);
        let t = shorten(&s, 10);
        assert!(t.starts_with("\u{00E9}\u{00E9}\u{00E9}\u{00E9}\u{00E9} ["));
        assert!(t.contains("90 characters left out"));
        assert!(t.ends_with("] \u{00E9}\u{00E9}\u{00E9}\u{00E9}\u{00E9}"));
    }
}
