//! `htx settings show|set`: the deployment's area and document header.

use crate::store::Store;
use std::process::ExitCode;

/// Subcommands of `htx settings`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Print the settings.
    Show,
    /// Change some settings.
    Set(Box<SetArgs>),
}

/// Options of `htx settings set`.
#[derive(Debug, clap::Args)]
pub struct SetArgs {
    /// Area served: a province unit id (old-27, new-24) or "" for the whole country.
    #[arg(long)]
    pub area: Option<String>,
    #[arg(long)]
    pub parent_body: Option<String>,
    #[arg(long)]
    pub issuing_body: Option<String>,
    #[arg(long)]
    pub issuer_code: Option<String>,
    #[arg(long)]
    pub place: Option<String>,
    #[arg(long)]
    pub signer_capacity: Option<String>,
    #[arg(long)]
    pub signer_position: Option<String>,
    #[arg(long)]
    pub signer_name: Option<String>,
    /// Recipients, separated by "|".
    #[arg(long)]
    pub recipients: Option<String>,
}

/// Runs `htx settings`.
pub async fn run(store: &Store, author: &str, cmd: Command) -> anyhow::Result<ExitCode> {
    let mut d = store.deployment().await?;
    match cmd {
        Command::Show => {
            println!("{}", serde_json::to_string_pretty(&d)?);
        }
        Command::Set(a) => {
            if let Some(area) = a.area {
                if !area.is_empty() && crate::domain::geo::geo().unit(&area).is_none() {
                    anyhow::bail!("--area: không có đơn vị hành chính \"{area}\"");
                }
                d.area = area;
            }
            let clean = |s: String| crate::domain::text::clean(&s);
            if let Some(v) = a.parent_body {
                d.parent_body = clean(v)
            }
            if let Some(v) = a.issuing_body {
                d.issuing_body = clean(v)
            }
            if let Some(v) = a.issuer_code {
                d.issuer_code = clean(v)
            }
            if let Some(v) = a.place {
                d.place = clean(v)
            }
            if let Some(v) = a.signer_capacity {
                d.signer_capacity = clean(v)
            }
            if let Some(v) = a.signer_position {
                d.signer_position = clean(v)
            }
            if let Some(v) = a.signer_name {
                d.signer_name = clean(v)
            }
            if let Some(v) = a.recipients {
                d.recipients = v.split('|').map(|s| clean(s.to_string())).collect();
            }
            store.set_deployment(&d, author).await?;
            println!("Đã lưu cài đặt.");
        }
    }
    Ok(ExitCode::SUCCESS)
}
