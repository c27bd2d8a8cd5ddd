//! Reporting groups a deployment defines ("công thương" = công nghiệp - tiểu thủ công nghiệp
//! and thương mại), from the Nhóm báo cáo sheet, the command line and the administration
//! page, counted in the report's JSON, prose and annex. The registry is a small one of Hà Tĩnh
//! (before the 2025 reform), reported for the whole year 2023.

use crate::support::{TestDb, htx, sheet};
use crate::web_harness::Web;
use htx::domain::period::Period;
use htx::import::import_file;
use htx::report::figures::{ReportRequest, build};
use htx::web::config::ServeConfig;
use serde_json::Value;

const ORGS: [&str; 6] = [
    "Mã số đăng ký",
    "Loại hình",
    "Tên tổ chức",
    "Ngày thành lập",
    "Mã xã",
    "Lĩnh vực",
];
const FIGURES: [&str; 4] = [
    "Mã số đăng ký",
    "Năm",
    "Thành viên chính thức",
    "Lao động thường xuyên",
];
const GROUPS: [&str; 4] = ["Mã nhóm", "Tên nhóm", "Tên tiếng Anh", "Các lĩnh vực"];

/// Nine HTX and two THT in the city of Hà Tĩnh: 3 in industry and handicraft, 2 in trade,
/// 1 in transport, 3 in agricultural services; a THT in trade and one in farming.
fn ha_tinh(path: &std::path::Path, groups: &[&[&str]]) {
    let org = |code: &'static str, kind: &'static str, sector: &'static str| -> [&'static str; 6] {
        [
            code,
            kind,
            "Hợp tác xã Hà Tĩnh",
            "12/03/2018",
            "18073",
            sector,
        ]
    };
    let rows = [
        org("HT1", "HTX", "industry_handicraft"),
        org("HT2", "HTX", "industry_handicraft"),
        org("HT3", "HTX", "Công nghiệp - tiểu thủ công nghiệp"),
        org("HT4", "HTX", "trade"),
        org("HT5", "HTX", "Thương mại - dịch vụ"),
        org("HT6", "HTX", "transport"),
        org("HT7", "HTX", "agri_services"),
        org("HT8", "HTX", "agri_services"),
        org("HT9", "HTX", "agri_services"),
        org("HT10", "THT", "trade"),
        org("HT11", "THT", "agri_specialised"),
    ];
    let rows: Vec<&[&str]> = rows.iter().map(|r| r.as_slice()).collect();
    let mut book = rust_xlsxwriter::Workbook::new();
    // The groups come first: sheets may be in any order.
    sheet(&mut book, "Nhóm báo cáo", &GROUPS, groups);
    sheet(&mut book, "Tổ chức", &ORGS, &rows);
    sheet(
        &mut book,
        "Số liệu năm",
        &FIGURES,
        &[
            &["HT1", "2023", "10", "4"],
            &["HT4", "2023", "20", ""],
            &["HT7", "2023", "100", "7"],
        ],
    );
    book.save(path).unwrap();
}

async fn ha_tinh_db() -> TestDb {
    TestDb::in_area("old-42").await
}

fn part<'a>(parts: &'a Value, code: &str) -> &'a Value {
    parts
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == code)
        .unwrap_or_else(|| panic!("no part {code} in {parts:#}"))
}

