//! The pipeline: load -> check -> site model -> render -> write, each phase timed.
//!
//! A [`Session`] runs it and keeps what it found for the next run, so that `watch` and `serve`
//! rebuild only what a change affects: unchanged articles are not parsed again, unchanged
//! quotes not searched again, and only the pages that show something that changed are
//! rendered again (the others keep their bytes). A one-shot `build` is a session's first run
//! ([`run`]). Either way, everything is checked and rendered in memory before the first byte
//! is written, so a run with errors writes nothing and the previous output stays as it was.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::check::{self, Checked, CheckedClaim};
use crate::diag::{self, Diagnostic, SourceFiles};
use crate::load;
use crate::output::{self, Files, WriteStats};
use crate::render::Renderer;
use crate::site::{self, Selection};
use crate::theme::{self, Theme};

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
    /// Pages rendered by this run (all of them, unless the run was incremental).
    pub pages: usize,
    /// Files in the site.
    pub files: usize,
    pub warnings: Vec<Diagnostic>,
    pub sources_text: SourceFiles,
    pub written: Option<WriteStats>,
    pub timings: Timings,
    /// Nothing was done: the output was already built by this dossier from this input.
    pub up_to_date: bool,
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

/// Runs the pipeline once.
pub fn run(opts: &Options) -> Result<Report, Failure> {
    Session::one_shot(opts.clone()).rebuild()
}

/// A hash of everything a build reads: dossier's own source (code, built-in theme, locked
/// dependencies, hashed at compile time by `build.rs`), the options, and every file under
/// `content/` and `themes/`. Two builds with the same fingerprint write the same bytes.
pub fn input_fingerprint(opts: &Options) -> Option<String> {
    let mut h = blake3::Hasher::new();
    h.update(b"dossier-input-v1\0");
    h.update(env!("DOSSIER_SOURCE_HASH").as_bytes());
    h.update(format!("\0{:?}\0", opts.base_url).as_bytes());
    for dir in ["content", "themes"] {
        for (rel, path) in crate::files::walk_files(&opts.root.join(dir)).ok()? {
            h.update(format!("{dir}/{rel}\0").as_bytes());
            h.update(&std::fs::read(path).ok()?);
            h.update(b"\0");
        }
    }
    Some(h.finalize().to_hex()[..32].to_string())
}

/// The manifest stamp of a build: its input fingerprint and what it built.
fn stamp(fp: &str, r: &Report) -> String {
    format!(
        "dossier-build {fp} claims={} disputed={} sources={} quotes={} conflicts={}",
        r.claims, r.disputed, r.sources, r.quotes, r.conflicts
    )
}

/// The counts in a stamp made from the fingerprint `fp`; `None` for any other stamp.
fn read_counts(stamp: &str, fp: &str) -> Option<[usize; 5]> {
    let mut words = stamp.split(' ');
    if words.next()? != "dossier-build" || words.next()? != fp {
        return None;
    }
    let mut counts = [0; 5];
    for (slot, key) in
        counts
            .iter_mut()
            .zip(["claims", "disputed", "sources", "quotes", "conflicts"])
    {
        *slot = words
            .next()?
            .strip_prefix(key)?
            .strip_prefix('=')?
            .parse()
            .ok()?;
    }
    Some(counts)
}

/// The default output folder of a dossier.
pub fn default_output(root: &Path) -> PathBuf {
    root.join("public")
}

/// The pipeline with memory: each [`Session::rebuild`] reuses what the last good run found.
pub struct Session {
    opts: Options,
    state: Option<State>,
    /// The compiled templates, with the sources they were compiled from.
    renderer: Option<(std::collections::BTreeMap<String, String>, Renderer)>,
    /// What loading parsed, by file text (kept through failed runs too).
    load_cache: load::Cache,
    /// Whether to keep what a run found for the next (not for a one-shot build).
    keep: bool,
}

/// What the last good run left for the next.
struct State {
    cache: check::Cache,
    /// The whole site as last built (and written).
    files: Arc<Files>,
    site_fp: u64,
    /// Fingerprint of what each source's page and each claim's page show of it.
    source_fp: HashMap<String, u64>,
    claim_fp: HashMap<String, u64>,
    /// Each claim's topic page slug and quoted source ids.
    claim_links: HashMap<String, (Option<String>, Vec<String>)>,
    claim_order: Vec<String>,
}

