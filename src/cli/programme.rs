//! `htx programme …` and `htx support add`: programmes, their stages and the support ledger.

use crate::domain::codes::Coded;
use crate::domain::programmes::{ProgrammeStage, SupportCategory};
use crate::domain::text;
use crate::store::Store;
use crate::store::programmes::Support;
use anyhow::Context;
use std::process::ExitCode;
use time::Date;

/// Subcommands of `htx programme`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Record a programme or policy (code, name, deciding document).
    Add(AddArgs),
    /// Record that an organisation was nominated, evaluated or selected.
    Stage(StageArgs),
}

/// Options of `htx programme add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    #[arg(long)]
    pub code: String,
    #[arg(long)]
    pub name: String,
    #[arg(long, default_value = "")]
    pub decision: String,
}

/// Options of `htx programme stage`.
#[derive(Debug, clap::Args)]
pub struct StageArgs {
    /// Programme code.
    #[arg(long)]
    pub programme: String,
    /// Registration code of the organisation.
    #[arg(long)]
    pub org: String,
    /// nominated, evaluated or selected.
    #[arg(long)]
    pub stage: String,
    #[arg(long, value_parser = super::date_arg)]
    pub date: Date,
    #[arg(long, default_value = "")]
    pub note: String,
}

/// Subcommands of `htx support`.
#[derive(Debug, clap::Subcommand)]
pub enum SupportCommand {
    /// Record support given to an organisation.
    Add(SupportArgs),
}

/// Options of `htx support add`.
#[derive(Debug, clap::Args)]
pub struct SupportArgs {
    /// Registration code of the organisation supported.
    #[arg(long)]
    pub org: String,
    #[arg(long)]
    pub programme: Option<String>,
    /// training, trade_promotion, science_technology, infrastructure, credit, establishment,
    /// processing, other.
    #[arg(long)]
    pub category: String,
    /// Amount in đồng.
    #[arg(long)]
    pub amount: i64,
    #[arg(long, value_parser = super::date_arg)]
    pub date: Date,
    #[arg(long, default_value = "")]
    pub note: String,
}

async fn org(store: &Store, code: &str) -> anyhow::Result<i64> {
    Ok(store
        .org_by_code(code)
        .await?
        .with_context(|| format!("--org: không có tổ chức mã số {code}"))?
        .id)
}

/// Runs `htx programme …`.
pub async fn run(store: &Store, author: &str, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Add(a) => {
            store
                .set_programme(
                    a.code.trim(),
                    &text::clean(&a.name),
                    &text::clean(&a.decision),
                    author,
                )
                .await?;
            println!("Đã lưu chương trình {}", a.code.trim());
        }
        Command::Stage(a) => {
            let id = org(store, &a.org).await?;
            store
                .record_stage(
                    a.programme.trim(),
                    id,
                    ProgrammeStage::read(&a.stage).map_err(|r| anyhow::anyhow!("--stage: {r}"))?,
                    a.date,
                    &text::clean(&a.note),
                    author,
                )
                .await?;
            println!("Đã ghi {} ngày {}", a.stage.trim(), text::date(a.date));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `htx support add`.
pub async fn run_support(
    store: &Store,
    author: &str,
    cmd: SupportCommand,
) -> anyhow::Result<ExitCode> {
    let SupportCommand::Add(a) = cmd;
    let id = org(store, &a.org).await?;
    let n = store
        .add_support(
            &Support {
                programme: a.programme.clone(),
                org_id: id,
                category: SupportCategory::read(&a.category)
                    .map_err(|r| anyhow::anyhow!("--category: {r}"))?,
                amount: a.amount,
                date: a.date,
                note: text::clean(&a.note),
            },
            author,
        )
        .await?;
    println!("Đã ghi khoản hỗ trợ số {n}: {}", text::money(a.amount));
    Ok(ExitCode::SUCCESS)
}
