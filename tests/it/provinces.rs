//! One province's small registry through the real entrance, reported for a span of months:
//! Nghệ An after the 2025 reform, its workbook with every kind of organisation, yearly
//! figures with blanks, founding members, the fund's charter capital and loans to an HTX, a
//! THT and a member. Every figure the report computes is checked in the JSON, and the prose
//! is checked to state it (or, for a figure nobody gave, not to).

use crate::support::{LOAN_HEADINGS, TestDb, d, sheet};
use htx::domain::period::Period;
use htx::import::import_file;
use htx::report::figures::{ReportRequest, build};
use serde_json::{Value, json};

fn workbook(path: &std::path::Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    // The fund's sheets first: they name organisations the Tổ chức sheet registers.
    sheet(
        &mut book,
        "Khoản vay",
        &LOAN_HEADINGS,
        &[
            &[
                "01/2026/HĐ",
                "NA1",
                "HTX",
                "",
                "500.000.000",
                "6,6",
                "36",
                "10/03/2026",
                "1/QĐ-QHT",
                "05/03/2026",
                "Mua máy sấy lúa",
                "800.000.000",
                "300.000.000",
            ],
            &[
                "02/2026/HĐ",
                "NA5",
                "THT",
                "",
                "200.000.000",
                "6,6",
                "24",
                "10/03/2026",
                "2/QĐ-QHT",
                "05/03/2026",
                "Nhà lưới",
                "300.000.000",
                "100.000.000",
            ],
            &[
                "03/2026/HĐ",
                "NA1",
                "thành viên",
                "Trần Văn Nam",
                "100.000.000",
                "6,6",
                "24",
                "12/03/2026",
                "3/QĐ-QHT",
                "05/03/2026",
                "Chăn nuôi bò",
                "150.000.000",
                "50.000.000",
            ],
        ],
    );
    sheet(
        &mut book,
        "Giao dịch vay",
        &[
            "Số hợp đồng",
            "Loại giao dịch",
            "Ngày giao dịch",
            "Số tiền (đồng)",
        ],
        &[
            &["01/2026/HĐ", "giải ngân", "15/03/2026", "500.000.000"],
            &["02/2026/HĐ", "giải ngân", "15/03/2026", "200.000.000"],
            &["03/2026/HĐ", "giải ngân", "16/03/2026", "100.000.000"],
            &["02/2026/HĐ", "thu nợ gốc", "30/04/2026", "50.000.000"],
        ],
    );
    sheet(
        &mut book,
        "Vốn điều lệ Quỹ",
        &["Ngày", "Số tiền (đồng)", "Nguồn", "Căn cứ"],
        &[
            &[
                "01/06/2015",
                "20.000.000.000",
                "Ngân sách tỉnh",
                "QĐ 1500/QĐ-UBND",
            ],
            &["02/01/2024", "10.000.000.000", "Ngân sách tỉnh bổ sung", ""],
        ],
    );
    sheet(
        &mut book,
        "Số liệu năm",
        &[
            "Mã số đăng ký",
            "Năm",
            "Thành viên chính thức",
            "Thành viên liên kết",
            "Lao động thường xuyên",
            "Lao động thời vụ",
            "Vốn điều lệ (đồng)",
            "Vốn hoạt động (đồng)",
            "Doanh thu (đồng)",
            "Lợi nhuận (đồng)",
            "Thu nhập bình quân (đồng/người/năm)",
            "Người lập biểu",
        ],
        &[
            &[
                "NA1",
                "2025",
                "100",
                "20",
                "10",
                "30",
                "2.000.000.000",
                "3.500.000.000",
                "5.000.000.000",
                "300.000.000",
                "60.000.000",
                "Lê Thị Hoa",
            ],
            &["NA2", "2025", "15", "", "4", "", "", "", "", "", "", ""],
            &[
                "NA3",
                "2025",
                "900",
                "",
                "",
                "",
                "1.200.000.000",
                "",
                "",
                "",
                "",
                "",
            ],
            &["NA5", "2025", "9", "", "", "5", "", "", "", "", "", ""],
        ],
    );
    sheet(
        &mut book,
        "Tổ chức",
        &[
            "Mã số đăng ký",
            "Loại hình",
            "Tên tổ chức",
            "Ngày thành lập",
            "Mã xã",
            "Lĩnh vực",
            "Số thành viên khi thành lập",
        ],
        &[
            &[
                "NA1",
                "HTX",
                "HTX Nông nghiệp Thành Vinh",
                "10/03/2018",
                "16681",
                "agri_services",
                "20",
            ],
            &[
                "NA2",
                "HTX",
                "HTX Thương mại Trường Vinh",
                "12/04/2019",
                "16690",
                "trade",
                "",
            ],
            &[
                "NA3",
                "QTDND",
                "Quỹ tín dụng nhân dân Vinh Phú",
                "01/01/2015",
                "16702",
                "credit",
                "",
            ],
            &[
                "NA4",
                "LHHTX",
                "Liên hiệp HTX Nghệ An",
                "01/06/2020",
                "16681",
                "industry_handicraft",
                "",
            ],
            &[
                "NA5",
                "THT",
                "Tổ hợp tác rau Trường Vinh",
                "05/05/2021",
                "16690",
                "agri_specialised",
                "8",
            ],
            &[
                "NA6",
                "THT",
                "Tổ hợp tác buôn bán Vinh Phú",
                "05/05/2022",
                "16702",
                "trade",
                "",
            ],
            &[
                "NA7",
                "HTX",
                "HTX Dịch vụ nông nghiệp Vinh Phú",
                "15/03/2026",
                "16702",
                "agri_services",
                "12",
            ],
            &[
                "NA8",
                "HTX",
                "HTX Vận tải Thành Vinh",
                "20/04/2026",
                "16681",
                "transport",
                "",
            ],
        ],
    );
    book.save(path).unwrap();
}

