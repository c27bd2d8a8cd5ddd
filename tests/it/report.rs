//! The demo's 2022-H1 report: the seed's registry statements, snapshots, documents.

use crate::support::TestDb;
use htx::domain::period::Period;
use htx::report::{self, Format, figures::ReportRequest};
use std::io::Read;

fn request(period: &str) -> ReportRequest {
    ReportRequest {
        period: Period::parse(period).unwrap(),
        area: None,
        compare_same_period: false,
        current_units: false,
        include_fund: true,
    }
}

async fn render(db: &TestDb, req: &ReportRequest, format: Format) -> Vec<u8> {
    report::produce(&db.store, req, format, None, htx::demo::SEED_REPORT_DATE)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_demo_half_year_figures_are_the_seeds() {
    let db = TestDb::demo().await;
    let f = report::figures::build(&db.store, &request("2022-H1"))
        .await
        .unwrap();
    let r = &f.registry;
    assert_eq!((r.tht.total.end, r.tht.total.baseline), (223, 223));
    assert_eq!(
        (r.htx.total.baseline, r.htx.total.end, r.htx.total.change),
        (666, 678, 12)
    );
    assert_eq!(r.htx.founded.count, 13);
    let founded: Vec<(String, i64)> = r
        .htx
        .founded
        .by_field
        .iter()
        .map(|f| (f.code.clone(), f.count))
        .collect();
    assert_eq!(
        founded,
        [
            ("agri_specialised".into(), 9),
            ("agri_services".into(), 1),
            ("trade".into(), 3)
        ]
    );
    assert_eq!((r.htx.ceased.count, r.htx.dissolved.count), (1, 1));
    let groups: Vec<(String, i64, i64, Option<f64>)> = r
        .htx
        .by_group
        .iter()
        .map(|g| (g.code.clone(), g.baseline, g.end, g.share_pct))
        .collect();
    assert_eq!(
        groups,
        [
            ("agriculture".into(), 528, 538, Some(79.4)),
            ("non_agriculture".into(), 112, 114, Some(16.8)),
            ("credit".into(), 26, 26, Some(3.8)),
        ]
    );
    let env = r
        .tht
        .by_field
        .iter()
        .find(|s| s.code == "environment")
        .unwrap();
    assert_eq!((env.end, env.share_pct), (3, Some(1.3)));
    assert_eq!(r.by_area.rows.len(), 8, "eight district units in 2022");
    assert_eq!(r.by_area.total.htx, 678);
}

#[tokio::test]
async fn the_demo_report_json_matches_its_snapshot() {
    let db = TestDb::demo().await;
    let json = String::from_utf8(render(&db, &request("2022-H1"), Format::Json).await).unwrap();
    insta::assert_snapshot!("demo_2022_h1_json", json);
}

#[tokio::test]
async fn the_demo_report_markdown_matches_its_snapshot_and_reads_like_the_seed() {
    let db = TestDb::demo().await;
    let md = String::from_utf8(render(&db, &request("2022-H1"), Format::Markdown).await).unwrap();
    for sentence in [
        "toàn tỉnh có 223 tổ hợp tác (THT), không tăng so với năm 2021",
        "03 THT vệ sinh môi trường (chiếm 1,3%)",
        "thành lập mới 13 HTX (09 HTX chuyên ngành nông nghiệp, 01 HTX dịch vụ nông nghiệp, 03 HTX thương mại); 01 HTX ngừng hoạt động; 01 HTX giải thể",
        "là 678 HTX, tăng 12 HTX so với năm 2021 (666 HTX)",
        "538 HTX hoạt động trong lĩnh vực nông nghiệp, tăng 10 HTX so với năm 2021 (528 HTX), chiếm 79,4%",
        "114 HTX hoạt động trong lĩnh vực phi nông nghiệp, tăng 02 HTX so với năm 2021 (112 HTX), chiếm 16,8%",
        "26 quỹ tín dụng nhân dân, không tăng so với năm 2021, chiếm 3,8%",
    ] {
        assert!(md.contains(sentence), "missing: {sentence}\n{md}");
    }
    insta::assert_snapshot!("demo_2022_h1_markdown", md);
}

/// A section's number and the numbers of its parts.
type Numbered = (String, Vec<String>);

/// The numbers of a report's headings, and the heading above each table's first line.
fn outline(md: &str) -> (Vec<Numbered>, Vec<(String, String)>) {
    let mut sections: Vec<Numbered> = Vec::new();
    let mut tables = Vec::new();
    let mut heading = String::new();
    let mut in_table = false;
    for line in md.lines() {
        let number = |h: &str| h.split('.').next().unwrap_or_default().to_string();
        if let Some(h) = line.strip_prefix("# ") {
            sections.push((number(h), Vec::new()));
            heading = h.to_string();
        } else if let Some(h) = line.strip_prefix("## ") {
            if let Some(s) = sections.last_mut() {
                s.1.push(number(h));
            }
            heading = h.to_string();
        }
        let table = line.starts_with('|');
        if table && !in_table {
            tables.push((heading.clone(), line.to_string()));
        }
        in_table = table;
    }
    (sections, tables)
}

#[tokio::test]
async fn sections_are_numbered_in_order_and_the_plan_table_has_its_own() {
    let db = TestDb::demo().await;
    let roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];
    let mut plan_tables = 0;
    for (period, area) in [
        ("2022-H1", None),
        ("2022-Q2", None),
        ("2022-01..2022-04", None),
        ("2022", None),
        ("2022-H1", Some("old-263")),
    ] {
        let mut req = request(period);
        req.area = area.map(String::from);
        let md = String::from_utf8(render(&db, &req, Format::Markdown).await).unwrap();
        let (sections, tables) = outline(&md);
        assert!(sections.len() >= 2, "{period}: {md}");
        for (i, (number, parts)) in sections.iter().enumerate() {
            assert_eq!(number, roman[i], "{period}: section {i}\n{md}");
            let expected: Vec<String> = (1..=parts.len()).map(|n| n.to_string()).collect();
            assert_eq!(parts, &expected, "{period}: parts of {number}\n{md}");
        }
        for (heading, first_line) in tables {
            if first_line.starts_with("| Chỉ tiêu |") {
                plan_tables += 1;
                assert!(
                    heading.ends_with(". KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KẾ HOẠCH"),
                    "{period}: the plan table under {heading:?}"
                );
            }
        }
    }
    assert!(plan_tables > 0, "the demo has plans");
}

