//! The interval chart of a disputed claim: each source's value (a quantity, date or year) as
//! a bar on one axis, so a reader sees at a glance which values cannot all be true.
//!
//! Inline SVG, no JavaScript. The chart is an image to screen readers (`role="img"`) whose
//! `<title>` and `<desc>` say in words what every bar shows; the table beside it says it
//! again. Coordinates are printed with one decimal, so the same dossier gives the same bytes
//! on every machine. Open-ended values ("over 12,000") run to the edge and end in an arrow.
//! Linear in the bars; nothing here reads the dossier.

use crate::markdown::escape;
use crate::model::ValueKind;
use crate::values::{Value, civil_from_days};

/// One bar: who states the value, how a reader reads it, and the value.
pub struct Bar<'v> {
    pub who: String,
    pub label: String,
    pub value: &'v Value,
}

/// The most bars a chart draws: a claim with more values than this shows its table only (a
/// chart of hundreds of bars would be read by no one, and would be as long as the page).
pub const MAX_BARS: usize = 40;

const WIDTH: f64 = 400.0;
const PAD: f64 = 10.0;
const ROW: f64 = 36.0;
const ARROW: f64 = 8.0;
/// The most characters of a line of a bar's caption ("Newsweek · about 12,000 soldiers"): a
/// longer caption takes two lines (who, then the value), each cut with "…" if need be.
const CAPTION_MAX: usize = 52;
/// The height the second line of a caption adds to its row.
const LINE: f64 = 16.0;

/// An interval as drawn: its ends on the axis (`None` when open-ended).
struct Span {
    lo: Option<f64>,
    hi: Option<f64>,
}

/// Days and years are drawn as stretches of the axis (9 January runs from the start of the
/// day to the start of the next), quantities as points and ranges.
fn span(kind: ValueKind, v: &Value) -> Option<Span> {
    let Value::Interval { lo, hi } = v else {
        return None;
    };
    let whole = matches!(kind, ValueKind::Date | ValueKind::Year);
    Some(Span {
        lo: lo.map(|b| {
            if whole && !b.inclusive {
                b.v + 1.0
            } else {
                b.v
            }
        }),
        hi: hi.map(|b| if whole && b.inclusive { b.v + 1.0 } else { b.v }),
    })
}

