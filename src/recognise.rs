//! Recognising values in news text: what a quote itself states, so that a declared `value:`
//! can be checked against it and, where the quote states exactly one value of the claim's
//! kind, read from it.
//!
//! One pass over the quote's words finds every value with its span: numbers in every
//! thousands style (`8,000`, `8.000`, `8 000`, `8'000`), decimals, English number words
//! ("ten thousand", "a dozen", "hundreds of"), multipliers ("1.5 million"), ranges
//! ("10,000 to 12,000", "between 10,000 and 12,000"), qualifiers ("at least", "about"), dates
//! ("9 January", "Jan. 11", ISO), weekdays ("on Saturday"), relative dates ("yesterday",
//! "last month", "two weeks ago"), years and ages ("20-year-old", "aged 26"). Dates, weekdays
//! and ages resolve against the article's `published` date; without one they are
//! *unresolved* and only their shape can be checked. Each value is given in the notation of
//! `value:` (`~8000`, `2025-01-11`, `2004-2005`), so that [`crate::values::parse`] reads it.
//!
//! It does not understand sentences: it finds what is written, not what it refers to (a
//! quote that gives two dates states both, whichever the claim is about). Number words and
//! qualifiers are English; digits are read in any language, their separators by
//! [`Style`]. It is linear in the quote's length and allocates a token per word.

use std::ops::Range;

use crate::diag::Diagnostic;
use crate::model::{CLAIMS_FILE, Quote, ValueKind, ValueSpec};
use crate::values::{self, MONTH_NAMES, Value, civil_from_days, days_from_civil, days_in_month};

/// How a text writes decimals, from its language: `1,500` is fifteen hundred in English and
/// one and a half in German.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Style {
    /// `1,500.5` (English, Chinese, Japanese, Korean, Hebrew, Swiss German...).
    DotDecimal,
    /// `1.500,5` (German, French, Italian, Spanish, Russian, Ukrainian...).
    CommaDecimal,
    /// A language dossier does not know: `1,500` and `1.500` are ambiguous.
    Unknown,
}

impl Style {
    /// The style of a language tag (`en`, `de-CH`, `pt_BR`).
    pub fn of(language: &str) -> Style {
        let tag = language.trim().to_ascii_lowercase().replace('_', "-");
        let mut parts = tag.split('-');
        let lang = parts.next().unwrap_or("");
        let region = parts.next().unwrap_or("");
        const DOT: &[&str] = &[
            "en", "ja", "zh", "ko", "he", "th", "hi", "ms", "tl", "ga", "cy", "mt", "sw", "ta",
            "bn", "ur", "my", "km", "lo",
        ];
        const COMMA: &[&str] = &[
            "de", "fr", "it", "es", "pt", "nl", "ru", "uk", "pl", "cs", "sk", "sv", "da", "nb",
            "nn", "no", "fi", "tr", "el", "ro", "hu", "bg", "hr", "sr", "sl", "lt", "lv", "et",
            "id", "vi", "ca", "eu", "gl", "be", "kk", "az", "ka", "hy", "is", "sq", "mk", "bs",
        ];
        // Switzerland and Liechtenstein write `1'500.5` in German and Italian.
        if matches!(lang, "de" | "it") && matches!(region, "ch" | "li") {
            return Style::DotDecimal;
        }
        if DOT.contains(&lang) {
            Style::DotDecimal
        } else if COMMA.contains(&lang) {
            Style::CommaDecimal
        } else {
            Style::Unknown
        }
    }
}

/// What the recogniser knows of the article a quote is from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Context {
    /// The day it was published (days since 1970-01-01), if its `published` says.
    pub published: Option<i64>,
    pub style: Style,
}

impl Context {
    /// From an article's `published` (a date or date-time, as written) and its language.
    pub fn new(published: Option<&str>, language: &str) -> Context {
        let published = published
            .and_then(|p| values::parse_day(p.get(..10).unwrap_or(p)))
            .map(|(y, m, d)| days_from_civil(y, m, d));
        Context {
            published,
            style: Style::of(language),
        }
    }
}

/// A malformed `value:` written as news text writes it (`40%`, `$2 billion`, `9 January
/// 2025`), in the notation of `value:` (`40`, `2000000000`, `2025-01-09`): when the recogniser
/// reads exactly one resolved value from it, so that the error can say what to write.
pub fn as_notation(kind: ValueKind, unit: Option<&str>, raw: &str) -> Option<String> {
    let found = recognise(kind, unit, raw, &Context::new(None, "en"));
    match found.as_slice() {
        [
            Found {
                reading: Reading::Value { notation, .. },
                ..
            },
        ] => Some(notation.clone()),
        _ => None,
    }
}

/// One value a text states.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    /// Byte range of the text.
    pub span: Range<usize>,
    /// The text's own words for it ("about 8,000", "on Saturday").
    pub stated: String,
    pub reading: Reading,
}

/// What a found value is.
#[derive(Clone, Debug, PartialEq)]
pub enum Reading {
    /// One value, in the notation of `value:`; `resolution` says how a relative date, a
    /// year-less date or an age was resolved against the article's date.
    Value {
        notation: String,
        value: Value,
        resolution: Option<String>,
    },
    /// A number whose separator the article's language does not settle (`8.000`): either.
    Ambiguous { readings: Vec<(String, Value)> },
    /// A date or age that needs the article's date, which it does not give.
    Unresolved(Partial),
}

/// What can still be checked of an unresolved value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Partial {
    /// A day of a month, year unknown ("Jan. 11").
    MonthDay(i64, i64),
    /// A month, year unknown ("in November").
    Month(i64),
    /// A weekday (0 Monday .. 6 Sunday), week unknown.
    Weekday(i64),
    /// Relative to a date not known ("last month", "a 20-year-old").
    Any,
}

// ------------------------------------------------------------------------------------------
// Tokens

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tk {
    Word,
    Num,
    Punct,
}

#[derive(Debug)]
struct Tok<'t> {
    k: Tk,
    s: &'t str,
    /// Lower case, for words.
    lower: String,
    start: usize,
    end: usize,
    /// White space before it.
    gap: bool,
}

fn is_space_sep(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{a0}' | '\u{2009}' | '\u{202f}' | '\'' | '\u{2019}'
    )
}

fn tokens(text: &str) -> Vec<Tok<'_>> {
    let b: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| b.get(i).map(|x| x.0).unwrap_or(text.len());
    let digit = |i: usize| b.get(i).is_some_and(|x| x.1.is_ascii_digit());
    let mut out = Vec::new();
    let mut i = 0;
    let mut gap = false;
    while i < b.len() {
        let c = b[i].1;
        if c.is_whitespace() {
            gap = true;
            i += 1;
            continue;
        }
        let start = i;
        let k = if c.is_ascii_digit() {
            while digit(i) {
                i += 1;
            }
            let first = i - start;
            let mut grouped: Option<char> = None;
            let mut pointed = false;
            while let Some(&(_, sep)) = b.get(i) {
                if (sep == ',' || sep == '.') && digit(i + 1) {
                    pointed = true;
                    i += 1;
                    while digit(i) {
                        i += 1;
                    }
                } else if is_space_sep(sep)
                    && first <= 3
                    && grouped.is_none_or(|g| g == sep)
                    && (1..=3).all(|k| digit(i + k))
                    && !digit(i + 4)
                    && !pointed
                {
                    grouped = Some(sep);
                    i += 4;
                } else {
                    break;
                }
            }
            Tk::Num
        } else if c.is_alphabetic() {
            while b.get(i).is_some_and(|x| x.1.is_alphabetic()) {
                i += 1;
            }
            Tk::Word
        } else {
            i += 1;
            Tk::Punct
        };
        let s = &text[b[start].0..end_of(i)];
        out.push(Tok {
            k,
            s,
            lower: if k == Tk::Word {
                s.to_lowercase()
            } else {
                String::new()
            },
            start: b[start].0,
            end: end_of(i),
            gap,
        });
        gap = false;
    }
    out
}

