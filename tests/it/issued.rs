//! Issued reports stay as issued; later changes to their period are listed as corrections.

use crate::support::{TestDb, d};
use htx::domain::period::Period;
use htx::domain::registry::{Event, EventKind, EventPayload};
use htx::report::figures::{ReportRequest, build};
use htx::store::registry::OrgFilter;

#[tokio::test]
async fn an_issued_report_exports_identically_after_later_edits_and_the_next_report_lists_them() {
    let db = TestDb::demo().await;
    let h1 = ReportRequest::of(Period::parse("2022-H1").unwrap());
    let figures = build(&db.store, &h1).await.unwrap();
    let issued = htx::report::issue(
        &db.store,
        &figures,
        None,
        "125/BC-LMHTX",
        d("2022-07-08"),
        "chu-tich",
    )
    .await
    .unwrap();
    assert!(
        htx::report::issue(
            &db.store,
            &figures,
            None,
            "125/BC-LMHTX",
            d("2022-07-08"),
            "x"
        )
        .await
        .is_err(),
        "a number is issued once"
    );
    // A dissolution in May 2022 is recorded after the report was issued.
    let (orgs, _) = db
        .store
        .list_orgs(&OrgFilter {
            on: Some(d("2022-06-30")),
            counted_only: true,
            limit: 1,
            ..Default::default()
        })
        .await
        .unwrap();
    let org = &orgs[0];
    db.store
        .record_event(
            org.id,
            None,
            Event {
                id: 0,
                kind: EventKind::Dissolved,
                effective: d("2022-05-02"),
                payload: EventPayload::default(),
            },
            "an",
            d("2026-01-01"),
        )
        .await
        .unwrap();
    let now = build(&db.store, &h1).await.unwrap();
    assert_ne!(
        now.registry.htx.total.end + now.registry.tht.total.end,
        figures.registry.htx.total.end + figures.registry.tht.total.end,
        "the live report sees the dissolution"
    );
    let again = db
        .store
        .issued_report("125/BC-LMHTX")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.figures, issued.figures);
    assert_eq!(again.markdown, issued.markdown);
    assert_eq!(again.docx, issued.docx);
    assert_eq!(again.xlsx, issued.xlsx);
    let h2 = build(
        &db.store,
        &ReportRequest::of(Period::parse("2022-H2").unwrap()),
    )
    .await
    .unwrap();
    assert_eq!(h2.corrections.len(), 1);
    assert_eq!(h2.corrections[0].reg_code, org.reg_code);
    let md = htx::report::markdown::render(&h2, None).unwrap();
    assert!(
        md.contains("Báo cáo số 125/BC-LMHTX") && md.contains("giải thể ngày 02/05/2022"),
        "{md}"
    );
}
