//! The pipeline: scan -> load -> check -> plan -> render -> assemble -> write, each phase
//! timed.
//!
//! A [`Session`] runs it. A session for `watch` and `serve` ([`Session::new`]) keeps what each
//! run found in one place, [`Memory`], so that the next run rebuilds only what a change
//! affects: unchanged articles are not parsed again, unchanged quotes not searched again, and
//! only the pages that show something that changed are rendered again (the others keep their
//! bytes). A one-shot `build` or `check` ([`run`], [`Session::one_shot`]) keeps no memory: it
//! is always the full path. Either way, everything is checked and rendered in memory before
//! the first byte is written, so a run with errors writes nothing and the previous output
//! stays as it was.
//!
//! Only a complete, successful one-shot build stamps the output folder (the manifest's first
//! line: the fingerprint of its input), and only a stamp lets a later `dossier build` skip
//! work; what that fast path trusts is in docs/notes/build-design.md. Setting
//! `DOSSIER_FULL_REBUILD=1` makes every run of a session take the full path (see
//! [`Session::full_rebuilds`]).

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap, HashSet};
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
use crate::model::{Article, Dossier, SiteConfig, TopicDef};
use crate::output::{self, Files, WriteStats};
use crate::render::Renderer;
use crate::site::{self, ItemKind, Selection};
use crate::theme::{self, Theme};

/// The environment variable that makes sessions take the full path on every run.
pub(crate) const FULL_REBUILD_VAR: &str = "DOSSIER_FULL_REBUILD";

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
    let Options {
        root: _, // Where the dossier is does not show in the site.
        output: _,
        base_url,
    } = opts;
    let mut h = blake3::Hasher::new();
    h.update(b"dossier-input-v2\0");
    h.update(env!("DOSSIER_SOURCE_HASH").as_bytes());
    h.update(format!("\0{base_url:?}\0").as_bytes());
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
pub(crate) fn default_output(root: &Path) -> PathBuf {
    root.join("public")
}

/// The pipeline, with or without memory between runs.
pub struct Session {
    opts: Options,
    /// Everything kept between runs; `None` for a one-shot session, which keeps nothing.
    memory: Option<Memory>,
    /// Take the full path on every run (the reference the incremental path is tested
    /// against): [`Session::full_rebuilds`].
    full: bool,
}

/// Everything a session keeps between runs, and nothing else is kept: a run given a fresh
/// `Memory` is a full build.
struct Memory {
    /// What the last good run built, to tell which pages a change affects.
    last: Option<LastRun>,
    /// The compiled templates, with the sources they were compiled from.
    renderer: Option<(BTreeMap<String, String>, Renderer)>,
    /// What loading parsed, by file text (kept through failed runs too).
    load: load::Cache,
    /// What checking found, likewise.
    check: check::Cache,
    /// The rendered items of each claim (by claim id): [`site::Items`].
    items: ItemCache,
    /// What the last write left in the output folder; `None` when that is not known (no
    /// write yet, or the last one failed): the next write then reads the folder back.
    written: Option<output::Written>,
    /// Whether anything is kept for the next run (not in the scratch memory of a one-shot
    /// run).
    keep: bool,
}

impl Memory {
    fn new() -> Memory {
        Memory {
            last: None,
            renderer: None,
            load: load::Cache::new(),
            check: check::Cache::new(),
            items: ItemCache::default(),
            written: None,
            keep: true,
        }
    }

    /// The memory of a one-shot run: its caches keep nothing.
    fn scratch() -> Memory {
        Memory {
            load: load::Cache::default(),
            check: check::Cache::default(),
            keep: false,
            ..Memory::new()
        }
    }
}

/// What the last good run left for the next.
struct LastRun {
    /// The whole site as last built.
    files: Arc<Files>,
    fps: Fingerprints,
}

