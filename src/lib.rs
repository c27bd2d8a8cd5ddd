//! htx: the registry, support fund and reports of a Vietnamese provincial Cooperative
//! Alliance. See ARCHITECTURE.md for the layers: `domain` (pure rules and figures),
//! `store` (SQL), `import` (spreadsheets in), `report` (documents out), `cli`.
#![forbid(unsafe_code)]

pub mod app;
pub mod cli;
pub mod demo;
pub mod domain;
pub mod error;
pub mod import;
pub mod report;
pub mod store;
pub mod sync;
pub mod web;

pub use error::{Error, Result};
