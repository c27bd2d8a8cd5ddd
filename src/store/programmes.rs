//! Programmes, the stages organisations reach in them, and the support ledger.

use crate::domain::codes::Coded;
use crate::domain::now_iso;
use crate::domain::programmes::{ProgrammeStage, SupportCategory};
use crate::domain::report::{ProgrammeLine, SupportFigures};
use crate::domain::text::{MAX_LINE_CHARS, MAX_NAME_CHARS, MAX_NOTE_CHARS};
use crate::error::{Error, Result};
use crate::store::{Store, audit, stored_code, stored_date};
use sqlx::{Any, AnyConnection, Transaction};
use time::Date;

pub use crate::domain::programmes::{Programme, Stage, Support};

/// Fails unless the programme is recorded (read through the caller's connection, so a
/// programme created earlier in the same transaction counts).
async fn programme_exists(conn: &mut AnyConnection, code: &str) -> Result<()> {
    let found: Option<String> = sqlx::query_scalar("SELECT code FROM programme WHERE code = $1")
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?;
    found
        .map(|_| ())
        .ok_or_else(|| Error::NotFound(format!("chương trình {code}")))
}

impl Store {
    /// Records a programme (or renames it).
    pub async fn set_programme(
        &self,
        code: &str,
        name: &str,
        decision: &str,
        author: &str,
    ) -> Result<()> {
        Error::check_lengths(&[
            ("programme", code, MAX_NAME_CHARS),
            ("programme_name", name, MAX_NAME_CHARS),
            ("decision", decision, MAX_LINE_CHARS),
        ])?;
        let mut tx = self.pool.begin().await?;
        self.set_programme_in(&mut tx, code, name, decision, author)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// [`Store::set_programme`] inside the caller's transaction (with its audit entry).
    pub async fn set_programme_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        code: &str,
        name: &str,
        decision: &str,
        author: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO programme (code, name, decision, recorded_at, author) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, decision = excluded.decision",
        )
        .bind(code)
        .bind(name)
        .bind(decision)
        .bind(now_iso())
        .bind(author)
        .execute(&mut **tx)
        .await?;
        audit::record(tx, author, "set", "programme", code, None, Some(name)).await?;
        Ok(())
    }

    /// Every programme recorded, by code.
    pub async fn programmes(&self) -> Result<Vec<Programme>> {
        let rows: Vec<(String, String, String)> =
            sqlx::query_as("SELECT code, name, decision FROM programme ORDER BY code")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .map(|(code, name, decision)| Programme {
                code,
                name,
                decision,
            })
            .collect())
    }

    /// Records that an organisation reached a stage of a programme on a date.
    pub async fn record_stage(
        &self,
        programme: &str,
        org_id: i64,
        stage: ProgrammeStage,
        date: Date,
        note: &str,
        author: &str,
    ) -> Result<()> {
        let stage = Stage {
            programme: programme.to_string(),
            org_id,
            stage,
            date,
            note: note.to_string(),
        };
        let mut tx = self.pool.begin().await?;
        self.record_stage_in(&mut tx, &stage, author).await?;
        tx.commit().await?;
        Ok(())
    }

    /// [`Store::record_stage`] inside the caller's transaction (with its audit entry).
    pub async fn record_stage_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        s: &Stage,
        author: &str,
    ) -> Result<()> {
        Error::check_lengths(&[("note", &s.note, MAX_NOTE_CHARS)])?;
        programme_exists(tx, &s.programme).await?;
        sqlx::query(
            "INSERT INTO programme_stage (programme, org_id, stage, date, note, recorded_at, author)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&s.programme)
        .bind(s.org_id)
        .bind(s.stage.code())
        .bind(s.date.to_string())
        .bind(&s.note)
        .bind(now_iso())
        .bind(author)
        .execute(&mut **tx)
        .await?;
        audit::record(
            tx,
            author,
            s.stage.code(),
            "programme",
            &s.programme,
            None,
            Some(&s.org_id.to_string()),
        )
        .await?;
        Ok(())
    }

    /// Stages reached between two dates (inclusive), in date order.
    pub async fn programme_stages(&self, start: Date, end: Date) -> Result<Vec<Stage>> {
        let rows: Vec<(String, i64, String, String, String)> = sqlx::query_as(
            "SELECT programme, org_id, stage, date, note FROM programme_stage
             WHERE date >= $1 AND date <= $2 ORDER BY date, id",
        )
        .bind(start.to_string())
        .bind(end.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(programme, org_id, stage, date, note)| {
                Ok(Stage {
                    programme,
                    org_id,
                    stage: stored_code("programme_stage.stage", &stage)?,
                    date: stored_date("programme_stage.date", &date)?,
                    note,
                })
            })
            .collect()
    }

    /// Records support given to an organisation.
    pub async fn add_support(&self, support: &Support, author: &str) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let id = self.add_support_in(&mut tx, support, author).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// [`Store::add_support`] inside the caller's transaction (with its audit entry).
    pub async fn add_support_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        support: &Support,
        author: &str,
    ) -> Result<i64> {
        Error::check_lengths(&[("note", &support.note, MAX_NOTE_CHARS)])?;
        let Support {
            programme,
            org_id,
            category,
            amount,
            date,
            note,
        } = support;
        let (programme, category, amount) = (programme.as_deref(), category.code(), *amount);
        if amount < 0 {
            return Err(Error::invalid("amount", "không được âm"));
        }
        if let Some(p) = programme {
            programme_exists(tx, p).await?;
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO support (programme, org_id, category, amount, date, note, recorded_at, author)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(programme)
        .bind(*org_id)
        .bind(category)
        .bind(amount)
        .bind(date.to_string())
        .bind(note)
        .bind(now_iso())
        .bind(author)
        .fetch_one(&mut **tx)
        .await?;
        audit::record(
            tx,
            author,
            "create",
            "support",
            &id.to_string(),
            None,
            Some(&format!("{category}:{amount}")),
        )
        .await?;
        Ok(id)
    }

    /// Support given between two dates (inclusive), in date order.
    pub async fn support_entries(&self, start: Date, end: Date) -> Result<Vec<Support>> {
        let rows: Vec<(Option<String>, i64, String, i64, String, String)> = sqlx::query_as(
            "SELECT programme, org_id, category, amount, date, note FROM support
             WHERE date >= $1 AND date <= $2 ORDER BY date, id",
        )
        .bind(start.to_string())
        .bind(end.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(programme, org_id, category, amount, date, note)| {
                Ok(Support {
                    programme,
                    org_id,
                    category: stored_code::<SupportCategory>("support.category", &category)?,
                    amount,
                    date: stored_date("support.date", &date)?,
                    note,
                })
            })
            .collect()
    }

    /// Writes checked programmes, stages and support inside the caller's transaction, each
    /// with the audit entry the CLI would record, and one entry for the batch. Programmes go
    /// first: the stages and support of the same file may name them.
    pub async fn apply_programmes_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        programmes: &[Programme],
        stages: &[Stage],
        supports: &[Support],
        author: &str,
    ) -> Result<(usize, usize, usize)> {
        for p in programmes {
            self.set_programme_in(tx, &p.code, &p.name, &p.decision, author)
                .await?;
        }
        for s in stages {
            self.record_stage_in(tx, s, author).await?;
        }
        for s in supports {
            self.add_support_in(tx, s, author).await?;
        }
        audit::record(
            tx,
            author,
            "import",
            "programmes",
            "batch",
            None,
            Some(&format!(
                "{{\"programmes\":{},\"stages\":{},\"support\":{}}}",
                programmes.len(),
                stages.len(),
                supports.len()
            )),
        )
        .await?;
        Ok((programmes.len(), stages.len(), supports.len()))
    }

    /// Programmes with stages reached in a period.
    pub async fn programme_lines(&self, start: Date, end: Date) -> Result<Vec<ProgrammeLine>> {
        let rows: Vec<(String, String, String, String, i64)> = sqlx::query_as(
            "SELECT p.code, p.name, p.decision, s.stage, CAST(COUNT(DISTINCT s.org_id) AS BIGINT)
             FROM programme p JOIN programme_stage s ON s.programme = p.code
             WHERE s.date >= $1 AND s.date <= $2
             GROUP BY p.code, p.name, p.decision, s.stage ORDER BY p.code",
        )
        .bind(start.to_string())
        .bind(end.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<ProgrammeLine> = Vec::new();
        for (code, name, decision, stage, n) in rows {
            if out.last().is_none_or(|l| l.code != code) {
                out.push(ProgrammeLine {
                    code: code.clone(),
                    name,
                    decision,
                    nominated: 0,
                    evaluated: 0,
                    selected: 0,
                });
            }
            let Some(line) = out.last_mut() else {
                continue;
            };
            match stage.as_str() {
                "nominated" => line.nominated = n,
                "evaluated" => line.evaluated = n,
                _ => line.selected = n,
            }
        }
        Ok(out)
    }

    /// Support given in a period.
    pub async fn support_figures(&self, start: Date, end: Date) -> Result<SupportFigures> {
        let rows: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT category, CAST(COUNT(*) AS BIGINT), CAST(SUM(amount) AS BIGINT)
             FROM support WHERE date >= $1 AND date <= $2 GROUP BY category",
        )
        .bind(start.to_string())
        .bind(end.to_string())
        .fetch_all(&self.pool)
        .await?;
        let organisations: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(DISTINCT org_id) AS BIGINT) FROM support WHERE date >= $1 AND date <= $2",
        )
        .bind(start.to_string())
        .bind(end.to_string())
        .fetch_one(&self.pool)
        .await?;
        let mut f = SupportFigures {
            organisations,
            ..SupportFigures::default()
        };
        for category in SupportCategory::ALL {
            let (code, label) = (category.code(), category.name_vi());
            if let Some((_, n, amount)) = rows.iter().find(|(c, ..)| c == code) {
                f.count += n;
                f.amount += amount;
                f.by_category.push((label.to_string(), *n, *amount));
            }
        }
        Ok(f)
    }
}
