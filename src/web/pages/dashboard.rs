//! The dashboard: the province (or the officer's area) at a glance — organisations by kind,
//! field and area, foundings and dissolutions per year, the fund, the plan. Figures are
//! cached for a short while because many people open this page at once.

use crate::domain::access::{Access, Action};
use crate::domain::geo::geo;
use crate::domain::period::Period;
use crate::domain::plans::Achievement;
use crate::domain::registry::{EventKind, OrgKind};
use crate::domain::sector::SectorGroup;
use crate::domain::{text, today};
use crate::report::figures::{ReportRequest, build};
use crate::store::fund::PortfolioSummary;
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::session::Viewer;
use crate::web::view::{Bar, Block, Chart, Layout, Page, width};
use axum::extract::State;
use axum::response::Html;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use time::Date;

/// How long dashboard figures are reused.
const FRESH_FOR: Duration = Duration::from_secs(30);

/// What the dashboard shows.
#[derive(Debug, Clone, Default)]
pub struct DashboardData {
    pub on: Option<Date>,
    pub total: i64,
    pub by_kind: Vec<(String, i64)>,
    pub by_group: Vec<(String, i64)>,
    pub by_area: Vec<(String, i64)>,
    /// (year, founded, dissolved)
    pub per_year: Vec<(i32, i64, i64)>,
    pub fund: Option<PortfolioSummary>,
    pub plan: Vec<Achievement>,
    pub plan_label: String,
}

/// Recently computed dashboards by scope, and a lock so that only one request computes
/// them at a time while the others wait for its result.
#[derive(Default)]
pub struct DashboardCache {
    entries: Mutex<HashMap<String, (Instant, Arc<DashboardData>)>>,
    computing: Arc<tokio::sync::Mutex<()>>,
}

impl DashboardCache {
    fn fresh(&self, key: &str) -> Option<Arc<DashboardData>> {
        let entries = crate::sync::lock(&self.entries);
        entries
            .get(key)
            .filter(|(at, d)| at.elapsed() < FRESH_FOR && d.on == Some(today()))
            .map(|(_, d)| d.clone())
    }

    /// Figures computed today, however long ago.
    fn of_today(&self, key: &str) -> Option<Arc<DashboardData>> {
        let entries = crate::sync::lock(&self.entries);
        entries
            .get(key)
            .filter(|(_, d)| d.on == Some(today()))
            .map(|(_, d)| d.clone())
    }

    fn store(&self, key: String, d: Arc<DashboardData>) {
        crate::sync::lock(&self.entries).insert(key, (Instant::now(), d));
    }
}

async fn compute(state: &AppState, access: &Access) -> Result<DashboardData, WebError> {
    let on = today();
    let scope = crate::web::reach::scope(access, None)?;
    let area = scope.area_id().map(str::to_string);
    let g = geo();
    let taxonomy = state.taxonomy().await?;
    let mut in_area: HashMap<String, bool> = HashMap::new();
    let mut keep = |commune: &str| -> bool {
        *in_area.entry(commune.to_string()).or_insert_with(|| {
            area.as_deref()
                .is_none_or(|a| g.commune_in_area(commune, a))
        })
    };
    let mut by_kind: BTreeMap<&str, i64> = BTreeMap::new();
    let mut by_group: HashMap<SectorGroup, i64> = HashMap::new();
    let mut by_area: HashMap<String, i64> = HashMap::new();
    let mut total = 0;
    for r in state.store.stock(on, on, on).await? {
        if r.at_end == 0 || !keep(&r.commune) {
            continue;
        }
        total += r.at_end;
        *by_kind.entry(r.kind.code()).or_default() += r.at_end;
        if let Some(s) = taxonomy.get(&r.sector) {
            *by_group.entry(s.group).or_default() += r.at_end;
        }
        let name = g
            .reporting_area(&r.commune, on, false)
            .map(|u| u.full_name())
            .unwrap_or_else(|| r.commune.clone());
        *by_area.entry(name).or_default() += r.at_end;
    }
    let first = Date::from_calendar_date(on.year() - 9, time::Month::January, 1).unwrap_or(on);
    let mut years: BTreeMap<i32, (i64, i64)> =
        (first.year()..=on.year()).map(|y| (y, (0, 0))).collect();
    for (year, event, commune, n) in state.store.yearly_flows(first, on).await? {
        if !keep(&commune) {
            continue;
        }
        let slot = years.entry(year).or_default();
        match event {
            EventKind::Established => slot.0 += n,
            _ => slot.1 += n,
        }
    }
    let mut by_area: Vec<(String, i64)> = by_area.into_iter().collect();
    by_area.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| text::sort_key(&a.0).cmp(&text::sort_key(&b.0)))
    });
    by_area.truncate(15);
    let fund = if access.can(Action::ViewFund) && state.store.has_loans().await? {
        let buckets = state.deployment().await?.ageing();
        Some(state.store.portfolio_summary(on, &buckets).await?)
    } else {
        None
    };
    // The plan of the latest period that has begun.
    let mut plan = Vec::new();
    let mut plan_label = String::new();
    if area.is_none() {
        for code in state.store.plan_periods().await? {
            if let Ok(p) = Period::parse(&code)
                && p.start <= on
            {
                let figures = build(&state.store, &ReportRequest::of(p.clone())).await?;
                plan = figures
                    .plans
                    .into_iter()
                    .filter(|a| a.plan_period == code)
                    .collect();
                plan_label = p.label.clone();
                break;
            }
        }
    }
    Ok(DashboardData {
        on: Some(on),
        total,
        by_kind: OrgKind::ALL
            .iter()
            .map(|k| {
                (
                    k.code().to_string(),
                    by_kind.get(k.code()).copied().unwrap_or(0),
                )
            })
            .collect(),
        by_group: SectorGroup::ALL
            .iter()
            .map(|gr| {
                (
                    text::capitalise(gr.label()),
                    by_group.get(gr).copied().unwrap_or(0),
                )
            })
            .collect(),
        by_area,
        per_year: years.into_iter().map(|(y, (f, d))| (y, f, d)).collect(),
        fund,
        plan,
        plan_label,
    })
}

