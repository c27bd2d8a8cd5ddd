//! The support fund: portfolio with ageing at a date, the loan list, one loan with its
//! schedule and transactions, and the form to record a transaction.

use crate::domain::access::Action;
use crate::domain::fund::{self, TxKind};
use crate::domain::{text, today};
use crate::error::Error;
use crate::store::fund::tx_code;
use crate::web::AppState;
use crate::web::error::{WebError, percent};
use crate::web::forms::typed_date;
use crate::web::session::Viewer;
use crate::web::view::{Block, Cell, Chart, Field, FieldKind, Form, Layout, Page, Table};
use axum::Form as PostForm;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

/// The name of a transaction kind in the page language.
pub fn tx_name(k: TxKind, lang: crate::web::i18n::Lang) -> &'static str {
    let t = |key| lang.t(key);
    match k {
        TxKind::Disbursement => t("fund.tx.disbursement"),
        TxKind::PrincipalRepayment => t("fund.tx.principal"),
        TxKind::InterestPayment => t("fund.tx.interest"),
        TxKind::Reschedule => t("fund.tx.reschedule"),
        TxKind::Extension => t("fund.tx.extension"),
        TxKind::TransferToOverdue => t("fund.tx.overdue"),
        TxKind::WriteOff => t("fund.tx.write_off"),
        TxKind::Reversal => t("fund.tx.reversal"),
    }
}

const TX_KINDS: [TxKind; 7] = [
    TxKind::Disbursement,
    TxKind::PrincipalRepayment,
    TxKind::InterestPayment,
    TxKind::Extension,
    TxKind::TransferToOverdue,
    TxKind::WriteOff,
    TxKind::Reversal,
];

/// `?on=` of the fund pages.
#[derive(Debug, Deserialize, Default)]
pub struct OnQuery {
    pub on: Option<String>,
}

fn date_filter(viewer: &Viewer, action: &str, on: time::Date) -> Form {
    Form::get("on", action, viewer.t("action.filter"))
        .field(Field::new("on", viewer.t("field.on"), FieldKind::Date).value(text::date(on)))
}

/// GET /fund
pub async fn portfolio(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<OnQuery>,
) -> Result<Html<String>, WebError> {
    viewer.require(Action::ViewFund)?;
    let t = |k| viewer.t(k);
    let on = typed_date(q.on.as_deref())?;
    let buckets = state.deployment().await?.ageing();
    let s = state.store.portfolio_summary(on, &buckets).await?;
    let capital = state.store.fund_capital_at(on).await?;
    let maturing = state.store.maturing(on, 30).await?;
    let facts = vec![
        (t("fund.capital").to_string(), text::money(capital)),
        (t("fund.loans").into(), text::number(s.loans)),
        (t("fund.outstanding").into(), text::money(s.outstanding)),
        (t("fund.overdue").into(), text::money(s.overdue_principal)),
        (
            "PAR30".into(),
            text::percent(s.over_30.1, s.outstanding).unwrap_or_else(|| "—".into()),
        ),
        (
            t("fund.maturing").into(),
            if maturing.is_empty() {
                "—".into()
            } else {
                maturing.join(", ")
            },
        ),
    ];
    let labels = buckets.labels();
    let mut ageing = Table::new(
        t("fund.ageing"),
        &[
            t("fund.bucket"),
            t("fund.loan_count"),
            t("fund.outstanding"),
        ],
    );
    let mut bars = Vec::new();
    for (label, (n, amount)) in labels.iter().zip(&s.ageing) {
        ageing.rows.push(vec![
            Cell::text(label),
            Cell::num(text::number(*n)),
            Cell::num(text::money(*amount)),
        ]);
        bars.push((label.clone(), *amount, text::money_approx(*amount)));
    }
    let blocks = vec![
        Block::Form(date_filter(&viewer, "/fund", on)),
        Block::Facts(facts),
        Block::Columns(vec![
            Block::Table(ageing),
            Block::Chart(Chart::single(t("fund.ageing"), &bars)),
        ]),
        Block::Links(vec![(
            t("fund.loans").into(),
            format!("/fund/loans?on={}", text::date(on)),
        )]),
    ];
    Page {
        layout: Layout::for_viewer(
            &viewer,
            format!("{} {}", t("fund.portfolio"), text::date(on)),
            "fund",
        ),
        blocks,
    }
    .render_html()
}

