//! Arbitrary bytes and text fed to the importer: whatever a user uploads, the import answers
//! with a result or a refusal, never a panic, and a refused file writes nothing. The cases
//! come from a fixed seed, so a run is the same every time.

use crate::import_files::{HEADINGS, ROW, workbook, write};
use crate::support::{TestDb, d};
use htx::import::import_file;
use htx::import::sheet;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        rng_seed: RngSeed::Fixed(0x68_74_78),
        failure_persistence: None,
        ..Config::default()
    })
}

/// A real workbook with some bytes changed or cut short: a damaged upload.
fn damaged_workbook() -> impl Strategy<Value = Vec<u8>> {
    let good = workbook();
    let len = good.len();
    (
        prop::collection::vec((0..len, any::<u8>()), 0..12),
        prop::option::of(0..len),
    )
        .prop_map(move |(changes, cut)| {
            let mut bytes = good.clone();
            for (at, value) in changes {
                bytes[at] = value;
            }
            if let Some(cut) = cut {
                bytes.truncate(cut);
            }
            bytes
        })
}

#[test]
fn arbitrary_and_damaged_workbooks_are_read_or_refused_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tai-len.xlsx");
    let bytes = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..4096),
        damaged_workbook(),
    ];
    runner(256)
        .run(&bytes, |bytes| {
            std::fs::write(&path, &bytes).unwrap();
            // Ok or Err are both answers; a panic fails the test.
            let _ = sheet::read(&path);
            Ok(())
        })
        .unwrap();
}

#[test]
fn arbitrary_csv_bytes_are_read_or_refused_without_panicking() {
    runner(256)
        .run(&prop::collection::vec(any::<u8>(), 0..2048), |bytes| {
            let _ = sheet::read_csv(&bytes, "to-chuc");
            Ok(())
        })
        .unwrap();
}

/// Any text in the cells of an organisation sheet goes through the whole import: the
/// result is a plan or a refusal naming rows, and a refusal writes nothing.
#[tokio::test]
async fn arbitrary_cells_go_through_the_whole_import_without_panicking() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let cell = prop_oneof![
        any::<String>(),
        "[0-9/.-]{0,12}",
        Just(String::new()),
        prop::sample::select(ROW.to_vec()).prop_map(str::to_string),
    ];
    let rows = prop::collection::vec(prop::collection::vec(cell, 6), 1..4);
    let files = std::cell::RefCell::new(Vec::new());
    runner(48)
        .run(&rows, |rows| {
            files.borrow_mut().push(rows);
            Ok(())
        })
        .unwrap();
    let files = files.into_inner();
    for (i, rows) in files.iter().enumerate() {
        let mut csv = csv::Writer::from_writer(Vec::new());
        csv.write_record(HEADINGS.split(',')).unwrap();
        for row in rows {
            csv.write_record(row).unwrap();
        }
        let bytes = csv.into_inner().unwrap();
        let path = write(dir.path(), &format!("to-chuc-{i}.csv"), &bytes);
        match import_file(&db.store, &path, "kiemtra", d("2026-01-01"), false).await {
            Ok(report) if !report.errors().is_empty() => {
                assert!(report.written.is_none(), "a refused file wrote something");
            }
            Ok(_) | Err(_) => {}
        }
    }
}

/// Every reader of a typed code (kinds, events, roles, activities, communes, sectors, dates
/// and periods) answers any text with a value or "not known", never a panic.
#[test]
fn arbitrary_codes_are_recognised_or_refused_without_panicking() {
    use htx::domain::{access::Role, alliance::ActivityKind, geo::geo, period::Period};
    use htx::domain::{registry::EventKind, registry::OrgKind, sector::Taxonomy};
    let taxonomy = Taxonomy::built_in();
    let on = d("2026-01-01");
    runner(512)
        .run(&any::<String>(), |s| {
            let _ = OrgKind::parse(&s);
            let _ = EventKind::parse(&s);
            let _ = Role::parse(&s);
            let _ = <ActivityKind as htx::domain::codes::Coded>::parse(&s);
            let _ = geo().unit(&s);
            let _ = geo().by_code(&s, on);
            let _ = taxonomy.find(&s);
            let _ = htx::domain::parse_date(&s);
            let _ = Period::parse(&s);
            Ok(())
        })
        .unwrap();
}
