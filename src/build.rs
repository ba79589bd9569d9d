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
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::check::{self, Checked};
use crate::diag::{self, Diagnostic, SourceFiles};
use crate::files;
use crate::load;
use crate::output::{self, Files, WriteStats};
use crate::render::Renderer;
use crate::site::{self, ItemKind, Selection};
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
    /// Conflicts: one per claim whose values cannot all be true, and one per claim that one
    /// source supports and another contradicts (so at most two per claim).
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

/// Every input file (see [`fingerprint_of`]), read only where `seen` cannot vouch for it;
/// the bytes of claims.yaml are kept when read, for loading.
fn scan_inputs(opts: &Options, seen: &mut files::Seen) -> Option<Vec<files::Scanned>> {
    files::scan(&opts.root, &["content", "themes"], seen, |rel| {
        rel == crate::model::CLAIMS_FILE
    })
}

/// A hash of everything a build reads: dossier's own source (code, built-in theme, locked
/// dependencies, hashed at compile time by `build.rs`), the options, and every file under
/// `content/` and `themes/` (from a scan of them). Two builds with the same fingerprint
/// write the same bytes.
fn fingerprint_of(opts: &Options, scan: &[files::Scanned]) -> String {
    let mut h = blake3::Hasher::new();
    h.update(b"dossier-input-v2\0");
    h.update(env!("DOSSIER_SOURCE_HASH").as_bytes());
    h.update(format!("\0{:?}\0", opts.base_url).as_bytes());
    for f in scan {
        h.update(f.rel.as_bytes());
        h.update(b"\0");
        h.update(&f.hash);
    }
    h.finalize().to_hex()[..32].to_string()
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
    /// What checking found, likewise.
    check_cache: check::Cache,
    /// The rendered items of each claim (by claim id): [`site::Items`].
    item_cache: ItemCache,
    /// Whether to keep what a run found for the next (not for a one-shot build).
    keep: bool,
}

/// What the last good run left for the next.
struct State {
    /// The whole site as last built (and written).
    files: Arc<Files>,
    site_fp: u64,
    /// Fingerprint of what the sources list shows.
    sources_list_fp: u64,
    /// Fingerprint of what each source's page and each claim's page show of it.
    source_fp: HashMap<String, u64>,
    /// Each claim, in order.
    claims: Vec<ClaimState>,
}

/// What the last good run knew of a claim, to tell which pages a change affects.
#[derive(Clone)]
struct ClaimState {
    id: Arc<str>,
    /// [`check::CheckedClaim::fingerprint`].
    fp: u64,
    links: Arc<Links>,
}

/// The pages that show a claim besides its own: its topic page and its sources' pages.
struct Links {
    topic: Option<String>,
    /// Source ids, sorted.
    sources: Vec<String>,
}

