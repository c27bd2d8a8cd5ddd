//! The JSON API under `/api/v1`: the same operations and the same permission checks as the
//! pages, for integrations (bearer tokens) and scripts. `GET /api/v1/openapi.json` describes it.

use crate::app::registry::{self as app, EventInput, FiguresInput, RegisterInput};
use crate::domain::access::Action;
use crate::domain::alliance::Activity;
use crate::domain::fund::{LoanState, LoanTx};
use crate::domain::period::Period;
use crate::domain::registry::YearFigures;
use crate::domain::registry::{self, Event, OrgKind};
use crate::domain::today;
use crate::error::Error;
use crate::error::Problem;
use crate::import::row::RowError;
use crate::report::figures::{ReportRequest, build};
use crate::store::fund::{LoanRecord, PortfolioSummary};
use crate::store::registry::OrgFilter;
use crate::store::registry::{OrgListItem, OrgSummary, StoredEvent};
use crate::web::AppState;
use crate::web::error::{ApiError, WebError};
use crate::web::forms::non_blank;
use crate::web::forms::typed_date;
use crate::web::reach;
use crate::web::reach::visible_org;
use crate::web::session::ApiUser;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use time::Date;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The API's routes and their OpenAPI description, built together from the handlers'
/// `#[utoipa::path]` attributes, so that the document cannot list a route the router lacks or
/// miss one it has. `upload` is the body limit of the import (the others keep the default).
pub fn router(upload: DefaultBodyLimit) -> Router<AppState> {
    let (router, document) = routes(upload).split_for_parts();
    let document = Arc::new(serde_json::to_value(&document).unwrap_or_default());
    router.route(
        "/openapi.json",
        get(move || async move { Json(document.as_ref().clone()) }),
    )
}

fn routes(upload: DefaultBodyLimit) -> OpenApiRouter<AppState> {
    let imports = OpenApiRouter::new()
        .routes(routes!(import_workbook))
        .layer(upload);
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(list_orgs, create_org))
        .routes(routes!(show_org))
        .routes(routes!(record_event))
        .routes(routes!(record_figures))
        .routes(routes!(org_evaluations))
        .routes(routes!(record_evaluation))
        .routes(routes!(portfolio))
        .routes(routes!(record_loan))
        .routes(routes!(show_loan))
        .routes(routes!(record_tx))
        .routes(routes!(activities, add_activity))
        .routes(routes!(appoint))
        .routes(routes!(add_inspection))
        .routes(routes!(add_complaint))
        .routes(routes!(set_plan))
        .routes(routes!(reporting_groups, save_reporting_group))
        .routes(routes!(report))
        .merge(imports)
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "htx API",
        version = "1",
        description = "Registry, support fund and reports of a provincial Cooperative Alliance. Authenticate with `Authorization: Bearer <token>` (tokens are created on the account page or with `htx user token`). Area officers see only their area: another area's records answer 404, as missing ones do."
    ),
    servers((url = "/api/v1")),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
struct ApiDoc;

/// Declares the bearer token scheme the whole API uses.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// What every refused request answers with.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct ErrorBody {
    /// unauthorized, forbidden, not_found, conflict, invalid, csrf, busy or internal.
    pub error: String,
    /// The reason in words, Vietnamese first.
    pub message: String,
    /// For `invalid`: every problem, each naming the field of the request it is about.
    pub problems: Vec<Problem>,
}

/// Filters of `GET /orgs`.
#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrgQuery {
    /// Words of the name or code; accents and case are ignored (đ = d).
    pub q: Option<String>,
    /// THT, HTX, LHHTX or QTDND.
    pub kind: Option<String>,
    /// Unit id of a district, commune or province (narrowed to the user's area).
    pub area: Option<String>,
    /// The date (dd/mm/yyyy or yyyy-mm-dd; default today).
    pub on: Option<String>,
    /// Also those not counted on that date (ceased, dissolved, not yet founded).
    pub all: Option<bool>,
    /// Page size, 1–1,000 (default 50).
    pub limit: Option<i64>,
    /// Matches to skip.
    pub offset: Option<i64>,
    /// Keyset paging: the `next_after` of the previous page; the list goes on after that
    /// organisation, as fast deep into the list as on its first page.
    pub after: Option<i64>,
}