#[tokio::test]
async fn a_nghe_an_registry_for_four_months_says_every_figure_it_holds() {
    let db = TestDb::new().await;
    db.store
        .set_deployment(
            &htx::store::settings::Deployment {
                area: "new-40".into(),
                issuing_body: "Liên minh HTX tỉnh Nghệ An".into(),
                ..Default::default()
            },
            "t",
        )
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nghe-an.xlsx");
    workbook(&path);
    let report = import_file(&db.store, &path, "t", d("2026-06-01"), false)
        .await
        .unwrap();
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    // The column that matches nothing is named, not silently dropped.
    let notices: Vec<String> = report.notices.iter().map(|n| n.to_string()).collect();
    assert!(
        notices
            .iter()
            .any(|n| n.contains("Số liệu năm") && n.contains("Người lập biểu")),
        "{notices:?}"
    );

    let figures = build(
        &db.store,
        &ReportRequest::of(Period::parse("2026-02..2026-05").unwrap()),
    )
    .await
    .unwrap();
    let json = serde_json::to_value(&figures).unwrap();
    let md = htx::report::markdown::render(&figures, None).unwrap();
    let r = &json["registry"];
    // Point 1 and 2: the registry and the latest known members.
    assert_eq!(
        r["htx"]["total"],
        json!({"end": 5, "baseline": 3, "change": 2})
    );
    assert_eq!(r["htx"]["founded"]["count"], 2);
    assert_eq!(r["lhhtx"]["total"]["end"], 1);
    assert_eq!(r["tht"]["total"]["end"], 2);
    let m = &r["members"];
    let expect = |m: &Value, key: &str, v: Value| assert_eq!(m[key], v, "{key}: {m:#}");
    expect(m, "year", json!(2025));
    expect(m, "organisations_reporting", json!(3));
    expect(m, "founding_reporting", json!(1));
    expect(m, "official_members", json!(1015));
    expect(m, "associate_members", json!(20));
    expect(m, "founding_members", json!(12));
    expect(m, "total_members", json!(1047));
    expect(m, "workers", json!(14));
    expect(m, "seasonal_workers", json!(30));
    expect(m, "charter_capital", json!(3_200_000_000_i64));
    expect(m, "operating_capital", json!(3_500_000_000_i64));
    expect(m, "revenue", json!(5_000_000_000_i64));
    expect(m, "profit", json!(300_000_000));
    expect(m, "average_income", json!(60_000_000));
    let t = &r["tht_members"];
    expect(t, "organisations_reporting", json!(1));
    expect(t, "official_members", json!(9));
    expect(t, "seasonal_workers", json!(5));
    expect(t, "workers", json!(0));
    // Point 5: the fund, by kind of borrower, and its charter capital.
    let f = &json["fund"];
    assert_eq!(f["disbursed"]["amount"], 800_000_000);
    assert_eq!(f["outstanding"]["amount"], 750_000_000);
    assert_eq!(f["charter_capital"], 30_000_000_000_i64);
    assert_eq!(
        f["charter_capital_at_founding"]["amount"],
        20_000_000_000_i64
    );

    for said in [
        // The period as the heading of its sentences.
        "Từ tháng 02 đến tháng 05 năm 2026",
        "đã thành lập mới 02 HTX",
        "tổng số HTX toàn tỉnh tính đến ngày 31/05/2026 là 05 HTX, tăng 02 HTX so với năm 2025 (03 HTX)",
        "Trong 05 HTX hiện có, 02 HTX hoạt động trong lĩnh vực nông nghiệp, tăng 01 HTX so với năm 2025 (01 HTX), chiếm 40%",
        "HTX nông nghiệp có 132 thành viên và 10 lao động thường xuyên; HTX phi nông nghiệp có 15 thành viên và 4 lao động thường xuyên; quỹ tín dụng nhân dân có 900 thành viên",
        "toàn tỉnh có 01 liên hiệp hợp tác xã, không tăng so với năm 2025",
        "toàn tỉnh có 02 tổ hợp tác (THT), không tăng so với năm 2025, trong đó 01 THT thương mại (chiếm 50%); còn lại là 01 THT nông nghiệp (chiếm 50%)",
        "Theo số liệu năm 2025 của 03 tổ chức và số thành viên khi thành lập của 01 tổ chức chưa có số liệu năm",
        "tổng số thành viên là 1.047 (trong đó 1.015 thành viên chính thức (số liệu của 03 tổ chức), 20 thành viên liên kết (số liệu của 01 tổ chức) và 12 thành viên khi thành lập)",
        "số lao động thường xuyên là 14 người (số liệu của 02 tổ chức)",
        "số lao động thời vụ là 30 người (số liệu của 01 tổ chức)",
        "tổng vốn điều lệ 3 tỷ 200 triệu đồng (số liệu của 02 tổ chức)",
        "tổng vốn hoạt động 3 tỷ 500 triệu đồng (số liệu của 01 tổ chức)",
        "tổng doanh thu 5 tỷ đồng (số liệu của 01 tổ chức)",
        "lợi nhuận 300 triệu đồng (số liệu của 01 tổ chức)",
        "thu nhập bình quân của người lao động khoảng 60 triệu đồng/người/năm (số liệu của 01 tổ chức)",
        "Theo số liệu năm 2025 của 01 THT, số thành viên chính thức là 9; số lao động thời vụ là 5 người",
        "giải ngân 800 triệu đồng cho 01 HTX (500 triệu đồng), 01 THT (200 triệu đồng) và 01 thành viên HTX, THT vay cá nhân (100 triệu đồng)",
        "dư nợ là 750 triệu đồng với 01 HTX, 01 THT và 01 thành viên HTX, THT vay cá nhân vay vốn, tăng 750 triệu đồng so với năm 2025. Quỹ không có nợ quá hạn.",
        "| Phường Thành Vinh | 0 | 2 | 1 | 1 | 0 | 1 | 1 | 0 |",
        "Vốn điều lệ của Quỹ là 30 tỷ đồng (khi thành lập ngày 01/06/2015: 20 tỷ đồng)",
    ] {
        assert!(md.contains(said), "not said: {said}\n{md}");
    }
    // Figures nobody gave are not said: no THT workers, no revenue of THT, no "0".
    for unsaid in [" 0 người", "doanh thu 0", "là 0 ", " 0 đồng"] {
        assert!(!md.contains(unsaid), "said: {unsaid}\n{md}");
    }
}
