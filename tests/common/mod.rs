//! Shared helpers for the integration tests: running the `dossier` binary, building small
//! dossiers in temporary folders, reading output trees, parsing diagnostics and scanning HTML.
//!
//! Each test file is its own crate and uses only part of this module.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root: the bundled dossier (content/, themes/, public/).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics with the run's output unless it exited with `code`.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "expected exit status {code}, got {}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    /// The diagnostics printed on stderr.
    pub fn diagnostics(&self) -> Vec<Diag> {
        parse_diagnostics(&self.stderr)
    }

    /// The diagnostics of one level ("error" or "warning").
    pub fn diagnostics_of(&self, level: &str) -> Vec<Diag> {
        self.diagnostics()
            .into_iter()
            .filter(|d| d.level == level)
            .collect()
    }

    /// The one diagnostic of `level` whose headline contains `needle`; panics (showing stderr)
    /// if there is none or more than one.
    #[track_caller]
    pub fn diag(&self, level: &str, needle: &str) -> Diag {
        let found: Vec<Diag> = self
            .diagnostics()
            .into_iter()
            .filter(|d| d.level == level && d.headline.contains(needle))
            .collect();
        assert_eq!(
            found.len(),
            1,
            "expected exactly one {level} containing {needle:?}, found {}\n--- stderr:\n{}",
            found.len(),
            self.stderr
        );
        found.into_iter().next().expect("one diagnostic")
    }
}

/// Runs the `dossier` binary with `args`.
pub fn dossier<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the dossier binary runs");
    Run {
        code: out
            .status
            .code()
            .expect("dossier exited normally, not by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// One diagnostic as printed: `error: claim `x`: message`, then its location and notes.
#[derive(Debug, Clone)]
pub struct Diag {
    /// "error" or "warning".
    pub level: String,
    /// The first line without the level: "claim `x`: message".
    pub headline: String,
    /// Every line of the report, the headline included.
    pub text: String,
}

impl Diag {
    /// The `file:line[:col]` of the `-->` line.
    pub fn location(&self) -> Option<String> {
        self.text.lines().find_map(|l| {
            l.trim_start()
                .strip_prefix("--> ")
                .map(|s| s.trim().to_string())
        })
    }

    /// The `= note:` lines.
    pub fn notes(&self) -> Vec<String> {
        self.text
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("= note: ").map(str::to_string))
            .collect()
    }

    /// The `= help:` line.
    pub fn help(&self) -> Option<String> {
        self.text
            .lines()
            .find_map(|l| l.trim_start().strip_prefix("= help: ").map(str::to_string))
    }

    /// Asserts the diagnostic points at `loc` (`file:line` or `file:line:col`).
    #[track_caller]
    pub fn assert_at(&self, loc: &str) -> &Diag {
        let at = self.location();
        let ok = at
            .as_deref()
            .is_some_and(|a| a == loc || a.starts_with(&format!("{loc}:")));
        assert!(
            ok,
            "expected the diagnostic at {loc}, it is at {at:?}:\n{}",
            self.text
        );
        self
    }

    /// Asserts the diagnostic's report contains `needle` (in a note, the help, anywhere).
    #[track_caller]
    pub fn assert_mentions(&self, needle: &str) -> &Diag {
        assert!(
            self.text.contains(needle),
            "expected {needle:?} in:\n{}",
            self.text
        );
        self
    }
}

/// Splits stderr into diagnostics: each starts with a line `error: ` or `warning: `.
pub fn parse_diagnostics(stderr: &str) -> Vec<Diag> {
    let mut out: Vec<Diag> = Vec::new();
    for line in stderr.lines() {
        let start = ["error", "warning"]
            .into_iter()
            .find_map(|lvl| line.strip_prefix(&format!("{lvl}: ")).map(|h| (lvl, h)));
        match start {
            Some((lvl, h)) => out.push(Diag {
                level: lvl.to_string(),
                headline: h.to_string(),
                text: format!("{line}\n"),
            }),
            None => {
                if line.starts_with("dossier:") {
                    continue;
                }
                if let Some(d) = out.last_mut() {
                    d.text.push_str(line);
                    d.text.push('\n');
                }
            }
        }
    }
    out
}

/// Asserts `hay` contains `needle`, showing `hay` when it does not.
#[track_caller]
pub fn assert_contains(hay: &str, needle: &str) {
    assert!(
        hay.contains(needle),
        "expected to find {needle:?} in:\n{hay}"
    );
}

/// Asserts `hay` does not contain `needle`.
#[track_caller]
pub fn assert_lacks(hay: &str, needle: &str) {
    assert!(
        !hay.contains(needle),
        "expected not to find {needle:?} in:\n{hay}"
    );
}

/// The site.yaml every small dossier starts with.
/// Copies a folder and everything in it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder");
    for e in std::fs::read_dir(from).expect("list a folder") {
        let e = e.expect("an entry");
        let dest = to.join(e.file_name());
        if e.file_type().expect("a file type").is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).expect("copy a file");
        }
    }
}