#[utoipa::path(get, path = "/orgs", tag = "registry", params(OrgQuery),
    description = "Organisations as they stood on a date, in pages; needs `view_registry`. Matches are counted up to 1,000 past the page, 250 for a search (`total_is_at_least`); with `after`, the matches after that organisation. Page on with `after` = `next_after` (keyset paging), which stays fast deep into a national list.",
    responses(
        (status = 200, description = "One page of organisations", body = OrgList),
        (status = 401, description = "No or invalid token", body = ErrorBody),
        (status = 403, description = "Not allowed for this role", body = ErrorBody),
        (status = 404, description = "Area unknown or outside the user's", body = ErrorBody),
        (status = 422, description = "A filter is not valid", body = ErrorBody),
    ))]
async fn list_orgs(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<OrgQuery>,
) -> Result<Json<OrgList>, ApiError> {
    user.require(Action::ViewRegistry)?;
    let access = user.user.access();
    let on = typed_date(q.on.as_deref())?;
    let scope = reach::scope(&access, non_blank(&q.area).as_deref())?;
    let limit = q.limit.unwrap_or(50).clamp(1, 1000);
    let offset = q.offset.unwrap_or(0).max(0);
    // Counted only this far past the page, as the pages do: an exact count over a national
    // registry on every call is what made the list slow under load. A search that most names
    // match counts as briefly as the page's: counting 1,000 past the page made it half as
    // fast as the page (docs/benchmarks.md, Web).
    let search = q.q.as_deref().is_some_and(|s| !s.trim().is_empty());
    let ahead = if search {
        COUNT_AHEAD_SEARCH
    } else {
        COUNT_AHEAD
    };
    let cap = offset + limit + ahead;
    let (items, total) = state
        .store
        .list_orgs(&OrgFilter {
            on: Some(on),
            kind: non_blank(&q.kind).and_then(|k| OrgKind::parse(&k)),
            counted_only: !q.all.unwrap_or(false),
            search: q.q.unwrap_or_default(),
            communes: scope.communes(),
            limit,
            offset,
            after: q.after,
            count_cap: Some(cap),
            ..OrgFilter::default()
        })
        .await?;
    let more = total > offset + items.len() as i64;
    Ok(Json(OrgList {
        on,
        total: total.min(cap),
        total_is_at_least: total > cap,
        next_after: items.last().filter(|_| more).map(|last| last.id),
        items,
    }))
}

/// One page of the organisation list.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct OrgList {
    /// The date the list describes.
    #[serde(with = "crate::domain::iso_date")]
    pub on: Date,
    /// Matches, counted up to 1,000 past the page (250 for a search).
    pub total: i64,
    /// Whether there are more matches than `total`.
    pub total_is_at_least: bool,
    /// When more matches follow this page: the `after` that asks for the next one.
    pub next_after: Option<i64>,
    pub items: Vec<OrgListItem>,
}

/// How far past the requested page the list API counts matches, as the registry page does
/// (`web::pages::registry`): far enough for a province's total, and for a search only so far
/// as to say that it needs refining.
const COUNT_AHEAD: i64 = 1000;
const COUNT_AHEAD_SEARCH: i64 = 250;

#[utoipa::path(post, path = "/orgs", tag = "registry", request_body = RegisterInput,
    description = "Registers an organisation with its establishment event; needs `edit_registry`.",
    responses(
        (status = 201, description = "Registered", body = OrgSummary),
        (status = 401, description = "No or invalid token", body = ErrorBody),
        (status = 403, description = "Not allowed for this role", body = ErrorBody),
        (status = 409, description = "The registration code is taken", body = ErrorBody),
        (status = 422, description = "Every problem of the input, by field", body = ErrorBody),
    ))]
async fn create_org(
    State(state): State<AppState>,
    user: ApiUser,
    Json(input): Json<RegisterInput>,
) -> Result<(StatusCode, Json<OrgSummary>), ApiError> {
    user.require(Action::EditRegistry)?;
    let new = app::check_registration_within(&state.store, &input, &user.user.access()).await?;
    let org = state.store.create_org(new, &user.author(), today()).await?;
    Ok((StatusCode::CREATED, Json(org)))
}

/// `?on=` of one organisation.
#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OnQuery {
    /// The date (dd/mm/yyyy or yyyy-mm-dd; default today).
    pub on: Option<String>,
}

#[utoipa::path(get, path = "/orgs/{code}", tag = "registry",
    params(("code" = String, Path, description = "Registration code"), OnQuery),
    description = "One organisation: its state on a date, its events and yearly figures; needs `view_registry`.",
    responses(
        (status = 200, description = "The organisation", body = OrgDetail),
        (status = 401, description = "No or invalid token", body = ErrorBody),
        (status = 403, description = "Not allowed for this role", body = ErrorBody),
        (status = 404, description = "No such organisation in the user's area", body = ErrorBody),
    ))]
