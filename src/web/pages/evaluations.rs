//! An organisation's yearly evaluations (Circular 01/2020/TT-BKHĐT) and size classes (Decree
//! 113/2024): the results by year, every version recorded, and the score sheet to fill in or
//! correct, laid out like the paper one.

use crate::app::evaluations::{self as app, EvaluationInput};
use crate::domain::access::Action;
use crate::domain::codes::Coded;
use crate::domain::evaluation::{
    self, CRITERIA, CriteriaGroup, Evaluation, Exemption, Grade, Outcome, SizeClass,
};
use crate::domain::registry::{self, OrgKind};
use crate::domain::{text, today};
use crate::store::evaluations::StoredEvaluation;
use crate::store::registry::OrgSummary;
use crate::web::AppState;
use crate::web::error::{WebError, percent};
use crate::web::forms;
use crate::web::i18n::Lang;
use crate::web::reach::visible_org;
use crate::web::session::Viewer;
use crate::web::view::{
    Block, Cell, Field, FieldKind, Form, Layout, Page, ScoreSheet, SheetLine, Table,
};
use axum::Form as PostForm;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};

/// The query of the page: the year of the sheet shown, and the version just saved.
#[derive(Debug, Deserialize, Default)]
pub struct SheetQuery {
    pub year: Option<String>,
    pub saved: Option<String>,
}

/// The grade's name in the page's language.
pub fn grade_name(grade: Grade, lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => grade.name_vi(),
        Lang::En => grade.name_en(),
    }
}

/// The reason for not grading in the page's language.
pub fn exemption_name(reason: Exemption, lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => reason.name_vi(),
        Lang::En => reason.name_en(),
    }
}

/// The size class's name in the page's language.
pub fn size_name(class: SizeClass, lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => class.name_vi(),
        Lang::En => class.name_en(),
    }
}

/// The result of an evaluation in words: "Tốt (85 điểm)", "Không xếp loại: …".
pub fn result_text(e: &Evaluation, viewer: &Viewer) -> String {
    match &e.outcome {
        Outcome::Graded { total, grade, .. } => match total {
            Some(t) => format!(
                "{} ({} {})",
                grade_name(*grade, viewer.lang),
                evaluation::points(*t),
                viewer.t("eval.points_unit")
            ),
            None => grade_name(*grade, viewer.lang).to_string(),
        },
        Outcome::NotGraded { reason } => format!(
            "{}: {}",
            viewer.t("eval.not_graded"),
            exemption_name(*reason, viewer.lang)
        ),
    }
}

/// Whether an organisation of this kind is evaluated under the Circular.
fn evaluated_kind(kind: OrgKind) -> bool {
    kind != OrgKind::Tht
}

/// GET /orgs/{code}/evaluations
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Query(q): Query<SheetQuery>,
) -> Result<Html<String>, WebError> {
    viewer.require(Action::ViewRegistry)?;
    let (org, events) = visible_org(&state, &viewer.user.access(), &code).await?;
    let year = sheet_year(q.year.as_deref())?;
    let history = state.store.evaluations_of(org.id).await?;
    let mut blocks = Vec::new();
    if let Some(v) = q.saved.as_deref() {
        blocks.push(Block::Notice(
            "ok",
            format!(
                "{} {year} ({} {v})",
                viewer.t("eval.saved"),
                viewer.t("eval.version")
            ),
        ));
    }
    blocks.extend(overview(&state, &viewer, &org, &events, &history).await?);
    if viewer.user.access().can(Action::EditRegistry) && evaluated_kind(org.kind) {
        let current = history.iter().find(|s| s.evaluation.year == year);
        let values = current.map(values_of).unwrap_or_default();
        let version = current.map_or(0, |c| c.version);
        blocks.extend(sheet_blocks(&state, &viewer, &org, year, &values, version, None).await?);
    }
    page(&viewer, &org, blocks).render_html()
}

