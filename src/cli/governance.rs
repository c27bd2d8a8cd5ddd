//! `htx committee …`, `htx inspection add`, `htx complaint add`.

use crate::app::governance::{
    self as app, ComplaintInput, InspectionInput, SeatEndInput, SeatInput,
};
use crate::domain::codes::Coded;
use crate::domain::governance::{InspectionKind, InspectionStatus};
use crate::domain::text;
use crate::store::Store;
use std::process::ExitCode;

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
    /// First day.
    #[arg(long, visible_alias = "from")]
    pub date: String,
    /// Last day, when the seat has already ended.
    #[arg(long, default_value = "")]
    pub to: String,
}

/// Options of `htx committee end`.
#[derive(Debug, clap::Args)]
pub struct EndArgs {
    pub seat: String,
    /// Last day.
    #[arg(long, visible_alias = "to")]
    pub date: String,
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
    #[arg(long, default_value = "")]
    pub code: String,
    /// inspection (kiểm tra) or supervision (giám sát).
    #[arg(long, default_value = "")]
    pub kind: String,
    /// Same as --kind supervision.
    #[arg(long)]
    pub supervision: bool,
    /// planned (dự kiến) or done (đã thực hiện, the default).
    #[arg(long, default_value = "")]
    pub status: String,
    /// Same as --status planned.
    #[arg(long)]
    pub planned: bool,
    #[arg(long)]
    pub date: String,
    #[arg(long)]
    pub subject: String,
    #[arg(long, default_value = "")]
    pub findings: String,
    #[arg(long, default_value = "")]
    pub recommendations: String,
    #[arg(long, default_value = "")]
    pub follow_up: String,
}

/// Options of `htx complaint add`.
#[derive(Debug, clap::Args)]
pub struct ComplaintArgs {
    #[arg(long)]
    pub received: String,
    #[arg(long)]
    pub complainant: String,
    /// Registration code of the organisation concerned.
    #[arg(long, default_value = "")]
    pub code: String,
    #[arg(long)]
    pub subject: String,
    #[arg(long, default_value = "")]
    pub handled: String,
    #[arg(long, default_value = "")]
    pub result: String,
}

/// A value given by an option or by its flag (`--kind supervision` or `--supervision`).
fn or_flag(typed: &str, flag: bool, code: &str) -> String {
    match (typed.trim(), flag) {
        ("", true) => code.to_string(),
        _ => typed.to_string(),
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
            let input = SeatInput {
                committee: a.committee,
                person: a.person,
                position: a.position,
                term: a.term,
                from: a.date,
                to: a.to,
            };
            let (id, seat) = app::appoint(store, &input, author).await?;
            println!(
                "Đã ghi nhiệm kỳ số {id}: {} – {}",
                seat.person, seat.position
            );
        }
        CommitteeCommand::End(a) => {
            let input = SeatEndInput {
                seat: a.seat,
                to: a.date,
            };
            let (id, to) = app::end_seat(store, &input, author).await?;
            println!("Đã kết thúc nhiệm kỳ số {id} từ ngày {}", text::date(to));
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
    let kind = match (a.kind.trim(), a.supervision) {
        ("", false) => InspectionKind::Inspection.code().to_string(),
        _ => or_flag(&a.kind, a.supervision, InspectionKind::Supervision.code()),
    };
    let input = InspectionInput {
        code: a.code,
        kind,
        status: or_flag(&a.status, a.planned, InspectionStatus::Planned.code()),
        date: a.date,
        subject: a.subject,
        findings: a.findings,
        recommendations: a.recommendations,
        follow_up: a.follow_up,
    };
    let (id, _) = app::add_inspection(store, &input, author).await?;
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
    let input = ComplaintInput {
        received: a.received,
        complainant: a.complainant,
        code: a.code,
        subject: a.subject,
        handled: a.handled,
        result: a.result,
    };
    let (id, _) = app::add_complaint(store, &input, author).await?;
    println!("Đã ghi đơn thư số {id}");
    Ok(ExitCode::SUCCESS)
}