#[tokio::test]
async fn a_reporting_group_from_the_sheet_is_counted_in_the_json_the_prose_and_the_annex() {
    let db = ha_tinh_db().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ha-tinh.xlsx");
    ha_tinh(
        &file,
        &[&[
            "cong_thuong",
            "công thương",
            "industry and trade",
            "Công nghiệp - tiểu thủ công nghiệp; Thương mại - dịch vụ",
        ]],
    );
    let today = time::macros::date!(2024 - 02 - 01);
    let report = import_file(&db.store, &file, "t", today, false)
        .await
        .unwrap();
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    assert_eq!(report.written.as_ref().unwrap().reporting_groups, 1);
    // The same file again changes nothing.
    let again = import_file(&db.store, &file, "t", today, true)
        .await
        .unwrap();
    assert!(again.groups.groups.is_empty() && again.groups.unchanged == 1);
    // Also when the fields are named in another order than the report's (transport comes
    // before construction in the taxonomy, after it by code).
    ha_tinh(
        &file,
        &[&[
            "van_tai",
            "vận tải, xây dựng",
            "",
            "Giao thông vận tải; Xây dựng",
        ]],
    );
    import_file(&db.store, &file, "t", today, false)
        .await
        .unwrap();
    let again = import_file(&db.store, &file, "t", today, true)
        .await
        .unwrap();
    assert!(
        again.groups.groups.is_empty() && again.groups.unchanged == 1,
        "{:?}",
        again.groups
    );
    // Defining it changed the report: set it aside again for the checks below.
    db.store
        .remove_reporting_group("van_tai", "t")
        .await
        .unwrap();

    let figures = build(&db.store, &ReportRequest::of(Period::year(2023)))
        .await
        .unwrap();
    let json = serde_json::to_value(&figures).unwrap();
    let htx = &json["registry"]["htx"]["by_reporting_group"];
    let codes: Vec<&str> = htx
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    // Where their first field stands: agricultural services, then the group, then transport.
    assert_eq!(codes, ["agri_services", "cong_thuong", "transport"]);
    assert_eq!(part(htx, "cong_thuong")["end"], 5);
    assert_eq!(part(htx, "cong_thuong")["share_pct"], 55.6);
    let shares: f64 = htx
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["share_pct"].as_f64().unwrap())
        .sum();
    assert!((shares - 100.0).abs() < 0.2, "{shares}");
    let members = &json["registry"]["members"]["by_reporting_group"];
    assert_eq!(part(members, "cong_thuong")["total_members"], 30);
    assert_eq!(part(members, "cong_thuong")["workers"], 4);
    assert_eq!(part(members, "agri_services")["total_members"], 100);
    let tht = &json["registry"]["tht"]["by_reporting_group"];
    assert_eq!(part(tht, "cong_thuong")["end"], 1);

    let md = htx::report::markdown::render(&figures, None).unwrap();
    for said in [
        "03 HTX hoạt động trong lĩnh vực dịch vụ nông nghiệp",
        "05 HTX hoạt động trong lĩnh vực công thương",
        "chiếm 55,6%",
        "01 HTX hoạt động trong lĩnh vực vận tải",
        "01 THT công thương (chiếm 50%)",
        "HTX công thương có 30 thành viên và 4 lao động thường xuyên",
        "HTX dịch vụ nông nghiệp có 100 thành viên và 7 lao động thường xuyên",
    ] {
        assert!(md.contains(said), "{said}\n{md}");
    }
    // The groups take the place of the three in the prose (the area table keeps them).
    assert!(!md.contains("lĩnh vực phi nông nghiệp"), "{md}");

    use calamine::Reader;
    let xlsx = htx::report::xlsx::render(&figures).unwrap();
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(xlsx)).unwrap();
    let fields = book.worksheet_range("Theo lĩnh vực").unwrap();
    let row = fields
        .rows()
        .find(|r| r[0] == "HTX" && r[1] == "Nhóm công thương")
        .expect("the group's line");
    assert_eq!(row[2].to_string(), "5");
    let members = book.worksheet_range("Thành viên, lao động, vốn").unwrap();
    let row = members
        .rows()
        .find(|r| r[0] == "HTX, LHHTX, QTDND" && r[1] == "Nhóm công thương")
        .expect("the group's line");
    assert_eq!(row[4].to_string(), "30");
}

