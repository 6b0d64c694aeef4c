//! Genesys Cloud Journey API client core: request planning, validation, retry policy and error
//! mapping in plain Rust (tested on the host), with a thin wasm-only transport and JS binding.
//!
//! A call flows one way: JS arguments → [`request::plan`] (validate, build the URL) →
//! `transport` (fetch, timeout, abort, [`retry`]) → the host's `JSON.parse(response.text())` → JS value,
//! or an [`error::Error`] mapped to a JS error class.
#![deny(missing_docs)]

pub mod auth;
pub mod error;
pub mod models;
pub mod operations;
pub mod request;
pub mod retry;
pub mod schema;
pub mod url;
pub mod validate;
pub mod value;

#[cfg(target_arch = "wasm32")]
pub mod bindings;
#[cfg(target_arch = "wasm32")]
mod transport;