// ------------------------------------------------------------------------------------------
// Numbers

/// A decimal number, exactly: `mant / 10^scale`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Dec {
    mant: u128,
    scale: u32,
}

impl Dec {
    fn int(n: u128) -> Dec {
        Dec { mant: n, scale: 0 }
    }

    fn times(self, k: u128) -> Option<Dec> {
        let mut d = Dec {
            mant: self.mant.checked_mul(k)?,
            scale: self.scale,
        };
        while d.scale > 0 && d.mant.is_multiple_of(10) {
            d.mant /= 10;
            d.scale -= 1;
        }
        Some(d)
    }

    fn f(self) -> f64 {
        self.notation().parse().unwrap_or(f64::NAN)
    }

    fn is_int(self) -> bool {
        self.scale == 0
    }

    /// As `value:` writes it: `8000`, `1.5`.
    fn notation(self) -> String {
        let s = self.mant.to_string();
        if self.scale == 0 {
            return s;
        }
        let scale = self.scale as usize;
        let s = format!("{s:0>width$}", width = scale + 1);
        let (a, b) = s.split_at(s.len() - scale);
        format!("{a}.{b}")
    }
}

/// Reads digits with `sep` as the decimal point (if it occurs) and every other separator as
/// grouping, whose groups must then have three digits.
fn read_digits(s: &str, decimal: Option<char>) -> Option<Dec> {
    let (int, frac) = match decimal.and_then(|d| s.rsplit_once(d)) {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let groups: Vec<&str> = int.split(|c: char| !c.is_ascii_digit()).collect::<Vec<_>>();
    if groups.len() > 1
        && (groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3))
    {
        return None;
    }
    let digits: String = groups.concat();
    let frac = frac.unwrap_or("");
    if !frac.bytes().all(|b| b.is_ascii_digit()) || digits.len() + frac.len() > 30 {
        return None;
    }
    let mant: u128 = format!("{digits}{frac}").parse().ok()?;
    let d = Dec {
        mant,
        scale: frac.len() as u32,
    };
    d.times(1)
}

/// The readings of a numeral as written: one, or two when its separator is ambiguous
/// (first the reading as thousands, then as decimals).
fn read_numeral(s: &str, style: Style) -> Vec<Dec> {
    let commas = s.matches(',').count();
    let dots = s.matches('.').count();
    let other = s.contains(is_space_sep);
    let one = |d: Option<Dec>| d.into_iter().collect::<Vec<_>>();
    match (commas, dots) {
        (0, 0) => one(read_digits(s, None)),
        (c, d) if c > 0 && d > 0 => {
            // Both: the last one is the decimal point, once.
            let last = if s.rfind(',') > s.rfind('.') {
                ','
            } else {
                '.'
            };
            if s.matches(last).count() != 1 {
                return Vec::new();
            }
            one(read_digits(s, Some(last)))
        }
        (c, d) if c + d > 1 => one(read_digits(s, None)),
        _ => {
            let sep = if commas == 1 { ',' } else { '.' };
            let (head, tail) = s.rsplit_once(sep).unwrap_or((s, ""));
            let could_group = tail.len() == 3 && !other && head.len() <= 3;
            if !could_group {
                return one(read_digits(s, Some(sep)));
            }
            let grouped = read_digits(s, None);
            let decimal = read_digits(s, Some(sep));
            match (style, sep) {
                (Style::DotDecimal, ',') | (Style::CommaDecimal, '.') => one(grouped),
                (Style::DotDecimal, _) | (Style::CommaDecimal, _) => one(decimal),
                (Style::Unknown, _) => grouped.into_iter().chain(decimal).collect(),
            }
        }
    }
}

fn unit_word(w: &str) -> Option<u128> {
    Some(match w {
        "zero" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

fn scale_word(w: &str) -> Option<u128> {
    Some(match w {
        "hundred" => 100,
        "thousand" => 1_000,
        "million" => 1_000_000,
        "billion" => 1_000_000_000,
        "dozen" => 12,
        _ => return None,
    })
}

/// The most tokens a number in words is read from.
const MAX_WORDS: usize = 32;

/// A number read at a token: the readings, and the token after it.
struct Number {
    readings: Vec<Dec>,
    end: usize,
    /// Written in digits.
    digits: bool,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];
const WEEKDAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// A comparison a qualifier makes, in the notation of `value:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Exact,
    About,
    AtLeast,
    Over,
    UpTo,
    Under,
}

impl Op {
    fn prefix(self) -> &'static str {
        match self {
            Op::Exact => "",
            Op::About => "~",
            Op::AtLeast => ">=",
            Op::Over => ">",
            Op::UpTo => "<=",
            Op::Under => "<",
        }
    }
}

/// Qualifiers before a number, longest first within each.
const QUALIFIERS: &[(&[&str], Op)] = &[
    (&["at", "least"], Op::AtLeast),
    (&["no", "fewer", "than"], Op::AtLeast),
    (&["no", "less", "than"], Op::AtLeast),
    (&["a", "minimum", "of"], Op::AtLeast),
    (&["more", "than"], Op::Over),
    (&["well", "over"], Op::Over),
    (&["just", "over"], Op::Over),
    (&["over"], Op::Over),
    (&["above"], Op::Over),
    (&["in", "excess", "of"], Op::Over),
    (&["upwards", "of"], Op::Over),
    (&["up", "to"], Op::UpTo),
    (&["as", "many", "as"], Op::UpTo),
    (&["as", "high", "as"], Op::UpTo),
    (&["as", "much", "as"], Op::UpTo),
    (&["at", "most"], Op::UpTo),
    (&["no", "more", "than"], Op::UpTo),
    (&["a", "maximum", "of"], Op::UpTo),
    (&["fewer", "than"], Op::Under),
    (&["less", "than"], Op::Under),
    (&["just", "under"], Op::Under),
    (&["under"], Op::Under),
    (&["below"], Op::Under),
    (&["about"], Op::About),
    (&["around"], Op::About),
    (&["some"], Op::About),
    (&["nearly"], Op::About),
    (&["almost"], Op::About),
    (&["approximately"], Op::About),
    (&["roughly"], Op::About),
    (&["an", "estimated"], Op::About),
    (&["estimated"], Op::About),
    (&["close", "to"], Op::About),
    (&["circa"], Op::About),
];

/// "hundreds of": the counts it can mean.
const PLURALS: &[(&[&str], u128, u128)] = &[
    (&["hundreds", "of", "thousands", "of"], 200_000, 999_999),
    (&["tens", "of", "thousands", "of"], 20_000, 99_999),
    (&["dozens", "of"], 24, 99),
    (&["hundreds", "of"], 200, 999),
    (&["thousands", "of"], 2_000, 999_999),
    (&["millions", "of"], 2_000_000, 999_999_999),
];

/// Units of time a duration can be in: (word, family, size in the family's smallest unit).
fn time_unit(w: &str) -> Option<(u8, u128)> {
    Some(match w.trim_end_matches('s') {
        "hour" => (0, 1),
        "day" => (0, 24),
        "week" => (0, 168),
        "month" => (1, 1),
        "year" => (1, 12),
        _ => return None,
    })
}

/// What the scanner finds, before it is read as a value of one kind.
#[derive(Clone, Debug)]
enum Item {
    Qty {
        op: Op,
        lo: Vec<Dec>,
        hi: Option<Vec<Dec>>,
    },
    Duration {
        n: Dec,
        unit: (u8, u128),
    },
    Day {
        y: Option<i64>,
        m: i64,
        d: i64,
    },
    Month {
        y: Option<i64>,
        m: i64,
        /// "last year" (-1), "this year" (0) after it.
        rel_year: Option<i64>,
    },
    Years(i64, i64),
    /// A weekday; `shift` -1 "last", 0 as is, 1 "next".
    Weekday {
        w: i64,
        shift: i64,
    },
    Rel(Rel),
    Age(i64),
}

#[derive(Clone, Copy, Debug)]
enum Rel {
    Day(i64),
    Week(i64),
    Month(i64),
    Year(i64),
    WeeksAgo(i64),
}

struct Scanner<'t> {
    t: Vec<Tok<'t>>,
    style: Style,
}

