//! `htx gen`: a synthetic national registry for benchmarks.

use crate::demo::generate::{GenSpec, generate};
use crate::store::Store;
use indicatif::{ProgressBar, ProgressStyle};
use std::process::ExitCode;

/// Options of `htx gen`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of organisations.
    #[arg(long, default_value_t = 100_000)]
    pub organisations: usize,
    /// Average events per organisation, establishment included.
    #[arg(long, default_value_t = 10)]
    pub events_per_org: usize,
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Organisations per transaction.
    #[arg(long, default_value_t = 20_000)]
    pub chunk: usize,
    /// Generate this many loans over the organisations already in the database (instead of
    /// organisations).
    #[arg(long)]
    pub loans: Option<usize>,
    /// Transactions per generated loan.
    #[arg(long, default_value_t = 25)]
    pub tx_per_loan: usize,
    /// Instead of filling the database, write an import workbook of that many rows here.
    #[arg(long)]
    pub xlsx: Option<std::path::PathBuf>,
}

/// Runs `htx gen`.
pub async fn run(store: &Store, args: Args) -> anyhow::Result<ExitCode> {
    if let Some(path) = &args.xlsx {
        let bytes = crate::demo::generate::import_workbook(args.organisations, args.seed)?;
        std::fs::write(path, bytes)?;
        println!("Đã ghi {} dòng vào {}", args.organisations, path.display());
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(n) = args.loans {
        let bar = ProgressBar::new(n as u64).with_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} khoản vay [{elapsed}/{eta}]")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        let started = std::time::Instant::now();
        let (loans, txs) = crate::demo::generate::generate_loans(
            store,
            crate::demo::generate::LoanSpec {
                loans: n,
                tx_per_loan: args.tx_per_loan,
                seed: args.seed,
                chunk: 5_000,
            },
            |done| bar.set_position(done as u64),
        )
        .await?;
        bar.finish_and_clear();
        println!(
            "Đã tạo {loans} khoản vay, {txs} giao dịch trong {:.1} s",
            started.elapsed().as_secs_f64()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let (existing, _) = store
        .list_orgs(&crate::store::registry::OrgFilter {
            limit: 1,
            ..Default::default()
        })
        .await?;
    if !existing.is_empty() {
        anyhow::bail!("cơ sở dữ liệu đã có dữ liệu; hãy dùng một cơ sở dữ liệu trống cho htx gen");
    }
    let bar = ProgressBar::new(args.organisations as u64).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} tổ chức [{elapsed}/{eta}]")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = std::time::Instant::now();
    let totals = generate(
        store,
        GenSpec {
            organisations: args.organisations,
            events_per_org: args.events_per_org.max(1),
            seed: args.seed,
            chunk: args.chunk.max(1),
        },
        |t| bar.set_position(t.organisations as u64),
    )
    .await?;
    bar.finish_and_clear();
    println!(
        "Đã tạo {} tổ chức, {} sự kiện trong {:.1} s",
        totals.organisations,
        totals.events,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