#[tokio::test]
async fn the_docx_report_is_an_official_document_with_the_figures() {
    let db = TestDb::demo().await;
    let bytes = render(&db, &request("2022-H1"), Format::Docx).await;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip package");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    for text in [
        "LIÊN MINH HTX TỈNH BẮC NINH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Bắc Ninh, ngày 08 tháng 7 năm 2022",
        "BÁO CÁO",
        "/BC-LMHTX",
        "678 HTX",
        "79,4%",
        "Nơi nhận:",
        "Times New Roman",
        "w:titlePg",
    ] {
        assert!(xml.contains(text), "document.xml lacks {text}");
    }
    assert!(xml.contains("w:w=\"11906\""), "A4 width");
    assert!(xml.contains("<w:tbl>"), "area table");
    let headers: Vec<String> = zip
        .file_names()
        .filter(|n| n.starts_with("word/header"))
        .map(String::from)
        .collect();
    assert!(!headers.is_empty(), "page-number header");
}

#[tokio::test]
async fn the_xlsx_annex_holds_the_area_table() {
    let db = TestDb::demo().await;
    let bytes = render(&db, &request("2022-H1"), Format::Xlsx).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.xlsx");
    std::fs::write(&path, bytes).unwrap();
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(&path).unwrap();
    let areas = book.worksheet_range("Theo địa bàn").unwrap();
    let last = areas.rows().next_back().unwrap();
    assert_eq!(last[0].to_string(), "Tổng cộng");
    assert_eq!(last[2].to_string(), "678");
    let work = book.worksheet_range("Hoạt động Liên minh").unwrap();
    let training = work.rows().find(|r| r[0] == "Lớp tập huấn").unwrap();
    assert_eq!(training[1].to_string(), "4");
    // The activities' days are date cells, which a spreadsheet sorts and filters as dates.
    let dated = work
        .rows()
        .skip_while(|r| r[0] != "Hoạt động")
        .nth(1)
        .expect("an activity");
    assert!(
        matches!(dated[1], calamine::Data::DateTime(_)),
        "{:?}",
        dated[1]
    );
    assert!(book.worksheet_range("Quỹ hỗ trợ").is_ok());
    assert!(book.worksheet_range("Chỉ tiêu kế hoạch").is_ok());
}

