//! `htx serve`: the web application.

use crate::demo;
use crate::store::Store;
use crate::web::config::{FlagOverrides, ServeConfig};
use crate::web::{AppState, serve};
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

/// Options of `htx serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on (default 127.0.0.1; HTX_BIND; `bind` in htx.toml).
    #[arg(long)]
    pub bind: Option<String>,
    /// Port (default 8080; HTX_PORT; `port` in htx.toml).
    #[arg(long)]
    pub port: Option<u16>,
    /// Settings file.
    #[arg(long, default_value = "htx.toml")]
    pub config: PathBuf,
    /// Start on a fresh demo database (a temporary SQLite file) with demo accounts.
    #[arg(long)]
    pub demo: bool,
}

/// Runs `htx serve`.
pub async fn run(url: &str, author: &str, args: Args) -> anyhow::Result<ExitCode> {
    let config = ServeConfig::load(
        &args.config,
        &FlagOverrides {
            bind: args.bind,
            port: args.port,
        },
    )
    .map_err(|e| anyhow::anyhow!("{}: {e}", args.config.display()))?;
    let url = if args.demo {
        let path = std::env::temp_dir().join(format!("htx-demo-{}.db", std::process::id()));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        format!("sqlite://{}?mode=rwc", path.display())
    } else {
        url.to_string()
    };
    let store = Store::open(&url)
        .await
        .with_context(|| format!("không mở được cơ sở dữ liệu {}", super::redact(&url)))?;
    if args.demo {
        eprintln!("Đang tạo dữ liệu mẫu…");
        demo::build(&store, author).await?;
        demo::accounts::create(&store, author).await?;
        eprintln!(
            "Tài khoản mẫu (mật khẩu {}):",
            demo::accounts::DEMO_PASSWORD
        );
        for (username, name, role, _) in demo::accounts::DEMO_USERS {
            eprintln!("  {username:<10} {name} – {}", role.name_vi());
        }
    } else if !store.has_users().await? {
        eprintln!(
            "Chưa có người dùng nào: tạo quản trị viên bằng `htx user add --username … --role admin`."
        );
    }
    serve(AppState::new(store.clone(), config)).await?;
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