impl<'t> Scanner<'t> {
    fn word(&self, i: usize) -> Option<&str> {
        self.t
            .get(i)
            .filter(|t| t.k == Tk::Word)
            .map(|t| t.lower.as_str())
    }

    fn is(&self, i: usize, w: &str) -> bool {
        self.word(i) == Some(w)
    }

    fn punct(&self, i: usize, p: &[&str]) -> bool {
        self.t
            .get(i)
            .is_some_and(|t| t.k == Tk::Punct && p.contains(&t.s))
    }

    /// A punctuation token with no white space before it or after it.
    fn tight(&self, i: usize, p: &[&str]) -> bool {
        self.punct(i, p) && !self.t[i].gap && self.t.get(i + 1).is_some_and(|t| !t.gap)
    }

    fn phrase(&self, i: usize, words: &[&str]) -> bool {
        words.iter().enumerate().all(|(k, w)| self.is(i + k, w))
    }

    fn capitalised(&self, i: usize) -> bool {
        self.t
            .get(i)
            .is_some_and(|t| t.k == Tk::Word && t.s.starts_with(|c: char| c.is_uppercase()))
    }

    /// A month name (capitalised; abbreviations with an optional full stop): month, end.
    fn month(&self, i: usize, abbreviated: bool) -> Option<(i64, usize)> {
        if !self.capitalised(i) {
            return None;
        }
        let w = self.word(i)?;
        if let Some(m) = MONTHS.iter().position(|m| *m == w) {
            return Some((m as i64 + 1, i + 1));
        }
        if !abbreviated {
            return None;
        }
        let m = match w {
            "sept" => 9,
            _ => {
                MONTHS
                    .iter()
                    .position(|m| w.len() == 3 && m.starts_with(w))? as i64
                    + 1
            }
        };
        let end = if self.punct(i + 1, &["."]) && !self.t[i + 1].gap {
            i + 2
        } else {
            i + 1
        };
        Some((m, end))
    }

    /// An integer numeral of at most `len` digits with no separators.
    fn plain_int(&self, i: usize, len: usize) -> Option<i64> {
        let t = self.t.get(i).filter(|t| t.k == Tk::Num)?;
        (t.s.len() <= len && t.s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.s.parse().ok())
            .flatten()
    }

    fn year_at(&self, i: usize) -> Option<i64> {
        let t = self.t.get(i)?;
        (t.s.len() == 4)
            .then(|| self.plain_int(i, 4))
            .flatten()
            .filter(|y| (1000..=2999).contains(y))
    }

    /// A day of the month, with an ordinal suffix (`9th`) if any: day, end.
    fn day_at(&self, i: usize) -> Option<(i64, usize)> {
        let d = self.plain_int(i, 2).filter(|d| (1..=31).contains(d))?;
        let end = match self.t.get(i + 1) {
            Some(t)
                if t.k == Tk::Word
                    && !t.gap
                    && matches!(t.lower.as_str(), "st" | "nd" | "rd" | "th") =>
            {
                i + 2
            }
            _ => i + 1,
        };
        Some((d, end))
    }

    /// A number in digits or words at `i`.
    fn number(&self, i: usize) -> Option<Number> {
        let t = self.t.get(i)?;
        let (mut readings, mut end, digits) = match t.k {
            Tk::Num => {
                // A numeral glued to letters (`G7`, `9th`) or following `No.` is no count.
                if self.t.get(i + 1).is_some_and(|n| n.k == Tk::Word && !n.gap)
                    || (i >= 1 && self.t[i - 1].k == Tk::Word && !t.gap)
                    || (i >= 2 && self.punct(i - 1, &["."]) && self.is(i - 2, "no"))
                {
                    return None;
                }
                (read_numeral(t.s, self.style), i + 1, true)
            }
            Tk::Word => {
                let (n, end) = self.number_words(i)?;
                (vec![n], end, false)
            }
            Tk::Punct => return None,
        };
        if readings.is_empty() {
            return None;
        }
        // "1.5 million", "10 thousand", "two dozen" (at most two: "1.5 million million"
        // is no number, and the bound keeps the scan linear).
        while let Some(k) = self.word(end).and_then(scale_word) {
            if !digits || end >= i + 3 {
                break;
            }
            readings = readings.into_iter().filter_map(|d| d.times(k)).collect();
            end += 1;
            if readings.is_empty() {
                return None;
            }
        }
        Some(Number {
            readings,
            end,
            digits,
        })
    }

    /// English number words: "ten thousand", "two hundred and fifty", "twenty-five",
    /// "a dozen", "a hundred".
    fn number_words(&self, i: usize) -> Option<(Dec, usize)> {
        let mut at = i;
        let mut total: u128 = 0;
        let mut current: u128 = 0;
        let mut any = false;
        if matches!(self.word(i), Some("a" | "an")) {
            self.word(i + 1).and_then(scale_word)?;
            current = 1;
            at += 1;
        } else {
            let w = self.word(i)?;
            unit_word(w)?;
            // "one of them", "no one": not a count.
            if w == "one"
                && (matches!(self.word(i + 1), Some("of" | "another" | "side"))
                    || (i > 0 && matches!(self.word(i - 1), Some("no" | "any" | "every" | "the"))))
            {
                return None;
            }
        }
        while let Some(w) = self.word(at) {
            // The longest number in words takes 13 tokens ("nine hundred and ninety-nine
            // thousand nine hundred and ninety-nine"); the bound keeps the scan linear.
            if at >= i + MAX_WORDS {
                return None;
            }
            if let Some(v) = unit_word(w) {
                // After "twenty" only a unit ("twenty one"); after "two", nothing.
                if any && !current.is_multiple_of(100) && !(current.is_multiple_of(10) && v < 10) {
                    break;
                }
                current += v;
                any = true;
                at += 1;
                // "twenty-five"
                if v >= 20
                    && v % 10 == 0
                    && self.tight(at, &["-"])
                    && let Some(u) = self.word(at + 1).and_then(unit_word).filter(|u| *u < 10)
                {
                    current += u;
                    at += 2;
                }
                continue;
            }
            if let Some(k) = scale_word(w) {
                if k == 100 || k == 12 {
                    current = current.max(1).checked_mul(k)?;
                } else {
                    total = total.checked_add(current.max(1).checked_mul(k)?)?;
                    current = 0;
                }
                any = true;
                at += 1;
                continue;
            }
            if w == "and" && any && self.word(at + 1).and_then(unit_word).is_some() {
                at += 1;
                continue;
            }
            break;
        }
        any.then(|| (Dec::int(total + current), at))
    }

    fn qualifier(&self, i: usize) -> Option<(Op, usize)> {
        QUALIFIERS
            .iter()
            .find(|(ws, _)| self.phrase(i, ws))
            .map(|(ws, op)| (*op, i + ws.len()))
    }

    /// Everything that starts at token `i`, and the token after it.
    fn at(&self, i: usize) -> Option<(Item, usize)> {
        self.iso(i)
            .or_else(|| self.relative(i))
            .or_else(|| self.weekday(i))
            .or_else(|| self.date(i))
            .or_else(|| self.age(i))
            .or_else(|| self.quantity(i))
    }

    fn iso(&self, i: usize) -> Option<(Item, usize)> {
        let y = self.year_at(i)?;
        if !(self.tight(i + 1, &["-"]) && self.tight(i + 3, &["-"])) {
            return None;
        }
        let two = |k: usize| {
            self.t
                .get(k)
                .filter(|t| t.s.len() == 2)
                .and_then(|_| self.plain_int(k, 2))
        };
        let (m, d) = (two(i + 2)?, two(i + 4)?);
        ((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m))
            .then_some((Item::Day { y: Some(y), m, d }, i + 5))
    }

