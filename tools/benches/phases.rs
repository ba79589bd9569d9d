//! The phases of `dossier build`, one by one, on a generated dossier of 100 articles (1,000
//! claims, about 3,000 quotes): load, check (anchor quotes, compare values), site model,
//! render, write into an empty folder, write again with nothing changed, and the whole
//! pipeline without writing (`build::run`).
//!
//! ```text
//! cargo bench -p dossier-tools --bench phases            # all
//! cargo bench -p dossier-tools --bench phases -- render  # one phase
//! ```
//!
//! Output goes to /dev/shm when it exists (so the write phase measures dossier, not the disk),
//! else to the system's temporary folder.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use dossier::output::Files;
use dossier::{build, check, load, output, render, site, theme};
use dossier_tools::synth;

const ARTICLES: usize = 100;
const CLAIMS_PER_ARTICLE: usize = 10;
const QUOTES_PER_CLAIM: usize = 3;

fn scratch() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

fn phases(c: &mut Criterion) {
    let dir = tempfile::Builder::new()
        .prefix("dossier-bench-")
        .tempdir_in(scratch())
        .expect("temporary folder");
    let root = dir.path().to_path_buf();
    synth::generate(&root, ARTICLES, CLAIMS_PER_ARTICLE, QUOTES_PER_CLAIM, 1).expect("generate");

    // Each phase's input, computed once.
    let loaded = load::load(&root).expect("load");
    let mut diags = loaded.diagnostics;
    let dossier = loaded.dossier;
    let theme = theme::load(&root, &dossier.site, &mut diags);
    let checked = check::check(&dossier, &mut check::Cache::default(), &mut diags);
    assert!(
        diags.iter().all(|d| !d.is_error()),
        "the generated dossier has errors"
    );
    let renderer = render::Renderer::new(&theme, "themes/default").expect("templates");
    // The items of the pages that list many claims, rendered once (see site::Items).
    let builder = site::Builder::new(&checked);
    let mut items = site::Items::default();
    for ci in 0..checked.claims.len() {
        let render = |kind| -> Arc<str> {
            Arc::from(
                renderer
                    .render(&builder.item(ci, kind))
                    .expect("render item"),
            )
        };
        items.entry.push(render(site::ItemKind::Entry));
        items.section.push(
            builder
                .has_item(ci, site::ItemKind::Section)
                .then(|| render(site::ItemKind::Section)),
        );
    }
    drop(builder);
    let pages = site::build(&checked, &site::Selection::all(), &items);
    let mut files = Files::new();
    for page in &pages {
        let html = renderer.render(page).expect("render");
        files.insert(page.path.clone(), Arc::from(html.into_bytes()));
    }
    for (name, bytes) in &theme.statics {
        files.insert(format!("static/{name}"), Arc::from(bytes.as_slice()));
    }
    let written = root.join("public-unchanged");
    output::write(&written, &files, None, None).expect("write");

    let mut g = c.benchmark_group(format!("phases-{ARTICLES}-articles"));
    g.sample_size(20)
        .measurement_time(Duration::from_secs(8))
        .warm_up_time(Duration::from_secs(2));
    g.bench_function("load", |b| {
        b.iter(|| {
            let l = load::load(&root).expect("load");
            let mut d = l.diagnostics;
            let t = theme::load(&root, &l.dossier.site, &mut d);
            black_box((l.dossier, t))
        })
    });
    g.bench_function("check", |b| {
        b.iter(|| {
            let mut d = Vec::new();
            let checked = check::check(&dossier, &mut check::Cache::default(), &mut d);
            black_box(checked.claims.len())
        })
    });
    g.bench_function("model", |b| {
        b.iter(|| black_box(site::build(&checked, &site::Selection::all(), &items)))
    });
    g.bench_function("render", |b| {
        b.iter(|| {
            use rayon::prelude::*;
            black_box(
                pages
                    .par_iter()
                    .map(|p| renderer.render(p).map(|h| h.len()))
                    .collect::<Vec<_>>(),
            )
        })
    });
    g.bench_function("write-empty", |b| {
        b.iter_batched(
            || {
                tempfile::Builder::new()
                    .prefix("dossier-out-")
                    .tempdir_in(scratch())
                    .expect("tmp")
            },
            |out| {
                output::write(&out.path().join("public"), &files, None, None).expect("write");
                out // removed after the measurement
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function("write-unchanged", |b| {
        b.iter(|| {
            let s = output::write(&written, &files, None, None).expect("write");
            assert_eq!(s.written, 0);
            black_box(s)
        })
    });
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("pipeline-no-write", |b| {
        let opts = build::Options {
            root: root.clone(),
            output: None,
            base_url: None,
        };
        b.iter(|| black_box(build::run(&opts).map(|r| r.files).ok()))
    });
    g.finish();
}

criterion_group!(benches, phases);
criterion_main!(benches);
