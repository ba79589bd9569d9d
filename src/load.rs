//! Loading: reads `content/` into a [`Dossier`], reporting every problem of form.
//!
//! This is the first phase of the pipeline. It parses `site.yaml`, every article's front
//! matter and `claims.yaml`, checks each field's presence, type and form (ids, dates, stances,
//! value kinds), and reports unknown fields with the nearest known name. It does not look
//! inside article bodies or compare claims with articles: see [`crate::check`].
//!
//! Loading never stops at the first problem: a field that is wrong is reported and left out,
//! and loading goes on, so that one run shows everything.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Pos, SourceFiles};
use crate::files;
use crate::model::*;
use crate::yaml::{self, Node, Yaml};

/// What loading gives: the dossier (as far as it could be read), the problems, and the texts
/// of the files read (for showing the lines problems point at).
pub struct Loaded {
    pub dossier: Dossier,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceFiles,
}

/// A problem that is not in the content but in how dossier was called.
#[derive(Debug)]
pub struct UsageError(pub String);

/// What earlier loads parsed, reused while a file's text is unchanged: articles by file, and
/// claims by the text of their entry in claims.yaml (so editing one claim parses one claim).
#[derive(Default)]
pub struct Cache {
    articles: HashMap<String, CachedArticle>,
    chunks: HashMap<String, CachedChunk>,
    /// Whether to keep what this load parsed for the next (a one-shot build does not).
    pub retain: bool,
}

impl Cache {
    /// A cache that keeps what each load parsed, for the next.
    pub fn new() -> Cache {
        Cache {
            retain: true,
            ..Cache::default()
        }
    }
}

/// An article file's text (its hash) and what loading it gave.
struct CachedArticle {
    text_hash: u64,
    article: Option<Article>,
    diags: Vec<Diagnostic>,
}

/// One claim's entry of claims.yaml (a top-level `- ` item and the lines up to the next).
#[derive(Clone)]
struct CachedChunk {
    /// Where the entry started (0-based line) when it was parsed.
    first_line: usize,
    claim: Option<Claim>,
    diags: Vec<Diagnostic>,
}

/// Moves positions in claims.yaml by `delta` lines.
fn shift(pos: &mut Pos, delta: isize) {
    pos.line = pos.line.saturating_add_signed(delta);
}

impl CachedChunk {
    fn at(&self, first_line: usize) -> (Option<Claim>, Vec<Diagnostic>) {
        let mut c = self.clone();
        let delta = first_line as isize - self.first_line as isize;
        if delta != 0 {
            if let Some(claim) = &mut c.claim {
                shift(&mut claim.pos, delta);
                for q in &mut claim.quotes {
                    for p in [&mut q.pos, &mut q.source_pos, &mut q.text_pos] {
                        shift(p, delta);
                    }
                    if let Some((_, p)) = &mut q.value {
                        shift(p, delta);
                    }
                }
            }
            for d in &mut c.diags {
                shift(&mut d.pos, delta);
            }
        }
        (c.claim, c.diags)
    }
}

/// Reads the dossier at `root`.
pub fn load(root: &Path) -> Result<Loaded, UsageError> {
    load_cached(root, &mut Cache::default())
}

/// Reads the dossier at `root`, reusing (and then updating) what `cache` holds.
pub fn load_cached(root: &Path, cache: &mut Cache) -> Result<Loaded, UsageError> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(UsageError(format!(
            "no dossier at {}: there is no content/ folder. Run dossier in a dossier's folder, \
             pass --root DIR, or create one with `dossier init DIR`",
            root.display()
        )));
    }
    let mut diags = Vec::new();
    let sources = SourceFiles::at(root);

    let site = load_site(root, &mut diags);
    let articles = load_articles(root, cache, &mut diags);
    let claims = load_claims(root, cache, &mut diags);

    Ok(Loaded {
        dossier: Dossier {
            site,
            articles,
            claims,
        },
        diagnostics: diags,
        sources,
    })
}

