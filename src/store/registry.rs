//! Organisations, events, the interval projection and yearly figures.

use crate::domain::registry::{
    self, Event, EventKind, EventPayload, Interval, OrgKind, Status, YearFigures,
};
use crate::domain::{now_iso, parse_date, text};
use crate::error::{Error, Result};
use crate::store::batch::{self, Value, placeholders};
use crate::store::{Backend, Store, audit};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, AssertSqlSafe, Row, Transaction};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use time::Date;

/// End of an open interval in the projection table.
const OPEN_END: &str = "9999-12-31";

/// The identity of an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OrgSummary {
    pub id: i64,
    pub kind: OrgKind,
    pub reg_code: String,
    /// Latest name.
    pub name: String,
    /// Bumped by every write; a write naming an older version is refused.
    pub version: i64,
}

/// An event as stored, with who recorded it and when.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StoredEvent {
    #[serde(flatten)]
    pub event: Event,
    pub recorded_at: String,
    pub author: String,
}

/// A new organisation with its establishment event.
#[derive(Debug, Clone)]
pub struct NewOrganisation {
    pub kind: OrgKind,
    pub reg_code: String,
    pub established: Event,
}

/// Many changes written together, all or nothing (an import, the demo, a generator).
#[derive(Debug, Clone, Default)]
pub struct RegistryBatch {
    pub organisations: Vec<NewOrganisation>,
    /// Events of existing or new organisations, by registration code.
    pub events: Vec<(String, Event)>,
    /// Yearly figures by registration code.
    pub figures: Vec<(String, YearFigures)>,
}

/// How many rows a batch wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BatchOutcome {
    pub organisations: usize,
    pub events: usize,
    pub figures: usize,
}

impl BatchOutcome {
    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.organisations + self.events + self.figures == 0
    }
}

fn summary_from(row: &AnyRow) -> Result<OrgSummary> {
    let kind: String = row.try_get(1)?;
    Ok(OrgSummary {
        id: row.try_get(0)?,
        kind: OrgKind::parse(&kind).ok_or_else(|| Error::invalid("organisation.kind", kind))?,
        reg_code: row.try_get(2)?,
        name: row.try_get(3)?,
        version: row.try_get(4)?,
    })
}

fn event_from(row: &AnyRow) -> Result<StoredEvent> {
    let kind: String = row.try_get(1)?;
    let date: String = row.try_get(2)?;
    let payload: String = row.try_get(5)?;
    Ok(StoredEvent {
        event: Event {
            id: row.try_get(0)?,
            kind: EventKind::parse(&kind).ok_or_else(|| Error::invalid("org_event.kind", kind))?,
            effective: parse_date(&date).map_err(|e| Error::invalid("org_event.date", e))?,
            payload: serde_json::from_str(&payload)
                .map_err(|e| Error::invalid("org_event.payload", e.to_string()))?,
        },
        recorded_at: row.try_get(3)?,
        author: row.try_get(4)?,
    })
}

const SUMMARY_COLUMNS: &str = "id, kind, reg_code, name, version";
const EVENT_COLUMNS: &str = "id, kind, effective_date, recorded_at, author, payload";

