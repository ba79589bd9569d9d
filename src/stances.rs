//! Where each quote stands on its claim: as the curator wrote it, or derived from the values.
//!
//! A claim may state its own value (`value: {kind: quantity, stated: "~12000"}`). Then a
//! quote whose `stance:` is not written takes its stance from its value: a value compatible
//! with the claim's supports it, an incompatible one contradicts it, and a quote with no value
//! keeps the default (`supports`). A written stance is kept, but a `supports` on an
//! incompatible value (or a `contradicts` on a compatible one) is a warning: the site would
//! publish a support, or a contradiction, that the values deny.
//!
//! A claim that states no value cannot say which of two incompatible values supports it; see
//! [`withhold_unresolved`]. Nothing here reads the sources' text: values are read (or
//! checked) before, by [`crate::check`].

use crate::check::CheckedQuote;
use crate::diag::{Diagnostic, Pos};
use crate::model::{CLAIMS_FILE, Claim, Stance};
use crate::values::{self, Value};

/// How a quote's stance was decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StanceFrom {
    /// `stance:` is written.
    Written,
    /// Not written, and nothing to derive it from: `supports`, the format's default.
    Default,
    /// Not written: derived from the quote's value against the claim's own value.
    Value,
    /// Not written, and the quote states a value that another source's value contradicts,
    /// while the claim states no value of its own: counted as neither support nor
    /// contradiction (shown as `mentions`), since the dossier cannot say which value the
    /// claim is.
    Unresolved,
}

impl StanceFrom {
    pub fn as_str(self) -> &'static str {
        match self {
            StanceFrom::Written => "written",
            StanceFrom::Default => "default",
            StanceFrom::Value => "value",
            StanceFrom::Unresolved => "unresolved",
        }
    }
}

/// The claim's own value (`stated:`), parsed; a malformed one is an error.
pub fn claim_value(c: &Claim, subject: &str, diags: &mut Vec<Diagnostic>) -> Option<Value> {
    let spec = c.value.as_ref()?;
    let (raw, pos) = spec.stated.as_ref()?;
    crate::check::parse_written(
        spec,
        raw,
        *pos,
        subject,
        crate::check::Written::Stated,
        diags,
    )
}