fn read(root: &Path, rel: &str, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let path = root.join(rel);
    if !path.is_file() {
        return None;
    }
    match files::read_text(&path) {
        Ok(t) => Some(t),
        Err(e) => {
            diags.push(Diagnostic::error(rel, Pos::new(1, 1), e));
            None
        }
    }
}

/// Reads the fields of one YAML mapping, remembering which were used, so that unknown fields
/// can be reported with a suggestion.
struct Fields<'a> {
    file: &'a str,
    node: &'a Node,
    entries: &'a [(String, Node)],
    used: Vec<&'static str>,
    subject: Option<String>,
}

impl<'a> Fields<'a> {
    /// `None` (with an error) when the node is not a mapping.
    fn new(
        file: &'a str,
        node: &'a Node,
        what: &str,
        subject: Option<String>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Fields<'a>> {
        match &node.value {
            Yaml::Map(entries) => Some(Fields {
                file,
                node,
                entries,
                used: Vec::new(),
                subject,
            }),
            other => {
                let mut d = Diagnostic::error(
                    file,
                    node.value_pos,
                    format!(
                        "{what} must be a mapping of fields, found {}",
                        other.describe()
                    ),
                )
                .help(format!("write {what} as `field: value` lines"));
                if let Some(s) = subject {
                    d = d.subject(s);
                }
                diags.push(d);
                None
            }
        }
    }

    fn diag(&self, pos: Pos, msg: String) -> Diagnostic {
        let d = Diagnostic::error(self.file, pos, msg);
        match &self.subject {
            Some(s) => d.subject(s.clone()),
            None => d,
        }
    }

    fn get(&mut self, key: &'static str) -> Option<&'a Node> {
        self.used.push(key);
        self.entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, n)| n)
            .filter(|n| n.value != Yaml::Null)
    }

    /// A text field. Numbers and booleans are accepted as their text.
    fn string(
        &mut self,
        key: &'static str,
        required: bool,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<(String, Pos)> {
        match self.get(key) {
            Some(n) => match n.as_scalar() {
                Some(s) if s.trim().is_empty() && required => {
                    diags.push(
                        self.diag(n.pos, format!("`{key}` is empty"))
                            .help(format!("give `{key}` a value")),
                    );
                    None
                }
                Some(s) => Some((s, n.value_pos)),
                None => {
                    diags.push(
                        self.diag(
                            n.value_pos,
                            format!("`{key}` must be text, found {}", n.value.describe()),
                        )
                        .help(format!(
                            "write `{key}: \"...\"` on one line, or as a quoted string"
                        )),
                    );
                    None
                }
            },
            None => {
                if required {
                    diags.push(
                        self.diag(self.node.pos, format!("missing required field `{key}`"))
                            .help(format!("add `{key}: ...`")),
                    );
                }
                None
            }
        }
    }

    /// Reports fields that are not in `known`, with the nearest known name.
    fn finish(self, diags: &mut Vec<Diagnostic>) {
        for (k, n) in self.entries {
            if self.used.contains(&k.as_str()) {
                continue;
            }
            let nearest = self
                .used
                .iter()
                .map(|u| (edit_distance(k, u), *u))
                .min()
                .filter(|(d, _)| *d <= 2.max(k.len() / 3));
            let help = match nearest {
                Some((_, u)) => format!("did you mean `{u}`?"),
                None => format!("known fields here: {}", self.used.join(", ")),
            };
            diags.push(self.diag(n.pos, format!("unknown field `{k}`")).help(help));
        }
    }
}

/// Levenshtein distance, for suggesting the field a typo meant.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

fn parse_yaml(
    file: &str,
    text: &str,
    line_offset: usize,
    diags: &mut Vec<Diagnostic>,
) -> Option<Node> {
    match yaml::parse(text, line_offset) {
        Ok(n) => Some(n),
        Err(e) => {
            diags.push(
                Diagnostic::error(file, e.pos, format!("YAML syntax error: {}", e.message)).help(
                    "check the indentation and quoting on this line and the one before it; text \
                     containing `: ` or starting with a quote character must be in quotes",
                ),
            );
            None
        }
    }
}

