//! The dossier as the curator wrote it: settings, articles and claims, after loading.
//!
//! These types are plain data, filled in by [`crate::load`] from `content/`, with the position
//! of everything that a later check may need to point at. They say nothing yet about whether a
//! quote is found or values agree: that is [`crate::check`]'s work.

use crate::diag::Pos;
use std::sync::Arc;

/// The path of the settings file, relative to the dossier root.
pub const SITE_FILE: &str = "content/site.yaml";
/// The path of the claims file, relative to the dossier root.
pub const CLAIMS_FILE: &str = "content/claims.yaml";
/// The folder of articles, relative to the dossier root.
pub(crate) const ARTICLES_DIR: &str = "content/articles";

/// `content/site.yaml`.
#[derive(Clone, Debug, Hash)]
pub struct SiteConfig {
    pub title: String,
    /// Markdown.
    pub description: Option<String>,
    /// Always ends with `/`.
    pub base_url: String,
    pub language: String,
    pub theme: String,
    pub theme_pos: Pos,
    /// Topics declared in site.yaml (an extension of the format): their order and titles.
    pub topics: Vec<TopicDef>,
}

/// A topic declared in `site.yaml`.
#[derive(Clone, Debug, Hash)]
pub struct TopicDef {
    pub id: String,
    pub title: String,
    /// Markdown.
    pub description: Option<String>,
}

/// How the outlet of an article is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Attribution {
    /// The article names its outlet (the default).
    Stated,
    /// The outlet is inferred from the text (`attribution: inferred`).
    Inferred,
    /// The outlet cannot be identified (`attribution: unknown`); `outlet` describes the source.
    Unknown,
}

impl Attribution {
    pub fn as_str(self) -> &'static str {
        match self {
            Attribution::Stated => "stated",
            Attribution::Inferred => "inferred",
            Attribution::Unknown => "unknown",
        }
    }
}

/// One article: `content/articles/<id>.md`.
#[derive(Clone, Debug, Hash)]
pub struct Article {
    pub id: String,
    /// Relative to the dossier root, with `/` separators.
    pub file: String,
    pub title: String,
    pub outlet: String,
    pub url: Option<String>,
    /// As written: `2025-01-12` or an ISO 8601 date-time.
    pub published: Option<String>,
    pub author: Option<String>,
    pub attribution: Attribution,
    pub revision_of: Option<String>,
    pub revision_of_pos: Pos,
    /// The language it is written in (`language:`, an extension), when it is not the site's:
    /// it decides how numbers such as `1,500` and `8.000` are read.
    pub language: Option<String>,
    /// Markdown: the curator's note on provenance (an extension).
    pub note: Option<String>,
    /// Where the note's text starts (references in it are reported there).
    pub note_pos: Pos,
    /// The Markdown body, as in the file.
    pub body: String,
    /// The line of the file where the body starts (1-based).
    pub body_line: usize,
}

/// Where a quote stands on its claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stance {
    Supports,
    Contradicts,
    Mentions,
}

impl Stance {
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Supports => "supports",
            Stance::Contradicts => "contradicts",
            Stance::Mentions => "mentions",
        }
    }
}

/// The kinds of typed value a claim can carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueKind {
    Quantity,
    Date,
    Year,
    Text,
}

impl ValueKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ValueKind::Quantity => "quantity",
            ValueKind::Date => "date",
            ValueKind::Year => "year",
            ValueKind::Text => "text",
        }
    }
}

/// A claim's `value:` declaration.
#[derive(Clone, Debug)]
pub struct ValueSpec {
    pub kind: ValueKind,
    pub unit: Option<String>,
    /// The claim's own value (`stated:`), as written, with its position: when present, each
    /// quote's stance follows from its value unless the quote's `stance:` is written.
    pub stated: Option<(String, Pos)>,
}

/// One claim of `claims.yaml`.
#[derive(Clone, Debug)]
pub struct Claim {
    pub id: String,
    pub pos: Pos,
    pub claim: String,
    pub topic: Option<String>,
    /// Markdown.
    pub note: Option<String>,
    /// Where the note's text starts (references in it are reported there).
    pub note_pos: Pos,
    pub value: Option<ValueSpec>,
    pub quotes: Vec<Quote>,
    /// A hash of the claims.yaml entry it was loaded from, when loaded entry by entry: two
    /// claims with the same are the same but for their positions.
    pub entry: Option<[u8; 32]>,
}