/// Each quote's stance: written, derived from its value against `claim` (the claim's own
/// value), or the default. Warns where a written `supports` or `contradicts` disagrees with
/// what the values say.
pub fn derive(
    c: &Claim,
    claim: Option<&Value>,
    quotes: &mut [CheckedQuote<'_>],
    subject: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let stated = c
        .value
        .as_ref()
        .and_then(|v| v.stated.as_ref())
        .map(|s| s.0.as_str())
        .unwrap_or("");
    for q in quotes.iter_mut() {
        let compatible = match (claim, &q.value) {
            (Some(cv), Some(qv)) => Some(values::compatible(cv, qv)),
            _ => None,
        };
        match (q.quote.stance, compatible) {
            (Some((written, pos)), Some(ok)) => {
                q.stance = written;
                q.stance_from = StanceFrom::Written;
                let quoted = q.quote.value.as_ref().map(|v| v.0.as_str());
                match (written, ok) {
                    (Stance::Supports, false) => diags.push(disagreeing(
                        pos,
                        subject,
                        format!(
                            "the quote is written as `supports`, but its value{} is incompatible with the claim's `{stated}`",
                            shown(quoted)
                        ),
                        "remove `stance: supports` so the stance follows from the value (it contradicts the claim), or correct the value",
                    )),
                    (Stance::Contradicts, true) => diags.push(disagreeing(
                        pos,
                        subject,
                        format!(
                            "the quote is written as `contradicts`, but its value{} is compatible with the claim's `{stated}`",
                            shown(quoted)
                        ),
                        "remove `stance: contradicts` so the stance follows from the value (it supports the claim), or correct the value",
                    )),
                    _ => {}
                }
            }
            (Some((written, _)), None) => {
                q.stance = written;
                q.stance_from = StanceFrom::Written;
            }
            (None, Some(ok)) => {
                q.stance = if ok {
                    Stance::Supports
                } else {
                    Stance::Contradicts
                };
                q.stance_from = StanceFrom::Value;
            }
            (None, None) => {
                q.stance = Stance::Supports;
                q.stance_from = StanceFrom::Default;
            }
        }
    }
}

fn shown(v: Option<&str>) -> String {
    match v {
        Some(v) => format!(" `{v}`"),
        None => String::new(),
    }
}

fn disagreeing(pos: Pos, subject: &str, msg: String, help: &str) -> Diagnostic {
    Diagnostic::warning(CLAIMS_FILE, pos, msg)
        .subject(subject.to_string())
        .help(help.to_string())
}

/// When the claim states no value and its quotes' values conflict (a [`ConflictKind::Values`]
/// was found), a quote that states a value and whose stance is the default cannot be counted
/// as support: at most one side of the conflict is what the claim says, and the dossier does
/// not say which. Such quotes become [`StanceFrom::Unresolved`] (`mentions`); returns whether
/// any did, and warns once, on the claim, how to settle it.
///
/// [`ConflictKind::Values`]: crate::check::ConflictKind::Values
pub fn withhold_unresolved(
    c: &Claim,
    quotes: &mut [CheckedQuote<'_>],
    subject: &str,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let mut any = false;
    // The example in the help is one of the values the quotes state, so that it has the
    // claim's kind (a date claim is not told to write a quantity).
    let example = quotes
        .iter()
        .find_map(|q| q.written.clone())
        .unwrap_or_else(|| "~12000".to_string());
    for q in quotes.iter_mut() {
        if q.value.is_some() && q.stance_from == StanceFrom::Default {
            q.stance = Stance::Mentions;
            q.stance_from = StanceFrom::Unresolved;
            any = true;
        }
    }
    if any {
        diags.push(
            Diagnostic::warning(
                CLAIMS_FILE,
                c.pos,
                "the quotes state values that cannot all be true and the claim states no value of its own, so the quotes with a value are counted as neither supporting nor contradicting it",
            )
            .subject(subject.to_string())
            .help(format!("add the claim's own value under `value:`, e.g. `stated: \"{example}\"` (the value one quote states), so each quote's stance follows from its value; or write each quote's `stance:`")),
        );
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::ValueFrom;
    use crate::model::{Quote, ValueKind, ValueSpec};
    use std::sync::Arc;

    const QUANTITIES: &[&str] = &[
        "12000",
        "~12000",
        ">15000",
        "~8000",
        "10000-12000",
        ">=10000",
        "<=4000",
        "<12000",
        "13200",
        "13201",
        "10800",
    ];

    fn quote(stance: Option<Stance>) -> Quote {
        Quote {
            pos: Pos::default(),
            source: String::new(),
            source_pos: Pos::default(),
            text: String::new(),
            text_pos: Pos::default(),
            stance: stance.map(|s| (s, Pos::new(9, 15))),
            value: Some(("x".to_string(), Pos::default())),
            via: None,
        }
    }

    fn claim(stated: &str) -> Claim {
        Claim {
            id: "c".to_string(),
            pos: Pos::default(),
            claim: String::new(),
            topic: None,
            note: None,
            note_pos: Pos::default(),
            value: Some(ValueSpec {
                kind: ValueKind::Quantity,
                unit: None,
                stated: Some((stated.to_string(), Pos::default())),
            }),
            quotes: Vec::new(),
            entry: None,
        }
    }

    /// Every pair of claim value and quote value, with every written stance: an unwritten
    /// stance is `supports` exactly when the values are compatible, a written one is kept,
    /// and a warning comes exactly when a written `supports`/`contradicts` disagrees.
    #[test]
    fn derived_stances_agree_with_compatibility() {
        let written = [
            None,
            Some(Stance::Supports),
            Some(Stance::Contradicts),
            Some(Stance::Mentions),
        ];
        for cv in QUANTITIES {
            let c = claim(cv);
            let mut diags = Vec::new();
            let Some(value) = claim_value(&c, "claim `c`", &mut diags) else {
                panic!("{cv} parses");
            };
            for qv in QUANTITIES {
                let v = values::parse(ValueKind::Quantity, qv).ok();
                let ok = values::compatible(&value, v.as_ref().expect("parses"));
                for w in written {
                    let q = quote(w);
                    let mut qs = [CheckedQuote {
                        quote: &q,
                        source: 0,
                        anchor: None,
                        value: v.clone(),
                        value_from: ValueFrom::Declared,
                        written: None,
                        stated: None,
                        resolution: None,
                        occurrences: 1,
                        mark_id: Arc::from(""),
                        stance: Stance::Mentions,
                        stance_from: StanceFrom::Default,
                    }];
                    let mut diags = Vec::new();
                    derive(&c, Some(&value), &mut qs, "claim `c`", &mut diags);
                    let case = format!("claim {cv}, quote {qv}, written {w:?}");
                    match w {
                        None => {
                            let want = if ok {
                                Stance::Supports
                            } else {
                                Stance::Contradicts
                            };
                            assert_eq!(qs[0].stance, want, "{case}");
                            assert_eq!(qs[0].stance_from, StanceFrom::Value, "{case}");
                        }
                        Some(s) => {
                            assert_eq!(qs[0].stance, s, "{case}");
                            assert_eq!(qs[0].stance_from, StanceFrom::Written, "{case}");
                        }
                    }
                    let warned = matches!(
                        (w, ok),
                        (Some(Stance::Supports), false) | (Some(Stance::Contradicts), true)
                    );
                    assert_eq!(diags.len(), usize::from(warned), "{case}");
                    if warned {
                        assert_eq!(diags[0].pos, Pos::new(9, 15), "{case}");
                    }
                }
            }
        }
        // A value is compatible with itself, so a quote that states the claim's value supports it.
        let c = claim("~12000");
        let mut diags = Vec::new();
        let v = claim_value(&c, "", &mut diags);
        assert!(v.as_ref().is_some_and(|v| values::compatible(v, v)));
    }
}
