//! The real entrance: the htx binary.

use crate::support::TestDb;
use std::process::Command;

fn htx(db: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_htx"))
        .args(args)
        .env("HTX_DATABASE_URL", db)
        .env("HTX_LOG", "error")
        .output()
        .expect("htx runs")
}

#[tokio::test]
async fn demo_then_report_docx_writes_an_official_document() {
    let db = TestDb::new().await;
    db.store.close().await;
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().to_str().unwrap();
    let demo = htx(&db.url, &["demo", "--out-dir", out_dir]);
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    assert!(String::from_utf8_lossy(&demo.stdout).contains("678 HTX"));
    let docx = dir.path().join("r.docx");
    let report = htx(
        &db.url,
        &[
            "report",
            "--period",
            "2022-H1",
            "--format",
            "docx",
            "--out",
            docx.to_str().unwrap(),
        ],
    );
    assert!(
        report.status.success(),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
    let bytes = std::fs::read(&docx).unwrap();
    assert_eq!(&bytes[..2], b"PK");
}

#[tokio::test]
async fn an_unknown_database_scheme_is_a_clear_error() {
    let out = htx("mysql://x", &["report", "--period", "2022"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("không được hỗ trợ"));
}

#[tokio::test]
async fn a_bad_period_is_refused_with_the_accepted_forms() {
    let db = TestDb::new().await;
    let out = htx(&db.url, &["report", "--period", "2022-H3"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("2022-H1"));
}

#[tokio::test]
async fn the_import_command_prints_row_errors_and_exits_non_zero() {
    let db = TestDb::new().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.csv");
    std::fs::write(&file, "Mã số đăng ký,Loại hình,Tên tổ chức,Ngày thành lập,Mã xã,Lĩnh vực\nA1,HTX,HTX A,15/03/2022,00000,trade\n").unwrap();
    let out = htx(&db.url, &["import", file.to_str().unwrap(), "--dry-run"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("dòng 2") && err.contains("Mã xã"), "{err}");
}

#[tokio::test]
async fn a_deployment_can_add_a_field_and_import_into_it() {
    let db = TestDb::new().await;
    let add = htx(
        &db.url,
        &[
            "sector",
            "add",
            "--code",
            "tourism",
            "--group",
            "non_agriculture",
            "--name",
            "Du lịch cộng đồng",
        ],
    );
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let again = htx(
        &db.url,
        &[
            "sector",
            "add",
            "--code",
            "tourism",
            "--group",
            "non_agriculture",
            "--name",
            "Du lịch",
        ],
    );
    assert!(!again.status.success());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.csv");
    std::fs::write(&file, "Mã số đăng ký,Loại hình,Tên tổ chức,Ngày thành lập,Mã xã,Lĩnh vực\nT1,HTX,HTX Du lịch Đông Hồ,15/03/2022,09163,du lich cong dong\n").unwrap();
    let out = htx(&db.url, &["import", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = htx(
        &db.url,
        &["org", "list", "--search", "du lich", "--on", "2023-01-01"],
    );
    assert!(String::from_utf8_lossy(&list.stdout).contains("HTX Du lịch Đông Hồ"));
}

#[tokio::test]
async fn importing_a_file_that_does_not_exist_names_it() {
    let db = TestDb::new().await;
    let out = htx(&db.url, &["import", "/nowhere/khong-co.xlsx"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("/nowhere/khong-co.xlsx: không có tệp này"),
        "{stderr}"
    );
}