/// `?on=&page=` of the loan list.
#[derive(Debug, Deserialize, Default)]
pub struct LoansQuery {
    pub on: Option<String>,
    pub page: Option<i64>,
}

const LOANS_PER_PAGE: i64 = 50;

/// GET /fund/loans
pub async fn loans(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<LoansQuery>,
) -> Result<Html<String>, WebError> {
    viewer.require(Action::ViewFund)?;
    let t = |k| viewer.t(k);
    let on = typed_date(q.on.as_deref())?;
    let page = q.page.unwrap_or(1).max(1);
    let (lines, total) = state
        .store
        .loan_page(on, LOANS_PER_PAGE, (page - 1) * LOANS_PER_PAGE)
        .await?;
    let ids: Vec<i64> = lines.iter().map(|(l, ..)| l.borrower_id).collect();
    let borrowers = state.store.borrowers_of(&ids).await?;
    let mut table = Table::new(
        "",
        &[
            t("fund.contract"),
            t("fund.borrower"),
            t("fund.contract_date"),
            t("fund.approved"),
            t("fund.outstanding"),
            t("fund.overdue"),
            t("fund.days_overdue"),
        ],
    );
    table.id = "loans".into();
    for (l, outstanding, overdue, dpd) in &lines {
        table.rows.push(vec![
            Cell::link(
                &l.contract_no,
                format!("/fund/loans/{}", percent(&l.contract_no)),
            ),
            Cell::text(
                borrowers
                    .get(&l.borrower_id)
                    .map(|b| b.name.clone())
                    .unwrap_or_default(),
            ),
            Cell::text(text::date(l.loan.start)),
            Cell::num(text::money(l.loan.terms.approved_amount)),
            Cell::num(text::money(*outstanding)),
            Cell::num(text::money(*overdue)),
            Cell::num(text::number(*dpd)),
        ]);
    }
    let link = |p: i64| format!("/fund/loans?on={}&page={p}", percent(&text::date(on)));
    let first = (page - 1) * LOANS_PER_PAGE + 1;
    Page {
        layout: Layout::for_viewer(
            &viewer,
            format!("{} {}", t("fund.loans"), text::date(on)),
            "fund",
        ),
        blocks: vec![
            Block::Form(date_filter(&viewer, "/fund/loans", on)),
            Block::Table(table),
            Block::Links(super::list_export::links(
                t("action.download"),
                &format!("/fund/loans/export?on={}&", percent(&text::date(on))),
            )),
            Block::Pager {
                summary: format!(
                    "{} {} · {}–{}",
                    text::number(total),
                    t("fund.loans").to_lowercase(),
                    text::number(first.min(total)),
                    text::number(first - 1 + lines.len() as i64)
                ),
                prev: (page > 1).then(|| link(page - 1)),
                next: (page * LOANS_PER_PAGE < total).then(|| link(page + 1)),
            },
        ],
    }
    .render_html()
}

/// The transaction form as posted: the application layer's input.
pub type TxForm = crate::app::fund::LoanTxInput;

fn tx_form(viewer: &Viewer, contract: &str, version: i64, v: &TxForm) -> Form {
    let t = |k| viewer.t(k);
    Form::post(
        "tx",
        format!("/fund/loans/{}", percent(contract)),
        t("action.record"),
    )
    .field(
        Field::new("version", "", FieldKind::Hidden)
            .value(v.version.unwrap_or(version).to_string()),
    )
    .field(
        Field::new("kind", t("field.tx_kind"), FieldKind::Select)
            .value(if v.kind.is_empty() {
                "disbursement"
            } else {
                &v.kind
            })
            .options(
                TX_KINDS
                    .iter()
                    .map(|k| {
                        (
                            tx_code(*k).to_string(),
                            tx_name(*k, viewer.lang).to_string(),
                        )
                    })
                    .collect(),
            )
            .required(),
    )
    .field(
        Field::new("date", t("field.date"), FieldKind::Date)
            .value(&v.date)
            .required(),
    )
    .field(
        Field::new("amount", t("field.amount"), FieldKind::Number)
            .value(&v.amount)
            .hint(t("fund.amount_hint")),
    )
    .field(
        Field::new("new_maturity", t("fund.new_maturity"), FieldKind::Date).value(&v.new_maturity),
    )
    .field(Field::new("reverses", t("fund.reverses"), FieldKind::Number).value(&v.reverses))
    .field(Field::new("reference", t("field.reference"), FieldKind::Text).value(&v.reference))
}