    fn relative(&self, i: usize) -> Option<(Item, usize)> {
        let w = self.word(i)?;
        match w {
            "today" => return Some((Item::Rel(Rel::Day(0)), i + 1)),
            "yesterday" => return Some((Item::Rel(Rel::Day(-1)), i + 1)),
            "tomorrow" => return Some((Item::Rel(Rel::Day(1)), i + 1)),
            "last" | "this" | "next" => {
                let k = match w {
                    "last" => -1,
                    "this" => 0,
                    _ => 1,
                };
                let rel = match self.word(i + 1)? {
                    "week" => Rel::Week(k),
                    "month" => Rel::Month(k),
                    "year" => Rel::Year(k),
                    _ => return None,
                };
                return Some((Item::Rel(rel), i + 2));
            }
            _ => {}
        }
        // "two weeks ago", "a month ago"
        let (n, end) = if matches!(w, "a" | "an") {
            (1, i + 1)
        } else {
            let n = self.number(i)?;
            let d = *n.readings.first()?;
            if n.readings.len() != 1 || !d.is_int() || d.mant > 10_000 {
                return None;
            }
            (d.mant as i64, n.end)
        };
        let unit = self.word(end)?;
        if !self.is(end + 1, "ago") {
            return None;
        }
        let rel = match unit.trim_end_matches('s') {
            "day" => Rel::Day(-n),
            "week" => Rel::WeeksAgo(n),
            "month" => Rel::Month(-n),
            "year" => Rel::Year(-n),
            _ => return None,
        };
        Some((Item::Rel(rel), end + 2))
    }

    fn weekday(&self, i: usize) -> Option<(Item, usize)> {
        let (shift, at) = match self.word(i)? {
            "last" => (-1, i + 1),
            "next" => (1, i + 1),
            "on" => (0, i + 1),
            _ => (0, i),
        };
        if !self.capitalised(at) {
            return None;
        }
        let w = WEEKDAYS.iter().position(|d| Some(*d) == self.word(at))? as i64;
        Some((Item::Weekday { w, shift }, at + 1))
    }

    fn date(&self, i: usize) -> Option<(Item, usize)> {
        let year_after = |at: usize| -> (Option<i64>, usize) {
            let at2 = if self.punct(at, &[","]) { at + 1 } else { at };
            match self.year_at(at2) {
                Some(y) => (Some(y), at2 + 1),
                None => (None, at),
            }
        };
        let valid = |y: Option<i64>, m: i64, d: i64| d <= days_in_month(y.unwrap_or(2024), m);
        // "9 January [2025]", "9th of January"
        if let Some((d, at)) = self.day_at(i) {
            let at = if self.is(at, "of") { at + 1 } else { at };
            if let Some((m, at)) = self.month(at, true) {
                let (y, end) = year_after(at);
                return valid(y, m, d).then_some((Item::Day { y, m, d }, end));
            }
            return None;
        }
        let (m, at) = self.month(i, true)?;
        // "January 11[, 2025]", "Jan. 11"
        if let Some((d, at2)) = self.day_at(at)
            && !self.tight(at2, &[":"])
        {
            let (y, end) = year_after(at2);
            return valid(y, m, d).then_some((Item::Day { y, m, d }, end));
        }
        // "January 2025", "January of 2025"
        let at_y = if self.is(at, "of") { at + 1 } else { at };
        if let Some(y) = self.year_at(at_y) {
            return Some((
                Item::Month {
                    y: Some(y),
                    m,
                    rel_year: None,
                },
                at_y + 1,
            ));
        }
        // A month alone: its full name, and "May" only after a preposition.
        let full = self.word(i).is_some_and(|w| MONTHS.contains(&w)) && at == i + 1;
        let after_preposition = i > 0
            && matches!(
                self.word(i - 1),
                Some(
                    "in" | "of"
                        | "since"
                        | "until"
                        | "by"
                        | "early"
                        | "mid"
                        | "late"
                        | "last"
                        | "next"
                        | "this"
                        | "from"
                        | "through"
                )
            );
        if !full || (m == 5 && !after_preposition) {
            return None;
        }
        let (rel_year, end) = match (self.word(at), self.word(at + 1)) {
            (Some("last"), Some("year")) => (Some(-1), at + 2),
            (Some("this"), Some("year")) => (Some(0), at + 2),
            (Some("next"), Some("year")) => (Some(1), at + 2),
            _ => (None, at),
        };
        Some((
            Item::Month {
                y: None,
                m,
                rel_year,
            },
            end,
        ))
    }

    fn age(&self, i: usize) -> Option<(Item, usize)> {
        // "aged 26", "age 26"
        if matches!(self.word(i), Some("aged" | "age")) {
            let n = self.number(i + 1)?;
            let a = *n.readings.first()?;
            return (n.readings.len() == 1 && a.is_int() && a.mant <= 150)
                .then_some((Item::Age(a.mant as i64), n.end));
        }
        let n = self.number(i)?;
        let a = *n.readings.first()?;
        if n.readings.len() != 1 || !a.is_int() || a.mant > 150 {
            return None;
        }
        // "20-year-old", "20 years old", "20-year-olds"
        let mut at = n.end;
        if self.tight(at, &["-"]) {
            at += 1;
        }
        if !matches!(self.word(at), Some("year" | "years")) {
            return None;
        }
        at += 1;
        if self.tight(at, &["-"]) {
            at += 1;
        }
        matches!(self.word(at), Some("old" | "olds")).then_some((Item::Age(a.mant as i64), at + 1))
    }

    fn quantity(&self, i: usize) -> Option<(Item, usize)> {
        // "between 10,000 and 12,000", "from 10 to 12"
        if let Some(joiner) = match self.word(i) {
            Some("between") => Some("and"),
            Some("from") => Some("to"),
            _ => None,
        } && let Some(a) = self.number(i + 1)
            && (self.is(a.end, joiner) || self.punct(a.end, &["-", "\u{2013}"]))
            && let Some(b) = self.number(a.end + 1)
        {
            return self.range(i + 1, a, b);
        }
        for (ws, lo, hi) in PLURALS {
            if self.phrase(i, ws) {
                return Some((
                    Item::Qty {
                        op: Op::Exact,
                        lo: vec![Dec::int(*lo)],
                        hi: Some(vec![Dec::int(*hi)]),
                    },
                    i + ws.len(),
                ));
            }
        }
        // "a week", "an hour"
        if matches!(self.word(i), Some("a" | "an"))
            && let Some(unit) = self.word(i + 1).and_then(time_unit)
            && !self.is(i + 2, "ago")
        {
            return Some((
                Item::Duration {
                    n: Dec::int(1),
                    unit,
                },
                i + 2,
            ));
        }
        let (op, at) = self.qualifier(i).unwrap_or((Op::Exact, i));
        let n = self.number(at)?;
        // A range: "10,000 to 12,000", "10,000-12,000".
        if (self.is(n.end, "to") || self.punct(n.end, &["-", "\u{2013}", "\u{2014}"]))
            && let Some(b) = self.number(n.end + 1)
            && !self
                .word(b.end)
                .is_some_and(|w| time_unit(w).is_some() || w == "ago")
        {
            return self.range(at, n, b);
        }
        // A year: four digits, no separator, no qualifier.
        if op == Op::Exact
            && let Some(y) = self.year_at(at)
            && n.end == at + 1
        {
            return Some((Item::Years(y, y), at + 1));
        }
        // A duration: "one-week", "a week", "10 days".
        let mut u = n.end;
        if self.tight(u, &["-"]) {
            u += 1;
        }
        if let Some(unit) = self.word(u).and_then(time_unit) {
            if self.is(u + 1, "ago") || n.readings.len() != 1 {
                return None;
            }
            return Some((
                Item::Duration {
                    n: n.readings[0],
                    unit,
                },
                u + 1,
            ));
        }
        // "8,000 or more", "8,000 or so"
        let (op, end) = match (op, self.word(n.end), self.word(n.end + 1)) {
            (Op::Exact, Some("or"), Some("more")) => (Op::AtLeast, n.end + 2),
            (Op::Exact, Some("or"), Some("so")) => (Op::About, n.end + 2),
            (Op::Exact, Some("or"), Some("fewer" | "less")) => (Op::UpTo, n.end + 2),
            _ => (op, n.end),
        };
        Some((
            Item::Qty {
                op,
                lo: n.readings,
                hi: None,
            },
            end,
        ))
    }

