//! Yearly evaluations of organisations (Circular 01/2020/TT-BKHĐT), kept as versions: a
//! correction adds a version and the latest one counts.

use crate::domain::codes::Coded;
use crate::domain::evaluation::{CRITERIA_COUNT, Evaluation, Exemption, Grade, Outcome};
use crate::domain::now_iso;
use crate::error::{Error, Result};
use crate::store::{Store, audit, stored_code, stored_date};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, AssertSqlSafe, Row, Transaction};

/// One stored version of an evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredEvaluation {
    pub org_id: i64,
    pub version: i64,
    #[serde(flatten)]
    pub evaluation: Evaluation,
    pub recorded_at: String,
    pub author: String,
}

const COLUMNS: &str = "org_id, year, version, outcome, grade, total, points, exemption, \
                       scored_by, scored_on, note, recorded_at, author";

impl Store {
    /// Records a version of an organisation's evaluation for a year inside the caller's
    /// transaction, with its audit entry. `expected` is the version the writer saw (0 for
    /// none); a later version written meanwhile refuses the write. Returns the new version.
    pub async fn record_evaluation_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        org_id: i64,
        entity_id: &str,
        evaluation: &Evaluation,
        expected: Option<i64>,
        author: &str,
    ) -> Result<i64> {
        let before = latest_in(tx, org_id, evaluation.year).await?;
        let current = before.as_ref().map_or(0, |b| b.version);
        if let Some(expected) = expected
            && expected != current
        {
            return Err(Error::Conflict(format!(
                "đánh giá năm {} của {entity_id} đã được sửa (phiên bản {current}) sau khi bạn mở \
                 (phiên bản {expected}); hãy mở lại và nhập lại",
                evaluation.year
            )));
        }
        let version = current + 1;
        let (outcome, grade, total, points, exemption) = match &evaluation.outcome {
            Outcome::Graded {
                points,
                total,
                grade,
            } => (
                "graded",
                Some(grade.code()),
                *total,
                points
                    .as_ref()
                    .map(|p| serde_json::to_string(p).unwrap_or_default()),
                None,
            ),
            Outcome::NotGraded { reason } => ("not_graded", None, None, None, Some(reason.code())),
        };
        sqlx::query(
            "INSERT INTO org_evaluation (org_id, year, version, outcome, grade, total, points,
                 exemption, scored_by, scored_on, note, recorded_at, author)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(org_id)
        .bind(i64::from(evaluation.year))
        .bind(version)
        .bind(outcome)
        .bind(grade)
        .bind(total)
        .bind(points)
        .bind(exemption)
        .bind(&evaluation.scored_by)
        .bind(evaluation.scored_on.map(|d| d.to_string()))
        .bind(&evaluation.note)
        .bind(now_iso())
        .bind(author)
        .execute(&mut **tx)
        .await?;
        let json = |e: &Evaluation| serde_json::to_string(e).unwrap_or_default();
        audit::record(
            tx,
            author,
            if before.is_some() {
                "correct"
            } else {
                "evaluate"
            },
            "org_evaluation",
            &format!("{entity_id}/{}", evaluation.year),
            before.as_ref().map(|b| json(&b.evaluation)).as_deref(),
            Some(&json(evaluation)),
        )
        .await?;
        Ok(version)
    }

    /// Every version of every year of an organisation's evaluations, the latest year first
    /// and, within a year, the latest version first.
    pub async fn evaluations_of(&self, org_id: i64) -> Result<Vec<StoredEvaluation>> {
        let rows = sqlx::query(select(
            "FROM org_evaluation WHERE org_id = $1 ORDER BY year DESC, version DESC",
        ))
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(evaluation_from).collect()
    }

    /// The latest version of one organisation's evaluation for a year.
    pub async fn evaluation(&self, org_id: i64, year: i32) -> Result<Option<StoredEvaluation>> {
        let mut conn = self.pool.acquire().await?;
        let row = sqlx::query(select(
            "FROM org_evaluation WHERE org_id = $1 AND year = $2 ORDER BY version DESC LIMIT 1",
        ))
        .bind(org_id)
        .bind(i64::from(year))
        .fetch_optional(&mut *conn)
        .await?;
        row.as_ref().map(evaluation_from).transpose()
    }

    /// The latest evaluation of an organisation for a year up to `year` (the result known
    /// when it is nominated or selected for a programme).
    pub async fn latest_evaluation_until(
        &self,
        org_id: i64,
        year: i32,
    ) -> Result<Option<StoredEvaluation>> {
        let row = sqlx::query(select(
            "FROM org_evaluation WHERE org_id = $1 AND year <= $2
             ORDER BY year DESC, version DESC LIMIT 1",
        ))
        .bind(org_id)
        .bind(i64::from(year))
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(evaluation_from).transpose()
    }

    /// The latest version of every organisation's evaluation for a year.
    pub async fn evaluations_in(&self, year: i32) -> Result<Vec<StoredEvaluation>> {
        let rows = sqlx::query(select(
            "FROM org_evaluation e WHERE year = $1 AND version = (
                 SELECT MAX(version) FROM org_evaluation l
                 WHERE l.org_id = e.org_id AND l.year = e.year)
             ORDER BY org_id",
        ))
        .bind(i64::from(year))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(evaluation_from).collect()
    }

    /// The HTX and LHHTX counted on 31 December of `year` and graded for it (latest version),
    /// by commune and grade: what a chart of grades needs, counted by the database.
    pub async fn grade_counts(&self, year: i32) -> Result<Vec<(String, Grade, i64)>> {
        let rows: Vec<(String, Option<String>, i64)> = sqlx::query_as(
            "SELECT i.commune, e.grade, CAST(COUNT(*) AS BIGINT)
             FROM org_interval i
             JOIN org_evaluation e ON e.org_id = i.org_id AND e.year = $1
                  AND e.outcome = 'graded'
                  AND e.version = (SELECT MAX(l.version) FROM org_evaluation l
                                   WHERE l.org_id = i.org_id AND l.year = $1)
             WHERE i.counted = 1 AND i.kind IN ('HTX', 'LHHTX')
               AND i.valid_from <= $2 AND i.valid_to > $2
             GROUP BY i.commune, e.grade",
        )
        .bind(i64::from(year))
        .bind(format!("{year}-12-31"))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(commune, grade, n)| {
                let grade = stored_code::<Grade>("grade", grade.as_deref().unwrap_or(""))?;
                Ok((commune, grade, n))
            })
            .collect()
    }

    /// The years that have at least one evaluation, oldest first.
    pub async fn evaluation_years(&self) -> Result<Vec<i32>> {
        let years: Vec<i64> =
            sqlx::query_scalar("SELECT DISTINCT year FROM org_evaluation ORDER BY year")
                .fetch_all(&self.pool)
                .await?;
        Ok(years
            .into_iter()
            .filter_map(|y| i32::try_from(y).ok())
            .collect())
    }
}

