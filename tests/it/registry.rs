//! Organisations and lifecycles through the store: rules, projection, concurrency, audit.

use crate::support::{TestDb, d};
use htx::Error;
use htx::domain::registry::{
    self, Attributes, Event, EventKind, EventPayload, ModelFlags, OrgKind,
};
use htx::store::registry::{NewOrganisation, OrgFilter};

fn attributes(name: &str) -> Attributes {
    Attributes {
        name: name.into(),
        address: "Thôn Đông".into(),
        commune: "old-09163".into(),
        sector: "trade".into(),
        registering_body: String::new(),
        law: 2012,
        flags: ModelFlags::default(),
        representative: String::new(),
    }
}

fn new_org(code: &str, name: &str, date: &str) -> NewOrganisation {
    NewOrganisation {
        kind: OrgKind::Htx,
        reg_code: code.into(),
        established: Event {
            id: 0,
            kind: EventKind::Established,
            effective: d(date),
            payload: EventPayload {
                attributes: Some(attributes(name)),
                ..EventPayload::default()
            },
        },
    }
}

fn event(kind: EventKind, date: &str) -> Event {
    Event {
        id: 0,
        kind,
        effective: d(date),
        payload: EventPayload::default(),
    }
}

#[tokio::test]
async fn an_organisation_is_counted_until_it_is_dissolved() {
    let db = TestDb::new().await;
    let today = d("2026-01-01");
    let org = db
        .store
        .create_org(new_org("X1", "HTX Đông Hưng", "2015-03-01"), "an", today)
        .await
        .unwrap();
    db.store
        .record_event(
            org.id,
            None,
            event(EventKind::Ceased, "2020-01-10"),
            "an",
            today,
        )
        .await
        .unwrap();
    db.store
        .record_event(
            org.id,
            None,
            event(EventKind::Dissolved, "2022-05-20"),
            "an",
            today,
        )
        .await
        .unwrap();
    let count = |on: &str| {
        let store = db.store.clone();
        let on = d(on);
        async move {
            let rows = store.stock(on, on, on).await.unwrap();
            rows.iter().map(|r| r.at_end).sum::<i64>()
        }
    };
    assert_eq!(count("2015-02-28").await, 0);
    assert_eq!(count("2015-03-01").await, 1);
    assert_eq!(
        count("2021-12-31").await,
        1,
        "ceased but not dissolved is still counted"
    );
    assert_eq!(count("2022-05-20").await, 0);
}

#[tokio::test]
async fn impossible_sequences_are_refused_and_nothing_is_written() {
    let db = TestDb::new().await;
    let today = d("2026-01-01");
    let org = db
        .store
        .create_org(new_org("X2", "HTX Tây", "2015-03-01"), "an", today)
        .await
        .unwrap();
    db.store
        .record_event(
            org.id,
            None,
            event(EventKind::Dissolved, "2020-01-01"),
            "an",
            today,
        )
        .await
        .unwrap();
    for (kind, date) in [
        (EventKind::Dissolved, "2021-01-01"),
        (EventKind::Suspended, "2021-01-01"),
        (EventKind::Ceased, "2014-01-01"),
        (EventKind::Ceased, "2027-01-01"),
    ] {
        let err = db
            .store
            .record_event(org.id, None, event(kind, date), "an", today)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Rule(_)), "{kind:?} {date}: {err}");
    }
    assert_eq!(db.store.org_events(org.id).await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_second_conflicting_save_is_refused() {
    let db = TestDb::new().await;
    let today = d("2026-01-01");
    let org = db
        .store
        .create_org(new_org("X3", "HTX Nam", "2015-03-01"), "an", today)
        .await
        .unwrap();
    let seen = org.version;
    db.store
        .record_event(
            org.id,
            Some(seen),
            event(EventKind::Suspended, "2020-01-01"),
            "an",
            today,
        )
        .await
        .unwrap();
    let err = db
        .store
        .record_event(
            org.id,
            Some(seen),
            event(EventKind::Ceased, "2020-02-01"),
            "binh",
            today,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Conflict(_)), "{err}");
    assert!(err.to_string().contains("tải lại"), "{err}");
    assert_eq!(db.store.org_events(org.id).await.unwrap().len(), 2);
}

#[tokio::test]
async fn the_projection_equals_replaying_the_events() {
    let db = TestDb::demo().await;
    let (items, total) = db
        .store
        .list_orgs(&OrgFilter {
            on: Some(d("2026-09-30")),
            limit: 2000,
            ..OrgFilter::default()
        })
        .await
        .unwrap();
    assert!(total > 900, "{total}");
    let mut checked = 0;
    for item in items.iter().step_by(7) {
        let events: Vec<Event> = db
            .store
            .org_events(item.id)
            .await
            .unwrap()
            .into_iter()
            .map(|s| s.event)
            .collect();
        let expected = registry::intervals(&registry::replay(&events).unwrap());
        assert_eq!(
            db.store.org_intervals(item.id).await.unwrap(),
            expected,
            "{}",
            item.reg_code
        );
        checked += 1;
    }
    assert!(checked > 100);
}

