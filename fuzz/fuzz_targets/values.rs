#![no_main]
//! Fuzz target `values`: see `fuzz/common/mod.rs` for the input's meaning and the invariants.

use libfuzzer_sys::fuzz_target;

#[path = "../common/mod.rs"]
mod common;

fuzz_target!(|data: &[u8]| common::value_kinds(data));
