//! The loan list, the Alliance's activities and the audit log taken out as XLSX or CSV:
//! the rows of the page's filters (every page of them), refused to whoever may not see the
//! page, with the date and the filters in the title line.

use super::list_export::{FileFormat, ListFile, Value, cut_note};
use crate::domain::access::Action;
use crate::domain::codes::Coded;
use crate::domain::period::Period;
use crate::domain::{text, today};
use crate::error::Error;
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::forms::{self, non_blank, typed_date};
use crate::web::session::Viewer;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

/// `?on=&format=` of the loan list's export.
#[derive(Debug, Deserialize, Default)]
pub struct LoansExportQuery {
    pub on: Option<String>,
    pub format: Option<String>,
}

/// GET /fund/loans/export?on=dd/mm/yyyy&format=xlsx|csv
pub async fn loans(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<LoansExportQuery>,
) -> Result<Response, WebError> {
    viewer.require(Action::ViewFund)?;
    let format = FileFormat::of(&q.format)?;
    let on = typed_date(q.on.as_deref())?;
    let cap = state.config.export_max_rows;
    let (lines, total) = state.store.loan_page(on, cap, 0).await?;
    let ids: Vec<i64> = lines.iter().map(|(l, ..)| l.borrower_id).collect();
    let borrowers = state.store.borrowers_of(&ids).await?;
    let mut title = format!(
        "Danh sách khoản vay của Quỹ hỗ trợ tại ngày {}: {} khoản vay.",
        text::date(on),
        text::number(lines.len() as i64)
    );
    if total > cap {
        title.push_str(&cut_note(cap, "khoản vay"));
    }
    let rows = lines
        .iter()
        .map(|(l, outstanding, overdue, dpd)| {
            vec![
                l.contract_no.as_str().into(),
                borrowers
                    .get(&l.borrower_id)
                    .map_or(Value::Blank, |b| b.name.as_str().into()),
                Value::Date(l.loan.start),
                Value::Number(l.loan.terms.approved_amount),
                Value::Number(*outstanding),
                Value::Number(*overdue),
                Value::Number(*dpd),
            ]
        })
        .collect();
    ListFile {
        sheet: "Khoản vay",
        name: format!("khoan-vay-{on}"),
        title,
        columns: vec![
            ("Số hợp đồng", 18.0),
            ("Bên vay", 44.0),
            ("Ngày hợp đồng", 14.0),
            ("Số tiền phê duyệt (đồng)", 20.0),
            ("Dư nợ (đồng)", 18.0),
            ("Nợ quá hạn (đồng)", 18.0),
            ("Số ngày quá hạn", 14.0),
        ],
        rows,
    }
    .respond(format)
}

/// `?period=&format=` of the activities' export.
#[derive(Debug, Deserialize, Default)]
pub struct ActivitiesExportQuery {
    pub period: Option<String>,
    pub format: Option<String>,
}

/// GET /alliance/activities/export?period=2022-H1&format=xlsx|csv
pub async fn activities(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ActivitiesExportQuery>,
) -> Result<Response, WebError> {
    viewer.require(Action::ViewAlliance)?;
    let format = FileFormat::of(&q.format)?;
    let code = non_blank(&q.period).unwrap_or_else(super::alliance::current_period);
    let period = Period::parse(&code).map_err(Error::from)?;
    let cap = state.config.export_max_rows;
    let mut all = state.store.activities(period.start, period.end).await?;
    let total = all.len() as i64;
    all.truncate(usize::try_from(cap).unwrap_or(0));
    let mut title = format!(
        "Hoạt động của Liên minh {} (từ ngày {} đến ngày {}): {} hoạt động; lập ngày {}.",
        period.label,
        text::date(period.start),
        text::date(period.end),
        text::number(all.len() as i64),
        text::date(today())
    );
    if total > cap {
        title.push_str(&cut_note(cap, "hoạt động"));
    }
    let rows = all
        .iter()
        .map(|a| {
            let optional = |s: &str| {
                if s.is_empty() { Value::Blank } else { s.into() }
            };
            vec![
                Value::Date(a.start),
                Value::Date(a.end),
                text::capitalise(a.kind.name_vi()).into(),
                a.title.as_str().into(),
                text::capitalise(a.status.name_vi()).into(),
                if a.area.is_empty() {
                    Value::Blank
                } else {
                    forms::unit_name(&a.area).into()
                },
                a.attendees.map_or(Value::Blank, Value::Number),
                Value::Number(a.quantity),
                optional(&a.partner),
                optional(&a.channel),
                optional(&a.document_no),
                optional(&a.note),
            ]
        })
        .collect();
    ListFile {
        sheet: "Hoạt động",
        name: format!("hoat-dong-{}", period.code),
        title,
        columns: vec![
            ("Ngày bắt đầu", 14.0),
            ("Ngày kết thúc", 14.0),
            ("Loại hoạt động", 22.0),
            ("Tên hoạt động", 48.0),
            ("Tình trạng", 12.0),
            ("Địa bàn", 28.0),
            ("Lượt người tham dự", 12.0),
            ("Số lượng", 10.0),
            ("Đơn vị phối hợp", 28.0),
            ("Kênh, nơi tổ chức", 28.0),
            ("Số văn bản", 16.0),
            ("Ghi chú", 28.0),
        ],
        rows,
    }
    .respond(format)
}

