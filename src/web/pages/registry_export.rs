//! The registry list taken out: the organisations a list's filters select, every page of
//! them, as an XLSX or CSV file that says its date and filters in its first line.

use super::registry::{ListQuery, filter_of};
use crate::domain::access::Action;
use crate::domain::text;
use crate::store::registry::{OrgFilter, OrgListItem};
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::forms::{self, non_blank};
use crate::web::session::Viewer;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use time::Date;

/// The most rows one file holds (more than any province's registry); a larger selection is
/// cut there and the file says so.
const EXPORT_MAX: i64 = 200_000;

const HEADINGS: [&str; 6] = [
    "Mã số",
    "Tên",
    "Loại hình",
    "Lĩnh vực",
    "Tình trạng",
    "Địa bàn",
];

/// GET /orgs/export?format=xlsx|csv&<the list's filters>
pub async fn export(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    viewer.require(Action::ViewRegistry)?;
    let format = non_blank(&q.format).unwrap_or_else(|| "xlsx".into());
    if format != "xlsx" && format != "csv" {
        return Err(WebError::invalid(format!(
            "định dạng \"{format}\": chỉ có xlsx hoặc csv"
        )));
    }
    let taxonomy = state.taxonomy().await?;
    let (filter, on) = filter_of(&viewer, &q, &taxonomy)?;
    let (items, total) = state
        .store
        .list_orgs(&OrgFilter {
            limit: EXPORT_MAX,
            offset: 0,
            count_cap: Some(EXPORT_MAX),
            ..filter
        })
        .await?;
    let mut description = describe(&q, on, &taxonomy, items.len());
    if total > EXPORT_MAX {
        description.push_str(&format!(
            " Chỉ ghi {} tổ chức đầu tiên; hãy lọc hẹp hơn.",
            text::number(EXPORT_MAX)
        ));
    }
    let rows: Vec<[String; 6]> = items.iter().map(|o| row(o, on, &taxonomy)).collect();
    let name = format!("so-theo-doi-{on}.{format}");
    let (mime, bytes) = if format == "csv" {
        ("text/csv; charset=utf-8", csv(&description, &rows)?)
    } else {
        (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            xlsx(&description, &rows)?,
        )
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
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

fn row(o: &OrgListItem, on: Date, taxonomy: &crate::domain::sector::Taxonomy) -> [String; 6] {
    [
        o.reg_code.clone(),
        o.name.clone(),
        o.kind.code().to_string(),
        taxonomy
            .get(&o.sector)
            .map_or_else(|| o.sector.clone(), |s| s.name_vi.clone()),
        text::capitalise(o.status.name_vi()),
        forms::place(&o.commune, on),
    ]
}

/// The file as CSV in UTF-8 with a byte-order mark (so that spreadsheet programs read the
/// Vietnamese letters): the description, a blank line, the headings, the rows.
fn csv(description: &str, rows: &[[String; 6]]) -> Result<Vec<u8>, WebError> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(&mut out);
        let fail = |e: csv::Error| WebError::invalid(e.to_string());
        w.write_record([description]).map_err(fail)?;
        w.write_record([""]).map_err(fail)?;
        w.write_record(HEADINGS).map_err(fail)?;
        for r in rows {
            w.write_record(r).map_err(fail)?;
        }
        w.flush().map_err(|e| WebError::invalid(e.to_string()))?;
    }
    Ok(out)
}

/// The file as XLSX: the description, the headings frozen with a filter on them, the rows.
fn xlsx(description: &str, rows: &[[String; 6]]) -> Result<Vec<u8>, WebError> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| WebError::invalid(e.to_string());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name("Sổ theo dõi").map_err(fail)?;
    let bold = Format::new().set_bold();
    sheet
        .write_with_format(0, 0, description, &bold)
        .map_err(fail)?;
    for (c, h) in HEADINGS.iter().enumerate() {
        sheet
            .write_with_format(2, c as u16, *h, &bold)
            .map_err(fail)?;
    }
    for (i, r) in rows.iter().enumerate() {
        for (c, v) in r.iter().enumerate() {
            sheet.write(i as u32 + 3, c as u16, v).map_err(fail)?;
        }
    }
    sheet.set_freeze_panes(3, 0).map_err(fail)?;
    let last = (rows.len() as u32 + 2).max(3);
    sheet.autofilter(2, 0, last, 5).map_err(fail)?;
    for (c, width) in [14.0, 48.0, 10.0, 28.0, 22.0, 34.0].into_iter().enumerate() {
        sheet.set_column_width(c as u16, width).map_err(fail)?;
    }
    book.save_to_buffer().map_err(fail)
}
