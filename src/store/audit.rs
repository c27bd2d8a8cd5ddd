//! The append-only audit log: every write records who, when, what, before and after.

use crate::domain::now_iso;
use crate::error::Result;
use crate::store::Store;
use serde::Serialize;
use sqlx::{Any, Row, Transaction};

/// Appends one entry inside the caller's transaction.
pub async fn record(
    tx: &mut Transaction<'_, Any>,
    author: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, author, action, entity, entity_id, before, after)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(now_iso())
    .bind(author)
    .bind(action)
    .bind(entity)
    .bind(entity_id)
    .bind(before)
    .bind(after)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One audit entry.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub author: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Filters of the audit log; `None` means any.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub author: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// ISO dates, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: i64,
    /// Entries to skip (paging).
    pub offset: i64,
}

impl Store {
    /// The latest audit entries, newest first, optionally for one entity.
    pub async fn audit_entries(
        &self,
        entity: Option<(&str, &str)>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        self.audit_search(&AuditFilter {
            entity: entity.map(|(e, _)| e.to_string()),
            entity_id: entity.map(|(_, id)| id.to_string()),
            limit,
            ..AuditFilter::default()
        })
        .await
    }

    /// Audit entries matching a filter, newest first. The author matches as a substring.
    pub async fn audit_search(&self, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT id, at, author, action, entity, entity_id, before, after FROM audit_log
             WHERE ($1 = '' OR author LIKE $1) AND ($2 = '' OR entity = $2)
               AND ($3 = '' OR entity_id = $3) AND ($4 = '' OR at >= $4) AND ($5 = '' OR at < $5)
             ORDER BY id DESC LIMIT $6 OFFSET $7",
        )
        .bind(
            f.author
                .as_deref()
                .map(|a| format!("%{a}%"))
                .unwrap_or_default(),
        )
        .bind(f.entity.clone().unwrap_or_default())
        .bind(f.entity_id.clone().unwrap_or_default())
        .bind(f.from.clone().unwrap_or_default())
        // The day after `to`, so that the whole of that day is included.
        .bind(
            f.to.as_deref()
                .and_then(|d| crate::domain::parse_date(d).ok())
                .and_then(|d| d.next_day())
                .map(|d| d.to_string())
                .unwrap_or_default(),
        )
        .bind(if f.limit <= 0 { 200 } else { f.limit })
        .bind(f.offset.max(0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get(0)?,
                    at: r.try_get(1)?,
                    author: r.try_get(2)?,
                    action: r.try_get(3)?,
                    entity: r.try_get(4)?,
                    entity_id: r.try_get(5)?,
                    before: r.try_get(6)?,
                    after: r.try_get(7)?,
                })
            })
            .collect()
    }
}