async fn show_org(
    State(state): State<AppState>,
    user: ApiUser,
    Path(code): Path<String>,
    Query(q): Query<OnQuery>,
) -> Result<Json<OrgDetail>, ApiError> {
    user.require(Action::ViewRegistry)?;
    let (org, events) = visible_org(&state, &user.user.access(), &code).await?;
    let on = typed_date(q.on.as_deref())?;
    let plain: Vec<Event> = events.iter().map(|e| e.event.clone()).collect();
    let states = registry::replay(&plain).map_err(Error::from)?;
    let figures = state.store.org_figures(org.id).await?;
    Ok(Json(OrgDetail {
        state: registry::state_at(&states, on).cloned(),
        founding_members: registry::founding_members(&plain),
        organisation: org,
        on,
        events,
        figures,
    }))
}

/// One organisation as the API shows it.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct OrgDetail {
    pub organisation: OrgSummary,
    #[serde(with = "crate::domain::iso_date")]
    pub on: Date,
    /// Its state on `on` (none before it was founded).
    pub state: Option<registry::State>,
    /// Founding members its establishment recorded (null when not known).
    pub founding_members: Option<i64>,
    /// Every recorded event, oldest first.
    pub events: Vec<StoredEvent>,
    /// Its yearly figures; a figure nobody entered is null.
    pub figures: Vec<YearFigures>,
}

/// An event with the version the caller read.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EventBody {
    #[serde(flatten)]
    pub event: EventInput,
    pub version: Option<i64>,
}

#[utoipa::path(post, path = "/orgs/{code}/events", tag = "registry",
    params(("code" = String, Path, description = "Registration code")),
    request_body = EventBody,
    description = "Records a lifecycle event; send the version you read (409 if it changed since); needs `edit_registry`.",
    responses(
        (status = 200, description = "The organisation after the event", body = OrgSummary),
        (status = 401, description = "No or invalid token", body = ErrorBody),
        (status = 403, description = "Not allowed for this role", body = ErrorBody),
        (status = 404, description = "No such organisation in the user's area", body = ErrorBody),
        (status = 409, description = "Changed by someone else since it was read", body = ErrorBody),
        (status = 422, description = "Every problem of the event, by field, or a lifecycle rule", body = ErrorBody),
    ))]
async fn record_event(
    State(state): State<AppState>,
    user: ApiUser,
    Path(code): Path<String>,
    Json(body): Json<EventBody>,
) -> Result<Json<OrgSummary>, ApiError> {
    user.require(Action::EditRegistry)?;
    let access = user.user.access();
    let (org, history) = visible_org(&state, &access, &code).await?;
    let event = app::check_event_within(&state.store, &history, &body.event, &access).await?;
    let updated = state
        .store
        .record_event(org.id, body.version, event, &user.author(), today())
        .await?;
    Ok(Json(updated))
}

#[utoipa::path(post, path = "/orgs/{code}/figures", tag = "registry",
    params(("code" = String, Path, description = "Registration code")),
    request_body = FiguresInput,
    description = "Records an organisation's figures of one year (any kind, THT included), replacing that year's stored figures: a figure left out or null is no figure, never 0. Numbers as JSON numbers or typed text (\"24.164.000.000\"); `code` is the path's. Send the version you read (409 if it changed since); needs `edit_registry`.",
    responses(
        (status = 200, description = "The organisation after the write", body = OrgSummary),
        (status = 401, description = "No or invalid token", body = ErrorBody),
        (status = 403, description = "Not allowed for this role", body = ErrorBody),
        (status = 404, description = "No such organisation in the user's area", body = ErrorBody),
        (status = 409, description = "Changed by someone else since it was read", body = ErrorBody),
        (status = 422, description = "Every problem of the figures, by field", body = ErrorBody),
    ))]
async fn record_figures(
    State(state): State<AppState>,
    user: ApiUser,
    Path(code): Path<String>,
    Json(body): Json<FiguresInput>,
) -> Result<Json<OrgSummary>, ApiError> {
    user.require(Action::EditRegistry)?;
    let (org, _) = visible_org(&state, &user.user.access(), &code).await?;
    let input = FiguresInput {
        code: org.reg_code,
        ..body
    };
    Ok(Json(
        app::record_figures(&state.store, &input, &user.author()).await?,
    ))
}