fn default_site() -> SiteConfig {
    SiteConfig {
        title: String::new(),
        description: None,
        base_url: "/".to_string(),
        language: "en".to_string(),
        theme: "default".to_string(),
        theme_pos: Pos::new(1, 1),
        topics: Vec::new(),
    }
}

fn load_site(root: &Path, diags: &mut Vec<Diagnostic>) -> SiteConfig {
    let mut site = default_site();
    let Some(text) = read(root, SITE_FILE, diags) else {
        if !root.join(SITE_FILE).exists() {
            diags.push(
                Diagnostic::error(SITE_FILE, Pos::new(1, 1), "the dossier has no site.yaml")
                    .help("create content/site.yaml with at least `title: \"...\"`"),
            );
        }
        return site;
    };
    let Some(node) = parse_yaml(SITE_FILE, &text, 0, diags) else {
        return site;
    };
    let Some(mut f) = Fields::new(SITE_FILE, &node, "site.yaml", None, diags) else {
        return site;
    };
    if let Some((t, _)) = f.string("title", true, diags) {
        site.title = t;
    }
    site.description = f.string("description", false, diags).map(|s| s.0);
    if let Some((b, pos)) = f.string("base_url", false, diags) {
        match normalize_base_url(&b) {
            Ok(b) => site.base_url = b,
            Err(e) => {
                diags.push(Diagnostic::error(SITE_FILE, pos, e).help(
                    "write base_url as a path (\"/\" or \"/dossier/\") or a full http(s) URL",
                ))
            }
        }
    }
    if let Some((l, _)) = f.string("language", false, diags) {
        site.language = l;
    }
    if let Some((t, pos)) = f.string("theme", false, diags) {
        if is_valid_id(&t) {
            site.theme = t;
            site.theme_pos = pos;
        } else {
            diags.push(
                Diagnostic::error(SITE_FILE, pos, format!("invalid theme name `{t}`"))
                    .help("a theme is a folder name under themes/, like `default`"),
            );
        }
    }
    if let Some(n) = f.get("topics") {
        site.topics = load_topics(n, diags);
    }
    f.finish(diags);
    site
}

fn load_topics(node: &Node, diags: &mut Vec<Diagnostic>) -> Vec<TopicDef> {
    let Yaml::Seq(items) = &node.value else {
        diags.push(
            Diagnostic::error(SITE_FILE, node.pos, "`topics` must be a list")
                .help("write `topics:` followed by `- id: ...` items with `title:`"),
        );
        return Vec::new();
    };
    let mut out: Vec<TopicDef> = Vec::new();
    for item in items {
        let Some(mut f) = Fields::new(SITE_FILE, item, "a topic", None, diags) else {
            continue;
        };
        let id = f.string("id", true, diags);
        let title = f.string("title", true, diags);
        let description = f.string("description", false, diags).map(|s| s.0);
        f.finish(diags);
        let (Some((id, id_pos)), Some((title, _))) = (id, title) else {
            continue;
        };
        if !is_valid_id(&id) {
            diags.push(
                Diagnostic::error(SITE_FILE, id_pos, format!("invalid topic id `{id}`")).help(
                    format!(
                        "ids are lower-case words joined by `-`, e.g. `{}`",
                        slugify(&id)
                    ),
                ),
            );
            continue;
        }
        if out.iter().any(|t| t.id == id) {
            diags.push(
                Diagnostic::error(SITE_FILE, id_pos, format!("duplicate topic id `{id}`"))
                    .help("give each topic its own id"),
            );
            continue;
        }
        out.push(TopicDef {
            id,
            title,
            description,
        });
    }
    out
}

