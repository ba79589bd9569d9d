//! Typed values: parsing what a source states (`10000-12000`, `~12000`, `2025-01-09`, `2005`)
//! and deciding whether the values of one claim can all be true at once.
//!
//! Quantities, dates and years become intervals; text is compared after normalising case and
//! white space. A claim's values *conflict* when their intervals have no point in common (or
//! two texts differ); they *differ in precision* when they are not all equal but compatible
//! ("10,000 to 12,000" and "at least 10,000").

use crate::model::ValueKind;

/// One end of an interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bound {
    pub v: f64,
    pub inclusive: bool,
}

/// A parsed value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `lo`/`hi` are `None` when unbounded (`>=10000`).
    Interval {
        lo: Option<Bound>,
        hi: Option<Bound>,
    },
    Text(String),
}

/// Parses `s` as a value of `kind`; the error says what forms are accepted. A value that
/// no quantity can have (`<0`) is refused here: as an empty interval it would conflict with
/// everything, itself included.
pub fn parse(kind: ValueKind, s: &str) -> Result<Value, String> {
    let s = s.trim();
    let v = parse_any(kind, s).map_err(|e| match invisible(s) {
        Some(c) => format!(
            "{e} (it holds an invisible character, U+{:04X}: retype the value)",
            c as u32
        ),
        None => e,
    })?;
    if let Value::Interval { lo, hi } = &v
        && !below(*lo, *hi)
    {
        return Err(format!(
            "`{s}` is true of no {}: nothing is under 0; write `0` if none, or the bound the source gives",
            kind.as_str()
        ));
    }
    Ok(v)
}

/// The first character of `s` a reader cannot see in an error message (a zero-width joiner,
/// a direction mark, a line separator pasted with the value), which would make `1\u{200D}2000`
/// read as "`12000` is not a quantity".
fn invisible(s: &str) -> Option<char> {
    s.chars().find(|&c| {
        c.is_control()
            || (c.is_whitespace() && c != ' ')
            || matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
    })
}

fn parse_any(kind: ValueKind, s: &str) -> Result<Value, String> {
    match kind {
        ValueKind::Quantity => parse_quantity(s),
        ValueKind::Date => parse_date(s),
        ValueKind::Year => parse_year(s),
        ValueKind::Text => {
            // Empty once normalised too: `.` or a zero-width space says nothing.
            let t = normalize_text(s);
            if t.is_empty() {
                Err("the value is empty".to_string())
            } else {
                Ok(Value::Text(t))
            }
        }
    }
}

/// What each kind accepts, for error messages.
pub fn forms(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Quantity => {
            "a number (`12000`), a range (`10000-12000`), about (`~12000`), at least (`>=10000`), over (`>12000`), up to (`<=4000`) or under (`<4000`)"
        }
        ValueKind::Date => {
            "a day (`2025-01-09`), a month (`2025-01`), a year (`2025`) or a span of them (`2024-12-27/2025-01-02`)"
        }
        ValueKind::Year => "a year (`2005`) or a range of years (`2004-2005`)",
        ValueKind::Text => "any text",
    }
}

fn number(s: &str) -> Option<f64> {
    let cleaned: String = s.chars().filter(|c| *c != ',' && *c != '_').collect();
    if cleaned.is_empty() || !cleaned.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    // 400 digits parse as infinity, which compares with nothing sensibly.
    cleaned.parse().ok().filter(|n: &f64| n.is_finite())
}

fn closed(lo: f64, hi: f64) -> Value {
    Value::Interval {
        lo: Some(Bound {
            v: lo,
            inclusive: true,
        }),
        hi: Some(Bound {
            v: hi,
            inclusive: true,
        }),
    }
}

fn parse_quantity(s: &str) -> Result<Value, String> {
    let bad = || format!("`{s}` is not a quantity");
    let (op, rest) = [">=", "<=", "≥", "≤", ">", "<", "~"]
        .iter()
        .find_map(|op| s.strip_prefix(op).map(|r| (*op, r.trim())))
        .unwrap_or(("", s));
    if op.is_empty() {
        if let Some((a, b)) = s.split_once('-') {
            let (a, b) = (
                number(a.trim()).ok_or_else(bad)?,
                number(b.trim()).ok_or_else(bad)?,
            );
            if a > b {
                return Err(format!(
                    "the range `{s}` runs backwards; write the smaller number first"
                ));
            }
            return Ok(closed(a, b));
        }
        let n = number(s).ok_or_else(bad)?;
        return Ok(closed(n, n));
    }
    let n = number(rest).ok_or_else(bad)?;
    Ok(match op {
        "~" => closed(n * 0.9, n * 1.1),
        ">=" | "≥" => Value::Interval {
            lo: Some(Bound {
                v: n,
                inclusive: true,
            }),
            hi: None,
        },
        ">" => Value::Interval {
            lo: Some(Bound {
                v: n,
                inclusive: false,
            }),
            hi: None,
        },
        "<=" | "≤" => Value::Interval {
            lo: Some(Bound {
                v: 0.0,
                inclusive: true,
            }),
            hi: Some(Bound {
                v: n,
                inclusive: true,
            }),
        },
        _ => Value::Interval {
            lo: Some(Bound {
                v: 0.0,
                inclusive: true,
            }),
            hi: Some(Bound {
                v: n,
                inclusive: false,
            }),
        },
    })
}

