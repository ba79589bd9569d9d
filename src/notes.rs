//! References in curators' notes: `[text](claim:<id>)` and `[text](source:<id>)` link a
//! claim's or an article's note to another page of the site by its id, so readers see a name
//! and a link, never the id. Each reference is checked (an unknown id is an error with file
//! and line); a bare id in backticks (`` `bbc-report` ``) is a warning, since readers would
//! read it. An empty link text (`[](claim:x)`) shows the claim's text or the article's title.
//!
//! What a note shows of the pages it references (their text or title) is hashed per note, so
//! a page whose note names another claim is rebuilt when that claim's text changes.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;

use crate::diag::{Diagnostic, Pos};
use crate::markdown::{self, Reference, Resolved};
use crate::model::{CLAIMS_FILE, Dossier};

/// What the notes of a dossier show of other pages: for each claim and each article (in the
/// dossier's order), a hash of the texts its note's references show (0 with none).
pub struct NoteRefs {
    pub claims: Vec<u64>,
    pub articles: Vec<u64>,
}

/// Looks up ids for references.
pub struct Targets<'d> {
    d: &'d Dossier,
    claims: HashMap<&'d str, usize>,
}

impl<'d> Targets<'d> {
    pub fn new(d: &'d Dossier) -> Targets<'d> {
        Targets {
            d,
            claims: d
                .claims
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id.as_str(), i))
                .collect(),
        }
    }

    /// The page a reference names (relative to the site's root) and its text.
    pub fn resolve(&self, r: &Reference) -> Option<(String, &'d str)> {
        match r.scheme.as_str() {
            "claim" => self.claims.get(r.id.as_str()).map(|&i| {
                let c = &self.d.claims[i];
                (format!("claims/{}/", c.id), c.claim.as_str())
            }),
            _ => self
                .d
                .articles
                .binary_search_by(|a| a.id.as_str().cmp(&r.id))
                .ok()
                .map(|i| {
                    let a = &self.d.articles[i];
                    (format!("sources/{}/", a.id), a.title.as_str())
                }),
        }
    }

    /// A reference resolved to a URL under `base`.
    pub fn resolved(&self, base: &str, r: &Reference) -> Option<Resolved> {
        self.resolve(r).map(|(path, text)| Resolved {
            url: format!("{base}{path}"),
            text: text.to_string(),
        })
    }

    fn is_id(&self, s: &str) -> Option<&'static str> {
        if self.claims.contains_key(s) {
            Some("claim")
        } else if self
            .d
            .articles
            .binary_search_by(|a| a.id.as_str().cmp(s))
            .is_ok()
        {
            Some("source")
        } else {
            None
        }
    }
}

/// Renders a note as HTML with its references resolved.
pub fn to_html(targets: &Targets<'_>, base: &str, md: &str) -> String {
    markdown::to_html_with(md, &|r| targets.resolved(base, r))
}

/// Checks every note's references, and hashes what each note shows of the pages it names.
pub fn check(d: &Dossier, diags: &mut Vec<Diagnostic>) -> NoteRefs {
    let targets = Targets::new(d);
    let claims = d
        .claims
        .iter()
        .map(|c| match &c.note {
            Some(n) => check_note(
                &targets,
                n,
                CLAIMS_FILE,
                c.note_pos,
                &format!("claim `{}`", c.id),
                diags,
            ),
            None => 0,
        })
        .collect();
    let articles = d
        .articles
        .iter()
        .map(|a| match &a.note {
            Some(n) => check_note(
                &targets,
                n,
                &a.file,
                a.note_pos,
                &format!("source `{}`", a.id),
                diags,
            ),
            None => 0,
        })
        .collect();
    NoteRefs { claims, articles }
}

fn check_note(
    t: &Targets<'_>,
    note: &str,
    file: &str,
    pos: Pos,
    subject: &str,
    diags: &mut Vec<Diagnostic>,
) -> u64 {
    // Most notes have neither references nor code spans: skip the parse.
    if !note.contains(':') && !note.contains('`') {
        return 0;
    }
    let (refs, code) = markdown::references(note);
    let mut h = DefaultHasher::new();
    for r in &refs {
        match t.resolve(r) {
            Some((path, text)) => (path, text).hash(&mut h),
            None => {
                let what = if r.scheme == "claim" {
                    "claim ids in content/claims.yaml"
                } else {
                    "article file names in content/articles/ without .md"
                };
                diags.push(
                    Diagnostic::error(
                        file,
                        at(note, pos, &r.range),
                        format!(
                            "the note links to {} `{}`, which does not exist",
                            r.scheme, r.id
                        ),
                    )
                    .subject(subject.to_string())
                    .help(format!(
                        "`({}:<id>)` takes one of the {what}; check the spelling",
                        r.scheme
                    )),
                );
            }
        }
    }
    for (text, range) in &code {
        let Some(kind) = t.is_id(text.trim()) else {
            continue;
        };
        let name = t
            .resolve(&Reference {
                scheme: kind.to_string(),
                id: text.trim().to_string(),
                range: range.clone(),
            })
            .map(|(_, n)| n)
            .unwrap_or("");
        diags.push(
            Diagnostic::warning(
                file,
                at(note, pos, range),
                format!(
                    "the note names {kind} `{}` by its id, which readers would see",
                    text.trim()
                ),
            )
            .subject(subject.to_string())
            .help(format!(
                "link it by name instead: `[{}]({kind}:{})`, or `[]({kind}:{})` to show its {}",
                crate::anchor::shorten(name, 40),
                text.trim(),
                text.trim(),
                if kind == "claim" { "text" } else { "title" }
            )),
        );
    }
    if refs.is_empty() { 0 } else { h.finish() }
}

/// The position in the file of `range` of a note whose text starts at `pos`: a note of
/// several lines is a block scalar (`note: |`), whose text starts on the line after `pos`.
fn at(note: &str, pos: Pos, range: &Range<usize>) -> Pos {
    let before = &note[..range.start.min(note.len())];
    let lines = before.matches('\n').count();
    if note.ends_with('\n') || note.trim_end().contains('\n') {
        // The column would need the block's indentation, which the note's text has lost.
        Pos::new(pos.line + 1 + lines, 1)
    } else {
        Pos::new(pos.line, pos.col)
    }
}