pub const SITE: &str = "title: \"Test dossier\"\n";

/// A small dossier in a temporary folder: `root()/content/...`; outputs go beside it.
pub struct Fixture {
    tmp: tempfile::TempDir,
    root: PathBuf,
}

impl Fixture {
    /// An empty dossier with a minimal site.yaml and no claims or articles.
    pub fn new() -> Fixture {
        let f = Fixture::bare();
        f.write("content/site.yaml", SITE);
        std::fs::create_dir_all(f.root().join("content/articles"))
            .expect("create content/articles");
        f
    }

    /// A temporary folder with nothing in it.
    pub fn bare() -> Fixture {
        let tmp = tempfile::tempdir().expect("create a temporary folder");
        let root = tmp.path().join("dossier");
        std::fs::create_dir_all(&root).expect("create the dossier folder");
        Fixture { tmp, root }
    }

    /// The dossier's folder (holding content/).
    pub fn root(&self) -> PathBuf {
        self.root.clone()
    }

    /// A path in the temporary folder, outside the dossier (for outputs).
    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// The default output folder: `site` beside the dossier.
    pub fn out(&self) -> PathBuf {
        self.path("site")
    }

    /// Writes a file of the dossier (path relative to the dossier's folder).
    pub fn write(&self, rel: &str, text: &str) -> &Fixture {
        let p = self.root().join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("create the file's folder");
        }
        std::fs::write(&p, text).expect("write a dossier file");
        self
    }

    /// Writes content/claims.yaml.
    pub fn claims(&self, yaml: &str) -> &Fixture {
        self.write("content/claims.yaml", yaml)
    }

    /// Writes content/articles/<id>.md from its front matter (without the `---` lines) and body.
    pub fn article(&self, id: &str, front: &str, body: &str) -> &Fixture {
        self.write(
            &format!("content/articles/{id}.md"),
            &format!("---\n{front}---\n{body}"),
        )
    }

    /// Writes a simple article with a title and an outlet.
    pub fn simple_article(&self, id: &str, outlet: &str, body: &str) -> &Fixture {
        self.article(
            id,
            &format!("title: \"Article {id}\"\noutlet: \"{outlet}\"\n"),
            body,
        )
    }

    /// `dossier build --root ROOT --output OUT` plus `extra` arguments.
    pub fn build_into(&self, out: &Path, extra: &[&str]) -> Run {
        let mut args: Vec<&OsStr> = vec![
            OsStr::new("build"),
            OsStr::new("--root"),
            self.root_os(),
            OsStr::new("--output"),
            out.as_os_str(),
        ];
        args.extend(extra.iter().map(OsStr::new));
        dossier(args)
    }

    /// `dossier build` into [`Fixture::out`].
    pub fn build(&self) -> Run {
        self.build_into(&self.out(), &[])
    }

    /// `dossier check --root ROOT`.
    pub fn check(&self) -> Run {
        dossier([OsStr::new("check"), OsStr::new("--root"), self.root_os()])
    }

    fn root_os(&self) -> &OsStr {
        self.root.as_os_str()
    }

    /// Builds, expecting content errors: exit 1, "nothing was written", no output folder; `check`
    /// reports the same diagnostics with the same status.
    #[track_caller]
    pub fn build_fails(&self) -> Run {
        let run = self.build();
        run.expect_code(1);
        assert_contains(&run.stderr, "nothing was written");
        assert!(
            !self.out().exists(),
            "a failed build creates no output folder"
        );
        assert!(
            !run.diagnostics_of("error").is_empty(),
            "errors are reported:\n{}",
            run.stderr
        );
        for d in run.diagnostics() {
            assert!(
                d.location().is_some(),
                "every diagnostic names a file:\n{}",
                d.text
            );
            assert!(
                d.help().is_some(),
                "every diagnostic suggests a fix:\n{}",
                d.text
            );
        }
        let check = self.check();
        check.expect_code(1);
        assert!(!self.root().join("public").exists(), "check writes nothing");
        let headlines = |r: &Run| {
            r.diagnostics()
                .into_iter()
                .map(|d| d.text)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            headlines(&check),
            headlines(&run),
            "check reports what build reports"
        );
        run
    }

    /// Reads a file of the output folder as text.
    pub fn page(&self, rel: &str) -> String {
        read_text(&self.out().join(rel))
    }
}

