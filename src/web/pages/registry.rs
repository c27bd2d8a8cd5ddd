//! The registry: the list with filters and search, an organisation's page with its
//! timeline and everything linked to it, and the forms to register and record events.

use crate::app::registry::{self as app, EventInput, RegisterInput};
use crate::domain::access::Action;
use crate::domain::registry::{self, Event, OrgKind, Status};
use crate::domain::{text, today};
use crate::error::{Error, Problem};
use crate::store::registry::{OrgFilter, OrgSummary};
use crate::web::AppState;
use crate::web::error::{WebError, percent};
use crate::web::forms::{self, date_or, non_blank};
use crate::web::reach::{self, visible_org};
use crate::web::session::Viewer;
use crate::web::view::{Block, Cell, Field, FieldKind, Form, Layout, Page, Table};
use axum::Form as PostForm;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

const PAGE_SIZE: i64 = 50;
/// Matches are counted this far past the page; beyond it the page says "more than". A plain
/// list counts far enough for a province's total; a search that matches more than a few
/// hundred organisations needs refining rather than an exact count.
const COUNT_AHEAD: i64 = 1000;
const COUNT_AHEAD_SEARCH: i64 = 250;

/// Filters of the list, as in the query string.
#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub sector: Option<String>,
    /// A sector group (nông nghiệp, phi nông nghiệp, tín dụng): its sectors.
    pub group: Option<String>,
    pub status: Option<String>,
    pub area: Option<String>,
    pub on: Option<String>,
    pub all: Option<String>,
    pub page: Option<i64>,
    /// For an export: csv or xlsx.
    pub format: Option<String>,
}

impl ListQuery {
    fn link(&self, page: i64) -> String {
        let pairs = [
            ("q", self.q.clone()),
            ("kind", self.kind.clone()),
            ("sector", self.sector.clone()),
            ("group", self.group.clone()),
            ("status", self.status.clone()),
            ("area", self.area.clone()),
            ("on", self.on.clone()),
            ("all", self.all.clone()),
            ("page", Some(page.to_string())),
        ];
        let query: Vec<String> = pairs
            .iter()
            .filter_map(|(k, v)| {
                v.as_deref()
                    .filter(|v| !v.is_empty())
                    .map(|v| format!("{k}={}", percent(v)))
            })
            .collect();
        format!("/orgs?{}", query.join("&"))
    }

    /// The export address of the same filters (every page), ready for its `format=`.
    fn export_base(&self) -> String {
        let list = self.link(1);
        let filters = list
            .trim_start_matches("/orgs?")
            .trim_end_matches("page=1")
            .trim_end_matches('&');
        if filters.is_empty() {
            "/orgs/export?".to_string()
        } else {
            format!("/orgs/export?{filters}&")
        }
    }
}

/// The organisations the list's filters ask for (within the viewer's reach), and the date.
pub(super) fn filter_of(
    viewer: &Viewer,
    q: &ListQuery,
    taxonomy: &crate::domain::sector::Taxonomy,
) -> Result<(OrgFilter, time::Date), WebError> {
    let on = date_or(q.on.as_deref(), today()).map_err(WebError::invalid)?;
    let kind = non_blank(&q.kind).and_then(|k| OrgKind::parse(&k));
    let status = non_blank(&q.status).and_then(|s| Status::from_code(&s));
    let scope = reach::scope(&viewer.user.access(), non_blank(&q.area).as_deref())?;
    let sectors = non_blank(&q.group).map(|g| {
        crate::domain::sector::SectorGroup::from_code(&g).map_or_else(Vec::new, |group| {
            taxonomy
                .all()
                .iter()
                .filter(|s| s.group == group)
                .map(|s| s.code.clone())
                .collect()
        })
    });
    let filter = OrgFilter {
        on: Some(on),
        kind,
        status,
        counted_only: q.all.is_none() && status.is_none(),
        search: q.q.clone().unwrap_or_default(),
        communes: scope.communes(),
        sector: non_blank(&q.sector),
        sectors,
        ..OrgFilter::default()
    };
    Ok((filter, on))
}

