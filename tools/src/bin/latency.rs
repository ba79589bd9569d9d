//! Save-to-rebuilt latency of `dossier serve`/`watch`, without the debounce window: a
//! [`Session`] builds a dossier once, then each run makes one edit (as a curator's save
//! would) and times `Session::rebuild`, which is what the watcher calls.
//!
//! ```sh
//! cargo run --release -p dossier-tools --bin latency -- [--articles 1000] [--runs 15] [--bundled] [--edit KIND]
//! ```
//! `--edit`: `claim` (the default: the first claim's text), `quote` (the first quote loses its
//! last word, then gets it back), `article` (a sentence added to an article's body, then
//! removed), `insert` (a claim added at the top of claims.yaml, so every other claim moves
//! down, then removed). `--bundled` measures the bundled dossier (content/) instead of a
//! synthetic one. The dossier is copied or generated into a temporary folder (on /dev/shm
//! when it exists), so the repository is never touched. Prints the median and the spread.

use std::path::{Path, PathBuf};
use std::time::Instant;

use dossier::build::{Options, Session};

// The allocator of the `dossier` binary, so that the figures are those of `dossier serve`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use dossier_tools::common::{arg, copy_dir};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let bundled = std::env::args().any(|a| a == "--bundled");
    let articles: usize = arg("--articles")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let runs: usize = arg("--runs").and_then(|v| v.parse().ok()).unwrap_or(15);
    let base = if Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let tmp = tempfile::tempdir_in(base)?;
    let root = tmp.path().join("dossier");
    if bundled {
        copy_dir(
            &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../content"),
            &root.join("content"),
        )?;
    } else {
        std::fs::create_dir_all(&root)?;
        dossier_tools::synth::generate(&root, articles, 10, 3, 1)?;
    }
    // Files modified in the last two seconds are read again on every run (their timestamps
    // cannot yet vouch for them: `files::Seen`); a curator's articles are older than that.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let mut session = Session::new(Options {
        root: root.clone(),
        output: Some(root.join("public")),
        base_url: None,
    });
    let t = Instant::now();
    let first = session
        .rebuild()
        .map_err(|e| format!("the dossier does not build: {e:?}"))?;
    println!(
        "{}: {} claims, {} sources; first build {} ms",
        if bundled {
            "bundled dossier".to_string()
        } else {
            format!("synthetic, {articles} articles")
        },
        first.claims,
        first.sources,
        t.elapsed().as_millis()
    );

    let edit = arg("--edit").unwrap_or_else(|| "claim".to_string());
    let claims_path = root.join("content/claims.yaml");
    let original = std::fs::read_to_string(&claims_path)?;
    let mut articles: Vec<PathBuf> = std::fs::read_dir(root.join("content/articles"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    articles.sort();
    let article_path = articles.first().ok_or("no article")?.clone();
    let article = std::fs::read_to_string(&article_path)?;
    // Each run's save: (file, new text).
    let save = |i: usize| -> Result<(PathBuf, String), Box<dyn std::error::Error>> {
        Ok(match edit.as_str() {
            "claim" => {
                let at = original.find("  claim: \"").ok_or("no claim line")? + "  claim: \"".len();
                let text = format!("{}Edit {i}: {}", &original[..at], &original[at..]);
                (claims_path.clone(), text)
            }
            "quote" => {
                let at = original.find(" text: \"").ok_or("no quote")? + " text: \"".len();
                let end = at + original[at..].find('"').ok_or("unclosed quote")?;
                let cut = at + original[at..end].rfind(' ').ok_or("one-word quote")?;
                let text = if i.is_multiple_of(2) {
                    format!("{}{}", &original[..cut], &original[end..])
                } else {
                    original.clone()
                };
                (claims_path.clone(), text)
            }
            "article" => {
                let text = if i.is_multiple_of(2) {
                    format!("{article}\nA sentence added in edit {i}.\n")
                } else {
                    article.clone()
                };
                (article_path.clone(), text)
            }
            "insert" => {
                let first = original.find("- id: ").ok_or("no claim")?;
                let next =
                    first + 1 + original[first + 1..].find("\n- id: ").ok_or("one claim")? + 1;
                let copy = original[first..next].replacen("- id: ", "- id: inserted-", 1);
                let text = if i.is_multiple_of(2) {
                    format!("{}{copy}{}", &original[..first], &original[first..])
                } else {
                    original.clone()
                };
                (claims_path.clone(), text)
            }
            other => {
                return Err(
                    format!("unknown --edit {other}: claim, quote, article or insert").into(),
                );
            }
        })
    };
    let mut times = Vec::new();
    let mut phases = Vec::new();
    for i in 0..runs {
        let (path, text) = save(i)?;
        std::fs::write(path, text)?;
        let t = Instant::now();
        let r = session
            .rebuild()
            .map_err(|e| format!("rebuild failed: {e:?}"))?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        phases.push(r.timings.clone());
        if i == 0 {
            let w = r.written.clone().unwrap_or_default();
            println!(
                "edit `{edit}`: {} pages rendered, {} files written",
                r.pages, w.written
            );
        }
    }
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let mid = &phases[times.iter().position(|t| *t == median).unwrap_or(0)];
    println!(
        "save-to-rebuilt latency over {runs} edits: median {median:.1} ms (min {:.1}, max {:.1})",
        sorted[0],
        sorted[sorted.len() - 1]
    );
    println!(
        "  median run's phases: load {:.1} ms, check {:.1} ms, model {:.1} ms, render {:.1} ms, write {:.1} ms",
        mid.load.as_secs_f64() * 1000.0,
        mid.check.as_secs_f64() * 1000.0,
        mid.model.as_secs_f64() * 1000.0,
        mid.render.as_secs_f64() * 1000.0,
        mid.write.as_secs_f64() * 1000.0
    );
    std::fs::write(&claims_path, original)?;
    std::fs::write(&article_path, article)?;
    Ok(())
}
