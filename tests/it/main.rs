//! Integration tests: one binary, run against SQLite by default and against PostgreSQL when
//! `HTX_TEST_POSTGRES` names a server (see CONTRIBUTING.md). Each test gets a fresh database.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly at the first thing that is not as expected"
)]

mod support;

mod alliance;
mod alliance_entrances;
mod audit_page;
mod audited;
mod cli;
mod dashboard;
mod evaluation_entrances;
mod evaluation_web;
mod exports;
mod figures;
mod fund;
mod fund_entrances;
mod geography;
mod guarded_steps;
mod import;
mod import_alliance;
mod import_files;
mod import_fuzz;
mod import_limits;
mod import_order;
mod injection;
mod issued;
mod list_plans;
mod plans;
mod prose;
mod provinces;
mod registry;
mod registry_entrances;
mod report;
mod report_evaluation;
mod reporting_groups;
mod web;
mod web_access;
mod web_forms;
mod web_harness;
mod web_login;
