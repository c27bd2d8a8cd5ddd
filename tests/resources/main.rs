//! Resource tests: `htx serve` as a real process on 127.0.0.1 under floods and hostile
//! uploads, measured from outside (memory from /proc, health-check latency). A binary of its
//! own so that nothing else runs beside it, and its tests one at a time (`one_at_a_time`):
//! what they measure is the server, not the other tests sharing the two cores. They run on
//! SQLite only (the paths they load do not depend on the database), in the first pass of
//! `.ci/run`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test fails loudly at the first thing that is not as expected"
)]

// Shared with the integration tests; not every helper is used here.
#[allow(dead_code)]
#[path = "../it/import_files.rs"]
mod import_files;
#[allow(dead_code)]
#[path = "../it/support.rs"]
mod support;

mod imports;
mod login_flood;

/// Held by each test for its whole run (an async lock: the tests run on runtimes of their
/// own and hold it across awaits).
pub async fn one_at_a_time() -> tokio::sync::MutexGuard<'static, ()> {
    static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    SERIAL.lock().await
}