#[tokio::test]
async fn a_bad_group_row_names_its_column_and_nothing_of_the_file_is_written() {
    let db = ha_tinh_db().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ha-tinh.xlsx");
    ha_tinh(
        &file,
        &[
            &[
                "cong_thuong",
                "công thương",
                "",
                "industry_handicraft; trade",
            ],
            &["thuong mai", "thương mại", "", "trade; du lịch"],
        ],
    );
    let report = import_file(
        &db.store,
        &file,
        "t",
        time::macros::date!(2024 - 02 - 01),
        false,
    )
    .await
    .unwrap();
    let errors: Vec<String> = report.errors().iter().map(|e| e.to_string()).collect();
    let said = errors.join("\n");
    assert!(
        said.contains("sheet \"Nhóm báo cáo\", dòng 3, cột \"Mã nhóm\""),
        "{said}"
    );
    assert!(said.contains("đã thuộc nhóm \"công thương\""), "{said}");
    assert!(said.contains("\"du lịch\""), "{said}");
    assert!(report.written.is_none());
    assert!(db.store.org_by_code("HT1").await.unwrap().is_none());
    assert!(db.store.reporting_groups().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_command_line_and_the_administration_page_define_and_remove_groups() {
    let db = ha_tinh_db().await;
    let out = htx(
        &db.url,
        &[
            "sector",
            "group",
            "set",
            "--code",
            "cong_thuong",
            "--name",
            "công thương",
            "--fields",
            "industry_handicraft; thuong mai",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = htx(
        &db.url,
        &[
            "sector", "group", "set", "--code", "ct2", "--name", "x", "--fields", "trade",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("fields") && err.contains("đã thuộc nhóm \"công thương\""),
        "{err}"
    );
    let listed = htx(&db.url, &["sector", "group", "list"]);
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.contains("cong_thuong") && listed.contains("Thương mại - dịch vụ"),
        "{listed}"
    );

    let web = Web::with(db, ServeConfig::default()).await;
    let admin = web.login("quantri").await;
    let page = web.get("/admin", Some(&admin)).await;
    assert!(
        page.body
            .contains("Công nghiệp - tiểu thủ công nghiệp; Thương mại - dịch vụ")
    );
    // A field already grouped is refused next to the field, the values kept.
    let refused = web
        .submit(
            "/admin/reporting-groups",
            &admin,
            &[
                ("code", "van_tai"),
                ("name_vi", "vận tải, xây dựng"),
                ("fields", "transport; trade"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("đã thuộc nhóm"), "{}", refused.body);
    assert!(refused.body.contains("vận tải, xây dựng"));
    let saved = web
        .submit(
            "/admin/reporting-groups",
            &admin,
            &[
                ("code", "van_tai"),
                ("name_vi", "vận tải, xây dựng"),
                ("fields", "transport; construction"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let groups = web.db.store.reporting_groups().await.unwrap();
    assert_eq!(groups.len(), 2);
    let removed = web
        .submit(
            "/admin/reporting-groups/remove",
            &admin,
            &[("code", "cong_thuong")],
        )
        .await;
    assert_eq!(removed.status, 303);
    let groups = web.db.store.reporting_groups().await.unwrap();
    assert_eq!(
        groups.iter().map(|g| g.code.as_str()).collect::<Vec<_>>(),
        ["van_tai"]
    );
    let audit = web.get("/audit", Some(&admin)).await;
    assert!(audit.body.contains("van_tai"), "{}", audit.body);

    // The API: the same check (the field already grouped named), then a group saved and listed.
    let token = web.token("quantri", "api").await;
    let problems = web
        .api_problems(
            &token,
            "/reporting-groups",
            serde_json::json!({"code": "xd", "name_vi": "xây dựng", "fields": "construction"}),
        )
        .await;
    assert!(
        problems
            .iter()
            .any(|(f, r)| f == "fields" && r.contains("đã thuộc nhóm \"vận tải, xây dựng\"")),
        "{problems:?}"
    );
    let send = |method: &str, body: Option<serde_json::Value>| {
        axum::http::Request::builder()
            .method(method)
            .uri("/api/v1/reporting-groups")
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(axum::body::Body::from(
                body.map(|b| b.to_string()).unwrap_or_default(),
            ))
            .unwrap()
    };
    let saved = web
        .send(send(
            "POST",
            Some(
                serde_json::json!({"code": "cong_thuong", "name_vi": "công thương",
                "fields": "industry_handicraft; trade"}),
            ),
        ))
        .await;
    assert_eq!(saved.status, 201, "{}", saved.body);
    let listed = web.send(send("GET", None)).await;
    let listed: Value = serde_json::from_str(&listed.body).unwrap();
    let codes: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["cong_thuong", "van_tai"], "{listed:#}");
}