/// The months' names, January first, as dates are written on the site.
pub(crate) const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The civil date (year, month, day) of a day number, days since 1970-01-01: the inverse of
/// [`days_from_civil`] (Howard Hinnant's algorithm).
pub(crate) fn civil_from_days(day: i64) -> (i64, i64, i64) {
    let z = day + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(crate) fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

fn year(s: &str) -> Option<i64> {
    (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

/// Parses `YYYY-MM-DD` into (year, month, day), checking the day exists.
pub(crate) fn parse_day(s: &str) -> Option<(i64, i64, i64)> {
    let mut it = s.split('-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() || !two_digits(m) || !two_digits(d) {
        return None;
    }
    let (y, m, d) = (year(y)?, m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)).then_some((y, m, d))
}

fn parse_date(s: &str) -> Result<Value, String> {
    // A span of dates, `2024-12-27/2025-01-02` (ISO 8601's interval): from the start of the
    // first to the end of the second, each a day, a month or a year.
    if let Some((a, b)) = s.split_once('/') {
        let bad = || format!("`{s}` is not a span of dates");
        let (a, b) = (
            parse_date(a.trim()).map_err(|_| bad())?,
            parse_date(b.trim()).map_err(|_| bad())?,
        );
        let (Value::Interval { lo: Some(lo), .. }, Value::Interval { hi: Some(hi), .. }) = (a, b)
        else {
            return Err(bad());
        };
        if lo.v > hi.v {
            return Err(format!(
                "the span `{s}` runs backwards; write the earlier date first"
            ));
        }
        return Ok(closed(lo.v, hi.v));
    }
    let bad = || format!("`{s}` is not a date");
    let parts: Vec<&str> = s.split('-').collect();
    let (lo, hi) = match parts.as_slice() {
        [y] => {
            let y = year(y).ok_or_else(bad)?;
            (days_from_civil(y, 1, 1), days_from_civil(y, 12, 31))
        }
        [y, m] => {
            let y = year(y).ok_or_else(bad)?;
            let m: i64 = m
                .parse()
                .ok()
                .filter(|m| (1..=12).contains(m) && two_digits(parts[1]))
                .ok_or_else(bad)?;
            (
                days_from_civil(y, m, 1),
                days_from_civil(y, m, days_in_month(y, m)),
            )
        }
        [_, _, _] => {
            let (y, m, d) = parse_day(s).ok_or_else(bad)?;
            let n = days_from_civil(y, m, d);
            (n, n)
        }
        _ => return Err(bad()),
    };
    Ok(closed(lo as f64, hi as f64))
}

/// Exactly two ASCII digits (`str::parse` alone also takes `+1`).
fn two_digits(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit())
}

fn parse_year(s: &str) -> Result<Value, String> {
    let bad = || format!("`{s}` is not a year");
    if let Some((a, b)) = s.split_once('-') {
        let (a, b) = (
            year(a.trim()).ok_or_else(bad)?,
            year(b.trim()).ok_or_else(bad)?,
        );
        if a > b {
            return Err(format!(
                "the range `{s}` runs backwards; write the earlier year first"
            ));
        }
        return Ok(closed(a as f64, b as f64));
    }
    let y = year(s).ok_or_else(bad)?;
    Ok(closed(y as f64, y as f64))
}

/// Lower case, white space folded, typographic quotes and dashes made plain.
pub(crate) fn normalize_text(s: &str) -> String {
    crate::anchor::normalize(s)
        .to_lowercase()
        .trim_end_matches(['.', ';', ','])
        .to_string()
}

/// Whether two values can both be true.
pub fn compatible(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Text(x), Value::Text(y)) => x == y,
        (Value::Interval { lo: al, hi: ah }, Value::Interval { lo: bl, hi: bh }) => {
            below(*al, *bh) && below(*bl, *ah)
        }
        _ => false,
    }
}

