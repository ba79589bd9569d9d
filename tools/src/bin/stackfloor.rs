//! The floor set by the libraries dossier is built on: the CPU time serde_yaml takes just to
//! parse a dossier's YAML (claims.yaml entry by entry, and every article's front matter), and
//! the CPU time Tera takes just to render every page and item of its site from data already
//! converted to Tera values. Nothing else of a build (reading, checking quotes, the page
//! model, tidying, writing) is counted. docs/PERFORMANCE.md compares the result with the write
//! floor (`tools/src/bin/writefloor.rs`) and the performance issue's target.
//!
//! ```text
//! cargo run --release -p dossier-tools --bin stackfloor -- DOSSIER_DIR [RUNS]
//! ```
//!
//! Each measurement runs on one thread, RUNS times (3 by default); the median is printed,
//! with what it would take spread perfectly over every core of the machine.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use dossier::site::{self, Page};
use dossier::{check, load, render, theme};

fn context(p: &Page) -> tera::Context {
    render::context(p).unwrap_or_else(|e| panic!("cannot convert the data of {}: {e}", p.path))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(root) = args.first().map(PathBuf::from) else {
        eprintln!("usage: stackfloor DOSSIER_DIR [RUNS]");
        return ExitCode::from(2);
    };
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(3);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());

    // The YAML texts a build parses: claims.yaml's entries, and the front matters.
    let claims = std::fs::read_to_string(root.join("content/claims.yaml")).expect("claims.yaml");
    let mut yaml: Vec<String> = Vec::new();
    let mut start = 0;
    for (at, _) in claims.match_indices("\n- ") {
        yaml.push(claims[start..at + 1].to_string());
        start = at + 1;
    }
    yaml.push(claims[start..].to_string());
    let mut articles: Vec<PathBuf> = std::fs::read_dir(root.join("content/articles"))
        .expect("articles")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    articles.sort();
    for a in &articles {
        let text = std::fs::read_to_string(a).expect("article");
        if let Some((fm, _, _, _)) = load::split_front_matter(&text) {
            yaml.push(fm.to_string());
        }
    }
    let yaml_ms = median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                for y in &yaml {
                    let v: serde_yaml::Value = serde_yaml::from_str(y).expect("yaml");
                    std::hint::black_box(v);
                }
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect(),
    );

    // Every page and item of the site, with its data converted beforehand.
    let loaded = load::load(&root).expect("load");
    let mut diags = loaded.diagnostics;
    let dossier = loaded.dossier;
    let th = theme::load(&root, &dossier.site, &mut diags);
    let checked = check::check(&dossier, &mut check::Cache::default(), &mut diags);
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html"]);
    tera.add_raw_templates(th.templates.iter().map(|(n, s)| (n.as_str(), s.as_str())))
        .expect("templates");
    let builder = site::Builder::new(&checked);
    // The pages hold their runs of items only as markers: the items are rendered on their own.
    let mut items = site::Items::default();
    let mut work: Vec<(&'static str, tera::Context)> = Vec::new();
    for ci in 0..checked.claims.len() {
        for kind in [site::ItemKind::Entry, site::ItemKind::Section] {
            if builder.has_item(ci, kind) {
                let page = builder.item(ci, kind);
                work.push((page.template, context(&page)));
            }
        }
        items.entry.push("".into());
        items.section.push(
            builder
                .has_item(ci, site::ItemKind::Section)
                .then(|| "".into()),
        );
    }
    let n_items = work.len();
    drop(builder);
    for p in site::build(&checked, &site::Selection::all(), &items) {
        work.push((p.template, context(&p)));
    }
    // (ms rendering the items, ms rendering the pages, bytes)
    let time = |part: &[(&'static str, tera::Context)]| {
        let mut bytes = 0;
        let ms = median(
            (0..runs)
                .map(|_| {
                    let t = Instant::now();
                    bytes = 0;
                    for (template, ctx) in part {
                        bytes += tera.render(template, ctx).expect("render").len();
                    }
                    t.elapsed().as_secs_f64() * 1000.0
                })
                .collect(),
        );
        (ms, bytes)
    };
    let (items_ms, items_bytes) = time(&work[..n_items]);
    let (pages_ms, pages_bytes) = time(&work[n_items..]);
    let (tera_ms, bytes) = (items_ms + pages_ms, items_bytes + pages_bytes);

    println!(
        "serde_yaml, parsing {} YAML documents ({} bytes): {yaml_ms:.0} ms of CPU",
        yaml.len(),
        yaml.iter().map(String::len).sum::<usize>()
    );
    println!(
        "tera, rendering {} pages and items ({} bytes) from prepared data: {tera_ms:.0} ms of CPU",
        work.len(),
        bytes
    );
    println!(
        "  of which {} pages ({pages_bytes} bytes): {pages_ms:.0} ms; {n_items} claims' list items ({items_bytes} bytes): {items_ms:.0} ms",
        work.len() - n_items
    );
    println!(
        "both, spread perfectly over {cores} cores: {:.0} ms",
        (yaml_ms + tera_ms) / cores as f64
    );
    ExitCode::SUCCESS
}
