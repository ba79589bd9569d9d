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
        let ctx = match &page.data {
            PageData::Index(d) => tera::Context::from_serialize(d),
            PageData::Claim(d) => tera::Context::from_serialize(d),
            PageData::Sources(d) => tera::Context::from_serialize(d),
            PageData::Source(d) => tera::Context::from_serialize(d),
            PageData::Discrepancies(d) => tera::Context::from_serialize(d),
            PageData::Topic(d) => tera::Context::from_serialize(d),
            PageData::NotFound(d) => tera::Context::from_serialize(d),
        }
        .map_err(|e| {
            Diagnostic::error(
                page.template,
                Pos::new(0, 0),
                format!("cannot prepare the data of {}: {e}", page.path),
            )
        })?;
        let html = self.tera.render(page.template, &ctx).map_err(|e| {
            template_error(e, &self.theme_dir).note(format!("while rendering {}", page.path))
        })?;
        Ok(tidy(&html))
    }

    /// Renders all pages in parallel, each page's data dropped as soon as it is rendered;
    /// results keep the pages' order: (output path, HTML or error).
    pub fn render_all(&self, pages: Vec<Page>) -> Vec<(String, Result<String, Box<Diagnostic>>)> {
        pages
            .into_par_iter()
            .map(|p| {
                let html = self.render(&p);
                (p.path, html)
            })
            .collect()
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

/// Drops whitespace-only lines and trailing spaces, except inside `<pre>`.
fn tidy(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_pre = false;
    for line in html.lines() {
        if in_pre {
            out.push_str(line);
            out.push('\n');
        } else if !line.trim().is_empty() {
            out.push_str(line.trim_end());
            out.push('\n');
        }
        if line.contains("<pre") {
            in_pre = true;
        }
        if line.contains("</pre>") {
            in_pre = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_keeps_pre() {
        assert_eq!(
            tidy("<p>\n\n  </p>  \n<pre>a\n\nb</pre>\n\n"),
            "<p>\n  </p>\n<pre>a\n\nb</pre>\n"
        );
    }
}