    /// Two numbers as a range (years when both are years); the multiplier of the second
    /// applies to the first when only it has one ("10 to 12 million").
    fn range(&self, first: usize, a: Number, b: Number) -> Option<(Item, usize)> {
        if let (Some(x), Some(y)) = (self.year_at(first), self.year_at(a.end + 1))
            && a.end == first + 1
            && b.end == a.end + 2
        {
            return (x <= y).then_some((Item::Years(x, y), b.end));
        }
        let mut lo = a.readings;
        let hi = b.readings;
        if a.end == first + 1 && b.end > a.end + 2 && b.digits == a.digits {
            // The second has a multiplier word the first lacks.
            let mult: u128 = (a.end + 2..b.end)
                .filter_map(|k| self.word(k).and_then(scale_word))
                .product();
            lo = lo.into_iter().filter_map(|d| d.times(mult)).collect();
        }
        let ok = lo
            .iter()
            .zip(hi.iter())
            .all(|(l, h)| l.f() <= h.f() && l.f().is_finite());
        (ok && !lo.is_empty()).then_some((
            Item::Qty {
                op: Op::Exact,
                lo,
                hi: Some(hi),
            },
            b.end,
        ))
    }
}

// ------------------------------------------------------------------------------------------
// Reading items as values of a kind

/// 0 Monday .. 6 Sunday (1970-01-01 was a Thursday).
fn weekday_of(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

fn iso_day(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

fn long_day(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!(
        "{} {d} {} {y}",
        WEEKDAY_NAMES[weekday_of(day) as usize],
        MONTH_NAMES[(m - 1) as usize]
    )
}

fn month_shift(y: i64, m: i64, k: i64) -> (i64, i64) {
    let n = y * 12 + (m - 1) + k;
    (n.div_euclid(12), n.rem_euclid(12) + 1)
}

/// Reads `text` for values of `kind` (a quantity's `unit` decides whether durations count).
pub fn recognise(kind: ValueKind, unit: Option<&str>, text: &str, cx: &Context) -> Vec<Found> {
    if kind == ValueKind::Text {
        return Vec::new();
    }
    let sc = Scanner {
        t: tokens(text),
        style: cx.style,
    };
    let claim_unit = unit
        .and_then(|u| u.split_whitespace().next())
        .and_then(|w| time_unit(&w.to_lowercase()));
    let mut out = Vec::new();
    let mut i = 0;
    while i < sc.t.len() {
        let Some((item, end)) = sc.at(i) else {
            i += 1;
            continue;
        };
        let span = sc.t[i].start..sc.t[end - 1].end;
        let stated = text[span.clone()].to_string();
        for reading in read(kind, claim_unit, &item, &stated, cx) {
            out.push(Found {
                span: span.clone(),
                stated: stated.clone(),
                reading,
            });
        }
        i = end;
    }
    out
}

fn value_of(kind: ValueKind, notation: String, resolution: Option<String>) -> Option<Reading> {
    let value = values::parse(kind, &notation).ok()?;
    Some(Reading::Value {
        notation,
        value,
        resolution,
    })
}

fn read(
    kind: ValueKind,
    claim_unit: Option<(u8, u128)>,
    item: &Item,
    stated: &str,
    cx: &Context,
) -> Vec<Reading> {
    let p = cx.published;
    let resolved = |what: String| {
        p.map(|p| {
            format!(
                "\u{201C}{stated}\u{201D} in an article of {}: {what}",
                long_day(p)
            )
        })
    };
    let one = |r: Option<Reading>| r.into_iter().collect::<Vec<_>>();
    let unresolved = |partial: Partial| vec![Reading::Unresolved(partial)];
    match (kind, item) {
        (ValueKind::Quantity, Item::Qty { op, lo, hi }) => {
            let notations: Vec<String> = match hi {
                None => lo
                    .iter()
                    .map(|d| format!("{}{}", op.prefix(), d.notation()))
                    .collect(),
                Some(hi) if hi.len() == lo.len() => lo
                    .iter()
                    .zip(hi)
                    .map(|(l, h)| {
                        if l == h {
                            l.notation()
                        } else {
                            format!("{}-{}", l.notation(), h.notation())
                        }
                    })
                    .collect(),
                Some(_) => Vec::new(),
            };
            let mut readings: Vec<(String, Value)> = notations
                .into_iter()
                .filter_map(|n| values::parse(kind, &n).ok().map(|v| (n, v)))
                .collect();
            readings.dedup_by(|a, b| a.0 == b.0);
            match readings.len() {
                0 => Vec::new(),
                1 => {
                    let (notation, value) = readings.remove(0);
                    vec![Reading::Value {
                        notation,
                        value,
                        resolution: None,
                    }]
                }
                _ => vec![Reading::Ambiguous { readings }],
            }
        }
        (ValueKind::Quantity, Item::Duration { n, unit }) => {
            let Some((family, size)) = claim_unit else {
                return Vec::new();
            };
            if unit.0 != family || unit.1 % size != 0 {
                return Vec::new();
            }
            one(n
                .times(unit.1 / size)
                .and_then(|d| value_of(kind, d.notation(), None)))
        }
        (ValueKind::Date, Item::Day { y: Some(y), m, d }) => {
            one(value_of(kind, iso_day(days_from_civil(*y, *m, *d)), None))
        }
        (ValueKind::Date, Item::Day { y: None, m, d }) => match p {
            None => unresolved(Partial::MonthDay(*m, *d)),
            Some(p) => {
                // The year that puts the day nearest the article's (earlier on a tie).
                let (py, _, _) = civil_from_days(p);
                let day = (py - 1..=py + 1)
                    .filter(|y| *d <= days_in_month(*y, *m))
                    .map(|y| days_from_civil(y, *m, *d))
                    .min_by_key(|day| ((day - p).abs(), *day));
                let Some(day) = day else { return Vec::new() };
                let (y, _, _) = civil_from_days(day);
                one(value_of(
                    kind,
                    iso_day(day),
                    resolved(format!("{d} {} {y}", MONTH_NAMES[(*m - 1) as usize])),
                ))
            }
        },
        (ValueKind::Date, Item::Month { y: Some(y), m, .. }) => {
            one(value_of(kind, format!("{y:04}-{m:02}"), None))
        }
        (
            ValueKind::Date,
            Item::Month {
                y: None,
                m,
                rel_year,
            },
        ) => match p {
            None => unresolved(Partial::Month(*m)),
            Some(p) => {
                let (py, pm, _) = civil_from_days(p);
                let y = match rel_year {
                    Some(k) => py + k,
                    None => (py - 1..=py + 1)
                        .min_by_key(|y| ((y * 12 + m - py * 12 - pm).abs(), *y))
                        .unwrap_or(py),
                };
                one(value_of(
                    kind,
                    format!("{y:04}-{m:02}"),
                    resolved(format!("{} {y}", MONTH_NAMES[(*m - 1) as usize])),
                ))
            }
        },
        (ValueKind::Date, Item::Years(a, b)) => {
            let n = if a == b {
                format!("{a}")
            } else {
                format!("{a}/{b}")
            };
            one(value_of(kind, n, None))
        }
        (ValueKind::Date, Item::Weekday { w, shift }) => match p {
            None => unresolved(Partial::Weekday(*w)),
            Some(p) => {
                // As is: the last such day up to the article's; "last": before it; "next":
                // after it.
                let back = (weekday_of(p) - w).rem_euclid(7);
                let ahead = (w - weekday_of(p)).rem_euclid(7);
                let day = match shift {
                    -1 => p - if back == 0 { 7 } else { back },
                    1 => p + if ahead == 0 { 7 } else { ahead },
                    _ => p - back,
                };
                one(value_of(kind, iso_day(day), resolved(short_day(day))))
            }
        },
        (ValueKind::Date, Item::Rel(r)) => {
            let Some(p) = p else {
                return unresolved(Partial::Any);
            };
            let (py, pm, _) = civil_from_days(p);
            let (notation, what) = match r {
                Rel::Day(k) => {
                    let d = p + k;
                    let (y, m, dd) = civil_from_days(d);
                    (
                        iso_day(d),
                        format!("{dd} {} {y}", MONTH_NAMES[(m - 1) as usize]),
                    )
                }
                Rel::Week(k) => {
                    let monday = p - weekday_of(p) + 7 * k;
                    (
                        format!("{}/{}", iso_day(monday), iso_day(monday + 6)),
                        format!("the week of Monday {}", short_day(monday)),
                    )
                }
                Rel::WeeksAgo(n) => {
                    let mid = p - 7 * n;
                    (
                        format!("{}/{}", iso_day(mid - 3), iso_day(mid + 3)),
                        format!("{} to {}", short_day(mid - 3), short_day(mid + 3)),
                    )
                }
                Rel::Month(k) => {
                    let (y, m) = month_shift(py, pm, *k);
                    (
                        format!("{y:04}-{m:02}"),
                        format!("{} {y}", MONTH_NAMES[(m - 1) as usize]),
                    )
                }
                Rel::Year(k) => (format!("{}", py + k), format!("{}", py + k)),
            };
            one(value_of(kind, notation, resolved(what)))
        }
        (ValueKind::Year, Item::Years(a, b)) => {
            let n = if a == b {
                format!("{a}")
            } else {
                format!("{a}-{b}")
            };
            one(value_of(kind, n, None))
        }
        (ValueKind::Year, Item::Day { y: Some(y), .. } | Item::Month { y: Some(y), .. }) => {
            one(value_of(kind, format!("{y}"), None))
        }
        (ValueKind::Year, Item::Rel(Rel::Year(k))) => match p {
            None => unresolved(Partial::Any),
            Some(p) => {
                let y = civil_from_days(p).0 + k;
                one(value_of(kind, format!("{y}"), resolved(format!("{y}"))))
            }
        },
        (ValueKind::Year, Item::Age(n)) => match p {
            None => unresolved(Partial::Any),
            Some(p) => {
                // Aged n on the article's day: born in the year n years before, or the one
                // before that if the birthday had not yet come.
                let y = civil_from_days(p).0 - n;
                one(value_of(
                    kind,
                    format!("{}-{y}", y - 1),
                    resolved(format!("born in {} or {y}", y - 1)),
                ))
            }
        },
        _ => Vec::new(),
    }
}

fn short_day(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{d} {} {y}", MONTH_NAMES[(m - 1) as usize])
}

// ------------------------------------------------------------------------------------------
// Checking a quote's value against what it states

/// Where a quote's value comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ValueFrom {
    /// Written in `value:` (and checked against the quote).
    #[default]
    Declared,
    /// Left out, and read from the quote, which states exactly one value of the claim's kind.
    ReadFromText,
}

/// A quote's value after checking it against the quote.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QuoteValue {
    pub value: Option<Value>,
    pub value_from: ValueFrom,
    /// The value in the notation of `value:`: as declared, or as read.
    pub written: Option<String>,
    /// The quote's own words that state it ("about 8,000"), where the recogniser found them.
    pub stated: Option<String>,
    /// How a relative date, a year-less date or an age was resolved against the article's
    /// date ("“on Saturday” in an article of Sunday 12 January 2025: 11 January 2025").
    pub resolution: Option<String>,
}

