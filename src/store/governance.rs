//! Committee seats and the Supervisory Committee's inspections and complaints.

use crate::domain::codes::Coded;
use crate::domain::governance::{Committee, InspectionKind, InspectionStatus};
use crate::domain::now_iso;
use crate::domain::report::{GovernanceFigures, SupervisionFigures};
use crate::domain::text::{MAX_LINE_CHARS, MAX_NAME_CHARS, MAX_NOTE_CHARS};
use crate::error::{Error, Result};
use crate::store::{Store, audit, stored_code, stored_date};
use sqlx::{Any, Transaction};
use time::Date;

pub use crate::domain::governance::{Complaint, HeldSeat, Inspection, Seat, SeatChange};

/// The end date stored for a seat still held (dates are compared as ISO text).
const OPEN_END: &str = "9999-12-31";

impl Store {
    /// Appoints someone to a committee seat from a date (kiện toàn).
    pub async fn appoint(&self, seat: &Seat, author: &str) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let id = self.appoint_in(&mut tx, seat, author).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// [`Store::appoint`] inside the caller's transaction (with its audit entry).
    pub async fn appoint_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        seat: &Seat,
        author: &str,
    ) -> Result<i64> {
        Error::check_lengths(&[
            ("person", &seat.person, MAX_NAME_CHARS),
            ("position", &seat.position, MAX_NAME_CHARS),
            ("term", &seat.term, MAX_NAME_CHARS),
        ])?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO committee_seat (committee, person, position, term, from_date, to_date, recorded_at, author)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(seat.committee.code())
        .bind(&seat.person)
        .bind(&seat.position)
        .bind(&seat.term)
        .bind(seat.from.to_string())
        .bind(OPEN_END)
        .bind(now_iso())
        .bind(author)
        .fetch_one(&mut **tx)
        .await?;
        audit::record(
            tx,
            author,
            "appoint",
            "committee_seat",
            &id.to_string(),
            None,
            Some(&serde_json::to_string(seat).unwrap_or_default()),
        )
        .await?;
        Ok(id)
    }

    /// Ends a seat on a date (the history stays).
    pub async fn end_seat(&self, id: i64, on: Date, author: &str) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        self.end_seat_in(&mut tx, id, on, author).await?;
        tx.commit().await?;
        Ok(())
    }

    /// [`Store::end_seat`] inside the caller's transaction (with its audit entry).
    pub async fn end_seat_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        id: i64,
        on: Date,
        author: &str,
    ) -> Result<()> {
        let done = sqlx::query("UPDATE committee_seat SET to_date = $1 WHERE id = $2 AND to_date = $3 AND from_date < $1")
            .bind(on.to_string())
            .bind(id)
            .bind(OPEN_END)
            .execute(&mut **tx)
            .await?;
        if done.rows_affected() != 1 {
            return Err(Error::Conflict(format!(
                "không có nhiệm kỳ đang hiệu lực số {id} bắt đầu trước ngày {}",
                crate::domain::text::date(on)
            )));
        }
        audit::record(
            tx,
            author,
            "end",
            "committee_seat",
            &id.to_string(),
            None,
            Some(&on.to_string()),
        )
        .await?;
        Ok(())
    }

    /// Every seat ever recorded, held or ended, in order of appointment.
    pub async fn seats(&self) -> Result<Vec<HeldSeat>> {
        let rows: Vec<(i64, String, String, String, String, String, String)> = sqlx::query_as(
            "SELECT id, committee, person, position, term, from_date, to_date FROM committee_seat
             ORDER BY from_date, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, committee, person, position, term, from, to)| {
                Ok(HeldSeat {
                    id,
                    seat: Seat {
                        committee: stored_code("committee_seat.committee", &committee)?,
                        person,
                        position,
                        term,
                        from: stored_date("committee_seat.from_date", &from)?,
                    },
                    to: if to == OPEN_END {
                        None
                    } else {
                        Some(stored_date("committee_seat.to_date", &to)?)
                    },
                })
            })
            .collect()
    }

    /// Seats filled within a period, and seats held on its end, per committee.
    pub async fn governance(&self, start: Date, end: Date) -> Result<GovernanceFigures> {
        let mut g = GovernanceFigures::default();
        for committee in Committee::ALL {
            let (code, name) = (committee.code(), committee.name_vi());
            let appointed: i64 = sqlx::query_scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM committee_seat WHERE committee = $1 AND from_date >= $2 AND from_date <= $3",
            )
            .bind(code)
            .bind(start.to_string())
            .bind(end.to_string())
            .fetch_one(&self.pool)
            .await?;
            let held: i64 = sqlx::query_scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM committee_seat WHERE committee = $1 AND from_date <= $2 AND to_date > $2",
            )
            .bind(code)
            .bind(end.to_string())
            .fetch_one(&self.pool)
            .await?;
            if appointed > 0 || held > 0 {
                g.committees.push((name.to_string(), appointed, held));
            }
        }
        Ok(g)
    }

    /// Records an inspection or supervision.
    pub async fn add_inspection(&self, i: &Inspection, author: &str) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let id = self.add_inspection_in(&mut tx, i, author).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// [`Store::add_inspection`] inside the caller's transaction (with its audit entry).
    pub async fn add_inspection_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        i: &Inspection,
        author: &str,
    ) -> Result<i64> {
        Error::check_lengths(&[
            ("subject", &i.subject, MAX_LINE_CHARS),
            ("findings", &i.findings, MAX_NOTE_CHARS),
            ("recommendations", &i.recommendations, MAX_NOTE_CHARS),
            ("follow_up", &i.follow_up, MAX_NOTE_CHARS),
        ])?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO inspection (org_id, kind, status, date, subject, findings, recommendations, follow_up, recorded_at, author)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(i.org_id)
        .bind(i.kind.code())
        .bind(i.status.code())
        .bind(i.date.to_string())
        .bind(&i.subject)
        .bind(&i.findings)
        .bind(&i.recommendations)
        .bind(&i.follow_up)
        .bind(now_iso())
        .bind(author)
        .fetch_one(&mut **tx)
        .await?;
        audit::record(
            tx,
            author,
            "create",
            "inspection",
            &id.to_string(),
            None,
            Some(&serde_json::to_string(i).unwrap_or_default()),
        )
        .await?;
        Ok(id)
    }

    /// Inspections and supervisions dated between two dates (inclusive), in date order.
    pub async fn inspections(&self, start: Date, end: Date) -> Result<Vec<Inspection>> {
        type InspectionRow = (
            Option<i64>,
            String,
            String,
            String,
            String,
            String,
            String,
            String,
        );
        let rows: Vec<InspectionRow> = sqlx::query_as(
            "SELECT org_id, kind, status, date, subject, findings, recommendations, follow_up
             FROM inspection WHERE date >= $1 AND date <= $2 ORDER BY date, id",
        )
        .bind(start.to_string())
        .bind(end.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(
                |(org_id, kind, status, date, subject, findings, recommendations, follow_up)| {
                    Ok(Inspection {
                        org_id,
                        kind: stored_code::<InspectionKind>("inspection.kind", &kind)?,
                        status: stored_code::<InspectionStatus>("inspection.status", &status)?,
                        date: stored_date("inspection.date", &date)?,
                        subject,
                        findings,
                        recommendations,
                        follow_up,
                    })
                },
            )
            .collect()
    }

    /// Records a complaint.
    pub async fn add_complaint(&self, c: &Complaint, author: &str) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let id = self.add_complaint_in(&mut tx, c, author).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// [`Store::add_complaint`] inside the caller's transaction (with its audit entry).
    pub async fn add_complaint_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        c: &Complaint,
        author: &str,
    ) -> Result<i64> {
        Error::check_lengths(&[
            ("complainant", &c.complainant, MAX_NAME_CHARS),
            ("subject", &c.subject, MAX_NOTE_CHARS),
            ("result", &c.result, MAX_NOTE_CHARS),
        ])?;
        if let Some(h) = c.handled {
            crate::domain::governance::check_complaint_handled(c.received, h)
                .map_err(|r| Error::invalid("handled", r))?;
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO complaint (received, complainant, org_id, subject, handled, result, recorded_at, author)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(c.received.to_string())
        .bind(&c.complainant)
        .bind(c.org_id)
        .bind(&c.subject)
        .bind(c.handled.map(|d| d.to_string()).unwrap_or_default())
        .bind(&c.result)
        .bind(now_iso())
        .bind(author)
        .fetch_one(&mut **tx)
        .await?;
        audit::record(
            tx,
            author,
            "create",
            "complaint",
            &id.to_string(),
            None,
            Some(&serde_json::to_string(c).unwrap_or_default()),
        )
        .await?;
        Ok(id)
    }

    /// Complaints received between two dates (inclusive), in date order.
    pub async fn complaints(&self, start: Date, end: Date) -> Result<Vec<Complaint>> {
        let rows: Vec<(String, String, Option<i64>, String, String, String)> = sqlx::query_as(
            "SELECT received, complainant, org_id, subject, handled, result
             FROM complaint WHERE received >= $1 AND received <= $2 ORDER BY received, id",
        )
        .bind(start.to_string())
        .bind(end.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(
                |(received, complainant, org_id, subject, handled, result)| {
                    Ok(Complaint {
                        received: stored_date("complaint.received", &received)?,
                        complainant,
                        org_id,
                        subject,
                        // An unsettled complaint is stored with an empty date.
                        handled: if handled.is_empty() {
                            None
                        } else {
                            Some(stored_date("complaint.handled", &handled)?)
                        },
                        result,
                    })
                },
            )
            .collect()
    }

    /// Writes checked seats, inspections and complaints inside the caller's transaction,
    /// each with the audit entry the CLI would record, and one entry for the batch.
    pub async fn apply_governance_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        seats: &[SeatChange],
        inspections: &[Inspection],
        complaints: &[Complaint],
        author: &str,
    ) -> Result<(usize, usize, usize)> {
        for change in seats {
            match change {
                SeatChange::Appoint { seat, to } => {
                    let id = self.appoint_in(tx, seat, author).await?;
                    if let Some(to) = to {
                        self.end_seat_in(tx, id, *to, author).await?;
                    }
                }
                SeatChange::End { id, to } => self.end_seat_in(tx, *id, *to, author).await?,
            }
        }
        for i in inspections {
            self.add_inspection_in(tx, i, author).await?;
        }
        for c in complaints {
            self.add_complaint_in(tx, c, author).await?;
        }
        audit::record(
            tx,
            author,
            "import",
            "governance",
            "batch",
            None,
            Some(&format!(
                "{{\"seats\":{},\"inspections\":{},\"complaints\":{}}}",
                seats.len(),
                inspections.len(),
                complaints.len()
            )),
        )
        .await?;
        Ok((seats.len(), inspections.len(), complaints.len()))
    }

    /// The Supervisory Committee's work in a period.
    pub async fn supervision(&self, start: Date, end: Date) -> Result<SupervisionFigures> {
        let count = |sql: &'static str| {
            let (s, e) = (start.to_string(), end.to_string());
            async move {
                let n: i64 = sqlx::query_scalar(sql)
                    .bind(s)
                    .bind(e)
                    .fetch_one(&self.pool)
                    .await?;
                Ok::<i64, Error>(n)
            }
        };
        Ok(SupervisionFigures {
            inspections_done: count("SELECT CAST(COUNT(*) AS BIGINT) FROM inspection WHERE kind = 'inspection' AND status = 'done' AND date >= $1 AND date <= $2").await?,
            supervisions_done: count("SELECT CAST(COUNT(*) AS BIGINT) FROM inspection WHERE kind = 'supervision' AND status = 'done' AND date >= $1 AND date <= $2").await?,
            planned: count("SELECT CAST(COUNT(*) AS BIGINT) FROM inspection WHERE status = 'planned' AND date >= $1 AND date <= $2").await?,
            complaints_received: count("SELECT CAST(COUNT(*) AS BIGINT) FROM complaint WHERE received >= $1 AND received <= $2").await?,
            complaints_handled: count("SELECT CAST(COUNT(*) AS BIGINT) FROM complaint WHERE handled <> '' AND handled >= $1 AND handled <= $2").await?,
        })
    }
}
