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
        ProgressStyle::with_template("{spinner} {msg} [{elapsed}]").expect("valid template"),
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
    let b = &report.plan.batch;
    let f = &report.fund.batch;
    let unchanged = report.plan.unchanged
        + report.fund.unchanged
        + report.alliance.unchanged
        + report.governance.unchanged
        + report.programmes.unchanged
        + report.targets.unchanged;
    let fund_txs = f.loans.iter().map(|(_, t)| t.len()).sum::<usize>() + f.transactions.len();
    // The registry, fund and Alliance counts are always said; the governance, programme and
    // plan counts only when the file had such rows, to keep the line readable.
    let counts = |base: [usize; 7], extra: [usize; 7]| {
        let mut parts: Vec<String> = [
            "tổ chức mới",
            "sự kiện",
            "dòng số liệu năm",
            "khoản vay",
            "giao dịch vay",
            "hoạt động",
            "biến động thành viên",
        ]
        .iter()
        .zip(base)
        .map(|(label, x)| format!("{} {label}", n(x)))
        .collect();
        parts.extend(
            [
                "thay đổi nhân sự các Ban",
                "cuộc kiểm tra, giám sát",
                "đơn thư",
                "chương trình",
                "bước tham gia chương trình",
                "khoản hỗ trợ",
                "chỉ tiêu kế hoạch",
            ]
            .iter()
            .zip(extra)
            .filter(|(_, x)| *x > 0)
            .map(|(label, x)| format!("{} {label}", n(x))),
        );
        parts.join(", ")
    };
    match &report.written {
        None => println!(
            "Kiểm tra xong, không có lỗi. Sẽ ghi: {}; {} dòng đã có sẵn.",
            counts(
                [
                    b.organisations.len(),
                    b.events.len(),
                    b.figures.len(),
                    f.loans.len(),
                    fund_txs,
                    report.alliance.activities.len(),
                    report.alliance.memberships.len(),
                ],
                [
                    report.governance.seats.len(),
                    report.governance.inspections.len(),
                    report.governance.complaints.len(),
                    report.programmes.programmes.len(),
                    report.programmes.stages.len(),
                    report.programmes.supports.len(),
                    report.targets.targets,
                ]
            ),
            n(unchanged)
        ),
        Some(w) if w.is_empty() => println!(
            "Không có gì thay đổi: {} dòng đã có sẵn trong sổ.",
            n(unchanged)
        ),
        Some(w) => println!(
            "Đã nhập: {}; {} dòng đã có sẵn.",
            counts(
                [
                    w.registry.organisations,
                    w.registry.events - w.registry.organisations,
                    w.registry.figures,
                    w.loans,
                    w.loan_transactions,
                    w.activities,
                    w.memberships,
                ],
                [
                    w.seats,
                    w.inspections,
                    w.complaints,
                    w.programmes,
                    w.programme_stages,
                    w.supports,
                    w.plan_targets,
                ]
            ),
            n(unchanged)
        ),
    }
    Ok(ExitCode::SUCCESS)
}
