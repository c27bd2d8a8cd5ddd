//! `htx committee …`, `htx inspection add`, `htx complaint add`.

use crate::domain::codes::Coded;
use crate::domain::governance::{Committee, InspectionKind, InspectionStatus};
use crate::domain::text;
use crate::store::Store;
use crate::store::governance::{Complaint, Inspection, Seat};
use anyhow::Context;
use std::process::ExitCode;
use time::Date;

/// Subcommands of `htx committee`.
#[derive(Debug, clap::Subcommand)]
pub enum CommitteeCommand {
    /// Appoint someone to a committee (executive, standing, supervisory) from a date.
    Appoint(AppointArgs),
    /// End a seat on a date (by its number, shown when appointed).
    End(EndArgs),
}

/// Options of `htx committee appoint`.
#[derive(Debug, clap::Args)]
pub struct AppointArgs {
    /// executive (Ban Chấp hành), standing (Ban Thường vụ) or supervisory (Ủy ban Kiểm tra).
    #[arg(long)]
    pub committee: String,
    #[arg(long)]
    pub person: String,
    #[arg(long, default_value = "Ủy viên")]
    pub position: String,
    #[arg(long, default_value = "")]
    pub term: String,
    #[arg(long, value_parser = super::date_arg)]
    pub date: Date,
}

/// Options of `htx committee end`.
#[derive(Debug, clap::Args)]
pub struct EndArgs {
    pub seat: i64,
    #[arg(long, value_parser = super::date_arg)]
    pub date: Date,
}

/// Subcommands of `htx inspection`.
#[derive(Debug, clap::Subcommand)]
pub enum InspectionCommand {
    /// Record an inspection or supervision (done or planned).
    Add(InspectionArgs),
}

/// Subcommands of `htx complaint`.
#[derive(Debug, clap::Subcommand)]
pub enum ComplaintCommand {
    /// Record a complaint received and how it was handled.
    Add(ComplaintArgs),
}

/// Options of `htx inspection add`.
#[derive(Debug, clap::Args)]
pub struct InspectionArgs {
    /// Registration code of the organisation inspected.
    #[arg(long)]
    pub code: Option<String>,
    /// A supervision (giám sát) rather than an inspection (kiểm tra).
    #[arg(long)]
    pub supervision: bool,
    /// Planned, not done yet.
    #[arg(long)]
    pub planned: bool,
    #[arg(long, value_parser = super::date_arg)]
    pub date: Date,
    #[arg(long)]
    pub subject: String,
    #[arg(long, default_value = "")]
    pub findings: String,
    #[arg(long, default_value = "")]
    pub recommendations: String,
}

/// Options of `htx complaint add`.
#[derive(Debug, clap::Args)]
pub struct ComplaintArgs {
    #[arg(long, value_parser = super::date_arg)]
    pub received: Date,
    #[arg(long)]
    pub complainant: String,
    /// Registration code of the organisation concerned.
    #[arg(long)]
    pub code: Option<String>,
    #[arg(long)]
    pub subject: String,
    #[arg(long, value_parser = super::date_arg)]
    pub handled: Option<Date>,
    #[arg(long, default_value = "")]
    pub result: String,
}

async fn org_id(store: &Store, code: Option<&str>) -> anyhow::Result<Option<i64>> {
    match code {
        None => Ok(None),
        Some(c) => Ok(Some(
            store
                .org_by_code(c)
                .await?
                .with_context(|| format!("--code: không có tổ chức mã số {c}"))?
                .id,
        )),
    }
}

/// Runs `htx committee …`.
pub async fn run_committee(
    store: &Store,
    author: &str,
    cmd: CommitteeCommand,
) -> anyhow::Result<ExitCode> {
    match cmd {
        CommitteeCommand::Appoint(a) => {
            let id = store
                .appoint(
                    &Seat {
                        committee: Committee::read(&a.committee)
                            .map_err(|r| anyhow::anyhow!("--committee: {r}"))?,
                        person: text::clean(&a.person),
                        position: text::clean(&a.position),
                        term: text::clean(&a.term),
                        from: a.date,
                    },
                    author,
                )
                .await?;
            println!(
                "Đã ghi nhiệm kỳ số {id}: {} – {}",
                text::clean(&a.person),
                text::clean(&a.position)
            );
        }
        CommitteeCommand::End(a) => {
            store.end_seat(a.seat, a.date, author).await?;
            println!(
                "Đã kết thúc nhiệm kỳ số {} từ ngày {}",
                a.seat,
                text::date(a.date)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `htx inspection add`.
pub async fn run_inspection(
    store: &Store,
    author: &str,
    cmd: InspectionCommand,
) -> anyhow::Result<ExitCode> {
    let InspectionCommand::Add(a) = cmd;
    let id = store
        .add_inspection(
            &Inspection {
                org_id: org_id(store, a.code.as_deref()).await?,
                kind: if a.supervision {
                    InspectionKind::Supervision
                } else {
                    InspectionKind::Inspection
                },
                status: if a.planned {
                    InspectionStatus::Planned
                } else {
                    InspectionStatus::Done
                },
                date: a.date,
                subject: text::clean(&a.subject),
                findings: text::clean(&a.findings),
                recommendations: text::clean(&a.recommendations),
                follow_up: String::new(),
            },
            author,
        )
        .await?;
    println!("Đã ghi cuộc kiểm tra, giám sát số {id}");
    Ok(ExitCode::SUCCESS)
}

/// Runs `htx complaint add`.
pub async fn run_complaint(
    store: &Store,
    author: &str,
    cmd: ComplaintCommand,
) -> anyhow::Result<ExitCode> {
    let ComplaintCommand::Add(a) = cmd;
    let id = store
        .add_complaint(
            &Complaint {
                received: a.received,
                complainant: text::clean(&a.complainant),
                org_id: org_id(store, a.code.as_deref()).await?,
                subject: text::clean(&a.subject),
                handled: a.handled,
                result: text::clean(&a.result),
            },
            author,
        )
        .await?;
    println!("Đã ghi đơn thư số {id}");
    Ok(ExitCode::SUCCESS)
}
