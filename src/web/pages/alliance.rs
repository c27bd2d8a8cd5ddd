//! The Alliance's own work for a period: members, committees, activities, programmes,
//! inspections, and the plan's targets against what was achieved; plus recording an activity.

use crate::app::alliance::{self as app, ActivityInput};
use crate::app::governance::{InspectionInput, SeatInput};
use crate::domain::access::Action;
use crate::domain::alliance::{ActivityKind, ActivityStatus};
use crate::domain::codes::Coded;
use crate::domain::governance::{Committee, InspectionKind, InspectionStatus};
use crate::domain::period::Period;
use crate::domain::{text, today};
use crate::error::{Error, Problem};
use crate::report::figures::{ReportRequest, build};
use crate::web::AppState;
use crate::web::error::{WebError, percent};
use crate::web::forms;
use crate::web::session::Viewer;
use crate::web::view::{Block, Cell, Chart, Field, FieldKind, Form, Layout, Page, Table};
use axum::Form as PostForm;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// `?period=` and `?part=` of the page.
#[derive(Debug, Deserialize, Default)]
pub struct PeriodQuery {
    pub period: Option<String>,
    pub part: Option<String>,
    /// The period picker's choice (composes `period`).
    #[serde(flatten)]
    pub pick: crate::web::period_picker::Picked,
}

/// The parts the Alliance's work is shown in, one readable table (and its form) each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Overview,
    Activities,
    Members,
    Committees,
    Programmes,
    Inspections,
}

impl Part {
    const ALL: [Part; 6] = [
        Self::Overview,
        Self::Activities,
        Self::Members,
        Self::Committees,
        Self::Programmes,
        Self::Inspections,
    ];

    /// The value of `?part=`.
    fn code(self) -> &'static str {
        match self {
            Self::Overview => "overview",
            Self::Activities => "activities",
            Self::Members => "members",
            Self::Committees => "committees",
            Self::Programmes => "programmes",
            Self::Inspections => "inspections",
        }
    }

    fn label_key(self) -> &'static str {
        match self {
            Self::Overview => "alliance.part.overview",
            Self::Activities => "alliance.activities",
            Self::Members => "alliance.members",
            Self::Committees => "alliance.committees",
            Self::Programmes => "alliance.programmes",
            Self::Inspections => "alliance.part.inspections",
        }
    }

    /// The part a query names; the overview when it names none.
    pub fn of(code: Option<&str>) -> Part {
        Self::ALL
            .into_iter()
            .find(|p| Some(p.code()) == code.map(str::trim))
            .unwrap_or(Self::Overview)
    }
}

/// The address of a part of the page for a period.
fn part_href(period: &str, part: Part) -> String {
    format!("/alliance?period={}&part={}", percent(period), part.code())
}

/// The current half-year, the usual reporting period.
pub fn current_period() -> String {
    let d = today();
    format!(
        "{}-H{}",
        d.year(),
        if u8::from(d.month()) <= 6 { 1 } else { 2 }
    )
}

/// The activity form as posted.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct ActivityForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub end: String,
    #[serde(default)]
    pub planned: Option<String>,
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub quantity: String,
    #[serde(default)]
    pub attendees: String,
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub partner: String,
    #[serde(default)]
    pub document_no: String,
    #[serde(default)]
    pub period: String,
}

