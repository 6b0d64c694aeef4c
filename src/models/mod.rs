//! Serde wire models of every schema in the spec (generated), for Rust users of the crate and
//! for the emulator. The JS package does not decode responses through them: it hands the
//! host's parsed JSON straight back, which is both faster and loses nothing.

mod generated;

pub use generated::*;
