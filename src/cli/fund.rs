//! `htx fund …`: the support fund's capital, loans, transactions and portfolio.

use crate::app::fund::{self as app, CapitalInput, LoanInput, LoanTxInput};
use crate::domain::fund;
use crate::domain::{text, today};
use crate::error::{Error, Problem};
use crate::report::fund::portfolio;
use crate::store::Store;
use crate::web::i18n::Lang;
use crate::web::pages::fund::tx_name;
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;
use time::Date;

/// Subcommands of `htx fund`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Record a change of the fund's charter capital.
    Capital(CapitalArgs),
    /// Approve and record a loan contract (the lending rules are checked first).
    Loan(Box<LoanArgs>),
    /// Record a transaction: giai_ngan, thu_no_goc, thu_lai, gia_han_no, dieu_chinh_ky_han,
    /// chuyen_no_qua_han, xoa_no, huy_but_toan.
    Tx(TxArgs),
    /// Show a loan: terms, schedule, transactions and its state on a date.
    Show(ShowArgs),
    /// The portfolio on a date: every loan, outstanding, overdue, ageing, PAR30, maturing loans.
    Portfolio(PortfolioArgs),
    /// Export the loan book on a date to an .xlsx workbook.
    Export(ExportArgs),
}

/// Options of `htx fund capital`.
#[derive(Debug, clap::Args)]
pub struct CapitalArgs {
    #[arg(long)]
    pub date: String,
    /// Amount in đồng (negative to reduce).
    #[arg(long, allow_hyphen_values = true)]
    pub amount: String,
    #[arg(long)]
    pub source: String,
    #[arg(long, default_value = "")]
    pub reference: String,
}

/// Options of `htx fund loan`.
#[derive(Debug, clap::Args)]
pub struct LoanArgs {
    /// Contract number.
    #[arg(long)]
    pub contract: String,
    /// Registration code of the borrowing organisation (or of the member's cooperative).
    #[arg(long)]
    pub borrower: String,
    /// HTX, LHHTX, THT or "thành viên" (a member of an HTX or THT borrowing as a person);
    /// by default from the registry and whether a member is named.
    #[arg(long, default_value = "")]
    pub borrower_kind: String,
    /// For a member borrowing as a person: their name …
    #[arg(long)]
    pub member_name: Option<String>,
    /// … and identity number.
    #[arg(long, default_value = "")]
    pub member_id: String,
    /// Related-party group label (borrowers sharing it count together for the 25% limit).
    #[arg(long, default_value = "")]
    pub related_group: String,
    /// Approved amount in đồng.
    #[arg(long)]
    pub amount: String,
    /// Annual interest rate in per cent (6.6).
    #[arg(long)]
    pub rate: String,
    /// Overdue rate in per cent (default 150% of the rate).
    #[arg(long, default_value = "")]
    pub overdue_rate: String,
    /// Term in months (at most the deployment's maximum, 60 unless set).
    #[arg(long)]
    pub term_months: String,
    #[arg(long, default_value = "6")]
    pub every_months: String,
    /// equal_principal, annuity or custom (then --schedule).
    #[arg(long, default_value = "equal_principal")]
    pub method: String,
    /// The agreed schedule for the custom method: DATE:PRINCIPAL,DATE:PRINCIPAL…
    #[arg(long, default_value = "")]
    pub schedule: String,
    /// Contract date.
    #[arg(long)]
    pub date: String,
    #[arg(long)]
    pub decision_no: String,
    #[arg(long)]
    pub decision_date: String,
    #[arg(long)]
    pub purpose: String,
    #[arg(long)]
    pub project_cost: String,
    #[arg(long)]
    pub own_capital: String,
    #[arg(long, default_value = "")]
    pub collateral: String,
    /// The borrower has bad debt elsewhere.
    #[arg(long)]
    pub bad_debt: bool,
}

/// Options of `htx fund tx`.
#[derive(Debug, clap::Args)]
pub struct TxArgs {
    /// Contract number.
    pub contract: String,
    #[arg(long)]
    pub kind: String,
    #[arg(long)]
    pub date: String,
    #[arg(long, default_value = "")]
    pub amount: String,
    /// For an extension: the new maturity.
    #[arg(long, default_value = "")]
    pub new_maturity: String,
    /// For a reschedule: the remaining instalments as DATE:PRINCIPAL,DATE:PRINCIPAL…
    #[arg(long, default_value = "")]
    pub new_schedule: String,
    /// For a reversal: the id of the transaction to cancel.
    #[arg(long, default_value = "")]
    pub reverses: String,
    /// Decision number or document reference.
    #[arg(long, default_value = "")]
    pub reference: String,
    /// The loan version read before; refused if someone changed the loan since.
    #[arg(long)]
    pub version: Option<i64>,
}

