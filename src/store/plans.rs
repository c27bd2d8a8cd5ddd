//! Plans and their targets.

use crate::domain::now_iso;
use crate::domain::plans::Indicator;
use crate::error::{Error, Result};
use crate::store::{Store, audit};
use serde::Serialize;
use sqlx::{Any, AnyConnection, Transaction};

/// A plan of one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// Period code: "2022", "2022-H1", "2022-Q3".
    pub period: String,
    pub title: String,
    /// The approving document ("KH số 12/KH-LMHTX ngày 10/01/2022").
    pub reference: String,
    pub targets: Vec<(Indicator, i64)>,
}

/// The plan of a period, read through the given connection (the pool's, or a transaction's
/// so that a write sees its own before-image).
async fn read_plan(conn: &mut AnyConnection, period: &str) -> Result<Option<Plan>> {
    let head: Option<(String, String)> =
        sqlx::query_as("SELECT title, reference FROM plan WHERE period = $1")
            .bind(period)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((title, reference)) = head else {
        return Ok(None);
    };
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT indicator, value FROM plan_target WHERE period = $1 ORDER BY indicator",
    )
    .bind(period)
    .fetch_all(&mut *conn)
    .await?;
    let mut targets = rows
        .into_iter()
        .map(|(code, value)| {
            Indicator::from_code(&code)
                .map(|i| (i, value))
                .ok_or_else(|| Error::invalid("plan_target.indicator", code))
        })
        .collect::<Result<Vec<_>>>()?;
    targets.sort_by_key(|(i, _)| *i);
    Ok(Some(Plan {
        period: period.to_string(),
        title,
        reference,
        targets,
    }))
}

impl Store {
    /// Records a plan, replacing its targets (audited, in one transaction).
    pub async fn set_plan(&self, plan: &Plan, author: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        self.set_plan_in(&mut tx, plan, author).await?;
        tx.commit().await?;
        Ok(())
    }

    /// [`Store::set_plan`] inside the caller's transaction (with its audit entry).
    pub async fn set_plan_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        plan: &Plan,
        author: &str,
    ) -> Result<()> {
        let before = read_plan(tx, &plan.period).await?;
        sqlx::query(
            "INSERT INTO plan (period, title, reference, recorded_at, author) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (period) DO UPDATE SET title = excluded.title, reference = excluded.reference,
                recorded_at = excluded.recorded_at, author = excluded.author",
        )
        .bind(&plan.period)
        .bind(&plan.title)
        .bind(&plan.reference)
        .bind(now_iso())
        .bind(author)
        .execute(&mut **tx)
        .await?;
        sqlx::query("DELETE FROM plan_target WHERE period = $1")
            .bind(&plan.period)
            .execute(&mut **tx)
            .await?;
        for (indicator, value) in &plan.targets {
            sqlx::query("INSERT INTO plan_target (period, indicator, value) VALUES ($1, $2, $3)")
                .bind(&plan.period)
                .bind(indicator.code())
                .bind(*value)
                .execute(&mut **tx)
                .await?;
        }
        audit::record(
            tx,
            author,
            if before.is_some() { "update" } else { "create" },
            "plan",
            &plan.period,
            before
                .map(|b| serde_json::to_string(&b).unwrap_or_default())
                .as_deref(),
            Some(&serde_json::to_string(plan).unwrap_or_default()),
        )
        .await?;
        Ok(())
    }

    /// Writes checked plans inside the caller's transaction, each with the audit entry the
    /// CLI would record.
    pub async fn apply_plans_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        plans: &[Plan],
        author: &str,
    ) -> Result<()> {
        for p in plans {
            self.set_plan_in(tx, p, author).await?;
        }
        Ok(())
    }

    /// The plan of a period, if one was recorded.
    pub async fn plan(&self, period: &str) -> Result<Option<Plan>> {
        let mut conn = self.pool.acquire().await?;
        read_plan(&mut conn, period).await
    }
}