fn hash_of(v: &impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

fn source_fingerprint(c: &Checked<'_>, i: usize) -> u64 {
    let s = &c.sources[i];
    let a = s.article;
    let mut h = DefaultHasher::new();
    // Positions show on no page; the body is identified by its parse, which is kept exactly
    // as long as the body does not change.
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
            check_cache: check::Cache::new(),
            item_cache: ItemCache::default(),
            keep: true,
        }
    }

    /// A session for one run (`build`, `check`): it keeps nothing, so it needs less memory.
    pub fn one_shot(opts: Options) -> Session {
        Session {
            load_cache: load::Cache::default(),
            check_cache: check::Cache::default(),
            keep: false,
            ..Session::new(opts)
        }
    }

    /// Whether a file's metadata (size, times, inode) may stand for its bytes between runs
    /// (the default). `watch --poll` turns it off: file systems that need polling (network
    /// mounts, some containers) may also have clocks or timestamps that cannot be trusted.
    pub fn trust_metadata(&mut self, trust: bool) {
        self.load_cache.seen.distrust = !trust;
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
        let mut scan = None;
        if self.state.is_none()
            && let Some(out) = &self.opts.output
            && let Some(st) = output::read_stamp(out)
        {
            scan = scan_inputs(&self.opts, &mut self.load_cache.seen);
            if let Some(s) = &scan
                && let Some([claims, disputed, sources, quotes, conflicts]) =
                    read_counts(&st, &fingerprint_of(&self.opts, s))
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
        }
        // The scan made to compare the stamp is this run's.
        self.run(start, scan)
    }

    /// Runs the pipeline, reusing what the last good run found. On failure, the last good
    /// site (and the output folder) stay as they were.
    pub fn rebuild(&mut self) -> Result<Report, Failure> {
        self.run(Instant::now(), None)
    }

    /// [`Session::rebuild`], from `start`, with the scan of the inputs if one was just made.
    fn run(
        &mut self,
        start: Instant,
        scan: Option<Vec<files::Scanned>>,
    ) -> Result<Report, Failure> {
        let mut t = Timings::default();

        // The fingerprint of the inputs as they are before anything is read: if one changes
        // while this run reads them, the stamp will not match it, and the next build runs.
        // `dossier check` (one run, no output) has no use for it.
        let scan = match scan {
            Some(s) => Some(s),
            None if self.keep || self.opts.output.is_some() => {
                scan_inputs(&self.opts, &mut self.load_cache.seen)
            }
            None => None,
        };
        let fingerprint = scan.as_ref().map(|s| fingerprint_of(&self.opts, s));

        let loaded = load::load_cached(&self.opts.root, &mut self.load_cache, scan)
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
        let checked = check::check(&dossier, &mut self.check_cache, &mut diags);
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
        let src_fps: Vec<u64> = (0..checked.sources.len())
            .map(|i| source_fingerprint(&checked, i))
            .collect();
        let source_fp: HashMap<String, u64> = checked
            .sources
            .iter()
            .zip(&src_fps)
            .map(|(s, fp)| (s.article.id.clone(), *fp))
            .collect();
        // Claims whose fingerprint is unchanged at the same place keep their state (their
        // links cannot have changed while the site's settings did not).
        let old_claims = self
            .state
            .as_ref()
            .filter(|s| s.site_fp == site_fp)
            .map_or(&[][..], |s| &s.claims[..]);
        // (Found by id when the claims moved.)
        let mut by_id: Option<HashMap<&str, &ClaimState>> = None;
        let claims_state: Vec<ClaimState> = checked
            .claims
            .iter()
            .enumerate()
            .map(|(i, cc)| {
                let old = match old_claims.get(i) {
                    Some(o) if *o.id == *cc.claim.id => Some(o),
                    _ => by_id
                        .get_or_insert_with(|| old_claims.iter().map(|c| (&*c.id, c)).collect())
                        .get(cc.claim.id.as_str())
                        .copied(),
                };
                (cc, old)
            })
            .map(|(cc, old)| match old {
                Some(o) if o.fp == cc.fingerprint => o.clone(),
                _ => ClaimState {
                    id: Arc::from(cc.claim.id.as_str()),
                    fp: cc.fingerprint,
                    links: Arc::new(Links {
                        topic: cc
                            .claim
                            .topic
                            .as_deref()
                            .map(|t| check::topic_slug(&dossier, t)),
                        sources: {
                            let mut v: Vec<String> = cc
                                .quotes
                                .iter()
                                .map(|q| checked.sources[q.source].article.id.clone())
                                .collect();
                            v.sort();
                            v.dedup();
                            v
                        },
                    }),
                },
            })
            .collect();
        let mut selection = match &self.state {
            Some(old) if old.site_fp == site_fp => select(old, &checked, &source_fp, &claims_state),
            _ => Selection::all(),
        };
        let builder = site::Builder::new(&checked);
        // The sources list shows the sources and how often each is cited.
        let sources_list_fp = hash_of(&(site_fp, &src_fps, builder.citation_counts()));
        if let Some(old) = &self.state
            && !selection.all
        {
            selection.sources_list_unchanged = old.sources_list_fp == sources_list_fp;
        }
        let items = items(
            &builder,
            &checked,
            site_fp,
            &src_fps,
            renderer,
            &mut self.item_cache,
            self.keep,
            &mut diags,
        );
        let shared = builder.shared_pages(&selection, &items);
        drop(items);
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
            assemble(fresh, old, &claims_state)
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
        drop(builder);
        drop(checked);
        drop(dossier);
        if let Some(out) = &self.opts.output {
            // A build with warnings is not stamped: the next one reports them again.
            let st = if diags.is_empty() {
                fingerprint.map(|fp| stamp(&fp, &report))
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
        if self.keep {
            self.state = Some(State {
                files: Arc::new(files),
                site_fp,
                sources_list_fp,
                source_fp,
                claims: claims_state,
            });
        }
        Ok(report)
    }
}

/// By claim id, the key and HTML of its entry and of its section (see [`site::Items`]).
type ItemCache = HashMap<String, [Option<(u64, Arc<str>)>; 2]>;

/// Every claim's items (see [`site::Items`]), rendering only those whose key changed since
/// they were cached: the key covers the claim as the site shows it, the site's settings and
/// templates, and (for a section, which quotes its sources) the sources it quotes.
#[allow(clippy::too_many_arguments)]
fn items(
    builder: &site::Builder<'_, '_>,
    checked: &Checked<'_>,
    site_fp: u64,
    src_fps: &[u64],
    renderer: &Renderer,
    cache: &mut ItemCache,
    keep: bool,
    diags: &mut Vec<Diagnostic>,
) -> site::Items {
    let kinds = [ItemKind::Entry, ItemKind::Section];
    let n = checked.claims.len();
    let empty: Arc<str> = Arc::from("");
    let mut items = site::Items {
        entry: vec![empty; n],
        section: vec![None; n],
    };
    let mut missing: Vec<(usize, usize, u64)> = Vec::new();
    for (ci, cc) in checked.claims.iter().enumerate() {
        let cached = cache.get(cc.claim.id.as_str());
        for (k, kind) in kinds.into_iter().enumerate() {
            if !builder.has_item(ci, kind) {
                continue;
            }
            let key = match kind {
                ItemKind::Entry => hash_of(&(cc.fingerprint, site_fp)),
                ItemKind::Section => {
                    let srcs: Vec<u64> = cc.quotes.iter().map(|q| src_fps[q.source]).collect();
                    hash_of(&(cc.fingerprint, site_fp, srcs))
                }
            };
            match cached.and_then(|c| c[k].as_ref()) {
                Some((old, html)) if *old == key => place(&mut items, ci, kind, html.clone()),
                _ => missing.push((ci, k, key)),
            }
        }
    }
    type Rendered = (usize, usize, u64, Result<String, Box<Diagnostic>>);
    let rendered: Vec<Rendered> = missing
        .into_par_iter()
        .map(|(ci, k, key)| (ci, k, key, renderer.render(&builder.item(ci, kinds[k]))))
        .collect();
    for (ci, k, key, html) in rendered {
        match html {
            Ok(h) => {
                let html: Arc<str> = Arc::from(h);
                place(&mut items, ci, kinds[k], html.clone());
                if keep {
                    let slot = cache
                        .entry(checked.claims[ci].claim.id.clone())
                        .or_default();
                    slot[k] = Some((key, html));
                }
            }
            Err(d) => diags.push(*d),
        }
    }
    if cache.len() > n {
        let ids: HashSet<&str> = checked.claims.iter().map(|c| c.claim.id.as_str()).collect();
        cache.retain(|id, _| ids.contains(id.as_str()));
    }
    items
}

fn place(items: &mut site::Items, ci: usize, kind: ItemKind, html: Arc<str>) {
    match kind {
        ItemKind::Entry => items.entry[ci] = html,
        ItemKind::Section => items.section[ci] = Some(html),
    }
}

/// The pages a change affects, comparing this run's fingerprints with the last good run's.
fn select(
    old: &State,
    checked: &Checked<'_>,
    source_fp: &HashMap<String, u64>,
    claims: &[ClaimState],
) -> Selection {
    let mut sel = Selection::default();
    if old.source_fp.len() != source_fp.len()
        || source_fp.keys().any(|id| !old.source_fp.contains_key(id))
    {
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
    let touch = |sel: &mut Selection, links: &Links| {
        if let Some(t) = &links.topic {
            sel.topics.insert(t.clone());
        }
        for s in &links.sources {
            sel.sources.insert(s.clone());
        }
    };
    let dirty = |c: &ClaimState| {
        !dirty_sources.is_empty() && c.links.sources.iter().any(|s| dirty_sources.contains(s))
    };
    let same_order = old.claims.len() == claims.len()
        && old.claims.iter().zip(claims).all(|(o, n)| o.id == n.id);
    if same_order {
        // The usual case (claims edited in place): compare claim by claim.
        for (o, n) in old.claims.iter().zip(claims) {
            if o.fp != n.fp || dirty(n) {
                sel.claims.insert(n.id.to_string());
                touch(&mut sel, &n.links);
                touch(&mut sel, &o.links);
            }
        }
    } else {
        let old_by_id: HashMap<&str, &ClaimState> =
            old.claims.iter().map(|c| (&*c.id, c)).collect();
        let new_by_id: HashMap<&str, &ClaimState> = claims.iter().map(|c| (&*c.id, c)).collect();
        for n in claims {
            let o = old_by_id.get(&*n.id);
            if o.is_none_or(|o| o.fp != n.fp) || dirty(n) {
                sel.claims.insert(n.id.to_string());
                touch(&mut sel, &n.links);
                if let Some(o) = o {
                    touch(&mut sel, &o.links);
                }
            }
        }
        for o in &old.claims {
            if !new_by_id.contains_key(&*o.id) {
                touch(&mut sel, &o.links);
            }
        }
        // Claims that moved in the file move on every page that lists them: rebuild
        // everything (reordering is rare, and a full build is always right).
        let surviving_old = old
            .claims
            .iter()
            .filter(|c| new_by_id.contains_key(&*c.id))
            .map(|c| &c.id);
        let surviving_new = claims
            .iter()
            .filter(|c| old_by_id.contains_key(&*c.id))
            .map(|c| &c.id);
        if !surviving_old.eq(surviving_new) {
            return Selection::all();
        }
    }
    sel.sources.extend(dirty_sources.drain());
    sel
}

/// The whole site from this run's pages and the last run's bytes for the pages not rebuilt
/// (an incremental run: the sources, the site's settings and the theme are those of the last
/// run, so only claim and topic pages can have gone).
/// The keys from `first` up to (not including) `end`.
fn between<'k>(first: &'k str, end: &'k str) -> (Bound<&'k str>, Bound<&'k str>) {
    (Bound::Included(first), Bound::Excluded(end))
}

fn assemble(fresh: Files, old: Option<&Files>, claims: &[ClaimState]) -> Files {
    let mut files = old.cloned().unwrap_or_default();
    let ids: HashSet<&str> = claims.iter().map(|c| &*c.id).collect();
    let topics: HashSet<&str> = claims
        .iter()
        .filter_map(|c| c.links.topic.as_deref())
        .collect();
    let gone: Vec<String> = files
        // `0` follows `/`: these are the paths under claims/ and topics/.
        .range::<str, _>(between("claims/", "claims0"))
        .chain(files.range::<str, _>(between("topics/", "topics0")))
        .map(|(p, _)| p)
        .filter(|p| {
            let mut parts = p.split('/');
            let (section, id) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            match section {
                "claims" => !ids.contains(id),
                _ => !topics.contains(id),
            }
        })
        .cloned()
        .collect();
    for p in gone {
        files.remove(&p);
    }
    files.extend(fresh);
    files
}
