//! Scale figures for the work that must stay linear in the size of the dossier: reporting many
//! errors, grouping many conflicting values, and refusing deeply nested YAML. Not a test (no
//! timing is asserted anywhere): it writes the dossiers, times `dossier check` on each in
//! process, and prints the figures that docs/notes/linear-reliability.md records.
//!
//! ```sh
//! cargo run --release -p dossier-tools --bin linear -- errors 20000   # 20,000 broken quotes, and the clean file
//! cargo run --release -p dossier-tools --bin linear -- values 400     # one claim, 400 distinct values
//! cargo run --release -p dossier-tools --bin linear -- nesting 80000  # claims.yaml of 80 KB of `[`
//! cargo run --release -p dossier-tools --bin linear -- errors 20000 --keep /tmp/lin   # keep the dossiers
//! ```
//! With `--keep DIR` the dossiers are left in DIR (`DIR/clean`, `DIR/errors`, `DIR/values`,
//! `DIR/nesting`), so another build of dossier (an older one, say) can be timed on the very
//! same input: `time dossier check --root DIR/errors`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dossier::build::{self, Failure, Options};

// The allocator of the `dossier` binary, so that the figures are those of `dossier check`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Paragraphs per article: each claim quotes one paragraph.
const PARAGRAPHS: usize = 100;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: linear (errors|values|nesting) N [--keep DIR]";
    let (Some(what), Some(n)) = (args.first(), args.get(1).and_then(|n| n.parse().ok())) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let keep = args
        .iter()
        .position(|a| a == "--keep")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let base = keep.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    match what.as_str() {
        "errors" => {
            let clean = base.join("clean");
            let broken = base.join("errors");
            write_quotes(&clean, n, false);
            write_quotes(&broken, n, true);
            let (t_clean, out_clean) = time_check(&clean);
            let (t_broken, out_broken) = time_check(&broken);
            println!("clean check of {n} claims: {}", out_clean);
            println!("  {} ms", t_clean.as_millis());
            println!("check of {n} claims with a broken quote each: {out_broken}");
            println!(
                "  {} ms ({:.1} times the clean check)",
                t_broken.as_millis(),
                t_broken.as_secs_f64() / t_clean.as_secs_f64().max(1e-9)
            );
        }
        "values" => {
            let dir = base.join("values");
            write_values(&dir, n);
            let (t, out) = time_check(&dir);
            println!("one claim with {n} distinct values: {out}");
            println!("  check {} ms", t.as_millis());
            let out_dir = base.join("values-public");
            let t0 = Instant::now();
            let r = build::run(&Options {
                root: dir.clone(),
                output: Some(out_dir.clone()),
                base_url: None,
            });
            let t = t0.elapsed();
            let page = std::fs::metadata(out_dir.join("discrepancies/index.html"))
                .map(|m| m.len())
                .unwrap_or(0);
            println!(
                "  build {} ms ({}); discrepancies page {} bytes",
                t.as_millis(),
                if r.is_ok() { "ok" } else { "failed" },
                page
            );
        }
        "nesting" => {
            let dir = base.join("nesting");
            write_nesting(&dir, n);
            let (t, out) = time_check(&dir);
            println!("claims.yaml of {n} bytes of unclosed `[`: {out}");
            println!("  {} ms", t.as_millis());
        }
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    }
    if let Some(k) = keep {
        println!("dossiers kept in {}", k.display());
    }
}

/// Checks the dossier at `root` and renders what it reports (as `dossier check` prints it):
/// the time of both, and a summary.
fn time_check(root: &Path) -> (Duration, String) {
    let t0 = Instant::now();
    let r = build::run(&Options {
        root: root.to_path_buf(),
        output: None,
        base_url: None,
    });
    let summary = match r {
        Ok(r) => format!("ok, {} claims, {} disputed", r.claims, r.disputed),
        Err(Failure::Content {
            diagnostics,
            sources,
        }) => {
            let text = dossier::diag::render(&diagnostics, &sources, false);
            format!(
                "{} diagnostics, {} bytes of report",
                diagnostics.len(),
                text.len()
            )
        }
        Err(Failure::Usage(m)) => format!("usage error: {m}"),
    };
    (t0.elapsed(), summary)
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("a parent")).expect("create the folder");
    std::fs::write(&p, text).expect("write the file");
}

fn site(root: &Path) {
    write(root, "content/site.yaml", "title: \"Scale\"\n");
}

/// Paragraph `k` of article `a`: distinct words, so each quote matches one place.
fn paragraph(a: usize, k: usize) -> String {
    format!(
        "Report {a} paragraph {k}: officials counted {} people near the river.",
        a * 1000 + k
    )
}

/// `n` claims, one quote each, over `n / PARAGRAPHS` articles; `broken` changes one word of
/// every quote (so each is "not found", with a closest passage and a word diff).
fn write_quotes(root: &Path, n: usize, broken: bool) {
    site(root);
    let articles = n.div_ceil(PARAGRAPHS).max(1);
    for a in 0..articles {
        let mut body = String::new();
        for k in 0..PARAGRAPHS {
            body.push_str(&paragraph(a, k));
            body.push_str("\n\n");
        }
        write(
            root,
            &format!("content/articles/r{a}.md"),
            &format!("---\ntitle: \"Report {a}\"\noutlet: \"Outlet {a}\"\n---\n{body}"),
        );
    }
    let mut yaml = String::with_capacity(n * 120);
    for i in 0..n {
        let (a, k) = (i / PARAGRAPHS, i % PARAGRAPHS);
        let mut text = paragraph(a, k);
        if broken {
            text = text.replace("officials", "observers");
        }
        let _ = write!(
            yaml,
            "- id: c{i}\n  claim: \"Claim {i}.\"\n  quotes:\n    - source: r{a}\n      text: \"{text}\"\n"
        );
    }
    write(root, "content/claims.yaml", &yaml);
}

/// One claim with `n` quotes, each stating its own figure (no two compatible), over
/// `n / PARAGRAPHS` articles.
fn write_values(root: &Path, n: usize) {
    site(root);
    let articles = n.div_ceil(PARAGRAPHS).max(1);
    for a in 0..articles {
        let mut body = String::new();
        for k in 0..PARAGRAPHS {
            body.push_str(&paragraph(a, k));
            body.push_str("\n\n");
        }
        write(
            root,
            &format!("content/articles/r{a}.md"),
            &format!("---\ntitle: \"Report {a}\"\noutlet: \"Outlet {a}\"\n---\n{body}"),
        );
    }
    let mut yaml = String::from(
        "- id: counted\n  claim: \"People were counted.\"\n  value: {kind: quantity}\n  quotes:\n",
    );
    for i in 0..n {
        let (a, k) = (i / PARAGRAPHS, i % PARAGRAPHS);
        let _ = write!(
            yaml,
            "    - source: r{a}\n      text: \"{}\"\n      value: \"{}\"\n",
            paragraph(a, k),
            a * 1000 + k
        );
    }
    write(root, "content/claims.yaml", &yaml);
}

/// A claims.yaml of `n` bytes: one claim whose note opens `[` and never closes one.
fn write_nesting(root: &Path, n: usize) {
    site(root);
    write(
        root,
        "content/articles/r0.md",
        "---\ntitle: \"Report\"\noutlet: \"Outlet\"\n---\nText.\n",
    );
    let head = "- id: deep\n  claim: \"Deep.\"\n  note: ";
    let yaml = format!("{head}{}\n", "[".repeat(n.saturating_sub(head.len() + 1)));
    write(root, "content/claims.yaml", &yaml);
}