/// GET /orgs
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, WebError> {
    viewer.require(Action::ViewRegistry)?;
    let t = |k| viewer.t(k);
    let page = q.page.unwrap_or(1).max(1);
    let ahead = if q.q.as_deref().is_some_and(|s| !s.trim().is_empty()) {
        COUNT_AHEAD_SEARCH
    } else {
        COUNT_AHEAD
    };
    let taxonomy = state.taxonomy().await?;
    let (filter, on) = filter_of(&viewer, &q, &taxonomy)?;
    let (items, total) = state
        .store
        .list_orgs(&OrgFilter {
            limit: PAGE_SIZE,
            offset: (page - 1) * PAGE_SIZE,
            count_cap: Some((page - 1) * PAGE_SIZE + ahead),
            ..filter
        })
        .await?;
    let deployment = state.deployment().await?;
    let all_label = t("filter.all");
    let filters = Form::get("filters", "/orgs", t("action.filter"))
        .field(
            Field::new("q", t("field.search"), FieldKind::Search)
                .value(q.q.clone().unwrap_or_default()),
        )
        .field(
            Field::new("kind", t("field.kind"), FieldKind::Select)
                .value(q.kind.clone().unwrap_or_default())
                .options(forms::kind_options(viewer.lang, Some(all_label))),
        )
        .field(
            Field::new("sector", t("field.sector"), FieldKind::Select)
                .value(q.sector.clone().unwrap_or_default())
                .options(forms::sector_options(
                    &taxonomy,
                    viewer.lang,
                    Some(all_label),
                )),
        )
        .field(
            Field::new("status", t("field.status"), FieldKind::Select)
                .value(q.status.clone().unwrap_or_default())
                .options(forms::status_options(viewer.lang, all_label)),
        )
        .field(
            Field::new("area", t("field.area"), FieldKind::Select)
                .value(q.area.clone().unwrap_or_default())
                .options(forms::area_options(
                    &deployment.area,
                    viewer.user.access().area_unit(),
                    Some(all_label),
                )),
        )
        .field(Field::new("on", t("field.on"), FieldKind::Date).value(text::date(on)));
    let mut table = Table::new(
        "",
        &[
            t("field.code"),
            t("field.name"),
            t("field.kind"),
            t("field.sector"),
            t("field.status"),
            t("field.area"),
        ],
    );
    table.id = "org-list".into();
    // An empty result says so, and what to try, rather than showing an empty table.
    table.empty = match non_blank(&q.q) {
        Some(search) => format!(
            "{} \"{search}\". {}",
            t("registry.no_match"),
            t("registry.no_match_hint")
        ),
        None => t("registry.none").to_string(),
    };
    for o in &items {
        table.rows.push(vec![
            Cell::text(&o.reg_code),
            Cell::link(&o.name, format!("/orgs/{}", percent(&o.reg_code))),
            Cell::text(o.kind.code()),
            Cell::text(forms::sector_name(&taxonomy, &o.sector, viewer.lang)),
            Cell::text(text::capitalise(viewer.lang.name(o.status))),
            Cell::text(forms::place(&o.commune, on)),
        ]);
    }
    let first = (page - 1) * PAGE_SIZE + 1;
    let capped = total > (page - 1) * PAGE_SIZE + ahead;
    let total_text = if capped {
        let more = t("registry.more_than");
        format!("{more} {}", text::number(total - 1))
    } else {
        text::number(total)
    };
    let summary = format!(
        "{} {} · {}–{}",
        total_text,
        t("registry.count"),
        text::number(first.min(total)),
        text::number((first - 1 + items.len() as i64).max(0))
    );
    let mut blocks = vec![Block::Form(filters)];
    if viewer.user.access().can(Action::EditRegistry) {
        blocks.push(Block::Links(vec![(
            t("org.new").into(),
            "/orgs/new".into(),
        )]));
    }
    blocks.push(Block::Table(table));
    blocks.push(Block::Links(super::list_export::links(
        t("action.download"),
        &q.export_base(),
    )));
    blocks.push(Block::Pager {
        summary,
        prev: (page > 1).then(|| q.link(page - 1)),
        next: (page * PAGE_SIZE < total).then(|| q.link(page + 1)),
    });
    Page {
        layout: Layout::for_viewer(&viewer, t("registry"), "registry"),
        blocks,
    }
    .render_html()
}

