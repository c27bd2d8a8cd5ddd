//! Integration tests: one binary, run against SQLite by default and against PostgreSQL when
//! `HTX_TEST_POSTGRES` names a server (see CONTRIBUTING.md). Each test gets a fresh database.

mod support;

mod alliance;
mod cli;
mod fund;
mod fund_entrances;
mod geography;
mod import;
mod import_alliance;
mod import_files;
mod import_limits;
mod injection;
mod issued;
mod plans;
mod registry;
mod report;
mod web;
mod web_access;
mod web_harness;
mod web_login;