#[tokio::test]
async fn as_of_counts_from_the_database_equal_counting_replayed_states() {
    let db = TestDb::demo().await;
    let (items, _) = db
        .store
        .list_orgs(&OrgFilter {
            on: Some(d("2026-09-30")),
            limit: 5000,
            ..OrgFilter::default()
        })
        .await
        .unwrap();
    let mut all = Vec::new();
    for item in &items {
        let events: Vec<Event> = db
            .store
            .org_events(item.id)
            .await
            .unwrap()
            .into_iter()
            .map(|s| s.event)
            .collect();
        all.push(registry::replay(&events).unwrap());
    }
    for on in [
        "2010-06-30",
        "2021-12-31",
        "2022-03-15",
        "2022-06-30",
        "2025-06-30",
        "2025-07-01",
        "2026-06-30",
    ] {
        let on = d(on);
        let naive = all
            .iter()
            .filter(|states| registry::state_at(states, on).is_some_and(|s| s.status.is_counted()))
            .count() as i64;
        let rows = db.store.stock(on, on, on).await.unwrap();
        assert_eq!(rows.iter().map(|r| r.at_end).sum::<i64>(), naive, "on {on}");
    }
}

#[tokio::test]
async fn search_ignores_accents_and_lists_in_vietnamese_order() {
    let db = TestDb::new().await;
    let today = d("2026-01-01");
    for (code, name) in [
        ("A1", "HTX Đông Hưng"),
        ("A2", "HTX Dương Liễu"),
        ("A3", "HTX Dân Chủ"),
        ("A4", "HTX An Bình"),
    ] {
        db.store
            .create_org(new_org(code, name, "2015-03-01"), "an", today)
            .await
            .unwrap();
    }
    let list = |search: &str| {
        let store = db.store.clone();
        let search = search.to_string();
        async move {
            let (items, _) = store
                .list_orgs(&OrgFilter {
                    on: Some(d("2025-01-01")),
                    search,
                    ..OrgFilter::default()
                })
                .await
                .unwrap();
            items.into_iter().map(|i| i.name).collect::<Vec<_>>()
        }
    };
    assert_eq!(list("dong hung").await, ["HTX Đông Hưng"]);
    assert_eq!(list("DUONG").await, ["HTX Dương Liễu"]);
    assert_eq!(
        list("").await,
        [
            "HTX An Bình",
            "HTX Dân Chủ",
            "HTX Dương Liễu",
            "HTX Đông Hưng"
        ]
    );
}

#[tokio::test]
async fn every_write_is_audited_and_the_audit_log_is_append_only() {
    let db = TestDb::new().await;
    let today = d("2026-01-01");
    let org = db
        .store
        .create_org(new_org("X4", "HTX Bắc", "2015-03-01"), "chi", today)
        .await
        .unwrap();
    db.store
        .record_event(
            org.id,
            None,
            event(EventKind::Suspended, "2020-01-01"),
            "chi",
            today,
        )
        .await
        .unwrap();
    let entries = db.store.audit_entries(None, 10).await.unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.author == "chi" && e.entity == "organisation" && e.entity_id == "X4")
    );
    assert!(
        entries
            .iter()
            .any(|e| e.author == "chi" && e.action == "create")
    );
    let pool_url = db.url.clone();
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&pool_url)
        .await
        .unwrap();
    let tampered = sqlx::Executor::execute(&mut conn, "UPDATE audit_log SET author = 'x'").await;
    assert!(tampered.is_err(), "audit log must refuse updates");
    let deleted = sqlx::Executor::execute(&mut conn, "DELETE FROM audit_log").await;
    assert!(deleted.is_err(), "audit log must refuse deletes");
}

#[tokio::test]
async fn every_search_path_finds_what_a_plain_scan_finds() {
    let db = crate::support::TestDb::demo().await;
    let on = crate::support::d("2022-06-30");
    let all = |search: &str, count_cap: Option<i64>| htx::store::registry::OrgFilter {
        on: Some(on),
        counted_only: true,
        search: search.to_string(),
        limit: 5000,
        count_cap,
        ..Default::default()
    };
    let (everything, total) = db.store.list_orgs(&all("", None)).await.unwrap();
    assert_eq!(total as usize, everything.len());
    // Short, selective, broad and absent searches take different routes (trigram index,
    // name order, LIKE); each must agree with filtering the whole list by hand.
    for query in [
        "a",
        "ng",
        "Đông",
        "dong",
        "nong nghiep",
        "2725600",
        "hợp tác xã",
        "xyz",
    ] {
        let folded = htx::domain::text::fold(query);
        let expected: Vec<&str> = everything
            .iter()
            .filter(|o| {
                htx::domain::text::fold(&o.name).contains(&folded) || o.reg_code.contains(&folded)
            })
            .map(|o| o.reg_code.as_str())
            .collect();
        let (found, total) = db.store.list_orgs(&all(query, None)).await.unwrap();
        let found: Vec<&str> = found.iter().map(|o| o.reg_code.as_str()).collect();
        assert_eq!(found, expected, "search {query:?}");
        assert_eq!(total as usize, expected.len(), "count of {query:?}");
    }
    let (_, capped) = db.store.list_orgs(&all("", Some(100))).await.unwrap();
    assert_eq!(capped, 101, "a capped count says 'more than 100'");
}
