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
pub mod check;
pub mod cmd;
pub mod diag;
pub mod files;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod render;
pub mod serve;
pub mod site;
pub mod theme;
pub mod values;
pub mod watch;
pub mod yaml;
