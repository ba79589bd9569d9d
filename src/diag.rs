//! Diagnostics: the problems a build finds in a dossier, and how they are shown.
//!
//! Every check in dossier reports through [`Diagnostic`]: a severity, the file, line and column,
//! the claim or source it concerns, what is wrong and what to do about it. The checks collect
//! all of them in one run; [`render`] turns them into the text a curator reads in the terminal
//! (with the offending line of the file shown, via annotate-snippets). This module is the only
//! one that knows about annotate-snippets.
//!
//! It is not a logging facility: progress and summaries are printed by the command drivers.

use std::collections::BTreeMap;
use std::fmt;

/// How serious a problem is: errors stop the build, warnings are printed and the build goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a file, 1-based, as editors show it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl Pos {
    pub fn new(line: usize, col: usize) -> Pos {
        Pos { line, col }
    }
}

/// One problem found in the dossier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, relative to the dossier root (`content/claims.yaml`).
    pub file: String,
    pub pos: Pos,
    /// What it concerns, e.g. "claim `troop-numbers`" or "source `bbc-report`".
    pub subject: Option<String>,
    pub message: String,
    /// Further lines of explanation (the closest passage, the differences).
    pub notes: Vec<String>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(file: &str, pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            pos,
            subject: None,
            message: message.into(),
            notes: Vec::new(),
            help: None,
        }
    }

    pub fn warning(file: &str, pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, pos, message)
        }
    }

    pub(crate) fn subject(mut self, subject: impl Into<String>) -> Diagnostic {
        self.subject = Some(subject.into());
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The one-line form: `content/claims.yaml:12:5: error: claim `x`: message`.
    pub fn headline(&self) -> String {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let subject = match &self.subject {
            Some(s) => format!("{s}: "),
            None => String::new(),
        };
        format!(
            "{}:{}:{}: {level}: {subject}{}",
            self.file, self.pos.line, self.pos.col, self.message
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.headline())?;
        for n in &self.notes {
            write!(f, "\n  note: {n}")?;
        }
        if let Some(h) = &self.help {
            write!(f, "\n  help: {h}")?;
        }
        Ok(())
    }
}

/// Sorts diagnostics into a stable order: by file, then position, then message.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.pos, a.severity, &a.message).cmp(&(&b.file, b.pos, b.severity, &b.message))
    });
}

/// Where the files diagnostics point into can be read, so the offending line can be shown.
/// Files are read when diagnostics are shown (rarely), not kept in memory by every build, and
/// each file once per [`render`], however many diagnostics point into it.
#[derive(Default, Debug, Clone)]
pub struct SourceFiles {
    root: std::path::PathBuf,
    /// Texts given directly (tests, or files that are not on disk).
    given: BTreeMap<String, String>,
}

impl SourceFiles {
    /// Files relative to `root`.
    pub fn at(root: &std::path::Path) -> SourceFiles {
        SourceFiles {
            root: root.to_path_buf(),
            given: BTreeMap::new(),
        }
    }

    pub fn insert(&mut self, file: &str, text: &str) {
        self.given.insert(file.to_string(), text.to_string());
    }

    /// The text of `file`, for showing its lines. A file that is not valid UTF-8 is read
    /// with the bad bytes replaced (U+FFFD), so the line that holds them can still be shown.
    pub fn get(&self, file: &str) -> Option<String> {
        match self.given.get(file) {
            Some(t) => Some(t.clone()),
            None => {
                let bytes = std::fs::read(self.root.join(file)).ok()?;
                let text = match String::from_utf8(bytes) {
                    Ok(t) => t,
                    Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
                };
                // Positions are counted after the byte-order mark (see files::decode_text).
                Some(match text.strip_prefix('\u{FEFF}') {
                    Some(rest) => rest.to_string(),
                    None => text,
                })
            }
        }
    }
}

/// Where each line of a text starts, so that a line is found by its number, and a byte
/// offset's line by binary search, without walking the text from the top each time.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// The byte offset of the start of each line (the first is 0).
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line that byte `offset` is on.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    /// The 1-based line and column (in characters) of byte `offset` of `text` (the text
    /// this index was made from). An offset inside a character counts as that character.
    pub fn pos_of(&self, text: &str, offset: usize) -> Pos {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.starts[line - 1];
        let col = text
            .get(start..)
            .map(|rest| {
                rest.char_indices()
                    .take_while(|(i, _)| start + i < offset)
                    .count()
            })
            .unwrap_or(0);
        Pos::new(line, col + 1)
    }

    /// The text of 1-based line `n`, without its line ending; `None` past the end.
    pub fn line<'t>(&self, text: &'t str, n: usize) -> Option<&'t str> {
        let start = *self.starts.get(n.checked_sub(1)?)?;
        if start >= text.len() {
            return None;
        }
        let end = self.starts.get(n).map(|e| e - 1).unwrap_or(text.len());
        let line = text.get(start..end)?;
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