/// GET /audit/export?<the log's filters>&format=xlsx|csv
pub async fn audit(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<super::audit::AuditQuery>,
) -> Result<Response, WebError> {
    viewer.require(Action::ViewAudit)?;
    let format = FileFormat::of(&q.format)?;
    let cap = state.config.export_max_rows;
    // One more than the cap tells whether the selection was cut.
    let mut entries = state
        .store
        .audit_search(&q.filter(cap.saturating_add(1), 0)?)
        .await?;
    let cut = entries.len() as i64 > cap;
    entries.truncate(usize::try_from(cap).unwrap_or(0));
    let lines = super::audit::lines(&state, viewer.lang, entries).await?;
    let mut parts = vec![format!("Nhật ký thay đổi lập ngày {}", text::date(today()))];
    if let Some(a) = non_blank(&q.author) {
        parts.push(format!("người thực hiện \"{a}\""));
    }
    if let Some(e) = non_blank(&q.entity) {
        let name = super::audit::ENTITIES
            .iter()
            .find(|(code, _)| *code == e)
            .map_or(e.clone(), |(_, key)| {
                crate::web::i18n::Lang::Vi.t(key).to_lowercase()
            });
        parts.push(format!("đối tượng {name}"));
    }
    if let Some(id) = non_blank(&q.id) {
        parts.push(format!("mã \"{id}\""));
    }
    if let Some(d) = non_blank(&q.from) {
        parts.push(format!("từ ngày {d}"));
    }
    if let Some(d) = non_blank(&q.to) {
        parts.push(format!("đến ngày {d}"));
    }
    let mut title = format!(
        "{}: {} mục.",
        parts.join("; "),
        text::number(lines.len() as i64)
    );
    if cut {
        title.push_str(&cut_note(cap, "mục"));
    }
    let rows = lines
        .into_iter()
        .map(|l| {
            vec![
                local_moment(&l.at).map_or_else(|| l.at.clone().into(), Value::Moment),
                l.who.into(),
                l.what.into(),
                l.record.into(),
                l.changes.into(),
            ]
        })
        .collect();
    ListFile {
        sheet: "Nhật ký",
        name: format!("nhat-ky-{}", today()),
        title,
        columns: vec![
            ("Thời điểm", 17.0),
            ("Người thực hiện", 30.0),
            ("Thao tác", 30.0),
            ("Bản ghi", 36.0),
            ("Giá trị thay đổi", 60.0),
        ],
        rows,
    }
    .respond(format)
}

/// A recorded moment (UTC, ISO 8601) in Vietnam's time.
fn local_moment(iso: &str) -> Option<time::PrimitiveDateTime> {
    let t = time::PrimitiveDateTime::parse(
        iso.get(..19).unwrap_or(iso),
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
    )
    .ok()?;
    let local = t.assume_utc().to_offset(crate::domain::VIETNAM);
    Some(time::PrimitiveDateTime::new(local.date(), local.time()))
}
