//! `htx user …`: accounts of the web application (the first administrator is made here).

use crate::domain::access::Role;
use crate::store::Store;
use crate::store::accounts::NewUser;
use anyhow::Context;
use std::process::ExitCode;

/// Subcommands of `htx user`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create a user. The password is read from HTX_PASSWORD or asked on the terminal.
    Add(AddArgs),
    /// List users.
    List,
    /// Disable a user (users are never deleted).
    Disable { username: String },
    /// Set a new password (from HTX_PASSWORD or asked); the user's API tokens are revoked.
    Password { username: String },
    /// Issue an API token for a user (printed once).
    Token {
        username: String,
        #[arg(long, default_value = "cli")]
        name: String,
        /// Days the token is valid (by default until revoked).
        #[arg(long)]
        days: Option<u32>,
    },
}

/// Options of `htx user add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    #[arg(long)]
    pub username: String,
    /// Full name.
    #[arg(long, default_value = "")]
    pub name: String,
    /// admin, staff, fund_officer, area_officer or leader.
    #[arg(long, default_value = "admin")]
    pub role: String,
    /// For area officers: the unit (old-263 for a former district, new-… for a commune).
    #[arg(long, default_value = "")]
    pub area: String,
    /// vi or en.
    #[arg(long, default_value = "vi")]
    pub lang: String,
}

fn password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("HTX_PASSWORD") {
        return Ok(p);
    }
    eprint!("Mật khẩu: ");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Runs `htx user …`.
pub async fn run(store: &Store, author: &str, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Add(a) => {
            let role = Role::parse(&a.role)
                .with_context(|| format!("--role: \"{}\" không hợp lệ", a.role))?;
            let user = store
                .create_user(
                    &NewUser {
                        display_name: if a.name.is_empty() {
                            a.username.clone()
                        } else {
                            a.name
                        },
                        username: a.username,
                        password: password()?,
                        role,
                        area: a.area,
                        lang: a.lang,
                    },
                    author,
                )
                .await?;
            println!("Đã tạo {} ({})", user.username, user.role.name_vi());
        }
        Command::List => {
            for u in store.users().await? {
                println!(
                    "{:<16} {:<22} {:<12} {}{}",
                    u.username,
                    u.role.name_vi(),
                    u.area,
                    u.display_name,
                    if u.disabled { " [đã khóa]" } else { "" }
                );
            }
        }
        Command::Disable { username } => {
            let mut u = store
                .user_by_username(&username)
                .await?
                .with_context(|| format!("không có người dùng {username}"))?;
            let version = u.version;
            u.disabled = true;
            store.update_user(&u, version, author).await?;
            println!("Đã khóa {username}");
        }
        Command::Password { username } => {
            let u = store
                .user_by_username(&username)
                .await?
                .with_context(|| format!("không có người dùng {username}"))?;
            store.set_password(u.id, &password()?, author).await?;
            println!("Đã đổi mật khẩu của {username}; các mã truy cập API cũ đã bị thu hồi");
        }
        Command::Token {
            username,
            name,
            days,
        } => {
            let u = store
                .user_by_username(&username)
                .await?
                .with_context(|| format!("không có người dùng {username}"))?;
            let token = store
                .create_api_token_for(u.id, &name, days, author)
                .await?;
            println!("{token}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
