//! Reports in the browser: pick a period and an area, preview, download in every format
//! (PDF when LibreOffice is installed), issue, and fetch issued reports exactly as issued.

use crate::domain::access::{Access, Action};
use crate::domain::period::Period;
use crate::domain::{text, today};
use crate::error::Error;
use crate::report::{self, Format, figures::ReportRequest};
use crate::web::AppState;
use crate::web::error::{WebError, percent};
use crate::web::forms;
use crate::web::pages::alliance::current_period;
use crate::web::period_picker::Picked;
use crate::web::reach;
use crate::web::session::Viewer;
use crate::web::view::{Block, Cell, Field, FieldKind, Form, Layout, Page, Table};
use axum::Form as PostForm;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

/// What the picker sends.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct ReportQuery {
    pub period: Option<String>,
    pub area: Option<String>,
    pub proposals: Option<String>,
    pub format: Option<String>,
    pub compare: Option<String>,
    /// The period picker's choice (composes `period`).
    #[serde(flatten)]
    pub pick: Picked,
}

impl ReportQuery {
    fn link(&self, format: &str) -> String {
        let mut pairs = vec![("format", format.to_string())];
        for (k, v) in [
            ("period", &self.period),
            ("area", &self.area),
            ("proposals", &self.proposals),
            ("compare", &self.compare),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                pairs.push((k, v.to_string()));
            }
        }
        format!(
            "/reports/download?{}",
            pairs
                .iter()
                .map(|(k, v)| format!("{k}={}", percent(v)))
                .collect::<Vec<_>>()
                .join("&")
        )
    }
}

async fn figures_of(
    state: &AppState,
    viewer_access: &Access,
    q: &ReportQuery,
) -> Result<crate::domain::report::Figures, WebError> {
    let code = forms::non_blank(&q.period).unwrap_or_else(current_period);
    let period = Period::parse(&code).map_err(Error::from)?;
    let scope = reach::scope(viewer_access, forms::non_blank(&q.area).as_deref())?;
    let request = ReportRequest {
        period,
        area: scope.area_id().map(str::to_string),
        compare_same_period: q.compare.is_some(),
        current_units: false,
        include_fund: viewer_access.can(Action::ViewFund),
    };
    let mut figures = report::figures::build(&state.store, &request).await?;
    if let Some(p) = forms::non_blank(&q.proposals) {
        figures.proposals = text::clean_paragraphs(&p);
    }
    Ok(figures)
}