/// `/`, `/sub/` or `https://host/sub/`, always ending with `/`.
pub fn normalize_base_url(b: &str) -> Result<String, String> {
    let b = b.trim();
    let ok_scheme = b.starts_with("https://") || b.starts_with("http://");
    if !(b.starts_with('/') || ok_scheme) {
        return Err(format!(
            "base_url `{b}` must start with `/` or `http(s)://`"
        ));
    }
    if b.chars()
        .any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>' || c == '\'')
    {
        return Err(format!(
            "base_url `{b}` contains spaces or quote characters"
        ));
    }
    if b.contains("/../") || b.ends_with("/..") {
        return Err(format!("base_url `{b}` contains `..`"));
    }
    let mut s = b.to_string();
    if !s.ends_with('/') {
        s.push('/');
    }
    Ok(s)
}

/// Splits an article into its front matter (with the line it starts on) and body (with its
/// first line). `None` when the file does not start with a `---` line.
pub fn split_front_matter(text: &str) -> Option<(&str, usize, &str, usize)> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for (line, l) in (2..).zip(rest.split_inclusive('\n')) {
        if l.trim_end() == "---" {
            let fm = &rest[..offset];
            let body = &rest[offset + l.len()..];
            return Some((fm, 2, body, line + 1));
        }
        offset += l.len();
    }
    None
}

fn load_articles(root: &Path, cache: &mut Cache, diags: &mut Vec<Diagnostic>) -> Vec<Article> {
    let dir = root.join(ARTICLES_DIR);
    let listing = match files::walk_files(&dir) {
        Ok(l) => l,
        Err(e) => {
            diags.push(Diagnostic::error(
                ARTICLES_DIR,
                Pos::new(0, 0),
                format!("cannot list articles: {e}"),
            ));
            return Vec::new();
        }
    };
    let mut files: Vec<(String, String)> = Vec::new(); // (file, id)
    for (rel, _) in listing {
        let file = format!("{ARTICLES_DIR}/{rel}");
        let Some(stem) = rel.strip_suffix(".md") else {
            diags.push(
                Diagnostic::warning(
                    &file,
                    Pos::new(1, 1),
                    "not an article: only .md files are read",
                )
                .help("rename it to <source-id>.md, or move it out of content/articles/"),
            );
            continue;
        };
        if !is_valid_id(stem) {
            diags.push(
                Diagnostic::error(
                    &file,
                    Pos::new(1, 1),
                    format!("invalid source id `{stem}` (the file name)"),
                )
                .help(format!(
                    "source ids are lower-case letters and digits joined by `-`, and articles \
                         sit directly in content/articles/: rename it to `{}.md`",
                    slugify(stem)
                )),
            );
            continue;
        }
        files.push((file.clone(), stem.to_string()));
    }
    // Read and parse in parallel; an article whose text is unchanged is taken from the cache.
    enum Got {
        Unreadable(Diagnostic),
        Same,
        Fresh(CachedArticle),
    }
    let old = std::mem::take(&mut cache.articles);
    let got: Vec<Got> = files
        .par_iter()
        .map(|(file, id)| {
            let mut local = Vec::new();
            let Some(text) = read(root, file, &mut local) else {
                return match local.pop() {
                    Some(d) => Got::Unreadable(d),
                    None => Got::Same,
                };
            };
            let text_hash = files::text_hash(&text);
            if old.get(file).is_some_and(|c| c.text_hash == text_hash) {
                return Got::Same;
            }
            let article = load_article(id, file, &text, &mut local);
            Got::Fresh(CachedArticle {
                text_hash,
                article,
                diags: local,
            })
        })
        .collect();
    let mut old = old;
    let mut out = Vec::with_capacity(files.len());
    let mut kept = HashMap::with_capacity(files.len());
    for ((file, _), g) in files.into_iter().zip(got) {
        let entry = match g {
            Got::Unreadable(d) => {
                diags.push(d);
                continue;
            }
            Got::Same => match old.remove(&file) {
                Some(e) => e,
                None => continue,
            },
            Got::Fresh(e) => e,
        };
        diags.extend(entry.diags.iter().cloned());
        if let Some(a) = &entry.article {
            out.push(a.clone());
        }
        if cache.retain {
            kept.insert(file, entry);
        }
    }
    cache.articles = kept;
    out
}

