//! Figures over time for the dashboard's trend charts. Each is one aggregated query over the
//! projections that the reports count from (organisations from `org_interval`, the loan book
//! from `loan_position`), one column per date, so that a chart of ten years or two years of
//! month ends costs one pass over the table, not one query per point.

use crate::domain::registry::OrgKind;
use crate::error::{Error, Result};
use crate::store::Store;
use sqlx::{AssertSqlSafe, Row};
use time::Date;

/// Counted organisations of one kind in one commune, on each of the dates asked (in order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockOnDays {
    pub kind: OrgKind,
    pub commune: String,
    pub counts: Vec<i64>,
}

/// The loan book on one date: outstanding and overdue principal of the loans with something
/// outstanding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookOnDay {
    pub on: Date,
    pub outstanding: i64,
    pub overdue_principal: i64,
}

/// One "counted on this date" column per date: `$first`, `$first+1`, ….
fn day_columns(days: usize, value: &str) -> String {
    (1..=days)
        .map(|i| {
            format!(
                "CAST(SUM(CASE WHEN valid_from <= ${i} AND valid_to > ${i} THEN {value} ELSE 0 END) AS BIGINT)"
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// Counted organisations by kind and commune on each of `days`, as the report counts
    /// them on a date.
    pub async fn stock_on_days(&self, days: &[Date]) -> Result<Vec<StockOnDays>> {
        let (Some(first), Some(last)) = (days.iter().min(), days.iter().max()) else {
            return Ok(Vec::new());
        };
        let n = days.len();
        let sql = format!(
            "SELECT kind, commune, {}
             FROM org_interval
             WHERE counted = 1 AND valid_from <= ${} AND valid_to > ${}
             GROUP BY kind, commune",
            day_columns(n, "1"),
            n + 1,
            n + 2
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for d in days {
            q = q.bind(d.to_string());
        }
        let rows = q
            .bind(last.to_string())
            .bind(first.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get(0)?;
                Ok(StockOnDays {
                    kind: OrgKind::parse(&kind).ok_or_else(|| Error::invalid("kind", kind))?,
                    commune: r.try_get(1)?,
                    counts: (0..n)
                        .map(|i| r.try_get::<i64, _>(i + 2))
                        .collect::<std::result::Result<_, _>>()?,
                })
            })
            .collect()
    }

    /// The whole loan book's outstanding and overdue principal on each of `days`, as the
    /// fund's figures count them on a date.
    pub async fn loan_book_on_days(&self, days: &[Date]) -> Result<Vec<BookOnDay>> {
        let (Some(first), Some(last)) = (days.iter().min(), days.iter().max()) else {
            return Ok(Vec::new());
        };
        let n = days.len();
        let sql = format!(
            "SELECT {}, {}
             FROM loan_position
             WHERE outstanding > 0 AND valid_from <= ${} AND valid_to > ${}",
            day_columns(n, "outstanding"),
            day_columns(n, "overdue_principal"),
            n + 1,
            n + 2
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for d in days {
            q = q.bind(d.to_string());
        }
        let row = q
            .bind(last.to_string())
            .bind(first.to_string())
            .fetch_one(&self.pool)
            .await?;
        days.iter()
            .enumerate()
            .map(|(i, on)| {
                // Sums over no row are NULL: an empty book on that date.
                Ok(BookOnDay {
                    on: *on,
                    outstanding: row.try_get::<Option<i64>, _>(i)?.unwrap_or(0),
                    overdue_principal: row.try_get::<Option<i64>, _>(n + i)?.unwrap_or(0),
                })
            })
            .collect()
    }

    /// Held activities per quarter (year, quarter 1–4, count) among those starting between
    /// two dates (inclusive); quarters without any are left out.
    pub async fn held_activities_per_quarter(
        &self,
        start: Date,
        end: Date,
    ) -> Result<Vec<(i32, u8, i64)>> {
        let rows = sqlx::query(
            "SELECT CAST(SUBSTR(start_date, 1, 4) AS BIGINT) AS y,
                    (CAST(SUBSTR(start_date, 6, 2) AS BIGINT) + 2) / 3 AS q,
                    CAST(COUNT(*) AS BIGINT)
             FROM activity
             WHERE status = 'held' AND start_date >= $1 AND start_date <= $2
             GROUP BY y, q
             ORDER BY y, q",
        )
        .bind(start.to_string())
        .bind(end.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let year: i64 = r.try_get(0)?;
                let quarter: i64 = r.try_get(1)?;
                Ok((
                    i32::try_from(year).map_err(|_| Error::invalid("year", year.to_string()))?,
                    u8::try_from(quarter)
                        .map_err(|_| Error::invalid("quarter", quarter.to_string()))?,
                    r.try_get(2)?,
                ))
            })
            .collect()
    }
}
