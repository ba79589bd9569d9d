//! dossier: a static site generator for source dossiers.
//!
//! A curator collects articles about one event and writes claims, each backed by verbatim
//! quotes. dossier checks every quote against its source and builds a static site: a page per
//! claim with the sources side by side, a page per article with every quoted passage
//! highlighted, and a page of the places where the sources disagree.
//!
//! The pipeline runs one way ([`build::run`]):
//! [`load`] (content/ -> [`model`]) -> [`check`] (quotes anchored, values compared) ->
//! [`site`] (pages and their data) -> [`render`] (Tera) -> [`output`] (only changed files,
//! atomically). The command-line drivers in `cmd` are thin layers over it.

pub mod anchor;
pub mod build;
pub(crate) mod chart;
pub mod check;
pub mod cmd;
pub mod data;
pub mod diag;
pub(crate) mod files;
pub mod load;
pub(crate) mod markdown;
pub mod model;
pub(crate) mod notes;
pub mod origins;
pub mod output;
pub mod recognise;
pub mod render;
pub(crate) mod revisions;
pub mod serve;
pub mod site;
pub mod stances;
pub mod theme;
pub mod values;
pub(crate) mod watch;
pub(crate) mod yaml;

#[cfg(test)]
mod source_hash {
    //! What `DOSSIER_SOURCE_HASH` (build.rs) covers: the product's own files and the locked
    //! packages it resolves to, and nothing of the tools, tests or fuzz targets around it.

    const INPUTS: &str = include_str!(concat!(env!("OUT_DIR"), "/source-inputs.txt"));

    #[test]
    fn covers_the_product_and_nothing_around_it() {
        let inputs: Vec<&str> = INPUTS.lines().collect();
        for must in [
            "src/lib.rs",
            "src/main.rs",
            "Cargo.toml",
            "build.rs",
            "themes/default/templates/base.html",
        ] {
            assert!(inputs.contains(&must), "{must} is not hashed: {inputs:?}");
        }
        for dir in ["tools/", "tests/", "fuzz/", "content/", "docs/", "public/"] {
            assert!(
                !inputs.iter().any(|i| i.starts_with(dir)),
                "{dir} is hashed: {inputs:?}"
            );
        }
        // Cargo.lock by entry: the product's dependencies (direct and transitive), not the
        // tools' (criterion is a dependency of dossier-tools only).
        let locked = |name: &str| {
            inputs.iter().any(|i| {
                i.strip_prefix("Cargo.lock: ")
                    .and_then(|l| l.split(' ').next())
                    == Some(name)
            })
        };
        assert!(
            !inputs.contains(&"Cargo.lock"),
            "all of Cargo.lock is hashed"
        );
        for name in ["dossier", "tera", "blake3", "serde_yaml", "memchr", "hyper"] {
            assert!(locked(name), "{name} is not hashed: {inputs:?}");
        }
        for name in ["dossier-tools", "criterion"] {
            assert!(!locked(name), "{name} is hashed: {inputs:?}");
        }
    }
}
