//! One rule, one refusal, for yearly evaluations (Circular 01/2020/TT-BKHĐT): the import's
//! "Đánh giá, xếp loại" sheet and the result columns of "Số liệu năm", `htx evaluation
//! record` and `POST /api/v1/evaluations` fill the same input and go through
//! `app::evaluations`, so a bad evaluation is refused with the same words wherever it is
//! typed; a correction is a new version and the history is kept.

use crate::support::TestDb;
use crate::support::htx;
use crate::web_harness::Web;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use htx::app::registry::{RegisterInput, register};
use htx::domain::evaluation::{Grade, Outcome};
use htx::import::import_file;
use htx::store::Store;
use htx::web::config::ServeConfig;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Output;

const CODE: &str = "2799900501";
/// Criterion 1 is worth at most 7 points.
const BAD_C1: &str = "7,5 điểm nằm ngoài thang điểm của tiêu chí 1 (0–7 điểm)";
const GOOD: [&str; 15] = [
    "7", "6", "11", "6", "8", "6", "6", "6", "4", "10", "10", "5", "5", "5", "4,5",
];
const HEADINGS: &str = "Mã số,Năm,TC1,TC2,TC3,TC4,TC5,TC6,TC7,TC8,TC9,TC10,TC11,TC12,TC13,TC14,TC15,Tổng điểm,Xếp loại,Không xếp loại (lý do),Người chấm,Ngày chấm,Ghi chú";

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

async fn org(store: &Store, kind: &str, code: &str, founded: &str) {
    register(
        store,
        &RegisterInput {
            kind: kind.into(),
            code: code.into(),
            name: format!("{kind} Đánh giá {code}"),
            date: founded.into(),
            commune: "09163".into(),
            sector: "dịch vụ nông nghiệp".into(),
            ..Default::default()
        },
        "t",
    )
    .await
    .unwrap();
}

/// A row of the evaluation sheet: code, year, the points, then total, grade, reason,
/// scorer, day and note.
fn row(code: &str, year: &str, points: &[&str], rest: [&str; 6]) -> Vec<String> {
    let mut cells = vec![code, year];
    let blank = [""; 15];
    cells.extend(if points.is_empty() {
        &blank[..]
    } else {
        points
    });
    cells.extend(rest);
    cells.into_iter().map(str::to_string).collect()
}

fn cells(line: &str) -> Vec<String> {
    line.split(',').map(str::to_string).collect()
}