/// Renders diagnostics for a terminal: each with its headline, the line of the file it points
/// at, the notes and the help. `color` turns on ANSI styling.
///
/// Linear in the diagnostics and the files they point into: each file is read and indexed
/// once (diagnostics come sorted by file, but nothing here relies on it).
pub fn render(diags: &[Diagnostic], sources: &SourceFiles, color: bool) -> String {
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut files: std::collections::HashMap<&str, Option<(String, LineIndex)>> =
        std::collections::HashMap::new();
    let mut out = String::new();
    for d in diags {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = match &d.subject {
            Some(s) => format!("{s}: {}", d.message),
            None => d.message.clone(),
        };
        let mut group = Group::with_title(level.primary_title(title));
        let file = files.entry(d.file.as_str()).or_insert_with(|| {
            sources.get(&d.file).map(|t| {
                let index = LineIndex::new(&t);
                (t, index)
            })
        });
        let span = file
            .as_ref()
            .and_then(|(text, index)| line_span(index.line(text, d.pos.line)?, d.pos));
        match span {
            Some((line_text, span)) => {
                group = group.element(
                    Snippet::source(line_text)
                        .line_start(d.pos.line)
                        .path(d.file.as_str())
                        .annotation(AnnotationKind::Primary.span(span)),
                );
            }
            None => {
                group = group.element(
                    annotate_snippets::Origin::path(d.file.as_str()).line(d.pos.line.max(1)),
                );
            }
        }
        for n in &d.notes {
            group = group.element(Level::NOTE.message(n.as_str()));
        }
        if let Some(h) = &d.help {
            group = group.element(Level::HELP.message(h.as_str()));
        }
        let report: Vec<Group> = vec![group];
        out.push_str(&renderer.render(&report));
        out.push_str("\n\n");
    }
    out
}

/// The text of a [`render`]ing without its ANSI styling: what a plain rendering would be,
/// without rendering again.
pub(crate) fn unstyled(rendered: &str) -> String {
    anstream::adapter::strip_str(rendered).to_string()
}

/// `line` (the text of line `pos.line`) and the byte span in it from `pos.col` to the end of
/// the line; `None` for line 0 (no line).
fn line_span(line: &str, pos: Pos) -> Option<(&str, std::ops::Range<usize>)> {
    if pos.line == 0 {
        return None;
    }
    let start = line
        .char_indices()
        .nth(pos.col.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(line.len());
    let end = line.trim_end().len().max(start);
    // An empty span is widened to the character at `start` (a whole character: a byte of
    // U+3000 is no place to end a span).
    let end = if end == start {
        start + line[start..].chars().next().map_or(0, char::len_utf8)
    } else {
        end
    };
    Some((line, start..end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_of_white_space_beyond_ascii_renders() {
        // Found by the `front_matter` fuzz target: an article that is only U+3000 (an
        // ideographic space) has "no front matter" at 1:1, and the span shown there ended
        // inside the character, which panicked in the renderer.
        let mut sources = SourceFiles::default();
        sources.insert("a.md", "\u{3000}");
        sources.insert("b.md", "x \u{e9}\u{3000}\n");
        let diags = [
            Diagnostic::error("a.md", Pos::new(1, 1), "no front matter"),
            Diagnostic::error("b.md", Pos::new(1, 3), "here"),
            Diagnostic::error("b.md", Pos::new(1, 4), "and here"),
        ];
        let out = render(&diags, &sources, false);
        assert!(
            out.contains("no front matter") && out.contains("and here"),
            "{out}"
        );
    }

    #[test]
    fn line_index_finds_lines_and_positions() {
        let text = "ab\r\ncé\n\nlast";
        let ix = LineIndex::new(text);
        assert_eq!(ix.line(text, 1), Some("ab"));
        assert_eq!(ix.line(text, 2), Some("cé"));
        assert_eq!(ix.line(text, 3), Some(""));
        assert_eq!(ix.line(text, 4), Some("last"));
        assert_eq!(ix.line(text, 5), None);
        assert_eq!(ix.line(text, 0), None);
        assert_eq!(ix.line_of(3), 1);
        assert_eq!(ix.line_of(4), 2);
        // A text ending in a line break has no line after it.
        let t = "a\n";
        assert_eq!(LineIndex::new(t).line(t, 2), None);
    }

    #[test]
    fn many_diagnostics_in_one_file_each_show_their_own_line() {
        let n = 2000;
        let text: String = (1..=n).map(|i| format!("line number {i}\n")).collect();
        let mut files = SourceFiles::default();
        files.insert("f.yaml", &text);
        let diags: Vec<Diagnostic> = (1..=n)
            .rev()
            .map(|i| Diagnostic::error("f.yaml", Pos::new(i, 6), format!("problem {i}")))
            .collect();
        let out = render(&diags, &files, false);
        assert_eq!(out.matches("error: problem").count(), n);
        for i in [1, 2, 999, n] {
            let at = out
                .find(&format!("error: problem {i}\n"))
                .expect("reported");
            let block = &out[at..];
            let block = &block[..block.find("\n\n").unwrap_or(block.len())];
            assert!(block.contains(&format!("f.yaml:{i}:6")), "{block}");
            assert!(block.contains(&format!("| line number {i}\n")), "{block}");
        }
        // The plain text of a styled rendering is the plain rendering.
        assert_eq!(
            unstyled(&render(&diags[..50], &files, true)),
            render(&diags[..50], &files, false)
        );
    }
}
