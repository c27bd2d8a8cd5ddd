//! `htx audit`: who changed what and when.

use crate::store::Store;
use std::process::ExitCode;

/// Options of `htx audit`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many entries, newest first.
    #[arg(long, default_value_t = 20)]
    pub limit: i64,
    /// Only entries of one entity, as ENTITY:ID (e.g. organisation:2725600012).
    #[arg(long)]
    pub entity: Option<String>,
}

/// Runs `htx audit`.
pub async fn run(store: &Store, args: Args) -> anyhow::Result<ExitCode> {
    let entity = args.entity.as_deref().and_then(|e| e.split_once(':'));
    for e in store.audit_entries(entity, args.limit).await? {
        println!(
            "{}  {:<10} {:<8} {}:{}  {}",
            e.at,
            e.author,
            e.action,
            e.entity,
            e.entity_id,
            e.after.unwrap_or_default()
        );
    }
    Ok(ExitCode::SUCCESS)
}
