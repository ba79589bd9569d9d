//! Writes a synthetic dossier for benchmarks.
//!
//! ```text
//! cargo run --release -p dossier-tools --bin synth -- --articles 1000 [--claims-per-article 10] \
//!     [--quotes-per-claim 3] [--seed 1] --out DIR
//! ```
//!
//! `DIR/content/` must not exist yet; build it with `dossier build --root DIR`.
//!
//! With `--hugo HUGO_DIR`, the generated dossier is also written as a Hugo site (for
//! bench/hugo.sh): read back with `dossier::load::load`, each article and each claim becomes a
//! Markdown page (a claim page: the claim, then its quotes as blockquotes linking to their
//! sources), with a minimal layout (baseof, single and list templates; no theme).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: synth --articles N [--claims-per-article 10] [--quotes-per-claim 3] [--seed 1] --out DIR [--hugo HUGO_DIR]";

fn main() -> ExitCode {
    let mut articles: Option<usize> = None;
    let mut claims = 10;
    let mut quotes = 3;
    let mut seed = 1u64;
    let mut out: Option<PathBuf> = None;
    let mut hugo: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (a.clone(), None),
        };
        if name == "-h" || name == "--help" {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        let Some(value) = inline.or_else(|| args.next()) else {
            eprintln!("synth: {name} needs a value\n{USAGE}");
            return ExitCode::from(2);
        };
        let number = |v: &str| {
            v.replace(['_', ','], "")
                .parse::<u64>()
                .map_err(|_| format!("{name}: `{v}` is not a number"))
        };
        let r = match name.as_str() {
            "--articles" => number(&value).map(|n| articles = Some(n as usize)),
            "--claims-per-article" => number(&value).map(|n| claims = n as usize),
            "--quotes-per-claim" => number(&value).map(|n| quotes = n as usize),
            "--seed" => number(&value).map(|n| seed = n),
            "--out" => {
                out = Some(PathBuf::from(value));
                Ok(())
            }
            "--hugo" => {
                hugo = Some(PathBuf::from(value));
                Ok(())
            }
            other => Err(format!("unknown option {other}")),
        };
        if let Err(e) = r {
            eprintln!("synth: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    let (Some(articles), Some(out)) = (articles, out) else {
        eprintln!("synth: --articles and --out are required\n{USAGE}");
        return ExitCode::from(2);
    };
    if articles == 0 || quotes == 0 {
        eprintln!("synth: --articles and --quotes-per-claim must be at least 1");
        return ExitCode::from(2);
    }
    let start = Instant::now();
    match dossier_tools::synth::generate(&out, articles, claims, quotes, seed) {
        Ok(s) => {
            println!(
                "wrote {} articles ({} words), {} claims ({} with values, {} contradicted), {} quotes ({} elided, {} retyped), {:.1} MB, into {} in {} ms",
                s.articles,
                s.words,
                s.claims,
                s.valued_claims,
                s.contradicted_claims,
                s.quotes,
                s.elided_quotes,
                s.retyped_quotes,
                s.bytes as f64 / 1e6,
                out.display(),
                start.elapsed().as_millis()
            );
        }
        Err(e) => {
            eprintln!("synth: {e}");
            return ExitCode::FAILURE;
        }
    }
    if let Some(h) = hugo {
        match to_hugo(&out, &h) {
            Ok(pages) => println!(
                "wrote the Hugo site {} ({pages} content pages)",
                h.display()
            ),
            Err(e) => {
                eprintln!("synth: --hugo: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}

/// A YAML double-quoted scalar.
fn yq(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

const HUGO_CONFIG: &str = r#"baseURL = "/"
languageCode = "en"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
"#;

const HUGO_BASEOF: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ .Title }} · {{ .Site.Title }}</title>
</head>
<body>
<nav><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a> · <a href="{{ "/articles/" | relURL }}">Sources</a> · <a href="{{ "/claims/" | relURL }}">Claims</a></nav>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
"#;

const HUGO_SINGLE: &str = r#"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ with .Params.outlet }}<p class="outlet">{{ . }}{{ with $.Params.published }}, {{ . }}{{ end }}</p>{{ end }}
{{ .Content }}
</article>
{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}
</ul>
{{ end }}
"#;

/// Writes the dossier at `dossier_dir` as a Hugo site in `hugo_dir`; returns the number of
/// content pages.
fn to_hugo(dossier_dir: &std::path::Path, hugo_dir: &std::path::Path) -> Result<usize, String> {
    use std::fmt::Write as _;
    use std::fs;
    let loaded = dossier::load::load(dossier_dir).map_err(|e| e.0)?;
    let d = loaded.dossier;
    let w = |p: std::path::PathBuf, s: &str| -> Result<(), String> {
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        fs::write(&p, s).map_err(|e| format!("{}: {e}", p.display()))
    };
    w(
        hugo_dir.join("config.toml"),
        &format!("{HUGO_CONFIG}title = {}\n", yq(&d.site.title)),
    )?;
    w(hugo_dir.join("layouts/_default/baseof.html"), HUGO_BASEOF)?;
    w(hugo_dir.join("layouts/_default/single.html"), HUGO_SINGLE)?;
    w(hugo_dir.join("layouts/_default/list.html"), HUGO_LIST)?;
    let c = hugo_dir.join("content");
    w(
        c.join("_index.md"),
        &format!(
            "---\ntitle: {}\n---\n{}\n",
            yq(&d.site.title),
            d.site.description.as_deref().unwrap_or("")
        ),
    )?;
    w(
        c.join("articles/_index.md"),
        "---\ntitle: \"Sources\"\n---\n",
    )?;
    w(c.join("claims/_index.md"), "---\ntitle: \"Claims\"\n---\n")?;
    let mut pages = 0;
    let mut titles = std::collections::HashMap::new();
    for a in &d.articles {
        let mut s = format!("---\ntitle: {}\noutlet: {}\n", yq(&a.title), yq(&a.outlet));
        if let Some(p) = &a.published {
            let _ = writeln!(s, "published: {}", yq(p));
        }
        s.push_str("---\n");
        s.push_str(&a.body);
        w(c.join(format!("articles/{}.md", a.id)), &s)?;
        titles.insert(a.id.as_str(), (a.outlet.as_str(), a.title.as_str()));
        pages += 1;
    }
    for cl in &d.claims {
        let mut s = format!("---\ntitle: {}\n---\n{}\n", yq(&cl.claim), cl.claim);
        for q in &cl.quotes {
            let (outlet, title) = titles.get(q.source.as_str()).copied().unwrap_or(("", ""));
            let _ = write!(
                s,
                "\n> {}\n>\n> — [{outlet}: {title}](/articles/{}/) ({})\n",
                q.text,
                q.source,
                q.stance.map_or("supports", |s| s.0.as_str())
            );
        }
        w(c.join(format!("claims/{}.md", cl.id)), &s)?;
        pages += 1;
    }
    Ok(pages)
}
