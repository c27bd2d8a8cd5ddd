//! The command line: one file per subcommand, each with its options and `run`.

pub mod alliance;
pub mod audit;
pub mod demo;
pub mod evaluation;
pub mod fund;
pub mod generate;
pub mod governance;
pub mod import;
pub mod issued;
pub mod org;
pub mod plan;
pub mod programme;
pub mod report;
pub mod sector;
pub mod serve;
pub mod settings;
pub mod template;
pub mod user;

use crate::store::{DEFAULT_URL, Store};
use anyhow::Context;
use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// htx: sổ theo dõi, quỹ hỗ trợ và báo cáo kinh tế tập thể của Liên minh HTX tỉnh.
#[derive(Debug, Parser)]
#[command(name = "htx", version, about, long_about = None)]
pub struct Cli {
    /// Database URL: sqlite://FILE?mode=rwc (default) or postgres://USER@HOST/DB.
    #[arg(long, global = true, env = "HTX_DATABASE_URL", default_value = DEFAULT_URL)]
    pub db: String,
    /// Who is making the change (recorded in the audit log).
    #[arg(long, global = true, env = "HTX_AUTHOR", default_value = "cli")]
    pub author: String,
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build a demo database (synthetic Bắc Ninh registry, loan book, Alliance work) and its 2022-H1 report.
    Demo(demo::Args),
    /// Import organisations, events and yearly figures from .xlsx or .csv.
    Import(import::Args),
    /// Write a ready-to-fill import template (.xlsx).
    Template(template::Args),
    /// Write the report of a period (md, html, docx, json, xlsx); --issue freezes it.
    Report(Box<report::Args>),
    /// Issued reports: list them, export one exactly as issued.
    #[command(subcommand)]
    Issued(issued::Command),
    /// The support fund: capital, loans, transactions, portfolio.
    #[command(subcommand)]
    Fund(fund::Command),
    /// List, show, register organisations and record their events.
    #[command(subcommand)]
    Org(org::Command),
    /// List or add fields of activity (the sector taxonomy).
    #[command(subcommand)]
    Sector(sector::Command),
    /// The Alliance's activities: training, media, fairs, events, advisory outputs.
    #[command(subcommand)]
    Activity(alliance::ActivityCommand),
    /// Members of the Alliance: admissions and departures (dated, never overwritten).
    #[command(subcommand)]
    Member(alliance::MemberCommand),
    /// Committees: appointments and ends of seats (kiện toàn).
    #[command(subcommand)]
    Committee(governance::CommitteeCommand),
    /// Inspections and supervisions by the Supervisory Committee.
    #[command(subcommand)]
    Inspection(governance::InspectionCommand),
    /// Complaints received and how they were handled.
    #[command(subcommand)]
    Complaint(governance::ComplaintCommand),
    /// Programmes and policies: nominations, evaluations, selections.
    #[command(subcommand)]
    Programme(programme::Command),
    /// The support ledger: support given to organisations.
    #[command(subcommand)]
    Support(programme::SupportCommand),
    /// Plans with targets and their achievement.
    #[command(subcommand)]
    Plan(plan::Command),
    /// Yearly evaluation and grading of cooperatives (Circular 01/2020), with size classes.
    #[command(subcommand)]
    Evaluation(evaluation::Command),
    /// Show or change the deployment settings (area, issuing body…).
    #[command(subcommand)]
    Settings(settings::Command),
    /// Show the audit log.
    Audit(audit::Args),
    /// Generate a deterministic national-scale synthetic registry (for benchmarks).
    Gen(generate::Args),
    /// Run the web application (pages and JSON API).
    Serve(serve::Args),
    /// Accounts of the web application.
    #[command(subcommand)]
    User(user::Command),
}

/// Runs the program and turns errors into a message and exit code 1.
pub fn main() -> ExitCode {
    // `htx … | head` closes the pipe early: end quietly instead of panicking.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info.to_string();
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        default_hook(info);
    }));
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HTX_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn,sqlx=error")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("lỗi: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}", error_text(&e));
            ExitCode::FAILURE
        }
    }
}

/// How a failed command reports itself: invalid input as one line per problem, naming its
/// option, so that every problem can be fixed at once; anything else on one line.
fn error_text(e: &anyhow::Error) -> String {
    match e.downcast_ref::<crate::Error>() {
        Some(invalid @ crate::Error::Invalid(problems)) if problems.len() > 1 => {
            let lines: Vec<String> = invalid
                .problems()
                .iter()
                .map(|p| format!("  {p}"))
                .collect();
            format!("lỗi: {} vấn đề:\n{}", problems.len(), lines.join("\n"))
        }
        _ => format!("lỗi: {e:#}"),
    }
}

