//! `htx activity …` and `htx member …`: the Alliance's own work.

use crate::app::alliance::{self as app, ActivityInput, MembershipInput};
use crate::domain::access::{Access, Role};
use crate::domain::alliance::{ActivityStatus, MemberCategory, MembershipChange};
use crate::domain::codes::Coded;
use crate::domain::period::Period;
use crate::domain::text;
use crate::store::Store;
use std::process::ExitCode;

/// Subcommands of `htx activity`.
#[derive(Debug, clap::Subcommand)]
pub enum ActivityCommand {
    /// Record an activity (training, media, fair, dialogue, workshop, advisory output…).
    Add(Box<AddActivity>),
    /// List the activities of a period.
    List(ListActivities),
}

/// Options of `htx activity add`.
#[derive(Debug, clap::Args)]
pub struct AddActivity {
    /// training, media_series, media_article, website_post, agreement, fair, conference,
    /// workshop, dialogue, advisory, selection (or the Vietnamese name).
    #[arg(long)]
    pub kind: String,
    #[arg(long)]
    pub title: String,
    /// First day (dd/mm/yyyy or yyyy-mm-dd).
    #[arg(long)]
    pub date: String,
    /// Last day, not before the first.
    #[arg(long, default_value = "")]
    pub end: String,
    /// Not held yet.
    #[arg(long)]
    pub planned: bool,
    /// Where: a district or commune code valid on the date (or a unit id).
    #[arg(long, default_value = "")]
    pub area: String,
    /// How many series, articles or posts the record stands for: from 1 (default 1).
    #[arg(long, default_value = "")]
    pub quantity: String,
    #[arg(long, default_value = "")]
    pub attendees: String,
    #[arg(long, default_value = "")]
    pub channel: String,
    #[arg(long, default_value = "")]
    pub partner: String,
    #[arg(long, default_value = "")]
    pub document_no: String,
    #[arg(long, default_value = "")]
    pub issuer: String,
    #[arg(long, default_value = "")]
    pub funding: String,
    /// Registration codes of participating organisations, separated by ";".
    #[arg(long, default_value = "")]
    pub organisations: String,
}

impl AddActivity {
    /// The options as the shared input.
    pub fn input(&self) -> ActivityInput {
        ActivityInput {
            kind: self.kind.clone(),
            title: self.title.clone(),
            date: self.date.clone(),
            end: self.end.clone(),
            planned: self.planned,
            area: self.area.clone(),
            quantity: self.quantity.clone(),
            attendees: self.attendees.clone(),
            channel: self.channel.clone(),
            partner: self.partner.clone(),
            document_no: self.document_no.clone(),
            issuer: self.issuer.clone(),
            funding: self.funding.clone(),
            note: String::new(),
            organisations: self.organisations.clone(),
        }
    }
}

/// Options of `htx activity list`.
#[derive(Debug, clap::Args)]
pub struct ListActivities {
    #[arg(long)]
    pub period: String,
}

/// Subcommands of `htx member`.
#[derive(Debug, clap::Subcommand)]
pub enum MemberCommand {
    /// Admit a member (an organisation of the registry, or a named enterprise/association).
    Join(MemberArgs),
    /// End a membership.
    Leave(MemberArgs),
}

/// Options of `htx member join|leave`.
#[derive(Debug, clap::Args)]
pub struct MemberArgs {
    /// Registration code of the organisation.
    #[arg(long, default_value = "")]
    pub code: String,
    /// Name of an enterprise or association outside the registry.
    #[arg(long, default_value = "")]
    pub name: String,
    #[arg(long)]
    pub date: String,
    /// Associate (liên kết) rather than official membership.
    #[arg(long)]
    pub associate: bool,
    #[arg(long, default_value = "")]
    pub reference: String,
}

/// Runs `htx activity …`.
pub async fn run_activity(
    store: &Store,
    author: &str,
    cmd: ActivityCommand,
) -> anyhow::Result<ExitCode> {
    match cmd {
        ActivityCommand::Add(a) => {
            let access = Access {
                role: Role::Admin,
                area: None,
            };
            let (id, activity) = app::add_activity(store, &a.input(), &access, author).await?;
            println!(
                "Đã ghi hoạt động số {id}: {} ({})",
                activity.title,
                activity.kind.name_vi()
            );
        }
        ActivityCommand::List(a) => {
            let period = Period::parse(&a.period)?;
            for x in store.activities(period.start, period.end).await? {
                println!(
                    "{}  {:<24} {:<9} {}",
                    text::date(x.start),
                    x.kind.name_vi(),
                    if x.status == ActivityStatus::Planned {
                        "dự kiến"
                    } else {
                        ""
                    },
                    x.title
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `htx member …`.
pub async fn run_member(
    store: &Store,
    author: &str,
    cmd: MemberCommand,
) -> anyhow::Result<ExitCode> {
    let (change, a) = match cmd {
        MemberCommand::Join(a) => (MembershipChange::Joined, a),
        MemberCommand::Leave(a) => (MembershipChange::Left, a),
    };
    let input = MembershipInput {
        change: change.code().to_string(),
        code: a.code,
        name: a.name,
        date: a.date,
        category: if a.associate {
            MemberCategory::Associate
        } else {
            MemberCategory::Official
        }
        .code()
        .to_string(),
        reference: a.reference,
    };
    let checked = app::change_membership(store, &input, author).await?;
    println!(
        "Đã ghi {} ngày {}",
        if change == MembershipChange::Joined {
            "kết nạp"
        } else {
            "ra khỏi Liên minh"
        },
        text::date(checked.membership.event.effective)
    );
    Ok(ExitCode::SUCCESS)
}
