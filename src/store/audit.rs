//! The append-only audit log: every write records who, when, what, before and after.

use crate::domain::now_iso;
use crate::error::Result;
use crate::store::Store;
use serde::Serialize;
use sqlx::{Any, AssertSqlSafe, Row, Transaction};

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

impl Store {
    /// The latest audit entries, newest first, optionally for one entity.
    pub async fn audit_entries(
        &self,
        entity: Option<(&str, &str)>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        const COLUMNS: &str =
            "SELECT id, at, author, action, entity, entity_id, before, after FROM audit_log";
        let rows = match entity {
            Some((e, id)) => {
                sqlx::query(AssertSqlSafe(format!(
                    "{COLUMNS} WHERE entity = $1 AND entity_id = $2 ORDER BY id DESC LIMIT $3"
                )))
                .bind(e)
                .bind(id)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(AssertSqlSafe(format!(
                    "{COLUMNS} ORDER BY id DESC LIMIT $1"
                )))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
        };
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