/// The chart of `bars` for a claim whose values are of `kind`, or `None` when there is
/// nothing to draw (text values, or no bounded value). `id` makes the ids of its title and
/// description (unique on a page: the claim's id).
pub fn svg(id: &str, kind: ValueKind, bars: &[Bar<'_>]) -> Option<String> {
    if kind == ValueKind::Text || bars.is_empty() || bars.len() > MAX_BARS {
        return None;
    }
    let spans: Vec<Span> = bars
        .iter()
        .map(|b| span(kind, b.value))
        .collect::<Option<_>>()?;
    let ends = spans.iter().flat_map(|s| [s.lo, s.hi]).flatten();
    let (mut d0, mut d1) = ends.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if !d0.is_finite() || !d1.is_finite() {
        return None;
    }
    let whole = matches!(kind, ValueKind::Date | ValueKind::Year);
    let pad = match (d1 - d0) * 0.12 {
        p if whole => p.max(1.0).ceil(),
        p if p > 0.0 => p,
        _ => (d0.abs() * 0.1).max(1.0),
    };
    d0 -= pad;
    d1 += pad;
    // Values near the largest float (300-digit numbers) overflow here: no chart then, rather
    // than NaN coordinates; the table beside it still lists every value.
    if !(d1 - d0).is_finite() {
        return None;
    }
    let x = |v: f64| PAD + ARROW + (v - d0) / (d1 - d0) * (WIDTH - 2.0 * (PAD + ARROW));
    // Each caption as one line, or two (who, then the value) when it is long.
    let captions: Vec<Vec<String>> = bars
        .iter()
        .map(|b| {
            let one = format!("{} \u{00B7} {}", b.who, b.label);
            if one.chars().count() <= CAPTION_MAX {
                vec![one]
            } else {
                let mut lines = wrap(&b.who, CAPTION_MAX, 2);
                lines.push(shorten(&b.label, CAPTION_MAX));
                lines
            }
        })
        .collect();
    let lines: usize = captions.iter().map(|c| c.len() - 1).sum();
    // (Captions are at most three lines: who in two, then the value.)
    let axis_y = 8.0 + bars.len() as f64 * ROW + lines as f64 * LINE;
    let height = axis_y + 28.0;
    let mut out = String::new();
    let (t_id, d_id) = (format!("chart-{id}-title"), format!("chart-{id}-desc"));
    out.push_str(&format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH:.0} {height:.0}\" role=\"img\" aria-labelledby=\"{t_id} {d_id}\">\n"
    ));
    out.push_str(&format!(
        "<title id=\"{t_id}\">Each source\u{2019}s value on one axis</title>\n"
    ));
    let desc: Vec<String> = bars
        .iter()
        .map(|b| format!("{}: {}.", b.who, b.label))
        .collect();
    out.push_str(&format!(
        "<desc id=\"{d_id}\">{}</desc>\n",
        escape(&desc.join(" "))
    ));
    let mut top = 8.0;
    for (caption, s) in captions.iter().zip(&spans) {
        for line in caption {
            out.push_str(&format!(
                "<text class=\"bar-caption\" x=\"{PAD:.1}\" y=\"{:.1}\">{}</text>\n",
                top + 13.0,
                escape(line)
            ));
            top += LINE;
        }
        top += ROW - LINE;
        let yc = top - ROW + 24.0;
        let x0 = s.lo.map_or(PAD + ARROW, x);
        let x1 = s.hi.map_or(WIDTH - PAD - ARROW, x);
        if s.lo.is_some() && s.hi.is_some() && x1 - x0 < 6.0 {
            out.push_str(&format!(
                "<circle class=\"bar\" cx=\"{:.1}\" cy=\"{yc:.1}\" r=\"5.0\"/>\n",
                (x0 + x1) / 2.0
            ));
            continue;
        }
        out.push_str(&format!(
            "<rect class=\"bar\" x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"10.0\" rx=\"2.0\"/>\n",
            yc - 5.0,
            x1 - x0
        ));
        if s.lo.is_none() {
            out.push_str(&format!(
                "<path class=\"bar\" d=\"M{:.1} {yc:.1} L{x0:.1} {:.1} L{x0:.1} {:.1} Z\"/>\n",
                x0 - ARROW,
                yc - 7.0,
                yc + 7.0
            ));
        }
        if s.hi.is_none() {
            out.push_str(&format!(
                "<path class=\"bar\" d=\"M{:.1} {yc:.1} L{x1:.1} {:.1} L{x1:.1} {:.1} Z\"/>\n",
                x1 + ARROW,
                yc - 7.0,
                yc + 7.0
            ));
        }
    }
    out.push_str(&format!(
        "<line class=\"axis\" x1=\"{PAD:.1}\" y1=\"{axis_y:.1}\" x2=\"{:.1}\" y2=\"{axis_y:.1}\"/>\n",
        WIDTH - PAD
    ));
    for (t, label) in ticks(kind, d0, d1) {
        let tx = x(t);
        out.push_str(&format!(
            "<line class=\"tick\" x1=\"{tx:.1}\" y1=\"{axis_y:.1}\" x2=\"{tx:.1}\" y2=\"{:.1}\"/>\n",
            axis_y + 5.0
        ));
        let lx = tx.clamp(PAD + 28.0, WIDTH - PAD - 28.0);
        out.push_str(&format!(
            "<text class=\"tick-label\" x=\"{lx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n",
            axis_y + 20.0,
            escape(&label)
        ));
    }
    out.push_str("</svg>");
    Some(out)
}

/// `s` in lines of at most `max` characters, broken between words, at most `most` lines
/// (the last cut with "…" if need be).
fn wrap(s: &str, max: usize, most: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for w in s.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + w.chars().count() > max {
            if lines.len() + 1 == most {
                line.push(' ');
                line.push_str(w);
                continue;
            }
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(w);
    }
    lines.push(line);
    lines.into_iter().map(|l| shorten(&l, max)).collect()
}

/// `s`, cut to at most `max` characters with "…".
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max - 1).collect();
    format!("{}\u{2026}", cut.trim_end())
}

/// At most six ticks inside `d0..d1`, at round values, with their labels. Days and years
/// are marked in their middle.
fn ticks(kind: ValueKind, d0: f64, d1: f64) -> Vec<(f64, String)> {
    let span = d1 - d0;
    if kind == ValueKind::Date && span / 364.0 > 6.0 {
        return year_ticks(d0, d1);
    }
    let step = match kind {
        ValueKind::Date => [1.0, 2.0, 7.0, 14.0, 28.0, 56.0, 91.0, 182.0, 364.0]
            .into_iter()
            .find(|s| span / s <= 6.0)
            .unwrap_or_else(|| nice(span / 5.0).max(365.0)),
        ValueKind::Year => nice(span / 5.0).max(1.0),
        _ => nice(span / 5.0),
    };
    if step.is_nan() || step <= 0.0 {
        return Vec::new();
    }
    let half = if matches!(kind, ValueKind::Date | ValueKind::Year) {
        0.5
    } else {
        0.0
    };
    let mut at = Vec::new();
    let mut t = (d0 / step).ceil() * step;
    while t + half <= d1 && at.len() < 7 {
        if t + half >= d0 {
            at.push(t);
        }
        t += step;
    }
    // Days name their year only when the axis spans more than one (the captions say it).
    // (Only days have a year: a quantity's tick as a day count overflows past 2^63.)
    let years = |t: &f64| civil_from_days(t.round() as i64).0;
    let one_year = kind != ValueKind::Date || at.first().map(years) == at.last().map(years);
    at.into_iter()
        .map(|t| (t + half, tick_label(kind, t, step, !one_year)))
        .collect()
}