/// One reading of a found value: (index in the found values, notation, value).
type Candidate<'f> = (usize, &'f str, &'f Value, Option<&'f str>);

fn candidates(found: &[Found]) -> Vec<Candidate<'_>> {
    let mut out = Vec::new();
    for (i, f) in found.iter().enumerate() {
        match &f.reading {
            Reading::Value {
                notation,
                value,
                resolution,
            } => out.push((i, notation.as_str(), value, resolution.as_deref())),
            Reading::Ambiguous { readings } => {
                for (n, v) in readings {
                    out.push((i, n.as_str(), v, None));
                }
            }
            Reading::Unresolved(_) => {}
        }
    }
    out
}

/// Whether a declared date or year has the shape an unresolved value allows.
fn fits(partial: Partial, declared: &Value) -> bool {
    let Value::Interval {
        lo: Some(lo),
        hi: Some(hi),
    } = declared
    else {
        return matches!(partial, Partial::Any);
    };
    let (a, b) = (lo.v as i64, hi.v as i64);
    match partial {
        Partial::Any => true,
        Partial::MonthDay(m, d) => {
            a == b && {
                let (_, mm, dd) = civil_from_days(a);
                (mm, dd) == (m, d)
            }
        }
        Partial::Month(m) => {
            let (y, mm, dd) = civil_from_days(a);
            mm == m && dd == 1 && b == days_from_civil(y, m, days_in_month(y, m))
        }
        Partial::Weekday(w) => a == b && weekday_of(a) == w,
    }
}

/// What to write for an unresolved value, given the declared one (for its year).
fn partial_help(partial: Partial, declared: &Value) -> String {
    let year = match declared {
        Value::Interval { lo: Some(lo), .. } => civil_from_days(lo.v as i64).0,
        _ => 2025,
    };
    let why = "the article has no `published` date to tell";
    match partial {
        Partial::MonthDay(m, d) => format!(
            "write a date on {d} {}, e.g. `{year:04}-{m:02}-{d:02}` ({why} the year; add `published:` to the article if it gives one)",
            MONTH_NAMES[(m - 1) as usize]
        ),
        Partial::Month(m) => format!(
            "write a month {}, e.g. `{year:04}-{m:02}` ({why} the year)",
            MONTH_NAMES[(m - 1) as usize]
        ),
        Partial::Weekday(w) => format!(
            "write a date that is a {} ({why} which week)",
            WEEKDAY_NAMES[w as usize]
        ),
        Partial::Any => "write the value the quote states".to_string(),
    }
}

fn quoted(s: &str) -> String {
    format!("\u{201C}{s}\u{201D}")
}

/// The most values a diagnostic lists: a quote of thousands of numbers (a pasted table)
/// would otherwise make one message of hundreds of kilobytes.
const MOST_LISTED: usize = 6;

/// `items` without repeats, in the order first met.
fn distinct(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    items.filter(|i| seen.insert(i.clone())).collect()
}

/// `items` without repeats, at most [`MOST_LISTED`] of them, joined by `sep`, then how many
/// more there are.
fn some(items: impl Iterator<Item = String>, sep: &str) -> String {
    let all = distinct(items);
    let mut out = all
        .iter()
        .take(MOST_LISTED)
        .cloned()
        .collect::<Vec<_>>()
        .join(sep);
    if all.len() > MOST_LISTED {
        out.push_str(&format!(" and {} more", all.len() - MOST_LISTED));
    }
    out
}

