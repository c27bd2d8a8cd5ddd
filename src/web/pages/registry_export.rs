//! The registry list taken out: the organisations a list's filters select, every page of
//! them, as an XLSX or CSV file that says its date and filters in its first line.

use super::list_export::{FileFormat, ListFile, Value, cut_note};
use super::registry::{ListQuery, filter_of};
use crate::domain::access::Action;
use crate::domain::text;
use crate::store::registry::{OrgFilter, OrgListItem};
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::forms::{self, non_blank};
use crate::web::session::Viewer;
use axum::extract::{Query, State};
use axum::response::Response;
use time::Date;

const COLUMNS: [(&str, f64); 6] = [
    ("Mã số", 14.0),
    ("Tên", 48.0),
    ("Loại hình", 10.0),
    ("Lĩnh vực", 28.0),
    ("Tình trạng", 22.0),
    ("Địa bàn", 34.0),
];

/// GET /orgs/export?format=xlsx|csv&<the list's filters>
pub async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    viewer.require(Action::ViewRegistry)?;
    let format = FileFormat::of(&q.format)?;
    let cap = state.config.export_max_rows;
    let taxonomy = state.taxonomy().await?;
    let (filter, on) = filter_of(&viewer, &q, &taxonomy)?;
    let (items, total) = state
        .store
        .list_orgs(&OrgFilter {
            limit: cap,
            offset: 0,
            count_cap: Some(cap),
            ..filter
        })
        .await?;
    let mut title = describe(&q, on, &taxonomy, items.len());
    if total > cap {
        title.push_str(&cut_note(cap, "tổ chức"));
    }
    ListFile {
        sheet: "Sổ theo dõi",
        name: format!("so-theo-doi-{on}"),
        title,
        columns: COLUMNS.to_vec(),
        rows: items.iter().map(|o| row(o, on, &taxonomy)).collect(),
    }
    .respond(format)
}

/// "Sổ theo dõi tổ chức kinh tế tập thể tại ngày 30/06/2022; loại hình HTX; tìm "gia
/// binh": 12 tổ chức."
fn describe(
    q: &ListQuery,
    on: Date,
    taxonomy: &crate::domain::sector::Taxonomy,
    count: usize,
) -> String {
    let mut parts = vec![format!(
        "Sổ theo dõi tổ chức kinh tế tập thể tại ngày {}",
        text::date(on)
    )];
    if let Some(s) = non_blank(&q.q) {
        parts.push(format!("tìm \"{s}\""));
    }
    if let Some(k) = non_blank(&q.kind) {
        parts.push(format!("loại hình {k}"));
    }
    if let Some(s) = non_blank(&q.sector) {
        let name = taxonomy.get(&s).map_or(s.clone(), |x| x.name_vi.clone());
        parts.push(format!("lĩnh vực {name}"));
    }
    if let Some(g) =
        non_blank(&q.group).and_then(|g| crate::domain::sector::SectorGroup::from_code(&g))
    {
        parts.push(format!("nhóm {}", g.label()));
    }
    if let Some(s) =
        non_blank(&q.status).and_then(|s| crate::domain::registry::Status::from_code(&s))
    {
        parts.push(format!("tình trạng {}", s.name_vi()));
    }
    if let Some(a) = non_blank(&q.area) {
        parts.push(format!("địa bàn {}", forms::unit_name(&a)));
    }
    if q.all.is_some() {
        parts.push("kể cả tổ chức đã chấm dứt".into());
    }
    format!(
        "{}: {} tổ chức.",
        parts.join("; "),
        text::number(count as i64)
    )
}

fn row(o: &OrgListItem, on: Date, taxonomy: &crate::domain::sector::Taxonomy) -> Vec<Value> {
    vec![
        o.reg_code.as_str().into(),
        o.name.as_str().into(),
        o.kind.code().into(),
        taxonomy
            .get(&o.sector)
            .map_or_else(|| o.sector.clone(), |s| s.name_vi.clone())
            .into(),
        text::capitalise(o.status.name_vi()).into(),
        forms::place(&o.commune, on).into(),
    ]
}