/// Reads a text file, naming it when it cannot.
#[track_caller]
pub fn read_text(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// Every file under `dir` (hidden files included), relative path with `/` -> bytes.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let full = dir.join(&rel);
        let entries = std::fs::read_dir(&full)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", full.display()));
        for e in entries {
            let e = e.expect("a directory entry");
            let child = rel.join(e.file_name());
            let ft = e.file_type().expect("a file type");
            if ft.is_dir() {
                stack.push(child);
            } else {
                let key = child
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                let bytes = std::fs::read(dir.join(&child)).expect("read an output file");
                out.insert(key, bytes);
            }
        }
    }
    out
}

/// Every folder under `dir` (relative paths).
pub fn read_dirs(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for e in std::fs::read_dir(dir.join(&rel)).expect("list a folder") {
            let e = e.expect("a directory entry");
            if e.file_type().expect("a file type").is_dir() {
                let child = rel.join(e.file_name());
                out.insert(child.to_string_lossy().replace('\\', "/"));
                stack.push(child);
            }
        }
    }
    out
}

/// The files that differ between two trees: changed, added or removed.
pub fn changed_files(
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
) -> BTreeSet<String> {
    before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .cloned()
        .collect()
}

/// Asserts two trees are byte-identical, naming the first files that differ.
#[track_caller]
pub fn assert_same_tree(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, what: &str) {
    let a_names: BTreeSet<&String> = a.keys().collect();
    let b_names: BTreeSet<&String> = b.keys().collect();
    assert_eq!(a_names, b_names, "{what}: the file lists differ");
    let differ = changed_files(a, b);
    assert!(differ.is_empty(), "{what}: these files differ: {differ:?}");
}

/// The HTML files of a tree, as text.
pub fn html_pages(tree: &BTreeMap<String, Vec<u8>>) -> Vec<(String, String)> {
    tree.iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(k, v)| {
            (
                k.clone(),
                String::from_utf8(v.clone()).expect("HTML is UTF-8"),
            )
        })
        .collect()
}

/// One start tag found in HTML.
#[derive(Debug, Clone)]
pub struct Tag {
    /// Lower-cased.
    pub name: String,
    /// Names lower-cased; values with entities decoded.
    pub attrs: Vec<(String, String)>,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Every start tag of an HTML text. A `<` that does not start a tag, a comment or a
/// declaration is returned as a tag named `<stray>`: escaped output never has one.
pub fn tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        if html[i..].starts_with("<!--") {
            i = html[i..].find("-->").map_or(b.len(), |e| i + e + 3);
            continue;
        }
        if b.get(i + 1) == Some(&b'!') || b.get(i + 1) == Some(&b'/') {
            i = html[i..].find('>').map_or(b.len(), |e| i + e + 1);
            continue;
        }
        if !b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            out.push(Tag {
                name: "<stray>".to_string(),
                attrs: Vec::new(),
            });
            i += 1;
            continue;
        }
        // Tag name.
        let mut j = i + 1;
        while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' && b[j] != b'/' {
            j += 1;
        }
        let name = html[i + 1..j].to_ascii_lowercase();
        let mut attrs = Vec::new();
        // Attributes.
        loop {
            while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                j += 1;
                break;
            }
            let s = j;
            while j < b.len()
                && !b[j].is_ascii_whitespace()
                && b[j] != b'='
                && b[j] != b'>'
                && b[j] != b'/'
            {
                j += 1;
            }
            let an = html[s..j].to_ascii_lowercase();
            let mut value = String::new();
            if j < b.len() && b[j] == b'=' {
                j += 1;
                if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                    let q = b[j];
                    let vs = j + 1;
                    j = vs;
                    while j < b.len() && b[j] != q {
                        j += 1;
                    }
                    value = html[vs..j.min(b.len())].to_string();
                    j += 1;
                } else {
                    let vs = j;
                    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                    value = html[vs..j].to_string();
                }
            }
            attrs.push((an, decode_entities(&value)));
        }
        out.push(Tag { name, attrs });
        i = j;
    }
    out
}

