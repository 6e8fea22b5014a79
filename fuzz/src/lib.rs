//! Fuzz targets for huashu. The invariants live in [`checks`], which `tests/fuzz_replay.rs`
//! of the main crate also includes, so the same code runs under `cargo test` on stable.

pub mod checks;
