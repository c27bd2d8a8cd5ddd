//! `htx report`: the report of a period in any format.

use crate::domain::period::Period;
use crate::domain::today;
use crate::report::{self, Format, figures::ReportRequest};
use crate::store::Store;
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// Options of `htx report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// 2022, 2022-H1, 2022-Q3, 2022-01..2022-04 or 2022-01-01..2022-03-31.
    #[arg(long)]
    pub period: String,
    /// md, html, docx, json or xlsx.
    #[arg(long, default_value = "md")]
    pub format: String,
    /// Output file (default: standard output for text formats, report-PERIOD.EXT otherwise).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Restrict to an area: a unit id (old-263, new-24…) or official code.
    #[arg(long)]
    pub area: Option<String>,
    /// Also compare with the same period of last year.
    #[arg(long)]
    pub compare_same_period: bool,
    /// Group areas by today's administrative units (map history across the 2025 reform).
    #[arg(long)]
    pub current_units: bool,
    /// A replacement narrative template (minijinja).
    #[arg(long)]
    pub template: Option<PathBuf>,
    /// Date printed in the document header (default: today).
    #[arg(long, value_parser = super::date_arg)]
    pub date: Option<time::Date>,
    /// A text file with the proposals (section "Đề xuất, kiến nghị"), kept with the report.
    #[arg(long)]
    pub proposals: Option<PathBuf>,
    /// Issue the report under this number ("125" or "125/BC-LMHTX"): its figures, text and
    /// files are frozen and can be exported again identically with `htx issued export`.
    #[arg(long)]
    pub issue: Option<String>,
}

/// Runs `htx report`.
pub async fn run(store: &Store, author: &str, args: Args) -> anyhow::Result<ExitCode> {
    let period = Period::parse(&args.period)?;
    let format: Format = args.format.parse()?;
    let template = args
        .template
        .as_ref()
        .map(|p| {
            std::fs::read_to_string(p)
                .with_context(|| format!("không đọc được mẫu {}", p.display()))
        })
        .transpose()?;
    let area = args
        .area
        .as_deref()
        .map(|a| resolve_area(a, period.end))
        .transpose()?;
    let request = ReportRequest {
        period: period.clone(),
        area,
        compare_same_period: args.compare_same_period,
        current_units: args.current_units,
        include_fund: true,
    };
    let mut figures = report::figures::build(store, &request).await?;
    if let Some(path) = &args.proposals {
        figures.proposals = crate::domain::text::clean_paragraphs(
            &std::fs::read_to_string(path)
                .with_context(|| format!("không đọc được {}", path.display()))?,
        );
    }
    let issued_on = args.date.unwrap_or_else(today);
    if let Some(number) = &args.issue {
        report::issue(
            store,
            &figures,
            template.as_deref(),
            number,
            issued_on,
            author,
        )
        .await?;
        eprintln!("Đã ban hành báo cáo số {number} ({})", period.label);
    }
    let bytes = report::render(
        store,
        &figures,
        format,
        template.as_deref(),
        issued_on,
        args.issue.as_deref(),
    )
    .await?;
    let binary = matches!(format, Format::Docx | Format::Xlsx);
    match args.out {
        Some(path) => {
            std::fs::write(&path, &bytes)
                .with_context(|| format!("không ghi được {}", path.display()))?;
            eprintln!(
                "Đã ghi {} ({} byte)",
                path.display(),
                crate::domain::text::number(bytes.len() as i64)
            );
        }
        None if binary => {
            let path = PathBuf::from(format!(
                "report-{}.{}",
                period.code.replace("..", "_"),
                format.extension()
            ));
            std::fs::write(&path, &bytes)?;
            eprintln!("Đã ghi {}", path.display());
        }
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Accepts a unit id (`old-263`) or an official code valid at `on` (`263`).
pub fn resolve_area(a: &str, on: time::Date) -> anyhow::Result<String> {
    let g = crate::domain::geo::geo();
    if let Some(u) = g.unit(a) {
        return Ok(u.id.clone());
    }
    g.by_code(a, on)
        .map(|u| u.id.clone())
        .with_context(|| format!("không có đơn vị hành chính \"{a}\""))
}
