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
use crate::store::trends::BookOnDay;
use crate::web::AppState;
use crate::web::error::{WebError, percent};
use crate::web::forms;
use crate::web::i18n::Lang;
use crate::web::session::Viewer;
use crate::web::svg_chart::{Point, TrendChart, Unit};
use crate::web::view::{
    Bar, Block, Chart, Field, FieldKind, Form, Layout, Page, PageContent, width,
};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use time::Date;

/// How long dashboard figures are reused.
const FRESH_FOR: Duration = Duration::from_secs(30);

/// What the dashboard shows.
#[derive(Debug, Clone, Default)]
pub struct DashboardData {
    pub on: Option<Date>,
    /// The area shown (a unit id), None for the whole deployment.
    pub area: Option<String>,
    pub total: i64,
    /// (kind code, count)
    pub by_kind: Vec<(String, i64)>,
    /// (group label, group code, count)
    pub by_group: Vec<(String, String, i64)>,
    /// (area name, unit id, count)
    pub by_area: Vec<(String, String, i64)>,
    /// (year, founded, dissolved)
    pub per_year: Vec<(i32, i64, i64)>,
    /// (year, HTX and LHHTX graded Tốt, Khá, Trung bình, Yếu) for the evaluated years up to
    /// the date (Circular 01/2020), latest six.
    pub grades_per_year: Vec<(i32, [i64; 4])>,
    pub fund: Option<PortfolioSummary>,
    /// Counted organisations per kind (in `OrgKind::ALL` order) at each year's end, the
    /// last point being the date itself.
    pub stock_per_year: Vec<(Date, Vec<i64>)>,
    /// The loan book at each month's end over two years, the last point being the date.
    pub book_per_month: Vec<BookOnDay>,
    /// Held activities per quarter over two years to the date: (year, quarter, count).
    pub activities_per_quarter: Vec<(i32, u8, i64)>,
    pub plan: Vec<Achievement>,
    pub plan_label: String,
    /// The charts and tables drawn from these figures, once per language: drawing them is
    /// most of the page's cost, and they change only when the figures do.
    drawn: [OnceLock<Arc<str>>; 2],
}

impl DashboardData {
    fn drawn_in(&self, lang: Lang) -> &OnceLock<Arc<str>> {
        match lang {
            Lang::Vi => &self.drawn[0],
            Lang::En => &self.drawn[1],
        }
    }
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
            .filter(|(at, _)| at.elapsed() < FRESH_FOR)
            .map(|(_, d)| d.clone())
    }

    /// Figures computed for the same scope and date, however long ago (the key holds the
    /// date, so yesterday's figures are never shown for today).
    fn stale(&self, key: &str) -> Option<Arc<DashboardData>> {
        let entries = crate::sync::lock(&self.entries);
        entries.get(key).map(|(_, d)| d.clone())
    }

    fn store(&self, key: String, d: Arc<DashboardData>) {
        let mut entries = crate::sync::lock(&self.entries);
        // Any date may be asked for: keep the memory bounded.
        if entries.len() >= 256 {
            entries.retain(|_, (at, _)| at.elapsed() < FRESH_FOR);
        }
        entries.insert(key, (Instant::now(), d));
    }
}