fn activity_form(viewer: &Viewer, province: &str, period: &str, v: &ActivityForm) -> Form {
    let t = |k| viewer.t(k);
    Form::post("activity", "/alliance/activities", t("action.add"))
        .field(Field::new("period", "", FieldKind::Hidden).value(period))
        .field(
            Field::new("kind", t("field.kind"), FieldKind::Select)
                .value(&v.kind)
                .options(
                    ActivityKind::ALL
                        .iter()
                        .map(|k| (k.code().to_string(), text::capitalise(viewer.lang.name(*k))))
                        .collect(),
                )
                .required(),
        )
        .field(
            Field::new("title", t("field.name"), FieldKind::Text)
                .value(&v.title)
                .required(),
        )
        .field(
            Field::new("date", t("field.date"), FieldKind::Date)
                .value(&v.date)
                .required(),
        )
        .field(Field::new("end", t("alliance.activity.end"), FieldKind::Date).value(&v.end))
        .field(
            Field::new(
                "planned",
                t("alliance.activity.planned"),
                FieldKind::Checkbox,
            )
            .value(v.planned.clone().unwrap_or_default()),
        )
        .field(
            Field::new("area", t("field.area"), FieldKind::Select)
                .value(&v.area)
                .options(forms::area_options(province, None, Some("—"))),
        )
        .field(
            Field::new(
                "quantity",
                t("alliance.activity.quantity_label"),
                FieldKind::Number,
            )
            .value(&v.quantity),
        )
        .field(
            Field::new(
                "attendees",
                t("alliance.activity.attendees_label"),
                FieldKind::Number,
            )
            .value(&v.attendees),
        )
        .field(
            Field::new("channel", t("alliance.activity.channel"), FieldKind::Text)
                .value(&v.channel),
        )
        .field(
            Field::new("partner", t("alliance.activity.partner"), FieldKind::Text)
                .value(&v.partner),
        )
        .field(Field::new("document_no", t("field.number"), FieldKind::Text).value(&v.document_no))
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    period_code: &str,
    part: Part,
    form: Option<(Posted, Vec<Problem>)>,
) -> Result<Response, WebError> {
    let t = |k| viewer.t(k);
    let period = Period::parse(period_code).map_err(Error::from)?;
    let mut picker = Form::get("period", "/alliance", t("action.filter"));
    let shown = crate::web::period_picker::Picked::of(&period);
    for f in shown.fields(viewer.lang, Some(&period), today()) {
        picker = picker.field(f);
    }
    let picker = picker.field(Field::new("part", "", FieldKind::Hidden).value(part.code()));
    let tabs = Part::ALL
        .into_iter()
        .map(|p| {
            (
                t(p.label_key()).to_string(),
                part_href(period_code, p),
                p == part,
            )
        })
        .collect();
    let mut blocks = vec![Block::Form(picker), Block::Tabs(tabs)];
    blocks.extend(match part {
        Part::Overview => overview_blocks(state, viewer, &period).await?,
        Part::Activities => vec![
            activities_table(state, viewer, &period).await?,
            Block::Links(super::list_export::links(
                t("action.download"),
                &format!(
                    "/alliance/activities/export?period={}&",
                    percent(&period.code)
                ),
            )),
        ],
        Part::Members => vec![members_table(state, viewer, &period).await?],
        Part::Committees => committee_blocks(state, viewer, &period).await?,
        Part::Programmes => programme_blocks(state, viewer, &period).await?,
        Part::Inspections => inspection_blocks(state, viewer, &period).await?,
    });
    let mut status = StatusCode::OK;
    if viewer.user.access().can(Action::EditAlliance) {
        let deployment = state.deployment().await?;
        let (mut activity, mut seat, mut inspection) = (
            ActivityForm::default(),
            SeatForm::default(),
            InspectionForm::default(),
        );
        let mut problems = None;
        match form {
            Some((Posted::Activity(v), p)) => (activity, problems) = (v, Some(p)),
            Some((Posted::Seat(v), p)) => (seat, problems) = (v, Some(p)),
            Some((Posted::Inspection(v), p)) => (inspection, problems) = (v, Some(p)),
            None => {}
        }
        // Each part carries the form that adds to its table.
        let form = match part {
            Part::Activities => Some((
                t("alliance.activities"),
                activity_form(viewer, &deployment.area, period_code, &activity),
            )),
            Part::Committees => Some((
                t("alliance.committees"),
                seat_form(viewer, period_code, &seat),
            )),
            Part::Inspections => Some((
                t("alliance.inspections"),
                inspection_form(viewer, period_code, &inspection),
            )),
            _ => None,
        };
        if let Some((title, mut f)) = form {
            if let Some(problems) = &problems {
                status = StatusCode::UNPROCESSABLE_ENTITY;
                f = f.with_problems(problems);
            }
            blocks.push(Block::Heading(format!(
                "{} – {}",
                t("action.add"),
                title.to_lowercase()
            )));
            blocks.push(Block::Form(f));
        }
    }
    let page = Page {
        layout: Layout::for_viewer(
            viewer,
            format!("{} – {}", t("alliance"), period.label),
            "alliance",
        ),
        blocks,
    };
    Ok((status, page.render_html()?).into_response())
}