async fn loan_page(
    state: &AppState,
    viewer: &Viewer,
    contract: &str,
    form: Option<(TxForm, WebError)>,
) -> Result<Response, WebError> {
    let t = |k| viewer.t(k);
    let record = state
        .store
        .loan_by_contract(contract)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("hợp đồng {contract}")))?;
    let txs = state.store.loan_txs(record.id).await?;
    let now = fund::state_at(&record.loan, &txs, today());
    let borrowers = state.store.borrowers_of(&[record.borrower_id]).await?;
    let terms = &record.loan.terms;
    let facts = vec![
        (
            t("fund.borrower").into(),
            borrowers
                .get(&record.borrower_id)
                .map(|b| b.name.clone())
                .unwrap_or_default(),
        ),
        (t("fund.purpose").into(), record.purpose.clone()),
        (
            t("fund.decision").into(),
            format!(
                "{} {} {}",
                record.decision_no,
                t("fund.dated"),
                text::date(record.decision_date)
            ),
        ),
        (
            t("fund.approved").into(),
            text::money(terms.approved_amount),
        ),
        (
            t("fund.rate").into(),
            format!(
                "{}{}",
                text::format_tenths(terms.annual_rate_bp / 10),
                t("fund.per_year")
            ),
        ),
        (
            t("fund.term").into(),
            format!(
                "{} {}, {} {}",
                terms.term_months,
                t("fund.months"),
                t("fund.until"),
                text::date(now.maturity)
            ),
        ),
        (
            format!("{} {}", t("fund.outstanding"), text::date(today())),
            text::money(now.outstanding),
        ),
        (t("fund.overdue").into(), text::money(now.overdue_principal)),
        (
            t("fund.interest_due").into(),
            text::money(now.interest_accrued),
        ),
        (t("field.version").into(), record.version.to_string()),
    ];
    let mut schedule = Table::new(
        t("fund.schedule"),
        &[
            t("fund.instalment"),
            t("fund.due"),
            t("fund.principal"),
            t("fund.interest"),
        ],
    );
    for (i, inst) in record.loan.schedule.iter().enumerate() {
        schedule.rows.push(vec![
            Cell::num((i + 1).to_string()),
            Cell::text(text::date(inst.due)),
            Cell::num(text::money(inst.principal)),
            Cell::num(text::money(inst.interest)),
        ]);
    }
    let mut history = Table::new(
        t("fund.transactions"),
        &[
            t("fund.tx_no"),
            t("field.date"),
            t("field.tx_kind"),
            t("field.amount"),
            t("field.reference"),
        ],
    );
    history.id = "transactions".into();
    for tx in &txs {
        history.rows.push(vec![
            Cell::num(tx.id.to_string()),
            Cell::text(text::date(tx.value_date)),
            Cell::text(tx_name(tx.kind, viewer.lang)),
            Cell::num(text::money(tx.amount)),
            Cell::text(&tx.reference),
        ]);
    }
    let mut blocks = vec![Block::Facts(facts)];
    let mut status = StatusCode::OK;
    if viewer.user.access().can(Action::EditFund) {
        let (values, error) = match form {
            Some((v, e)) => (v, Some(e)),
            None => (TxForm::default(), None),
        };
        let mut f = tx_form(viewer, &record.contract_no, record.version, &values);
        if let Some(e) = error {
            status = e.status();
            match e {
                WebError::Conflict(msg) => {
                    blocks.push(Block::Notice(
                        "error",
                        format!("{}: {msg}", t("conflict.title")),
                    ));
                    f.fields.retain(|x| x.name != "version");
                    f = f.field(
                        Field::new("version", "", FieldKind::Hidden)
                            .value(record.version.to_string()),
                    );
                }
                WebError::Invalid(problems) => f = f.with_problems(&problems),
                other => return Err(other),
            }
        }
        blocks.push(Block::Heading(t("fund.record_tx").into()));
        blocks.push(Block::Form(f));
    }
    blocks.push(Block::Columns(vec![
        Block::Table(history),
        Block::Table(schedule),
    ]));
    let page = Page {
        layout: Layout::for_viewer(
            viewer,
            format!("{} {}", t("fund.contract"), record.contract_no),
            "fund",
        ),
        blocks,
    };
    Ok((status, page.render_html()?).into_response())
}

