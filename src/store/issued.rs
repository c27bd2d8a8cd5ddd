//! Issued reports, frozen, and the corrections recorded after them.

use crate::domain::registry::EventKind;
use crate::domain::report::Correction;
use crate::error::{Error, Result};
use crate::store::{Store, audit};
use serde::Serialize;
use sqlx::Row;
use time::Date;

/// A frozen report.
#[derive(Debug, Clone, Serialize)]
pub struct IssuedReport {
    pub number: String,
    pub period: String,
    /// The unit the report covers (None for reports issued before areas were recorded,
    /// which covered the deployment's whole area).
    pub area: Option<String>,
    pub issued_on: String,
    pub issued_at: String,
    pub author: String,
    /// The figures as JSON, exactly as issued.
    pub figures: String,
    pub markdown: String,
    #[serde(skip)]
    pub docx: Vec<u8>,
    #[serde(skip)]
    pub xlsx: Vec<u8>,
}

/// One line of the list of issued reports.
#[derive(Debug, Clone, Serialize)]
pub struct IssuedListItem {
    pub number: String,
    pub period: String,
    pub issued_on: String,
    /// As in [`IssuedReport::area`].
    pub area: Option<String>,
}

impl Store {
    /// Freezes a report; a number can be issued once.
    pub async fn issue_report(
        &self,
        r: &IssuedReport,
        period_start: Date,
        period_end: Date,
    ) -> Result<()> {
        if self.issued_report(&r.number).await?.is_some() {
            return Err(Error::Conflict(format!(
                "báo cáo số {} đã được ban hành",
                r.number
            )));
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO issued_report (number, period, period_start, period_end, issued_on, issued_at,
                author, figures, markdown, docx, xlsx, area)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&r.number)
        .bind(&r.period)
        .bind(period_start.to_string())
        .bind(period_end.to_string())
        .bind(&r.issued_on)
        .bind(&r.issued_at)
        .bind(&r.author)
        .bind(&r.figures)
        .bind(&r.markdown)
        .bind(r.docx.clone())
        .bind(r.xlsx.clone())
        .bind(r.area.clone())
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            &r.author,
            "issue",
            "report",
            &r.number,
            None,
            Some(&r.period),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// An issued report by number.
    pub async fn issued_report(&self, number: &str) -> Result<Option<IssuedReport>> {
        let row = sqlx::query(
            "SELECT number, period, issued_on, issued_at, author, figures, markdown, docx, xlsx, area
             FROM issued_report WHERE number = $1",
        )
        .bind(number)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(IssuedReport {
                number: r.try_get(0)?,
                period: r.try_get(1)?,
                issued_on: r.try_get(2)?,
                issued_at: r.try_get(3)?,
                author: r.try_get(4)?,
                figures: r.try_get(5)?,
                markdown: r.try_get(6)?,
                docx: r.try_get(7)?,
                xlsx: r.try_get(8)?,
                area: r.try_get(9)?,
            })
        })
        .transpose()
    }

    /// Issued reports, newest first (without their files).
    pub async fn issued_reports(&self) -> Result<Vec<IssuedListItem>> {
        let rows: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT number, period, issued_on, area FROM issued_report ORDER BY issued_at DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(number, period, issued_on, area)| IssuedListItem {
                number,
                period,
                issued_on,
                area,
            })
            .collect())
    }

    /// Events recorded after a report was issued whose effective date lies in the period that
    /// report covered, for issued periods ending before `before`.
    pub async fn corrections_before(&self, before: Date) -> Result<Vec<Correction>> {
        let rows = sqlx::query(
            "SELECT r.number, o.reg_code, o.name, e.kind, e.effective_date, e.recorded_at
             FROM issued_report r
             JOIN org_event e ON e.effective_date >= r.period_start AND e.effective_date <= r.period_end
                  AND e.recorded_at > r.issued_at
             JOIN organisation o ON o.id = e.org_id
             WHERE r.period_end < $1
             ORDER BY r.number, e.effective_date, e.id",
        )
        .bind(before.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get(3)?;
                Ok(Correction {
                    report_number: r.try_get(0)?,
                    reg_code: r.try_get(1)?,
                    name: r.try_get(2)?,
                    event: EventKind::parse(&kind)
                        .map(|k| k.name_vi().to_string())
                        .unwrap_or(kind),
                    effective: r.try_get(4)?,
                    recorded: r.try_get::<String, _>(5)?.chars().take(10).collect(),
                })
            })
            .collect()
    }
}
