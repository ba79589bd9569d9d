//! The write floor: how long it takes just to write a site's files into an empty folder, with
//! plain `std::fs::write`, when they are already in memory. A full `dossier build` cannot be
//! faster than this; bench/run.sh compares the two.
//!
//! ```text
//! cargo run --release -p dossier-tools --bin writefloor -- SITE_DIR OUT_PARENT [RUNS]
//! ```
//!
//! Reads every file under SITE_DIR (a built site) into memory, then RUNS times (5 by default)
//! writes them all into a new folder under OUT_PARENT (one thread, `create_dir_all` for each new
//! folder, then `fs::write` for each file), timing only the writing, then removes the folder
//! and runs `sync` (untimed). Prints the median and every run in milliseconds.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

fn collect(dir: &Path, rel: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) -> std::io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir.join(rel))?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let r = rel.join(e.file_name());
        if e.file_type()?.is_dir() {
            collect(dir, &r, out)?;
        } else {
            let bytes = fs::read(dir.join(&r))?;
            out.push((r, bytes));
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: writefloor SITE_DIR OUT_PARENT [RUNS]");
        return ExitCode::from(2);
    }
    let site = PathBuf::from(&args[0]);
    let parent = PathBuf::from(&args[1]);
    let runs: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    let mut files = Vec::new();
    if let Err(e) = collect(&site, Path::new(""), &mut files) {
        eprintln!("writefloor: cannot read {}: {e}", site.display());
        return ExitCode::FAILURE;
    }
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let mut times = Vec::with_capacity(runs);
    for run in 0..runs {
        let out = parent.join(format!("writefloor-{}-{run}", std::process::id()));
        if out.exists() {
            let _ = fs::remove_dir_all(&out);
        }
        let start = Instant::now();
        let mut last_dir: Option<PathBuf> = None;
        for (rel, b) in &files {
            let path = out.join(rel);
            let dir = path.parent().map(Path::to_path_buf);
            if dir != last_dir {
                if let Some(d) = &dir
                    && let Err(e) = fs::create_dir_all(d)
                {
                    eprintln!("writefloor: cannot create {}: {e}", d.display());
                    return ExitCode::FAILURE;
                }
                last_dir = dir;
            }
            if let Err(e) = fs::write(&path, b) {
                eprintln!("writefloor: cannot write {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        }
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        let _ = fs::remove_dir_all(&out);
        // Flush what writing and removing left in the page cache before the next run, so that
        // on disk one run's writeback does not slow the next (untimed).
        let _ = std::process::Command::new("sync").status();
    }
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let all: Vec<String> = times.iter().map(|t| format!("{t:.0}")).collect();
    println!(
        "median {median:.0} ms; {} files, {:.1} MB; runs: {} ms",
        files.len(),
        bytes as f64 / 1e6,
        all.join(", ")
    );
    ExitCode::SUCCESS
}