/// A workbook's sheets by name, read from the file as written.
fn sheets(bytes: &[u8]) -> Vec<(String, calamine::Range<calamine::Data>)> {
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let names = book.sheet_names();
    names
        .into_iter()
        .map(|n| {
            let range = book.worksheet_range(&n).unwrap();
            (n, range)
        })
        .collect()
}

fn number(d: &calamine::Data) -> i64 {
    use calamine::DataType;
    d.get_float()
        .or_else(|| d.get_int().map(|i| i as f64))
        .unwrap_or_else(|| panic!("not a number: {d:?}")) as i64
}

#[tokio::test]
async fn every_sheet_of_the_annex_names_the_report_and_freezes_and_filters_its_table() {
    let db = TestDb::demo().await;
    let bytes = render(&db, &request("2022-H1"), Format::Xlsx).await;
    let title = "Phụ lục báo cáo tình hình kinh tế tập thể, hợp tác xã 6 tháng đầu năm 2022 – Tỉnh Bắc Ninh";
    let all = sheets(&bytes);
    assert!(
        all.len() >= 6,
        "{:?}",
        all.iter().map(|s| &s.0).collect::<Vec<_>>()
    );
    for (name, range) in &all {
        assert_eq!(range.start(), Some((0, 0)), "{name}");
        assert_eq!(range.get((0, 0)).unwrap().to_string(), title, "{name}");
        assert!(
            !range.get((1, 0)).unwrap().to_string().is_empty(),
            "{name}: a caption"
        );
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    for i in 1..=all.len() {
        let mut xml = String::new();
        zip.by_name(&format!("xl/worksheets/sheet{i}.xml"))
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        let name = &all[i - 1].0;
        assert!(
            xml.contains(r#"ySplit="3""#),
            "{name}: title and headings frozen"
        );
        assert!(
            xml.contains(r#"<autoFilter ref="A3:"#),
            "{name}: a filter on the headings"
        );
    }
}

#[tokio::test]
async fn the_annex_totals_are_the_sums_of_their_rows_and_say_what_is_counted() {
    let db = TestDb::demo().await;
    let all = sheets(&render(&db, &request("2022-H1"), Format::Xlsx).await);
    let sheet = |name: &str| &all.iter().find(|s| s.0 == name).unwrap().1;

    let areas = sheet("Theo địa bàn");
    let rows: Vec<&[calamine::Data]> = areas.rows().skip(3).collect();
    let (total, areas) = rows.split_last().unwrap();
    assert_eq!(total[0].to_string(), "Tổng cộng");
    for col in 1..=8 {
        let sum: i64 = areas.iter().map(|r| number(&r[col])).sum();
        assert_eq!(number(&total[col]), sum, "column {col}");
    }
    assert_eq!(number(&total[2]), 678);

    let fund = sheet("Quỹ hỗ trợ");
    let row = |label: &str| {
        fund.rows()
            .find(|r| r[0] == label)
            .unwrap_or_else(|| panic!("no {label}"))
    };
    // Who owes the overdue debt is not counted: the cell is empty, never "0 bên vay".
    assert!(
        calamine::DataType::is_empty(&row("Nợ quá hạn")[1]),
        "{:?}",
        row("Nợ quá hạn")
    );
    let outstanding = row("Dư nợ tại 30/06/2022");
    // A table of the sheet: the rows after its heading, up to its total.
    let table = |heading: &str| -> Vec<&[calamine::Data]> {
        let mut rows: Vec<&[calamine::Data]> = Vec::new();
        for r in fund.rows().skip_while(|r| r[0] != heading).skip(1) {
            rows.push(r);
            if r[0] == "Tổng cộng" {
                break;
            }
        }
        rows
    };
    let ageing = table("Thời gian quá hạn");
    let (total, buckets) = ageing.split_last().unwrap();
    assert_eq!(total[0].to_string(), "Tổng cộng");
    for col in [2, 3] {
        let sum: i64 = buckets.iter().map(|r| number(&r[col])).sum();
        assert_eq!(number(&total[col]), sum, "ageing column {col}");
        assert_eq!(
            number(&total[col]),
            number(&outstanding[col]),
            "as outstanding"
        );
    }
    // By who borrows: every kind on its row, the totals those of the fund.
    let kinds = table("Loại bên vay");
    let (total, kinds) = kinds.split_last().unwrap();
    assert_eq!(kinds.len(), 4, "{kinds:?}");
    assert_eq!(total[0].to_string(), "Tổng cộng");
    for col in 1..=6 {
        let sum: i64 = kinds.iter().map(|r| number(&r[col])).sum();
        assert_eq!(number(&total[col]), sum, "borrower kind column {col}");
    }
    let disbursed = row("Giải ngân trong kỳ");
    assert_eq!(
        number(&total[1]),
        number(&disbursed[1]),
        "borrowers disbursed"
    );
    assert_eq!(number(&total[2]), number(&disbursed[3]), "amount disbursed");
    assert_eq!(number(&total[5]), number(&outstanding[3]), "outstanding");
    assert_eq!(
        number(&kinds[0][5]),
        24_164_000_000,
        "the demo lends to HTX only"
    );
}

#[tokio::test]
async fn the_annex_and_the_document_head_the_area_table_alike() {
    let db = TestDb::demo().await;
    let md = String::from_utf8(render(&db, &request("2022-H1"), Format::Markdown).await).unwrap();
    let line = md
        .lines()
        .find(|l| l.starts_with("| Huyện"))
        .expect("the area table");
    let document: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
    let all = sheets(&render(&db, &request("2022-H1"), Format::Xlsx).await);
    let areas = &all.iter().find(|s| s.0 == "Theo địa bàn").unwrap().1;
    let annex: Vec<String> = areas
        .rows()
        .nth(2)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .filter(|c| !c.is_empty())
        .collect();
    // The annex always has the LHHTX column, the document when there is one.
    let annex: Vec<&str> = annex
        .iter()
        .map(String::as_str)
        .filter(|c| document.contains(c) || *c != "LHHTX")
        .collect();
    assert_eq!(annex, document);
}

#[tokio::test]
async fn comparing_with_the_same_period_last_year_counts_its_flows() {
    let db = TestDb::demo().await;
    let mut req = request("2022-H1");
    req.compare_same_period = true;
    let f = report::figures::build(&db.store, &req).await.unwrap();
    let same = f.registry.htx.same_period.as_ref().unwrap();
    assert!(same.founded > 0, "the demo founded HTX in H1 2021");
    assert!(same.total_at_end < 678);
    let md = report::markdown::render(&f, None).unwrap();
    assert!(md.contains("Cùng kỳ năm 2021"), "{md}");
}

#[tokio::test]
async fn a_replaced_template_renders_the_same_figures() {
    let db = TestDb::demo().await;
    let f = report::figures::build(&db.store, &request("2022-H1"))
        .await
        .unwrap();
    let md = report::markdown::render(&f, Some("Tổng số HTX: {{ registry.htx.total.end|num }}; nông nghiệp {{ registry.htx.by_group[0].share_pct|pct }}")).unwrap();
    assert_eq!(md, "Tổng số HTX: 678; nông nghiệp 79,4%\n");
}