/// Runs one parsed command.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Demo(args) => return demo::run(&cli.db, &cli.author, &args).await,
        Command::Serve(args) => return serve::run(&cli.db, &cli.author, args).await,
        _ => {}
    }
    let store = Store::open(&cli.db)
        .await
        .with_context(|| format!("không mở được cơ sở dữ liệu {}", redact(&cli.db)))?;
    let result = match cli.command {
        Command::Demo(_) | Command::Serve(_) => unreachable!("handled above"),
        Command::User(cmd) => user::run(&store, &cli.author, cmd).await,
        Command::Import(args) => import::run(&store, &cli.author, args).await,
        Command::Template(args) => template::run(&store, args).await,
        Command::Report(args) => report::run(&store, &cli.author, *args).await,
        Command::Issued(cmd) => issued::run(&store, cmd).await,
        Command::Fund(cmd) => fund::run(&store, &cli.author, cmd).await,
        Command::Activity(cmd) => alliance::run_activity(&store, &cli.author, cmd).await,
        Command::Member(cmd) => alliance::run_member(&store, &cli.author, cmd).await,
        Command::Committee(cmd) => governance::run_committee(&store, &cli.author, cmd).await,
        Command::Inspection(a) => governance::run_inspection(&store, &cli.author, a).await,
        Command::Complaint(a) => governance::run_complaint(&store, &cli.author, a).await,
        Command::Programme(cmd) => programme::run(&store, &cli.author, cmd).await,
        Command::Support(a) => programme::run_support(&store, &cli.author, a).await,
        Command::Plan(cmd) => plan::run(&store, &cli.author, cmd).await,
        Command::Evaluation(cmd) => evaluation::run(&store, &cli.author, cmd).await,
        Command::Org(cmd) => org::run(&store, &cli.author, cmd).await,
        Command::Sector(cmd) => sector::run(&store, &cli.author, cmd).await,
        Command::Settings(cmd) => settings::run(&store, &cli.author, cmd).await,
        Command::Audit(args) => audit::run(&store, args).await,
        Command::Gen(args) => generate::run(&store, args).await,
    };
    store.close().await;
    result
}

/// Hides a password in a database URL before printing it: the userinfo's password and a
/// `password=` query parameter (both forms PostgreSQL URLs accept). Text that is not a URL
/// is printed as it is, unless it could hold credentials.
pub fn redact(text: &str) -> String {
    const HIDDEN_URL: &str = "(địa chỉ cơ sở dữ liệu đã ẩn)";
    let Ok(mut url) = url::Url::parse(text) else {
        return if text.contains('@') {
            HIDDEN_URL.to_string()
        } else {
            text.to_string()
        };
    };
    if url.password().is_some() {
        // Only URLs that cannot have a password refuse this, and they have none to hide.
        let _ = url.set_password(Some("***"));
    }
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let hidden = k.eq_ignore_ascii_case("password");
            (
                k.into_owned(),
                if hidden { "***".into() } else { v.into_owned() },
            )
        })
        .collect();
    if pairs
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("password"))
    {
        url.query_pairs_mut().clear().extend_pairs(&pairs);
    }
    // A database URL has no fragment; one, or an '@' after the host, means credentials the
    // parser did not recognise as such (an unescaped '#', '/' or '?' in a password).
    url.set_fragment(None);
    if url.path().contains('@') || url.query().is_some_and(|q| q.contains('@')) {
        return HIDDEN_URL.to_string();
    }
    url.to_string()
}

/// Parses a dd/mm/yyyy or ISO date argument.
pub fn date_arg(s: &str) -> Result<time::Date, String> {
    crate::domain::parse_date(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn the_database_option_is_accepted_after_the_subcommand() {
        let cli =
            Cli::try_parse_from(["htx", "report", "--period", "2022", "--db", "sqlite://x.db"])
                .unwrap();
        assert_eq!(cli.db, "sqlite://x.db");
    }

    #[test]
    fn passwords_are_hidden_in_printed_urls() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("sqlite://htx.db"), "sqlite://htx.db");
        assert_eq!(
            redact("sqlite://htx.db?mode=rwc"),
            "sqlite://htx.db?mode=rwc"
        );
        // A password holding '@' or ':' is hidden whole.
        let shown = redact("postgres://u:p@ss:w@rd@h:5432/db");
        assert!(!shown.contains("ss") && !shown.contains("rd@"), "{shown}");
        let shown = redact("postgres://h/db?user=u&password=s3cr%40t&sslmode=disable");
        assert!(!shown.contains("s3cr"), "{shown}");
        assert!(shown.contains("sslmode=disable"), "{shown}");
        assert!(!redact("not a url but has user:pw@host").contains("pw"));
    }

    proptest::proptest! {
        #[test]
        fn no_password_survives_redaction(password in "[a-zA-Z0-9@:/?#%]{6,20}") {
            let url = format!("postgres://user:{password}@db.example:5432/htx");
            let shown = redact(&url);
            proptest::prop_assert!(!shown.contains(&format!(":{password}@")), "{}", shown);
        }
    }
}
