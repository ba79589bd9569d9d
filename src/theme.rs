//! Themes: the default theme built into the binary, overridden file by file by a dossier's
//! `themes/<name>/` folder (as mdBook's `theme/` does).
//!
//! A theme is a set of Tera templates (`templates/*.html`) and static files (`static/**`,
//! copied to the output's `static/`). This module only gathers the files; compiling templates
//! is [`crate::render`]'s work.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diag::Diagnostic;
use crate::files;
use crate::model::{SITE_FILE, SiteConfig};

/// The default theme's templates, compiled into the binary.
const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../themes/default/templates/base.html"),
    ),
    (
        "index.html",
        include_str!("../themes/default/templates/index.html"),
    ),
    (
        "claim.html",
        include_str!("../themes/default/templates/claim.html"),
    ),
    (
        "sources.html",
        include_str!("../themes/default/templates/sources.html"),
    ),
    (
        "source.html",
        include_str!("../themes/default/templates/source.html"),
    ),
    (
        "discrepancies.html",
        include_str!("../themes/default/templates/discrepancies.html"),
    ),
    (
        "topic.html",
        include_str!("../themes/default/templates/topic.html"),
    ),
    (
        "404.html",
        include_str!("../themes/default/templates/404.html"),
    ),
    (
        "quote.html",
        include_str!("../themes/default/templates/quote.html"),
    ),
    (
        "matrix.html",
        include_str!("../themes/default/templates/matrix.html"),
    ),
    (
        "source_meta.html",
        include_str!("../themes/default/templates/source_meta.html"),
    ),
    (
        "claim_item.html",
        include_str!("../themes/default/templates/claim_item.html"),
    ),
    (
        "discrepancy_item.html",
        include_str!("../themes/default/templates/discrepancy_item.html"),
    ),
    (
        "precision_item.html",
        include_str!("../themes/default/templates/precision_item.html"),
    ),
    (
        "how-to-read.html",
        include_str!("../themes/default/templates/how-to-read.html"),
    ),
    (
        "correction_item.html",
        include_str!("../themes/default/templates/correction_item.html"),
    ),
    (
        "dispute_table.html",
        include_str!("../themes/default/templates/dispute_table.html"),
    ),
];

/// The default theme's static files, compiled into the binary.
const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../themes/default/static/style.css"),
    ),
    (
        "favicon.svg",
        include_bytes!("../themes/default/static/favicon.svg"),
    ),
];

/// The files of the theme in use.
#[derive(Clone, Debug, Default)]
pub struct Theme {
    /// Template name -> source.
    pub templates: BTreeMap<String, String>,
    /// Path under `static/` -> bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
}

/// Gathers the theme named in site.yaml: the built-in default, then the dossier's
/// `themes/<name>/` files over it.
pub fn load(root: &Path, site: &SiteConfig, diags: &mut Vec<Diagnostic>) -> Theme {
    let mut theme = Theme::default();
    for (name, src) in DEFAULT_TEMPLATES {
        theme
            .templates
            .insert((*name).to_string(), (*src).to_string());
    }
    for (name, bytes) in DEFAULT_STATIC {
        theme.statics.insert((*name).to_string(), bytes.to_vec());
    }
    let dir = root.join("themes").join(&site.theme);
    if !dir.is_dir() {
        if site.theme != "default" {
            diags.push(
                Diagnostic::error(
                    SITE_FILE,
                    site.theme_pos,
                    format!("theme `{}` not found", site.theme),
                )
                .help(format!(
                    "create themes/{}/templates/ in the dossier, or use `theme: default`",
                    site.theme
                )),
            );
        }
        return theme;
    }
    let rel_dir = format!("themes/{}", site.theme);
    match files::walk_files(&dir.join("templates")) {
        Ok(list) => {
            for (rel, path) in list {
                match files::read_text(&path) {
                    Ok(t) => {
                        theme.templates.insert(rel, t);
                    }
                    Err(e) => diags.push(Diagnostic::error(
                        &format!("{rel_dir}/templates/{rel}"),
                        crate::diag::Pos::new(1, 1),
                        e,
                    )),
                }
            }
        }
        Err(e) => diags.push(Diagnostic::error(
            &rel_dir,
            crate::diag::Pos::new(1, 1),
            format!("cannot list templates: {e}"),
        )),
    }
    match files::walk_files(&dir.join("static")) {
        Ok(list) => {
            for (rel, path) in list {
                match std::fs::read(&path) {
                    Ok(b) => {
                        theme.statics.insert(rel, b);
                    }
                    Err(e) => diags.push(Diagnostic::error(
                        &format!("{rel_dir}/static/{rel}"),
                        crate::diag::Pos::new(1, 1),
                        format!("cannot read: {e}"),
                    )),
                }
            }
        }
        Err(e) => diags.push(Diagnostic::error(
            &rel_dir,
            crate::diag::Pos::new(1, 1),
            format!("cannot list static files: {e}"),
        )),
    }
    theme
}
