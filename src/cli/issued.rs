//! `htx issued list|export`: reports frozen with `htx report --issue`.

use crate::error::Error;
use crate::report::Format;
use crate::store::Store;
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

/// Subcommands of `htx issued`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List issued reports, newest first.
    List,
    /// Write an issued report exactly as it was issued.
    Export(ExportArgs),
}

/// Options of `htx issued export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The report's number.
    pub number: String,
    /// md, docx, xlsx or json.
    #[arg(long, default_value = "docx")]
    pub format: String,
    #[arg(long)]
    pub out: PathBuf,
}

/// Runs `htx issued …`.
pub async fn run(store: &Store, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::List => {
            for crate::store::issued::IssuedListItem {
                number,
                period,
                issued_on: on,
                ..
            } in store.issued_reports().await?
            {
                println!("{number:<20} {period:<12} {on}");
            }
        }
        Command::Export(a) => {
            let r = store
                .issued_report(&a.number)
                .await?
                .ok_or_else(|| Error::NotFound(format!("báo cáo số {}", a.number)))?;
            let bytes = match a.format.parse::<Format>()? {
                Format::Docx => r.docx,
                Format::Xlsx => r.xlsx,
                Format::Json => r.figures.into_bytes(),
                Format::Markdown => r.markdown.into_bytes(),
                Format::Html => {
                    anyhow::bail!("--format: báo cáo đã ban hành lưu md, docx, xlsx và json")
                }
            };
            std::fs::write(&a.out, bytes)
                .with_context(|| format!("không ghi được {}", a.out.display()))?;
            println!("Đã ghi báo cáo số {} vào {}", a.number, a.out.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
