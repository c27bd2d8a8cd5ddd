//! Aggregates for reports, computed by the database over the interval projection.

use crate::domain::evaluation::{Exemption, Grade, exemption, suspended_days_in};
use crate::domain::parse_date;
use crate::domain::registry::{EventKind, OrgKind, YearFigures};
use crate::domain::report::evaluation::{EvaluatedOrg, Recorded};
use crate::domain::report::{FigureCoverage, FlowRow, MemberFigures, StockRow};
use crate::error::{Error, Result};
use crate::store::{Store, stored_code};
use sqlx::Row;
use std::collections::HashMap;
use time::{Date, Month};

/// Exits and other events a report counts within a period.
const FLOW_EVENTS: &str = "'established', 'ceased', 'dissolved', 'bankrupt', 'revoked', \
                           'converted', 'merged', 'absorbed', 'split'";

fn kind_of(s: String) -> Result<OrgKind> {
    OrgKind::parse(&s).ok_or_else(|| Error::invalid("kind", s))
}

impl Store {
    /// Counted organisations by kind, sector and commune on three dates, in one pass.
    pub async fn stock(&self, end: Date, baseline: Date, same_end: Date) -> Result<Vec<StockRow>> {
        let earliest = end.min(baseline).min(same_end).to_string();
        let latest = end.max(baseline).max(same_end).to_string();
        let rows = sqlx::query(
            "SELECT kind, sector, commune,
                CAST(SUM(CASE WHEN valid_from <= $1 AND valid_to > $1 THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN valid_from <= $2 AND valid_to > $2 THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN valid_from <= $3 AND valid_to > $3 THEN 1 ELSE 0 END) AS BIGINT)
             FROM org_interval
             WHERE counted = 1 AND valid_from <= $4 AND valid_to > $5
             GROUP BY kind, sector, commune",
        )
        .bind(end.to_string())
        .bind(baseline.to_string())
        .bind(same_end.to_string())
        .bind(latest)
        .bind(earliest)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StockRow {
                    kind: kind_of(r.try_get(0)?)?,
                    sector: r.try_get(1)?,
                    commune: r.try_get(2)?,
                    at_end: r.try_get(3)?,
                    at_baseline: r.try_get(4)?,
                    at_same_period_end: r.try_get(5)?,
                })
            })
            .collect()
    }

    /// Establishments, cessations and exits between two dates (inclusive), grouped by the
    /// organisation's kind, sector and commune on the event's date.
    pub async fn flows(&self, start: Date, end: Date) -> Result<Vec<FlowRow>> {
        let sql = format!(
            "SELECT e.kind, i.kind, i.sector, i.commune, CAST(COUNT(*) AS BIGINT)
             FROM org_event e
             JOIN org_interval i ON i.org_id = e.org_id
                  AND i.valid_from <= e.effective_date AND i.valid_to > e.effective_date
             WHERE e.effective_date >= $1 AND e.effective_date <= $2 AND e.kind IN ({FLOW_EVENTS})
             GROUP BY e.kind, i.kind, i.sector, i.commune"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(start.to_string())
            .bind(end.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let event: String = r.try_get(0)?;
                Ok(FlowRow {
                    event: EventKind::parse(&event)
                        .ok_or_else(|| Error::invalid("event", event))?,
                    kind: kind_of(r.try_get(1)?)?,
                    sector: r.try_get(2)?,
                    commune: r.try_get(3)?,
                    count: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// Foundings and dissolutions per year and commune between two dates (for trends).
    pub async fn yearly_flows(
        &self,
        start: Date,
        end: Date,
    ) -> Result<Vec<(i32, EventKind, String, i64)>> {
        let rows = sqlx::query(
            "SELECT SUBSTR(e.effective_date, 1, 4), e.kind, i.commune, CAST(COUNT(*) AS BIGINT)
             FROM org_event e
             JOIN org_interval i ON i.org_id = e.org_id
                  AND i.valid_from <= e.effective_date AND i.valid_to > e.effective_date
             WHERE e.effective_date >= $1 AND e.effective_date <= $2
               AND e.kind IN ('established', 'dissolved')
             GROUP BY SUBSTR(e.effective_date, 1, 4), e.kind, i.commune",
        )
        .bind(start.to_string())
        .bind(end.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let year: String = r.try_get(0)?;
                let event: String = r.try_get(1)?;
                Ok((
                    year.parse()
                        .map_err(|_| Error::invalid("year", year.clone()))?,
                    EventKind::parse(&event).ok_or_else(|| Error::invalid("event", event))?,
                    r.try_get(2)?,
                    r.try_get(3)?,
                ))
            })
            .collect()
    }

    /// The periods that have a plan, latest first.
    pub async fn plan_periods(&self) -> Result<Vec<String>> {
        Ok(
            sqlx::query_scalar("SELECT period FROM plan ORDER BY period DESC")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// Sums of the latest yearly figures up to `year` of each organisation counted on `on`
    /// (the latest known value), per commune, kind, field and year of those figures. Returns the
    /// sums and how many workers the average income is weighted by. The newer figures
    /// (seasonal workers, operating capital) sum to NULL when nobody reported them; every
    /// figure comes with how many reported it.
    pub async fn member_figures(
        &self,
        year: i32,
        on: Date,
    ) -> Result<Vec<(String, OrgKind, String, MemberFigures, i64)>> {
        let rows = sqlx::query(
            "SELECT i.commune, i.kind, CAST(COUNT(*) AS BIGINT),
                CAST(COALESCE(SUM(f.official_members), 0) AS BIGINT),
                CAST(COALESCE(SUM(f.associate_members), 0) AS BIGINT),
                CAST(COALESCE(SUM(f.workers), 0) AS BIGINT),
                CAST(COALESCE(SUM(f.charter_capital), 0) AS BIGINT),
                CAST(COALESCE(SUM(f.total_assets), 0) AS BIGINT),
                CAST(COALESCE(SUM(f.revenue), 0) AS BIGINT),
                CAST(COALESCE(SUM(f.profit), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN f.average_income IS NOT NULL AND f.workers IS NOT NULL
                                  THEN f.average_income * f.workers ELSE 0 END), 0) AS BIGINT),
                CAST(COALESCE(SUM(CASE WHEN f.average_income IS NOT NULL AND f.workers IS NOT NULL
                                  THEN f.workers ELSE 0 END), 0) AS BIGINT),
                CAST(SUM(f.seasonal_workers) AS BIGINT),
                CAST(SUM(f.operating_capital) AS BIGINT),
                CAST(COUNT(f.official_members) AS BIGINT),
                CAST(COUNT(f.associate_members) AS BIGINT),
                CAST(COUNT(f.workers) AS BIGINT),
                CAST(COUNT(f.seasonal_workers) AS BIGINT),
                CAST(COUNT(f.charter_capital) AS BIGINT),
                CAST(COUNT(f.operating_capital) AS BIGINT),
                CAST(COUNT(f.total_assets) AS BIGINT),
                CAST(COUNT(f.revenue) AS BIGINT),
                CAST(COUNT(f.profit) AS BIGINT),
                CAST(COUNT(f.average_income) AS BIGINT),
                CAST(f.year AS BIGINT), i.sector
             FROM (SELECT org_id, MAX(year) AS year FROM org_figure WHERE year <= $1
                   GROUP BY org_id) latest
             CROSS JOIN org_figure f
             CROSS JOIN org_interval i
             WHERE f.org_id = latest.org_id AND f.year = latest.year
               AND i.org_id = latest.org_id AND i.counted = 1
               AND i.valid_from <= $2 AND i.valid_to > $2
             GROUP BY i.commune, i.kind, i.sector, f.year",
        )
        .bind(i64::from(year))
        .bind(on.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind = interval_kind(r, 1)?;
                let income_weighted: i64 = r.try_get(10)?;
                let income_workers: i64 = r.try_get(11)?;
                let of_year = r.try_get::<i64, _>(24)? as i32;
                let organisations: i64 = r.try_get(2)?;
                Ok((
                    r.try_get(0)?,
                    kind,
                    r.try_get(25)?,
                    MemberFigures {
                        year: Some(of_year),
                        organisations_reporting: organisations,
                        by_year: [(of_year, organisations)].into(),
                        official_members: r.try_get(3)?,
                        associate_members: r.try_get(4)?,
                        workers: r.try_get(5)?,
                        charter_capital: r.try_get(6)?,
                        total_assets: r.try_get(7)?,
                        revenue: r.try_get(8)?,
                        profit: r.try_get(9)?,
                        average_income: if income_workers == 0 {
                            0
                        } else {
                            income_weighted / income_workers
                        },
                        seasonal_workers: r.try_get(12)?,
                        operating_capital: r.try_get(13)?,
                        reported: FigureCoverage {
                            official_members: r.try_get(14)?,
                            associate_members: r.try_get(15)?,
                            workers: r.try_get(16)?,
                            seasonal_workers: r.try_get(17)?,
                            charter_capital: r.try_get(18)?,
                            operating_capital: r.try_get(19)?,
                            total_assets: r.try_get(20)?,
                            revenue: r.try_get(21)?,
                            profit: r.try_get(22)?,
                            average_income: r.try_get(23)?,
                        },
                        // Set as the rows are summed by kind and area.
                        ..MemberFigures::default()
                    },
                    income_workers,
                ))
            })
            .collect()
    }

    /// The founding members of each organisation counted on `on` that has no yearly figures
    /// up to `year` and whose establishment recorded them: (commune, kind, field, members).
    pub async fn founding_members_without_figures(
        &self,
        year: i32,
        on: Date,
    ) -> Result<Vec<(String, OrgKind, String, i64)>> {
        // CROSS JOIN keeps SQLite's order: the few organisations with founding members first
        // (their partial index), each then finds its interval, instead of every counted
        // interval looking for founding members.
        let rows = sqlx::query(
            "SELECT i.commune, i.kind, o.founding_members, i.sector
             FROM organisation o
             CROSS JOIN org_interval i
             WHERE o.founding_members IS NOT NULL
               AND i.org_id = o.id AND i.counted = 1 AND i.valid_from <= $2 AND i.valid_to > $2
               AND NOT EXISTS (SELECT 1 FROM org_figure f WHERE f.org_id = o.id
                               AND f.year <= $1)",
        )
        .bind(i64::from(year))
        .bind(on.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind = interval_kind(r, 1)?;
                Ok((r.try_get(0)?, kind, r.try_get(3)?, r.try_get(2)?))
            })
            .collect()
    }

    /// The HTX, LHHTX and QTDND counted on 31 December of `year`, each with its sector and
    /// commune on that day, the latest version of its evaluation of the year, the year's
    /// figures, and the reason the registry gives for not grading it. Three queries, whatever
    /// the size of the registry: the organisations with their evaluation and figures, the
    /// year's foundings and the suspensions overlapping the year (for the registry's reasons).
    pub async fn evaluation_rows(&self, year: i32) -> Result<Vec<EvaluatedOrg>> {
        let bounds = |y| Date::from_calendar_date(y, Month::January, 1);
        let (start, next) = match (bounds(year), bounds(year + 1)) {
            (Ok(s), Ok(n)) => (s, n),
            _ => return Err(Error::invalid("year", format!("năm {year} không hợp lệ"))),
        };
        let end = next.previous_day().unwrap_or(next);
        // The columns are few and the rows unsorted: moving rows out of SQLite is most of the
        // cost at a national scale (docs/benchmarks.md).
        let rows = sqlx::query(
            "SELECT i.org_id, i.kind, i.sector, i.commune, e.outcome, e.grade,
                    e.exemption, f.org_id, f.official_members, f.revenue, f.total_assets
             FROM org_interval i
             LEFT JOIN org_evaluation e ON e.org_id = i.org_id AND e.year = $1
                  AND e.version = (SELECT MAX(l.version) FROM org_evaluation l
                                   WHERE l.org_id = i.org_id AND l.year = $1)
             LEFT JOIN org_figure f ON f.org_id = i.org_id AND f.year = $1
             WHERE i.counted = 1 AND i.kind IN ('HTX', 'LHHTX', 'QTDND')
               AND i.valid_from <= $2 AND i.valid_to > $2",
        )
        .bind(i64::from(year))
        .bind(end.to_string())
        .fetch_all(&self.pool)
        .await?;
        // What the registry's reasons need, and only for the few it concerns: those founded
        // after 1 January, and the suspensions that overlap the year.
        let founded: Vec<i64> = sqlx::query_scalar(
            "SELECT org_id FROM org_event
             WHERE kind = 'established' AND effective_date > $1 AND effective_date < $2",
        )
        .bind(start.to_string())
        .bind(next.to_string())
        .fetch_all(&self.pool)
        .await?;
        let founded: std::collections::HashSet<i64> = founded.into_iter().collect();
        let suspensions: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT org_id, valid_from, valid_to FROM org_interval
             WHERE status = 'suspended' AND valid_from < $1 AND valid_to > $2",
        )
        .bind(next.to_string())
        .bind(start.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut suspended: HashMap<i64, i64> = HashMap::new();
        for (org_id, from, to) in suspensions {
            let from = parse_date(&from).map_err(|e| Error::invalid("valid_from", e))?;
            let to = parse_date(&to).ok().filter(|d| *d < next);
            *suspended.entry(org_id).or_default() += suspended_days_in(year, from, to);
        }
        let mut orgs = rows
            .iter()
            .map(|r| {
                let org_id: i64 = r.try_get(0)?;
                let kind = kind_of(r.try_get(1)?)?;
                let outcome: Option<String> = r.try_get(4)?;
                let recorded = match outcome.as_deref() {
                    None => None,
                    Some("graded") => {
                        let g: Option<String> = r.try_get(5)?;
                        Some(Recorded::Graded(stored_code::<Grade>(
                            "grade",
                            g.as_deref().unwrap_or(""),
                        )?))
                    }
                    Some(_) => {
                        let e: Option<String> = r.try_get(6)?;
                        Some(Recorded::NotGraded(stored_code::<Exemption>(
                            "exemption",
                            e.as_deref().unwrap_or(""),
                        )?))
                    }
                };
                let has_figures = r.try_get::<Option<i64>, _>(7)?.is_some();
                let figures = has_figures
                    .then(|| -> Result<YearFigures> {
                        Ok(YearFigures {
                            year,
                            official_members: r.try_get(8)?,
                            revenue: r.try_get(9)?,
                            total_assets: r.try_get(10)?,
                            ..YearFigures::default()
                        })
                    })
                    .transpose()?;
                let registry_exemption = exemption(
                    kind,
                    founded.contains(&org_id),
                    suspended.get(&org_id).copied().unwrap_or(0),
                );
                Ok(EvaluatedOrg {
                    org_id,
                    kind,
                    sector: r.try_get(2)?,
                    commune: r.try_get(3)?,
                    recorded,
                    registry_exemption,
                    figures,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        // In one order on both databases (the demo draws from it); sorting here is cheaper
        // than in SQL.
        orgs.sort_unstable_by_key(|o| o.org_id);
        Ok(orgs)
    }
}

/// The organisation kind in column `i` of a row read from `org_interval`.
fn interval_kind(row: &sqlx::any::AnyRow, i: usize) -> Result<OrgKind> {
    let kind: String = row.try_get(i)?;
    OrgKind::parse(&kind).ok_or_else(|| Error::invalid("org_interval.kind", kind))
}
