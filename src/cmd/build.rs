//! `dossier build` and `dossier check`.

use std::io::IsTerminal;
use std::process::ExitCode;

use super::{BuildArgs, CommonArgs, plural, report_failure};
use crate::build::{self, Options, Report};
use crate::diag;

pub fn build(a: &BuildArgs) -> ExitCode {
    let output = a
        .output
        .clone()
        .unwrap_or_else(|| build::default_output(&a.common.root));
    let opts = Options {
        root: a.common.root.clone(),
        output: Some(output.clone()),
        base_url: a.common.base_url.clone(),
    };
    let mut session = build::Session::one_shot(opts);
    let result = if a.force {
        session.rebuild()
    } else {
        session.rebuild_unless_unchanged()
    };
    match result {
        Ok(r) => {
            print_warnings(&r);
            if a.common.timings {
                print_timings(&r);
            }
            if r.up_to_date && !a.common.quiet {
                println!(
                    "{} is up to date with the content ({} claim{}, {} disputed, from {} source{}): {} files, 0 written, {} unchanged, 0 removed, checked in {} ms (--force rebuilds anyway)",
                    output.display(),
                    r.claims,
                    plural(r.claims),
                    r.disputed,
                    r.sources,
                    plural(r.sources),
                    r.files,
                    r.files,
                    r.timings.total.as_millis()
                );
            } else if !a.common.quiet {
                let w = r.written.clone().unwrap_or_default();
                println!(
                    "built {} claim{} ({} disputed) from {} source{}, {} quote{}, into {}: {} files, {} written, {} unchanged, {} removed, in {} ms",
                    r.claims,
                    plural(r.claims),
                    r.disputed,
                    r.sources,
                    plural(r.sources),
                    r.quotes,
                    plural(r.quotes),
                    output.display(),
                    r.files,
                    w.written,
                    w.unchanged,
                    w.removed,
                    r.timings.total.as_millis()
                );
            }
            ExitCode::SUCCESS
        }
        Err(f) => report_failure(&f),
    }
}

pub fn check(a: &CommonArgs) -> ExitCode {
    let opts = Options {
        root: a.root.clone(),
        output: None,
        base_url: a.base_url.clone(),
    };
    match build::run(&opts) {
        Ok(r) => {
            print_warnings(&r);
            if a.timings {
                print_timings(&r);
            }
            if !a.quiet {
                println!(
                    "checked {} claim{} ({} disputed) from {} source{}: {} quote{} found, {} warning{}, in {} ms",
                    r.claims,
                    plural(r.claims),
                    r.disputed,
                    r.sources,
                    plural(r.sources),
                    r.quotes,
                    plural(r.quotes),
                    r.warnings.len(),
                    plural(r.warnings.len()),
                    r.timings.total.as_millis()
                );
            }
            ExitCode::SUCCESS
        }
        Err(f) => report_failure(&f),
    }
}

fn print_timings(r: &Report) {
    let t = &r.timings;
    println!(
        "timings: load {} ms, check {} ms, model {} ms, render {} ms, write {} ms, total {} ms",
        t.load.as_millis(),
        t.check.as_millis(),
        t.model.as_millis(),
        t.render.as_millis(),
        t.write.as_millis(),
        t.total.as_millis()
    );
}

fn print_warnings(r: &Report) {
    if !r.warnings.is_empty() {
        let color = std::io::stderr().is_terminal();
        eprint!("{}", diag::render(&r.warnings, &r.sources_text, color));
    }
}