/// Query of the organisation page.
#[derive(Debug, Deserialize, Default)]
pub struct ShowQuery {
    pub on: Option<String>,
}

fn money_or_dash(v: Option<i64>) -> String {
    v.map(text::money).unwrap_or_else(|| "–".into())
}

fn count_or_dash(v: Option<i64>) -> String {
    v.map(text::number).unwrap_or_else(|| "–".into())
}

fn iso_to_vn(iso: &str) -> String {
    crate::domain::parse_date(iso.get(..10).unwrap_or(iso))
        .map(text::date)
        .unwrap_or_else(|_| iso.to_string())
}

/// What an event changed, in words.
fn describe(
    e: &Event,
    taxonomy: &crate::domain::sector::Taxonomy,
    lang: crate::web::i18n::Lang,
) -> String {
    let t = |k| lang.t(k);
    let c = &e.payload.changes;
    let mut parts = Vec::new();
    if let Some(a) = &e.payload.attributes {
        parts.push(format!(
            "{} · {}",
            a.name,
            forms::place(&a.commune, e.effective)
        ));
    }
    if let Some(n) = &c.name {
        parts.push(format!("{}: {n}", t("org.change.name")));
    }
    if let Some(a) = &c.address {
        parts.push(format!("{}: {a}", t("org.change.address")));
    }
    if let Some(commune) = &c.commune {
        parts.push(format!(
            "{}: {}",
            t("org.change.area"),
            forms::place(commune, e.effective)
        ));
    }
    if let Some(s) = &c.sector {
        let name = forms::sector_name(taxonomy, s, lang);
        parts.push(format!("{}: {name}", t("org.change.sector")));
    }
    if let Some(l) = c.law {
        parts.push(format!("{} {l}", t("org.change.law")));
    }
    if !e.payload.related.is_empty() {
        parts.push(format!(
            "{}: {}",
            t("org.change.related"),
            e.payload.related.join(", ")
        ));
    }
    if !e.payload.reference.is_empty() {
        parts.push(e.payload.reference.clone());
    }
    parts.join("; ")
}