/// One version of an organisation's evaluation for a year, as typed (points and total in
/// the Vietnamese way, "7,5"), so that it can be sent back corrected.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct EvaluationVersion {
    pub year: i32,
    /// 1 for the first evaluation of the year; a correction adds one.
    pub version: i64,
    /// `graded` or `not_graded`.
    pub outcome: String,
    /// Points of criteria 1 to 15 ("7,5"), when the sheet is known.
    pub points: Option<Vec<String>>,
    /// Total points ("82,5"), when known.
    pub total: Option<String>,
    /// Tốt, Khá, Trung bình or Yếu, when graded.
    pub grade: Option<String>,
    /// Why it is not graded, when not.
    pub not_graded: Option<String>,
    pub scored_by: String,
    /// The day of the scoring (ISO), when known.
    #[serde(with = "crate::domain::iso_date::option")]
    pub scored_on: Option<Date>,
    pub note: String,
    pub recorded_at: String,
    pub author: String,
}

impl From<&crate::store::evaluations::StoredEvaluation> for EvaluationVersion {
    fn from(v: &crate::store::evaluations::StoredEvaluation) -> Self {
        use crate::domain::codes::Coded;
        use crate::domain::evaluation::{Outcome, points};
        let e = &v.evaluation;
        let (outcome, pts, total, grade, not_graded) = match &e.outcome {
            Outcome::Graded {
                points: p,
                total,
                grade,
            } => (
                "graded",
                p.as_ref().map(|p| p.iter().map(|x| points(*x)).collect()),
                total.map(points),
                Some(grade.name_vi().to_string()),
                None,
            ),
            Outcome::NotGraded { reason } => (
                "not_graded",
                None,
                None,
                None,
                Some(reason.name_vi().to_string()),
            ),
        };
        EvaluationVersion {
            year: e.year,
            version: v.version,
            outcome: outcome.to_string(),
            points: pts,
            total,
            grade,
            not_graded,
            scored_by: e.scored_by.clone(),
            scored_on: e.scored_on,
            note: e.note.clone(),
            recorded_at: v.recorded_at.clone(),
            author: v.author.clone(),
        }
    }
}

#[utoipa::path(get, path = "/orgs/{code}/evaluations", tag = "registry",
    params(("code" = String, Path, description = "Registration code")),
    description = "Every version of every year of an organisation's evaluations (Circular 01/2020), the latest year and version first; needs `view_registry`.",
    responses(
        (status = 200, description = "The evaluations", body = EvaluationHistory),
        (status = 401, description = "No or invalid token", body = ErrorBody),
        (status = 403, description = "Not allowed for this role", body = ErrorBody),
        (status = 404, description = "No such organisation in the user's area", body = ErrorBody),
    ))]
async fn org_evaluations(
    State(state): State<AppState>,
    user: ApiUser,
    Path(code): Path<String>,
) -> Result<Json<EvaluationHistory>, ApiError> {
    user.require(Action::ViewRegistry)?;
    let (org, _) = visible_org(&state, &user.user.access(), &code).await?;
    let versions = state.store.evaluations_of(org.id).await?;
    Ok(Json(EvaluationHistory {
        organisation: org,
        versions: versions.iter().map(EvaluationVersion::from).collect(),
    }))
}

/// An organisation's evaluations: every version of every year.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct EvaluationHistory {
    pub organisation: OrgSummary,
    /// The latest year first and, within a year, the latest version first.
    pub versions: Vec<EvaluationVersion>,
}

/// The version an evaluation was recorded as.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct EvaluationRecorded {
    pub code: String,
    pub year: i32,
    pub version: i64,
}

#[utoipa::path(post, path = "/evaluations", tag = "registry",
    request_body = crate::app::evaluations::EvaluationInput,
    description = "Records an organisation's evaluation for a year: the points of the 15 criteria, or the result alone, or why it is not graded. A correction is a new version; send the version you read (`version`, 0 for none) to be refused with 409 if someone recorded another since; needs `edit_registry`.",
    responses(
        (status = 201, description = "Recorded", body = EvaluationRecorded),
        (status = 401, description = "No or invalid token", body = ErrorBody),
        (status = 403, description = "Not allowed for this role", body = ErrorBody),
        (status = 404, description = "No such organisation in the user's area", body = ErrorBody),
        (status = 409, description = "Another version was recorded since the one sent", body = ErrorBody),
        (status = 422, description = "Every problem of the evaluation, by field (`c1`…`c15` for the criteria)", body = ErrorBody),
    ))]
