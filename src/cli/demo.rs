//! `htx demo`: build the demo database and write its 2022-H1 report.

use crate::demo;
use crate::domain::period::Period;
use crate::report::{self, Format, figures::ReportRequest};
use crate::store::{Backend, Store};
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

/// Options of `htx demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Replace an existing SQLite demo database file.
    #[arg(long)]
    pub fresh: bool,
    /// Folder for the demo report files.
    #[arg(long, default_value = ".")]
    pub out_dir: PathBuf,
}

/// Runs `htx demo`.
pub async fn run(url: &str, author: &str, args: &Args) -> anyhow::Result<ExitCode> {
    let backend: Backend = url.parse()?;
    if args.fresh && backend == Backend::Sqlite {
        let path = sqlite_path(url);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    }
    let store = Store::open(url)
        .await
        .with_context(|| format!("không mở được {}", super::redact(url)))?;
    let (existing, _) = store
        .list_orgs(&crate::store::registry::OrgFilter {
            limit: 1,
            ..Default::default()
        })
        .await?;
    let has_data = !existing.is_empty() || store.org_by_code("2725600001").await?.is_some();
    if has_data {
        if store.deployment().await?.area != demo::DEMO_AREA {
            anyhow::bail!(
                "cơ sở dữ liệu {} đã có dữ liệu khác; dùng --fresh hoặc --db khác",
                super::redact(url)
            );
        }
        eprintln!(
            "Dữ liệu mẫu đã có sẵn trong {} (dùng --fresh để tạo lại).",
            super::redact(url)
        );
    } else {
        let summary = demo::build(&store, author).await?;
        eprintln!(
            "Đã tạo dữ liệu mẫu Bắc Ninh: {} tổ chức, {} sự kiện, {} dòng số liệu năm.",
            summary.outcome.organisations, summary.outcome.events, summary.outcome.figures
        );
    }
    let mut figures =
        report::figures::build(&store, &ReportRequest::of(Period::parse("2022-H1")?)).await?;
    figures.proposals = demo::PROPOSALS.to_string();
    std::fs::create_dir_all(&args.out_dir)?;
    for format in [Format::Docx, Format::Markdown] {
        let bytes =
            report::render(&store, &figures, format, None, demo::SEED_REPORT_DATE, None).await?;
        let path = args
            .out_dir
            .join(format!("demo-2022-H1.{}", format.extension()));
        std::fs::write(&path, &bytes)
            .with_context(|| format!("không ghi được {}", path.display()))?;
        if format == Format::Markdown {
            println!("{}", String::from_utf8_lossy(&bytes));
        }
        eprintln!("Đã ghi {}", path.display());
    }
    eprintln!("Thử tiếp: htx report --period 2022-H1 --format docx --out r.docx (xem README.md)");
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

fn sqlite_path(url: &str) -> String {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    rest.split('?').next().unwrap_or(rest).to_string()
}
