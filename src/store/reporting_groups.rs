//! The reporting groups a deployment defines over its fields.

use super::{Store, audit};
use crate::domain::sector::ReportingGroup;
use crate::error::{Error, Result};
use sqlx::{Any, Row, Transaction};

impl Store {
    /// The reporting groups with their fields (in no particular order: the taxonomy orders
    /// them).
    pub async fn reporting_groups(&self) -> Result<Vec<ReportingGroup>> {
        let rows = sqlx::query(
            "SELECT g.code, g.name_vi, g.name_en, f.sector_code
             FROM reporting_group g LEFT JOIN reporting_group_field f ON f.group_code = g.code
             ORDER BY g.code, f.sector_code",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut groups: Vec<ReportingGroup> = Vec::new();
        for r in &rows {
            let code: String = r.try_get(0)?;
            if groups.last().is_none_or(|g| g.code != code) {
                groups.push(ReportingGroup {
                    code,
                    name_vi: r.try_get(1)?,
                    name_en: r.try_get(2)?,
                    fields: Vec::new(),
                });
            }
            if let Some(field) = r.try_get::<Option<String>, _>(3)?
                && let Some(g) = groups.last_mut()
            {
                g.fields.push(field);
            }
        }
        Ok(groups)
    }

    /// Writes a reporting group, replacing the one of the same code (its name and fields).
    /// The caller has checked that none of its fields is in another group.
    pub async fn save_reporting_group(&self, group: &ReportingGroup, author: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        self.save_reporting_group_in(&mut tx, group, author).await?;
        tx.commit().await?;
        Ok(())
    }

    /// [`Store::save_reporting_group`] inside a caller's transaction (an import's).
    pub async fn save_reporting_group_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        group: &ReportingGroup,
        author: &str,
    ) -> Result<()> {
        let before = self.reporting_group_in(tx, &group.code).await?;
        if before.as_ref().is_some_and(|b| b.same_as(group)) {
            return Ok(());
        }
        self.delete_reporting_group_in(tx, &group.code).await?;
        sqlx::query("INSERT INTO reporting_group (code, name_vi, name_en) VALUES ($1, $2, $3)")
            .bind(&group.code)
            .bind(&group.name_vi)
            .bind(&group.name_en)
            .execute(&mut **tx)
            .await?;
        for field in &group.fields {
            sqlx::query(
                "INSERT INTO reporting_group_field (sector_code, group_code) VALUES ($1, $2)",
            )
            .bind(field)
            .bind(&group.code)
            .execute(&mut **tx)
            .await
            .map_err(|e| match e {
                // Another write put the field in a group since the check.
                sqlx::Error::Database(d) if d.is_unique_violation() => Error::Conflict(format!(
                    "lĩnh vực {field} vừa được đưa vào nhóm khác; tải lại và thử lại"
                )),
                other => other.into(),
            })?;
        }
        let json = |g: &ReportingGroup| serde_json::to_string(g).unwrap_or_default();
        audit::record(
            tx,
            author,
            if before.is_some() { "update" } else { "create" },
            "reporting_group",
            &group.code,
            before.as_ref().map(json).as_deref(),
            Some(&json(group)),
        )
        .await
    }

    /// One reporting group as the transaction sees it.
    async fn reporting_group_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        code: &str,
    ) -> Result<Option<ReportingGroup>> {
        let Some(row) = sqlx::query("SELECT name_vi, name_en FROM reporting_group WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut **tx)
            .await?
        else {
            return Ok(None);
        };
        let mut fields: Vec<String> = sqlx::query_scalar(
            "SELECT sector_code FROM reporting_group_field WHERE group_code = $1
             ORDER BY sector_code",
        )
        .bind(code)
        .fetch_all(&mut **tx)
        .await?;
        fields.sort();
        Ok(Some(ReportingGroup {
            code: code.to_string(),
            name_vi: row.try_get(0)?,
            name_en: row.try_get(1)?,
            fields,
        }))
    }

    async fn delete_reporting_group_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        code: &str,
    ) -> Result<()> {
        sqlx::query("DELETE FROM reporting_group_field WHERE group_code = $1")
            .bind(code)
            .execute(&mut **tx)
            .await?;
        sqlx::query("DELETE FROM reporting_group WHERE code = $1")
            .bind(code)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Removes a reporting group (its fields are then reported alone).
    pub async fn remove_reporting_group(&self, code: &str, author: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let Some(before) = self.reporting_group_in(&mut tx, code).await? else {
            return Err(Error::NotFound(format!("nhóm báo cáo {code}")));
        };
        self.delete_reporting_group_in(&mut tx, code).await?;
        audit::record(
            &mut tx,
            author,
            "delete",
            "reporting_group",
            code,
            Some(&serde_json::to_string(&before).unwrap_or_default()),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