/// Checks a quote's value against what the quote states, or reads it from the quote.
///
/// - A declared value must be one the quote states (the same interval): a value that is
///   more precise than the quote, or another, is an error that says what the quote states
///   and what to write; a less precise one (`>=10000` for "10,000 to 12,000") is a warning,
///   since a vaguer value can hide a disagreement. Where the recogniser finds no value of the
///   claim's kind, or one it cannot resolve (a relative date in an undated article), the
///   declared value stands: it is the curator's reading.
/// - A left-out value is read from the quote when the quote states exactly one value of
///   the claim's kind, resolved; otherwise the quote has no value.
/// - Text values are never read; a declared text value whose words are not all in the quote
///   is a warning (a curator may name in other words what the quote names).
pub fn settle(
    spec: Option<&ValueSpec>,
    q: &Quote,
    declared: Option<Value>,
    cx: &Context,
    subject: &str,
    diags: &mut Vec<Diagnostic>,
) -> QuoteValue {
    let written = q.value.as_ref().map(|v| v.0.trim().to_string());
    let mut out = QuoteValue {
        value: declared,
        value_from: ValueFrom::Declared,
        written: written.clone(),
        stated: None,
        resolution: None,
    };
    let Some(spec) = spec else { return out };
    if spec.kind == ValueKind::Text {
        if let (Some(raw), Some((_, pos)), Some(_)) = (&written, &q.value, &out.value) {
            check_text(raw, q, *pos, subject, diags);
        }
        return out;
    }
    let found = recognise(spec.kind, spec.unit.as_deref(), &q.text, cx);
    let cands = candidates(&found);
    let (Some(d), Some(raw), Some((_, pos))) = (out.value.clone(), &written, &q.value) else {
        if out.value.is_some() || q.value.is_some() {
            return out;
        }
        // Nothing declared: read the value if the quote states exactly one.
        let all_values = found
            .iter()
            .all(|f| matches!(f.reading, Reading::Value { .. }));
        if let Some(&(i, n, v, r)) = cands.first()
            && all_values
            && cands.iter().all(|c| c.1 == n)
        {
            out = QuoteValue {
                value: Some(v.clone()),
                value_from: ValueFrom::ReadFromText,
                written: Some(n.to_string()),
                stated: Some(found[i].stated.clone()),
                resolution: r.map(str::to_string),
            };
        } else {
            // Several values of the claim's kind ("300 were arrested and 40 injured"): none
            // is read, and the curator is told so rather than left to find the quote valueless.
            let mut several: Vec<(&str, &str)> = Vec::new();
            for f in &found {
                if let Reading::Value { notation, .. } = &f.reading
                    && !several.iter().any(|(n, _)| *n == notation.as_str())
                {
                    several.push((notation.as_str(), f.stated.as_str()));
                }
            }
            if several.len() > 1 {
                let listed: Vec<String> = several
                    .iter()
                    .map(|(_, st)| format!("\u{201C}{st}\u{201D}"))
                    .collect();
                diags.push(
                    Diagnostic::warning(
                        CLAIMS_FILE,
                        q.text_pos,
                        format!(
                            "the quote states {} values of the claim's kind ({}), so none is read from it and it states no value",
                            several.len(),
                            listed.join(", ")
                        ),
                    )
                    .subject(subject.to_string())
                    .help(format!(
                        "write the one that is the claim's under the quote, e.g. `value: \"{}\"`",
                        several[0].0
                    )),
                );
            }
        }
        return out;
    };
    if found.is_empty() {
        return out;
    }
    if let Some(&(i, _, _, r)) = cands.iter().find(|c| values::same(c.2, &d)) {
        out.stated = Some(found[i].stated.clone());
        out.resolution = r.map(str::to_string);
        return out;
    }
    for f in &found {
        if let Reading::Unresolved(p) = f.reading
            && fits(p, &d)
        {
            out.stated = Some(f.stated.clone());
            let what = match p {
                Partial::MonthDay(..) | Partial::Month(_) => "the year",
                Partial::Weekday(_) => "the day",
                Partial::Any => "the value",
            };
            out.resolution = Some(format!(
                "{}, in an undated article: {what} is the curator\u{2019}s reading",
                quoted(&f.stated)
            ));
            return out;
        }
    }
    let says = some(found.iter().map(|f| quoted(&f.stated)), " and ");
    let mut notes = Vec::new();
    if raw.contains('.')
        && spec.kind == ValueKind::Quantity
        && raw
            .split('.')
            .skip(1)
            .any(|g| g.len() >= 3 && g.bytes().take(3).all(|b| b.is_ascii_digit()))
    {
        notes.push(format!(
            "in `value:` a `.` is a decimal point (`{raw}` is read as {}); write thousands without a separator or with `,`",
            values::describe(spec.kind, raw, None)
        ));
    }
    let mut ambiguous = std::collections::BTreeSet::new();
    for f in &found {
        if let Reading::Ambiguous { readings } = &f.reading
            && ambiguous.len() < MOST_LISTED
            && ambiguous.insert(f.stated.as_str())
        {
            let alts: Vec<String> = readings
                .iter()
                .map(|(n, _)| values::describe(spec.kind, n, None))
                .collect();
            notes.push(format!(
                "{} is {} depending on the article's language; set `language:` in its front matter",
                quoted(&f.stated),
                alts.join(" or ")
            ));
        }
    }
    // Less precise than what the quote states: true, but vaguer.
    if let Some(&(i, n, _, r)) = cands.iter().find(|c| values::contains(&d, c.2)) {
        let mut diag = Diagnostic::warning(
            CLAIMS_FILE,
            *pos,
            format!(
                "`{raw}` is less precise than the quote, which says {}",
                quoted(&found[i].stated)
            ),
        )
        .subject(subject.to_string())
        .help(format!(
            "write `{n}`: a vaguer value than the source's can hide a disagreement"
        ));
        for n in notes {
            diag = diag.note(n);
        }
        diags.push(diag);
        out.stated = Some(found[i].stated.clone());
        out.resolution = r.map(str::to_string);
        return out;
    }
    let more_precise = cands.iter().find(|c| values::contains(c.2, &d));
    let message = match more_precise {
        Some(&(i, ..)) => format!(
            "`{raw}` is more precise than the quote: it says {}",
            quoted(&found[i].stated)
        ),
        None => format!("`{raw}` is not what the quote says: it says {says}"),
    };
    let help = match more_precise {
        Some(&(_, n, ..)) => format!("write `{n}`"),
        None => {
            let writes: Vec<String> = distinct(cands.iter().map(|c| format!("`{}`", c.1)));
            let partial = found.iter().find_map(|f| match f.reading {
                Reading::Unresolved(p) => Some(p),
                _ => None,
            });
            match (writes.len(), partial) {
                (0, Some(p)) => partial_help(p, &d),
                (0, None) => "write the value the quote states".to_string(),
                (1, _) => format!("write {}", writes[0]),
                _ => format!(
                    "write the one the claim is about: {}",
                    some(writes.into_iter(), " or ")
                ),
            }
        }
    };
    let mut diag = Diagnostic::error(CLAIMS_FILE, *pos, message)
        .subject(subject.to_string())
        .help(help);
    for n in notes {
        diag = diag.note(n);
    }
    diags.push(diag);
    out
}