/// Decodes the character references HTML attribute values may hold.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let Some(end) = rest.find(';').filter(|e| *e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..end];
        let decoded = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => {
                let num = ent
                    .strip_prefix("#x")
                    .or_else(|| ent.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()));
                num.and_then(char::from_u32)
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every `href` and `src` value of a page (decoded).
pub fn links(html: &str) -> Vec<String> {
    tags(html)
        .into_iter()
        .flat_map(|t| {
            t.attrs
                .into_iter()
                .filter(|(n, _)| n == "href" || n == "src")
                .map(|(_, v)| v)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Every `id` attribute of a page.
pub fn ids(html: &str) -> Vec<String> {
    tags(html)
        .into_iter()
        .filter_map(|t| t.attr("id").map(str::to_string))
        .collect()
}

/// The ids that occur more than once on a page.
pub fn duplicate_ids(html: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut dup = BTreeSet::new();
    for id in ids(html) {
        if !seen.insert(id.clone()) {
            dup.insert(id);
        }
    }
    dup
}

/// The text of the `<section ... id="ID">` element of a page, up to its end tag (nesting of
/// sections is followed).
pub fn section_by_id<'a>(html: &'a str, id: &str) -> Option<&'a str> {
    let start = html.find(&format!(" id=\"{id}\""))?;
    let open = html[..start].rfind("<section")?;
    let mut depth = 0usize;
    let mut i = open;
    while i < html.len() {
        let rest = &html[i..];
        if rest.starts_with("<section") {
            depth += 1;
            i += "<section".len();
        } else if rest.starts_with("</section>") {
            depth -= 1;
            i += "</section>".len();
            if depth == 0 {
                return Some(&html[open..i]);
            }
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    None
}

/// The ids of the `<section class="CLASS" id="...">` elements of a page, in order.
pub fn section_ids(html: &str, class: &str) -> Vec<String> {
    tags(html)
        .into_iter()
        .filter(|t| t.name == "section" && t.attr("class") == Some(class))
        .filter_map(|t| t.attr("id").map(str::to_string))
        .collect()
}

/// Asserts every internal link of a site built with base_url `/` leads to a file of the site
/// and, when it has a fragment, to an element with that id. Returns how many were checked.
#[track_caller]
pub fn assert_links_resolve(out: &Path) -> usize {
    let tree = read_tree(out);
    let pages: BTreeMap<String, String> = html_pages(&tree).into_iter().collect();
    let mut page_ids: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (p, html) in &pages {
        page_ids.insert(p.as_str(), ids(html).into_iter().collect());
    }
    let mut checked = 0;
    for (path, html) in &pages {
        for link in links(html) {
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
            {
                continue;
            }
            let (target, fragment) = match link.split_once('#') {
                Some((t, f)) => (t, Some(f)),
                None => (link.as_str(), None),
            };
            let file = if target.is_empty() {
                path.clone()
            } else {
                let rel = target.strip_prefix('/').unwrap_or_else(|| {
                    panic!("{path}: the link {link:?} is neither absolute nor a fragment")
                });
                if rel.is_empty() || rel.ends_with('/') {
                    format!("{rel}index.html")
                } else {
                    rel.to_string()
                }
            };
            assert!(
                tree.contains_key(&file),
                "{path}: the link {link:?} leads to {file}, which the site does not have"
            );
            if let Some(fr) = fragment.filter(|f| !f.is_empty()) {
                let known = page_ids.get(file.as_str()).unwrap_or_else(|| {
                    panic!("{path}: {link:?} has a fragment but {file} is not a page")
                });
                assert!(
                    known.contains(fr),
                    "{path}: the link {link:?} points at #{fr}, which {file} does not have"
                );
            }
            checked += 1;
        }
    }
    checked
}