/// POST /orgs/{code}/evaluations: "compute" adds up and grades without saving; "save"
/// records a new version.
pub async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    PostForm(values): PostForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    viewer.require(Action::EditRegistry)?;
    let (org, events) = visible_org(&state, &viewer.user.access(), &code).await?;
    let input = input_of(&org, &values);
    let year = sheet_year(values.get("year").map(String::as_str))?;
    let version = input.version.parse::<i64>().unwrap_or(0);
    let history = state.store.evaluations_of(org.id).await?;
    let compute_only = values.get("action").map(String::as_str) == Some("compute");
    let outcome = if compute_only {
        let thresholds = state.deployment().await?.grade_thresholds;
        app::check(&input, &thresholds, today()).map(|c| (c, None))
    } else {
        app::evaluate(&state.store, &input, &viewer.author())
            .await
            .map(|(c, v)| (c, Some(v)))
    };
    let (status, notice, problems) = match outcome {
        Ok((_, Some(saved))) => {
            return super::see_other(&format!(
                "/orgs/{}/evaluations?year={year}&saved={saved}",
                percent(&org.reg_code)
            ));
        }
        Ok((checked, None)) => (
            StatusCode::OK,
            Some(Block::Notice(
                "info",
                format!(
                    "{}: {}",
                    viewer.t("eval.computed"),
                    result_text(&checked.evaluation, &viewer)
                ),
            )),
            Vec::new(),
        ),
        Err(e) => match WebError::from(e) {
            WebError::Invalid(problems) => (StatusCode::UNPROCESSABLE_ENTITY, None, problems),
            WebError::Conflict(msg) => (
                StatusCode::CONFLICT,
                Some(Block::Notice(
                    "error",
                    format!("{}: {msg}", viewer.t("conflict.title")),
                )),
                Vec::new(),
            ),
            other => return Err(other),
        },
    };
    let mut blocks: Vec<Block> = notice.into_iter().collect();
    blocks.extend(overview(&state, &viewer, &org, &events, &history).await?);
    // After a conflict the sheet carries the current version, so that saving again (after
    // looking at what changed) is a deliberate act.
    let version = match status {
        StatusCode::CONFLICT => history
            .iter()
            .find(|s| s.evaluation.year == year)
            .map_or(0, |s| s.version),
        _ => version,
    };
    let problems = (!problems.is_empty()).then_some(problems);
    blocks.extend(
        sheet_blocks(
            &state,
            &viewer,
            &org,
            year,
            &values,
            version,
            problems.as_deref(),
        )
        .await?,
    );
    Ok((status, page(&viewer, &org, blocks).render_html()?).into_response())
}

fn page(viewer: &Viewer, org: &OrgSummary, blocks: Vec<Block>) -> Page {
    Page {
        layout: Layout::for_viewer(
            viewer,
            format!("{} – {}", viewer.t("eval.title"), org.name),
            "registry",
        ),
        blocks,
    }
}

/// The year of the sheet: as asked, else last year (evaluations are made after a year ends).
fn sheet_year(typed: Option<&str>) -> Result<i32, WebError> {
    match typed.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today().year() - 1),
        Some(y) => y
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=today().year()).contains(y))
            .ok_or_else(|| WebError::invalid(format!("\"{y}\" không phải năm đánh giá"))),
    }
}

/// The results by year (grade and size class) and every version recorded.
async fn overview(
    state: &AppState,
    viewer: &Viewer,
    org: &OrgSummary,
    events: &[crate::store::registry::StoredEvent],
    history: &[StoredEvaluation],
) -> Result<Vec<Block>, WebError> {
    let t = |k| viewer.t(k);
    let by_year = results_table(state, viewer, org, events, history).await?;
    let mut versions = Table::new(
        t("eval.versions"),
        &[
            t("eval.year"),
            t("eval.version_col"),
            t("eval.result"),
            t("eval.scored_by"),
            t("audit.when"),
            t("audit.who"),
        ],
    );
    versions.id = "evaluation-versions".into();
    for s in history {
        versions.rows.push(vec![
            Cell::text(s.evaluation.year.to_string()),
            Cell::num(s.version.to_string()),
            Cell::text(result_text(&s.evaluation, viewer)),
            Cell::text(scored_text(&s.evaluation)),
            Cell::text(forms::local_time(&s.recorded_at)),
            Cell::text(&s.author),
        ]);
    }
    Ok(vec![
        Block::Links(vec![(
            t("eval.back").to_string(),
            format!("/orgs/{}", percent(&org.reg_code)),
        )]),
        Block::Table(by_year),
        Block::Table(versions),
    ])
}

/// "Ban quản trị HTX, 15/01/2022".
fn scored_text(e: &Evaluation) -> String {
    let mut parts = Vec::new();
    if !e.scored_by.is_empty() {
        parts.push(e.scored_by.clone());
    }
    if let Some(d) = e.scored_on {
        parts.push(text::date(d));
    }
    parts.join(", ")
}