/// What a run's pages depend on, to compare with the next run's.
struct Fingerprints {
    /// The site's settings and theme ([`site_fingerprint`]).
    site: u64,
    /// What the sources list shows.
    sources_list: u64,
    /// By source id, what each source's page and each claim's page show of it.
    sources: HashMap<String, u64>,
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

// Fingerprints destructure what they hash without `..`: a new field is a compile error here
// until it is hashed or named as ignored (with the reason).

/// What every page shows of the site's settings and theme.
fn site_fingerprint(site: &SiteConfig, theme: &Theme) -> u64 {
    let SiteConfig {
        title,
        description,
        base_url,
        language,
        theme: theme_name,
        theme_pos: _, // Where the theme is named shows on no page.
        topics,
    } = site;
    let Theme { templates, statics } = theme;
    let mut h = DefaultHasher::new();
    (title, description, base_url, language, theme_name).hash(&mut h);
    for TopicDef {
        id,
        title,
        description,
    } in topics
    {
        (id, title, description).hash(&mut h);
    }
    (templates, statics).hash(&mut h);
    h.finish()
}

/// What a source's page, and the claim pages quoting it, show of source `i`.
fn source_fingerprint(c: &Checked<'_>, i: usize) -> u64 {
    let check::Source {
        article,
        parsed,
        root_id,
        revisions,
        note_refs,
        version,
    } = &c.sources[i];
    let Article {
        id,
        file: _, // The file's name shows on no page (its id does).
        title,
        outlet,
        url,
        published,
        author,
        attribution,
        revision_of,
        revision_of_pos: _, // Positions show on no page.
        language,
        note,
        note_pos: _,
        body: _, // Identified by its parse (`parsed.generation`), kept while it is unchanged.
        body_line: _,
    } = article;
    let mut h = DefaultHasher::new();
    (id, title, outlet, url, published, author, attribution).hash(&mut h);
    (revision_of, language, note, parsed.generation).hash(&mut h);
    (root_id, revisions, version, note_refs).hash(&mut h);
    h.finish()
}

impl Session {
    /// A session for repeated runs (`watch`, `serve`): each run reuses what the last found,
    /// unless `DOSSIER_FULL_REBUILD=1` is set (then each run is a full build).
    pub fn new(opts: Options) -> Session {
        Session {
            opts,
            memory: Some(Memory::new()),
            full: std::env::var_os(FULL_REBUILD_VAR).is_some_and(|v| v == "1"),
        }
    }

    /// A session for one run (`build`, `check`): it keeps nothing, so it needs less memory,
    /// and trusts nothing a session left.
    pub(crate) fn one_shot(opts: Options) -> Session {
        Session {
            opts,
            memory: None,
            full: true,
        }
    }

    /// Whether every run takes the full path: reads every input, checks and renders
    /// everything, and compares the whole output folder with the site (as a fresh session's
    /// first run does). What it keeps is still available through [`Session::files`].
    pub fn full_rebuilds(&mut self, full: bool) {
        self.full = full;
    }

    /// Whether a file's metadata (size, times, inode) may stand for its bytes between runs
    /// (the default). `watch --poll` turns it off: file systems that need polling (network
    /// mounts, some containers) may also have clocks or timestamps that cannot be trusted.
    pub(crate) fn trust_metadata(&mut self, trust: bool) {
        if let Some(m) = &mut self.memory {
            m.load.seen.distrust = !trust;
        }
    }

    /// The site as last built successfully.
    pub fn files(&self) -> Option<Arc<Files>> {
        let last = self.memory.as_ref()?.last.as_ref()?;
        Some(last.files.clone())
    }