/// A CSV file of rows, cells holding a comma ("4,5") quoted.
fn csv(dir: &Path, name: &str, rows: &[Vec<String>]) -> PathBuf {
    let path = dir.join(name);
    let lines: Vec<String> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| {
                    if c.contains(',') {
                        format!("\"{c}\"")
                    } else {
                        c.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    std::fs::write(&path, format!("{}\n", lines.join("\n"))).unwrap();
    path
}

fn with_c1(value: &'static str) -> [&'static str; 15] {
    let mut points = GOOD;
    points[0] = value;
    points
}

async fn versions(store: &Store, code: &str) -> Vec<htx::store::evaluations::StoredEvaluation> {
    let org = store.org_by_code(code).await.unwrap().unwrap();
    store.evaluations_of(org.id).await.unwrap()
}

async fn api(
    web: &Web,
    token: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let req = Request::builder()
        .method(method)
        .uri(format!("/api/v1{path}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.map_or(Body::empty(), |b| Body::from(b.to_string())))
        .unwrap();
    let r = web.send(req).await;
    let json = serde_json::from_str(&r.body).unwrap_or(Value::Null);
    (r.status, json)
}

#[tokio::test]
async fn points_over_a_criterions_maximum_are_refused_alike_everywhere() {
    // Import: at the criterion's column, and nothing written.
    let db = TestDb::new().await;
    org(&db.store, "HTX", CODE, "15/03/2010").await;
    let dir = tempfile::tempdir().unwrap();
    let file = csv(
        dir.path(),
        "danh-gia.csv",
        &[
            cells(HEADINGS),
            row(CODE, "2021", &with_c1("7,5"), ["", "", "", "", "", ""]),
        ],
    );
    let report = import_file(&db.store, &file, "t", htx::domain::today(), false)
        .await
        .unwrap();
    assert!(report.written.is_none());
    let errors: Vec<(usize, String, String)> = report
        .errors()
        .iter()
        .map(|e| (e.row, e.column.clone(), e.reason.clone()))
        .collect();
    assert_eq!(errors, [(2, "TC1 Vốn (7)".to_string(), BAD_C1.to_string())]);
    assert!(versions(&db.store, CODE).await.is_empty());

    // Command line: under --points, in the same words.
    db.store.close().await;
    let out = htx(
        &db.url,
        &[
            "evaluation",
            "record",
            "--code",
            CODE,
            "--year",
            "2021",
            "--points",
            &with_c1("7,5").join(";"),
        ],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains(&format!("--points: {BAD_C1}")),
        "{}",
        stderr(&out)
    );

    // API: at the field c1.
    let web = Web::with(TestDb::new().await, ServeConfig::default()).await;
    org(&web.db.store, "HTX", CODE, "15/03/2010").await;
    let token = web.token("canbo", "api").await;
    let problems = web
        .api_problems(
            &token,
            "/evaluations",
            json!({"code": CODE, "year": 2021, "points": with_c1("7,5")}),
        )
        .await;
    assert_eq!(problems, [("c1".to_string(), BAD_C1.to_string())]);
    assert!(versions(&web.db.store, CODE).await.is_empty());
}

#[tokio::test]
async fn a_good_sheet_is_recorded_through_each_entrance() {
    let web = Web::with(TestDb::new().await, ServeConfig::default()).await;
    let store = &web.db.store;
    for code in ["2799900511", "2799900512", "2799900513"] {
        org(store, "HTX", code, "15/03/2010").await;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = csv(
        dir.path(),
        "danh-gia.csv",
        &[
            cells(HEADINGS),
            row(
                "2799900511",
                "2021",
                &GOOD,
                ["99,5", "Tốt", "", "Ban quản trị", "15/01/2022", ""],
            ),
        ],
    );
    let report = import_file(store, &file, "t", htx::domain::today(), false)
        .await
        .unwrap();
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    assert_eq!(report.written.as_ref().unwrap().evaluations, 1);

    let out = htx(
        &web.db.url,
        &[
            "evaluation",
            "record",
            "--code",
            "2799900512",
            "--year",
            "2021",
            "--points",
            &GOOD.join(";"),
            "--scored-on",
            "15/01/2022",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("99,5 điểm, Tốt (phiên bản 1)"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let token = web.token("canbo", "api").await;
    let (status, body) = api(
        &web,
        &token,
        "POST",
        "/evaluations",
        Some(
            json!({"code": "2799900513", "year": 2021, "points": GOOD, "scored_on": "15/01/2022"}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["version"], 1);

    for code in ["2799900511", "2799900512", "2799900513"] {
        let v = versions(store, code).await;
        assert_eq!(v.len(), 1, "{code}");
        assert_eq!(v[0].evaluation.total(), Some(9950), "{code}");
        assert_eq!(v[0].evaluation.grade(), Some(Grade::Good), "{code}");
    }
    // A reader sees every version through the API.
    let reader = web.token("lanhdao", "api").await;
    let (status, body) = api(&web, &reader, "GET", "/orgs/2799900511/evaluations", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["versions"][0]["total"], "99,5");
    assert_eq!(body["versions"][0]["grade"], "Tốt");
    assert_eq!(body["versions"][0]["points"][14], "4,5");
    assert_eq!(body["versions"][0]["scored_by"], "Ban quản trị");
    // The command line shows it, with the size class the year's figures give.
    let listed = htx(&web.db.url, &["evaluation", "list", "--year", "2021"]);
    let listed = String::from_utf8_lossy(&listed.stdout).into_owned();
    assert_eq!(listed.matches("99,5 điểm, Tốt").count(), 3, "{listed}");
}

#[tokio::test]
async fn a_correction_is_a_new_version_the_same_file_again_adds_none_and_a_stale_version_is_refused()
 {
    let web = Web::with(TestDb::new().await, ServeConfig::default()).await;
    let store = &web.db.store;
    org(store, "HTX", CODE, "15/03/2010").await;
    let dir = tempfile::tempdir().unwrap();
    let first = csv(
        dir.path(),
        "lan-1.csv",
        &[
            cells(HEADINGS),
            row(CODE, "2021", &GOOD, ["", "", "", "Ban quản trị", "", ""]),
        ],
    );
    let today = htx::domain::today();
    let report = import_file(store, &first, "t", today, false).await.unwrap();
    assert_eq!(report.written.as_ref().unwrap().evaluations, 1);
    // The same file again: nothing new.
    let again = import_file(store, &first, "t", today, false).await.unwrap();
    assert!(again.errors().is_empty(), "{:?}", again.errors());
    assert_eq!(again.written.as_ref().unwrap().evaluations, 0);
    assert_eq!(again.unchanged(), 1);
    assert_eq!(versions(store, CODE).await.len(), 1);

    // A corrected file: a second version, the first kept.
    let corrected = csv(
        dir.path(),
        "lan-2.csv",
        &[
            cells(HEADINGS),
            row(
                CODE,
                "2021",
                &with_c1("2"),
                ["", "", "", "Ban quản trị", "", ""],
            ),
        ],
    );
    let report = import_file(store, &corrected, "t", today, false)
        .await
        .unwrap();
    assert_eq!(report.written.as_ref().unwrap().evaluations, 1);
    let v = versions(store, CODE).await;
    assert_eq!(
        v.iter()
            .map(|v| (v.version, v.evaluation.total()))
            .collect::<Vec<_>>(),
        [(2, Some(9450)), (1, Some(9950))]
    );

    // A stale version: the command line and the API refuse it.
    let out = htx(
        &web.db.url,
        &[
            "evaluation",
            "record",
            "--code",
            CODE,
            "--year",
            "2021",
            "--grade",
            "Khá",
            "--version",
            "1",
        ],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("phiên bản 2"), "{}", stderr(&out));
    let token = web.token("canbo", "api").await;
    let (status, body) = api(
        &web,
        &token,
        "POST",
        "/evaluations",
        Some(json!({"code": CODE, "year": "2021", "grade": "Khá", "version": 1})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    // The version seen is accepted and makes a third.
    let (status, body) = api(
        &web,
        &token,
        "POST",
        "/evaluations",
        Some(json!({"code": CODE, "year": "2021", "total": "70", "grade": "Khá", "version": 2})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["version"], 3);
    let (_, listed) = api(
        &web,
        &token,
        "GET",
        &format!("/orgs/{CODE}/evaluations"),
        None,
    )
    .await;
    assert_eq!(listed["versions"].as_array().unwrap().len(), 3, "{listed}");
    assert_eq!(listed["versions"][0]["grade"], "Khá");
    assert_eq!(listed["versions"][2]["total"], "99,5");
    // The size class of each year comes from its figures (agriculture: 50 members and 2 bn
    // đồng of revenue make a small one); a year without revenue or capital has none.
    let figures = csv(
        dir.path(),
        "so-lieu.csv",
        &[
            cells("Mã số đăng ký,Năm,Thành viên chính thức,Doanh thu (đồng)"),
            cells(&format!("{CODE},2021,60,3.000.000.000")),
            cells(&format!("{CODE},2020,60,")),
        ],
    );
    let report = import_file(store, &figures, "t", today, false)
        .await
        .unwrap();
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    let shown = htx(&web.db.url, &["evaluation", "show", "--code", CODE]);
    let shown = String::from_utf8_lossy(&shown.stdout).into_owned();
    for line in [
        "Năm 2021 — quy mô: nhỏ (lĩnh vực nông nghiệp, lâm nghiệp, thủy sản)",
        "Năm 2020 — quy mô: chưa đủ số liệu",
        "phiên bản 3: 70 điểm, Khá",
        "phiên bản 2: 94,5 điểm, Tốt",
        "phiên bản 1: 99,5 điểm, Tốt",
    ] {
        assert!(shown.contains(line), "{shown}");
    }
}

#[tokio::test]
async fn two_rows_of_one_year_are_refused_with_both_row_numbers() {
    let db = TestDb::new().await;
    org(&db.store, "HTX", CODE, "15/03/2010").await;
    let dir = tempfile::tempdir().unwrap();
    let file = csv(
        dir.path(),
        "hai-lan.csv",
        &[
            cells(HEADINGS),
            row(CODE, "2021", &GOOD, ["", "", "", "", "", ""]),
            row(CODE, "2020", &GOOD, ["", "", "", "", "", ""]),
            row(CODE, "2021", &[], ["", "Khá", "", "", "", ""]),
        ],
    );
    let report = import_file(&db.store, &file, "t", htx::domain::today(), false)
        .await
        .unwrap();
    assert!(report.written.is_none());
    let errors = report.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!((errors[0].row, errors[0].column.as_str()), (4, "Năm"));
    assert!(
        errors[0].reason.contains("dòng 2") && errors[0].reason.contains("dòng 4"),
        "{}",
        errors[0].reason
    );
    assert!(versions(&db.store, CODE).await.is_empty());
}

#[tokio::test]
async fn a_grade_on_the_yearly_figures_is_an_evaluation_and_must_match_its_points() {
    let db = TestDb::new().await;
    org(&db.store, "HTX", CODE, "15/03/2010").await;
    let dir = tempfile::tempdir().unwrap();
    let today = htx::domain::today();
    let bad = csv(
        dir.path(),
        "so-lieu-nam.csv",
        &[
            cells("Mã số đăng ký,Năm,Thành viên chính thức,Xếp loại,Điểm đánh giá"),
            cells(&format!("{CODE},2021,60,Tốt,70")),
        ],
    );
    let report = import_file(&db.store, &bad, "t", today, false)
        .await
        .unwrap();
    assert!(report.written.is_none());
    let errors: Vec<(usize, String, String)> = report
        .errors()
        .iter()
        .map(|e| (e.row, e.column.clone(), e.reason.clone()))
        .collect();
    assert_eq!(
        errors,
        [(
            2,
            "Xếp loại".to_string(),
            "xếp loại \"Tốt\" không khớp với 70 điểm (đạt loại \"Khá\")".to_string()
        )]
    );
    let org_id = db.store.org_by_code(CODE).await.unwrap().unwrap().id;
    assert!(db.store.org_figures(org_id).await.unwrap().is_empty());

    let good = csv(
        dir.path(),
        "so-lieu-nam-2.csv",
        &[
            cells("Mã số đăng ký,Năm,Thành viên chính thức,Xếp loại,Điểm đánh giá"),
            cells(&format!("{CODE},2021,60,Khá,70")),
            cells(&format!("{CODE},2020,,Trung bình,")),
        ],
    );
    let report = import_file(&db.store, &good, "t", today, false)
        .await
        .unwrap();
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    let written = report.written.unwrap();
    assert_eq!((written.evaluations, written.registry.figures), (2, 1));
    let v = versions(&db.store, CODE).await;
    assert_eq!(
        v.iter()
            .map(|v| (v.evaluation.year, v.evaluation.outcome.clone()))
            .collect::<Vec<_>>(),
        [
            (
                2021,
                Outcome::Graded {
                    points: None,
                    total: Some(7000),
                    grade: Grade::Fair
                }
            ),
            (
                2020,
                Outcome::Graded {
                    points: None,
                    total: None,
                    grade: Grade::Average
                }
            ),
        ]
    );
    // The year with only a grade has no figures: a blank is not a zero.
    let figures = db.store.org_figures(org_id).await.unwrap();
    assert_eq!(figures.iter().map(|f| f.year).collect::<Vec<_>>(), [2021]);
    let again = import_file(&db.store, &good, "t", today, false)
        .await
        .unwrap();
    assert!(again.written.unwrap().is_empty());
}

fn workbook(dir: &Path, sheets: &[(&str, Vec<Vec<String>>)]) -> PathBuf {
    let path = dir.join("so.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet().set_name(*name).unwrap();
        for (r, cells) in rows.iter().enumerate() {
            for (c, cell) in cells.iter().enumerate() {
                if !cell.is_empty() {
                    sheet.write(r as u32, c as u16, cell.as_str()).unwrap();
                }
            }
        }
    }
    book.save(&path).unwrap();
    path
}

#[tokio::test]
async fn an_organisation_the_same_file_creates_is_evaluated_and_the_registry_is_obeyed() {
    let db = TestDb::new().await;
    org(&db.store, "THT", "2799900521", "15/03/2010").await;
    let dir = tempfile::tempdir().unwrap();
    let today = htx::domain::today();
    let orgs = vec![
        cells("Mã số đăng ký,Loại hình,Tên tổ chức,Ngày thành lập,Mã xã,Lĩnh vực"),
        cells("2799900522,HTX,HTX Mới lập,15/03/2010,09163,dịch vụ nông nghiệp"),
        cells("2799900523,HTX,HTX Lập giữa năm,01/06/2021,09163,dịch vụ nông nghiệp"),
    ];
    let evaluations = |rows: &[Vec<String>]| {
        let mut sheet = vec![cells(HEADINGS)];
        sheet.extend(rows.iter().cloned());
        sheet
    };
    // The new HTX is graded; a THT is not evaluated; one founded in the year is not graded.
    let file = workbook(
        dir.path(),
        &[
            ("Tổ chức", orgs.clone()),
            (
                "Đánh giá, xếp loại",
                evaluations(&[
                    row("2799900522", "2021", &GOOD, ["", "", "", "", "", ""]),
                    row("2799900521", "2021", &GOOD, ["", "", "", "", "", ""]),
                    row("2799900523", "2021", &GOOD, ["", "", "", "", "", ""]),
                ]),
            ),
        ],
    );
    let report = import_file(&db.store, &file, "t", today, false)
        .await
        .unwrap();
    assert!(report.written.is_none());
    let errors: Vec<(usize, String, String)> = report
        .errors()
        .iter()
        .map(|e| (e.row, e.column.clone(), e.reason.clone()))
        .collect();
    let code_column = "Mã số đăng ký".to_string();
    assert_eq!(
        errors,
        [
            (
                3,
                code_column.clone(),
                "tổ hợp tác không được đánh giá, xếp loại theo Thông tư 01/2020/TT-BKHĐT"
                    .to_string()
            ),
            (
                4,
                code_column,
                "không xếp loại năm 2021: hoạt động dưới 12 tháng trong năm (ghi \"Không xếp loại\" với lý do này)"
                    .to_string()
            ),
        ]
    );
    assert!(db.store.org_by_code("2799900522").await.unwrap().is_none());

    // The same refusals through the API.
    let web = Web::with(db, ServeConfig::default()).await;
    let token = web.token("canbo", "api").await;
    let problems = web
        .api_problems(
            &token,
            "/evaluations",
            json!({"code": "2799900521", "year": 2021, "points": GOOD}),
        )
        .await;
    assert_eq!(problems, [("code".to_string(), errors[0].2.clone())]);

    // Written as the registry asks: the founding year is not graded.
    let file = workbook(
        dir.path(),
        &[
            ("Tổ chức", orgs),
            (
                "Đánh giá, xếp loại",
                evaluations(&[
                    row("2799900522", "2021", &GOOD, ["", "", "", "", "", ""]),
                    row(
                        "2799900523",
                        "2021",
                        &[],
                        ["", "", "chưa đủ 12 tháng", "", "", ""],
                    ),
                ]),
            ),
        ],
    );
    let report = import_file(&web.db.store, &file, "t", today, false)
        .await
        .unwrap();
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    let written = report.written.unwrap();
    assert_eq!(
        (written.registry.organisations, written.evaluations),
        (2, 2)
    );
    assert_eq!(
        versions(&web.db.store, "2799900522").await[0]
            .evaluation
            .grade(),
        Some(Grade::Good)
    );
    assert_eq!(
        versions(&web.db.store, "2799900523").await[0]
            .evaluation
            .grade(),
        None
    );
    // And the API says the same of a graded founding year.
    let problems = web
        .api_problems(
            &token,
            "/evaluations",
            json!({"code": "2799900523", "year": 2021, "grade": "Tốt"}),
        )
        .await;
    assert_eq!(problems, [("code".to_string(), errors[1].2.clone())]);
}

#[tokio::test]
async fn readers_outside_the_area_do_not_reach_an_organisations_evaluations() {
    let web = Web::with(TestDb::new().await, ServeConfig::default()).await;
    org(&web.db.store, "HTX", CODE, "15/03/2010").await;
    let reader = web.token("lanhdao", "api").await;
    // A reader may not write.
    let (status, _) = api(
        &web,
        &reader,
        "POST",
        "/evaluations",
        Some(json!({"code": CODE, "year": 2021, "grade": "Khá"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = api(
        &web,
        &reader,
        "GET",
        &format!("/orgs/{CODE}/evaluations"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = api(&web, &reader, "GET", "/orgs/2799999999/evaluations", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // An area officer of Gia Bình does not reach an organisation of Vũ Ninh, to read or write.
    let officer = web.token("giabinh", "api").await;
    let (status, _) = api(
        &web,
        &officer,
        "GET",
        &format!("/orgs/{CODE}/evaluations"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = api(
        &web,
        &officer,
        "POST",
        "/evaluations",
        Some(json!({"code": CODE, "year": 2021, "grade": "Khá"})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(versions(&web.db.store, CODE).await.is_empty());
}

#[tokio::test]
async fn a_bad_year_on_the_yearly_figures_is_named_once_and_a_result_is_never_dropped() {
    let db = TestDb::new().await;
    org(&db.store, "HTX", CODE, "15/03/1991").await;
    let dir = tempfile::tempdir().unwrap();
    let file = csv(
        dir.path(),
        "so-lieu-nam.csv",
        &[
            cells("Mã số đăng ký,Năm,Thành viên chính thức,Xếp loại"),
            // Not a year: the registry's check says so, once.
            cells(&format!("{CODE},21,60,Khá")),
            // A year of figures, but before evaluations are kept: refused, not dropped.
            cells(&format!("{CODE},1995,60,Khá")),
        ],
    );
    let report = import_file(&db.store, &file, "t", htx::domain::today(), false)
        .await
        .unwrap();
    let errors: Vec<(usize, &str)> = report
        .errors()
        .iter()
        .map(|e| (e.row, e.column.as_str()))
        .collect();
    assert_eq!(errors, [(2, "Năm"), (3, "Năm")], "{:?}", report.errors());
    assert!(
        report.errors()[1]
            .reason
            .contains("không phải năm đánh giá")
    );
}

#[tokio::test]
async fn the_template_has_the_evaluation_sheet_and_explains_criteria_grades_and_reasons() {
    use htx::domain::codes::Coded;
    use htx::domain::evaluation::{CRITERIA, Exemption, GradeThresholds, points};
    let db = TestDb::new().await;
    let taxonomy = db.store.taxonomy().await.unwrap();
    // A deployment's own thresholds are the ones explained.
    let grades = GradeThresholds {
        good: 8500,
        fair: 7000,
        average: 5000,
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mau.xlsx");
    std::fs::write(
        &path,
        htx::import::template::workbook_for(&taxonomy, "old-27", &grades).unwrap(),
    )
    .unwrap();
    let sheets = htx::import::sheet::read(&path).unwrap();
    let sheet = sheets
        .iter()
        .find(|s| s.name == "Đánh giá, xếp loại")
        .expect("the evaluation sheet");
    assert_eq!(sheet.headings[..3], ["Mã số đăng ký", "Năm", "TC1 Vốn (7)"]);
    let help = sheets.iter().find(|s| s.name == "Hướng dẫn").unwrap();
    let lines: Vec<String> = help
        .rows
        .iter()
        .map(|(_, cells)| cells.join(" | "))
        .collect();
    let has = |text: &str| lines.iter().any(|l| l.contains(text));
    for c in &CRITERIA {
        let line = format!(
            "Tiêu chí {} (cột TC{}) | {} | {} điểm",
            c.number,
            c.number,
            c.name_vi,
            points(c.max)
        );
        assert!(has(&line), "{line}\n{lines:#?}");
    }
    assert!(
        has("I. Nhóm tiêu chí về tài chính |  | 30 điểm"),
        "{lines:#?}"
    );
    assert!(has("Tốt | từ 85 điểm trở lên"), "{lines:#?}");
    assert!(has("Khá | từ 70 điểm đến dưới 85 điểm"), "{lines:#?}");
    assert!(has("Yếu | dưới 50 điểm"), "{lines:#?}");
    for reason in Exemption::ALL {
        assert!(has(reason.name_vi()), "{}", reason.name_vi());
    }
    // The empty template imports nothing and is recognised sheet by sheet.
    let report = import_file(&db.store, &path, "t", htx::domain::today(), false)
        .await
        .unwrap();
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    assert!(report.plan.ignored_sheets.is_empty());
}

/// Decision 167 chooses new-type models among the HTX graded Tốt: importing the stages of a
/// programme says each organisation's latest grade, and warns of a selection without a Tốt
/// grade — in the import's report, on the command line and in the API — without refusing.
#[tokio::test]
async fn importing_programme_stages_says_the_latest_grade_and_warns_of_a_selection_not_graded_good()
{
    use htx::app::evaluations::{EvaluationInput, evaluate};
    use htx::app::programmes::{ProgrammeInput, set_programme};
    let web = Web::with(TestDb::new().await, ServeConfig::default()).await;
    let store = &web.db.store;
    org(store, "HTX", CODE, "01/03/2015").await;
    evaluate(
        store,
        &EvaluationInput {
            code: CODE.into(),
            year: "2021".into(),
            total: "70".into(),
            grade: "Khá".into(),
            ..Default::default()
        },
        "t",
    )
    .await
    .unwrap();
    set_programme(
        store,
        &ProgrammeInput {
            code: "QD167".into(),
            name: "Mô hình HTX kiểu mới".into(),
            decision: "167/QĐ-TTg".into(),
        },
        "t",
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = csv(
        dir.path(),
        "tham-gia.csv",
        &[
            cells("Mã chương trình,Mã số đăng ký,Bước,Ngày,Ghi chú"),
            cells(&format!("QD167,{CODE},đề xuất,10/02/2022,")),
            cells(&format!("QD167,{CODE},lựa chọn,25/03/2022,")),
        ],
    );
    let report = import_file(store, &file, "t", htx::domain::today(), true)
        .await
        .unwrap();
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    let notices: Vec<(usize, String)> = report
        .notices
        .iter()
        .map(|n| (n.row, n.reason.clone()))
        .collect();
    assert_eq!(
        notices,
        [
            (
                2,
                format!("{CODE} đề xuất: xếp loại gần nhất: Khá (năm 2021)")
            ),
            (
                3,
                format!(
                    "{CODE} được lựa chọn nhưng xếp loại gần nhất: Khá (năm 2021), không phải loại Tốt (Quyết định 167 chọn trong các HTX xếp loại Tốt)"
                )
            ),
        ]
    );

    // The API's dry run says the same.
    let token = web.token("canbo", "t").await;
    let r = web
        .send(
            Request::post("/api/v1/imports?filename=tham-gia.csv&dry_run=true")
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::from(std::fs::read(&file).unwrap()))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let json: Value = serde_json::from_str(&r.body).unwrap();
    let notices = json["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 2);
    assert_eq!(notices[1]["row"], 3);
    assert!(
        notices[1]["reason"]
            .as_str()
            .unwrap()
            .contains("không phải loại Tốt")
    );

    // The command line prints them with what it wrote.
    let out = htx(&web.db.url, &["import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("Lưu ý (2):"), "{said}");
    assert!(said.contains("không phải loại Tốt"), "{said}");
}
