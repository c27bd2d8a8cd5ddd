//! The form of an organisation's yearly figures (any kind, THT included): opened on a year,
//! it shows what is stored for that year, and saving replaces that year's figures through
//! `app::registry::record_figures`, the path the import, the command line and the API take.
//! A field left blank is no figure, never 0.

use crate::app::registry::{self as app, FiguresInput};
use crate::domain::access::Action;
use crate::domain::registry::YearFigures;
use crate::domain::{text, today};
use crate::error::Error;
use crate::store::registry::OrgSummary;
use crate::web::AppState;
use crate::web::error::{WebError, percent};
use crate::web::reach::visible_org;
use crate::web::session::Viewer;
use crate::web::view::{Block, Field, FieldKind, Form, Layout, Page};
use axum::Form as PostForm;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

/// The figures a form holds, in the order it shows them: (field, label key, unit hint).
const FIELDS: [(&str, &str, &str); 10] = [
    ("official_members", "org.figures.official_members", "người"),
    (
        "associate_members",
        "org.figures.associate_members",
        "người",
    ),
    ("workers", "org.figures.workers", "người"),
    ("seasonal_workers", "org.figures.seasonal_workers", "người"),
    ("charter_capital", "org.figures.charter_capital", "đồng"),
    ("operating_capital", "org.figures.operating_capital", "đồng"),
    ("total_assets", "org.figures.total_assets", "đồng"),
    ("revenue", "org.figures.revenue", "đồng"),
    ("profit", "org.figures.profit", "đồng (có thể âm)"),
    (
        "average_income",
        "org.figures.average_income",
        "đồng/người/năm",
    ),
];

/// `?year=` of the form.
#[derive(Debug, Deserialize, Default)]
pub struct YearQuery {
    pub year: Option<String>,
}

/// The stored figures as the form shows them (24.164.000.000; blank when no figure).
fn typed(f: &YearFigures) -> FiguresInput {
    let show = |v: Option<i64>| v.map(text::number).unwrap_or_default();
    FiguresInput {
        code: String::new(),
        year: f.year.to_string(),
        official_members: show(f.official_members),
        associate_members: show(f.associate_members),
        workers: show(f.workers),
        seasonal_workers: show(f.seasonal_workers),
        charter_capital: show(f.charter_capital),
        operating_capital: show(f.operating_capital),
        total_assets: show(f.total_assets),
        revenue: show(f.revenue),
        profit: show(f.profit),
        average_income: show(f.average_income),
        version: String::new(),
    }
}

fn value<'a>(v: &'a FiguresInput, field: &str) -> &'a str {
    match field {
        "official_members" => &v.official_members,
        "associate_members" => &v.associate_members,
        "workers" => &v.workers,
        "seasonal_workers" => &v.seasonal_workers,
        "charter_capital" => &v.charter_capital,
        "operating_capital" => &v.operating_capital,
        "total_assets" => &v.total_assets,
        "revenue" => &v.revenue,
        "profit" => &v.profit,
        "average_income" => &v.average_income,
        _ => "",
    }
}

fn form_of(viewer: &Viewer, org: &OrgSummary, v: &FiguresInput) -> Form {
    let t = |k| viewer.t(k);
    let version = match v.version.trim() {
        "" => org.version.to_string(),
        typed => typed.to_string(),
    };
    let mut form = Form::post(
        "figures",
        format!("/orgs/{}/figures", percent(&org.reg_code)),
        t("action.save"),
    )
    .field(Field::new("version", "", FieldKind::Hidden).value(version))
    .field(
        Field::new("year", t("org.figures.year"), FieldKind::Number)
            .value(&v.year)
            .required(),
    );
    for (field, label, unit) in FIELDS {
        form = form.field(
            Field::new(field, t(label), FieldKind::Number)
                .value(value(v, field))
                .hint(unit),
        );
    }
    form
}

fn title(viewer: &Viewer, org: &OrgSummary) -> String {
    format!("{} – {}", viewer.t("org.figures.edit"), org.name)
}

/// GET /orgs/{code}/figures?year=: the year's stored figures (last year's by default).
pub async fn form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Html<String>, WebError> {
    viewer.require(Action::EditRegistry)?;
    let (org, _) = visible_org(&state, &viewer.user.access(), &code).await?;
    let year = q
        .year
        .as_deref()
        .and_then(|y| y.trim().parse::<i32>().ok())
        .unwrap_or(today().year() - 1);
    let stored = state
        .store
        .org_figures(org.id)
        .await?
        .into_iter()
        .find(|f| f.year == year)
        .unwrap_or(YearFigures {
            year,
            ..YearFigures::default()
        });
    Page {
        layout: Layout::for_viewer(&viewer, title(&viewer, &org), "registry"),
        blocks: vec![Block::Form(form_of(&viewer, &org, &typed(&stored)))],
    }
    .render_html()
}

/// POST /orgs/{code}/figures: refused as a conflict when the organisation changed since the
/// form was opened (its version is in the form).
pub async fn save(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(code): Path<String>,
    PostForm(v): PostForm<FiguresInput>,
) -> Result<Response, WebError> {
    viewer.require(Action::EditRegistry)?;
    let (org, _) = visible_org(&state, &viewer.user.access(), &code).await?;
    let input = FiguresInput {
        code: org.reg_code.clone(),
        ..v
    };
    match app::record_figures(&state.store, &input, &viewer.author()).await {
        Ok(org) => super::see_other(&format!("/orgs/{}", percent(&org.reg_code))),
        Err(e @ (Error::Invalid(_) | Error::Conflict(_))) => {
            let conflict = matches!(e, Error::Conflict(_));
            let e = WebError::from(e);
            // After a conflict the form carries the current version, so that saving again
            // (after looking at what changed) is a deliberate act.
            let org = state.store.org_by_id(org.id).await?.unwrap_or(org);
            let input = if conflict {
                FiguresInput {
                    version: String::new(),
                    ..input
                }
            } else {
                input
            };
            let mut blocks = Vec::new();
            let status = if let WebError::Conflict(msg) = &e {
                blocks.push(Block::Notice(
                    "error",
                    format!("{}: {msg}", viewer.t("conflict.title")),
                ));
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            blocks.push(Block::Form(
                form_of(&viewer, &org, &input).with_problems(e.problems()),
            ));
            Ok((
                status,
                Page {
                    layout: Layout::for_viewer(&viewer, title(&viewer, &org), "registry"),
                    blocks,
                }
                .render_html()?,
            )
                .into_response())
        }
        Err(other) => Err(other.into()),
    }
}