async fn record_evaluation(
    State(state): State<AppState>,
    user: ApiUser,
    Json(input): Json<crate::app::evaluations::EvaluationInput>,
) -> Result<(StatusCode, Json<EvaluationRecorded>), ApiError> {
    use crate::app::evaluations;
    user.require(Action::EditRegistry)?;
    let thresholds = state.deployment().await?.grade_thresholds;
    let checked = evaluations::check(&input, &thresholds, today())?;
    visible_org(&state, &user.user.access(), &checked.code).await?;
    let org_id = evaluations::check_against_store(&state.store, &checked).await?;
    let version = evaluations::record(&state.store, org_id, &checked, &user.author()).await?;
    Ok((
        StatusCode::CREATED,
        Json(EvaluationRecorded {
            year: checked.evaluation.year,
            code: checked.code,
            version,
        }),
    ))
}

#[utoipa::path(get, path = "/fund/portfolio", tag = "fund", params(OnQuery),
    description = "The loan book on a date: outstanding, overdue, ageing; needs `view_fund`.",
    responses(
        (status = 200, description = "The portfolio", body = Portfolio),
        (status = 401, description = "No or invalid token", body = ErrorBody),
        (status = 403, description = "Not allowed for this role", body = ErrorBody),
    ))]
async fn portfolio(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<OnQuery>,
) -> Result<Json<Portfolio>, ApiError> {
    user.require(Action::ViewFund)?;
    let on = typed_date(q.on.as_deref())?;
    let buckets = state.deployment().await?.ageing();
    let summary = state.store.portfolio_summary(on, &buckets).await?;
    Ok(Json(Portfolio {
        on,
        summary,
        ageing_labels: buckets.labels(),
    }))
}

/// The loan book on a date.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct Portfolio {
    #[serde(with = "crate::domain::iso_date")]
    pub on: Date,
    pub summary: PortfolioSummary,
    /// The names of the overdue ageing buckets, in the order of the summary's.
    pub ageing_labels: Vec<String>,
}

#[utoipa::path(get, path = "/fund/loans/{contract}", tag = "fund",
    params(("contract" = String, Path, description = "Contract number")),
    description = "One loan: terms, schedule, transactions and its state today; needs `view_fund`.",
    responses(
        (status = 200, description = "The loan", body = LoanDetail),
        (status = 401, description = "No or invalid token", body = ErrorBody),
        (status = 403, description = "Not allowed for this role", body = ErrorBody),
        (status = 404, description = "No such contract", body = ErrorBody),
    ))]
async fn show_loan(
    State(state): State<AppState>,
    user: ApiUser,
    Path(contract): Path<String>,
) -> Result<Json<LoanDetail>, ApiError> {
    user.require(Action::ViewFund)?;
    let record = state
        .store
        .loan_by_contract(&contract)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("hợp đồng {contract}")))?;
    let txs = state.store.loan_txs(record.id).await?;
    let now = crate::domain::fund::state_at(&record.loan, &txs, today());
    Ok(Json(LoanDetail {
        loan: record,
        transactions: txs,
        state: now,
    }))
}

/// One loan as the API shows it.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct LoanDetail {
    pub loan: LoanRecord,
    /// Every transaction, in the order recorded.
    pub transactions: Vec<LoanTx>,
    /// Its balances and status today.
    pub state: LoanState,
}

/// A JSON body with its numbers as typed text, as the application layer's inputs read them.
fn numbers_as_text(body: Value) -> Value {
    match body {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| match v {
                    Value::Number(n) => (k, Value::String(n.to_string())),
                    Value::Null => (k, Value::String(String::new())),
                    other => (k, other),
                })
                .collect(),
        ),
        other => other,
    }
}

#[utoipa::path(post, path = "/fund/loans", tag = "fund",
    request_body = crate::app::fund::LoanInput,
    description = "Records a loan contract under the fund's lending rules (terms, own capital, exposure limits); the borrower is found or created with it; needs `edit_fund`.",
    responses(
        (status = 201, description = "Recorded", body = LoanRecord),
        (status = 401, description = "No or invalid token", body = ErrorBody),
        (status = 403, description = "Not allowed for this role", body = ErrorBody),
        (status = 422, description = "Every problem of the loan, by field", body = ErrorBody),
    ))]
async fn record_loan(
    State(state): State<AppState>,
    user: ApiUser,
    Json(body): Json<Value>,
) -> Result<(StatusCode, Json<LoanRecord>), ApiError> {
    user.require(Action::EditFund)?;
    let input: crate::app::fund::LoanInput = serde_json::from_value(numbers_as_text(body))
        .map_err(|e| crate::Error::invalid("", e.to_string()))?;
    let (_, record) =
        crate::app::fund::record_loan(&state.store, &input, &user.author(), today()).await?;
    Ok((StatusCode::CREATED, Json(record)))
}

