//! The Alliance's members and activities.

use crate::domain::alliance::{
    Activity, ActivityKind, ActivityStatus, MemberKind, MembershipEvent, admit_membership,
};
use crate::domain::{now_iso, parse_date};
use crate::error::{Error, Result};
use crate::store::{Store, audit};
use sqlx::Row;
use time::Date;

fn code<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn from_code<T: serde::de::DeserializeOwned>(field: &str, s: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|_| Error::invalid(field, s.to_string()))
}

/// A membership change to write: the member by organisation id or by name.
#[derive(Debug, Clone)]
pub struct NewMembership {
    pub org_id: Option<i64>,
    pub name: String,
    pub event: MembershipEvent,
    pub reference: String,
}

/// Inserts an activity and its participating organisations inside a transaction.
async fn insert_activity(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    a: &Activity,
    author: &str,
) -> Result<i64> {
    use crate::domain::text::{MAX_LINE_CHARS, MAX_NAME_CHARS, MAX_NOTE_CHARS};
    Error::check_lengths(&[
        ("title", &a.title, MAX_NAME_CHARS),
        ("channel", &a.channel, MAX_LINE_CHARS),
        ("partner", &a.partner, MAX_LINE_CHARS),
        ("document_no", &a.document_no, MAX_LINE_CHARS),
        ("issuer", &a.issuer, MAX_LINE_CHARS),
        ("funding", &a.funding, MAX_LINE_CHARS),
        ("note", &a.note, MAX_NOTE_CHARS),
    ])?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO activity (kind, title, status, start_date, end_date, area, quantity, attendees,
            channel, partner, document_no, issuer, funding, note, recorded_at, author)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
    )
    .bind(a.kind.code())
    .bind(&a.title)
    .bind(code(a.status))
    .bind(a.start.to_string())
    .bind(a.end.to_string())
    .bind(&a.area)
    .bind(a.quantity)
    .bind(a.attendees)
    .bind(&a.channel)
    .bind(&a.partner)
    .bind(&a.document_no)
    .bind(&a.issuer)
    .bind(&a.funding)
    .bind(&a.note)
    .bind(now_iso())
    .bind(author)
    .fetch_one(&mut **tx)
    .await?;
    for org in &a.organisations {
        sqlx::query("INSERT INTO activity_org (activity_id, org_id) VALUES ($1, $2)")
            .bind(id)
            .bind(*org)
            .execute(&mut **tx)
            .await?;
    }
    Ok(id)
}

/// The member record of an organisation, or of a named member outside the registry.
async fn find_member(
    conn: &mut sqlx::AnyConnection,
    org_id: Option<i64>,
    name: &str,
) -> Result<Option<i64>> {
    Ok(match org_id {
        Some(org) => {
            sqlx::query_scalar("SELECT id FROM member WHERE org_id = $1")
                .bind(org)
                .fetch_optional(&mut *conn)
                .await?
        }
        None => {
            sqlx::query_scalar("SELECT id FROM member WHERE org_id IS NULL AND name = $1")
                .bind(name)
                .fetch_optional(&mut *conn)
                .await?
        }
    })
}

