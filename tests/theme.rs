//! Themes: the built-in default theme, overridden file by file by a dossier's themes/<name>/.

mod common;

use common::*;

fn small() -> Fixture {
    let f = Fixture::new();
    f.simple_article("alpha", "Alpha News", "Some text here.\n");
    f.claims("- id: a\n  claim: \"A\"\n  quotes:\n    - source: alpha\n      text: \"Some text here.\"\n");
    f
}

#[test]
fn a_dossier_without_themes_uses_the_built_in_theme() {
    let f = small();
    f.build().expect_code(0);
    let css = std::fs::read(f.out().join("static/style.css")).expect("the stylesheet");
    let repo_css = std::fs::read(repo_root().join("themes/default/static/style.css"))
        .expect("the repo's stylesheet");
    assert_eq!(
        css, repo_css,
        "the built-in stylesheet is the repository's default theme"
    );
    assert_contains(
        &f.page("claims/a/index.html"),
        "<mark>Some text here.</mark>",
    );
}

#[test]
fn theme_files_override_the_built_in_ones_file_by_file() {
    let f = small();
    f.write(
        "themes/default/templates/404.html",
        "<!DOCTYPE html>\n<title>Lost</title>\n<a href=\"{{ site.base_url }}\">Custom home</a>\n",
    );
    f.write("themes/default/static/extra.txt", "extra");
    f.write("themes/default/static/style.css", "body { color: red }\n");
    f.build().expect_code(0);
    assert_eq!(
        f.page("404.html"),
        "<!DOCTYPE html>\n<title>Lost</title>\n<a href=\"/\">Custom home</a>\n"
    );
    assert_eq!(f.page("static/extra.txt"), "extra");
    assert_eq!(f.page("static/style.css"), "body { color: red }\n");
    assert!(
        f.out().join("static/favicon.svg").is_file(),
        "files not overridden come from the built-in theme"
    );
    assert_contains(
        &f.page("claims/a/index.html"),
        "<mark>Some text here.</mark>",
    );
}

#[test]
fn a_named_theme_is_used() {
    let f = small();
    f.write("content/site.yaml", "title: \"T\"\ntheme: plain\n");
    f.write(
        "themes/plain/templates/404.html",
        "plain 404 {{ site.title }}\n",
    );
    f.build().expect_code(0);
    assert_eq!(f.page("404.html"), "plain 404 T\n");
}

#[test]
fn a_broken_template_is_a_content_error_and_nothing_is_written() {
    let f = small();
    f.build().expect_code(0);
    let before = read_tree(&f.out());
    f.write("themes/default/templates/topic.html", "{% if %}\n");
    let run = f.build();
    run.expect_code(1);
    assert_contains(&run.stderr, "template error");
    assert_contains(&run.stderr, "topic.html");
    assert_contains(&run.stderr, "nothing was written");
    assert_same_tree(
        &before,
        &read_tree(&f.out()),
        "the output after a template error",
    );
}
