//! dossier-tools: the benchmark and measurement tooling around dossier, not part of the shipped
//! product. [`synth`] writes synthetic dossiers of any size; the binaries in `src/bin/` time
//! builds, live-preview latency, the floors set by the libraries and the file system, and load
//! on the preview server; `benches/phases.rs` times the pipeline phase by phase (criterion).
//!
//! A workspace member of its own so that editing a tool does not change the product's source
//! hash (build.rs of `dossier` hashes only the product) and `cargo test` at the root does not
//! build it.

pub mod common;
pub mod synth;