/// GET /reports
pub async fn picker(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ReportQuery>,
) -> Result<Html<String>, WebError> {
    viewer.require(Action::ViewReports)?;
    let t = |k| viewer.t(k);
    let access = viewer.user.access();
    let deployment = state.deployment().await?;
    let whole = t("reports.whole_province");
    // The picker's choice becomes the period code every link and download carries.
    let mut q = q;
    let (chosen, fields) =
        q.pick
            .choose(q.period.as_deref(), &current_period(), viewer.lang, today());
    if let Ok(Some(p)) = &chosen {
        q.period = Some(p.code.clone());
    }
    let mut picker = Form::get("report", "/reports", t("action.preview"));
    for f in fields {
        picker = picker.field(f);
    }
    let picker = picker
        .field(
            Field::new("area", t("field.area"), FieldKind::Select)
                .value(q.area.clone().unwrap_or_default())
                .options(forms::area_options(
                    &deployment.area,
                    access.area_unit(),
                    access.area_unit().is_none().then_some(whole),
                )),
        )
        .field(
            Field::new("compare", t("reports.compare"), FieldKind::Checkbox)
                .value(q.compare.clone().unwrap_or_default()),
        )
        .field(
            Field::new("proposals", t("reports.proposals"), FieldKind::Textarea)
                .value(q.proposals.clone().unwrap_or_default()),
        );
    let mut picker = picker;
    picker.inline = false;
    let mut blocks = vec![Block::Form(picker)];
    if q.period.is_some() && chosen.is_ok() {
        let figures = figures_of(&state, &access, &q).await?;
        let markdown = report::markdown::render(&figures, None)?;
        blocks.push(Block::Links(
            ["docx", "pdf", "xlsx", "json", "md", "html"]
                .iter()
                .filter(|f| **f != "pdf" || office().is_some())
                .map(|f| {
                    (
                        format!("{} {}", t("action.download"), f.to_uppercase()),
                        q.link(f),
                    )
                })
                .collect(),
        ));
        if access.can(Action::IssueReport) && forms::non_blank(&q.area).is_none() {
            let issue = Form::post("issue", "/reports/issue", t("action.issue"))
                .field(
                    Field::new("period", "", FieldKind::Hidden).value(figures.period.code.clone()),
                )
                .field(
                    Field::new("proposals", "", FieldKind::Hidden)
                        .value(q.proposals.clone().unwrap_or_default()),
                )
                .field(
                    Field::new("number", t("field.number"), FieldKind::Text)
                        .required()
                        .hint(t("reports.number_hint")),
                )
                .field(
                    Field::new("date", t("field.date"), FieldKind::Date)
                        .value(text::date(today()))
                        .required(),
                );
            blocks.push(Block::Form(issue));
        }
        blocks.push(Block::Trusted(report::html::body(&markdown)));
    }
    let mut issued = Table::new(
        t("reports.issued"),
        &[t("field.number"), t("field.period"), t("field.date"), ""],
    );
    issued.id = "issued".into();
    // Issued reports are as confidential as their area's data.
    for item in state.store.issued_reports().await? {
        if !access.covers_area(item.area.as_deref()) {
            continue;
        }
        let (number, period, on) = (item.number, item.period, item.issued_on);
        let base = format!("/reports/issued/{}", percent(&number));
        issued.rows.push(vec![
            Cell::link(&number, format!("{base}?format=docx")),
            Cell::text(period),
            Cell::text(crate::domain::parse_date(&on).map(text::date).unwrap_or(on)),
            Cell::link("XLSX", format!("{base}?format=xlsx")),
        ]);
    }
    blocks.push(Block::Table(issued));
    Page {
        layout: Layout::for_viewer(&viewer, t("reports"), "reports"),
        blocks,
    }
    .render_html()
}

fn attachment(name: &str, mime: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

fn mime(format: &str) -> &'static str {
    match format {
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "json" => "application/json",
        "md" => "text/markdown; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        _ => "application/pdf",
    }
}

/// The LibreOffice program on the PATH, if any.
fn office() -> Option<&'static str> {
    ["soffice", "libreoffice"].into_iter().find(|b| {
        std::env::var_os("PATH")
            .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(b).is_file()))
    })
}

/// Converts a DOCX to PDF with LibreOffice, if the server has it.
async fn pdf_of(docx: Vec<u8>) -> Result<Option<Vec<u8>>, WebError> {
    let Some(office) = office() else {
        return Ok(None);
    };
    let dir = std::env::temp_dir().join(format!(
        "htx-pdf-{}",
        crate::store::accounts::random_secret()
    ));
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let input = dir.join("report.docx");
    tokio::fs::write(&input, docx)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let status = tokio::process::Command::new(office)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&input)
        .env("HOME", &dir)
        .status()
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let pdf = tokio::fs::read(dir.join("report.pdf")).await;
    let _ = tokio::fs::remove_dir_all(&dir).await;
    match (status.success(), pdf) {
        (true, Ok(bytes)) => Ok(Some(bytes)),
        _ => Err(WebError::Internal(
            "LibreOffice không chuyển được sang PDF".into(),
        )),
    }
}