/// GET /orgs/{code}
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<Html<String>, WebError> {
    viewer.require(Action::ViewRegistry)?;
    let t = |k| viewer.t(k);
    let access = viewer.user.access();
    let (org, events) = visible_org(&state, &access, &code).await?;
    let on = date_or(q.on.as_deref(), today()).map_err(WebError::invalid)?;
    let plain: Vec<Event> = events.iter().map(|e| e.event.clone()).collect();
    let states = registry::replay(&plain).map_err(Error::from)?;
    let taxonomy = state.taxonomy().await?;
    let mut facts = vec![
        (t("field.code").into(), org.reg_code.clone()),
        (
            t("field.kind").into(),
            text::capitalise(viewer.lang.name(org.kind)),
        ),
    ];
    match registry::state_at(&states, on) {
        None => facts.push((
            format!("{} {}", t("org.state"), text::date(on)),
            t("org.not_founded").into(),
        )),
        Some(s) => {
            let a = &s.attributes;
            facts.extend([
                (
                    format!("{} {}", t("org.state"), text::date(on)),
                    text::capitalise(viewer.lang.name(s.status)),
                ),
                (t("field.name").into(), a.name.clone()),
                (t("field.area").into(), forms::place(&a.commune, on)),
                (t("field.address").into(), a.address.clone()),
                (
                    t("field.sector").into(),
                    forms::sector_name(&taxonomy, &a.sector, viewer.lang),
                ),
                (t("field.law").into(), a.law.to_string()),
                (t("field.representative").into(), a.representative.clone()),
                (
                    t("field.new_type").into(),
                    if a.flags.new_type { "✓" } else { "—" }.into(),
                ),
            ]);
        }
    }
    if let Some(n) = registry::founding_members(&plain) {
        facts.push((t("org.figures.founding_members").into(), text::number(n)));
    }
    facts.push((t("field.version").into(), org.version.to_string()));
    let mut timeline = Table::new(
        t("org.events"),
        &[
            t("field.date"),
            t("field.event"),
            "",
            t("audit.when"),
            t("audit.who"),
        ],
    );
    timeline.id = "timeline".into();
    for e in &events {
        timeline.rows.push(vec![
            Cell::text(text::date(e.event.effective)),
            Cell::text(text::capitalise(viewer.lang.name(e.event.kind))),
            Cell::text(describe(&e.event, &taxonomy, viewer.lang)),
            Cell::text(forms::local_time(&e.recorded_at)),
            Cell::text(&e.author),
        ]);
    }
    let mut figures = Table::new(
        t("org.figures"),
        &[
            t("org.figures.year"),
            t("org.figures.official_members"),
            t("org.figures.associate_members"),
            t("org.figures.workers"),
            t("org.figures.seasonal_workers"),
            t("org.figures.charter_capital"),
            t("org.figures.operating_capital"),
            t("org.figures.total_assets"),
            t("org.figures.revenue"),
            t("org.figures.profit"),
            t("org.figures.average_income"),
        ],
    );
    figures.id = "figures".into();
    let may_edit = access.can(Action::EditRegistry);
    for f in state.store.org_figures(org.id).await? {
        let year = f.year.to_string();
        figures.rows.push(vec![
            if may_edit {
                Cell::link(
                    &year,
                    format!("/orgs/{}/figures?year={year}", percent(&org.reg_code)),
                )
            } else {
                Cell::text(&year)
            },
            Cell::num(count_or_dash(f.official_members)),
            Cell::num(count_or_dash(f.associate_members)),
            Cell::num(count_or_dash(f.workers)),
            Cell::num(count_or_dash(f.seasonal_workers)),
            Cell::num(money_or_dash(f.charter_capital)),
            Cell::num(money_or_dash(f.operating_capital)),
            Cell::num(money_or_dash(f.total_assets)),
            Cell::num(money_or_dash(f.revenue)),
            Cell::num(money_or_dash(f.profit)),
            Cell::num(money_or_dash(f.average_income)),
        ]);
    }
    let mut blocks = vec![Block::Facts(facts)];
    if access.can(Action::EditRegistry) {
        blocks.push(Block::Links(vec![(
            t("org.record_event").into(),
            format!("/orgs/{}/events", percent(&org.reg_code)),
        )]));
    }
    blocks.push(Block::Table(timeline));
    blocks.push(Block::Table(figures));
    if may_edit {
        blocks.push(Block::Links(vec![(
            t("org.figures.edit").into(),
            format!("/orgs/{}/figures", percent(&org.reg_code)),
        )]));
    }
    let evaluations = state.store.evaluations_of(org.id).await?;
    let mut results =
        super::evaluations::results_table(&state, &viewer, &org, &events, &evaluations).await?;
    results.caption = t("eval.title").into();
    blocks.push(Block::Table(results));
    blocks.push(Block::Links(vec![(
        t("eval.open_page").into(),
        format!("/orgs/{}/evaluations", percent(&org.reg_code)),
    )]));
    let d = state.store.dossier(org.id).await?;
    // Loans are the fund's, the other linked records the Alliance's: each shown only to the
    // roles that may read that part.
    let mut loans = Table::new(
        t("fund.loans"),
        &[
            t("field.date"),
            t("fund.purpose"),
            t("fund.amount"),
            t("fund.contract"),
        ],
    );
    if access.can(Action::ViewFund) {
        for l in &d.loans {
            let amount = l.detail.parse::<i64>().map(text::money).unwrap_or_default();
            loans.rows.push(vec![
                Cell::text(iso_to_vn(&l.date)),
                Cell::text(&l.what),
                Cell::num(amount),
                Cell::link(&l.key, format!("/fund/loans/{}", percent(&l.key))),
            ]);
        }
    }
    let lines = |caption: &str, rows: &[crate::store::dossier::DossierLine], money: bool| {
        let mut table = Table::new(caption, &[t("field.date"), "", "", ""]);
        for l in rows {
            let detail = if money {
                l.detail.parse::<i64>().map(text::money).unwrap_or_default()
            } else {
                l.detail.clone()
            };
            table.rows.push(vec![
                Cell::text(iso_to_vn(&l.date)),
                Cell::text(&l.what),
                Cell::text(detail),
                Cell::text(&l.key),
            ]);
        }
        table
    };
    // Only the parts that hold something, so that the page stays short.
    let mut linked = vec![loans];
    if access.can(Action::ViewAlliance) {
        linked.extend([
            lines(t("alliance.members"), &d.memberships, false),
            lines(t("alliance.programmes"), &d.programmes, false),
            lines(t("alliance.support"), &d.support, true),
            lines(t("alliance.activities"), &d.activities, false),
            lines(t("alliance.inspections"), &d.inspections, false),
        ]);
    }
    let linked: Vec<Block> = linked
        .into_iter()
        .filter(|table| !table.rows.is_empty())
        .map(Block::Table)
        .collect();
    if !linked.is_empty() {
        blocks.push(Block::Columns(linked));
    }
    Page {
        layout: Layout::for_viewer(
            &viewer,
            format!("{} – {}", org.reg_code, org.name),
            "registry",
        ),
        blocks,
    }
    .render_html()
}