/// Ticks of a day axis longer than six years: on 1 January of round years (a step in days
/// would fall on arbitrary days, "29 Nov 4707"), labelled with the year alone.
fn year_ticks(d0: f64, d1: f64) -> Vec<(f64, String)> {
    let (y0, y1) = (
        civil_from_days(d0.floor() as i64).0,
        civil_from_days(d1.ceil() as i64).0,
    );
    let step = nice((y1 - y0) as f64 / 5.0).max(1.0) as i64;
    let mut out = Vec::new();
    let mut y = y0.div_euclid(step) * step;
    while y <= y1 && out.len() < 7 {
        let t = crate::values::days_from_civil(y, 1, 1) as f64;
        if t >= d0 && t <= d1 {
            out.push((t, y.to_string()));
        }
        y += step;
    }
    out
}

/// 1, 2 or 5 times a power of ten, at least `raw`.
fn nice(raw: f64) -> f64 {
    if raw.is_nan() || raw <= 0.0 || !raw.is_finite() {
        return 0.0;
    }
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * p)
}

fn tick_label(kind: ValueKind, t: f64, step: f64, with_year: bool) -> String {
    match kind {
        ValueKind::Date => {
            let (y, m, d) = civil_from_days(t.round() as i64);
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            let month = MONTHS[(m - 1).clamp(0, 11) as usize];
            if with_year {
                format!("{d} {month} {y}")
            } else {
                format!("{d} {month}")
            }
        }
        ValueKind::Year => format!("{}", t.round() as i64),
        _ => number(t, step),
    }
}

/// A tick's number as a reader reads it: thousands grouped, as many decimals as the step
/// between ticks needs (a step of 0.0000001 gives 0.0000002, not 0). Whole numbers are
/// printed in full, never through an integer type that would cap them.
fn number(n: f64, step: f64) -> String {
    let decimals = if step > 0.0 && step < 1.0 {
        (-step.log10().floor()).clamp(0.0, 20.0) as usize
    } else {
        0
    };
    if decimals > 0 {
        let s = format!("{n:.decimals$}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        return if s == "-0" {
            "0".to_string()
        } else {
            s.to_string()
        };
    }
    let neg = n.round() < 0.0;
    let digits = format!("{}", n.abs().round());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if neg { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values;

    #[test]
    fn days_round_trip() {
        for s in [
            "2025-01-09",
            "1970-01-01",
            "2000-02-29",
            "1899-12-31",
            "2024-12-31",
        ] {
            let Ok(Value::Interval { lo: Some(b), .. }) = values::parse(ValueKind::Date, s) else {
                panic!("{s}");
            };
            let (y, m, d) = civil_from_days(b.v as i64);
            assert_eq!(format!("{y:04}-{m:02}-{d:02}"), s);
        }
    }

    #[test]
    fn a_long_day_axis_ticks_on_round_years() {
        let (a, b) = (
            values::parse(ValueKind::Date, "0001-01-01").expect("a value"),
            values::parse(ValueKind::Date, "9999-12-31").expect("a value"),
        );
        let bars = [
            Bar {
                who: "A".into(),
                label: "1 January 0001".into(),
                value: &a,
            },
            Bar {
                who: "B".into(),
                label: "31 December 9999".into(),
                value: &b,
            },
        ];
        let s = svg("x", ValueKind::Date, &bars).expect("a chart");
        let labels: Vec<&str> = s
            .lines()
            .filter(|l| l.contains("tick-label"))
            .filter_map(|l| l.split('>').nth(1)?.split('<').next())
            .collect();
        assert_eq!(labels, ["0", "5000", "10000"], "{s}");
    }

    #[test]
    fn one_bar_per_value_with_arrows_for_open_ends() {
        let (a, b) = (
            values::parse(ValueKind::Quantity, "10000-12000").expect("a value"),
            values::parse(ValueKind::Quantity, ">12000").expect("a value"),
        );
        let bars = [
            Bar {
                who: "A & B".into(),
                label: "10,000–12,000".into(),
                value: &a,
            },
            Bar {
                who: "C".into(),
                label: "over 12,000".into(),
                value: &b,
            },
        ];
        let s = svg("x", ValueKind::Quantity, &bars).expect("a chart");
        assert_eq!(s.matches("<rect class=\"bar\"").count(), 2, "{s}");
        assert_eq!(s.matches("<path class=\"bar\"").count(), 1, "{s}");
        assert!(
            s.contains("A &amp; B: 10,000–12,000. C: over 12,000."),
            "{s}"
        );
        assert!(svg("x", ValueKind::Text, &bars).is_none());
        assert_eq!(number(12000.0, 2000.0), "12,000");
        assert_eq!(number(-1500.5, 0.5), "-1500.5");
        assert_eq!(number(0.0000003, 0.0000001), "0.0000003");
        assert_eq!(number(1e23, 1e22), "100,000,000,000,000,000,000,000");
    }
}