/// Whether every point of `inner` is a point of `outer` (so `outer` is as precise or less).
pub fn contains(outer: &Value, inner: &Value) -> bool {
    match (outer, inner) {
        (Value::Text(x), Value::Text(y)) => x == y,
        (Value::Interval { lo: ol, hi: oh }, Value::Interval { lo: il, hi: ih }) => {
            let lo_ok = match (ol, il) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some(o), Some(i)) => o.v < i.v || (o.v == i.v && (o.inclusive || !i.inclusive)),
            };
            let hi_ok = match (oh, ih) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some(o), Some(i)) => o.v > i.v || (o.v == i.v && (o.inclusive || !i.inclusive)),
            };
            lo_ok && hi_ok
        }
        _ => false,
    }
}

/// Whether two values are the same (each contains the other).
pub fn same(a: &Value, b: &Value) -> bool {
    contains(a, b) && contains(b, a)
}

/// Whether a lower bound `lo` lies below an upper bound `hi` (so the intervals meet).
fn below(lo: Option<Bound>, hi: Option<Bound>) -> bool {
    match (lo, hi) {
        (Some(l), Some(h)) => {
            if l.inclusive && h.inclusive {
                l.v <= h.v
            } else {
                l.v < h.v
            }
        }
        _ => true,
    }
}

/// A human reading of a value as written: "10,000–12,000", "about 12,000", "9 January 2025".
pub fn describe(kind: ValueKind, raw: &str, unit: Option<&str>) -> String {
    let raw = raw.trim();
    let with_unit = |s: String| match unit {
        Some(u) => format!("{s} {u}"),
        None => s,
    };
    match kind {
        ValueKind::Quantity => {
            let fmt = |n: &str| match number(n.trim()) {
                Some(v) => group_thousands(n.trim(), v),
                None => n.trim().to_string(),
            };
            for (op, words) in [
                (">=", "at least"),
                ("≥", "at least"),
                ("<=", "up to"),
                ("≤", "up to"),
                (">", "over"),
                ("<", "under"),
                ("~", "about"),
            ] {
                if let Some(r) = raw.strip_prefix(op) {
                    return with_unit(format!("{words} {}", fmt(r)));
                }
            }
            match raw.split_once('-') {
                Some((a, b)) => with_unit(format!("{}–{}", fmt(a), fmt(b))),
                None => with_unit(fmt(raw)),
            }
        }
        ValueKind::Date => {
            if let Some((a, b)) = raw.split_once('/') {
                return format!("{} to {}", describe(kind, a, None), describe(kind, b, None));
            }
            let parts: Vec<&str> = raw.split('-').collect();
            let month = |m: &str| {
                m.parse::<usize>()
                    .ok()
                    .and_then(|m| MONTH_NAMES.get(m.wrapping_sub(1)))
                    .copied()
            };
            match parts.as_slice() {
                [y, m, d] => match (month(m), d.parse::<u32>()) {
                    (Some(m), Ok(d)) => format!("{d} {m} {y}"),
                    _ => raw.to_string(),
                },
                [y, m] => month(m)
                    .map(|m| format!("{m} {y}"))
                    .unwrap_or_else(|| raw.to_string()),
                _ => raw.to_string(),
            }
        }
        ValueKind::Year => raw.replace('-', "–"),
        ValueKind::Text => raw.to_string(),
    }
}

