//! The command line: usage errors (exit status 2), `init`, default paths and quiet mode.

mod common;

use std::ffi::OsStr;

use common::*;

#[test]
fn root_without_content_is_a_usage_error() {
    let f = Fixture::bare();
    for cmd in ["build", "check"] {
        let run = dossier([OsStr::new(cmd), OsStr::new("--root"), f.root().as_os_str()]);
        run.expect_code(2);
        assert_contains(&run.stderr, "no content/ folder");
        assert_contains(&run.stderr, "--root");
        assert_contains(&run.stderr, "dossier init");
        assert_contains(&run.stderr, &f.root().display().to_string());
    }
    assert!(!f.root().join("public").exists(), "nothing was written");
    assert_eq!(
        std::fs::read_dir(f.root()).expect("list").count(),
        0,
        "the folder is left empty"
    );
}

#[test]
fn root_that_does_not_exist_is_a_usage_error() {
    let f = Fixture::bare();
    let missing = f.path("no/such/folder");
    let run = dossier([
        OsStr::new("build"),
        OsStr::new("--root"),
        missing.as_os_str(),
    ]);
    run.expect_code(2);
    assert_contains(&run.stderr, "no content/ folder");
    assert!(!missing.exists(), "nothing was created");
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let f = Fixture::new();
    let run = dossier([
        OsStr::new("build"),
        OsStr::new("--root"),
        f.root().as_os_str(),
        OsStr::new("--frobnicate"),
    ]);
    run.expect_code(2);
    assert_contains(&run.stderr, "--frobnicate");
    assert!(!f.root().join("public").exists(), "nothing was written");
}

#[test]
fn unknown_subcommand_and_missing_subcommand_are_usage_errors() {
    dossier(["publish"]).expect_code(2);
    let none: [&str; 0] = [];
    dossier(none).expect_code(2);
}

#[test]
fn bad_base_url_flag_is_a_usage_error() {
    let f = Fixture::new();
    f.simple_article("alpha", "Alpha", "Some text here.\n");
    f.claims("- id: a\n  claim: \"A\"\n  quotes:\n    - source: alpha\n      text: \"Some text here.\"\n");
    let run = f.build_into(&f.out(), &["--base-url", "javascript:alert(1)"]);
    run.expect_code(2);
    assert_contains(&run.stderr, "--base-url");
    assert!(!f.out().exists(), "nothing was written");
}

#[test]
fn help_and_version() {
    let run = dossier(["--help"]);
    run.expect_code(0);
    for cmd in ["build", "check", "init"] {
        assert_contains(&run.stdout, cmd);
    }
    let run = dossier(["build", "--help"]);
    run.expect_code(0);
    for flag in ["--root", "--output", "--base-url", "--quiet"] {
        assert_contains(&run.stdout, flag);
    }
    let run = dossier(["--version"]);
    run.expect_code(0);
    assert_contains(&run.stdout, env!("CARGO_PKG_VERSION"));
}

#[test]
fn init_creates_a_dossier_that_builds() {
    let f = Fixture::bare();
    let new = f.path("new");
    let run = dossier([OsStr::new("init"), new.as_os_str()]);
    run.expect_code(0);
    assert!(new.join("content/site.yaml").is_file());
    assert!(new.join("content/claims.yaml").is_file());
    assert_contains(&run.stdout, "dossier build --root");

    let check = dossier([OsStr::new("check"), OsStr::new("--root"), new.as_os_str()]);
    check.expect_code(0);
    assert!(
        check.stderr.is_empty(),
        "the new dossier has no warnings:\n{}",
        check.stderr
    );

    // Without --output, build writes ROOT/public.
    let build = dossier([OsStr::new("build"), OsStr::new("--root"), new.as_os_str()]);
    build.expect_code(0);
    let out = new.join("public");
    for page in [
        "index.html",
        "discrepancies/index.html",
        "sources/index.html",
        "404.html",
        "static/style.css",
    ] {
        assert!(out.join(page).is_file(), "public/{page} is written");
    }
    let claims = read_text(&new.join("content/claims.yaml"));
    let ids: Vec<&str> = claims
        .lines()
        .filter_map(|l| l.strip_prefix("- id: "))
        .map(str::trim)
        .collect();
    assert!(!ids.is_empty(), "the new dossier has claims");
    for id in ids {
        assert!(
            out.join(format!("claims/{id}/index.html")).is_file(),
            "claims/{id}/ is written"
        );
    }
    let articles: Vec<String> = std::fs::read_dir(new.join("content/articles"))
        .expect("list articles")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter_map(|n| n.strip_suffix(".md").map(str::to_string))
        .collect();
    assert!(!articles.is_empty(), "the new dossier has articles");
    for id in articles {
        assert!(
            out.join(format!("sources/{id}/index.html")).is_file(),
            "sources/{id}/ is written"
        );
    }
}