    /// `dossier build`'s entry point: when the output folder was stamped by a full build of
    /// this same dossier from this same input and still holds exactly what that build wrote
    /// (every file's bytes are checked against the manifest's hashes), there is nothing to do.
    /// Otherwise, [`Session::rebuild`].
    pub(crate) fn rebuild_unless_unchanged(&mut self) -> Result<Report, Failure> {
        let start = Instant::now();
        let mut scan = None;
        let fresh = self.memory.as_ref().is_none_or(|m| m.last.is_none());
        if fresh && let Some(out) = self.opts.output.clone() {
            let mut one_shot_seen = files::Seen::default();
            let seen = match &mut self.memory {
                Some(m) => &mut m.load.seen,
                None => &mut one_shot_seen,
            };
            scan = scan_inputs(&self.opts, seen);
            if let Some(s) = &scan {
                let fp = fingerprint_of(&self.opts, s);
                if let Some(v) = output::verify(&out, |st| read_counts(st, &fp).is_some())
                    && let Some([claims, disputed, sources, quotes, conflicts]) =
                        read_counts(&v.stamp, &fp)
                {
                    return Ok(Report {
                        claims,
                        sources,
                        quotes,
                        conflicts,
                        disputed,
                        pages: 0,
                        files: v.files,
                        warnings: Vec::new(),
                        sources_text: SourceFiles::default(),
                        written: Some(WriteStats {
                            written: 0,
                            unchanged: v.files,
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
        if self.full
            && let Some(m) = &mut self.memory
        {
            // The full path: a session's first run, every time (only the setting is kept).
            let distrust = m.load.seen.distrust;
            *m = Memory::new();
            m.load.seen.distrust = distrust;
        }
        let mut scratch = None;
        let mem = match &mut self.memory {
            Some(m) => m,
            None => scratch.insert(Memory::scratch()),
        };
        let opts = &self.opts;
        let mut t = Timings::default();

        let scan = scan_step(opts, mem, scan);
        // The fingerprint of the inputs as they are before anything is read: if one changes
        // while this run reads them, the stamp will not match it, and the next build runs.
        let fingerprint = scan.as_ref().map(|s| fingerprint_of(opts, s));
        let (dossier, theme, mut diags, sources_text) = load_step(opts, mem, scan)?;
        t.load = start.elapsed();

        let phase = Instant::now();
        let checked = check::check(&dossier, &mut mem.check, &mut diags);
        t.check = phase.elapsed();

        compile_step(mem, &theme, &dossier, &mut diags);
        fail_on_errors(&mut diags, &sources_text)?;
        let Some((_, renderer)) = &mem.renderer else {
            return Err(Failure::Usage(
                "internal error: no compiled templates".to_string(),
            ));
        };

        let phase = Instant::now();
        let builder = site::Builder::new(&checked);
        let plan = plan_step(mem.last.as_ref(), &dossier, &theme, &checked, &builder);
        let items = items(
            &builder,
            &checked,
            plan.fps.site,
            &plan.src_fps,
            renderer,
            &mut mem.items,
            mem.keep,
            &mut diags,
        );
        t.model = phase.elapsed();

        let phase = Instant::now();
        let mut fresh = render_step(&builder, &plan.selection, items, renderer, &mut diags);
        fail_on_errors(&mut diags, &sources_text)?;
        let pages = fresh.len();
        // The data files show every claim: made anew on every run, like the front page.
        for (path, bytes) in crate::data::files(&checked) {
            fresh.insert(path, Arc::from(bytes));
        }
        let mut files = assemble_step(fresh, &plan, &theme, mem.last.as_ref());
        crate::data::add_indexes(&mut files, &dossier.site.base_url);
        t.render = phase.elapsed();

        let mut report = counts(&checked, pages, files.len());
        // The checked dossier is freed before writing: the rendered site is all that is
        // still needed.
        drop(builder);
        drop(checked);
        drop(dossier);

        let phase = Instant::now();
        if let Some(out) = &opts.output {
            // Only a one-shot run, complete and without warnings, certifies the folder: a
            // session's output is never stamped, and a build with warnings reports them again.
            let st = match fingerprint {
                Some(fp) if !mem.keep && plan.selection.all && diags.is_empty() => {
                    Some(stamp(&fp, &report))
                }
                _ => None,
            };
            report.written = Some(write_step(out, mem, &files, st.as_deref())?);
        }
        t.write = phase.elapsed();
        t.total = start.elapsed();

        diag::sort(&mut diags);
        report.warnings = diags;
        report.sources_text = sources_text;
        report.timings = t;
        if mem.keep {
            mem.last = Some(LastRun {
                files: Arc::new(files),
                fps: plan.fps,
            });
        }
        Ok(report)
    }
}

/// Scan: every input file with its hash, when this run needs the fingerprint (a session, or
/// a build that writes); `dossier check` (one run, no output) has no use for it.
fn scan_step(
    opts: &Options,
    mem: &mut Memory,
    scan: Option<Vec<files::Scanned>>,
) -> Option<Vec<files::Scanned>> {
    match scan {
        Some(s) => Some(s),
        None if mem.keep || opts.output.is_some() => scan_inputs(opts, &mut mem.load.seen),
        None => None,
    }
}

/// Load: content/ into a dossier (with `--base-url` applied) and its theme.
fn load_step(
    opts: &Options,
    mem: &mut Memory,
    scan: Option<Vec<files::Scanned>>,
) -> Result<(Dossier, Theme, Vec<Diagnostic>, SourceFiles), Failure> {
    let loaded =
        load::load_cached(&opts.root, &mut mem.load, scan).map_err(|e| Failure::Usage(e.0))?;
    let mut dossier = loaded.dossier;
    let mut diags = loaded.diagnostics;
    if let Some(b) = &opts.base_url {
        dossier.site.base_url =
            load::normalize_base_url(b).map_err(|e| Failure::Usage(format!("--base-url: {e}")))?;
    }
    let theme = theme::load(&opts.root, &dossier.site, &mut diags);
    Ok((dossier, theme, diags, loaded.sources))
}

/// Templates: compiled again only when the theme changed.
fn compile_step(mem: &mut Memory, theme: &Theme, dossier: &Dossier, diags: &mut Vec<Diagnostic>) {
    if matches!(&mem.renderer, Some((templates, _)) if *templates == theme.templates) {
        return;
    }
    match Renderer::new(theme, &format!("themes/{}", dossier.site.theme)) {
        Ok(r) => mem.renderer = Some((theme.templates.clone(), r)),
        Err(d) => diags.push(*d),
    }
}

/// Stops the run when there is an error among `diags`.
fn fail_on_errors(diags: &mut Vec<Diagnostic>, sources: &SourceFiles) -> Result<(), Failure> {
    if diags.iter().any(Diagnostic::is_error) {
        diag::sort(diags);
        return Err(Failure::Content {
            diagnostics: std::mem::take(diags),
            sources: sources.clone(),
        });
    }
    Ok(())
}

/// What a run renders, and the fingerprints it leaves for the next.
struct Plan {
    fps: Fingerprints,
    /// By source index.
    src_fps: Vec<u64>,
    selection: Selection,
}

/// Plan: this run's fingerprints, compared with the last good run's, give the pages to
/// render; with no last run (or other site settings), everything.
fn plan_step(
    last: Option<&LastRun>,
    dossier: &Dossier,
    theme: &Theme,
    checked: &Checked<'_>,
    builder: &site::Builder<'_, '_>,
) -> Plan {
    let site_fp = site_fingerprint(&dossier.site, theme);
    let src_fps: Vec<u64> = (0..checked.sources.len())
        .map(|i| source_fingerprint(checked, i))
        .collect();
    let source_fp: HashMap<String, u64> = checked
        .sources
        .iter()
        .zip(&src_fps)
        .map(|(s, fp)| (s.article.id.clone(), *fp))
        .collect();
    let last = last.filter(|l| l.fps.site == site_fp);
    let claims = claim_states(last, dossier, checked);
    // The sources list shows the sources and how often each is cited.
    let sources_list = hash_of(&(site_fp, &src_fps, builder.citation_counts()));
    let fps = Fingerprints {
        site: site_fp,
        sources_list,
        sources: source_fp,
        claims,
    };
    let selection = match last {
        Some(old) => {
            let mut sel = select(&old.fps, checked, &fps.sources, &fps.claims);
            if !sel.all {
                sel.sources_list_unchanged = old.fps.sources_list == sources_list;
            }
            sel
        }
        None => Selection::all(),
    };
    Plan {
        fps,
        src_fps,
        selection,
    }
}

/// Each claim's state: kept from the last run when its fingerprint is unchanged (its links
/// cannot have changed while the site's settings did not), else made anew.
fn claim_states(
    last: Option<&LastRun>,
    dossier: &Dossier,
    checked: &Checked<'_>,
) -> Vec<ClaimState> {
    let old_claims = last.map_or(&[][..], |l| &l.fps.claims[..]);
    // (Found by id when the claims moved.)
    let mut by_id: Option<HashMap<&str, &ClaimState>> = None;
    checked
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
            match old {
                Some(o) if o.fp == cc.fingerprint => o.clone(),
                _ => ClaimState {
                    id: Arc::from(cc.claim.id.as_str()),
                    fp: cc.fingerprint,
                    links: Arc::new(Links {
                        topic: cc
                            .claim
                            .topic
                            .as_deref()
                            .map(|t| check::topic_slug(dossier, t)),
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
            }
        })
        .collect()
}

/// Render: the selected pages. The shared pages are built from the claims' items; each claim
/// and source page is built, rendered and its data dropped in one go.
fn render_step(
    builder: &site::Builder<'_, '_>,
    selection: &Selection,
    items: site::Items,
    renderer: &Renderer,
    diags: &mut Vec<Diagnostic>,
) -> Files {
    let shared = builder.shared_pages(selection, &items);
    drop(items);
    let keys = builder.pages(selection);
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
    fresh
}

/// Assemble: the whole site, from this run's pages plus (for an incremental run) the last
/// run's bytes for the pages not rendered again.
fn assemble_step(fresh: Files, plan: &Plan, theme: &Theme, last: Option<&LastRun>) -> Files {
    if plan.selection.all {
        let mut files = fresh;
        for (name, bytes) in &theme.statics {
            files.insert(format!("static/{name}"), Arc::from(bytes.as_slice()));
        }
        files
    } else {
        assemble(fresh, last.map(|l| l.files.as_ref()), &plan.fps.claims)
    }
}

/// The counts a report gives of a checked dossier.
fn counts(checked: &Checked<'_>, pages: usize, files: usize) -> Report {
    Report {
        claims: checked.claims.len(),
        sources: checked.sources.len(),
        quotes: checked.claims.iter().map(|c| c.quotes.len()).sum(),
        conflicts: checked.claims.iter().map(|c| c.conflicts.len()).sum(),
        disputed: checked
            .claims
            .iter()
            .filter(|c| !c.conflicts.is_empty())
            .count(),
        pages,
        files,
        warnings: Vec::new(),
        sources_text: SourceFiles::default(),
        written: None,
        timings: Timings::default(),
        up_to_date: false,
    }
}

/// Write: the site into the output folder. A session passes what its last write left there;
/// after a failed write it knows nothing of the folder, so its next write reads it back.
fn write_step(
    out: &Path,
    mem: &mut Memory,
    files: &Files,
    stamp: Option<&str>,
) -> Result<WriteStats, Failure> {
    let last = match (&mem.last, &mem.written) {
        (Some(l), Some(w)) => Some((l.files.as_ref(), w)),
        _ => None,
    };
    match output::write_tracked(out, files, last, stamp) {
        Ok((stats, written)) => {
            mem.written = mem.keep.then_some(written);
            Ok(stats)
        }
        Err(e) => {
            mem.written = None;
            Err(Failure::Usage(e.to_string()))
        }
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
    old: &Fingerprints,
    checked: &Checked<'_>,
    source_fp: &HashMap<String, u64>,
    claims: &[ClaimState],
) -> Selection {
    let mut sel = Selection::default();
    if old.sources.len() != source_fp.len()
        || source_fp.keys().any(|id| !old.sources.contains_key(id))
    {
        // An article came or went: the matrix columns and many pages change.
        return Selection::all();
    }
    let mut dirty_sources: HashSet<String> = source_fp
        .iter()
        .filter(|(id, fp)| old.sources.get(*id) != Some(fp))
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
