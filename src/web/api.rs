//! The JSON API under `/api/v1`: the same operations and the same permission checks as the
//! pages, for integrations (bearer tokens) and scripts. `GET /api/v1/openapi.json` describes it.

use crate::app::registry::{self as app, EventInput, RegisterInput};
use crate::domain::access::Action;
use crate::domain::period::Period;
use crate::domain::registry::{self, Event, OrgKind};
use crate::domain::today;
use crate::error::Error;
use crate::report::figures::{ReportRequest, build};
use crate::store::registry::OrgFilter;
use crate::web::AppState;
use crate::web::error::{ApiError, WebError};
use crate::web::forms::non_blank;
use crate::web::pages::registry::{typed_date, visible_org};
use crate::web::reach;
use crate::web::session::ApiUser;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

/// (method, path, summary, permission) of every operation; the OpenAPI document is built
/// from this list and a test checks it against the router.
pub const OPERATIONS: &[(&str, &str, &str, &str)] = &[
    (
        "get",
        "/orgs",
        "List organisations as they stood on a date (filters: q, kind, area, on, all, limit, offset)",
        "view_registry",
    ),
    ("post", "/orgs", "Register an organisation", "edit_registry"),
    (
        "get",
        "/orgs/{code}",
        "One organisation: state on a date, events, yearly figures",
        "view_registry",
    ),
    (
        "post",
        "/orgs/{code}/events",
        "Record a lifecycle event (send the version you read; 409 if it changed)",
        "edit_registry",
    ),
    (
        "get",
        "/fund/portfolio",
        "The loan book on a date: outstanding, overdue, ageing",
        "view_fund",
    ),
    (
        "get",
        "/fund/loans/{contract}",
        "One loan: terms, schedule, transactions, state today",
        "view_fund",
    ),
    (
        "post",
        "/fund/loans",
        "Approve and record a loan contract (contract, borrower, amount, rate, term_months, contract_date, decision_no, decision_date, purpose, project_cost, own_capital…); 422 with every refusal of the lending rules",
        "edit_fund",
    ),
    (
        "post",
        "/fund/loans/{contract}/transactions",
        "Record a loan transaction (send the version you read)",
        "edit_fund",
    ),
    (
        "get",
        "/alliance/activities",
        "The Alliance's activities in a period (period=2022-H1)",
        "view_alliance",
    ),
    (
        "post",
        "/alliance/activities",
        "Record an activity (kind, title, date, end, planned, area, quantity, attendees, channel, partner, document_no)",
        "edit_alliance",
    ),
    (
        "post",
        "/imports",
        "Import a workbook sent as the body (filename=….xlsx|csv; dry_run=true only checks); all or nothing, 422 with every row error",
        "import",
    ),
    (
        "get",
        "/reports/{period}",
        "The figures of a report (schema htx.report/1); area=unit id",
        "view_reports",
    ),
];

/// The API's routes; `upload` is the body limit of the import (the others keep the default).
pub fn router(upload: DefaultBodyLimit) -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/orgs", get(list_orgs).post(create_org))
        .route("/orgs/{code}", get(show_org))
        .route("/orgs/{code}/events", post(record_event))
        .route("/fund/portfolio", get(portfolio))
        .route("/fund/loans", post(record_loan))
        .route("/fund/loans/{contract}", get(show_loan))
        .route("/fund/loans/{contract}/transactions", post(record_tx))
        .route("/alliance/activities", get(activities).post(add_activity))
        .route("/imports", post(import_workbook).layer(upload))
        .route("/reports/{period}", get(report))
}