async fn compute(
    state: &AppState,
    access: &Access,
    on: Date,
    asked: Option<&str>,
) -> Result<DashboardData, WebError> {
    let scope = crate::web::reach::scope(access, asked)?;
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
    let mut by_area: HashMap<(String, String), i64> = HashMap::new();
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
        let unit = g
            .reporting_area(&r.commune, on, false)
            .map(|u| (u.full_name(), u.id.clone()))
            .unwrap_or_else(|| {
                // An organisation known only by its old district, after the reform.
                let name = g
                    .unit(&r.commune)
                    .map_or(r.commune.clone(), |u| u.full_name());
                (format!("{name} (cũ)"), r.commune.clone())
            });
        *by_area.entry(unit).or_default() += r.at_end;
    }
    let first = Date::from_calendar_date(on.year() - 9, time::Month::January, 1).unwrap_or(on);
    let mut flows_per_year: BTreeMap<i32, (i64, i64)> =
        (first.year()..=on.year()).map(|y| (y, (0, 0))).collect();
    for (year, event, commune, n) in state.store.yearly_flows(first, on).await? {
        if !keep(&commune) {
            continue;
        }
        let slot = flows_per_year.entry(year).or_default();
        match event {
            EventKind::Established => slot.0 += n,
            _ => slot.1 += n,
        }
    }
    let mut by_area: Vec<(String, String, i64)> =
        by_area.into_iter().map(|((n, id), c)| (n, id, c)).collect();
    by_area.sort_by(|a, b| {
        b.2.cmp(&a.2)
            .then_with(|| text::sort_key(&a.0).cmp(&text::sort_key(&b.0)))
    });
    by_area.truncate(15);
    let mut grades_per_year = Vec::new();
    let years = state.store.evaluation_years().await?;
    let shown: Vec<i32> = years.iter().copied().filter(|&y| y <= on.year()).collect();
    for &year in &shown[shown.len().saturating_sub(6)..] {
        use crate::domain::evaluation::Grade;
        let mut counts = [0; 4];
        for (commune, grade, n) in state.store.grade_counts(year).await? {
            if keep(&commune) {
                let slot = match grade {
                    Grade::Good => 0,
                    Grade::Fair => 1,
                    Grade::Average => 2,
                    Grade::Weak => 3,
                };
                counts[slot] += n;
            }
        }
        if counts.iter().any(|&n| n > 0) {
            grades_per_year.push((year, counts));
        }
    }
    let fund = if access.can(Action::ViewFund) && state.store.has_loans().await? {
        let buckets = state.deployment().await?.ageing();
        Some(state.store.portfolio_summary(on, &buckets).await?)
    } else {
        None
    };
    let stock_per_year = {
        let days = year_ends(on);
        let mut per_day = vec![vec![0; OrgKind::ALL.len()]; days.len()];
        for r in state.store.stock_on_days(&days).await? {
            if !keep(&r.commune) {
                continue;
            }
            let k = OrgKind::ALL.iter().position(|k| *k == r.kind).unwrap_or(0);
            for (slot, n) in per_day.iter_mut().zip(&r.counts) {
                slot[k] += n;
            }
        }
        days.into_iter().zip(per_day).collect()
    };
    // The loan book and the Alliance's activities are the province's: drawn for it alone.
    let book_per_month = if area.is_none() && fund.is_some() {
        state.store.loan_book_on_days(&month_ends(on)).await?
    } else {
        Vec::new()
    };
    let activities_per_quarter = if area.is_none() && access.can(Action::ViewAlliance) {
        let quarters = quarters_to(on);
        let mut counts: Vec<(i32, u8, i64)> = quarters.iter().map(|&(y, q)| (y, q, 0)).collect();
        if let Some(start) = quarters.first().and_then(|&(y, q)| quarter_start(y, q)) {
            for (y, q, n) in state.store.held_activities_per_quarter(start, on).await? {
                if let Some(slot) = counts.iter_mut().find(|c| c.0 == y && c.1 == q) {
                    slot.2 = n;
                }
            }
        }
        counts
    } else {
        Vec::new()
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
        area,
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
                    gr.code().to_string(),
                    by_group.get(gr).copied().unwrap_or(0),
                )
            })
            .collect(),
        by_area,
        per_year: flows_per_year
            .into_iter()
            .map(|(y, (f, d))| (y, f, d))
            .collect(),
        grades_per_year,
        fund,
        stock_per_year,
        book_per_month,
        activities_per_quarter,
        plan,
        plan_label,
        drawn: Default::default(),
    })
}

