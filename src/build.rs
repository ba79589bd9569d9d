//! The pipeline: load -> check -> site model -> render -> write, each phase timed.
//!
//! [`run`] is what `build`, `check`, and later `watch` and `serve`, drive. Everything is
//! checked and rendered in memory before the first byte is written, so a build with errors
//! writes nothing and the previous output stays as it was.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::check;
use crate::diag::{self, Diagnostic, SourceFiles};
use crate::load;
use crate::output::{self, Files, WriteStats};
use crate::render::Renderer;
use crate::site;
use crate::theme;

/// How to run the pipeline.
#[derive(Clone, Debug)]
pub struct Options {
    /// The dossier's folder (holding `content/`).
    pub root: PathBuf,
    /// Where to write; `None` checks and renders without writing.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from site.yaml.
    pub base_url: Option<String>,
}

/// How long each phase took.
#[derive(Clone, Debug, Default)]
pub struct Timings {
    pub load: Duration,
    pub check: Duration,
    pub model: Duration,
    pub render: Duration,
    pub write: Duration,
    pub total: Duration,
}

/// What a successful run produced.
#[derive(Debug)]
pub struct Report {
    pub claims: usize,
    pub sources: usize,
    pub quotes: usize,
    /// Pairs of quotes that cannot both be right.
    pub conflicts: usize,
    /// Claims with at least one conflict.
    pub disputed: usize,
    pub pages: usize,
    pub files: usize,
    pub warnings: Vec<Diagnostic>,
    pub sources_text: SourceFiles,
    pub written: Option<WriteStats>,
    pub timings: Timings,
}

/// Why a run failed.
#[derive(Debug)]
pub enum Failure {
    /// Problems in the content: exit status 1.
    Content {
        diagnostics: Vec<Diagnostic>,
        sources: SourceFiles,
    },
    /// Problems with how dossier was called or where it writes: exit status 2.
    Usage(String),
}

/// Runs the pipeline.
pub fn run(opts: &Options) -> Result<Report, Failure> {
    let start = Instant::now();
    let mut t = Timings::default();

    let loaded = load::load(&opts.root).map_err(|e| Failure::Usage(e.0))?;
    let mut dossier = loaded.dossier;
    let mut diags = loaded.diagnostics;
    let sources_text = loaded.sources;
    if let Some(b) = &opts.base_url {
        dossier.site.base_url = load::normalize_base_url(b).map_err(|e| Failure::Usage(format!("--base-url: {e}")))?;
    }
    let theme = theme::load(&opts.root, &dossier.site, &mut diags);
    t.load = start.elapsed();

    let phase = Instant::now();
    let checked = check::check(&dossier, &mut diags);
    t.check = phase.elapsed();

    let renderer = Renderer::new(&theme, &format!("themes/{}", dossier.site.theme));
    if let Err(d) = &renderer {
        diags.push(d.clone());
    }
    if diags.iter().any(Diagnostic::is_error) {
        diag::sort(&mut diags);
        return Err(Failure::Content { diagnostics: diags, sources: sources_text });
    }
    let Ok(renderer) = renderer else {
        return Err(Failure::Content { diagnostics: diags, sources: sources_text });
    };

    let phase = Instant::now();
    let pages = site::build(&checked);
    t.model = phase.elapsed();

    let phase = Instant::now();
    let rendered = renderer.render_all(&pages);
    let mut files = Files::new();
    for (page, html) in pages.iter().zip(rendered) {
        match html {
            Ok(h) => {
                files.insert(page.path.clone(), h.into_bytes());
            }
            Err(d) => diags.push(d),
        }
    }
    for (name, bytes) in &theme.statics {
        files.insert(format!("static/{name}"), bytes.clone());
    }
    t.render = phase.elapsed();
    if diags.iter().any(Diagnostic::is_error) {
        diag::sort(&mut diags);
        return Err(Failure::Content { diagnostics: diags, sources: sources_text });
    }

    let phase = Instant::now();
    let written = match &opts.output {
        Some(out) => Some(output::write(out, &files).map_err(|e| Failure::Usage(e.to_string()))?),
        None => None,
    };
    t.write = phase.elapsed();
    t.total = start.elapsed();

    diag::sort(&mut diags);
    Ok(Report {
        claims: checked.claims.len(),
        sources: checked.sources.len(),
        quotes: checked.claims.iter().map(|c| c.quotes.len()).sum(),
        conflicts: checked.claims.iter().map(|c| c.conflicts.len()).sum(),
        disputed: checked.claims.iter().filter(|c| !c.conflicts.is_empty()).count(),
        pages: pages.len(),
        files: files.len(),
        warnings: diags,
        sources_text,
        written,
        timings: t,
    })
}

/// The default output folder of a dossier.
pub fn default_output(root: &Path) -> PathBuf {
    root.join("public")
}