fn hash_of(v: &impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

/// What a claim's own page, and its entries on other pages, show: everything but positions.
fn claim_fingerprint(cc: &CheckedClaim<'_>) -> u64 {
    let mut h = DefaultHasher::new();
    let c = cc.claim;
    (&c.id, &c.claim, &c.topic, &c.note, &c.value).hash(&mut h);
    for q in &cc.quotes {
        let q2 = q.quote;
        (
            &q2.source,
            &q2.text,
            q2.stance,
            q2.value.as_ref().map(|v| &v.0),
            &q2.via,
        )
            .hash(&mut h);
        (q.source, &q.mark_id, q.occurrences).hash(&mut h);
        if let Some(a) = &q.anchor {
            (a.block, &a.parts).hash(&mut h);
        }
    }
    for k in &cc.conflicts {
        (k.a, k.b, k.kind == check::ConflictKind::Values).hash(&mut h);
    }
    (cc.status.as_str(), cc.precision_only, cc.supporting_outlets).hash(&mut h);
    h.finish()
}

fn source_fingerprint(c: &Checked<'_>, i: usize) -> u64 {
    let s = &c.sources[i];
    let a = s.article;
    let mut h = DefaultHasher::new();
    // Positions show on no page; the body is identified by its parse, which is kept (and so
    // keeps its address) exactly as long as the body does not change.
    (
        &a.id,
        &a.title,
        &a.outlet,
        &a.url,
        &a.published,
        &a.author,
        a.attribution,
    )
        .hash(&mut h);
    (
        &a.revision_of,
        &a.note,
        std::sync::Arc::as_ptr(&s.parsed) as usize,
    )
        .hash(&mut h);
    (s.root_id, &s.revisions).hash(&mut h);
    h.finish()
}

impl Session {
    /// A session for repeated runs (`watch`, `serve`): each run reuses what the last found.
    pub fn new(opts: Options) -> Session {
        Session {
            opts,
            state: None,
            renderer: None,
            load_cache: load::Cache::new(),
            keep: true,
        }
    }

    /// A session for one run (`build`, `check`): it keeps nothing, so it needs less memory.
    pub fn one_shot(opts: Options) -> Session {
        Session {
            load_cache: load::Cache::default(),
            keep: false,
            ..Session::new(opts)
        }
    }

    /// The site as last built successfully.
    pub fn files(&self) -> Option<Arc<Files>> {
        self.state.as_ref().map(|s| s.files.clone())
    }

    /// `dossier build`'s entry point: when the output folder was written by this same dossier
    /// from this same input (its manifest's stamp says so) and still holds every file, there
    /// is nothing to do. Otherwise, [`Session::rebuild`].
    pub fn rebuild_unless_unchanged(&mut self) -> Result<Report, Failure> {
        let start = Instant::now();
        if self.state.is_none()
            && let Some(out) = &self.opts.output
            && let Some(st) = output::read_stamp(out)
            && let Some(fp) = input_fingerprint(&self.opts)
            && let Some([claims, disputed, sources, quotes, conflicts]) = read_counts(&st, &fp)
            && output::complete(out)
        {
            let files = output::manifest_len(out);
            return Ok(Report {
                claims,
                sources,
                quotes,
                conflicts,
                disputed,
                pages: 0,
                files,
                warnings: Vec::new(),
                sources_text: SourceFiles::default(),
                written: Some(WriteStats {
                    written: 0,
                    unchanged: files,
                    removed: 0,
                }),
                timings: Timings {
                    total: start.elapsed(),
                    ..Timings::default()
                },
                up_to_date: true,
            });
        }
        self.rebuild()
    }

    /// Runs the pipeline, reusing what the last good run found. On failure, the last good
    /// site (and the output folder) stay as they were.
    pub fn rebuild(&mut self) -> Result<Report, Failure> {
        let start = Instant::now();
        let mut t = Timings::default();

        let loaded = load::load_cached(&self.opts.root, &mut self.load_cache)
            .map_err(|e| Failure::Usage(e.0))?;
        let mut dossier = loaded.dossier;
        let mut diags = loaded.diagnostics;
        let sources_text = loaded.sources;
        if let Some(b) = &self.opts.base_url {
            dossier.site.base_url = load::normalize_base_url(b)
                .map_err(|e| Failure::Usage(format!("--base-url: {e}")))?;
        }
        let theme = theme::load(&self.opts.root, &dossier.site, &mut diags);
        t.load = start.elapsed();

        let phase = Instant::now();
        let empty = check::Cache::default();
        let cache = self.state.as_ref().map_or(&empty, |s| &s.cache);
        let checked = check::check(&dossier, cache, &mut diags);
        t.check = phase.elapsed();

        // Templates are compiled again only when the theme changed.
        let compiled = match &self.renderer {
            Some((templates, _)) if *templates == theme.templates => None,
            _ => match Renderer::new(&theme, &format!("themes/{}", dossier.site.theme)) {
                Ok(r) => Some(r),
                Err(d) => {
                    diags.push(*d);
                    None
                }
            },
        };
        if diags.iter().any(Diagnostic::is_error) {
            diag::sort(&mut diags);
            return Err(Failure::Content {
                diagnostics: diags,
                sources: sources_text,
            });
        }
        if let Some(r) = compiled {
            self.renderer = Some((theme.templates.clone(), r));
        }
        let Some((_, renderer)) = &self.renderer else {
            return Err(Failure::Usage(
                "internal error: no compiled templates".to_string(),
            ));
        };

        let phase = Instant::now();
        let site_fp = hash_of(&(&dossier.site, &theme.templates, &theme.statics));
        let source_fp: HashMap<String, u64> = (0..checked.sources.len())
            .map(|i| {
                (
                    checked.sources[i].article.id.clone(),
                    source_fingerprint(&checked, i),
                )
            })
            .collect();
        let claim_fp: HashMap<String, u64> = checked
            .claims
            .iter()
            .map(|cc| (cc.claim.id.clone(), claim_fingerprint(cc)))
            .collect();
        let claim_links: HashMap<String, (Option<String>, Vec<String>)> = checked
            .claims
            .iter()
            .map(|cc| {
                let topic = cc
                    .claim
                    .topic
                    .as_deref()
                    .map(|t| check::topic_slug(&dossier, t));
                let mut srcs: Vec<String> = cc
                    .quotes
                    .iter()
                    .map(|q| checked.sources[q.source].article.id.clone())
                    .collect();
                srcs.sort();
                srcs.dedup();
                (cc.claim.id.clone(), (topic, srcs))
            })
            .collect();
        let claim_order: Vec<String> = checked.claims.iter().map(|c| c.claim.id.clone()).collect();
        let selection = match &self.state {
            Some(old) if old.site_fp == site_fp => select(
                old,
                &checked,
                &source_fp,
                &claim_fp,
                &claim_links,
                &claim_order,
            ),
            _ => Selection::all(),
        };
        let builder = site::Builder::new(&checked);
        let shared = builder.shared_pages(&selection);
        let keys = builder.pages(&selection);
        t.model = phase.elapsed();

        // Each claim and source page is built, rendered and its data dropped in one go.
        let phase = Instant::now();
        let mut rendered = renderer.render_all(shared);
        let lazy: Vec<(String, Result<String, Box<Diagnostic>>)> = keys
            .into_par_iter()
            .map(|k| {
                let page = builder.page(k);
                let html = renderer.render(&page);
                (page.path, html)
            })
            .collect();
        rendered.extend(lazy);
        let mut fresh = Files::new();
        for (path, html) in rendered {
            match html {
                Ok(h) => {
                    fresh.insert(path, Arc::from(h.into_bytes()));
                }
                Err(d) => diags.push(*d),
            }
        }
        if diags.iter().any(Diagnostic::is_error) {
            diag::sort(&mut diags);
            return Err(Failure::Content {
                diagnostics: diags,
                sources: sources_text,
            });
        }
        let n_pages = fresh.len();
        let files = if selection.all {
            for (name, bytes) in &theme.statics {
                fresh.insert(format!("static/{name}"), Arc::from(bytes.as_slice()));
            }
            fresh
        } else {
            let old = self.state.as_ref().map(|s| s.files.as_ref());
            assemble(&checked, &dossier, fresh, old, &theme)
        };
        t.render = phase.elapsed();

        let phase = Instant::now();
        let last = self.state.as_ref().map(|s| s.files.as_ref());
        let mut report = Report {
            claims: checked.claims.len(),
            sources: checked.sources.len(),
            quotes: checked.claims.iter().map(|c| c.quotes.len()).sum(),
            conflicts: checked.claims.iter().map(|c| c.conflicts.len()).sum(),
            disputed: checked
                .claims
                .iter()
                .filter(|c| !c.conflicts.is_empty())
                .count(),
            pages: n_pages,
            files: files.len(),
            warnings: Vec::new(),
            sources_text: SourceFiles::default(),
            written: None,
            timings: Timings::default(),
            up_to_date: false,
        };
        // What the next run can reuse; a one-shot build keeps nothing, and frees the checked
        // dossier before writing (the rendered site is all that is still needed).
        let cache = self.keep.then(|| check::Cache::from_checked(&checked));
        drop(builder);
        drop(checked);
        drop(dossier);
        if let Some(out) = &self.opts.output {
            // A build with warnings is not stamped: the next one reports them again.
            let st = if diags.is_empty() {
                input_fingerprint(&self.opts).map(|fp| stamp(&fp, &report))
            } else {
                None
            };
            report.written = Some(
                output::write(out, &files, last, st.as_deref())
                    .map_err(|e| Failure::Usage(e.to_string()))?,
            );
        }
        t.write = phase.elapsed();
        t.total = start.elapsed();

        diag::sort(&mut diags);
        report.warnings = diags;
        report.sources_text = sources_text;
        report.timings = t;
        if let Some(cache) = cache {
            self.state = Some(State {
                cache,
                files: Arc::new(files),
                site_fp,
                source_fp,
                claim_fp,
                claim_links,
                claim_order,
            });
        }
        Ok(report)
    }
}

/// The pages a change affects, comparing this run's fingerprints with the last good run's.
fn select(
    old: &State,
    checked: &Checked<'_>,
    source_fp: &HashMap<String, u64>,
    claim_fp: &HashMap<String, u64>,
    claim_links: &HashMap<String, (Option<String>, Vec<String>)>,
    claim_order: &[String],
) -> Selection {
    let mut sel = Selection::default();
    let old_sources: HashSet<&String> = old.source_fp.keys().collect();
    let new_sources: HashSet<&String> = source_fp.keys().collect();
    if old_sources != new_sources {
        // An article came or went: the matrix columns and many pages change.
        return Selection::all();
    }
    let mut dirty_sources: HashSet<String> = source_fp
        .iter()
        .filter(|(id, fp)| old.source_fp.get(*id) != Some(fp))
        .map(|(id, _)| id.clone())
        .collect();
    // A source's page names its earlier and later versions.
    for s in &checked.sources {
        if dirty_sources.contains(&s.article.id) {
            if let Some(r) = &s.article.revision_of {
                sel.sources.insert(r.clone());
            }
            for &j in &s.revisions {
                sel.sources.insert(checked.sources[j].article.id.clone());
            }
        }
    }
    let touch = |sel: &mut Selection, links: &(Option<String>, Vec<String>)| {
        if let Some(t) = &links.0 {
            sel.topics.insert(t.clone());
        }
        for s in &links.1 {
            sel.sources.insert(s.clone());
        }
    };
    for (id, fp) in claim_fp {
        let links = &claim_links[id];
        let changed =
            old.claim_fp.get(id) != Some(fp) || links.1.iter().any(|s| dirty_sources.contains(s));
        if changed {
            sel.claims.insert(id.clone());
            touch(&mut sel, links);
            if let Some(old_links) = old.claim_links.get(id) {
                touch(&mut sel, old_links);
            }
        }
    }
    for (id, links) in &old.claim_links {
        if !claim_fp.contains_key(id) {
            touch(&mut sel, links);
        }
    }
    // Claims that moved in the file move on every page that lists them: rebuild everything
    // (reordering is rare, and a full build is always right).
    let surviving_old: Vec<&String> = old
        .claim_order
        .iter()
        .filter(|id| claim_fp.contains_key(*id))
        .collect();
    let surviving_new: Vec<&String> = claim_order
        .iter()
        .filter(|id| old.claim_fp.contains_key(*id))
        .collect();
    if surviving_old != surviving_new {
        return Selection::all();
    }
    sel.sources.extend(dirty_sources.drain());
    sel
}

/// The whole site from this run's pages and the last run's bytes for the pages not rebuilt.
fn assemble(
    checked: &Checked<'_>,
    dossier: &crate::model::Dossier,
    mut fresh: Files,
    old: Option<&Files>,
    theme: &Theme,
) -> Files {
    let mut paths: Vec<String> = vec![
        "index.html".into(),
        "sources/index.html".into(),
        "discrepancies/index.html".into(),
        "404.html".into(),
    ];
    paths.extend(
        checked
            .claims
            .iter()
            .map(|c| format!("claims/{}/index.html", c.claim.id)),
    );
    paths.extend(
        checked
            .sources
            .iter()
            .map(|s| format!("sources/{}/index.html", s.article.id)),
    );
    let topics: HashSet<String> = checked
        .claims
        .iter()
        .filter_map(|c| {
            c.claim
                .topic
                .as_deref()
                .map(|t| check::topic_slug(dossier, t))
        })
        .collect();
    paths.extend(topics.into_iter().map(|t| format!("topics/{t}/index.html")));
    let mut files = Files::new();
    for p in paths {
        if let Some(b) = fresh.remove(&p) {
            files.insert(p, b);
        } else if let Some(b) = old.and_then(|o| o.get(&p)) {
            files.insert(p, b.clone());
        }
    }
    for (name, bytes) in &theme.statics {
        files.insert(format!("static/{name}"), Arc::from(bytes.as_slice()));
    }
    files
}
