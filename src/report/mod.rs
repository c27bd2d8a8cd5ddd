//! Reports: figures computed once from the store, then rendered to Markdown, HTML, DOCX,
//! XLSX or JSON.

pub mod alliance;
pub mod decree30;
pub mod docx;
pub mod figures;
pub mod fund;
pub mod html;
pub mod markdown;
pub mod xlsx;

use crate::error::{Error, Result};
use std::str::FromStr;

/// Freezes a report under a number: its figures, Markdown, DOCX and XLSX are stored as
/// produced now and are what `htx issued export` returns from then on.
pub async fn issue(
    store: &crate::store::Store,
    figures: &crate::domain::report::Figures,
    template: Option<&str>,
    number: &str,
    issued_on: time::Date,
    author: &str,
) -> Result<crate::store::issued::IssuedReport> {
    let issued = crate::store::issued::IssuedReport {
        number: number.to_string(),
        period: figures.period.code.clone(),
        area: Some(figures.area.id.clone()),
        issued_on: issued_on.to_string(),
        issued_at: crate::domain::now_iso(),
        author: author.to_string(),
        figures: String::from_utf8(
            render(
                store,
                figures,
                Format::Json,
                template,
                issued_on,
                Some(number),
            )
            .await?,
        )
        .map_err(|e| Error::Render(e.to_string()))?,
        markdown: markdown::render(figures, template)?,
        docx: render(
            store,
            figures,
            Format::Docx,
            template,
            issued_on,
            Some(number),
        )
        .await?,
        xlsx: xlsx::render(figures)?,
    };
    store
        .issue_report(&issued, figures.period.start, figures.period.end)
        .await?;
    Ok(issued)
}

/// Output formats of `htx report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Docx,
    Json,
    Xlsx,
}

impl FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Format> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Format::Markdown,
            "html" => Format::Html,
            "docx" => Format::Docx,
            "json" => Format::Json,
            "xlsx" => Format::Xlsx,
            other => {
                return Err(Error::invalid(
                    "--format",
                    format!("định dạng \"{other}\" không hỗ trợ (md, html, docx, json, xlsx)"),
                ));
            }
        })
    }
}

impl Format {
    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
        }
    }
}

/// Produces a report document: figures from the store, rendered in `format`.
/// `template` replaces the built-in narrative; `issued_on` is the date in the header.
pub async fn produce(
    store: &crate::store::Store,
    request: &figures::ReportRequest,
    format: Format,
    template: Option<&str>,
    issued_on: time::Date,
) -> Result<Vec<u8>> {
    let figures = figures::build(store, request).await?;
    render(store, &figures, format, template, issued_on, None).await
}

/// Renders computed figures.
pub async fn render(
    store: &crate::store::Store,
    figures: &crate::domain::report::Figures,
    format: Format,
    template: Option<&str>,
    issued_on: time::Date,
    number: Option<&str>,
) -> Result<Vec<u8>> {
    Ok(match format {
        Format::Json => {
            let mut s =
                serde_json::to_string_pretty(figures).map_err(|e| Error::Render(e.to_string()))?;
            s.push('\n');
            s.into_bytes()
        }
        Format::Xlsx => xlsx::render(figures)?,
        Format::Markdown => markdown::render(figures, template)?.into_bytes(),
        Format::Html => {
            let body = markdown::render(figures, template)?;
            let title = format!(
                "Báo cáo tình hình kinh tế tập thể, hợp tác xã {}",
                figures.period.label
            );
            html::render(&title, &body).into_bytes()
        }
        Format::Docx => {
            let body = markdown::render(figures, template)?;
            let deployment = store.deployment().await?;
            docx::render(figures, &body, &deployment, issued_on, number)?
        }
    })
}