/// The registration form as posted.
#[derive(Debug, Deserialize, Default)]
pub struct RegisterForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub commune: String,
    #[serde(default)]
    pub sector: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub representative: String,
    #[serde(default)]
    pub law: String,
    #[serde(default)]
    pub new_type: Option<String>,
    #[serde(default)]
    pub founding_members: String,
}

/// The communes the viewer may pick on the date typed in the form (today until one is).
async fn communes_on_typed_date(
    state: &AppState,
    viewer: &Viewer,
    typed: &str,
) -> Result<Vec<(String, String)>, WebError> {
    let on = crate::domain::parse_date(typed.trim()).unwrap_or_else(|_| today());
    let area = state.deployment().await?.area.clone();
    let access = viewer.user.access();
    Ok(forms::commune_options(&area, access.area_unit(), on))
}

async fn register_form(
    state: &AppState,
    viewer: &Viewer,
    v: &RegisterForm,
) -> Result<Form, WebError> {
    let t = |k| viewer.t(k);
    let taxonomy = state.taxonomy().await?;
    Ok(Form::post("register", "/orgs", t("action.save"))
        .field(
            Field::new("kind", t("field.kind"), FieldKind::Select)
                .value(if v.kind.is_empty() { "HTX" } else { &v.kind })
                .options(forms::kind_options(viewer.lang, None))
                .required(),
        )
        .field(
            Field::new("code", t("field.code"), FieldKind::Text)
                .value(&v.code)
                .required(),
        )
        .field(
            Field::new("name", t("field.name"), FieldKind::Text)
                .value(&v.name)
                .required(),
        )
        .field(
            Field::new("date", t("field.date"), FieldKind::Date)
                .value(&v.date)
                .required(),
        )
        .field(
            Field::new("commune", t("field.commune"), FieldKind::Text)
                .value(&v.commune)
                .communes(
                    communes_on_typed_date(state, viewer, &v.date).await?,
                    "date",
                )
                .required()
                .hint(t("org.commune_hint")),
        )
        .field(
            Field::new("sector", t("field.sector"), FieldKind::Select)
                .value(&v.sector)
                .options(forms::sector_options(&taxonomy, viewer.lang, None))
                .required(),
        )
        .field(Field::new("address", t("field.address"), FieldKind::Text).value(&v.address))
        .field(
            Field::new("representative", t("field.representative"), FieldKind::Text)
                .value(&v.representative),
        )
        .field(
            Field::new("law", t("field.law"), FieldKind::Select)
                .value(&v.law)
                .options(vec![
                    // Blank: the law in force on the founding date (app::registry::read).
                    (String::new(), t("field.law_by_date").into()),
                    ("2023".into(), format!("{} 2023", t("field.law"))),
                    ("2012".into(), format!("{} 2012", t("field.law"))),
                ]),
        )
        .field(
            Field::new("new_type", t("field.new_type"), FieldKind::Checkbox)
                .value(v.new_type.clone().unwrap_or_default()),
        )
        .field(
            Field::new(
                "founding_members",
                t("org.figures.founding_members"),
                FieldKind::Number,
            )
            .value(&v.founding_members),
        ))
}