#[test]
fn init_refuses_a_folder_with_content() {
    let f = Fixture::new();
    f.claims("# mine\n");
    let run = dossier([OsStr::new("init"), f.root().as_os_str()]);
    run.expect_code(2);
    assert_contains(&run.stderr, "already has a content/ folder");
    assert_eq!(
        read_text(&f.root().join("content/claims.yaml")),
        "# mine\n",
        "existing content is untouched"
    );
    assert_eq!(
        read_text(&f.root().join("content/site.yaml")),
        SITE,
        "existing content is untouched"
    );
    assert!(
        !f.root()
            .join("content/articles/example-gazette.md")
            .exists(),
        "nothing was added"
    );
}

#[test]
fn build_writes_root_public_by_default_and_quiet_prints_nothing() {
    let f = Fixture::new();
    f.simple_article("alpha", "Alpha", "Some text here.\n");
    f.claims("- id: a\n  claim: \"A\"\n  quotes:\n    - source: alpha\n      text: \"Some text here.\"\n");
    let run = dossier([
        OsStr::new("build"),
        OsStr::new("--root"),
        f.root().as_os_str(),
        OsStr::new("-q"),
    ]);
    run.expect_code(0);
    assert!(run.stdout.is_empty(), "-q prints nothing:\n{}", run.stdout);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert!(f.root().join("public/claims/a/index.html").is_file());

    let run = dossier([
        OsStr::new("build"),
        OsStr::new("--root"),
        f.root().as_os_str(),
    ]);
    run.expect_code(0);
    assert_contains(&run.stdout, "0 written");
}

#[test]
fn build_runs_in_the_current_folder_by_default() {
    let f = Fixture::new();
    f.simple_article("alpha", "Alpha", "Some text here.\n");
    f.claims("- id: a\n  claim: \"A\"\n  quotes:\n    - source: alpha\n      text: \"Some text here.\"\n");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("build")
        .current_dir(f.root())
        .output()
        .expect("run dossier");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(f.root().join("public/index.html").is_file());
}

#[test]
fn output_that_is_a_file_is_a_usage_error() {
    let f = Fixture::new();
    f.simple_article("alpha", "Alpha", "Some text here.\n");
    f.claims("- id: a\n  claim: \"A\"\n  quotes:\n    - source: alpha\n      text: \"Some text here.\"\n");
    std::fs::write(f.out(), "not a folder").expect("write a file");
    let run = f.build();
    run.expect_code(2);
    assert_eq!(read_text(&f.out()), "not a folder", "the file is untouched");
}

#[test]
fn summaries_count_in_the_singular_for_one() {
    let f = Fixture::new();
    f.simple_article("gazette", "The Gazette", "The bridge reopened after eight months.")
        .claims(
            "- id: bridge-reopened\n  claim: \"The bridge reopened.\"\n  quotes:\n    - source: gazette\n      text: \"The bridge reopened\"\n",
        );
    let check = f.check();
    check.expect_code(0);
    assert_contains(
        &check.stdout,
        "checked 1 claim (0 disputed) from 1 source: 1 quote found",
    );
    let build = f.build();
    build.expect_code(0);
    assert_contains(
        &build.stdout,
        "built 1 claim (0 disputed) from 1 source, 1 quote, into",
    );
}
