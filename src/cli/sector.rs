//! `htx sector list|add`: the fields of activity a deployment reports by.

use crate::domain::sector::{Sector, SectorGroup};
use crate::domain::text;
use crate::store::Store;
use std::process::ExitCode;

/// Subcommands of `htx sector`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List the taxonomy.
    List,
    /// Add a field of activity.
    Add(AddArgs),
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
    #[arg(long)]
    pub name: String,
    /// English name.
    #[arg(long, default_value = "")]
    pub name_en: String,
    /// How it reads after "HTX" in prose (default: the Vietnamese name in lower case).
    #[arg(long)]
    pub prose: Option<String>,
    /// VSIC 2018 section letter.
    #[arg(long, default_value = "S")]
    pub vsic: String,
}

/// Runs `htx sector …`.
pub async fn run(store: &Store, author: &str, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::List => {
            for s in store.taxonomy().await?.all() {
                println!(
                    "{:<20} {:<16} {:<4} {}",
                    s.code,
                    s.group.code(),
                    s.vsic,
                    s.name_vi
                );
            }
        }
        Command::Add(a) => {
            let group = SectorGroup::from_code(&a.group).ok_or_else(|| {
                anyhow::anyhow!(
                    "--group: \"{}\" không hợp lệ (agriculture, non_agriculture, credit)",
                    a.group
                )
            })?;
            if a.code.is_empty()
                || !a
                    .code
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                anyhow::bail!("--code: chỉ dùng chữ không dấu, số và dấu gạch dưới");
            }
            let name = text::clean(&a.name);
            let sort = store
                .taxonomy()
                .await?
                .all()
                .iter()
                .map(|s| s.sort)
                .max()
                .unwrap_or(0)
                + 10;
            store
                .add_sector(
                    &Sector {
                        code: a.code.clone(),
                        group,
                        prose: a
                            .prose
                            .map(|p| text::clean(&p))
                            .unwrap_or_else(|| name.to_lowercase()),
                        name_vi: name,
                        name_en: text::clean(&a.name_en),
                        vsic: a.vsic,
                        sort,
                    },
                    author,
                )
                .await?;
            println!("Đã thêm lĩnh vực {}", a.code);
        }
    }
    Ok(ExitCode::SUCCESS)
}
