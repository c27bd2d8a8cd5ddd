//! Every shape of the organisation list that a route asks for (the list and search pages, the
//! JSON API, the export) is served by an index on a generated registry, on both databases: no
//! step reads the whole organisation or interval table. And keyset paging walks the same
//! sequence as numbered pages.

use crate::support::TestDb;
use htx::domain::registry::{OrgKind, Status};
use htx::store::Backend;
use htx::store::registry::OrgFilter;

/// A registry large enough that a planner with statistics prefers a full scan where no index
/// serves the query.
async fn generated(organisations: usize) -> TestDb {
    let db = TestDb::new().await;
    let spec = htx::demo::generate::GenSpec {
        organisations,
        events_per_org: 3,
        seed: 11,
        chunk: 2_000,
    };
    htx::demo::generate::generate(&db.store, spec, |_| {})
        .await
        .unwrap();
    db
}

/// How a list may be found.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Route {
    /// Most organisations match: walking the names in order (or the table, for the capped
    /// count) stops after the page, or after the cap.
    Walk,
    /// Few match: every step searches an index by the filter's key.
    Search,
}

/// The filters the routes build: the page's defaults, its kind, status, sector and area
/// filters, the searches few and most names match, a deep keyset page, the export's cap.
fn route_shapes(area_communes: Vec<String>, after: i64) -> Vec<(&'static str, Route, OrgFilter)> {
    let on = Some(htx::domain::parse_date("2026-10-31").unwrap());
    let page = OrgFilter {
        on,
        counted_only: true,
        limit: 50,
        count_cap: Some(50 + 1_000),
        ..OrgFilter::default()
    };
    vec![
        ("list page", Route::Walk, page.clone()),
        (
            "kind filter",
            Route::Walk,
            OrgFilter {
                kind: Some(OrgKind::Htx),
                ..page.clone()
            },
        ),
        (
            "status most have",
            Route::Walk,
            OrgFilter {
                status: Some(Status::Active),
                counted_only: false,
                ..page.clone()
            },
        ),
        (
            "status few have",
            Route::Search,
            OrgFilter {
                status: Some(Status::Dissolved),
                counted_only: false,
                ..page.clone()
            },
        ),
        (
            "sector filter",
            Route::Walk,
            OrgFilter {
                sector: Some("agri_services".into()),
                ..page.clone()
            },
        ),
        (
            "area",
            Route::Search,
            OrgFilter {
                communes: Some(area_communes),
                ..page.clone()
            },
        ),
        (
            "search few",
            Route::Search,
            OrgFilter {
                search: "số 1234".into(),
                ..page.clone()
            },
        ),
        (
            "search most",
            Route::Walk,
            OrgFilter {
                search: "hợp tác".into(),
                ..page.clone()
            },
        ),
        (
            "api keyset",
            Route::Search,
            OrgFilter {
                after: Some(after),
                counted_only: false,
                ..page.clone()
            },
        ),
        (
            "export",
            Route::Walk,
            OrgFilter {
                limit: 5_000,
                count_cap: Some(5_000),
                ..page
            },
        ),
    ]
}

/// The steps of a SQLite plan that read more than the route allows: for a search, any read
/// of a whole table or index ("SCAN o", "SCAN o USING INDEX …"); for either, intervals found
/// by date alone (every interval that began before the date: the whole history).
fn sqlite_faults(route: Route, plan: &[String]) -> Vec<String> {
    plan.iter()
        .map(|l| l.trim())
        .filter(|line| {
            let mut words = line.split_whitespace();
            let reads_all =
                words.next() == Some("SCAN") && matches!(words.next(), Some("o") | Some("i"));
            let by_date_alone = line.contains("org_interval_dates (valid_from<?)");
            by_date_alone || (route == Route::Search && reads_all)
        })
        .map(str::to_string)
        .collect()
}

/// PostgreSQL chooses by statistics, and on a registry this small a sequential scan is the
/// cheaper plan for every shape. The test asks with sequential scans priced out whether an
/// index serves each shape at all: at national scale (docs/benchmarks.md) the planner picks it.
fn postgres_faults(plan: &[String]) -> Vec<String> {
    plan.iter()
        .filter(|l| {
            l.contains("Seq Scan on organisation") || l.contains("Seq Scan on org_interval")
        })
        .cloned()
        .collect()
}

#[tokio::test]
async fn every_list_route_is_served_by_an_index() {
    let db = generated(6_000).await;
    let store = &db.store;
    let g = htx::domain::geo::geo();
    // An old-era district of a generated commune, with its communes of both eras.
    let (first, _) = store
        .list_orgs(&OrgFilter {
            limit: 1,
            ..OrgFilter::default()
        })
        .await
        .unwrap();
    let district = g
        .unit(&first[0].commune)
        .and_then(|c| c.parent_id.clone())
        .expect("a generated commune has a district or province");
    let area = g.communes_in_area(&district).as_ref().clone();
    assert!(!area.is_empty());
    let (deep, _) = store
        .list_orgs(&OrgFilter {
            limit: 1,
            offset: 4_000,
            ..OrgFilter::default()
        })
        .await
        .unwrap();
    let postgres = store.backend() == Backend::Postgres;
    for (name, route, filter) in route_shapes(area, deep[0].id) {
        let plan = store.list_plans(&filter, postgres).await.unwrap();
        assert!(!plan.is_empty(), "{name}: a plan");
        let faults = if postgres {
            postgres_faults(&plan)
        } else {
            sqlite_faults(route, &plan)
        };
        assert!(
            faults.is_empty(),
            "{name}: reads more than a {route:?} may: {faults:?}\n{}",
            plan.join("\n")
        );
    }
}

#[tokio::test]
async fn keyset_pages_follow_the_numbered_pages() {
    let db = generated(700).await;
    let store = &db.store;
    let base = OrgFilter {
        counted_only: false,
        limit: 64,
        count_cap: Some(64 + 1_000),
        ..OrgFilter::default()
    };
    let (all, total) = store
        .list_orgs(&OrgFilter {
            limit: 1_000,
            ..base.clone()
        })
        .await
        .unwrap();
    assert_eq!(total, 700);
    let mut walked = Vec::new();
    let mut after = None;
    loop {
        let (page, remaining) = store
            .list_orgs(&OrgFilter {
                after,
                ..base.clone()
            })
            .await
            .unwrap();
        assert_eq!(
            remaining as usize,
            all.len() - walked.len(),
            "the total counts what follows the cursor"
        );
        walked.extend(page.iter().map(|o| o.id));
        match page.last() {
            Some(last) if page.len() == 64 => after = Some(last.id),
            _ => break,
        }
    }
    let expected: Vec<i64> = all.iter().map(|o| o.id).collect();
    assert_eq!(walked, expected, "the same organisations in the same order");
}
