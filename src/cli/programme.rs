//! `htx programme …` and `htx support add`: programmes, their stages and the support ledger.

use crate::app::programmes::{self as app, ProgrammeInput, StageInput, SupportInput};
use crate::domain::codes::Coded;
use crate::domain::text;
use crate::store::Store;
use std::process::ExitCode;

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
    #[arg(long)]
    pub date: String,
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
    #[arg(long, default_value = "")]
    pub programme: String,
    /// training, trade_promotion, science_technology, infrastructure, credit, establishment,
    /// processing, other.
    #[arg(long)]
    pub category: String,
    /// Amount in đồng.
    #[arg(long)]
    pub amount: String,
    #[arg(long)]
    pub date: String,
    #[arg(long, default_value = "")]
    pub note: String,
}

/// Runs `htx programme …`.
pub async fn run(store: &Store, author: &str, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Add(a) => {
            let input = ProgrammeInput {
                code: a.code,
                name: a.name,
                decision: a.decision,
            };
            let p = app::set_programme(store, &input, author).await?;
            println!("Đã lưu chương trình {}", p.code);
        }
        Command::Stage(a) => {
            let input = StageInput {
                programme: a.programme,
                org: a.org,
                stage: a.stage,
                date: a.date,
                note: a.note,
            };
            let s = app::record_stage(store, &input, author).await?;
            println!("Đã ghi {} ngày {}", s.stage.name_vi(), text::date(s.date));
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
    let input = SupportInput {
        org: a.org,
        programme: a.programme,
        category: a.category,
        amount: a.amount,
        date: a.date,
        note: a.note,
    };
    let (n, s) = app::add_support(store, &input, author).await?;
    println!("Đã ghi khoản hỗ trợ số {n}: {}", text::money(s.amount));
    Ok(ExitCode::SUCCESS)
}