/// The OpenAPI 3.1 description of the API.
pub fn openapi_document() -> Value {
    let mut paths = serde_json::Map::new();
    for (method, path, summary, permission) in OPERATIONS {
        let params: Vec<Value> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
            .collect();
        let mut op = json!({
            "summary": summary,
            "description": format!("Requires the `{permission}` permission; area officers see only their area."),
            "parameters": params,
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
                "401": {"description": "No or invalid token"},
                "403": {"description": "Not allowed for this role or area"},
                "404": {"description": "Not found"},
                "409": {"description": "Changed by someone else since it was read"},
                "422": {"description": "Invalid input; the message names the field"}
            }
        });
        if *method == "post" {
            op["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"type": "object"}}}});
        }
        paths
            .entry(path.to_string())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .expect("path item is an object")
            .insert(method.to_string(), op);
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "htx API", "version": "1", "description": "Registry, support fund and reports of a provincial Cooperative Alliance. Authenticate with `Authorization: Bearer <token>` (tokens are created on the account page)."},
        "servers": [{"url": "/api/v1"}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
        "paths": paths,
    })
}

async fn openapi() -> Json<Value> {
    Json(openapi_document())
}

/// Filters of `GET /orgs`.
#[derive(Debug, Deserialize, Default)]
pub struct OrgQuery {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub area: Option<String>,
    pub on: Option<String>,
    pub all: Option<bool>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

async fn list_orgs(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<OrgQuery>,
) -> Result<Json<Value>, ApiError> {
    user.require(Action::ViewRegistry)?;
    let access = user.user.access();
    let on = typed_date(q.on.as_deref())?;
    let scope = reach::scope(&access, non_blank(&q.area).as_deref())?;
    let limit = q.limit.unwrap_or(50).clamp(1, 1000);
    let offset = q.offset.unwrap_or(0).max(0);
    // Counted only this far past the page, as the pages do: an exact count over a national
    // registry on every call is what made the list slow under load.
    let cap = offset + limit + COUNT_AHEAD;
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
            count_cap: Some(cap),
            ..OrgFilter::default()
        })
        .await?;
    let more = total > cap;
    Ok(Json(json!({
        "on": on.to_string(),
        "total": total.min(cap),
        "total_is_at_least": more,
        "items": items,
    })))
}

/// How far past the requested page the list API counts matches.
const COUNT_AHEAD: i64 = 1000;

async fn create_org(
    State(state): State<AppState>,
    user: ApiUser,
    Json(input): Json<RegisterInput>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    user.require(Action::EditRegistry)?;
    let new = app::check_registration_within(&state.store, &input, &user.user.access()).await?;
    let org = state.store.create_org(new, &user.author(), today()).await?;
    Ok((StatusCode::CREATED, Json(json!(org))))
}

/// `?on=` of one organisation.
#[derive(Debug, Deserialize, Default)]
pub struct OnQuery {
    pub on: Option<String>,
}

async fn show_org(
    State(state): State<AppState>,
    user: ApiUser,
    Path(code): Path<String>,
    Query(q): Query<OnQuery>,
) -> Result<Json<Value>, ApiError> {
    user.require(Action::ViewRegistry)?;
    let (org, events) = visible_org(&state, &user.user.access(), &code).await?;
    let on = typed_date(q.on.as_deref())?;
    let plain: Vec<Event> = events.iter().map(|e| e.event.clone()).collect();
    let states = registry::replay(&plain).map_err(Error::from)?;
    let figures = state.store.org_figures(org.id).await?;
    Ok(Json(json!({
        "organisation": org,
        "on": on.to_string(),
        "state": registry::state_at(&states, on),
        "events": events,
        "figures": figures,
    })))
}

/// An event with the version the caller read.
#[derive(Debug, Deserialize)]
pub struct EventBody {
    #[serde(flatten)]
    pub event: EventInput,
    pub version: Option<i64>,
}

async fn record_event(
    State(state): State<AppState>,
    user: ApiUser,
    Path(code): Path<String>,
    Json(body): Json<EventBody>,
) -> Result<Json<Value>, ApiError> {
    user.require(Action::EditRegistry)?;
    let access = user.user.access();
    let (org, history) = visible_org(&state, &access, &code).await?;
    let event = app::check_event_within(&state.store, &history, &body.event, &access).await?;
    let updated = state
        .store
        .record_event(org.id, body.version, event, &user.author(), today())
        .await?;
    Ok(Json(json!(updated)))
}

