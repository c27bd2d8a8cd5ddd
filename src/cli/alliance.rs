//! `htx activity …` and `htx member …`: the Alliance's own work.

use crate::domain::alliance::{
    Activity, ActivityKind, ActivityStatus, MemberCategory, MemberKind, MembershipChange,
};
use crate::domain::period::Period;
use crate::domain::{text, today};
use crate::store::Store;
use anyhow::Context;
use std::process::ExitCode;
use time::Date;

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
    /// workshop, dialogue, advisory, selection.
    #[arg(long)]
    pub kind: String,
    #[arg(long)]
    pub title: String,
    #[arg(long, value_parser = super::date_arg)]
    pub date: Date,
    #[arg(long, value_parser = super::date_arg)]
    pub end: Option<Date>,
    /// Not held yet.
    #[arg(long)]
    pub planned: bool,
    /// Where: a district or commune code valid on the date.
    #[arg(long)]
    pub area: Option<String>,
    #[arg(long, default_value_t = 1)]
    pub quantity: i64,
    #[arg(long, default_value_t = 0)]
    pub attendees: i64,
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
    #[arg(long)]
    pub organisations: Option<String>,
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
    #[arg(long)]
    pub code: Option<String>,
    /// Name of an enterprise or association outside the registry.
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long, value_parser = super::date_arg)]
    pub date: Date,
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
            let kind = ActivityKind::parse(&a.kind)
                .with_context(|| format!("--kind: \"{}\" không hợp lệ", a.kind))?;
            if !a.planned && a.date > today() {
                anyhow::bail!(
                    "--date: hoạt động đã tổ chức không thể ở ngày tương lai (dùng --planned)"
                );
            }
            let area = match &a.area {
                None => String::new(),
                Some(code) => super::report::resolve_area(code, a.date)?,
            };
            let mut organisations = Vec::new();
            for code in a
                .organisations
                .as_deref()
                .unwrap_or("")
                .split(';')
                .map(str::trim)
                .filter(|c| !c.is_empty())
            {
                let org = store
                    .org_by_code(code)
                    .await?
                    .with_context(|| format!("--organisations: không có tổ chức mã số {code}"))?;
                organisations.push(org.id);
            }
            let id = store
                .add_activity(
                    &Activity {
                        id: 0,
                        kind,
                        title: text::clean(&a.title),
                        status: if a.planned {
                            ActivityStatus::Planned
                        } else {
                            ActivityStatus::Held
                        },
                        start: a.date,
                        end: a.end.unwrap_or(a.date),
                        area,
                        quantity: a.quantity.max(1),
                        attendees: a.attendees.max(0),
                        channel: text::clean(&a.channel),
                        partner: text::clean(&a.partner),
                        document_no: text::clean(&a.document_no),
                        issuer: text::clean(&a.issuer),
                        funding: text::clean(&a.funding),
                        note: String::new(),
                        organisations,
                    },
                    author,
                )
                .await?;
            println!(
                "Đã ghi hoạt động số {id}: {} ({})",
                text::clean(&a.title),
                kind.name_vi()
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
    let member = match (&a.code, &a.name) {
        (Some(code), _) => {
            let org = store
                .org_by_code(code)
                .await?
                .with_context(|| format!("--code: không có tổ chức mã số {code}"))?;
            let kind = if org.kind == crate::domain::registry::OrgKind::Lhhtx {
                MemberKind::Lhhtx
            } else {
                MemberKind::Htx
            };
            store.member_for(Some(org.id), &org.name, kind).await?
        }
        (None, Some(name)) => {
            store
                .member_for(None, &text::clean(name), MemberKind::Enterprise)
                .await?
        }
        (None, None) => {
            anyhow::bail!("cần --code (tổ chức trong sổ) hoặc --name (doanh nghiệp, hiệp hội)")
        }
    };
    let category = if a.associate {
        MemberCategory::Associate
    } else {
        MemberCategory::Official
    };
    store
        .record_membership(
            member,
            change,
            category,
            a.date,
            &text::clean(&a.reference),
            author,
        )
        .await?;
    println!(
        "Đã ghi {} ngày {}",
        if change == MembershipChange::Joined {
            "kết nạp"
        } else {
            "ra khỏi Liên minh"
        },
        text::date(a.date)
    );
    Ok(ExitCode::SUCCESS)
}