/// One quote of a claim.
#[derive(Clone, Debug)]
pub struct Quote {
    pub pos: Pos,
    pub source: String,
    pub source_pos: Pos,
    pub text: String,
    pub text_pos: Pos,
    /// The stance as written, with its position; `None` when `stance:` is not written (then
    /// it follows from the quote's value when the claim states one, else `supports`).
    pub stance: Option<(Stance, Pos)>,
    /// The value as written, with its position.
    pub value: Option<(String, Pos)>,
    pub via: Option<String>,
}

/// Everything loaded from `content/`, before checking.
#[derive(Clone, Debug)]
pub struct Dossier {
    pub site: SiteConfig,
    /// Sorted by id. Shared with the load cache, so an unchanged article is not copied.
    pub articles: Vec<Arc<Article>>,
    /// In file order. Shared with the load cache, like the articles.
    pub claims: Vec<Arc<Claim>>,
}

/// Whether `s` is a valid claim or source id: `^[a-z0-9]+(-[a-z0-9]+)*$`.
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The longest id (claim, source or topic) and topic slug, in characters (ids are ASCII, so
/// bytes too). Ids become folder names in the built site (`claims/<id>/index.html`): most
/// file systems allow 255 bytes per name and some tools 260 for a whole path, so 100 leaves
/// room for the output folder's own path. Checked where the content is read, so `check`
/// reports it with file and line instead of `build` failing half way.
pub(crate) const MAX_ID_LEN: usize = 100;

/// What is wrong with the length of an id or slug, if anything.
pub(crate) fn id_length_problem(what: &str, id: &str) -> Option<String> {
    let n = id.chars().count();
    (n > MAX_ID_LEN).then(|| {
        format!(
            "{what} is {n} characters long; ids become page addresses and file names, so the most is {MAX_ID_LEN}"
        )
    })
}

/// A valid id made from any text: transliterated to ASCII (`Война` gives `voina`, `東京`
/// gives `dong-jing`), lower case, runs of other characters become one `-`. The result
/// holds only `a-z`, `0-9` and single inner `-`: never `/`, `\`, `.` or NUL, so a slug can
/// never leave the folder it names. It may be empty (text with nothing to transliterate)
/// and is not cut to [`MAX_ID_LEN`]: callers report both.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    // Transliterated through one crate, behind this function (see docs/notes/text-design.md
    // for why slugs are ASCII).
    let ascii = deunicode::deunicode_with_tofu(s, "-");
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(is_valid_id("troop-numbers"));
        assert!(is_valid_id("a1"));
        for bad in ["", "-a", "a-", "a--b", "A", "a_b", "../x", "a/b", "a.b"] {
            assert!(!is_valid_id(bad), "{bad}");
        }
        assert!(id_length_problem("x", &"a".repeat(MAX_ID_LEN)).is_none());
        assert!(id_length_problem("x", &"a".repeat(MAX_ID_LEN + 1)).is_some());
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Troop deployment!"), "troop-deployment");
        assert_eq!(slugify("  ID card & birth "), "id-card-birth");
        assert_eq!(slugify("../../etc"), "etc");
        // Scripts other than Latin used to give an empty slug (the topic was refused).
        assert_eq!(slugify("\u{0412}\u{043e}\u{0439}\u{043d}\u{0430}"), "voina");
        assert_eq!(
            slugify("\u{03a0}\u{03cc}\u{03bb}\u{03b5}\u{03bc}\u{03bf}\u{03c2}"),
            "polemos"
        );
        assert!(!slugify("\u{6771}\u{4eac}").is_empty());
        assert!(!slugify("\u{062d}\u{0631}\u{0628}").is_empty());
        assert_eq!(slugify("Caf\u{00e9} cr\u{00e8}me"), "cafe-creme");
        assert_eq!(slugify("\u{0000}/\\.."), "");
    }
}
