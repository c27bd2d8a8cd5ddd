//! Spreadsheets in: .xlsx and .csv files of organisations, events and yearly figures,
//! checked row by row and written all or nothing.

pub mod columns;
pub mod registry;
pub mod sheet;
pub mod template;

use crate::error::Result;
use crate::store::Store;
use crate::store::registry::BatchOutcome;
use std::path::Path;
use time::Date;

/// The result of an import or a dry run.
#[derive(Debug)]
pub struct ImportReport {
    pub plan: registry::Plan,
    /// What was written (None for a dry run or when there were errors).
    pub written: Option<BatchOutcome>,
}

/// Imports a file. With `dry_run`, or when any row is bad, nothing is written.
pub async fn import_file(
    store: &Store,
    path: &Path,
    author: &str,
    today: Date,
    dry_run: bool,
) -> Result<ImportReport> {
    let started = std::time::Instant::now();
    let sheets = sheet::read(path)?;
    tracing::debug!(elapsed = ?started.elapsed(), "read");
    let plan = registry::plan(store, &sheets, today).await?;
    tracing::debug!(elapsed = ?started.elapsed(), errors = plan.errors.len(), "checked");
    if dry_run || !plan.errors.is_empty() {
        return Ok(ImportReport {
            plan,
            written: None,
        });
    }
    let written = if plan.batch.organisations.is_empty()
        && plan.batch.events.is_empty()
        && plan.batch.figures.is_empty()
    {
        BatchOutcome::default()
    } else {
        store
            .apply_batch(&plan.batch, author, &format!("import {}", path.display()))
            .await?
    };
    tracing::debug!(elapsed = ?started.elapsed(), "written");
    Ok(ImportReport {
        plan,
        written: Some(written),
    })
}