/// GET /orgs/new
pub async fn new_form(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Html<String>, WebError> {
    viewer.require(Action::EditRegistry)?;
    let form = register_form(&state, &viewer, &RegisterForm::default()).await?;
    Page {
        layout: Layout::for_viewer(&viewer, viewer.t("org.new"), "registry"),
        blocks: vec![Block::Form(form)],
    }
    .render_html()
}

/// Shows a form again with every problem next to its field, the typed values kept.
fn form_error(viewer: &Viewer, title: &str, form: Form, e: WebError) -> Result<Response, WebError> {
    let (status, block) = match &e {
        WebError::Conflict(msg) => (
            StatusCode::CONFLICT,
            Some(Block::Notice(
                "error",
                format!("{}: {msg}", viewer.t("conflict.title")),
            )),
        ),
        WebError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, None),
        _ => return Err(e),
    };
    let mut blocks: Vec<Block> = block.into_iter().collect();
    blocks.push(Block::Form(form.with_problems(e.problems())));
    Ok((
        status,
        Page {
            layout: Layout::for_viewer(viewer, title, "registry"),
            blocks,
        }
        .render_html()?,
    )
        .into_response())
}

/// POST /orgs
pub async fn create(
    State(state): State<AppState>,
    viewer: Viewer,
    PostForm(v): PostForm<RegisterForm>,
) -> Result<Response, WebError> {
    viewer.require(Action::EditRegistry)?;
    let input = RegisterInput {
        kind: v.kind.clone(),
        code: v.code.clone(),
        name: v.name.clone(),
        date: v.date.clone(),
        commune: v.commune.clone(),
        sector: v.sector.clone(),
        address: v.address.clone(),
        registering_body: String::new(),
        law: v.law.parse().ok(),
        representative: v.representative.clone(),
        new_type: v.new_type.is_some(),
        founding_members: v.founding_members.clone(),
    };
    let title = viewer.t("org.new");
    let outcome =
        match app::check_registration_within(&state.store, &input, &viewer.user.access()).await {
            Ok(new) => state.store.create_org(new, &viewer.author(), today()).await,
            Err(e) => Err(e),
        };
    match outcome {
        Ok(org) => super::see_other(&format!("/orgs/{}", percent(&org.reg_code))),
        Err(e) => {
            let form = register_form(&state, &viewer, &v).await?;
            let e = match e {
                // A duplicate code is a mistake in the form, not a concurrent edit.
                Error::Conflict(msg) => WebError::Invalid(vec![Problem::new("code", msg)]),
                other => WebError::from(other),
            };
            form_error(&viewer, title, form, e)
        }
    }
}

/// The event form as posted.
#[derive(Debug, Deserialize, Default)]
pub struct EventForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub new_name: String,
    #[serde(default)]
    pub new_address: String,
    #[serde(default)]
    pub new_commune: String,
    #[serde(default)]
    pub new_sector: String,
    #[serde(default)]
    pub related: String,
    #[serde(default)]
    pub reference: String,
    #[serde(default)]
    pub version: Option<i64>,
}