/// GET /reports/download
pub async fn download(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<ReportQuery>,
) -> Result<Response, WebError> {
    viewer.require(Action::ViewReports)?;
    let figures = figures_of(&state, &viewer.user.access(), &q).await?;
    let wanted = q.format.clone().unwrap_or_else(|| "docx".into());
    let name = format!("bao-cao-{}", figures.period.code.replace("..", "_"));
    if wanted == "pdf" {
        let docx =
            report::render(&state.store, &figures, Format::Docx, None, today(), None).await?;
        return match pdf_of(docx).await? {
            Some(pdf) => Ok(attachment(&format!("{name}.pdf"), mime("pdf"), pdf)),
            None => Err(WebError::invalid(viewer.t("reports.pdf_missing"))),
        };
    }
    let format: Format = wanted.parse()?;
    let bytes = report::render(&state.store, &figures, format, None, today(), None).await?;
    Ok(attachment(
        &format!("{name}.{}", format.extension()),
        mime(format.extension()),
        bytes,
    ))
}

/// The issue form.
#[derive(Debug, Deserialize)]
pub struct IssueForm {
    pub period: String,
    pub number: String,
    pub date: String,
    #[serde(default)]
    pub proposals: String,
}

/// POST /reports/issue: freezes the whole-province report under a number, after a page that
/// says what issuing means and asks to confirm.
pub async fn issue(
    State(state): State<AppState>,
    viewer: Viewer,
    PostForm(values): PostForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    viewer.require(Action::IssueReport)?;
    let f: IssueForm = serde_urlencoded::from_str(
        &serde_urlencoded::to_string(&values).map_err(|e| WebError::invalid(e.to_string()))?,
    )
    .map_err(|e| WebError::invalid(e.to_string()))?;
    let number = text::clean(&f.number);
    if number.is_empty() {
        return Err(WebError::invalid("số văn bản: cần số của báo cáo"));
    }
    let issued_on =
        crate::domain::parse_date(&f.date).map_err(|r| WebError::invalid(format!("ngày: {r}")))?;
    let q = ReportQuery {
        period: Some(f.period.clone()),
        proposals: Some(f.proposals.clone()),
        ..ReportQuery::default()
    };
    let figures = figures_of(&state, &viewer.user.access(), &q).await?;
    if !super::confirmed(&values) {
        let t = |k| viewer.t(k);
        return super::confirmation_page(
            &viewer,
            t("reports.issue_confirm_title"),
            "reports",
            vec![
                format!(
                    "{} {number} {} {}, {}.",
                    t("reports.issue_confirm_what"),
                    t("fund.dated"),
                    text::date(issued_on),
                    figures.period.label
                ),
                t("reports.issue_confirm_frozen").to_string(),
            ],
            "/reports/issue",
            &values,
            &format!("/reports?period={}", percent(&f.period)),
        );
    }
    report::issue(
        &state.store,
        &figures,
        None,
        &number,
        issued_on,
        &viewer.author(),
    )
    .await?;
    super::see_other("/reports")
}

/// `?format=` of an issued report.
#[derive(Debug, Deserialize)]
pub struct IssuedQuery {
    pub format: Option<String>,
}

/// GET /reports/issued/{number}: the frozen file, byte for byte.
pub async fn issued_file(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(number): Path<String>,
    Query(q): Query<IssuedQuery>,
) -> Result<Response, WebError> {
    viewer.require(Action::ViewReports)?;
    let r = state
        .store
        .issued_report(&number)
        .await?
        .filter(|r| viewer.user.access().covers_area(r.area.as_deref()))
        .ok_or_else(|| WebError::NotFound(format!("báo cáo số {number}")))?;
    let safe = number.replace(['/', '\\', '"'], "-");
    let (ext, bytes) = match q.format.as_deref().unwrap_or("docx") {
        "xlsx" => ("xlsx", r.xlsx),
        "json" => ("json", r.figures.into_bytes()),
        "md" => ("md", r.markdown.into_bytes()),
        _ => ("docx", r.docx),
    };
    Ok(attachment(&format!("{safe}.{ext}"), mime(ext), bytes))
}