fn load_article(id: &str, file: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Option<Article> {
    let subject = format!("source `{id}`");
    // An article with broken front matter is still kept (the build fails anyway), so that
    // claims quoting it are checked against its text and not told it does not exist.
    let Some((fm, fm_line, body, body_line)) = split_front_matter(text) else {
        diags.push(
            Diagnostic::error(file, Pos::new(1, 1), "the article has no front matter")
                .subject(subject)
                .help("start the file with a `---` line, then `title:` and `outlet:`, then another `---` line, then the body"),
        );
        return Some(bare_article(id, file, text, 1));
    };
    let Some(node) = parse_yaml(file, fm, fm_line - 1, diags) else {
        return Some(bare_article(id, file, body, body_line));
    };
    let Some(mut f) = Fields::new(
        file,
        &node,
        "the front matter",
        Some(subject.clone()),
        diags,
    ) else {
        return Some(bare_article(id, file, body, body_line));
    };
    let title = f.string("title", true, diags);
    let outlet = f.string("outlet", true, diags);
    let url = f.string("url", false, diags);
    let published = f.string("published", false, diags);
    let author = f.string("author", false, diags).map(|s| s.0);
    let attribution = f.string("attribution", false, diags);
    let revision_of = f.string("revision_of", false, diags);
    let note = f.string("note", false, diags).map(|s| s.0);
    f.finish(diags);

    let attribution = match attribution {
        None => Attribution::Stated,
        Some((a, pos)) => match a.as_str() {
            "stated" => Attribution::Stated,
            "inferred" => Attribution::Inferred,
            "unknown" => Attribution::Unknown,
            _ => {
                diags.push(
                    Diagnostic::error(file, pos, format!("unknown attribution `{a}`"))
                        .subject(subject.clone())
                        .help("attribution is `inferred` (the outlet is inferred from the text) or `unknown`"),
                );
                Attribution::Stated
            }
        },
    };
    if let Some((u, pos)) = &url
        && !(u.starts_with("https://") || u.starts_with("http://"))
    {
        diags.push(
            Diagnostic::error(file, *pos, format!("url `{u}` is not an http(s) URL"))
                .subject(subject.clone())
                .help("give the article's address as published, starting with https://, or leave `url` out"),
        );
    }
    if let Some((p, pos)) = &published
        && !is_iso_date_or_datetime(p)
    {
        diags.push(
            Diagnostic::error(file, *pos, format!("`published: {p}` is not an ISO 8601 date"))
                .subject(subject.clone())
                .help("write the date as YYYY-MM-DD, e.g. 2025-01-11, or a date-time like 2025-01-11T14:30:00Z"),
        );
    }
    let (revision_of, revision_of_pos) = match revision_of {
        Some((r, pos)) => (Some(r), pos),
        None => (None, Pos::default()),
    };
    Some(Article {
        id: id.to_string(),
        file: file.to_string(),
        title: title.map(|t| t.0).unwrap_or_default(),
        outlet: outlet.map(|o| o.0).unwrap_or_default(),
        url: url.map(|u| u.0),
        published: published.map(|p| p.0),
        author,
        attribution,
        revision_of,
        revision_of_pos,
        note,
        body: body.to_string(),
        body_line,
    })
}

/// An article whose front matter could not be read: its text only.
fn bare_article(id: &str, file: &str, body: &str, body_line: usize) -> Article {
    Article {
        id: id.to_string(),
        file: file.to_string(),
        title: String::new(),
        outlet: String::new(),
        url: None,
        published: None,
        author: None,
        attribution: Attribution::Stated,
        revision_of: None,
        revision_of_pos: Pos::default(),
        note: None,
        body: body.to_string(),
        body_line,
    }
}

/// `YYYY-MM-DD` optionally followed by `T` and a time.
pub fn is_iso_date_or_datetime(s: &str) -> bool {
    let (date, time) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let valid_date = crate::values::parse_day(date).is_some();
    let valid_time = time.is_none_or(|t| {
        t.len() >= 5
            && t.as_bytes()[2] == b':'
            && t[..2].parse::<u8>().is_ok_and(|h| h < 24)
            && t[3..5].parse::<u8>().is_ok_and(|m| m < 60)
    });
    valid_date && valid_time
}

fn load_claims(root: &Path, cache: &mut Cache, diags: &mut Vec<Diagnostic>) -> Vec<Claim> {
    let Some(text) = read(root, CLAIMS_FILE, diags) else {
        if !root.join(CLAIMS_FILE).exists() {
            diags.push(
                Diagnostic::error(CLAIMS_FILE, Pos::new(1, 1), "the dossier has no claims.yaml")
                    .help("create content/claims.yaml: a list of claims, each with `id`, `claim` and `quotes`"),
            );
        }
        return Vec::new();
    };
    let loaded = match load_claims_by_chunk(&text, cache) {
        Some((claims, mut ds)) => {
            diags.append(&mut ds);
            claims
        }
        None => {
            cache.chunks.clear();
            load_claims_whole(&text, diags)
        }
    };
    let mut claims: Vec<Claim> = Vec::new();
    let mut seen: HashMap<String, Pos> = HashMap::new();
    for c in loaded {
        match seen.get(&c.id) {
            Some(first) if !c.id.is_empty() => diags.push(
                Diagnostic::error(CLAIMS_FILE, c.pos, format!("duplicate claim id `{}`", c.id))
                    .note(format!("first used at line {}", first.line))
                    .help("give each claim its own id; ids make the page addresses"),
            ),
            _ => {
                seen.insert(c.id.clone(), c.pos);
            }
        }
        // Kept even when its id is a duplicate: its quotes are checked in this run too.
        claims.push(c);
    }
    claims
}

/// The top-level entries of a block-style claims.yaml: (first line, 0-based; text). `None`
/// when the file is not simply a list of `- ` items at the left margin (then it is parsed
/// whole).
fn split_chunks(text: &str) -> Option<Vec<(usize, &str)>> {
    let mut chunks: Vec<(usize, usize)> = Vec::new(); // (line, byte offset)
    let mut offset = 0;
    for (line, l) in text.split_inclusive('\n').enumerate() {
        let t = l.trim_end();
        if t == "---" || t == "..." {
            return None;
        }
        if t == "-" || t.starts_with("- ") {
            chunks.push((line, offset));
        } else if chunks.is_empty()
            && !(t.trim_start().is_empty() || t.trim_start().starts_with('#'))
        {
            return None;
        }
        offset += l.len();
    }
    Some(
        chunks
            .iter()
            .enumerate()
            .map(|(k, &(line, start))| {
                let end = chunks.get(k + 1).map_or(text.len(), |c| c.1);
                (line, &text[start..end])
            })
            .collect(),
    )
}

/// Loads claims entry by entry, reusing the entries whose text is unchanged. `None` when the
/// file cannot be read that way (then, and for any syntax error, it is parsed whole, so
/// errors are reported exactly as a whole parse reports them).
fn load_claims_by_chunk(text: &str, cache: &mut Cache) -> Option<(Vec<Claim>, Vec<Diagnostic>)> {
    let chunks = split_chunks(text)?;
    // Entries not seen before are parsed in parallel.
    let fresh: Vec<Option<(String, CachedChunk)>> = chunks
        .par_iter()
        .filter(|(_, chunk)| !cache.chunks.contains_key(*chunk))
        .map(|&(first_line, chunk)| {
            let node = yaml::parse(chunk, first_line).ok()?;
            let Yaml::Seq(items) = &node.value else {
                return None;
            };
            let [item] = items.as_slice() else {
                return None;
            };
            let mut local = Vec::new();
            let claim = load_claim(item, &mut local);
            Some((
                chunk.to_string(),
                CachedChunk {
                    first_line,
                    claim,
                    diags: local,
                },
            ))
        })
        .collect();
    let mut parsed: HashMap<String, CachedChunk> = HashMap::with_capacity(fresh.len());
    for f in fresh {
        let (k, v) = f?;
        parsed.insert(k, v);
    }
    let mut claims = Vec::with_capacity(chunks.len());
    let mut diags = Vec::new();
    let mut kept: HashMap<String, CachedChunk> = HashMap::with_capacity(chunks.len());
    for (first_line, chunk) in chunks {
        let (key, cached) = match cache
            .chunks
            .remove_entry(chunk)
            .or_else(|| parsed.remove_entry(chunk))
        {
            Some(entry) => entry,
            // The same entry twice (a copied claim): the first copy is already kept.
            None => match kept.get(chunk) {
                Some(c) => (chunk.to_string(), c.clone()),
                None => return None,
            },
        };
        let (claim, mut ds) = cached.at(first_line);
        claims.extend(claim);
        diags.append(&mut ds);
        if cache.retain {
            kept.insert(key, cached);
        }
    }
    cache.chunks = kept;
    Some((claims, diags))
}

/// Loads claims from the whole text at once.
fn load_claims_whole(text: &str, diags: &mut Vec<Diagnostic>) -> Vec<Claim> {
    let Some(node) = parse_yaml(CLAIMS_FILE, text, 0, diags) else {
        return Vec::new();
    };
    let items = match &node.value {
        Yaml::Seq(items) => items,
        Yaml::Null => return Vec::new(),
        other => {
            diags.push(
                Diagnostic::error(
                    CLAIMS_FILE,
                    node.pos,
                    format!(
                        "claims.yaml must be a list of claims, found {}",
                        other.describe()
                    ),
                )
                .help("start each claim with `- id: ...`"),
            );
            return Vec::new();
        }
    };
    items
        .iter()
        .filter_map(|item| load_claim(item, diags))
        .collect()
}

fn load_claim(item: &Node, diags: &mut Vec<Diagnostic>) -> Option<Claim> {
    // Find the id first so every later problem can name the claim.
    let id_node = match &item.value {
        Yaml::Map(m) => m.iter().find(|(k, _)| k == "id").map(|(_, n)| n),
        _ => None,
    };
    let id_text = id_node.and_then(Node::as_scalar);
    let subject = match &id_text {
        Some(id) => format!("claim `{id}`"),
        None => format!("the claim at line {}", item.pos.line),
    };
    let mut f = Fields::new(CLAIMS_FILE, item, "a claim", Some(subject.clone()), diags)?;
    let id = f.string("id", true, diags);
    let claim = f.string("claim", true, diags);
    let topic = f.string("topic", false, diags).map(|s| s.0);
    let note = f.string("note", false, diags).map(|s| s.0);
    let value = f
        .get("value")
        .and_then(|n| load_value_spec(n, &subject, diags));
    let quotes_node = f.get("quotes");
    f.finish(diags);

    let mut quotes = Vec::new();
    match quotes_node {
        None => diags.push(
            Diagnostic::error(CLAIMS_FILE, item.pos, "the claim has no quotes")
                .subject(subject.clone())
                .help(
                    "add `quotes:` with at least one `- source: <article id>` and `text: \"...\"`",
                ),
        ),
        Some(n) => match &n.value {
            Yaml::Seq(items) if !items.is_empty() => {
                for q in items {
                    if let Some(q) = load_quote(q, &subject, diags) {
                        quotes.push(q);
                    }
                }
            }
            _ => diags.push(
                Diagnostic::error(
                    CLAIMS_FILE,
                    n.pos,
                    "`quotes` must be a list with at least one quote",
                )
                .subject(subject.clone())
                .help("write each quote as `- source: <article id>` with `text: \"...\"` under it"),
            ),
        },
    }

    // A claim with a broken id or text is still kept (the build fails anyway), so that its
    // quotes are checked in this same run.
    let (id, id_pos) = id.unwrap_or_default();
    if !id.is_empty() && !is_valid_id(&id) {
        diags.push(
            Diagnostic::error(CLAIMS_FILE, id_pos, format!("invalid claim id `{id}`"))
                .subject(subject)
                .help(format!(
                    "claim ids are lower-case letters and digits joined by `-` (they become page addresses), e.g. `{}`",
                    slugify(&id)
                )),
        );
    }
    Some(Claim {
        id,
        pos: item.pos,
        claim: claim.map(|c| c.0).unwrap_or_default(),
        topic,
        note,
        value,
        quotes,
    })
}

fn load_value_spec(n: &Node, subject: &str, diags: &mut Vec<Diagnostic>) -> Option<ValueSpec> {
    let mut f = Fields::new(CLAIMS_FILE, n, "`value`", Some(subject.to_string()), diags)?;
    let kind = f.string("kind", true, diags);
    let unit = f.string("unit", false, diags).map(|s| s.0);
    f.finish(diags);
    let (kind, pos) = kind?;
    let kind = match kind.as_str() {
        "quantity" => ValueKind::Quantity,
        "date" => ValueKind::Date,
        "year" => ValueKind::Year,
        "text" => ValueKind::Text,
        other => {
            diags.push(
                Diagnostic::error(CLAIMS_FILE, pos, format!("unknown value kind `{other}`"))
                    .subject(subject.to_string())
                    .help("kind is one of: quantity, date, year, text"),
            );
            return None;
        }
    };
    Some(ValueSpec { kind, unit })
}

fn load_quote(n: &Node, subject: &str, diags: &mut Vec<Diagnostic>) -> Option<Quote> {
    let mut f = Fields::new(CLAIMS_FILE, n, "a quote", Some(subject.to_string()), diags)?;
    let source = f.string("source", true, diags);
    let text = f.string("text", true, diags);
    let stance = f.string("stance", false, diags);
    let value = f.string("value", false, diags);
    let via = f.string("via", false, diags).map(|s| s.0);
    f.finish(diags);
    let stance = match stance {
        None => Stance::Supports,
        Some((s, pos)) => {
            match s.as_str() {
                "supports" => Stance::Supports,
                "contradicts" => Stance::Contradicts,
                "mentions" => Stance::Mentions,
                other => {
                    let nearest = ["supports", "contradicts", "mentions"]
                        .into_iter()
                        .min_by_key(|k| edit_distance(other, k))
                        .unwrap_or("supports");
                    diags.push(
                    Diagnostic::error(CLAIMS_FILE, pos, format!("unknown stance `{other}`"))
                        .subject(subject.to_string())
                        .help(format!("stance is supports, contradicts or mentions; did you mean `{nearest}`?")),
                );
                    Stance::Supports
                }
            }
        }
    };
    let (source, source_pos) = source?;
    let (text, text_pos) = text?;
    Some(Quote {
        pos: n.pos,
        source,
        source_pos,
        text,
        text_pos,
        stance,
        value,
        via,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter() {
        let t = "---\ntitle: x\n---\nBody\n";
        let (fm, fl, body, bl) = split_front_matter(t).expect("has front matter");
        assert_eq!(fm, "title: x\n");
        assert_eq!(fl, 2);
        assert_eq!(body, "Body\n");
        assert_eq!(bl, 4);
        assert!(split_front_matter("title: x\n").is_none());
    }

    #[test]
    fn base_urls() {
        assert_eq!(normalize_base_url("/").as_deref(), Ok("/"));
        assert_eq!(normalize_base_url("/d").as_deref(), Ok("/d/"));
        assert_eq!(
            normalize_base_url("https://x.org/d/").as_deref(),
            Ok("https://x.org/d/")
        );
        assert!(normalize_base_url("javascript:alert(1)").is_err());
        assert!(normalize_base_url("/a\"b/").is_err());
    }

    #[test]
    fn dates() {
        assert!(is_iso_date_or_datetime("2025-01-12"));
        assert!(is_iso_date_or_datetime("2025-01-12T10:30:00Z"));
        assert!(!is_iso_date_or_datetime("2025-13-01"));
        assert!(!is_iso_date_or_datetime("12 Jan 2025"));
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("qoutes", "quotes"), 2);
        assert_eq!(edit_distance("stance", "stance"), 0);
    }
}
