//! Local emulator of the Genesys Cloud Journey API subset described by shared/spec/journey-openapi.json.
pub mod aggregates;
pub mod app;
pub mod error;
pub mod seed;
pub mod server;
pub mod store;
pub mod validate;