/// The dashboard figures for a user's scope, from the cache when fresh.
pub async fn data(state: &AppState, access: &Access) -> Result<Arc<DashboardData>, WebError> {
    let key = format!(
        "{}|{}",
        access.area_unit().unwrap_or(""),
        access.can(Action::ViewFund)
    );
    let cache = &state.dashboards;
    if let Some(d) = cache.fresh(&key) {
        return Ok(d);
    }
    // Expired figures of today are still shown while one request's task refreshes them,
    // so that nobody waits for the recomputation.
    if let Some(stale) = cache.of_today(&key) {
        if let Ok(guard) = cache.computing.clone().try_lock_owned() {
            let (state, access) = (state.clone(), access.clone());
            tokio::spawn(async move {
                let _computing = guard;
                match compute(&state, &access).await {
                    Ok(d) => state.dashboards.store(key, Arc::new(d)),
                    Err(e) => tracing::warn!(error = ?e, "dashboard refresh failed"),
                }
            });
        }
        return Ok(stale);
    }
    let _computing = cache.computing.lock().await;
    // Someone may have computed it while this request waited.
    if let Some(d) = cache.fresh(&key) {
        return Ok(d);
    }
    let d = Arc::new(compute(state, access).await?);
    cache.store(key, d.clone());
    Ok(d)
}

/// GET /
pub async fn show(State(state): State<AppState>, viewer: Viewer) -> Result<Html<String>, WebError> {
    let t = |k| viewer.t(k);
    let access = viewer.user.access();
    let d = data(&state, &access).await?;
    let on = d.on.unwrap_or_else(today);
    let as_bars = |v: &[(String, i64)]| -> Vec<(String, i64, String)> {
        v.iter()
            .map(|(l, n)| (l.clone(), *n, text::number(*n)))
            .collect()
    };
    let mut blocks = vec![Block::Facts(vec![
        (t("field.on").into(), text::date(on)),
        (
            t("total").into(),
            format!("{} {}", text::number(d.total), t("registry.count")),
        ),
    ])];
    let max_year = d
        .per_year
        .iter()
        .map(|(_, f, x)| (*f).max(*x))
        .max()
        .unwrap_or(0)
        .max(1);
    let per_year = Chart {
        title: t("dashboard.per_year").into(),
        legend: vec![
            ("b0", t("dashboard.founded").into()),
            ("b1", t("dashboard.dissolved").into()),
        ],
        bars: d
            .per_year
            .iter()
            .map(|(y, f, x)| Bar {
                label: y.to_string(),
                parts: vec![
                    ("b0", width(*f, max_year), text::number(*f)),
                    ("b1", width(*x, max_year), text::number(*x)),
                ],
            })
            .collect(),
    };
    blocks.push(Block::Columns(vec![
        Block::Chart(Chart::single(t("dashboard.by_kind"), &as_bars(&d.by_kind))),
        Block::Chart(Chart::single(
            t("dashboard.by_sector"),
            &as_bars(&d.by_group),
        )),
        Block::Chart(Chart::single(t("dashboard.by_area"), &as_bars(&d.by_area))),
        Block::Chart(per_year),
    ]));
    let mut side = Vec::new();
    if let Some(f) = &d.fund {
        side.push(Block::Heading(t("dashboard.fund").into()));
        side.push(Block::Facts(vec![
            (t("fund.loans").into(), text::number(f.loans)),
            (t("fund.outstanding").into(), text::money(f.outstanding)),
            (t("fund.overdue").into(), text::money(f.overdue_principal)),
        ]));
        side.push(Block::Chart(Chart::single(
            "",
            &[
                (
                    t("fund.outstanding").to_string(),
                    f.outstanding,
                    text::money_approx(f.outstanding),
                ),
                (
                    t("fund.overdue").to_string(),
                    f.overdue_principal,
                    text::money_approx(f.overdue_principal),
                ),
            ],
        )));
    }
    if !d.plan.is_empty() {
        let bars: Vec<(String, i64, String)> = d
            .plan
            .iter()
            .map(|a| {
                let tenths = a
                    .achievement_pct
                    .map(|p| (p * 10.0).round() as i64)
                    .unwrap_or(0);
                (
                    format!(
                        "{} ({}/{})",
                        a.name,
                        a.actual
                            .map_or_else(|| "—".into(), |v| a.indicator.figure(v)),
                        a.indicator.figure(a.target)
                    ),
                    tenths,
                    format!("{}%", text::format_tenths(tenths)),
                )
            })
            .collect();
        side.push(Block::Chart(Chart::single(
            format!("{} – {}", t("dashboard.plan"), d.plan_label),
            &bars,
        )));
    }
    if !side.is_empty() {
        blocks.push(Block::Columns(side));
    }
    Page {
        layout: Layout::for_viewer(&viewer, t("dashboard"), "dashboard"),
        blocks,
    }
    .render_html()
}