/// A number as written (a valid `number`, whose value is `n`) for a reader: a whole number
/// in thousands from its written digits, not the float, so that 99999999999999999999999
/// reads as written (a float would round it, an integer type cap it at
/// 9,223,372,036,854,775,807); a fraction as the float prints it.
fn group_thousands(written: &str, n: f64) -> String {
    if n.fract() != 0.0 {
        return n.to_string();
    }
    let digits: String = written
        .chars()
        .take_while(|c| *c != '.')
        .filter(char::is_ascii_digit)
        .collect();
    let whole = match digits.trim_start_matches('0') {
        "" => "0",
        w => w,
    };
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ValueKind::*;

    fn p(k: ValueKind, s: &str) -> Value {
        parse(k, s).expect(s)
    }

    #[test]
    fn quantities() {
        assert!(!compatible(
            &p(Quantity, "10000-12000"),
            &p(Quantity, ">12000")
        ));
        assert!(compatible(
            &p(Quantity, "10000-12000"),
            &p(Quantity, ">=10000")
        ));
        assert!(compatible(&p(Quantity, "~12000"), &p(Quantity, ">12000")));
        assert!(compatible(
            &p(Quantity, "10000-12000"),
            &p(Quantity, "~12000")
        ));
        assert!(!compatible(&p(Quantity, "~200"), &p(Quantity, ">1000")));
        assert!(compatible(&p(Quantity, ">1000"), &p(Quantity, "<=4000")));
        assert!(!compatible(&p(Quantity, "<4000"), &p(Quantity, "4000")));
        assert!(compatible(&p(Quantity, "<=4000"), &p(Quantity, "4,000")));
        assert!(parse(Quantity, "many").is_err());
        assert!(parse(Quantity, "12000-10000").is_err());
    }

    #[test]
    fn dates_and_years() {
        assert!(!compatible(&p(Date, "2025-01-09"), &p(Date, "2025-01-11")));
        assert!(compatible(&p(Date, "2025-01-09"), &p(Date, "2025-01")));
        assert!(compatible(&p(Date, "2025"), &p(Date, "2025-12-31")));
        assert!(!compatible(&p(Date, "2024-12"), &p(Date, "2025-01")));
        assert!(parse(Date, "2025-02-30").is_err());
        assert!(parse(Date, "9 January").is_err());
        assert!(compatible(&p(Year, "2005"), &p(Year, "2004-2005")));
        assert!(!compatible(&p(Year, "1998"), &p(Year, "2005")));
        assert!(parse(Year, "05").is_err());
    }

    #[test]
    fn date_spans_and_containment() {
        let span = p(Date, "2024-12-26/2025-01-01");
        assert!(compatible(&span, &p(Date, "2024-12-31")));
        assert!(!compatible(&span, &p(Date, "2025-01-02")));
        assert!(same(&p(Date, "2025-01-01/2025-01-31"), &p(Date, "2025-01")));
        assert!(same(
            &p(Date, "2024/2025"),
            &p(Date, "2024-01-01/2025-12-31")
        ));
        assert!(parse(Date, "2025-01-02/2025-01-01").is_err());
        assert!(parse(Date, "2025-01-02/").is_err());
        assert_eq!(
            describe(Date, "2024-12-26/2025-01-01", None),
            "26 December 2024 to 1 January 2025"
        );
        assert!(contains(
            &p(Quantity, ">=10000"),
            &p(Quantity, "10000-12000")
        ));
        assert!(!contains(
            &p(Quantity, "10000-12000"),
            &p(Quantity, ">=10000")
        ));
        assert!(contains(&p(Quantity, "~8000"), &p(Quantity, "8000")));
        assert!(!contains(&p(Quantity, ">8000"), &p(Quantity, ">=8000")));
        assert!(contains(&p(Quantity, ">=8000"), &p(Quantity, ">8000")));
        assert!(same(&p(Quantity, "8,000"), &p(Quantity, "8000")));
        assert!(!same(&p(Quantity, "<8000"), &p(Quantity, "<=8000")));
    }

    #[test]
    fn texts() {
        assert!(compatible(
            &p(Text, "Special  Operation Forces"),
            &p(Text, "special operation forces.")
        ));
        assert!(!compatible(
            &p(Text, "Tactical Group No. 84"),
            &p(Text, "paratroopers")
        ));
    }

    #[test]
    fn descriptions() {
        assert_eq!(
            describe(Quantity, "10000-12000", Some("soldiers")),
            "10,000–12,000 soldiers"
        );
        assert_eq!(describe(Quantity, ">=10000", None), "at least 10,000");
        assert_eq!(describe(Quantity, "~200", None), "about 200");
        assert_eq!(describe(Date, "2025-01-09", None), "9 January 2025");
        assert_eq!(describe(Date, "2024-11", None), "November 2024");
        assert_eq!(describe(Year, "2004-2005", None), "2004–2005");
        // Past what an i64 holds, the digits as written (not 9,223,372,036,854,775,807).
        assert_eq!(
            describe(Quantity, "99999999999999999999999", None),
            "99,999,999,999,999,999,999,999"
        );
        assert_eq!(describe(Quantity, "~0012000.00", None), "about 12,000");
        assert_eq!(describe(Quantity, "12000.5", None), "12000.5");
    }

    #[test]
    fn empty_intervals_are_refused() {
        let e = parse(Quantity, "<0").expect_err("empty");
        assert!(e.contains("`<0`"), "{e}");
        assert!(e.contains("write `0`"), "{e}");
        assert!(parse(Quantity, "< 0").is_err());
        assert!(parse(Quantity, "<0.0").is_err());
        assert!(parse(Quantity, "<=0").is_ok());
        assert!(parse(Quantity, "~0").is_ok());
        assert!(parse(Quantity, "0").is_ok());
        assert!(parse(Text, "").is_err());
        assert!(parse(Text, " . ").is_err());
        assert!(parse(Text, "\u{200b}").is_err());
    }

    #[test]
    fn odd_numbers_and_dates() {
        assert!(parse(Quantity, &"9".repeat(400)).is_err());
        assert!(parse(Date, "2025-+1").is_err());
        assert!(parse(Date, "2025-+1-01").is_err());
        assert!(parse(Date, "2025-01-+1").is_err());
        assert!(parse(Date, "2025-1").is_err());
        assert!(parse(Date, "2025-01").is_ok());
    }
}
