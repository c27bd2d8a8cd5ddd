//! Steps that cannot be undone ask first, without scripts: issuing a report, writing off a
//! loan and reversing a transaction show what will happen and are taken only when confirmed.

use crate::web_harness::Web;
use axum::http::StatusCode;
use htx::domain::fund;
use htx::domain::today;
use htx::web::error::percent;

#[tokio::test]
async fn issuing_a_report_says_what_it_means_and_issues_only_when_confirmed() {
    let web = Web::demo().await;
    let s = web.login("canbo").await;
    let form = [
        ("period", "2022-H1"),
        ("number", "99/BC-LMHTX"),
        ("date", "08/07/2022"),
    ];
    let r = web.submit("/reports/issue", &s, &form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Xác nhận ban hành báo cáo"), "{}", r.body);
    assert!(
        r.body
            .contains("Ban hành báo cáo số 99/BC-LMHTX ngày 08/07/2022")
    );
    assert!(r.body.contains("không sửa được"));
    assert!(r.body.contains("name=\"confirmed\" value=\"1\""));
    assert!(r.body.contains("name=\"number\" value=\"99/BC-LMHTX\""));
    assert!(web.db.store.issued_reports().await.unwrap().is_empty());

    let mut confirmed = form.to_vec();
    confirmed.push(("confirmed", "1"));
    let r = web.submit("/reports/issue", &s, &confirmed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let issued = web.db.store.issued_reports().await.unwrap();
    assert_eq!(issued.len(), 1);
    assert_eq!(issued[0].number, "99/BC-LMHTX");
}

#[tokio::test]
async fn a_write_off_and_a_reversal_are_recorded_only_when_confirmed() {
    let web = Web::demo().await;
    let store = &web.db.store;
    let on = today();
    let (record, txs, outstanding) = loan_with_outstanding(&web).await;
    let path = format!("/fund/loans/{}", percent(&record.contract_no));
    let s = web.login("quy").await;
    let version = record.version.to_string();
    let amount = htx::domain::text::number(outstanding);
    let date = htx::domain::text::date(on);
    let form = [
        ("version", version.as_str()),
        ("kind", "write_off"),
        ("date", date.as_str()),
        ("amount", amount.as_str()),
    ];
    let r = web.submit(&path, &s, &form).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body
            .contains(&format!("Xóa nợ {amount} đồng ngày {date}")),
        "{}",
        r.body
    );
    assert!(r.body.contains(&record.contract_no));
    assert_eq!(store.loan_txs(record.id).await.unwrap().len(), txs.len());

    // A reversal names the transaction it cancels.
    let last = txs.last().expect("a transaction");
    let reverses = last.id.to_string();
    let reversal = [
        ("version", version.as_str()),
        ("kind", "reversal"),
        ("date", date.as_str()),
        ("reverses", reverses.as_str()),
    ];
    let r = web.submit(&path, &s, &reversal).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains(&format!("Hủy bút toán số {reverses} (")),
        "{}",
        r.body
    );
    assert!(r.body.contains(&htx::domain::text::date(last.value_date)));
    assert_eq!(store.loan_txs(record.id).await.unwrap().len(), txs.len());

    let mut confirmed = form.to_vec();
    confirmed.push(("confirmed", "1"));
    let r = web.submit(&path, &s, &confirmed).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        store.loan_txs(record.id).await.unwrap().len(),
        txs.len() + 1
    );
}

#[tokio::test]
async fn an_ordinary_repayment_is_recorded_without_asking() {
    let web = Web::demo().await;
    let store = &web.db.store;
    let (record, txs, _) = loan_with_outstanding(&web).await;
    let path = format!("/fund/loans/{}", percent(&record.contract_no));
    let s = web.login("quy").await;
    // An interest payment of 1 đồng today is a valid, reversible step.
    let r = web
        .submit(
            &path,
            &s,
            &[
                ("version", &record.version.to_string()),
                ("kind", "interest_payment"),
                ("date", &htx::domain::text::date(today())),
                ("amount", "1"),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "no confirmation page: {}",
        r.body
    );
    assert_eq!(
        store.loan_txs(record.id).await.unwrap().len(),
        txs.len() + 1
    );
}

/// A loan of the demo with something outstanding today, its transactions and the amount.
async fn loan_with_outstanding(
    web: &Web,
) -> (htx::store::fund::LoanRecord, Vec<fund::LoanTx>, i64) {
    let store = &web.db.store;
    for record in store.loans().await.unwrap() {
        let txs = store.loan_txs(record.id).await.unwrap();
        let now = fund::state_at(&record.loan, &txs, today());
        if now.outstanding > 0 {
            return (record, txs, now.outstanding);
        }
    }
    panic!("the demo has a loan with an outstanding balance");
}