impl Store {
    /// An organisation by registration code.
    pub async fn org_by_code(&self, reg_code: &str) -> Result<Option<OrgSummary>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {SUMMARY_COLUMNS} FROM organisation WHERE reg_code = $1"
        )))
        .bind(reg_code.trim())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(summary_from).transpose()
    }

    /// An organisation by id.
    pub async fn org_by_id(&self, id: i64) -> Result<Option<OrgSummary>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {SUMMARY_COLUMNS} FROM organisation WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(summary_from).transpose()
    }

    /// All events of an organisation in effective order.
    pub async fn org_events(&self, org_id: i64) -> Result<Vec<StoredEvent>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {EVENT_COLUMNS} FROM org_event WHERE org_id = $1 ORDER BY effective_date, id"
        )))
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_from).collect()
    }

    /// Registers a new organisation with its establishment.
    pub async fn create_org(
        &self,
        org: NewOrganisation,
        author: &str,
        today: Date,
    ) -> Result<OrgSummary> {
        if self.org_by_code(&org.reg_code).await?.is_some() {
            return Err(Error::Conflict(format!(
                "mã đăng ký {} đã có trong sổ",
                org.reg_code
            )));
        }
        registry::admit(&[], &org.established, today)?;
        let code = org.reg_code.clone();
        self.apply_batch(
            &RegistryBatch {
                organisations: vec![org],
                ..RegistryBatch::default()
            },
            author,
            "create",
        )
        .await?;
        self.org_by_code(&code)
            .await?
            .ok_or_else(|| Error::NotFound(code))
    }

    /// Records one event of an existing organisation. `expected_version` is the version the
    /// author saw; if someone else wrote in between, the event is refused as a conflict.
    pub async fn record_event(
        &self,
        org_id: i64,
        expected_version: Option<i64>,
        event: Event,
        author: &str,
        today: Date,
    ) -> Result<OrgSummary> {
        let org = self
            .org_by_id(org_id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("tổ chức số {org_id}")))?;
        if let Some(v) = expected_version
            && v != org.version
        {
            return Err(Error::Conflict(format!(
                "{} vừa được người khác cập nhật (phiên bản {} thay vì {v}); hãy tải lại trang và nhập lại",
                org.name, org.version
            )));
        }
        let history: Vec<Event> = self
            .org_events(org_id)
            .await?
            .into_iter()
            .map(|s| s.event)
            .collect();
        registry::admit(&history, &event, today)?;
        let event_kind = event.kind;
        let event_json = serde_json::to_string(&event).unwrap_or_default();
        let mut tx = self.pool.begin().await?;
        // The version check is repeated inside the transaction so that two writers racing
        // past the first check cannot both win.
        let bumped = sqlx::query(
            "UPDATE organisation SET version = version + 1 WHERE id = $1 AND version = $2",
        )
        .bind(org_id)
        .bind(org.version)
        .execute(&mut *tx)
        .await?;
        if bumped.rows_affected() != 1 {
            return Err(Error::Conflict(format!(
                "{} vừa được người khác cập nhật; hãy tải lại trang và nhập lại",
                org.name
            )));
        }
        let outcome = self
            .write_events(
                &mut tx,
                &HashMap::from([(org.reg_code.clone(), org_id)]),
                &[(org.reg_code.clone(), event)],
                author,
            )
            .await?;
        debug_assert_eq!(outcome, 1);
        self.rebuild_intervals(&mut tx, &[org_id]).await?;
        audit::record(
            &mut tx,
            author,
            &format!("event:{}", event_kind.code()),
            "organisation",
            &org.reg_code,
            Some(&format!("{{\"version\":{}}}", org.version)),
            Some(&event_json),
        )
        .await?;
        tx.commit().await?;
        self.org_by_id(org_id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("tổ chức số {org_id}")))
    }

    /// Records one organisation's figures of a year (checked by `app::registry`), replacing
    /// what was stored for that year, with an audit entry holding both. `expected_version` is
    /// the version the author saw; a write in between refuses it as a conflict.
    pub async fn record_figures(
        &self,
        org: &OrgSummary,
        expected_version: Option<i64>,
        figures: &YearFigures,
        author: &str,
    ) -> Result<OrgSummary> {
        let version = expected_version.unwrap_or(org.version);
        let mut tx = self.pool.begin().await?;
        let bumped = sqlx::query(
            "UPDATE organisation SET version = version + 1 WHERE id = $1 AND version = $2",
        )
        .bind(org.id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if bumped.rows_affected() != 1 {
            return Err(Error::Conflict(format!(
                "{} vừa được người khác cập nhật; hãy tải lại trang và nhập lại",
                org.name
            )));
        }
        let before = sqlx::query(
            "SELECT year, official_members, associate_members, workers, charter_capital,
                    total_assets, revenue, profit, average_income, seasonal_workers,
                    operating_capital
             FROM org_figure WHERE org_id = $1 AND year = $2",
        )
        .bind(org.id)
        .bind(i64::from(figures.year))
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| figures_from(&r, 0))
        .transpose()?;
        upsert_figures(&mut tx, &[(org.id, figures)]).await?;
        let json = |f: &YearFigures| serde_json::to_string(f).unwrap_or_default();
        audit::record(
            &mut tx,
            author,
            "figures",
            "org_figure",
            &format!("{}/{}", org.reg_code, figures.year),
            before.as_ref().map(json).as_deref(),
            Some(&json(figures)),
        )
        .await?;
        tx.commit().await?;
        self.org_by_id(org.id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("tổ chức số {}", org.id)))
    }

    /// The ids of the organisations with these codes, inside a transaction (so that the
    /// organisations it created are found).
    pub async fn org_ids_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        reg_codes: &[String],
    ) -> Result<HashMap<String, i64>> {
        let mut ids = HashMap::new();
        for chunk in reg_codes.chunks(batch::IN_LIST_MAX) {
            let sql = format!(
                "SELECT reg_code, id FROM organisation WHERE reg_code IN ({})",
                placeholders(chunk.len(), 0)
            );
            let mut q = sqlx::query_as::<_, (String, i64)>(AssertSqlSafe(sql));
            for c in chunk {
                q = q.bind(c.clone());
            }
            ids.extend(q.fetch_all(&mut **tx).await?);
        }
        Ok(ids)
    }

    /// Loads the summaries and histories of the organisations with these codes.
    pub async fn histories(
        &self,
        reg_codes: &[String],
    ) -> Result<HashMap<String, (OrgSummary, Vec<Event>)>> {
        let mut out = HashMap::new();
        for chunk in reg_codes.chunks(batch::IN_LIST_MAX) {
            let sql = format!(
                "SELECT o.id, o.kind, o.reg_code, o.name, o.version, e.id, e.kind, e.effective_date, e.payload
                 FROM organisation o JOIN org_event e ON e.org_id = o.id
                 WHERE o.reg_code IN ({}) ORDER BY o.id, e.effective_date, e.id",
                placeholders(chunk.len(), 0)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for c in chunk {
                q = q.bind(c.clone());
            }
            for row in q.fetch_all(&self.pool).await? {
                let summary = summary_from(&row)?;
                let kind: String = row.try_get(6)?;
                let date: String = row.try_get(7)?;
                let payload: String = row.try_get(8)?;
                let event = Event {
                    id: row.try_get(5)?,
                    kind: EventKind::parse(&kind)
                        .ok_or_else(|| Error::invalid("org_event.kind", kind))?,
                    effective: parse_date(&date).map_err(|e| Error::invalid("org_event", e))?,
                    payload: serde_json::from_str(&payload)
                        .map_err(|e| Error::invalid("org_event.payload", e.to_string()))?,
                };
                out.entry(summary.reg_code.clone())
                    .or_insert_with(|| (summary, Vec::new()))
                    .1
                    .push(event);
            }
        }
        Ok(out)
    }

    /// Yearly figures of organisations with these codes, keyed by (code, year).
    pub async fn figures_of(
        &self,
        reg_codes: &[String],
    ) -> Result<HashMap<(String, i32), YearFigures>> {
        let mut out = HashMap::new();
        for chunk in reg_codes.chunks(batch::IN_LIST_MAX) {
            let sql = format!(
                "SELECT o.reg_code, f.year, f.official_members, f.associate_members, f.workers,
                        f.charter_capital, f.total_assets, f.revenue, f.profit, f.average_income,
                        f.seasonal_workers, f.operating_capital
                 FROM org_figure f JOIN organisation o ON o.id = f.org_id
                 WHERE o.reg_code IN ({})",
                placeholders(chunk.len(), 0)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for c in chunk {
                q = q.bind(c.clone());
            }
            for row in q.fetch_all(&self.pool).await? {
                let f = figures_from(&row, 1)?;
                out.insert((row.try_get::<String, _>(0)?, f.year), f);
            }
        }
        Ok(out)
    }

    /// The yearly figures of one organisation, oldest first.
    pub async fn org_figures(&self, org_id: i64) -> Result<Vec<YearFigures>> {
        let rows = sqlx::query(
            "SELECT year, official_members, associate_members, workers, charter_capital,
                    total_assets, revenue, profit, average_income, seasonal_workers,
                    operating_capital
             FROM org_figure WHERE org_id = $1 ORDER BY year",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| figures_from(r, 0)).collect()
    }

    /// Writes a validated batch in one transaction: new organisations, events, the rebuilt
    /// projection of every touched organisation, yearly figures and one audit entry.
    pub async fn apply_batch(
        &self,
        batch: &RegistryBatch,
        author: &str,
        action: &str,
    ) -> Result<BatchOutcome> {
        let mut tx = self.pool.begin().await?;
        let outcome = self
            .apply_registry_batch_in(&mut tx, batch, author, action)
            .await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// [`Store::apply_batch`] inside the caller's transaction (with its audit entry).
    pub async fn apply_registry_batch_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        batch: &RegistryBatch,
        author: &str,
        action: &str,
    ) -> Result<BatchOutcome> {
        let outcome = self.apply_batch_in(tx, batch, author).await?;
        if !outcome.is_empty() {
            let (entity, id, after) = match batch.organisations.as_slice() {
                [one] if batch.events.is_empty() => (
                    "organisation",
                    one.reg_code.clone(),
                    serde_json::to_string(&one.established).unwrap_or_default(),
                ),
                _ => (
                    "registry",
                    "batch".to_string(),
                    serde_json::to_string(&outcome).unwrap_or_default(),
                ),
            };
            audit::record(tx, author, action, entity, &id, None, Some(&after)).await?;
        }
        Ok(outcome)
    }

    async fn apply_batch_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        batch: &RegistryBatch,
        author: &str,
    ) -> Result<BatchOutcome> {
        let mut outcome = BatchOutcome::default();
        let mut ids: HashMap<String, i64> = HashMap::new();
        if !batch.organisations.is_empty() {
            let rows: Vec<Vec<Value>> = batch
                .organisations
                .iter()
                .map(|o| {
                    let name = o
                        .established
                        .payload
                        .attributes
                        .as_ref()
                        .map(|a| a.name.clone())
                        .unwrap_or_default();
                    vec![
                        o.kind.code().into(),
                        o.reg_code.clone().into(),
                        text::fold(&name).into(),
                        text::sort_key(&name).into(),
                        name.into(),
                        // Derived from the establishment, as rebuild_intervals derives it.
                        o.established.payload.founding_members.into(),
                    ]
                })
                .collect();
            batch::insert(
                tx,
                "organisation",
                &[
                    "kind",
                    "reg_code",
                    "name_folded",
                    "name_sort",
                    "name",
                    "founding_members",
                ],
                &rows,
                "",
            )
            .await?;
            outcome.organisations = rows.len();
            if self.backend == Backend::Postgres && rows.len() >= batch::BULK_ROWS {
                // Without fresh statistics PostgreSQL serves the lookup of the new ids
                // below from the trigram index (its pending list scanned for every code),
                // about 0,5 s per 150 codes instead of a millisecond through the unique key.
                sqlx::query("ANALYZE organisation")
                    .execute(&mut **tx)
                    .await?;
            }
        }
        let mut codes: BTreeSet<String> = batch
            .organisations
            .iter()
            .map(|o| o.reg_code.clone())
            .collect();
        codes.extend(batch.events.iter().map(|(c, _)| c.clone()));
        codes.extend(batch.figures.iter().map(|(c, _)| c.clone()));
        let codes: Vec<String> = codes.into_iter().collect();
        for chunk in codes.chunks(batch::IN_LIST_MAX) {
            let sql = format!(
                "SELECT reg_code, id FROM organisation WHERE reg_code IN ({})",
                placeholders(chunk.len(), 0)
            );
            let mut q = sqlx::query_as::<_, (String, i64)>(AssertSqlSafe(sql));
            for c in chunk {
                q = q.bind(c.clone());
            }
            ids.extend(q.fetch_all(&mut **tx).await?);
        }
        let mut events: Vec<(String, Event)> = batch
            .organisations
            .iter()
            .map(|o| (o.reg_code.clone(), o.established.clone()))
            .collect();
        events.extend(batch.events.iter().cloned());
        outcome.events = self.write_events(tx, &ids, &events, author).await?;
        // New organisations have all their events in this batch: project them from memory.
        // Existing ones are rebuilt from the database, where their full history is.
        let new_kinds: HashMap<&str, OrgKind> = batch
            .organisations
            .iter()
            .map(|o| (o.reg_code.as_str(), o.kind))
            .collect();
        let mut new_histories: BTreeMap<&str, Vec<Event>> = BTreeMap::new();
        for (position, (code, event)) in events.iter().enumerate() {
            if new_kinds.contains_key(code.as_str()) {
                let mut e = event.clone();
                e.id = position as i64; // insertion order, as the database ids will be
                new_histories.entry(code).or_default().push(e);
            }
        }
        let mut interval_rows = Vec::new();
        for (code, history) in &new_histories {
            let states = registry::replay(history)?;
            for iv in registry::intervals(&states) {
                interval_rows.push(interval_row(ids[*code], new_kinds[code].code(), &iv));
            }
        }
        insert_intervals(tx, &interval_rows).await?;
        let touched: Vec<i64> = events
            .iter()
            .filter(|(c, _)| !new_kinds.contains_key(c.as_str()))
            .filter_map(|(c, _)| ids.get(c).copied())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        self.rebuild_intervals(tx, &touched).await?;
        if !batch.figures.is_empty() {
            let mut rows = Vec::new();
            let mut org_ids = Vec::new();
            for (code, f) in &batch.figures {
                let id = *ids
                    .get(code)
                    .ok_or_else(|| Error::NotFound(format!("tổ chức mã {code}")))?;
                org_ids.push(id);
                rows.push((id, f));
            }
            outcome.figures = upsert_figures(tx, &rows).await?;
            bump_versions(tx, &org_ids).await?;
        }
        Ok(outcome)
    }

    /// Inserts events and keeps each organisation's latest name current.
    async fn write_events(
        &self,
        tx: &mut Transaction<'_, Any>,
        ids: &HashMap<String, i64>,
        events: &[(String, Event)],
        author: &str,
    ) -> Result<usize> {
        let recorded_at = now_iso();
        let mut rows = Vec::with_capacity(events.len());
        for (code, e) in events {
            let id = *ids
                .get(code)
                .ok_or_else(|| Error::NotFound(format!("tổ chức mã {code}")))?;
            rows.push(vec![
                id.into(),
                e.kind.code().into(),
                e.effective.to_string().into(),
                recorded_at.clone().into(),
                author.into(),
                serde_json::to_string(&e.payload)
                    .map_err(|err| Error::invalid("payload", err.to_string()))?
                    .into(),
            ]);
        }
        batch::insert(
            tx,
            "org_event",
            &[
                "org_id",
                "kind",
                "effective_date",
                "recorded_at",
                "author",
                "payload",
            ],
            &rows,
            "",
        )
        .await?;
        Ok(rows.len())
    }

    /// Recomputes the projection of these organisations from their events, and their
    /// current name and founding members. Refuses (rolls back) if a history breaks a lifecycle rule.
    async fn rebuild_intervals(
        &self,
        tx: &mut Transaction<'_, Any>,
        org_ids: &[i64],
    ) -> Result<()> {
        for chunk in org_ids.chunks(batch::IN_LIST_MAX) {
            let list = placeholders(chunk.len(), 0);
            let sql = format!(
                "SELECT e.org_id, o.kind, e.id, e.kind, e.effective_date, e.payload, o.name,
                        o.founding_members
                 FROM org_event e JOIN organisation o ON o.id = e.org_id
                 WHERE e.org_id IN ({list}) ORDER BY e.org_id, e.effective_date, e.id"
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(*id);
            }
            let rows = q.fetch_all(&mut **tx).await?;
            let mut histories: Vec<StoredHistory> = Vec::new();
            for row in &rows {
                let org_id: i64 = row.try_get(0)?;
                let kind: String = row.try_get(3)?;
                let date: String = row.try_get(4)?;
                let payload: String = row.try_get(5)?;
                let event = Event {
                    id: row.try_get(2)?,
                    kind: EventKind::parse(&kind)
                        .ok_or_else(|| Error::invalid("org_event.kind", kind))?,
                    effective: parse_date(&date).map_err(|e| Error::invalid("org_event", e))?,
                    payload: serde_json::from_str::<EventPayload>(&payload)
                        .map_err(|e| Error::invalid("org_event.payload", e.to_string()))?,
                };
                match histories.last_mut() {
                    Some((id, _, _, _, events)) if *id == org_id => events.push(event),
                    _ => histories.push((
                        org_id,
                        row.try_get(1)?,
                        row.try_get(6)?,
                        row.try_get(7)?,
                        vec![event],
                    )),
                }
            }
            let mut interval_rows = Vec::new();
            let mut renamed = Vec::new();
            let mut founding = Vec::new();
            for (org_id, kind, stored_name, stored_founding, events) in &histories {
                let members = registry::founding_members(events);
                if members != *stored_founding {
                    founding.push((*org_id, members));
                }
                let states = registry::replay(events)?;
                for iv in registry::intervals(&states) {
                    interval_rows.push(interval_row(*org_id, kind, &iv));
                }
                if let Some(last) = states.last()
                    && last.attributes.name != *stored_name
                {
                    renamed.push((*org_id, last.attributes.name.clone()));
                }
            }
            let sql = format!("DELETE FROM org_interval WHERE org_id IN ({list})");
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(*id);
            }
            q.execute(&mut **tx).await?;
            insert_intervals(tx, &interval_rows).await?;
            for (org_id, name) in renamed {
                sqlx::query(
                    "UPDATE organisation SET name = $1, name_folded = $2, name_sort = $3
                     WHERE id = $4",
                )
                .bind(&name)
                .bind(text::fold(&name))
                .bind(text::sort_key(&name))
                .bind(org_id)
                .execute(&mut **tx)
                .await?;
            }
            for (org_id, members) in founding {
                sqlx::query("UPDATE organisation SET founding_members = $1 WHERE id = $2")
                    .bind(members)
                    .bind(org_id)
                    .execute(&mut **tx)
                    .await?;
            }
        }
        Ok(())
    }

    /// Rebuilds the whole projection from the events (after a bulk load or to repair it).
    pub async fn rebuild_projection(&self) -> Result<usize> {
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM organisation ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        let mut tx = self.pool.begin().await?;
        self.rebuild_intervals(&mut tx, &ids).await?;
        tx.commit().await?;
        Ok(ids.len())
    }

    /// Every organisation id, ascending.
    pub async fn org_ids(&self) -> Result<Vec<i64>> {
        Ok(
            sqlx::query_scalar("SELECT id FROM organisation ORDER BY id")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// The projection rows of one organisation (for checks and the organisation page).
    pub async fn org_intervals(&self, org_id: i64) -> Result<Vec<Interval>> {
        let rows = sqlx::query(
            "SELECT valid_from, valid_to, status, sector, commune, flags
             FROM org_interval WHERE org_id = $1 ORDER BY valid_from",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let from: String = r.try_get(0)?;
                let to: String = r.try_get(1)?;
                let status: String = r.try_get(2)?;
                Ok(Interval {
                    valid_from: parse_date(&from).map_err(|e| Error::invalid("valid_from", e))?,
                    valid_to: (to != OPEN_END)
                        .then(|| parse_date(&to))
                        .transpose()
                        .map_err(|e| Error::invalid("valid_to", e))?,
                    status: Status::from_code(&status)
                        .ok_or_else(|| Error::invalid("status", status))?,
                    sector: r.try_get(3)?,
                    commune: r.try_get(4)?,
                    flags: r.try_get(5)?,
                })
            })
            .collect()
    }
}

/// An organisation's events as read back for its projection: (organisation, kind, stored
/// name, stored founding members, events).
type StoredHistory = (i64, String, String, Option<i64>, Vec<Event>);

async fn insert_intervals(tx: &mut Transaction<'_, Any>, rows: &[Vec<Value>]) -> Result<()> {
    batch::insert(
        tx,
        "org_interval",
        &[
            "org_id",
            "valid_from",
            "valid_to",
            "kind",
            "status",
            "counted",
            "sector",
            "commune",
            "flags",
        ],
        rows,
        "",
    )
    .await
}

fn interval_row(org_id: i64, kind: &str, iv: &Interval) -> Vec<Value> {
    vec![
        org_id.into(),
        iv.valid_from.to_string().into(),
        iv.valid_to
            .map_or_else(|| OPEN_END.to_string(), |d| d.to_string())
            .into(),
        kind.into(),
        iv.status.code().into(),
        i64::from(iv.status.is_counted()).into(),
        iv.sector.clone().into(),
        iv.commune.clone().into(),
        iv.flags.into(),
    ]
}

/// Writes yearly figures, replacing the stored ones of the same organisation and year (every
/// figure of the year as given: a blank replaces a stored value with no figure). Returns how
/// many rows were written.
async fn upsert_figures(
    tx: &mut Transaction<'_, Any>,
    figures: &[(i64, &YearFigures)],
) -> Result<usize> {
    let rows: Vec<Vec<Value>> = figures
        .iter()
        .map(|(id, f)| {
            vec![
                (*id).into(),
                i64::from(f.year).into(),
                f.official_members.into(),
                f.associate_members.into(),
                f.workers.into(),
                f.charter_capital.into(),
                f.total_assets.into(),
                f.revenue.into(),
                f.profit.into(),
                f.average_income.into(),
                f.seasonal_workers.into(),
                f.operating_capital.into(),
            ]
        })
        .collect();
    batch::insert(
        tx,
        "org_figure",
        &[
            "org_id",
            "year",
            "official_members",
            "associate_members",
            "workers",
            "charter_capital",
            "total_assets",
            "revenue",
            "profit",
            "average_income",
            "seasonal_workers",
            "operating_capital",
        ],
        &rows,
        "ON CONFLICT (org_id, year) DO UPDATE SET
           official_members = excluded.official_members,
           associate_members = excluded.associate_members,
           workers = excluded.workers,
           charter_capital = excluded.charter_capital,
           total_assets = excluded.total_assets,
           revenue = excluded.revenue,
           profit = excluded.profit,
           average_income = excluded.average_income,
           seasonal_workers = excluded.seasonal_workers,
           operating_capital = excluded.operating_capital",
    )
    .await?;
    Ok(rows.len())
}

fn figures_from(row: &AnyRow, first: usize) -> Result<YearFigures> {
    let year: i64 = row.try_get(first)?;
    Ok(YearFigures {
        year: year as i32,
        official_members: row.try_get(first + 1)?,
        associate_members: row.try_get(first + 2)?,
        workers: row.try_get(first + 3)?,
        charter_capital: row.try_get(first + 4)?,
        total_assets: row.try_get(first + 5)?,
        revenue: row.try_get(first + 6)?,
        profit: row.try_get(first + 7)?,
        average_income: row.try_get(first + 8)?,
        seasonal_workers: row.try_get(first + 9)?,
        operating_capital: row.try_get(first + 10)?,
    })
}

async fn bump_versions(tx: &mut Transaction<'_, Any>, ids: &[i64]) -> Result<()> {
    let unique: Vec<i64> = ids
        .iter()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    for chunk in unique.chunks(batch::IN_LIST_MAX) {
        let sql = format!(
            "UPDATE organisation SET version = version + 1 WHERE id IN ({})",
            placeholders(chunk.len(), 0)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(*id);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Filters of the organisation list.
#[derive(Debug, Clone, Default)]
pub struct OrgFilter {
    /// The date the status and counting refer to.
    pub on: Option<Date>,
    pub kind: Option<OrgKind>,
    pub status: Option<Status>,
    /// Only organisations that exist (are counted) on the date.
    pub counted_only: bool,
    /// Accent-insensitive text in the name or registration code.
    pub search: String,
    /// Commune ids to keep (an area's communes in both eras, `Scope::communes`); None keeps
    /// every commune, an empty list keeps nothing.
    pub communes: Option<Vec<String>>,
    pub sector: Option<String>,
    /// Sectors to keep (a sector group's, for instance); None keeps every sector, an empty
    /// list keeps nothing.
    pub sectors: Option<Vec<String>>,
    pub limit: i64,
    pub offset: i64,
    /// Keyset paging: only the organisations after this one in the list's order (name, then
    /// id), so a page deep into a national list costs what the first one does. The offset
    /// still applies after it, and the total counts the matches after it.
    pub after: Option<i64>,
    /// Count matches only up to this many (a total of cap + 1 means "more than cap"), so
    /// that a page over a national registry does not count every row; None = exact.
    pub count_cap: Option<i64>,
}

/// One line of the organisation list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrgListItem {
    pub id: i64,
    pub kind: OrgKind,
    pub reg_code: String,
    pub name: String,
    pub status: Status,
    pub sector: String,
    pub commune: String,
}

impl Store {
    /// Whether at most 2,000 names or codes contain `folded` (SQLite's trigram index). The
    /// answer only picks the faster route, never the result, so it is remembered for the
    /// next pages of the same search; the memory is bounded and simply starts again when full.
    async fn few_names_match(&self, folded: &str, phrase: &str) -> Result<bool> {
        if let Some(few) = crate::sync::lock(&self.search_routes).get(folded) {
            return Ok(*few);
        }
        let matches: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT rowid FROM org_search WHERE org_search MATCH $1 LIMIT 2001)",
        )
        .bind(phrase)
        .fetch_one(&self.pool)
        .await?;
        let few = matches <= 2000;
        let mut routes = crate::sync::lock(&self.search_routes);
        if routes.len() >= 4096 {
            routes.clear();
        }
        routes.insert(folded.to_string(), few);
        Ok(few)
    }

    /// The SQL of a list and the values it binds, or None when the filter keeps nothing (an
    /// empty area or sector list). `list_orgs` runs it; `list_plans` shows how the database
    /// would run it.
    async fn list_query(&self, f: &OrgFilter) -> Result<Option<ListQuery>> {
        let on = f.on.unwrap_or_else(crate::domain::today).to_string();
        let communes: &[String] = match &f.communes {
            Some(c) if c.is_empty() => return Ok(None),
            Some(c) => c,
            None => &[],
        };
        let sectors: &[String] = match &f.sectors {
            Some(s) if s.is_empty() => return Ok(None),
            Some(s) => s,
            None => &[],
        };
        let folded = text::fold(&f.search).replace(['%', '_'], "");
        let folded = folded.trim();
        let mut filters = if communes.is_empty() {
            String::new()
        } else {
            format!(" AND i.commune IN ({})", placeholders(communes.len(), 6))
        };
        if !sectors.is_empty() {
            filters.push_str(&format!(
                " AND i.sector IN ({})",
                placeholders(sectors.len(), 6 + communes.len())
            ));
        }
        // How to find the rows fast (docs/benchmarks.md): on SQLite, a search of three
        // characters or more that few names match goes through the trigram index; a broad
        // list (no search, or one most names match; no area; no status, or "active", which
        // most have) walks the names in order and stops after the page; an area or a rarer
        // status goes through its own index (tests/it/list_plans.rs reads the plans).
        // PostgreSQL's trigram index serves LIKE.
        let mut search = if folded.is_empty() {
            String::new()
        } else {
            format!("%{folded}%")
        };
        let mut name_filter = "($4 = '' OR o.name_folded LIKE $4 OR o.reg_code LIKE $4)";
        let mut join = "JOIN";
        if self.backend == Backend::Sqlite {
            let phrase = format!("\"{}\"", folded.replace('"', "\"\""));
            let few = folded.chars().count() >= 3 && self.few_names_match(folded, &phrase).await?;
            if few {
                search = phrase;
                name_filter = "o.id IN (SELECT rowid FROM org_search WHERE org_search MATCH $4)";
            } else if communes.is_empty() && f.status.is_none_or(|s| s == Status::Active) {
                // SQLite keeps the left table of a CROSS JOIN as the outer loop.
                join = "CROSS JOIN";
            }
        }
        // Written as an equality only when asked, so the status index can serve it.
        let status_filter = if f.status.is_some() {
            "i.status = $3"
        } else {
            "$3 = ''"
        };
        if let Some(after) = f.after {
            // An integer, so it is written into the text rather than numbered among the
            // parameters that the IN lists above count from.
            filters.push_str(&format!(
                " AND (o.name_sort, o.id) > (SELECT a.name_sort, a.id FROM organisation a WHERE a.id = {after})"
            ));
        }
        let base = format!(
            "FROM organisation o {join} org_interval i ON i.org_id = o.id
                  AND i.valid_from <= $1 AND i.valid_to > $1
             WHERE ($2 = '' OR o.kind = $2) AND {status_filter}
               AND {name_filter}
               AND ($5 = 0 OR i.counted = 1) AND ($6 = '' OR i.sector = $6) {filters}"
        );
        let mut binds: Vec<Value> = vec![
            on.into(),
            f.kind.map(|k| k.code()).unwrap_or("").into(),
            f.status.map(|s| s.code()).unwrap_or("").into(),
            search.into(),
            i64::from(f.counted_only).into(),
            f.sector.clone().unwrap_or_default().into(),
        ];
        binds.extend(communes.iter().chain(sectors).map(|c| c.as_str().into()));
        Ok(Some(ListQuery { base, binds }))
    }

    /// How the database runs the count and the page of a list (`EXPLAIN QUERY PLAN` on
    /// SQLite, `EXPLAIN` on PostgreSQL), one line per step: the test that every list and
    /// search is served by an index reads it. `without_seq_scans` prices PostgreSQL's
    /// sequential scans out, to ask whether an index could serve the list at all.
    pub async fn list_plans(&self, f: &OrgFilter, without_seq_scans: bool) -> Result<Vec<String>> {
        let Some(list) = self.list_query(f).await? else {
            return Ok(Vec::new());
        };
        let explain = match self.backend {
            Backend::Sqlite => "EXPLAIN QUERY PLAN ",
            Backend::Postgres => "EXPLAIN ",
        };
        let mut conn = self.pool.acquire().await?;
        if without_seq_scans && self.backend == Backend::Postgres {
            // The setting stays with the connection, so it is not returned to the pool.
            conn.close_on_drop();
            sqlx::query("SET enable_seqscan = off")
                .execute(&mut *conn)
                .await?;
        }
        let mut lines = Vec::new();
        for sql in [list.count_sql(f.count_cap), list.rows_sql(f)] {
            let rows = list
                .bind(format!("{explain}{sql}"))
                .fetch_all(&mut *conn)
                .await?;
            for row in rows {
                // SQLite: (id, parent, notused, detail); PostgreSQL: one text column.
                let line: String = match self.backend {
                    Backend::Sqlite => row.try_get(3)?,
                    Backend::Postgres => row.try_get(0)?,
                };
                lines.push(line);
            }
        }
        Ok(lines)
    }

    /// Lists organisations as they stood on a date, in Vietnamese name order, with the
    /// total number of matches for paging.
    pub async fn list_orgs(&self, f: &OrgFilter) -> Result<(Vec<OrgListItem>, i64)> {
        let Some(list) = self.list_query(f).await? else {
            return Ok((Vec::new(), 0));
        };
        let total: i64 = list
            .bind(list.count_sql(f.count_cap))
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        let rows = list.bind(list.rows_sql(f)).fetch_all(&self.pool).await?;
        let items = rows
            .iter()
            .map(|r| {
                let kind: String = r.try_get(1)?;
                let status: String = r.try_get(4)?;
                Ok(OrgListItem {
                    id: r.try_get(0)?,
                    kind: OrgKind::parse(&kind).ok_or_else(|| Error::invalid("kind", kind))?,
                    reg_code: r.try_get(2)?,
                    name: r.try_get(3)?,
                    status: Status::from_code(&status)
                        .ok_or_else(|| Error::invalid("status", status))?,
                    sector: r.try_get(5)?,
                    commune: r.try_get(6)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((items, total))
    }
}

/// A list's SQL after its FROM, and the values it binds in order.
struct ListQuery {
    base: String,
    binds: Vec<Value>,
}

impl ListQuery {
    /// The count of matches, up to `cap` + 1 when capped.
    fn count_sql(&self, cap: Option<i64>) -> String {
        let base = &self.base;
        match cap {
            None => format!("SELECT CAST(COUNT(*) AS BIGINT) {base}"),
            Some(cap) => format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT 1 {base} LIMIT {}) AS capped",
                cap.max(0) + 1
            ),
        }
    }

    /// One page of rows in the list's order.
    fn rows_sql(&self, f: &OrgFilter) -> String {
        let limit = if f.limit <= 0 { 50 } else { f.limit };
        format!(
            "SELECT o.id, o.kind, o.reg_code, o.name, i.status, i.sector, i.commune {}
             ORDER BY o.name_sort, o.id LIMIT {limit} OFFSET {}",
            self.base,
            f.offset.max(0)
        )
    }

    /// The query of `sql` with this list's values bound.
    fn bind(&self, sql: String) -> sqlx::query::Query<'static, Any, sqlx::any::AnyArguments> {
        batch::bind(sqlx::query(AssertSqlSafe(sql)), &self.binds)
    }
}
