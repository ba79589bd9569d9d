//! Rendering: the fourth phase, and the only module that knows about Tera.
//!
//! The theme's templates are compiled once into a [`Renderer`]; every page is then rendered in
//! parallel (rayon), and the results are collected in page order, so the output does not depend
//! on scheduling. Blank lines left by template tags are removed (outside `<pre>`), so the HTML
//! reads well and diffs cleanly.
//!
//! Tera 2 is used (not 1): it compiles templates to bytecode and renders faster, and its errors
//! point at the template line; see docs/DESIGN.md.

use rayon::prelude::*;

use crate::diag::{Diagnostic, Pos};
use crate::site::{Page, PageData};
use crate::theme::Theme;

/// Compiled templates.
pub struct Renderer {
    tera: tera::Tera,
    /// The theme's folder, for error messages.
    theme_dir: String,
}

impl Renderer {
    /// Compiles the theme's templates; a template error becomes a diagnostic on its file.
    pub fn new(theme: &Theme, theme_dir: &str) -> Result<Renderer, Box<Diagnostic>> {
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html"]);
        tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|(n, s)| (n.as_str(), s.as_str())),
        )
        .map_err(|e| template_error(e, theme_dir))?;
        Ok(Renderer {
            tera,
            theme_dir: theme_dir.to_string(),
        })
    }

    /// Renders one page.
    pub fn render(&self, page: &Page) -> Result<String, Box<Diagnostic>> {
        let ctx = context(page).map_err(|e| {
            Diagnostic::error(
                page.template,
                Pos::new(0, 0),
                format!("cannot prepare the data of {}: {e}", page.path),
            )
        })?;
        let html = self.tera.render(page.template, &ctx).map_err(|e| {
            template_error(e, &self.theme_dir).note(format!("while rendering {}", page.path))
        })?;
        let html = tidy(&html);
        Ok(if page.splices.is_empty() {
            html
        } else {
            splice(&html, &page.splices)
        })
    }

    /// Renders all pages in parallel, each page's data dropped as soon as it is rendered;
    /// results keep the pages' order: (output path, HTML or error).
    pub(crate) fn render_all(
        &self,
        pages: Vec<Page>,
    ) -> Vec<(String, Result<String, Box<Diagnostic>>)> {
        pages
            .into_par_iter()
            .map(|p| {
                let html = self.render(&p);
                (p.path, html)
            })
            .collect()
    }
}

/// A page's data as Tera values.
pub fn context(page: &Page) -> Result<tera::Context, tera::Error> {
    match &page.data {
        PageData::Index(d) => tera::Context::from_serialize(d),
        PageData::Claim(d) => tera::Context::from_serialize(d),
        PageData::Sources(d) => tera::Context::from_serialize(d),
        PageData::Source(d) => tera::Context::from_serialize(d),
        PageData::Discrepancies(d) => tera::Context::from_serialize(d),
        PageData::Topic(d) => tera::Context::from_serialize(d),
        PageData::NotFound(d) => tera::Context::from_serialize(d),
        PageData::HowToRead(d) => tera::Context::from_serialize(d),
        PageData::ClaimItem(d) => tera::Context::from_serialize(d),
        PageData::DiscrepancyItem(d) => tera::Context::from_serialize(d),
        PageData::PrecisionItem(d) => tera::Context::from_serialize(d),
    }
}

fn template_error(e: tera::Error, theme_dir: &str) -> Diagnostic {
    // Tera's report already names the template, line and column.
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        msg.push_str(&format!("\n  caused by: {s}"));
        source = s.source();
    }
    Diagnostic::error(&format!("{theme_dir}/templates"), Pos::new(0, 0), format!("template error: {msg}"))
        .help("fix the template named above; the built-in default theme is used for any template the dossier does not override")
}

/// Puts each run of items in place of its marker ([`crate::site::splice_marker`]). A marker
/// alone on its line is replaced with the line's end, as the items are whole lines.
fn splice(html: &str, splices: &[Vec<std::sync::Arc<str>>]) -> String {
    const OPEN: &str = "\u{E000}dossier-splice-";
    let len = html.len() + splices.iter().flatten().map(|p| p.len()).sum::<usize>();
    let mut out = String::with_capacity(len);
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        let after = &rest[at + OPEN.len()..];
        let Some(end) = after.find('\u{E000}') else {
            break;
        };
        let Some(pieces) = after[..end]
            .parse::<usize>()
            .ok()
            .and_then(|k| splices.get(k))
        else {
            out.push_str(&rest[..at + OPEN.len()]);
            rest = after;
            continue;
        };
        let before = &rest[..at];
        let mut after = &after[end + '\u{E000}'.len_utf8()..];
        let line_start = if before.is_empty() {
            out.is_empty() || out.ends_with('\n')
        } else {
            before.ends_with('\n')
        };
        if line_start && let Some(a) = after.strip_prefix('\n') {
            after = a;
        }
        out.push_str(before);
        for p in pieces {
            out.push_str(p);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Drops whitespace-only lines and trailing spaces, except inside `<pre>`.
///
/// Public (hidden) for the property test in tests/properties.rs only: a second tidy changes
/// nothing.
#[doc(hidden)]
pub fn tidy(html: &str) -> String {
    // A browser reads CR LF and a lone CR as LF (HTML's newline normalisation): so does tidy,
    // before splitting lines. Without it a lone CR at the end of a `<pre>` line became CR LF,
    // which the next tidy read as a line break: a second tidy changed the page.
    let normalised;
    let html = if memchr::memchr(b'\r', html.as_bytes()).is_some() {
        normalised = html.replace("\r\n", "\n").replace('\r', "\n");
        normalised.as_str()
    } else {
        html
    };
    let mut out = String::with_capacity(html.len());
    let open = memchr::memmem::Finder::new("<pre");
    let close = memchr::memmem::Finder::new("</pre>");
    // Most pages have no `<pre>`: then no line needs searching.
    let has_pre = open.find(html.as_bytes()).is_some();
    let mut in_pre = false;
    for line in html.lines() {
        if in_pre {
            out.push_str(line);
            out.push('\n');
        } else if !line.trim_start().is_empty() {
            out.push_str(line.trim_end());
            out.push('\n');
        }
        if has_pre {
            if open.find(line.as_bytes()).is_some() {
                in_pre = true;
            }
            if close.find(line.as_bytes()).is_some() {
                in_pre = false;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_go_where_their_markers_are() {
        let m = |k| crate::site::splice_marker(k);
        let items = vec![
            vec![
                std::sync::Arc::from("<li>a</li>\n"),
                std::sync::Arc::from("<li>b</li>\n"),
            ],
            vec![],
        ];
        // In any order; a marker alone on its line takes the line; an empty run leaves none.
        let html = format!("<p>{}</p>\n{}\n<ul>\n{}\n</ul>\n", m(1), m(1), m(0));
        assert_eq!(
            splice(&html, &items),
            "<p></p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
        );
    }

    #[test]
    fn tidy_keeps_pre() {
        assert_eq!(
            tidy("<p>\n\n  </p>  \n<pre>a\n\nb</pre>\n\n"),
            "<p>\n  </p>\n<pre>a\n\nb</pre>\n"
        );
    }

    #[test]
    fn tidy_reads_line_breaks_as_a_browser_does() {
        // CR LF and a lone CR are one line break each, in `<pre>` and out.
        assert_eq!(
            tidy("<p>a\r\n\r\n</p>\r<pre>x\r\ry\r\n</pre>\r"),
            "<p>a\n</p>\n<pre>x\n\ny\n</pre>\n"
        );
    }
}
