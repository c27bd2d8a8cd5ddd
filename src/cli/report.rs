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
}

/// Runs `htx report`.
pub async fn run(store: &Store, args: Args) -> anyhow::Result<ExitCode> {
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
    };
    let bytes = report::produce(
        store,
        &request,
        format,
        template.as_deref(),
        args.date.unwrap_or_else(today),
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