/// The overview: the period's figures, the programmes and committees in numbers, and the
/// plan's targets against what was achieved.
async fn overview_blocks(
    state: &AppState,
    viewer: &Viewer,
    period: &Period,
) -> Result<Vec<Block>, WebError> {
    let t = |k| viewer.t(k);
    let figures = build(&state.store, &ReportRequest::of(period.clone())).await?;
    let mut blocks = Vec::new();
    if let Some(a) = &figures.alliance {
        blocks.push(Block::Facts(vec![
            (
                t("alliance.training").into(),
                match a.training.attendances {
                    Some(n) => format!(
                        "{} {}, {} {}",
                        text::count(a.training.classes),
                        t("alliance.unit.classes"),
                        text::number(n),
                        t("alliance.unit.attendances")
                    ),
                    None => format!(
                        "{} {}",
                        text::count(a.training.classes),
                        t("alliance.unit.classes")
                    ),
                },
            ),
            (
                t("alliance.media").into(),
                format!(
                    "{} {}, {} {}, {} {}",
                    text::count(a.media.series),
                    t("alliance.unit.series"),
                    text::count(a.media.articles),
                    t("alliance.unit.articles"),
                    text::number(a.media.website_posts),
                    t("alliance.unit.web_posts")
                ),
            ),
            (t("alliance.new_members").into(), text::count(a.new_members)),
            (
                t("alliance.members_at_end").into(),
                text::number(a.members_at_end),
            ),
            (
                t("alliance.inspections").into(),
                format!(
                    "{} {}, {} {}; {} {}, {} {}",
                    a.supervision.inspections_done,
                    t("alliance.unit.inspections"),
                    a.supervision.supervisions_done,
                    t("alliance.unit.supervisions"),
                    a.supervision.complaints_received,
                    t("alliance.unit.complaints_received"),
                    a.supervision.complaints_handled,
                    t("alliance.unit.complaints_handled")
                ),
            ),
            (
                t("alliance.support").into(),
                format!(
                    "{} {}, {} {}, {}",
                    a.support.count,
                    t("alliance.unit.grants"),
                    a.support.organisations,
                    t("alliance.unit.organisations"),
                    text::money(a.support.amount)
                ),
            ),
        ]));
        blocks.push(Block::Columns(vec![
            Block::Table(programme_summary(viewer, a)),
            Block::Table(committee_summary(viewer, a)),
        ]));
    }
    let mut plan = Table::new(
        t("alliance.plans"),
        &[
            t("alliance.plan.indicator"),
            t("alliance.plan.plan"),
            t("alliance.plan.target"),
            t("alliance.plan.actual"),
            t("alliance.plan.achieved"),
        ],
    );
    plan.id = "plan".into();
    let mut bars = Vec::new();
    for a in &figures.plans {
        let pct = a
            .achievement_pct
            .map(|p| format!("{}%", text::format_tenths((p * 10.0).round() as i64)));
        plan.rows.push(vec![
            Cell::text(&a.name),
            Cell::text(&a.plan_label),
            Cell::num(a.indicator.figure(a.target)),
            Cell::num(
                a.actual
                    .map_or_else(|| "—".into(), |v| a.indicator.figure(v)),
            ),
            Cell::num(pct.clone().unwrap_or_else(|| "—".into())),
        ]);
        if let Some(p) = a.achievement_pct {
            bars.push((
                a.name.clone(),
                (p * 10.0).round() as i64,
                pct.unwrap_or_default(),
            ));
        }
    }
    blocks.push(Block::Table(plan));
    if !bars.is_empty() {
        blocks.push(Block::Chart(Chart::single(t("dashboard.plan"), &bars)));
    }
    Ok(blocks)
}