/// The table of an organisation's grade and size class per year, latest first: the years
/// with an evaluation or yearly figures. Also shown on the organisation's page.
pub async fn results_table(
    state: &AppState,
    viewer: &Viewer,
    org: &OrgSummary,
    events: &[crate::store::registry::StoredEvent],
    history: &[StoredEvaluation],
) -> Result<Table, WebError> {
    let t = |k| viewer.t(k);
    let figures = state.store.org_figures(org.id).await?;
    let thresholds = state.deployment().await?.size_thresholds.clone();
    let taxonomy = state.taxonomy().await?;
    let plain: Vec<registry::Event> = events.iter().map(|e| e.event.clone()).collect();
    let states = registry::replay(&plain).map_err(crate::error::Error::from)?;
    let years: BTreeSet<i32> = history
        .iter()
        .map(|s| s.evaluation.year)
        .chain(figures.iter().map(|f| f.year))
        .collect();
    let mut table = Table::new(
        t("eval.by_year"),
        &[
            t("eval.year"),
            t("eval.result"),
            t("eval.size"),
            t("eval.scored_by"),
            "",
        ],
    );
    table.id = "evaluations".into();
    table.empty = t("eval.none").into();
    let can_edit = viewer.user.access().can(Action::EditRegistry) && evaluated_kind(org.kind);
    for year in years.into_iter().rev() {
        let latest = history.iter().find(|s| s.evaluation.year == year);
        let size = figures
            .iter()
            .find(|f| f.year == year)
            .filter(|_| evaluated_kind(org.kind) && org.kind != OrgKind::Qtdnd)
            .and_then(|f| evaluation::size_class_of(&thresholds, &taxonomy, &states, f));
        let link = if can_edit {
            Cell::link(
                if latest.is_some() {
                    t("eval.correct")
                } else {
                    t("eval.fill")
                },
                format!(
                    "/orgs/{}/evaluations?year={year}#evaluation-sheet",
                    percent(&org.reg_code)
                ),
            )
        } else {
            Cell::text("")
        };
        table.rows.push(vec![
            Cell::text(year.to_string()),
            Cell::text(
                latest.map_or_else(|| "—".to_string(), |s| result_text(&s.evaluation, viewer)),
            ),
            Cell::text(size.map_or("—", |c| size_name(c, viewer.lang))),
            Cell::text(
                latest
                    .map(|s| scored_text(&s.evaluation))
                    .unwrap_or_default(),
            ),
            link,
        ]);
    }
    Ok(table)
}

/// The values a stored evaluation puts in the sheet.
fn values_of(s: &StoredEvaluation) -> HashMap<String, String> {
    let e = &s.evaluation;
    let mut v = HashMap::new();
    match &e.outcome {
        Outcome::Graded {
            points,
            total,
            grade,
        } => {
            if let Some(points) = points {
                for (i, p) in points.iter().enumerate() {
                    v.insert(
                        EvaluationInput::criterion_field(i + 1),
                        evaluation::points(*p),
                    );
                }
            } else {
                if let Some(t) = total {
                    v.insert("total".into(), evaluation::points(*t));
                }
                v.insert("grade".into(), grade.code().into());
            }
        }
        Outcome::NotGraded { reason } => {
            v.insert("not_graded".into(), reason.code().into());
        }
    }
    v.insert("scored_by".into(), e.scored_by.clone());
    if let Some(d) = e.scored_on {
        v.insert("scored_on".into(), text::date(d));
    }
    v.insert("note".into(), e.note.clone());
    v
}

/// The input a posted sheet makes.
fn input_of(org: &OrgSummary, values: &HashMap<String, String>) -> EvaluationInput {
    let get = |k: &str| values.get(k).cloned().unwrap_or_default();
    EvaluationInput {
        code: org.reg_code.clone(),
        year: get("year"),
        points: (1..=CRITERIA.len())
            .map(|n| get(&EvaluationInput::criterion_field(n)))
            .collect(),
        total: get("total"),
        grade: get("grade"),
        not_graded: get("not_graded"),
        scored_by: get("scored_by"),
        scored_on: get("scored_on"),
        note: get("note"),
        version: get("version"),
    }
}

