//! `htx sector list|add|group`: the fields of activity a deployment reports by, and the
//! reporting groups it defines over them.

use crate::app::sectors::{self, ReportingGroupInput, SectorInput};
use crate::store::Store;
use std::process::ExitCode;

/// Subcommands of `htx sector`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List the taxonomy, with each field's reporting group.
    List,
    /// Add a field of activity.
    Add(AddArgs),
    /// Reporting groups: the deployment's own grouping of fields in its report's prose and
    /// tables ("công thương" = công nghiệp - tiểu thủ công nghiệp + thương mại).
    #[command(subcommand)]
    Group(GroupCommand),
}

/// Options of `htx sector add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// Stable code (letters, digits, underscores), e.g. `tourism`.
    #[arg(long)]
    pub code: String,
    /// agriculture, non_agriculture or credit.
    #[arg(long)]
    pub group: String,
    /// Vietnamese name ("Du lịch cộng đồng").
    #[arg(long = "name")]
    pub name_vi: String,
    /// English name.
    #[arg(long, default_value = "")]
    pub name_en: String,
    /// How it reads after "HTX" in prose (default: the Vietnamese name in lower case).
    #[arg(long, default_value = "")]
    pub prose: String,
    /// VSIC 2018 section letter.
    #[arg(long, default_value = "S")]
    pub vsic: String,
}

/// Subcommands of `htx sector group`.
#[derive(Debug, clap::Subcommand)]
pub enum GroupCommand {
    /// List the reporting groups and their fields.
    List,
    /// Define a reporting group, or replace the one of the same code.
    Set(GroupArgs),
    /// Remove a reporting group (its fields are then reported alone).
    Remove {
        /// The group's code.
        code: String,
    },
}

/// Options of `htx sector group set`.
#[derive(Debug, clap::Args)]
pub struct GroupArgs {
    /// Stable code (letters, digits, underscores), e.g. `cong_thuong`.
    #[arg(long)]
    pub code: String,
    /// How it reads in prose after "HTX" ("công thương").
    #[arg(long = "name")]
    pub name_vi: String,
    /// English name.
    #[arg(long, default_value = "")]
    pub name_en: String,
    /// Its fields by code or name, separated by ";" ("industry_handicraft;trade").
    #[arg(long)]
    pub fields: String,
}

/// Runs `htx sector …`.
pub async fn run(store: &Store, author: &str, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::List => {
            let taxonomy = store.taxonomy().await?;
            for s in taxonomy.all() {
                let group = taxonomy
                    .reporting_group_of(&s.code)
                    .map_or("", |g| g.code.as_str());
                println!(
                    "{:<20} {:<16} {:<4} {:<14} {}",
                    s.code,
                    s.group.code(),
                    s.vsic,
                    group,
                    s.name_vi
                );
            }
        }
        Command::Add(a) => {
            let input = SectorInput {
                code: a.code,
                name_vi: a.name_vi,
                name_en: a.name_en,
                group: a.group,
                prose: a.prose,
                vsic: a.vsic,
            };
            let sector = sectors::record_sector(store, &input, author).await?;
            println!("Đã thêm lĩnh vực {}", sector.code);
        }
        Command::Group(GroupCommand::List) => {
            let taxonomy = store.taxonomy().await?;
            if taxonomy.reporting_groups().is_empty() {
                println!("Chưa có nhóm báo cáo: báo cáo dùng các nhóm lĩnh vực và lĩnh vực.");
            }
            for g in taxonomy.reporting_groups() {
                let names: Vec<&str> = g
                    .fields
                    .iter()
                    .map(|f| taxonomy.get(f).map_or(f.as_str(), |s| s.name_vi.as_str()))
                    .collect();
                println!("{:<16} {:<24} {}", g.code, g.name_vi, names.join("; "));
            }
        }
        Command::Group(GroupCommand::Set(a)) => {
            let input = ReportingGroupInput {
                code: a.code,
                name_vi: a.name_vi,
                name_en: a.name_en,
                fields: a.fields,
            };
            let group = sectors::record_reporting_group(store, &input, author).await?;
            println!(
                "Đã lưu nhóm báo cáo {} ({}): {}",
                group.code,
                group.name_vi,
                group.fields.join(", ")
            );
        }
        Command::Group(GroupCommand::Remove { code }) => {
            store.remove_reporting_group(code.trim(), author).await?;
            println!("Đã bỏ nhóm báo cáo {}", code.trim());
        }
    }
    Ok(ExitCode::SUCCESS)
}
