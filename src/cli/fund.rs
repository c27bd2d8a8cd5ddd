//! `htx fund …`: the support fund's capital, loans, transactions and portfolio.

use crate::domain::fund::{self, ApprovalRequest, LoanTerms, LoanTx};
use crate::domain::{text, today};
use crate::error::Error;
use crate::report::fund::portfolio;
use crate::store::Store;
use crate::store::fund::{NewLoan, method_from, tx_code, tx_from};
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
    #[arg(long, value_parser = super::date_arg)]
    pub date: Date,
    /// Amount in đồng (negative to reduce).
    #[arg(long, allow_hyphen_values = true)]
    pub amount: i64,
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
    /// For a member borrowing as a person: their name …
    #[arg(long)]
    pub member_name: Option<String>,
    /// … and identity number.
    #[arg(long, default_value = "")]
    pub member_id: String,
    /// Related-party group label (borrowers sharing it count together for the 25% limit).
    #[arg(long, default_value = "")]
    pub related_group: String,
    #[arg(long)]
    pub amount: i64,
    /// Annual interest rate in per cent (6.6).
    #[arg(long)]
    pub rate: f64,
    /// Overdue rate in per cent (default 150% of the rate).
    #[arg(long)]
    pub overdue_rate: Option<f64>,
    #[arg(long)]
    pub term_months: u32,
    #[arg(long, default_value_t = 6)]
    pub every_months: u32,
    /// equal_principal, annuity or custom.
    #[arg(long, default_value = "equal_principal")]
    pub method: String,
    /// Contract date.
    #[arg(long, value_parser = super::date_arg)]
    pub date: Date,
    #[arg(long)]
    pub decision_no: String,
    #[arg(long, value_parser = super::date_arg)]
    pub decision_date: Date,
    #[arg(long)]
    pub purpose: String,
    #[arg(long)]
    pub project_cost: i64,
    #[arg(long)]
    pub own_capital: i64,
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
    #[arg(long, value_parser = super::date_arg)]
    pub date: Date,
    #[arg(long, default_value_t = 0)]
    pub amount: i64,
    /// For an extension: the new maturity.
    #[arg(long, value_parser = super::date_arg)]
    pub new_maturity: Option<Date>,
    /// For a reschedule: the remaining instalments as DATE:PRINCIPAL,DATE:PRINCIPAL…
    #[arg(long)]
    pub new_schedule: Option<String>,
    /// For a reversal: the id of the transaction to cancel.
    #[arg(long)]
    pub reverses: Option<i64>,
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
            store
                .add_fund_capital(
                    a.date,
                    a.amount,
                    &text::clean(&a.source),
                    &text::clean(&a.reference),
                    author,
                )
                .await?;
            println!(
                "Vốn điều lệ của Quỹ ngày {}: {}",
                text::date(a.date),
                text::money(store.fund_capital_at(a.date).await?)
            );
        }
        Command::Loan(a) => return loan(store, author, *a).await,
        Command::Tx(a) => {
            let record = store
                .loan_by_contract(&a.contract)
                .await?
                .ok_or_else(|| Error::NotFound(format!("hợp đồng {}", a.contract)))?;
            let kind = tx_from(&a.kind).with_context(|| {
                format!("--kind: \"{}\" không phải loại giao dịch đã biết", a.kind)
            })?;
            let mut tx = LoanTx::new(0, kind, a.date, a.amount);
            tx.new_maturity = a.new_maturity;
            tx.reverses = a.reverses;
            tx.reference = text::clean(&a.reference);
            if let Some(s) = &a.new_schedule {
                tx.new_schedule = parse_schedule(s)?;
            }
            let saved = store
                .record_loan_tx(record.id, a.version, tx, author, today())
                .await?;
            println!(
                "Đã ghi giao dịch số {} ({}) ngày {} cho hợp đồng {}",
                saved.id,
                tx_code(kind),
                text::date(a.date),
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

fn parse_schedule(s: &str) -> anyhow::Result<Vec<fund::Instalment>> {
    s.split(',')
        .map(|part| {
            let (d, p) = part
                .split_once(':')
                .with_context(|| format!("--new-schedule: \"{part}\" phải có dạng NGÀY:SỐ_TIỀN"))?;
            Ok(fund::Instalment {
                due: crate::domain::parse_date(d)
                    .map_err(|e| anyhow::anyhow!("--new-schedule: {e}"))?,
                principal: p
                    .trim()
                    .parse()
                    .with_context(|| format!("--new-schedule: \"{p}\" không phải số tiền"))?,
                interest: 0,
            })
        })
        .collect()
}

fn basis_points(percent: f64) -> i64 {
    (percent * 100.0).round() as i64
}

async fn loan(store: &Store, author: &str, a: LoanArgs) -> anyhow::Result<ExitCode> {
    let org = store
        .org_by_code(&a.borrower)
        .await?
        .ok_or_else(|| Error::NotFound(format!("tổ chức mã số {}", a.borrower)))?;
    let method = method_from(&a.method)
        .with_context(|| format!("--method: \"{}\" không hợp lệ", a.method))?;
    let rate = basis_points(a.rate);
    let terms = LoanTerms {
        approved_amount: a.amount,
        annual_rate_bp: rate,
        overdue_rate_bp: a.overdue_rate.map(basis_points).unwrap_or(rate * 3 / 2),
        term_months: a.term_months,
        repayment_every_months: a.every_months,
        method,
        first_due: None,
    };
    let borrower_id = match &a.member_name {
        Some(name) => {
            store
                .add_member_borrower(&text::clean(name), &a.member_id, org.id, &a.related_group)
                .await?
        }
        None => store.borrower_for_org(org.id, &a.related_group).await?,
    };
    let positions = store.position_rows(a.date).await?;
    let borrowers = store.borrowers().await?;
    let group = borrowers
        .get(&borrower_id)
        .map(|b| b.related_group.clone())
        .unwrap_or_default();
    let outstanding_of = |pred: &dyn Fn(i64) -> bool| -> i64 {
        positions
            .iter()
            .filter(|r| pred(r.borrower_id))
            .map(|r| r.outstanding)
            .sum()
    };
    let borrower_outstanding = outstanding_of(&|b| b == borrower_id);
    let related_outstanding = if group.is_empty() {
        borrower_outstanding
    } else {
        outstanding_of(&|b| borrowers.get(&b).is_some_and(|x| x.related_group == group))
    };
    let refusals = fund::check_approval(
        &store.deployment().await?.fund_rules,
        &ApprovalRequest {
            amount: a.amount,
            project_cost: a.project_cost,
            own_capital: a.own_capital,
            borrower_outstanding,
            related_outstanding,
            fund_charter_capital: store.fund_capital_at(a.date).await?,
            borrower_has_bad_debt: a.bad_debt,
            terms: terms.clone(),
        },
    );
    if !refusals.is_empty() {
        eprintln!("Không duyệt được khoản vay {}:", a.contract);
        for r in refusals {
            eprintln!("  - {r}");
        }
        return Ok(ExitCode::FAILURE);
    }
    let record = store
        .create_loan(
            &NewLoan {
                contract_no: text::clean(&a.contract),
                borrower_id,
                purpose: text::clean(&a.purpose),
                decision_no: text::clean(&a.decision_no),
                decision_date: a.decision_date,
                contract_date: a.date,
                terms,
                schedule: None,
                collateral: text::clean(&a.collateral),
                project_cost: a.project_cost,
                own_capital: a.own_capital,
            },
            author,
        )
        .await?;
    println!(
        "Đã ghi hợp đồng {}: {} cho {}, đáo hạn {}; {} kỳ trả nợ",
        record.contract_no,
        text::money(a.amount),
        org.name,
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
            tx_code(x.kind),
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