async fn portfolio(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<OnQuery>,
) -> Result<Json<Value>, ApiError> {
    user.require(Action::ViewFund)?;
    let on = typed_date(q.on.as_deref())?;
    let buckets = state.deployment().await?.ageing();
    let summary = state.store.portfolio_summary(on, &buckets).await?;
    Ok(Json(
        json!({"on": on.to_string(), "summary": summary, "ageing_labels": buckets.labels()}),
    ))
}

async fn show_loan(
    State(state): State<AppState>,
    user: ApiUser,
    Path(contract): Path<String>,
) -> Result<Json<Value>, ApiError> {
    user.require(Action::ViewFund)?;
    let record = state
        .store
        .loan_by_contract(&contract)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("hợp đồng {contract}")))?;
    let txs = state.store.loan_txs(record.id).await?;
    let now = crate::domain::fund::state_at(&record.loan, &txs, today());
    Ok(Json(
        json!({"loan": record, "transactions": txs, "state": now}),
    ))
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

async fn record_loan(
    State(state): State<AppState>,
    user: ApiUser,
    Json(body): Json<Value>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    user.require(Action::EditFund)?;
    let input: crate::app::fund::LoanInput = serde_json::from_value(numbers_as_text(body))
        .map_err(|e| crate::Error::invalid("", e.to_string()))?;
    let (_, record) =
        crate::app::fund::record_loan(&state.store, &input, &user.author(), today()).await?;
    Ok((StatusCode::CREATED, Json(json!(record))))
}

async fn record_tx(
    State(state): State<AppState>,
    user: ApiUser,
    Path(contract): Path<String>,
    Json(body): Json<Value>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
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
    Ok((StatusCode::CREATED, Json(json!(saved))))
}

/// `?period=` of activities.
#[derive(Debug, Deserialize)]
pub struct PeriodQuery {
    pub period: String,
}

async fn activities(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<PeriodQuery>,
) -> Result<Json<Value>, ApiError> {
    user.require(Action::ViewAlliance)?;
    let period = Period::parse(&q.period).map_err(Error::from)?;
    let items = state.store.activities(period.start, period.end).await?;
    Ok(Json(json!({"period": period.code, "items": items})))
}

/// `?area=` of a report.
#[derive(Debug, Deserialize, Default)]
pub struct AreaQuery {
    pub area: Option<String>,
}

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

async fn add_activity(
    State(state): State<AppState>,
    user: ApiUser,
    Json(form): Json<crate::web::pages::alliance::ActivityForm>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    user.require(Action::EditAlliance)?;
    let activity = crate::web::pages::alliance::activity_of(&form)?;
    let id = state.store.add_activity(&activity, &user.author()).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id}))))
}

/// `?filename=&dry_run=` of an import.
#[derive(Debug, Deserialize)]
pub struct ImportQuery {
    pub filename: String,
    #[serde(default)]
    pub dry_run: bool,
}

async fn import_workbook(
    State(state): State<AppState>,
    user: ApiUser,
    Query(q): Query<ImportQuery>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    user.require(Action::Import)?;
    if !crate::web::pages::imports::is_workbook(&q.filename) {
        return Err(ApiError(WebError::invalid(
            "filename: chỉ nhận tệp .xlsx hoặc .csv",
        )));
    }
    let token = crate::store::accounts::random_secret();
    let path = crate::web::pages::imports::save_upload(&token, &q.filename, &body).await?;
    let outcome = state
        .imports
        .import(&state.store, &path, &user.author(), q.dry_run)
        .await;
    if let Some(dir) = path.parent() {
        let _ = tokio::fs::remove_dir_all(dir).await;
    }
    let report = outcome??;
    let errors = report.errors();
    let counts = |c: Vec<(&str, usize)>| -> Value {
        c.into_iter()
            .map(|(k, n)| (k.to_string(), json!(n)))
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((
        status,
        Json(json!({
            "errors": errors,
            "planned": counts(report.planned_counts()),
            "written": report.written.as_ref().map(|w| counts(w.counts())),
            "unchanged": report.unchanged(),
        })),
    ))
}