/// Programmes in numbers: organisations nominated, evaluated and selected in the period.
fn programme_summary(viewer: &Viewer, a: &crate::domain::report::AllianceFigures) -> Table {
    let t = |k| viewer.t(k);
    let mut programmes = Table::new(
        t("alliance.programmes"),
        &[
            t("alliance.programme.name"),
            t("alliance.programme.decision"),
            t("alliance.programme.nominated"),
            t("alliance.programme.evaluated"),
            t("alliance.programme.selected"),
        ],
    );
    for p in &a.programmes {
        programmes.rows.push(vec![
            Cell::text(&p.name),
            Cell::text(&p.decision),
            Cell::num(p.nominated.to_string()),
            Cell::num(p.evaluated.to_string()),
            Cell::num(p.selected.to_string()),
        ]);
    }
    programmes
}

/// Committees in numbers: seats held at the end and appointments in the period.
fn committee_summary(viewer: &Viewer, a: &crate::domain::report::AllianceFigures) -> Table {
    let t = |k| viewer.t(k);
    let mut committees = Table::new(
        t("alliance.committees"),
        &[
            t("alliance.committee.name"),
            t("alliance.committee.held"),
            t("alliance.committee.appointed"),
        ],
    );
    for (name, appointed, held) in &a.governance.committees {
        committees.rows.push(vec![
            Cell::text(name),
            Cell::num(held.to_string()),
            Cell::num(appointed.to_string()),
        ]);
    }
    committees
}