/// GET /fund/loans/{contract}
pub async fn loan(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(contract): Path<String>,
) -> Result<Response, WebError> {
    viewer.require(Action::ViewFund)?;
    loan_page(&state, &viewer, &contract, None).await
}

/// Reads an amount typed with Vietnamese thousands separators ("500.000.000"); blank is 0
/// (a reversal names the transaction it cancels and needs no amount).
pub fn parse_amount(field: &str, s: &str) -> Result<i64, Error> {
    text::parse_whole_number(s)
        .map(Option::unwrap_or_default)
        .map_err(|reason| Error::invalid(field, reason))
}

/// POST /fund/loans/{contract}: records a transaction; refused as a conflict if the loan
/// changed since the page was opened.
pub async fn record_tx(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(contract): Path<String>,
    PostForm(values): PostForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    viewer.require(Action::EditFund)?;
    let v: TxForm = serde_urlencoded::from_str(
        &serde_urlencoded::to_string(&values).map_err(|e| WebError::invalid(e.to_string()))?,
    )
    .map_err(|e| WebError::invalid(e.to_string()))?;
    // A write-off and a reversal cannot be taken back: say what will happen and ask first
    // (a transaction that will be refused anyway goes straight to its refusal).
    if !super::confirmed(&values)
        && let Ok(tx) = crate::app::fund::read_loan_tx(&v)
        && (tx.kind == TxKind::WriteOff || tx.reverses.is_some())
    {
        let t = |k| viewer.t(k);
        let what = match tx.reverses {
            Some(n) => {
                // Name the transaction that will stop counting.
                let reversed = match state.store.loan_by_contract(&contract).await? {
                    Some(record) => state
                        .store
                        .loan_txs(record.id)
                        .await?
                        .into_iter()
                        .find(|x| x.id == n)
                        .map(|x| {
                            format!(
                                "{} {} {} {}",
                                tx_name(x.kind, viewer.lang),
                                text::money(x.amount),
                                t("fund.dated"),
                                text::date(x.value_date)
                            )
                        }),
                    None => None,
                };
                format!(
                    "{} {n}{} – {} {contract}.",
                    t("fund.confirm_reversal"),
                    reversed.map(|r| format!(" ({r})")).unwrap_or_default(),
                    t("fund.contract"),
                )
            }
            None => format!(
                "{} {} {} {} – {} {contract}.",
                t("fund.confirm_write_off"),
                text::money(tx.amount),
                t("fund.dated"),
                text::date(tx.value_date),
                t("fund.contract"),
            ),
        };
        return super::confirmation_page(
            &viewer,
            t("fund.confirm_title"),
            "fund",
            vec![what, t("fund.confirm_permanent").to_string()],
            &format!("/fund/loans/{}", percent(&contract)),
            &values,
            &format!("/fund/loans/{}", percent(&contract)),
        );
    }
    match crate::app::fund::record_loan_tx(&state.store, &contract, &v, &viewer.author(), today())
        .await
    {
        Ok(_) => super::see_other(&format!("/fund/loans/{}", percent(&contract))),
        Err(Error::NotFound(what)) => Err(WebError::NotFound(what)),
        Err(e) => loan_page(&state, &viewer, &contract, Some((v, WebError::from(e)))).await,
    }
}