/// Options of `htx fund show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    pub contract: String,
    #[arg(long, value_parser = super::date_arg)]
    pub on: Option<Date>,
    #[arg(long)]
    pub json: bool,
}

/// Options of `htx fund portfolio`.
#[derive(Debug, clap::Args)]
pub struct PortfolioArgs {
    #[arg(long, value_parser = super::date_arg)]
    pub on: Option<Date>,
    /// Look-ahead for loans maturing soon.
    #[arg(long, default_value_t = 90)]
    pub maturing_days: i64,
    /// How many loans to list.
    #[arg(long, default_value_t = 100)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

/// Options of `htx fund export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    pub file: PathBuf,
    #[arg(long, value_parser = super::date_arg)]
    pub on: Option<Date>,
}

/// Runs `htx fund …`.
pub async fn run(store: &Store, author: &str, cmd: Command) -> anyhow::Result<ExitCode> {
    match cmd {
        Command::Capital(a) => {
            let input = CapitalInput {
                date: a.date,
                amount: a.amount,
                source: a.source,
                reference: a.reference,
            };
            let capital = match app::record_capital(store, &input, author, today()).await {
                Err(Error::Invalid(problems)) => {
                    return Ok(refused("Không ghi được vốn điều lệ", &problems));
                }
                other => other?,
            };
            let date = crate::domain::parse_date(&input.date).unwrap_or_else(|_| today());
            println!(
                "Vốn điều lệ của Quỹ ngày {}: {}",
                text::date(date),
                text::money(capital)
            );
        }
        Command::Loan(a) => return loan(store, author, *a).await,
        Command::Tx(a) => {
            let input = LoanTxInput {
                kind: a.kind,
                date: a.date,
                amount: a.amount,
                new_maturity: a.new_maturity,
                new_schedule: a.new_schedule,
                reverses: a.reverses,
                reference: a.reference,
                version: a.version,
            };
            let (record, saved) =
                match app::record_loan_tx(store, &a.contract, &input, author, today()).await {
                    Err(Error::Invalid(problems)) => {
                        return Ok(refused(
                            &format!("Không ghi được giao dịch cho hợp đồng {}", a.contract),
                            &problems,
                        ));
                    }
                    other => other?,
                };
            println!(
                "Đã ghi giao dịch số {} ({}) ngày {} cho hợp đồng {}",
                saved.id,
                tx_name(saved.kind, Lang::Vi),
                text::date(saved.value_date),
                record.contract_no
            );
        }
        Command::Show(a) => return show(store, a).await,
        Command::Portfolio(a) => {
            let on = a.on.unwrap_or_else(today);
            let buckets = store.deployment().await?.ageing();
            let summary = store.portfolio_summary(on, &buckets).await?;
            let maturing = store.maturing(on, a.maturing_days).await?;
            // The per-loan lines are only read when they are shown.
            let rows = if a.json || a.limit > 0 {
                store.position_rows(on).await?
            } else {
                Vec::new()
            };
            if a.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "on": on.to_string(), "summary": summary, "loans": rows, "maturing": maturing,
                    }))?
                );
                return Ok(ExitCode::SUCCESS);
            }
            let (loans, borrowers) = if rows.is_empty() {
                Default::default()
            } else {
                let loans: std::collections::HashMap<i64, String> = store
                    .loans()
                    .await?
                    .into_iter()
                    .map(|l| (l.id, l.contract_no))
                    .collect();
                (loans, store.borrowers().await?)
            };
            println!("Danh mục cho vay ngày {}", text::date(on));
            for r in rows.iter().take(a.limit) {
                println!(
                    "  {:<24} {:<50} dư nợ {:>18}  quá hạn {:>16}  {:>4} ngày",
                    loans.get(&r.loan_id).map(String::as_str).unwrap_or(""),
                    borrowers
                        .get(&r.borrower_id)
                        .map(|b| b.name.as_str())
                        .unwrap_or(""),
                    text::number(r.outstanding),
                    text::number(r.overdue_principal),
                    r.days_past_due
                );
            }
            if rows.len() > a.limit && a.limit > 0 {
                println!(
                    "  … và {} khoản vay khác (--limit)",
                    text::number((rows.len() - a.limit) as i64)
                );
            }
            let par30 =
                text::percent(summary.over_30.1, summary.outstanding).unwrap_or_else(|| "–".into());
            println!(
                "Dư nợ: {} với {} bên vay, {} khoản vay; nợ quá hạn {}; PAR30 {par30}",
                text::money(summary.outstanding),
                text::number(summary.borrowers),
                text::number(summary.loans),
                text::money(summary.overdue_principal),
            );
            for (label, (n, amount)) in buckets.labels().into_iter().zip(&summary.ageing) {
                println!("  {label:<16} {n:>7} khoản  {:>20}", text::number(*amount));
            }
            if !maturing.is_empty() {
                let shown: Vec<&str> = maturing.iter().take(20).map(String::as_str).collect();
                let more = maturing.len() - shown.len();
                println!(
                    "Đáo hạn trong {} ngày tới: {} khoản vay ({}{})",
                    a.maturing_days,
                    text::number(maturing.len() as i64),
                    shown.join(", "),
                    if more > 0 {
                        format!(", … và {more} khoản khác")
                    } else {
                        String::new()
                    }
                );
            }
        }
        Command::Export(a) => {
            let p = portfolio(store, a.on.unwrap_or_else(today), 90).await?;
            std::fs::write(&a.file, crate::report::xlsx::loan_book(&p)?)
                .with_context(|| format!("không ghi được {}", a.file.display()))?;
            println!(
                "Đã ghi sổ cho vay ngày {} vào {}",
                text::date(p.on),
                a.file.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The command-line option of an input field.
fn option(field: &str) -> String {
    match field {
        "" => String::new(),
        "contract_date" => "--date".into(),
        f => format!("--{}", f.replace('_', "-")),
    }
}

/// Prints a refusal, each problem under its option, and fails.
fn refused(what: &str, problems: &[Problem]) -> ExitCode {
    eprintln!("{what}:");
    for p in problems {
        match option(&p.field).as_str() {
            "" => eprintln!("  - {}", p.reason),
            o => eprintln!("  - {o}: {}", p.reason),
        }
    }
    ExitCode::FAILURE
}

async fn loan(store: &Store, author: &str, a: LoanArgs) -> anyhow::Result<ExitCode> {
    let input = LoanInput {
        contract: a.contract,
        borrower: a.borrower,
        borrower_kind: a.borrower_kind,
        member_name: a.member_name.unwrap_or_default(),
        member_id: a.member_id,
        related_group: a.related_group,
        amount: a.amount,
        rate: a.rate,
        overdue_rate: a.overdue_rate,
        term_months: a.term_months,
        every_months: a.every_months,
        method: a.method,
        contract_date: a.date,
        decision_no: a.decision_no,
        decision_date: a.decision_date,
        purpose: a.purpose,
        project_cost: a.project_cost,
        own_capital: a.own_capital,
        collateral: a.collateral,
        bad_debt: a.bad_debt,
        schedule: a.schedule,
    };
    let (loan, record) = match app::record_loan(store, &input, author, today()).await {
        Err(Error::Invalid(problems)) => {
            return Ok(refused(
                &format!("Không duyệt được khoản vay {}", input.contract),
                &problems,
            ));
        }
        other => other?,
    };
    println!(
        "Đã ghi hợp đồng {}: {} cho {}, đáo hạn {}; {} kỳ trả nợ",
        record.contract_no,
        text::money(record.loan.terms.approved_amount),
        loan.org_name,
        text::date(record.loan.maturity),
        record.loan.schedule.len()
    );
    Ok(ExitCode::SUCCESS)
}

async fn show(store: &Store, a: ShowArgs) -> anyhow::Result<ExitCode> {
    let record = store
        .loan_by_contract(&a.contract)
        .await?
        .ok_or_else(|| Error::NotFound(format!("hợp đồng {}", a.contract)))?;
    let txs = store.loan_txs(record.id).await?;
    let on = a.on.unwrap_or_else(today);
    let state = fund::state_at(&record.loan, &txs, on);
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "loan": record, "transactions": txs, "state": state,
            }))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let t = &record.loan.terms;
    println!(
        "Hợp đồng {} (phiên bản {})",
        record.contract_no, record.version
    );
    println!("  Mục đích: {}", record.purpose);
    println!(
        "  Số tiền duyệt {}; lãi suất {}%/năm; quá hạn {}%/năm; {} tháng, trả {} tháng/kỳ; ký {}, đáo hạn {}",
        text::money(t.approved_amount),
        text::format_tenths(t.annual_rate_bp / 10),
        text::format_tenths(t.overdue_rate_bp / 10),
        t.term_months,
        t.repayment_every_months,
        text::date(record.loan.start),
        text::date(state.maturity)
    );
    println!("Lịch trả nợ gốc:");
    for i in &record.loan.schedule {
        println!("  {}  {:>18}", text::date(i.due), text::number(i.principal));
    }
    println!("Giao dịch:");
    for x in &txs {
        println!(
            "  #{:<6} {}  {:<20} {:>18} {}",
            x.id,
            text::date(x.value_date),
            tx_name(x.kind, Lang::Vi),
            text::number(x.amount),
            x.reference
        );
    }
    println!(
        "Ngày {}: dư nợ {}; nợ quá hạn {} ({} ngày); lãi phải thu {}",
        text::date(on),
        text::money(state.outstanding),
        text::money(state.overdue_principal),
        state.days_past_due,
        text::money(state.interest_payable)
    );
    Ok(ExitCode::SUCCESS)
}