#[utoipa::path(post, path = "/fund/loans/{contract}/transactions", tag = "fund",
    params(("contract" = String, Path, description = "Contract number")),
    request_body = crate::app::fund::LoanTxInput,
    description = "Records a loan transaction; send the version you read; needs `edit_fund`.",
    responses(
        (status = 201, description = "Recorded", body = LoanTx),
        (status = 401, description = "No or invalid token", body = ErrorBody),
        (status = 403, description = "Not allowed for this role", body = ErrorBody),
        (status = 404, description = "No such contract", body = ErrorBody),
        (status = 409, description = "Changed by someone else since it was read", body = ErrorBody),
        (status = 422, description = "Every problem of the transaction, by field", body = ErrorBody),
    ))]
async fn record_tx(
    State(state): State<AppState>,
    user: ApiUser,
    Path(contract): Path<String>,
    Json(body): Json<Value>,
) -> Result<(StatusCode, Json<LoanTx>), ApiError> {
    user.require(Action::EditFund)?;
    // Numbers may come as JSON numbers or as typed text.
    let field = |k: &str| match &body[k] {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    let input = crate::app::fund::LoanTxInput {
        kind: field("kind"),
        date: field("date"),
        amount: field("amount"),
        new_maturity: field("new_maturity"),
        new_schedule: field("new_schedule"),
        reverses: field("reverses"),
        reference: field("reference"),
        version: body["version"].as_i64(),
    };
    let (_, saved) =
        crate::app::fund::record_loan_tx(&state.store, &contract, &input, &user.author(), today())
            .await?;
    Ok((StatusCode::CREATED, Json(saved)))
}

/// `?period=` of activities.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// Period code, e.g. 2022-H1, 2022, 2022-Q3.
    pub period: String,
}

#[utoipa::path(get, path = "/alliance/activities", tag = "alliance", params(PeriodQuery),
    description = "The Alliance's activities in a period; needs `view_alliance`.",
    responses(
        (status = 200, description = "The activities", body = ActivityList),
        (status = 401, description = "No or invalid token", body = ErrorBody),
        (status = 403, description = "Not allowed for this role", body = ErrorBody),
        (status = 422, description = "The period is not valid", body = ErrorBody),
    ))]
async fn activities(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<PeriodQuery>,
) -> Result<Json<ActivityList>, ApiError> {
    user.require(Action::ViewAlliance)?;
    let period = Period::parse(&q.period).map_err(Error::from)?;
    let items = state.store.activities(period.start, period.end).await?;
    Ok(Json(ActivityList {
        period: period.code,
        items,
    }))
}

/// `?area=` of a report.
#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AreaQuery {
    /// Unit id of the area reported on (default the user's own, else the province).
    pub area: Option<String>,
}

#[utoipa::path(get, path = "/reports/{period}", tag = "reports",
    params(("period" = String, Path, description = "Period code: 2022-H1, 2022, 2022-Q3, 2022-M01-M04, 2022-01-15..2022-06-30"), AreaQuery),
    description = "The figures of a report, schema `htx.report/2` (docs/report-json.md); fund figures only for roles that may see the fund; needs `view_reports`.",
    responses(
        (status = 200, description = "The report's figures", body = Object),
        (status = 401, description = "No or invalid token", body = ErrorBody),
        (status = 403, description = "Not allowed for this role", body = ErrorBody),
        (status = 404, description = "Area unknown or outside the user's", body = ErrorBody),
        (status = 422, description = "The period is not valid", body = ErrorBody),
    ))]
async fn report(
    State(state): State<AppState>,
    user: ApiUser,
    Path(period): Path<String>,
    Query(q): Query<AreaQuery>,
) -> Result<Json<Value>, ApiError> {
    user.require(Action::ViewReports)?;
    let access = user.user.access();
    let scope = reach::scope(&access, non_blank(&q.area).as_deref())?;
    let mut request = ReportRequest::of(Period::parse(&period).map_err(Error::from)?);
    request.area = scope.area_id().map(str::to_string);
    request.include_fund = access.can(Action::ViewFund);
    let figures = build(&state.store, &request).await?;
    Ok(Json(
        serde_json::to_value(&figures).map_err(|e| WebError::Internal(e.to_string()))?,
    ))
}