/// The heading, the year switch and the score sheet of a year, with typed values kept and
/// problems next to their fields.
async fn sheet_blocks(
    state: &AppState,
    viewer: &Viewer,
    org: &OrgSummary,
    year: i32,
    values: &HashMap<String, String>,
    version: i64,
    problems: Option<&[crate::error::Problem]>,
) -> Result<Vec<Block>, WebError> {
    let t = |k| viewer.t(k);
    let lang = viewer.lang;
    let thresholds = state.deployment().await?.grade_thresholds;
    let get = |k: &str| values.get(k).cloned().unwrap_or_default();
    let action = format!("/orgs/{}/evaluations", percent(&org.reg_code));
    let years: Vec<(String, String)> = (2000..=today().year())
        .rev()
        .map(|y| (y.to_string(), y.to_string()))
        .collect();
    let switch = Form::get("evaluation-year", &action, t("eval.open")).field(
        Field::new("year", t("eval.year"), FieldKind::Select)
            .options(years)
            .value(year.to_string()),
    );
    let mut lines = Vec::new();
    for group in CriteriaGroup::ALL {
        lines.push(SheetLine {
            number: group.numeral().into(),
            name: match lang {
                Lang::Vi => group.name_vi(),
                Lang::En => group.name_en(),
            }
            .into(),
            max: evaluation::points(group.max()),
            max_hundredths: group.max(),
            input: None,
        });
        for c in CRITERIA.iter().filter(|c| c.group == group) {
            let name = EvaluationInput::criterion_field(c.number);
            let value = get(&name);
            lines.push(SheetLine {
                number: c.number.to_string(),
                name: match lang {
                    Lang::Vi => c.name_vi,
                    Lang::En => c.name_en,
                }
                .into(),
                max: evaluation::points(c.max),
                max_hundredths: c.max,
                input: Some(
                    Field::new(
                        &name,
                        &format!("{} {}", t("eval.criterion"), c.number),
                        FieldKind::Text,
                    )
                    .value(value),
                ),
            });
        }
    }
    let mut reasons = vec![(String::new(), t("eval.graded").to_string())];
    reasons.extend(
        Exemption::ALL
            .iter()
            .map(|r| (r.code().to_string(), exemption_name(*r, lang).to_string())),
    );
    let mut grades = vec![(String::new(), t("eval.grade_from_total").to_string())];
    grades.extend(
        Grade::ALL
            .iter()
            .map(|g| (g.code().to_string(), grade_name(*g, lang).to_string())),
    );
    let mut form = Form::post("evaluation-sheet", &action, t("eval.save"))
        .field(Field::new("year", "", FieldKind::Hidden).value(year.to_string()))
        .field(Field::new("version", "", FieldKind::Hidden).value(version.to_string()))
        .field(
            Field::new("not_graded", t("eval.not_graded"), FieldKind::Select)
                .options(reasons)
                .value(get("not_graded")),
        )
        .field(
            Field::new("total", t("eval.total_only"), FieldKind::Text)
                .value(get("total"))
                .hint(t("eval.total_only_hint")),
        )
        .field(
            Field::new("grade", t("eval.grade"), FieldKind::Select)
                .options(grades)
                .value(get("grade")),
        )
        .field(
            Field::new("scored_by", t("eval.scored_by"), FieldKind::Text).value(get("scored_by")),
        )
        .field(
            Field::new("scored_on", t("eval.scored_on"), FieldKind::Date).value(get("scored_on")),
        )
        .field(Field::new("note", t("eval.note"), FieldKind::Textarea).value(get("note")));
    // Problems of the criteria go next to their inputs; the rest on the form's fields.
    if let Some(problems) = problems {
        for p in problems {
            match lines
                .iter_mut()
                .filter_map(|l| l.input.as_mut())
                .find(|f| f.name == p.field)
            {
                Some(f) => f.error = Some(p.reason.clone()),
                None => form = form.with_error(&p.field, p.reason.clone()),
            }
        }
    }
    let (total, grade) = computed(values, &thresholds, lang);
    Ok(vec![
        Block::Heading(format!("{} {year}", t("eval.sheet"))),
        Block::Form(switch),
        Block::ScoreSheet(Box::new(ScoreSheet {
            form,
            lines,
            total,
            grade,
            thresholds: [
                (thresholds.good, grade_name(Grade::Good, lang).into()),
                (thresholds.fair, grade_name(Grade::Fair, lang).into()),
                (thresholds.average, grade_name(Grade::Average, lang).into()),
            ],
            weak_name: grade_name(Grade::Weak, lang).into(),
            headers: [
                t("eval.number").into(),
                t("eval.criterion").into(),
                t("eval.max").into(),
                t("eval.points").into(),
            ],
            total_label: t("eval.total").into(),
            grade_label: t("eval.grade").into(),
            compute: t("eval.compute").into(),
        })),
    ])
}

/// The total and grade of the typed points, as the server computes them ("—" until all
/// fifteen are readable).
fn computed(
    values: &HashMap<String, String>,
    thresholds: &evaluation::GradeThresholds,
    lang: Lang,
) -> (String, String) {
    let points: Option<Vec<i64>> = CRITERIA
        .iter()
        .map(|c| {
            values
                .get(&EvaluationInput::criterion_field(c.number))
                .and_then(|v| evaluation::parse_points(v).ok())
                .and_then(|p| evaluation::check_points(c, p).ok())
        })
        .collect();
    match points {
        Some(points) => {
            let total: i64 = points.iter().sum();
            (
                evaluation::points(total),
                grade_name(thresholds.grade(total), lang).into(),
            )
        }
        None => ("—".into(), "—".into()),
    }
}
