//! `htx import FILE [--dry-run]`.

use crate::domain::{text, today};
use crate::import;
use crate::store::Store;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Options of `htx import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The .xlsx or .csv file.
    pub file: PathBuf,
    /// Check every row and list the problems without writing anything.
    #[arg(long)]
    pub dry_run: bool,
}

/// Runs `htx import`.
pub async fn run(store: &Store, author: &str, args: Args) -> anyhow::Result<ExitCode> {
    let spinner = ProgressBar::new_spinner().with_style(
        ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    spinner.set_message(format!("Đang đọc và kiểm tra {}", args.file.display()));
    spinner.enable_steady_tick(Duration::from_millis(120));
    let result = import::import_file(store, &args.file, author, today(), args.dry_run).await;
    spinner.finish_and_clear();
    let report = result?;
    for sheet in &report.plan.ignored_sheets {
        eprintln!("Bỏ qua sheet \"{sheet}\": không nhận ra tiêu đề cột");
    }
    let n = |x: usize| text::number(x as i64);
    // Said whether or not the file has errors: an unused column is worth knowing either way.
    if !report.notices.is_empty() {
        println!("Lưu ý ({}):", n(report.notices.len()));
        for e in &report.notices {
            println!("  - {e}");
        }
    }
    let errors = report.errors();
    if !errors.is_empty() {
        eprintln!("Tệp có {} lỗi:", n(errors.len()));
        for e in &errors {
            eprintln!("  - {e}");
        }
        if !args.dry_run {
            eprintln!("Không ghi dòng nào. Sửa các lỗi trên rồi nhập lại.");
        }
        return Ok(ExitCode::FAILURE);
    }
    let unchanged = report.unchanged();
    let said = |counts: Vec<(&str, usize)>| {
        counts
            .iter()
            .map(|(label, x)| format!("{} {label}", n(*x)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match &report.written {
        None => println!(
            "Kiểm tra xong, không có lỗi. Sẽ ghi: {}; {} dòng đã có sẵn.",
            said(report.planned_counts()),
            n(unchanged)
        ),
        Some(w) if w.is_empty() => println!(
            "Không có gì thay đổi: {} dòng đã có sẵn trong sổ.",
            n(unchanged)
        ),
        Some(w) => println!(
            "Đã nhập: {}; {} dòng đã có sẵn.",
            said(w.counts()),
            n(unchanged)
        ),
    }
    Ok(ExitCode::SUCCESS)
}