/// [`find_member`], creating the record (with its audit entry) when missing.
async fn ensure_member(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    org_id: Option<i64>,
    name: &str,
    kind: MemberKind,
    author: &str,
) -> Result<i64> {
    Error::check_lengths(&[("member_name", name, crate::domain::text::MAX_NAME_CHARS)])?;
    if let Some(id) = find_member(tx, org_id, name).await? {
        return Ok(id);
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO member (org_id, name, kind) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(org_id)
    .bind(name)
    .bind(code(kind))
    .fetch_one(&mut **tx)
    .await?;
    audit::record(
        tx,
        author,
        "create",
        "member",
        &id.to_string(),
        None,
        Some(&serde_json::json!({"org_id": org_id, "name": name, "kind": kind}).to_string()),
    )
    .await?;
    Ok(id)
}

/// Inserts a membership change (the member created on first use) with its audit entry.
async fn insert_membership(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    m: &NewMembership,
    kind: MemberKind,
    author: &str,
) -> Result<i64> {
    let member = ensure_member(tx, m.org_id, &m.name, kind, author).await?;
    sqlx::query(
        "INSERT INTO membership_event (member_id, kind, category, effective_date, reference, recorded_at, author)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(member)
    .bind(code(m.event.change))
    .bind(code(m.event.category))
    .bind(m.event.effective.to_string())
    .bind(&m.reference)
    .bind(now_iso())
    .bind(author)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        author,
        &code(m.event.change),
        "member",
        &member.to_string(),
        None,
        Some(&serde_json::to_string(&m.event).unwrap_or_default()),
    )
    .await?;
    Ok(member)
}

impl Store {
    /// The member record of an organisation or a named member, if any.
    pub async fn member_id(&self, org_id: Option<i64>, name: &str) -> Result<Option<i64>> {
        let mut conn = self.pool.acquire().await?;
        find_member(&mut conn, org_id, name).await
    }

    /// Writes checked activities and membership changes inside the caller's transaction.
    pub async fn apply_alliance_in(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        activities: &[Activity],
        memberships: &[NewMembership],
        author: &str,
    ) -> Result<(usize, usize)> {
        for a in activities {
            insert_activity(tx, a, author).await?;
        }
        for m in memberships {
            let kind = if m.org_id.is_some() {
                MemberKind::Htx
            } else {
                MemberKind::Enterprise
            };
            insert_membership(tx, m, kind, author).await?;
        }
        audit::record(
            tx,
            author,
            "import",
            "alliance",
            "batch",
            None,
            Some(&format!(
                "{{\"activities\":{},\"memberships\":{}}}",
                activities.len(),
                memberships.len()
            )),
        )
        .await?;
        Ok((activities.len(), memberships.len()))
    }

    /// The membership events of a member, in date order.
    pub async fn membership_events(&self, member_id: i64) -> Result<Vec<MembershipEvent>> {
        let rows = sqlx::query(
            "SELECT id, kind, category, effective_date FROM membership_event
             WHERE member_id = $1 ORDER BY effective_date, id",
        )
        .bind(member_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let date: String = r.try_get(3)?;
                Ok(MembershipEvent {
                    id: r.try_get(0)?,
                    change: from_code("membership_event.kind", &r.try_get::<String, _>(1)?)?,
                    category: from_code("membership_event.category", &r.try_get::<String, _>(2)?)?,
                    effective: parse_date(&date)
                        .map_err(|e| Error::invalid("effective_date", e))?,
                })
            })
            .collect()
    }

    /// Records joining or leaving (the member created on first use), in one transaction with
    /// its audit entries; refused when it contradicts the member's history.
    pub async fn add_membership(
        &self,
        m: &NewMembership,
        kind: MemberKind,
        author: &str,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        if let Some(id) = find_member(&mut tx, m.org_id, &m.name).await? {
            let history = self.membership_events(id).await?;
            let new = MembershipEvent {
                id: i64::MAX,
                ..m.event.clone()
            };
            admit_membership(&history, &new).map_err(|e| Error::invalid("date", e))?;
        }
        insert_membership(&mut tx, m, kind, author).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Admissions and departures between two dates: (date, kind, member, category).
    pub async fn membership_lines(
        &self,
        start: Date,
        end: Date,
    ) -> Result<Vec<(String, String, String, String)>> {
        Ok(sqlx::query_as(
            "SELECT e.effective_date, e.kind, m.name, e.category
             FROM membership_event e JOIN member m ON m.id = e.member_id
             WHERE e.effective_date >= $1 AND e.effective_date <= $2
             ORDER BY e.effective_date, e.id",
        )
        .bind(start.to_string())
        .bind(end.to_string())
        .fetch_all(&self.pool)
        .await?)
    }

    /// Members admitted between two dates (inclusive), and members on the last date.
    pub async fn membership_counts(&self, start: Date, end: Date) -> Result<(i64, i64)> {
        let joined: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM membership_event
             WHERE kind = 'joined' AND effective_date >= $1 AND effective_date <= $2",
        )
        .bind(start.to_string())
        .bind(end.to_string())
        .fetch_one(&self.pool)
        .await?;
        // One read of every membership event; the state per member is derived in memory.
        let rows = sqlx::query(
            "SELECT member_id, id, kind, category, effective_date FROM membership_event
             WHERE effective_date <= $1 ORDER BY member_id, effective_date, id",
        )
        .bind(end.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut by_member: std::collections::BTreeMap<i64, Vec<MembershipEvent>> =
            Default::default();
        for r in &rows {
            let date: String = r.try_get(4)?;
            by_member
                .entry(r.try_get(0)?)
                .or_default()
                .push(MembershipEvent {
                    id: r.try_get(1)?,
                    change: from_code("membership_event.kind", &r.try_get::<String, _>(2)?)?,
                    category: from_code("membership_event.category", &r.try_get::<String, _>(3)?)?,
                    effective: parse_date(&date)
                        .map_err(|e| Error::invalid("effective_date", e))?,
                });
        }
        let members = by_member
            .values()
            .filter(|events| crate::domain::alliance::membership_at(events, end).is_some())
            .count() as i64;
        Ok((joined, members))
    }

    /// Records an activity with its participating organisations.
    pub async fn add_activity(&self, a: &Activity, author: &str) -> Result<i64> {
        let mut tx = self.pool.begin().await?;
        let id = insert_activity(&mut tx, a, author).await?;
        audit::record(
            &mut tx,
            author,
            "create",
            "activity",
            &id.to_string(),
            None,
            Some(&serde_json::to_string(a).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Activities starting between two dates (inclusive), in date order.
    pub async fn activities(&self, start: Date, end: Date) -> Result<Vec<Activity>> {
        let rows = sqlx::query(
            "SELECT id, kind, title, status, start_date, end_date, area, quantity, attendees, channel,
                    partner, document_no, issuer, funding, note
             FROM activity WHERE start_date >= $1 AND start_date <= $2 ORDER BY start_date, id",
        )
        .bind(start.to_string())
        .bind(end.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let id: i64 = r.try_get(0)?;
            let kind: String = r.try_get(1)?;
            let s: String = r.try_get(4)?;
            let e: String = r.try_get(5)?;
            let orgs: Vec<i64> = sqlx::query_scalar(
                "SELECT org_id FROM activity_org WHERE activity_id = $1 ORDER BY org_id",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
            out.push(Activity {
                id,
                kind: <ActivityKind as crate::domain::codes::Coded>::from_code(&kind)
                    .ok_or_else(|| Error::invalid("activity.kind", kind))?,
                title: r.try_get(2)?,
                status: from_code::<ActivityStatus>(
                    "activity.status",
                    &r.try_get::<String, _>(3)?,
                )?,
                start: parse_date(&s).map_err(|x| Error::invalid("start_date", x))?,
                end: parse_date(&e).map_err(|x| Error::invalid("end_date", x))?,
                area: r.try_get(6)?,
                quantity: r.try_get(7)?,
                attendees: r.try_get(8)?,
                channel: r.try_get(9)?,
                partner: r.try_get(10)?,
                document_no: r.try_get(11)?,
                issuer: r.try_get(12)?,
                funding: r.try_get(13)?,
                note: r.try_get(14)?,
                organisations: orgs,
            });
        }
        Ok(out)
    }
}