impl Store {
    /// The id of the organisation with a registration code, inside a transaction (so that
    /// one created earlier in the same transaction is found).
    pub async fn org_id_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        reg_code: &str,
    ) -> Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT id FROM organisation WHERE reg_code = $1")
                .bind(reg_code)
                .fetch_optional(&mut **tx)
                .await?,
        )
    }
}

/// The latest version of an organisation's year inside a transaction.
async fn latest_in(
    tx: &mut Transaction<'_, Any>,
    org_id: i64,
    year: i32,
) -> Result<Option<StoredEvaluation>> {
    let row = sqlx::query(select(
        "FROM org_evaluation WHERE org_id = $1 AND year = $2 ORDER BY version DESC LIMIT 1",
    ))
    .bind(org_id)
    .bind(i64::from(year))
    .fetch_optional(&mut **tx)
    .await?;
    row.as_ref().map(evaluation_from).transpose()
}

/// A SELECT of this module's columns followed by a constant tail.
fn select(tail: &'static str) -> AssertSqlSafe<String> {
    AssertSqlSafe(format!("SELECT {COLUMNS} {tail}"))
}

fn evaluation_from(row: &AnyRow) -> Result<StoredEvaluation> {
    let year: i64 = row.try_get("year")?;
    let year = i32::try_from(year).map_err(|_| Error::invalid("year", "năm không hợp lệ"))?;
    let outcome = match row.try_get::<String, _>("outcome")?.as_str() {
        "graded" => {
            let grade: String = row
                .try_get::<Option<String>, _>("grade")?
                .unwrap_or_default();
            let points: Option<String> = row.try_get("points")?;
            let points = points
                .map(|p| {
                    serde_json::from_str::<Vec<i64>>(&p)
                        .ok()
                        .filter(|p| p.len() == CRITERIA_COUNT)
                        .ok_or_else(|| Error::invalid("points", "điểm lưu không hợp lệ"))
                })
                .transpose()?;
            Outcome::Graded {
                points,
                total: row.try_get("total")?,
                grade: stored_code::<Grade>("grade", &grade)?,
            }
        }
        _ => {
            let reason: String = row
                .try_get::<Option<String>, _>("exemption")?
                .unwrap_or_default();
            Outcome::NotGraded {
                reason: stored_code::<Exemption>("exemption", &reason)?,
            }
        }
    };
    let scored_on: Option<String> = row.try_get("scored_on")?;
    Ok(StoredEvaluation {
        org_id: row.try_get("org_id")?,
        version: row.try_get("version")?,
        evaluation: Evaluation {
            year,
            outcome,
            scored_by: row.try_get("scored_by")?,
            scored_on: scored_on
                .map(|d| stored_date("scored_on", &d))
                .transpose()?,
            note: row.try_get("note")?,
        },
        recorded_at: row.try_get("recorded_at")?,
        author: row.try_get("author")?,
    })
}
