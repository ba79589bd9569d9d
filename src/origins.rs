//! Independent origins: how many independent accounts support a claim, as opposed to how
//! many outlets repeat one.
//!
//! Among the quotes that support a claim:
//! - quotes that attribute the statement to the same party (`via`, compared after
//!   normalising case and white space) are one origin *for the fact*, however many outlets
//!   relay it: they corroborate that the party said it, not that it is so;
//! - a quote with no `via` is its own outlet's origin (the outlet's own reporting), and an
//!   outlet named as a `via` by another outlet is that same origin;
//! - so versions of one article (`revision_of`), and articles of one outlet, are one origin
//!   where they report it themselves; an article whose outlet is unknown is its own.
//!
//! Parties are compared by name only: "the SBU" and "Ukraine's security service" are two
//! origins unless the curator writes one name for both.
//!
//! Linear in the quotes: one map from origin key to origin.

use std::collections::HashMap;

use crate::check::CheckedQuote;
use crate::model::Stance;
use crate::values::normalize_text;

/// One independent origin of a claim's support.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Origin {
    /// Who it is, as a reader reads it: the party as first written in a `via`, or the
    /// outlet's name (the report's title when the outlet is unknown).
    pub label: String,
    /// Whether the outlets attribute it to a party (`via`), rather than report it themselves.
    pub attributed: bool,
    /// How many distinct outlets report the claim from this origin.
    pub outlets: usize,
}

/// What a source contributes to origins.
pub struct SourceOrigin<'a> {
    /// The outlet identity (versions and articles of one outlet share it).
    pub identity: &'a str,
    /// The id of the first version of its report.
    pub report: &'a str,
    /// The outlet's name, or `None` when the outlet is unknown (each such report is its own).
    pub outlet: Option<&'a str>,
    /// The report's title, for an outlet that is unknown.
    pub title: &'a str,
}

/// The independent origins of the quotes that support a claim, in the order first quoted.
pub fn of(quotes: &[CheckedQuote<'_>], sources: &[SourceOrigin<'_>]) -> Vec<Origin> {
    let mut at: HashMap<String, usize> = HashMap::new();
    let mut origins: Vec<Origin> = Vec::new();
    // (origin, outlet identity) pairs already counted.
    let mut counted: HashMap<(usize, &str), ()> = HashMap::new();
    for q in quotes {
        if q.stance != Stance::Supports {
            continue;
        }
        let s = &sources[q.source];
        let (key, attributed) = match q.quote.via.as_deref().map(str::trim) {
            Some(v) if !v.is_empty() => (format!("party:{}", normalize_text(v)), Some(v)),
            _ => match s.outlet {
                Some(o) => (format!("party:{}", normalize_text(o)), None),
                None => (format!("report:{}", s.report), None),
            },
        };
        let k = *at.entry(key).or_insert_with(|| {
            origins.push(Origin {
                label: match (attributed, s.outlet) {
                    (Some(v), _) => v.to_string(),
                    (None, Some(o)) => o.to_string(),
                    (None, None) => format!("\u{201C}{}\u{201D}", s.title),
                },
                attributed: attributed.is_some(),
                outlets: 0,
            });
            origins.len() - 1
        });
        if counted.insert((k, s.identity), ()).is_none() {
            origins[k].outlets += 1;
        }
    }
    origins
}

/// "1 origin: SBU", "3 independent origins: SBU, Newsweek, Ukraine": at most `max` names.
pub fn describe(origins: &[Origin], max: usize) -> String {
    let n = origins.len();
    let names: Vec<&str> = origins.iter().take(max).map(|o| o.label.as_str()).collect();
    let more = n.saturating_sub(max);
    let rest = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    match n {
        0 => "no origin".to_string(),
        1 => format!("1 origin: {}", names.join(", ")),
        _ => format!("{n} independent origins: {}{rest}", names.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::ValueFrom;
    use crate::diag::Pos;
    use crate::model::Quote;
    use crate::stances::StanceFrom;
    use std::sync::Arc;

    fn quote(via: Option<&str>) -> Quote {
        Quote {
            pos: Pos::default(),
            source: String::new(),
            source_pos: Pos::default(),
            text: String::new(),
            text_pos: Pos::default(),
            stance: None,
            value: None,
            via: via.map(str::to_string),
        }
    }

    /// Origins count the distinct parties and own reports among supporting quotes, whatever
    /// their order; each origin's outlets are the distinct outlets that report it.
    #[test]
    fn origins_are_distinct_parties_and_own_reports() {
        let sources = [
            SourceOrigin {
                identity: "outlet:alpha",
                report: "alpha",
                outlet: Some("Alpha"),
                title: "A",
            },
            // A later version of alpha.
            SourceOrigin {
                identity: "outlet:alpha",
                report: "alpha",
                outlet: Some("Alpha"),
                title: "A2",
            },
            SourceOrigin {
                identity: "outlet:beta",
                report: "beta",
                outlet: Some("Beta"),
                title: "B",
            },
            SourceOrigin {
                identity: "source:u",
                report: "u",
                outlet: None,
                title: "Unknown report",
            },
        ];
        let qs: Vec<(usize, Option<&str>, Stance)> = vec![
            (0, None, Stance::Supports),
            (1, None, Stance::Supports),
            (2, Some("SBU"), Stance::Supports),
            (0, Some("sbu"), Stance::Supports),
            (3, None, Stance::Supports),
            (2, Some("alpha"), Stance::Supports),
            (2, Some("Zelensky"), Stance::Contradicts),
            (3, Some("Zelensky"), Stance::Mentions),
        ];
        let quotes: Vec<Quote> = qs.iter().map(|(_, v, _)| quote(*v)).collect();
        let run = |order: &[usize]| {
            let checked: Vec<CheckedQuote<'_>> = order
                .iter()
                .map(|&i| CheckedQuote {
                    quote: &quotes[i],
                    source: qs[i].0,
                    anchor: None,
                    value: None,
                    value_from: ValueFrom::Declared,
                    written: None,
                    stated: None,
                    resolution: None,
                    occurrences: 1,
                    mark_id: Arc::from(""),
                    stance: qs[i].2,
                    stance_from: StanceFrom::Written,
                })
                .collect();
            let mut o = of(&checked, &sources);
            o.sort_by_key(|o| o.label.to_lowercase());
            o.into_iter()
                .map(|o| (o.label.to_lowercase(), o.attributed, o.outlets))
                .collect::<Vec<_>>()
        };
        let forward: Vec<usize> = (0..qs.len()).collect();
        let backward: Vec<usize> = (0..qs.len()).rev().collect();
        let want = vec![
            // Alpha's own report (both versions) and Beta's "via alpha": one origin, two outlets.
            ("alpha".to_string(), false, 2),
            ("sbu".to_string(), true, 2),
            ("\u{201C}unknown report\u{201D}".to_string(), false, 1),
        ];
        let mut got = run(&forward);
        // Which quote names an origin first decides only its label's case and `attributed`.
        got[0].1 = false;
        assert_eq!(got, want);
        let mut got = run(&backward);
        got[0].1 = false;
        assert_eq!(got, want);
        assert_eq!(describe(&of(&[], &sources), 3), "no origin");
    }
}