/// The dashboard figures for a user's scope, an area within it and a date, from the cache
/// when fresh.
pub async fn data(
    state: &AppState,
    access: &Access,
    on: Date,
    asked: Option<&str>,
) -> Result<Arc<DashboardData>, WebError> {
    // The scope is checked first, so that an area out of reach is refused before any cache.
    let scope = crate::web::reach::scope(access, asked)?;
    let key = format!(
        "{}|{}|{on}",
        scope.area_id().unwrap_or(""),
        access.can(Action::ViewFund)
    );
    let asked = asked.map(str::to_string);
    let cache = &state.dashboards;
    if let Some(d) = cache.fresh(&key) {
        return Ok(d);
    }
    // Expired figures are still shown while one request's task refreshes them, so that
    // nobody waits for the recomputation.
    if let Some(stale) = cache.stale(&key) {
        if let Ok(guard) = cache.computing.clone().try_lock_owned() {
            let (state, access) = (state.clone(), access.clone());
            tokio::spawn(async move {
                let _computing = guard;
                match compute(&state, &access, on, asked.as_deref()).await {
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
    let d = Arc::new(compute(state, access, on, asked.as_deref()).await?);
    cache.store(key, d.clone());
    Ok(d)
}

/// `?on=` and `?area=` of the dashboard.
#[derive(Debug, Deserialize, Default)]
pub struct DashboardQuery {
    pub on: Option<String>,
    pub area: Option<String>,
}

/// GET /?on=dd/mm/yyyy&area=…
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<DashboardQuery>,
) -> Result<Html<String>, WebError> {
    let t = |k| viewer.t(k);
    let access = viewer.user.access();
    let on = forms::date_or(q.on.as_deref(), today()).map_err(WebError::invalid)?;
    let asked = forms::non_blank(&q.area);
    let d = data(&state, &access, on, asked.as_deref()).await?;
    let deployment = state.deployment().await?;
    let picker = Form::get("dashboard", "/", t("action.show"))
        .field(Field::new("on", t("field.on"), FieldKind::Date).value(text::date(on)))
        .field(
            Field::new("area", t("field.area"), FieldKind::Select)
                .value(d.area.clone().unwrap_or_default())
                .options(forms::area_options(
                    &deployment.area,
                    access.area_unit(),
                    access.area_unit().is_none().then(|| t("filter.all")),
                )),
        );
    let layout = Layout::for_viewer(&viewer, t("dashboard"), "dashboard");
    let cell = d.drawn_in(viewer.lang);
    let drawn = match cell.get() {
        Some(html) => html.clone(),
        None => {
            let blocks = figure_blocks(&viewer, &d, on);
            let html: Arc<str> = PageContent {
                layout: &layout,
                blocks: &blocks,
            }
            .render()?
            .into();
            // Another request may have drawn it meanwhile: either drawing is the same.
            cell.get_or_init(|| html).clone()
        }
    };
    Page {
        layout,
        blocks: vec![
            Block::Form(picker),
            Block::Facts(vec![
                (t("field.on").into(), text::date(on)),
                (
                    t("total").into(),
                    format!("{} {}", text::number(d.total), t("registry.count")),
                ),
            ]),
            Block::Drawn(drawn),
        ],
    }
    .render_html()
}

/// The dashboard's charts, trends, fund and plan, drawn from its figures.
fn figure_blocks(viewer: &Viewer, d: &DashboardData, on: Date) -> Vec<Block> {
    let t = |k| viewer.t(k);
    // Every bar opens the registry list it counts: the same date, area and filter.
    let list = |filter: &str| registry_href(on, d.area.as_deref(), filter);
    let mut blocks = Vec::new();
    let per_year = TrendChart {
        id: "trend-flows".into(),
        title: t("dashboard.per_year").into(),
        series: vec![
            ("b0", t("dashboard.founded").into()),
            ("b1", t("dashboard.dissolved").into()),
        ],
        points: d
            .per_year
            .iter()
            .map(|(y, f, x)| Point {
                label: y.to_string(),
                values: vec![*f, *x],
                hrefs: Vec::new(),
            })
            .collect(),
        stacked: false,
        unit: Unit::Count,
        period_heading: t("dashboard.year").into(),
        table_label: t("dashboard.table").into(),
    };
    let by_kind: Vec<(String, i64, String, String)> = d
        .by_kind
        .iter()
        .map(|(kind, n)| {
            (
                kind.clone(),
                *n,
                text::number(*n),
                list(&format!("kind={}", percent(kind))),
            )
        })
        .collect();
    let by_group: Vec<(String, i64, String, String)> = d
        .by_group
        .iter()
        .map(|(label, code, n)| {
            // The cached figures carry the Vietnamese label; English pages name the group.
            let label = match (SectorGroup::from_code(code), viewer.lang) {
                (Some(g), crate::web::i18n::Lang::En) => text::capitalise(g.label_en()),
                _ => label.clone(),
            };
            (
                label,
                *n,
                text::number(*n),
                list(&format!("group={}", percent(code))),
            )
        })
        .collect();
    let by_area: Vec<(String, i64, String, String)> = d
        .by_area
        .iter()
        .map(|(name, id, n)| {
            let mut href = format!("/orgs?on={}&area={}", percent(&text::date(on)), percent(id));
            if id == name {
                // A commune the unit data does not know: the whole list of the area.
                href = list("");
            }
            (name.clone(), *n, text::number(*n), href)
        })
        .collect();
    let mut charts = vec![
        Block::Chart(Chart::linked(t("dashboard.by_kind"), &by_kind)),
        Block::Chart(Chart::linked(t("dashboard.by_sector"), &by_group)),
        Block::Chart(Chart::linked(t("dashboard.by_area"), &by_area)),
    ];
    if !d.grades_per_year.is_empty() {
        charts.push(Block::Chart(grades_chart(viewer, &d.grades_per_year)));
    }
    blocks.push(Block::Columns(charts));
    let mut trends = vec![
        Block::Trend(Box::new(stock_chart(viewer, d))),
        Block::Trend(Box::new(per_year)),
    ];
    if !d.book_per_month.is_empty() {
        trends.push(Block::Trend(Box::new(book_chart(
            viewer,
            &d.book_per_month,
        ))));
    }
    if !d.activities_per_quarter.is_empty() {
        trends.push(Block::Trend(Box::new(activities_chart(
            viewer,
            &d.activities_per_quarter,
        ))));
    }
    blocks.push(Block::Columns(trends));
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
                        viewer.lang.name(a.indicator),
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
    blocks
}

/// HTX and LHHTX by grade, one bar per grade and year (the yearly evaluation).
fn grades_chart(viewer: &Viewer, per_year: &[(i32, [i64; 4])]) -> Chart {
    use crate::domain::codes::Coded;
    use crate::domain::evaluation::Grade;
    const CLASSES: [&str; 4] = ["b0", "b2", "b1", "b3"];
    let max = per_year
        .iter()
        .flat_map(|(_, g)| g.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    Chart {
        title: viewer.t("dashboard.grades").into(),
        legend: Grade::ALL
            .iter()
            .zip(CLASSES)
            .map(|(g, class)| {
                (
                    class,
                    super::evaluations::grade_name(*g, viewer.lang).to_string(),
                )
            })
            .collect(),
        bars: per_year
            .iter()
            .map(|(year, counts)| Bar {
                label: year.to_string(),
                href: None,
                parts: counts
                    .iter()
                    .zip(CLASSES)
                    .map(|(n, class)| (class, width(*n, max), text::number(*n)))
                    .collect(),
            })
            .collect(),
    }
}

/// The year ends of the nine years before the date's, and the date itself.
fn year_ends(on: Date) -> Vec<Date> {
    let mut days: Vec<Date> = (on.year() - 9..on.year())
        .filter_map(|y| Date::from_calendar_date(y, time::Month::December, 31).ok())
        .collect();
    days.push(on);
    days
}

/// The month ends of the 23 months before the date's, and the date itself.
fn month_ends(on: Date) -> Vec<Date> {
    let mut days = Vec::new();
    let mut end = on.replace_day(1).ok().and_then(|d| d.previous_day());
    while let Some(day) = end {
        if days.len() == 23 {
            break;
        }
        days.push(day);
        end = day.replace_day(1).ok().and_then(|d| d.previous_day());
    }
    days.reverse();
    days.push(on);
    days
}

/// The eight quarters to the date's, oldest first.
fn quarters_to(on: Date) -> Vec<(i32, u8)> {
    let (mut y, mut q) = (on.year(), u8::from(on.month()).div_ceil(3));
    let mut out = Vec::new();
    for _ in 0..8 {
        out.push((y, q));
        (y, q) = if q == 1 { (y - 1, 4) } else { (y, q - 1) };
    }
    out.reverse();
    out
}

fn quarter_start(year: i32, quarter: u8) -> Option<Date> {
    let month = time::Month::try_from(quarter.saturating_sub(1) * 3 + 1).ok()?;
    Date::from_calendar_date(year, month, 1).ok()
}

/// Organisations by kind at each year's end, stacked, each part a link to its list.
fn stock_chart(viewer: &Viewer, d: &DashboardData) -> TrendChart {
    const CLASSES: [&str; 4] = ["b0", "b1", "b2", "b3"];
    let series = OrgKind::ALL
        .iter()
        .zip(CLASSES)
        .map(|(k, c)| (c, k.code().to_string()))
        .collect();
    let points = d
        .stock_per_year
        .iter()
        .map(|(day, counts)| {
            let year_end = day.month() == time::Month::December && day.day() == 31;
            Point {
                label: if year_end {
                    day.year().to_string()
                } else {
                    text::date(*day)
                },
                values: counts.clone(),
                hrefs: OrgKind::ALL
                    .iter()
                    .map(|k| {
                        Some(registry_href(
                            *day,
                            d.area.as_deref(),
                            &format!("kind={}", percent(k.code())),
                        ))
                    })
                    .collect(),
            }
        })
        .collect();
    TrendChart {
        id: "trend-stock".into(),
        title: viewer.t("dashboard.trend.stock").into(),
        series,
        points,
        stacked: true,
        unit: Unit::Count,
        period_heading: viewer.t("dashboard.when").into(),
        table_label: viewer.t("dashboard.table").into(),
    }
}

/// The registry list of a date and area, with a filter ("kind=HTX") or none.
fn registry_href(on: Date, area: Option<&str>, filter: &str) -> String {
    let mut href = format!("/orgs?on={}", percent(&text::date(on)));
    if let Some(area) = area {
        href.push_str(&format!("&area={}", percent(area)));
    }
    if !filter.is_empty() {
        href.push('&');
        href.push_str(filter);
    }
    href
}

/// The loan book at each month's end; each month links to the loan list on that date.
fn book_chart(viewer: &Viewer, book: &[BookOnDay]) -> TrendChart {
    let t = |k| viewer.t(k);
    TrendChart {
        id: "trend-book".into(),
        title: t("dashboard.trend.book").into(),
        series: vec![
            ("b0", t("fund.outstanding").into()),
            ("b1", t("fund.overdue").into()),
        ],
        points: book
            .iter()
            .map(|b| {
                let href = Some(format!("/fund/loans?on={}", percent(&text::date(b.on))));
                Point {
                    label: format!("{:02}/{}", u8::from(b.on.month()), b.on.year()),
                    values: vec![b.outstanding, b.overdue_principal],
                    hrefs: vec![href.clone(), href],
                }
            })
            .collect(),
        stacked: false,
        unit: Unit::Money,
        period_heading: t("dashboard.when").into(),
        table_label: t("dashboard.table").into(),
    }
}

/// Held activities per quarter; each quarter links to the Alliance's activities in it.
fn activities_chart(viewer: &Viewer, per_quarter: &[(i32, u8, i64)]) -> TrendChart {
    let t = |k| viewer.t(k);
    TrendChart {
        id: "trend-activities".into(),
        title: t("dashboard.trend.activities").into(),
        series: vec![("b2", t("alliance.activities").into())],
        points: per_quarter
            .iter()
            .map(|(y, q, n)| Point {
                label: format!("Q{q}/{y}"),
                values: vec![*n],
                hrefs: vec![Some(format!("/alliance?period={y}-Q{q}&part=activities"))],
            })
            .collect(),
        stacked: false,
        unit: Unit::Count,
        period_heading: t("dashboard.quarter").into(),
        table_label: t("dashboard.table").into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn month_ends_run_two_years_to_the_date() {
        let days = month_ends(date!(2022 - 06 - 30));
        assert_eq!(days.len(), 24);
        assert_eq!(days[0], date!(2020 - 07 - 31));
        assert!(days.contains(&date!(2022 - 02 - 28)));
        assert!(days.contains(&date!(2020 - 12 - 31)));
        assert_eq!(days.last(), Some(&date!(2022 - 06 - 30)));
        // A date in mid-month is the last point; the month before ends on its last day.
        let days = month_ends(date!(2024 - 03 - 15));
        assert_eq!(&days[22..], &[date!(2024 - 02 - 29), date!(2024 - 03 - 15)]);
    }

    #[test]
    fn year_ends_and_quarters_end_with_the_date() {
        let days = year_ends(date!(2022 - 06 - 30));
        assert_eq!(days.len(), 10);
        assert_eq!(days[0], date!(2013 - 12 - 31));
        assert_eq!(days[8], date!(2021 - 12 - 31));
        assert_eq!(days[9], date!(2022 - 06 - 30));
        let quarters = quarters_to(date!(2022 - 06 - 30));
        assert_eq!(quarters.first(), Some(&(2020, 3)));
        assert_eq!(quarters.last(), Some(&(2022, 2)));
        assert_eq!(quarter_start(2022, 2), Some(date!(2022 - 04 - 01)));
        assert_eq!(quarter_start(2022, 4), Some(date!(2022 - 10 - 01)));
    }
}