#[utoipa::path(post, path = "/alliance/activities", tag = "alliance",
    request_body = crate::app::alliance::ActivityInput,
    description = "Records an activity of the Alliance (training class, article, fair…); needs `edit_alliance`.",
    responses(
        (status = 201, description = "Recorded", body = Created),
        (status = 401, description = "No or invalid token", body = ErrorBody),
        (status = 403, description = "Not allowed for this role", body = ErrorBody),
        (status = 422, description = "Every problem of the activity, by field", body = ErrorBody),
    ))]
async fn add_activity(
    State(state): State<AppState>,
    user: ApiUser,
    Json(input): Json<crate::app::alliance::ActivityInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    user.require(Action::EditAlliance)?;
    let access = user.user.access();
    let (id, _) =
        crate::app::alliance::add_activity(&state.store, &input, &access, &user.author()).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[utoipa::path(post, path = "/alliance/committee-seats", tag = "alliance",
    request_body = crate::app::governance::SeatInput,
    description = "Appoints someone to a committee of the Alliance (Ban Chấp hành, Ban Thường vụ, Ủy ban Kiểm tra); needs `edit_alliance`.",
    responses(
        (status = 201, description = "Recorded", body = Object),
        (status = 401, description = "No or invalid token", body = ErrorBody),
        (status = 403, description = "Not allowed for this role", body = ErrorBody),
        (status = 422, description = "Every problem of the seat, by field", body = ErrorBody),
    ))]
async fn appoint(
    State(state): State<AppState>,
    user: ApiUser,
    Json(input): Json<crate::app::governance::SeatInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    user.require(Action::EditAlliance)?;
    let (id, seat) = crate::app::governance::appoint(&state.store, &input, &user.author()).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id, "seat": seat}))))
}

#[utoipa::path(post, path = "/alliance/inspections", tag = "alliance",
    request_body = crate::app::governance::InspectionInput,
    description = "Records an inspection or supervision of an organisation; needs `edit_alliance`.",
    responses(
        (status = 201, description = "Recorded", body = Object),
        (status = 401, description = "No or invalid token", body = ErrorBody),
        (status = 403, description = "Not allowed for this role", body = ErrorBody),
        (status = 422, description = "Every problem of the inspection, by field", body = ErrorBody),
    ))]
async fn add_inspection(
    State(state): State<AppState>,
    user: ApiUser,
    Json(input): Json<crate::app::governance::InspectionInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    user.require(Action::EditAlliance)?;
    let (id, inspection) =
        crate::app::governance::add_inspection(&state.store, &input, &user.author()).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": id, "inspection": inspection})),
    ))
}

#[utoipa::path(post, path = "/alliance/complaints", tag = "alliance",
    request_body = crate::app::governance::ComplaintInput,
    description = "Records a complaint (đơn thư) and how it was handled; needs `edit_alliance`.",
    responses(
        (status = 201, description = "Recorded", body = Object),
        (status = 401, description = "No or invalid token", body = ErrorBody),
        (status = 403, description = "Not allowed for this role", body = ErrorBody),
        (status = 422, description = "Every problem of the complaint, by field", body = ErrorBody),
    ))]
async fn add_complaint(
    State(state): State<AppState>,
    user: ApiUser,
    Json(input): Json<crate::app::governance::ComplaintInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    user.require(Action::EditAlliance)?;
    let (id, complaint) =
        crate::app::governance::add_complaint(&state.store, &input, &user.author()).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": id, "complaint": complaint})),
    ))
}

#[utoipa::path(post, path = "/alliance/plans", tag = "alliance",
    request_body = crate::app::plans::PlanInput,
    description = "Records, or replaces, the plan of a period with its targets; needs `edit_alliance`.",
    responses(
        (status = 201, description = "Recorded", body = Object),
        (status = 401, description = "No or invalid token", body = ErrorBody),
        (status = 403, description = "Not allowed for this role", body = ErrorBody),
        (status = 422, description = "Every problem of the plan, by field", body = ErrorBody),
    ))]
async fn set_plan(
    State(state): State<AppState>,
    user: ApiUser,
    Json(input): Json<crate::app::plans::PlanInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    user.require(Action::EditAlliance)?;
    let plan = crate::app::plans::set_plan(&state.store, &input, &user.author()).await?;
    Ok((StatusCode::CREATED, Json(json!(plan))))
}

#[utoipa::path(get, path = "/reporting-groups", tag = "settings",
    description = "The deployment's reporting groups: code, name_vi, name_en and the codes of their fields.",
    responses(
        (status = 200, description = "The groups", body = ReportingGroupList),
        (status = 401, description = "No or invalid token", body = ErrorBody),
    ))]