/// The words of a text, folded: lower case, letters and digits only.
fn words(s: &str) -> Vec<String> {
    crate::anchor::normalize(s)
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn check_text(
    raw: &str,
    q: &Quote,
    pos: crate::diag::Pos,
    subject: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let have: std::collections::HashSet<String> = words(&q.text).into_iter().collect();
    let mut missing: Vec<String> = words(raw)
        .into_iter()
        .filter(|w| !have.contains(w))
        .collect();
    missing.dedup();
    if missing.is_empty() {
        return;
    }
    let list = missing
        .iter()
        .map(|w| quoted(w))
        .collect::<Vec<_>>()
        .join(", ");
    diags.push(
        Diagnostic::warning(
            CLAIMS_FILE,
            pos,
            format!("the quote does not contain {list} of the value `{raw}`"),
        )
        .subject(subject.to_string())
        .help("write the value in the quote's own words, so that readers can see it stated"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use ValueKind::*;

    /// The notations read from `text`, ambiguous ones as `a|b`, unresolved ones as `?`.
    fn read(
        kind: ValueKind,
        unit: Option<&str>,
        text: &str,
        published: Option<&str>,
        lang: &str,
    ) -> Vec<String> {
        let cx = Context::new(published, lang);
        recognise(kind, unit, text, &cx)
            .into_iter()
            .map(|f| match f.reading {
                Reading::Value { notation, .. } => notation,
                Reading::Ambiguous { readings } => readings
                    .into_iter()
                    .map(|r| r.0)
                    .collect::<Vec<_>>()
                    .join("|"),
                Reading::Unresolved(p) => format!("?{p:?}"),
            })
            .collect()
    }

    fn q(text: &str) -> Vec<String> {
        read(Quantity, None, text, None, "en")
    }

    #[test]
    fn numbers_in_every_style() {
        for t in [
            "8,000 people",
            "8000 people",
            "8 000 people",
            "8\u{a0}000 people",
            "8\u{2009}000",
            "8\u{202f}000",
            "8'000",
            "8\u{2019}000",
            "eight thousand",
        ] {
            assert_eq!(q(t), ["8000"], "{t}");
        }
        assert_eq!(read(Quantity, None, "8.000 Menschen", None, "de"), ["8000"]);
        assert_eq!(read(Quantity, None, "1,500 Menschen", None, "de"), ["1.5"]);
        assert_eq!(read(Quantity, None, "1.500 people", None, "en"), ["1.5"]);
        assert_eq!(read(Quantity, None, "8.000 people", None, "xx"), ["8000|8"]);
        assert_eq!(
            read(Quantity, None, "1.500,5 Leute", None, "de"),
            ["1500.5"]
        );
        assert_eq!(read(Quantity, None, "1'500.5", None, "de-CH"), ["1500.5"]);
        assert_eq!(
            q("10,000,000 and 2.5 and 12,345.75"),
            ["10000000", "2.5", "12345.75"]
        );
        assert_eq!(q("1.5 million people"), ["1500000"]);
        assert_eq!(q("1.1 million"), ["1100000"]);
        assert_eq!(q("two hundred and fifty"), ["250"]);
        assert_eq!(q("twenty-five soldiers"), ["25"]);
        assert_eq!(q("a dozen men and two dozen women"), ["12", "24"]);
        assert_eq!(q("ten thousand troops"), ["10000"]);
        assert_eq!(q("one of the soldiers"), Vec::<String>::new());
        assert_eq!(q("the G7 and No. 84"), Vec::<String>::new());
    }

    #[test]
    fn ranges_and_qualifiers() {
        assert_eq!(q("10,000 to 12,000 soldiers"), ["10000-12000"]);
        assert_eq!(q("between 10,000 and 12,000"), ["10000-12000"]);
        assert_eq!(q("10,000-12,000"), ["10000-12000"]);
        assert_eq!(q("10\u{2013}12 million"), ["10000000-12000000"]);
        assert_eq!(q("hundreds of soldiers"), ["200-999"]);
        assert_eq!(q("tens of thousands of people"), ["20000-99999"]);
        for (t, n) in [
            ("at least 10,000", ">=10000"),
            ("more than 1,000", ">1000"),
            ("over 12,000", ">12000"),
            ("up to 4,000", "<=4000"),
            ("as high as 4,000", "<=4000"),
            ("about 8,000", "~8000"),
            ("Around 8,000", "~8000"),
            ("some 200", "~200"),
            ("nearly 300", "~300"),
            ("almost 300", "~300"),
            ("fewer than 50", "<50"),
            ("under 50", "<50"),
            ("an estimated 3,000", "~3000"),
            ("8,000 or more", ">=8000"),
        ] {
            assert_eq!(q(t), [n], "{t}");
        }
    }

    #[test]
    fn years_ages_and_durations_are_not_counts() {
        assert_eq!(q("since 2021, a 20-year-old"), Vec::<String>::new());
        assert_eq!(q("on 9 January 2025"), Vec::<String>::new());
        assert_eq!(q("a week of training"), Vec::<String>::new());
        assert_eq!(
            read(
                Quantity,
                Some("days"),
                "one-week training, a week of it, 10 days",
                None,
                "en"
            ),
            ["7", "7", "10"]
        );
        assert_eq!(
            read(Quantity, Some("weeks"), "a week of training", None, "en"),
            ["1"]
        );
        assert_eq!(
            read(Quantity, Some("weeks"), "ten days", None, "en"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn dates() {
        let d = |t: &str, p: Option<&str>| read(Date, None, t, p, "en");
        assert_eq!(d("captured on 9 January 2025", None), ["2025-01-09"]);
        assert_eq!(d("January 11, 2025", None), ["2025-01-11"]);
        assert_eq!(d("on 2025-01-11", None), ["2025-01-11"]);
        assert_eq!(d("in November 2024", None), ["2024-11"]);
        assert_eq!(d("in 2024", None), ["2024"]);
        assert_eq!(d("on Jan. 11", None), ["?MonthDay(1, 11)"]);
        assert_eq!(d("on Jan. 11", Some("2025-01-12")), ["2025-01-11"]);
        assert_eq!(d("on 9 January", Some("2025-01-12")), ["2025-01-09"]);
        assert_eq!(d("on Dec. 19", Some("2025-01-12")), ["2024-12-19"]);
        assert_eq!(d("In December", Some("2025-01-12")), ["2024-12"]);
        assert_eq!(d("in November last year", Some("2025-01-12")), ["2024-11"]);
        assert_eq!(d("in November last year", None), ["?Month(11)"]);
        assert_eq!(d("they may go", None), Vec::<String>::new());
        assert_eq!(d("in May", Some("2025-01-12")), ["2025-05"]);
        assert_eq!(d("January 11: “Our", None), ["?MonthDay(1, 11)"]);
    }

    #[test]
    fn weekdays_and_relative_dates() {
        let d = |t: &str| read(Date, None, t, Some("2025-01-12"), "en");
        // Sunday 12 January 2025.
        assert_eq!(d("said on Saturday"), ["2025-01-11"]);
        assert_eq!(d("said Thursday"), ["2025-01-09"]);
        assert_eq!(d("on Sunday"), ["2025-01-12"]);
        assert_eq!(d("last Sunday"), ["2025-01-05"]);
        assert_eq!(d("next Monday"), ["2025-01-13"]);
        assert_eq!(d("yesterday"), ["2025-01-11"]);
        assert_eq!(d("today"), ["2025-01-12"]);
        assert_eq!(d("Last month"), ["2024-12"]);
        assert_eq!(d("last year"), ["2024"]);
        assert_eq!(d("last week"), ["2024-12-30/2025-01-05"]);
        assert_eq!(d("two weeks ago"), ["2024-12-26/2025-01-01"]);
        assert_eq!(d("three days ago"), ["2025-01-09"]);
        assert_eq!(d("a month ago"), ["2024-12"]);
        assert_eq!(read(Date, None, "on Saturday", None, "en"), ["?Weekday(5)"]);
        assert_eq!(read(Date, None, "last month", None, "en"), ["?Any"]);
    }

    #[test]
    fn years_and_ages() {
        let y = |t: &str, p: Option<&str>| read(Year, None, t, p, "en");
        assert_eq!(y("born in 2005", None), ["2005"]);
        assert_eq!(y("between 2004 and 2005", None), ["2004-2005"]);
        assert_eq!(y("2004-2005", None), ["2004-2005"]);
        assert_eq!(
            y("a 20-year-old rifleman", Some("2025-01-12")),
            ["2004-2005"]
        );
        assert_eq!(y("aged 26", Some("2025-01-12")), ["1998-1999"]);
        assert_eq!(y("he is 26 years old", Some("2025-01-12")), ["1998-1999"]);
        assert_eq!(y("a 20-year-old", None), ["?Any"]);
        assert_eq!(y("on 9 January 2025", None), ["2025"]);
        assert_eq!(y("last year", Some("2025-01-12")), ["2024"]);
    }

    #[test]
    fn resolutions_say_how() {
        let cx = Context::new(Some("2025-01-12"), "en");
        let f = recognise(Date, None, "Ukraine said on Saturday that", &cx);
        let Reading::Value { resolution, .. } = &f[0].reading else {
            panic!("{f:?}")
        };
        assert_eq!(f[0].stated, "on Saturday");
        assert_eq!(
            resolution.as_deref(),
            Some(
                "\u{201C}on Saturday\u{201D} in an article of Sunday 12 January 2025: 11 January 2025"
            )
        );
    }
}