async fn event_form_of(
    state: &AppState,
    viewer: &Viewer,
    org: &OrgSummary,
    v: &EventForm,
) -> Result<Form, WebError> {
    let t = |k| viewer.t(k);
    let taxonomy = state.taxonomy().await?;
    let none = t("field.unchanged");
    Ok(Form::post(
        "event",
        format!("/orgs/{}/events", percent(&org.reg_code)),
        t("action.record"),
    )
    .field(
        Field::new("version", "", FieldKind::Hidden)
            .value(v.version.unwrap_or(org.version).to_string()),
    )
    .field(
        Field::new("kind", t("field.event"), FieldKind::Select)
            .value(&v.kind)
            .options(forms::event_options(viewer.lang))
            .required(),
    )
    .field(
        Field::new("date", t("field.date"), FieldKind::Date)
            .value(&v.date)
            .required(),
    )
    .field(Field::new("reference", t("field.reference"), FieldKind::Text).value(&v.reference))
    .field(Field::new("new_name", t("field.new_name"), FieldKind::Text).value(&v.new_name))
    .field(Field::new("new_address", t("field.new_address"), FieldKind::Text).value(&v.new_address))
    .field(
        Field::new("new_commune", t("field.new_commune"), FieldKind::Text)
            .value(&v.new_commune)
            .communes(
                communes_on_typed_date(state, viewer, &v.date).await?,
                "date",
            )
            .hint(t("org.commune_hint")),
    )
    .field(
        Field::new("new_sector", t("field.new_sector"), FieldKind::Select)
            .value(&v.new_sector)
            .options(forms::sector_options(&taxonomy, viewer.lang, Some(none))),
    )
    .field(Field::new("related", t("field.related"), FieldKind::Text).value(&v.related)))
}

/// GET /orgs/{code}/events
pub async fn event_form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
) -> Result<Html<String>, WebError> {
    viewer.require(Action::EditRegistry)?;
    let (org, _) = visible_org(&state, &viewer.user.access(), &code).await?;
    let form = event_form_of(&state, &viewer, &org, &EventForm::default()).await?;
    Page {
        layout: Layout::for_viewer(
            &viewer,
            format!("{} – {}", viewer.t("org.record_event"), org.name),
            "registry",
        ),
        blocks: vec![Block::Form(form)],
    }
    .render_html()
}

/// POST /orgs/{code}/events: refused as a conflict when the organisation changed since the
/// form was opened (its version is in the form).
pub async fn record_event(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    PostForm(v): PostForm<EventForm>,
) -> Result<Response, WebError> {
    viewer.require(Action::EditRegistry)?;
    let access = viewer.user.access();
    let (org, history) = visible_org(&state, &access, &code).await?;
    let input = EventInput {
        kind: v.kind.clone(),
        date: v.date.clone(),
        new_name: Some(v.new_name.clone()),
        new_address: Some(v.new_address.clone()),
        new_commune: Some(v.new_commune.clone()),
        new_sector: Some(v.new_sector.clone()),
        new_law: None,
        related: vec![v.related.clone()],
        reference: v.reference.clone(),
    };
    let outcome = match app::check_event_within(&state.store, &history, &input, &access).await {
        Ok(event) => {
            state
                .store
                .record_event(org.id, v.version, event, &viewer.author(), today())
                .await
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok(org) => super::see_other(&format!("/orgs/{}", percent(&org.reg_code))),
        Err(e) => {
            let title = format!("{} – {}", viewer.t("org.record_event"), org.name);
            let e = match e {
                // A lifecycle rule is about the event's date in its history.
                Error::Rule(r) => WebError::Invalid(vec![Problem::new("date", r.to_string())]),
                Error::Period(p) => WebError::Invalid(vec![Problem::new("date", p.to_string())]),
                other => WebError::from(other),
            };
            // After a conflict the form carries the current version, so that saving again
            // (after looking at what changed) is a deliberate act.
            let v = match e {
                WebError::Conflict(_) => EventForm { version: None, ..v },
                _ => v,
            };
            let org = state.store.org_by_id(org.id).await?.unwrap_or(org);
            let form = event_form_of(&state, &viewer, &org, &v).await?;
            form_error(&viewer, &title, form, e)
        }
    }
}
