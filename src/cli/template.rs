//! `htx template FILE.xlsx`: a ready-to-fill import workbook.

use crate::import::template;
use crate::store::Store;
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

/// Options of `htx template`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the workbook.
    pub file: PathBuf,
}

/// Runs `htx template`.
pub async fn run(store: &Store, args: Args) -> anyhow::Result<ExitCode> {
    let taxonomy = store.taxonomy().await?;
    let deployment = store.deployment().await?;
    let bytes = template::workbook_for(&taxonomy, &deployment.area, &deployment.grade_thresholds)?;
    std::fs::write(&args.file, bytes)
        .with_context(|| format!("không ghi được {}", args.file.display()))?;
    println!("Đã ghi mẫu nhập liệu {}", args.file.display());
    Ok(ExitCode::SUCCESS)
}