/// The period's activities.
async fn activities_table(
    state: &AppState,
    viewer: &Viewer,
    period: &Period,
) -> Result<Block, WebError> {
    let t = |k| viewer.t(k);
    let mut activities = Table::new(
        t("alliance.activities"),
        &[
            t("field.date"),
            t("field.kind"),
            t("field.name"),
            t("field.area"),
            t("alliance.activity.attendees"),
            t("alliance.activity.quantity"),
            t("field.note"),
        ],
    );
    activities.id = "activities".into();
    for a in state.store.activities(period.start, period.end).await? {
        activities.rows.push(vec![
            Cell::text(text::date(a.start)),
            Cell::text(text::capitalise(viewer.lang.name(a.kind))),
            Cell::text(&a.title),
            Cell::text(if a.area.is_empty() {
                String::new()
            } else {
                forms::unit_name(&a.area)
            }),
            Cell::num(a.attendees.map(text::number).unwrap_or_default()),
            Cell::num(text::number(a.quantity)),
            Cell::text(match a.status {
                ActivityStatus::Planned => t("alliance.activity.planned_note").to_string(),
                ActivityStatus::Held => [
                    a.document_no.as_str(),
                    a.partner.as_str(),
                    a.channel.as_str(),
                ]
                .iter()
                .filter(|s| !s.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join("; "),
            }),
        ]);
    }
    Ok(Block::Table(activities))
}

/// GET /alliance
pub async fn overview(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, WebError> {
    viewer.require(Action::ViewAlliance)?;
    let period = match q.pick.period(q.period.as_deref()) {
        Ok(Some(p)) => p.code,
        Ok(None) => current_period(),
        Err(problem) => return Err(WebError::Invalid(vec![problem])),
    };
    page(&state, &viewer, &period, Part::of(q.part.as_deref()), None).await
}

/// The form as the shared input.
pub fn activity_input(v: &ActivityForm) -> ActivityInput {
    ActivityInput {
        kind: v.kind.clone(),
        title: v.title.clone(),
        date: v.date.clone(),
        end: v.end.clone(),
        planned: v.planned.as_deref().is_some_and(|p| !p.trim().is_empty()),
        area: v.area.clone(),
        quantity: v.quantity.clone(),
        attendees: v.attendees.clone(),
        channel: v.channel.clone(),
        partner: v.partner.clone(),
        document_no: v.document_no.clone(),
        ..ActivityInput::default()
    }
}

/// POST /alliance/activities
pub async fn add_activity(
    State(state): State<AppState>,
    viewer: Viewer,
    PostForm(v): PostForm<ActivityForm>,
) -> Result<Response, WebError> {
    viewer.require(Action::EditAlliance)?;
    let period = forms::non_blank(&Some(v.period.clone())).unwrap_or_else(current_period);
    let access = viewer.user.access();
    match app::add_activity(&state.store, &activity_input(&v), &access, &viewer.author()).await {
        Ok(_) => super::see_other(&format!(
            "{}#activities",
            part_href(&period, Part::Activities)
        )),
        Err(Error::Invalid(problems)) => {
            page(
                &state,
                &viewer,
                &period,
                Part::Activities,
                Some((Posted::Activity(v), problems)),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// A form posted to the page and refused, shown again with its problems.
pub enum Posted {
    Activity(ActivityForm),
    Seat(SeatForm),
    Inspection(InspectionForm),
}

/// The committee-seat form as posted: the shared input and the page's period.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct SeatForm {
    #[serde(flatten)]
    pub input: SeatInput,
    #[serde(default)]
    pub period: String,
}

/// The inspection form as posted: the shared input and the page's period.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct InspectionForm {
    #[serde(flatten)]
    pub input: InspectionInput,
    #[serde(default)]
    pub period: String,
}

fn options<T: Coded>(lang: crate::web::i18n::Lang) -> Vec<(String, String)> {
    T::ALL
        .iter()
        .map(|v| (v.code().to_string(), text::capitalise(lang.name(*v))))
        .collect()
}

fn seat_form(viewer: &Viewer, period: &str, v: &SeatForm) -> Form {
    let t = |k| viewer.t(k);
    let i = &v.input;
    Form::post("seat", "/alliance/committee-seats", t("action.add"))
        .field(Field::new("period", "", FieldKind::Hidden).value(period))
        .field(
            Field::new("committee", t("alliance.committee"), FieldKind::Select)
                .value(&i.committee)
                .options(options::<Committee>(viewer.lang))
                .required(),
        )
        .field(
            Field::new("person", t("field.display_name"), FieldKind::Text)
                .value(&i.person)
                .required(),
        )
        .field(
            Field::new("position", t("alliance.position"), FieldKind::Text)
                .value(&i.position)
                .required(),
        )
        .field(Field::new("term", t("alliance.term"), FieldKind::Text).value(&i.term))
        .field(
            Field::new("from", t("field.date"), FieldKind::Date)
                .value(&i.from)
                .required(),
        )
        .field(Field::new("to", t("alliance.activity.end"), FieldKind::Date).value(&i.to))
}

fn inspection_form(viewer: &Viewer, period: &str, v: &InspectionForm) -> Form {
    let t = |k| viewer.t(k);
    let i = &v.input;
    Form::post("inspection", "/alliance/inspections", t("action.add"))
        .field(Field::new("period", "", FieldKind::Hidden).value(period))
        .field(Field::new("code", t("field.code"), FieldKind::Text).value(&i.code))
        .field(
            Field::new("kind", t("field.kind"), FieldKind::Select)
                .value(&i.kind)
                .options(options::<InspectionKind>(viewer.lang))
                .required(),
        )
        .field(
            Field::new("status", t("field.status"), FieldKind::Select)
                .value(&i.status)
                .options(options::<InspectionStatus>(viewer.lang)),
        )
        .field(
            Field::new("date", t("field.date"), FieldKind::Date)
                .value(&i.date)
                .required(),
        )
        .field(
            Field::new("subject", t("alliance.subject"), FieldKind::Text)
                .value(&i.subject)
                .required(),
        )
        .field(
            Field::new("findings", t("alliance.findings"), FieldKind::Textarea).value(&i.findings),
        )
}

/// POST /alliance/committee-seats
pub async fn appoint(
    State(state): State<AppState>,
    viewer: Viewer,
    PostForm(v): PostForm<SeatForm>,
) -> Result<Response, WebError> {
    viewer.require(Action::EditAlliance)?;
    let period = forms::non_blank(&Some(v.period.clone())).unwrap_or_else(current_period);
    match crate::app::governance::appoint(&state.store, &v.input, &viewer.author()).await {
        Ok(_) => super::see_other(&format!("{}#seats", part_href(&period, Part::Committees))),
        Err(Error::Invalid(problems)) => {
            page(
                &state,
                &viewer,
                &period,
                Part::Committees,
                Some((Posted::Seat(v), problems)),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /alliance/inspections
pub async fn add_inspection(
    State(state): State<AppState>,
    viewer: Viewer,
    PostForm(v): PostForm<InspectionForm>,
) -> Result<Response, WebError> {
    viewer.require(Action::EditAlliance)?;
    let period = forms::non_blank(&Some(v.period.clone())).unwrap_or_else(current_period);
    match crate::app::governance::add_inspection(&state.store, &v.input, &viewer.author()).await {
        Ok(_) => super::see_other(&format!(
            "{}#inspections",
            part_href(&period, Part::Inspections)
        )),
        Err(Error::Invalid(problems)) => {
            page(
                &state,
                &viewer,
                &period,
                Part::Inspections,
                Some((Posted::Inspection(v), problems)),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// "2725600012 – HTX …" for an organisation id, for the record lists.
async fn org_label(state: &AppState, id: Option<i64>) -> Result<String, WebError> {
    Ok(match id {
        Some(id) => state
            .store
            .org_by_id(id)
            .await?
            .map(|o| format!("{} – {}", o.reg_code, o.name))
            .unwrap_or_default(),
        None => String::new(),
    })
}

/// The members admitted or leaving in the period.
async fn members_table(
    state: &AppState,
    viewer: &Viewer,
    period: &Period,
) -> Result<Block, WebError> {
    use crate::domain::alliance::{MemberCategory, MembershipChange};
    let t = |k| viewer.t(k);
    let mut members = Table::new(
        t("alliance.members"),
        &[
            t("field.date"),
            t("field.event"),
            t("field.name"),
            t("alliance.member_category"),
        ],
    );
    members.id = "members".into();
    // Stored codes are shown by their names; an unknown one (never written by htx) as is.
    let named = |code: String, name: Option<&'static str>| name.map_or(code, text::capitalise);
    for (date, kind, name, category) in state
        .store
        .membership_lines(period.start, period.end)
        .await?
    {
        let change = MembershipChange::from_code(&kind).map(|c| viewer.lang.name(c));
        let category_name = MemberCategory::from_code(&category).map(|c| viewer.lang.name(c));
        members.rows.push(vec![
            Cell::text(
                crate::domain::parse_date(&date)
                    .map(text::date)
                    .unwrap_or(date),
            ),
            Cell::text(named(kind, change)),
            Cell::text(name),
            Cell::text(named(category, category_name)),
        ]);
    }
    Ok(Block::Table(members))
}

/// The committees in numbers and the seats held at the period's end.
async fn committee_blocks(
    state: &AppState,
    viewer: &Viewer,
    period: &Period,
) -> Result<Vec<Block>, WebError> {
    let t = |k| viewer.t(k);
    let end = period.end;
    let mut seats = Table::new(
        format!("{} {}", t("alliance.committees"), text::date(end)),
        &[
            t("alliance.committee"),
            t("field.display_name"),
            t("alliance.position"),
            t("alliance.term"),
            t("field.date"),
        ],
    );
    seats.id = "seats".into();
    for s in state.store.seats().await? {
        let held = s.seat.from <= end && s.to.is_none_or(|to| to >= end);
        if held {
            seats.rows.push(vec![
                Cell::text(viewer.lang.name(s.seat.committee)),
                Cell::text(&s.seat.person),
                Cell::text(&s.seat.position),
                Cell::text(&s.seat.term),
                Cell::text(text::date(s.seat.from)),
            ]);
        }
    }
    Ok(vec![Block::Table(seats)])
}

/// The programmes in numbers and the stages organisations reached in the period, each with
/// the latest grade known that year.
async fn programme_blocks(
    state: &AppState,
    viewer: &Viewer,
    period: &Period,
) -> Result<Vec<Block>, WebError> {
    let t = |k| viewer.t(k);
    let mut stages = Table::new(
        t("alliance.programme.stages"),
        &[
            t("field.date"),
            t("alliance.programme"),
            t("field.name"),
            t("alliance.stage"),
            t("alliance.latest_grade"),
        ],
    );
    stages.id = "stages".into();
    // Decision 167 selects new-type models among the HTX graded Tốt: a selection without a
    // Tốt grade is pointed out.
    let mut not_good = 0;
    for s in state
        .store
        .programme_stages(period.start, period.end)
        .await?
    {
        let latest = state
            .store
            .latest_evaluation_until(s.org_id, s.date.year())
            .await?;
        let mut grade = latest.as_ref().map_or_else(
            || t("alliance.no_grade").to_string(),
            |e| {
                format!(
                    "{} ({})",
                    super::evaluations::result_text(&e.evaluation, viewer),
                    e.evaluation.year
                )
            },
        );
        let good = latest
            .as_ref()
            .and_then(|e| e.evaluation.grade())
            .is_some_and(|g| g == crate::domain::evaluation::Grade::Good);
        if s.stage == crate::domain::programmes::ProgrammeStage::Selected && !good {
            not_good += 1;
            grade = format!("⚠ {grade}");
        }
        stages.rows.push(vec![
            Cell::text(text::date(s.date)),
            Cell::text(&s.programme),
            Cell::text(org_label(state, Some(s.org_id)).await?),
            Cell::text(text::capitalise(viewer.lang.name(s.stage))),
            Cell::text(grade),
        ]);
    }
    let mut blocks = Vec::new();
    if not_good > 0 {
        blocks.push(Block::Notice(
            "error",
            format!(
                "{} {}",
                text::count(not_good),
                t("alliance.selected_not_good")
            ),
        ));
    }
    if let Some(a) = build(&state.store, &ReportRequest::of(period.clone()))
        .await?
        .alliance
    {
        blocks.push(Block::Table(programme_summary(viewer, &a)));
    }
    blocks.push(Block::Table(stages));
    Ok(blocks)
}

/// The period's inspections and supervisions, and complaints.
async fn inspection_blocks(
    state: &AppState,
    viewer: &Viewer,
    period: &Period,
) -> Result<Vec<Block>, WebError> {
    let t = |k| viewer.t(k);
    let (start, end) = (period.start, period.end);
    let mut inspections = Table::new(
        t("alliance.inspections"),
        &[
            t("field.date"),
            t("field.kind"),
            t("field.status"),
            t("field.name"),
            t("alliance.subject"),
            t("alliance.findings"),
        ],
    );
    inspections.id = "inspections".into();
    for i in state.store.inspections(start, end).await? {
        inspections.rows.push(vec![
            Cell::text(text::date(i.date)),
            Cell::text(text::capitalise(viewer.lang.name(i.kind))),
            Cell::text(text::capitalise(viewer.lang.name(i.status))),
            Cell::text(org_label(state, i.org_id).await?),
            Cell::text(&i.subject),
            Cell::text(&i.findings),
        ]);
    }
    let mut complaints = Table::new(
        t("alliance.complaints"),
        &[
            t("field.date"),
            t("alliance.complainant"),
            t("alliance.subject"),
            t("alliance.handled"),
        ],
    );
    complaints.id = "complaints".into();
    for c in state.store.complaints(start, end).await? {
        complaints.rows.push(vec![
            Cell::text(text::date(c.received)),
            Cell::text(&c.complainant),
            Cell::text(&c.subject),
            Cell::text(
                c.handled
                    .map(|d| format!("{} {}", text::date(d), c.result))
                    .unwrap_or_default(),
            ),
        ]);
    }
    Ok(vec![Block::Table(inspections), Block::Table(complaints)])
}