async fn reporting_groups(
    State(state): State<AppState>,
    user: ApiUser,
) -> Result<Json<ReportingGroupList>, ApiError> {
    user.require(Action::ViewRegistry)?;
    let taxonomy = state.taxonomy().await?;
    Ok(Json(ReportingGroupList {
        items: taxonomy.reporting_groups().to_vec(),
    }))
}

/// The reporting groups of `GET /reporting-groups`, in report order.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct ReportingGroupList {
    pub items: Vec<crate::domain::sector::ReportingGroup>,
}

#[utoipa::path(post, path = "/reporting-groups", tag = "settings",
    request_body = crate::app::sectors::ReportingGroupInput,
    description = "Defines a reporting group, or replaces the one of its code (fields by code or name, separated by `;`); needs `administer`.",
    responses(
        (status = 201, description = "Saved", body = Object),
        (status = 401, description = "No or invalid token", body = ErrorBody),
        (status = 403, description = "Not allowed for this role", body = ErrorBody),
        (status = 422, description = "Every problem of the group, by field", body = ErrorBody),
    ))]
async fn save_reporting_group(
    State(state): State<AppState>,
    user: ApiUser,
    Json(input): Json<crate::app::sectors::ReportingGroupInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    user.require(Action::Administer)?;
    let group =
        crate::app::sectors::record_reporting_group(&state.store, &input, &user.author()).await?;
    state.settings_changed();
    Ok((StatusCode::CREATED, Json(json!(group))))
}

/// `?filename=&dry_run=` of an import.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The file's name; its ending (.xlsx or .csv) says how to read the body.
    pub filename: String,
    /// Only check the file and say what it would write.
    #[serde(default)]
    pub dry_run: bool,
}

#[utoipa::path(post, path = "/imports", tag = "imports", params(ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream",
        description = "The workbook (.xlsx) or one sheet as .csv, as the template describes"),
    description = "Imports a workbook, all or nothing; `dry_run=true` only checks; needs `import`.",
    responses(
        (status = 200, description = "Written (or, with dry_run, would be)", body = ImportOutcome),
        (status = 422, description = "Nothing written: every row error", body = ImportOutcome),
        (status = 401, description = "No or invalid token", body = ErrorBody),
        (status = 403, description = "Not allowed for this role", body = ErrorBody),
        (status = 503, description = "Too many imports in hand; try again shortly", body = ErrorBody),
    ))]
async fn import_workbook(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<ImportQuery>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<ImportOutcome>), ApiError> {
    user.require(Action::Import)?;
    if !crate::web::uploads::is_workbook(&q.filename) {
        return Err(ApiError(WebError::invalid(
            "filename: chỉ nhận tệp .xlsx hoặc .csv",
        )));
    }
    let token = crate::store::accounts::random_secret();
    let path = crate::web::uploads::save_upload(&token, &q.filename, &body).await?;
    let outcome = state
        .imports
        .import(&state, &path, &user.author(), q.dry_run)
        .await;
    if let Some(dir) = path.parent() {
        let _ = tokio::fs::remove_dir_all(dir).await;
    }
    let report = outcome??;
    let errors = report.errors();
    let counts = |c: Vec<(&str, usize)>| -> BTreeMap<String, usize> {
        c.into_iter().map(|(k, n)| (k.to_string(), n)).collect()
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((
        status,
        Json(ImportOutcome {
            errors: errors.into_iter().cloned().collect(),
            planned: counts(report.planned_counts()),
            written: report.written.as_ref().map(|w| counts(w.counts())),
            unchanged: report.unchanged(),
            notices: report.notices.clone(),
        }),
    ))
}

/// What an import did, or would do, or why it wrote nothing.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct ImportOutcome {
    /// Every problem of every row; when there is one, nothing was written.
    pub errors: Vec<RowError>,
    /// Records the file holds, by kind.
    pub planned: BTreeMap<String, usize>,
    /// Records written, by kind (null on a dry run or when refused).
    pub written: Option<BTreeMap<String, usize>>,
    /// Rows equal to what is already stored.
    pub unchanged: usize,
    /// What the file calls for attention without being refused, on a dry run, a refusal and
    /// a write alike: each sheet's columns that match nothing ("cột không dùng: …", at the
    /// heading row), and the latest grade of an organisation nominated or selected for a
    /// programme.
    pub notices: Vec<RowError>,
}

/// The Alliance's activities of a period.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct ActivityList {
    pub period: String,
    pub items: Vec<Activity>,
}

/// The number a new record was given.
#[derive(Debug, serde::Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}
