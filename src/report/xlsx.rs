//! The report's tables as an XLSX workbook (an annex officials can recompute in Excel).

use crate::domain::plans::Unit;
use crate::domain::report::evaluation::{EvaluationFigures, EvaluationRow};
use crate::domain::report::{Figures, KindFigures};
use crate::domain::text;
use crate::error::{Error, Result};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

fn err(e: XlsxError) -> Error {
    Error::Render(format!("XLSX: {e}"))
}

/// Writes the summary, sector and area tables of the report.
pub fn render(figures: &Figures) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let title = Format::new().set_bold().set_font_size(13);
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
        .set_background_color("#E7E6E6");
    let cell = Format::new().set_border(FormatBorder::Thin);
    let number = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("#,##0");
    let pct = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("0.0");
    let percent = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("0.0%");
    let bold = cell.clone().set_bold();
    let bold_number = number.clone().set_bold();
    let r = &figures.registry;
    let until = text::date(figures.period.end);
    let base = text::date(figures.baseline_date);

    let report = report_title(figures);
    let sheet = titled_sheet(
        &mut book,
        "Tổng hợp",
        &report,
        "Số lượng tổ chức kinh tế tập thể theo loại hình và nhóm lĩnh vực",
        &title,
    )?;
    let headers = [
        "Loại hình / nhóm lĩnh vực",
        &format!("Số lượng tại {until}"),
        &format!("Số lượng tại {base}"),
        "Tăng (+) / giảm (−)",
        "Tỷ trọng (%)",
        "Thành lập mới trong kỳ",
        "Ngừng hoạt động trong kỳ",
        "Giải thể trong kỳ",
    ];
    write_headings(sheet, HEAD_ROW, &headers, &head)?;
    let mut row = HEAD_ROW + 1;
    for (label, k) in [
        ("Tổ hợp tác", &r.tht),
        ("Hợp tác xã (gồm quỹ tín dụng nhân dân)", &r.htx),
        ("Liên hiệp hợp tác xã", &r.lhhtx),
    ] {
        write_kind(sheet, &mut row, label, k, &cell, &number, &pct)?;
    }
    filter_table(sheet, row - 1, 7, 0)?;
    sheet.set_column_width(0, 42).map_err(err)?;
    sheet.set_column_range_width(1, 7, 14).map_err(err)?;

    let sheet = titled_sheet(
        &mut book,
        "Theo lĩnh vực",
        &report,
        "Số lượng tổ chức kinh tế tập thể theo lĩnh vực hoạt động",
        &title,
    )?;
    write_headings(
        sheet,
        HEAD_ROW,
        &[
            "Loại hình",
            "Lĩnh vực",
            &format!("Số lượng tại {until}"),
            &format!("Số lượng tại {base}"),
            "Tăng / giảm",
            "Tỷ trọng (%)",
        ],
        &head,
    )?;
    let mut row = HEAD_ROW + 1;
    for (label, k) in [("THT", &r.tht), ("HTX", &r.htx), ("LHHTX", &r.lhhtx)] {
        // The fields, then the deployment's reporting groups over them (a field in no group
        // is its own line already).
        let groups = k
            .by_reporting_group
            .iter()
            .filter(|g| !k.by_field.iter().any(|f| f.code == g.code))
            .map(|g| (format!("Nhóm {}", g.label), g));
        for (name, f) in k
            .by_field
            .iter()
            .map(|f| (f.label.clone(), f))
            .chain(groups)
        {
            sheet.write_with_format(row, 0, label, &cell).map_err(err)?;
            sheet.write_with_format(row, 1, name, &cell).map_err(err)?;
            sheet
                .write_with_format(row, 2, f.end as f64, &number)
                .map_err(err)?;
            sheet
                .write_with_format(row, 3, f.baseline as f64, &number)
                .map_err(err)?;
            sheet
                .write_with_format(row, 4, f.change as f64, &number)
                .map_err(err)?;
            write_opt(sheet, row, 5, f.share_pct, &pct)?;
            row += 1;
        }
    }
    filter_table(sheet, row - 1, 5, 0)?;
    sheet.set_column_width(1, 36).map_err(err)?;
    sheet.set_column_range_width(2, 5, 14).map_err(err)?;

    let sheet = titled_sheet(
        &mut book,
        "Theo địa bàn",
        &report,
        &format!(
            "Số lượng tổ chức kinh tế tập thể theo địa bàn: số liệu tính đến ngày {until}; thành lập mới và chấm dứt hoạt động trong {}",
            figures.period.label
        ),
        &title,
    )?;
    // The same headings as the document's table.
    write_headings(
        sheet,
        HEAD_ROW,
        &[
            &text::capitalise(&r.by_area.level_label),
            "THT",
            "HTX",
            "HTX nông nghiệp",
            "HTX phi nông nghiệp",
            "QTDND",
            "LHHTX",
            "Thành lập",
            "Chấm dứt",
        ],
        &head,
    )?;
    let area_counts = |a: &crate::domain::report::AreaRow| {
        [
            a.tht,
            a.htx,
            a.agriculture,
            a.non_agriculture,
            a.credit,
            a.lhhtx,
            a.founded,
            a.exits,
        ]
    };
    let first = HEAD_ROW + 1;
    for (i, a) in r.by_area.rows.iter().enumerate() {
        let row = first + i as u32;
        sheet
            .write_with_format(row, 0, &a.name, &cell)
            .map_err(err)?;
        for (c, v) in area_counts(a).into_iter().enumerate() {
            sheet
                .write_with_format(row, c as u16 + 1, v as f64, &number)
                .map_err(err)?;
        }
    }
    let total = first + r.by_area.rows.len() as u32;
    let sums: Vec<i64> = (0..8)
        .map(|c| r.by_area.rows.iter().map(|a| area_counts(a)[c]).sum())
        .collect();
    write_total_row(sheet, total, &sums, 1, &bold, &bold_number)?;
    // The filter covers the areas, not the total under them.
    filter_table(sheet, total - 1, 8, 0)?;
    sheet.set_column_width(0, 32).map_err(err)?;
    sheet.set_column_range_width(1, 8, 12).map_err(err)?;
    if r.members.is_some() || r.tht_members.is_some() {
        write_members(
            &mut book,
            figures,
            (report.as_str(), &title),
            &head,
            &cell,
            &number,
        )?;
    }
    if let Some(e) = &figures.evaluation {
        write_evaluation(&mut book, e, &report, &title, &head, &cell, &number, &pct)?;
    }
    if let Some(f) = &figures.fund {
        let fund_title = (report.as_str(), &title);
        write_fund(
            &mut book, f, fund_title, &until, &base, &head, &cell, &number,
        )?;
    }
    if let Some(a) = &figures.alliance {
        write_alliance(
            &mut book,
            a,
            (report.as_str(), &title),
            &head,
            &cell,
            &number,
        )?;
    }
    if !figures.plans.is_empty() {
        let sheet = titled_sheet(
            &mut book,
            "Chỉ tiêu kế hoạch",
            &report,
            "Kết quả thực hiện các chỉ tiêu kế hoạch",
            &title,
        )?;
        write_headings(
            sheet,
            HEAD_ROW,
            &[
                "Chỉ tiêu",
                "Kế hoạch",
                "Chỉ tiêu kế hoạch",
                &format!("Thực hiện {}", figures.period.label),
                "Đạt (%)",
            ],
            &head,
        )?;
        for (i, p) in figures.plans.iter().enumerate() {
            let row = HEAD_ROW + 1 + i as u32;
            sheet
                .write_with_format(row, 0, &p.name, &cell)
                .map_err(err)?;
            // Capitalised as the document's table has it.
            sheet
                .write_with_format(row, 1, text::capitalise(&p.plan_label), &cell)
                .map_err(err)?;
            // A percentage is written as one (70%), a count or an amount as a number.
            let value = |v: i64| match p.unit {
                Unit::Percent => v as f64 / 1000.0,
                Unit::Count | Unit::Money => v as f64,
            };
            let format = match p.unit {
                Unit::Percent => &percent,
                Unit::Count | Unit::Money => &number,
            };
            sheet
                .write_with_format(row, 2, value(p.target), format)
                .map_err(err)?;
            write_opt(sheet, row, 3, p.actual.map(value), format)?;
            write_opt(
                sheet,
                row,
                4,
                p.achievement_pct,
                &cell.clone().set_num_format("0.0"),
            )?;
        }
        filter_table(sheet, HEAD_ROW + figures.plans.len() as u32, 4, 0)?;
        sheet.set_column_width(0, 36).map_err(err)?;
        sheet.set_column_width(1, 28).map_err(err)?;
        sheet.set_column_range_width(2, 4, 16).map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}

/// The sheet "Thành viên, lao động, vốn": the latest known members, workers and money of
/// THT and of HTX (with LHHTX and QTDND), in total, by sector group and by field. A figure
/// nobody in a row gave is an empty cell, not 0.
fn write_members(
    book: &mut Workbook,
    figures: &Figures,
    (report, title): (&str, &Format),
    head: &Format,
    cell: &Format,
    number: &Format,
) -> Result<()> {
    use crate::domain::report::MemberFigures;
    let sheet = titled_sheet(
        book,
        "Thành viên, lao động, vốn",
        report,
        "Thành viên, lao động và vốn theo số liệu mới nhất của từng tổ chức",
        title,
    )?;
    write_headings(
        sheet,
        HEAD_ROW,
        &[
            "Loại hình",
            "Nhóm, lĩnh vực",
            "Tổ chức có số liệu năm",
            "Tổ chức theo số thành viên khi thành lập",
            "Tổng số thành viên",
            "Lao động thường xuyên",
            "Vốn điều lệ (đồng)",
            "Doanh thu (đồng)",
        ],
        head,
    )?;
    let mut row = HEAD_ROW + 1;
    let mut line = |sheet: &mut Worksheet, kind: &str, part: &str, m: &MemberFigures| {
        let c = &m.reported;
        let given = |n: i64, v: i64| (n > 0).then_some(v as f64);
        let values = [
            Some(m.organisations_reporting as f64),
            Some(m.founding_reporting as f64),
            Some(m.total_members as f64),
            given(c.workers, m.workers),
            given(c.charter_capital, m.charter_capital),
            given(c.revenue, m.revenue),
        ];
        sheet.write_with_format(row, 0, kind, cell).map_err(err)?;
        sheet.write_with_format(row, 1, part, cell).map_err(err)?;
        for (i, v) in values.iter().enumerate() {
            write_opt(sheet, row, 2 + i as u16, *v, number)?;
        }
        row += 1;
        Ok::<(), Error>(())
    };
    let r = &figures.registry;
    for (kind, m) in [("THT", &r.tht_members), ("HTX, LHHTX, QTDND", &r.members)] {
        let Some(m) = m else { continue };
        line(sheet, kind, "Tổng cộng", m)?;
        for p in &m.by_group {
            line(sheet, kind, &format!("Nhóm {}", p.label), &p.figures)?;
        }
        for p in &m.by_field {
            line(sheet, kind, &text::capitalise(&p.label), &p.figures)?;
        }
        for p in m
            .by_reporting_group
            .iter()
            .filter(|g| !m.by_field.iter().any(|f| f.code == g.code))
        {
            line(sheet, kind, &format!("Nhóm {}", p.label), &p.figures)?;
        }
    }
    filter_table(sheet, row - 1, 7, 0)?;
    sheet.set_column_width(0, 20).map_err(err)?;
    sheet.set_column_width(1, 34).map_err(err)?;
    sheet.set_column_range_width(2, 7, 16).map_err(err)?;
    Ok(())
}

fn write_alliance(
    book: &mut Workbook,
    a: &crate::domain::report::AllianceFigures,
    (report, title): (&str, &Format),
    head: &Format,
    cell: &Format,
    number: &Format,
) -> Result<()> {
    let sheet = titled_sheet(
        book,
        "Hoạt động Liên minh",
        report,
        "Kết quả hoạt động của Liên minh hợp tác xã",
        title,
    )?;
    write_headings(sheet, HEAD_ROW, &["Nội dung", "Số lượng"], head)?;
    // Attendances nobody entered are an empty cell.
    let counts: [(&str, Option<i64>); 14] = [
        ("Lớp tập huấn", Some(a.training.classes)),
        ("Lượt người tham dự tập huấn", a.training.attendances),
        ("Chuyên đề tuyên truyền", Some(a.media.series)),
        ("Bài báo", Some(a.media.articles)),
        (
            "Tin bài trên trang thông tin điện tử",
            Some(a.media.website_posts),
        ),
        ("Thành viên kết nạp mới", Some(a.new_members)),
        ("Thành viên cuối kỳ", Some(a.members_at_end)),
        (
            "Cuộc kiểm tra đã thực hiện",
            Some(a.supervision.inspections_done),
        ),
        (
            "Cuộc giám sát đã thực hiện",
            Some(a.supervision.supervisions_done),
        ),
        ("Đơn thư tiếp nhận", Some(a.supervision.complaints_received)),
        (
            "Đơn thư đã giải quyết",
            Some(a.supervision.complaints_handled),
        ),
        ("Tổ chức được hỗ trợ", Some(a.support.organisations)),
        ("Lượt hỗ trợ tổ chức", Some(a.support.count)),
        ("Kinh phí hỗ trợ (đồng)", Some(a.support.amount)),
    ];
    for (i, (label, value)) in counts.iter().enumerate() {
        let row = HEAD_ROW + 1 + i as u32;
        sheet.write_with_format(row, 0, *label, cell).map_err(err)?;
        write_opt(sheet, row, 1, value.map(|v| v as f64), number)?;
    }
    filter_table(sheet, HEAD_ROW + counts.len() as u32, 1, 0)?;
    let wrap = cell.clone().set_text_wrap().set_align(FormatAlign::Top);
    let mut row = HEAD_ROW + counts.len() as u32 + 2;
    write_headings(
        sheet,
        row,
        &["Hoạt động", "Ngày", "Văn bản", "Số tổ chức"],
        head,
    )?;
    for l in a
        .advisory
        .iter()
        .chain(&a.events)
        .chain(&a.agreements)
        .chain(&a.fairs)
        .chain(&a.planned)
    {
        row += 1;
        // Long titles and document numbers wrap instead of being cut off by the next cell,
        // in a row as high as their lines (a spreadsheet keeps the height a file gives).
        let lines = |text: &str, width: usize| text.chars().count().div_ceil(width).max(1);
        let height = lines(&l.title, 68).max(lines(&l.document_no, 16));
        sheet.set_row_height(row, 15 * height as u32).map_err(err)?;
        sheet
            .write_with_format(row, 0, &l.title, &wrap)
            .map_err(err)?;
        match crate::domain::parse_date(&l.date) {
            Ok(d) => write_date(sheet, row, 1, d, cell)?,
            Err(_) => {
                sheet.write_with_format(row, 1, "", cell).map_err(err)?;
            }
        }
        sheet
            .write_with_format(row, 2, &l.document_no, &wrap)
            .map_err(err)?;
        sheet
            .write_with_format(row, 3, l.organisations as f64, number)
            .map_err(err)?;
    }
    sheet.set_column_width(0, 70).map_err(err)?;
    sheet.set_column_range_width(1, 3, 18).map_err(err)?;
    Ok(())
}

#[allow(clippy::too_many_arguments, reason = "the annex's shared formats")]
fn write_fund(
    book: &mut Workbook,
    f: &crate::domain::report::FundFigures,
    (report, title): (&str, &Format),
    until: &str,
    base: &str,
    head: &Format,
    cell: &Format,
    number: &Format,
) -> Result<()> {
    let sheet = titled_sheet(
        book,
        "Quỹ hỗ trợ",
        report,
        "Hoạt động của Quỹ hỗ trợ phát triển hợp tác xã",
        title,
    )?;
    write_headings(
        sheet,
        HEAD_ROW,
        &["Chỉ tiêu", "Số bên vay", "Số khoản vay", "Số tiền (đồng)"],
        head,
    )?;
    let lines = [
        (
            "Giải ngân trong kỳ".to_string(),
            Some(f.disbursed.borrowers),
            f.disbursed.loans,
            f.disbursed.amount,
        ),
        (
            "Gia hạn nợ trong kỳ".to_string(),
            Some(f.extended.borrowers),
            f.extended.loans,
            f.extended.amount,
        ),
        (
            "Thu nợ gốc trong kỳ".to_string(),
            Some(f.repaid.borrowers),
            f.repaid.loans,
            f.repaid.amount,
        ),
        (
            format!("Dư nợ tại {base}"),
            Some(f.outstanding_baseline.borrowers),
            f.outstanding_baseline.loans,
            f.outstanding_baseline.amount,
        ),
        (
            format!("Dư nợ tại {until}"),
            Some(f.outstanding.borrowers),
            f.outstanding.loans,
            f.outstanding.amount,
        ),
        // The borrowers behind overdue and bad debt are not counted: no figure, not 0.
        (
            "Nợ quá hạn".to_string(),
            None,
            f.overdue.loans,
            f.overdue.amount,
        ),
        (
            "Nợ xấu (quá hạn trên 90 ngày)".to_string(),
            None,
            f.bad_debt.loans,
            f.bad_debt.amount,
        ),
    ];
    for (i, (label, borrowers, loans, amount)) in lines.iter().enumerate() {
        let row = HEAD_ROW + 1 + i as u32;
        sheet.write_with_format(row, 0, label, cell).map_err(err)?;
        write_opt(sheet, row, 1, borrowers.map(|b| b as f64), number)?;
        sheet
            .write_with_format(row, 2, *loans as f64, number)
            .map_err(err)?;
        sheet
            .write_with_format(row, 3, *amount as f64, number)
            .map_err(err)?;
    }
    filter_table(sheet, HEAD_ROW + lines.len() as u32, 3, 0)?;
    let start = HEAD_ROW + lines.len() as u32 + 2;
    write_headings(
        sheet,
        start,
        &["Thời gian quá hạn", "", "Số khoản vay", "Dư nợ (đồng)"],
        head,
    )?;
    for (i, a) in f.ageing.iter().enumerate() {
        let row = start + 1 + i as u32;
        sheet
            .write_with_format(row, 0, &a.label, cell)
            .map_err(err)?;
        sheet.write_blank(row, 1, cell).map_err(err)?;
        sheet
            .write_with_format(row, 2, a.loans as f64, number)
            .map_err(err)?;
        sheet
            .write_with_format(row, 3, a.outstanding as f64, number)
            .map_err(err)?;
    }
    // The total of the ageing, as the document's table has it.
    let total = start + 1 + f.ageing.len() as u32;
    let sums = [
        f.ageing.iter().map(|a| a.loans).sum(),
        f.ageing.iter().map(|a| a.outstanding).sum(),
    ];
    let bold = cell.clone().set_bold();
    write_total_row(sheet, total, &sums, 2, &bold, &number.clone().set_bold())?;
    sheet.write_blank(total, 1, &bold).map_err(err)?;
    write_borrower_kinds(sheet, total + 2, f, until, head, cell, number)?;
    sheet.set_column_width(0, 34).map_err(err)?;
    sheet.set_column_range_width(1, 6, 18).map_err(err)?;
    Ok(())
}

/// The fund's flows and positions by who borrows (HTX, LHHTX, THT, a member as a person),
/// every kind on its row (a kind that borrowed nothing has zeros: it lent nothing), from
/// `start`, with the totals.
fn write_borrower_kinds(
    sheet: &mut Worksheet,
    start: u32,
    f: &crate::domain::report::FundFigures,
    until: &str,
    head: &Format,
    cell: &Format,
    number: &Format,
) -> Result<()> {
    let outstanding_borrowers = format!("Bên vay còn dư nợ tại {until}");
    let outstanding = format!("Dư nợ tại {until} (đồng)");
    write_headings(
        sheet,
        start,
        &[
            "Loại bên vay",
            "Bên vay được giải ngân",
            "Giải ngân (đồng)",
            "Gia hạn nợ (đồng)",
            &outstanding_borrowers,
            &outstanding,
            "Nợ quá hạn (đồng)",
        ],
        head,
    )?;
    let mut sums = [0i64; 6];
    for (i, k) in f.by_borrower_kind.iter().enumerate() {
        let row = start + 1 + i as u32;
        sheet
            .write_with_format(row, 0, k.label, cell)
            .map_err(err)?;
        let values = [
            k.disbursed.borrowers,
            k.disbursed.amount,
            k.extended.amount,
            k.outstanding.borrowers,
            k.outstanding.amount,
            k.overdue.amount,
        ];
        for (c, v) in values.iter().enumerate() {
            sums[c] += v;
            sheet
                .write_with_format(row, 1 + c as u16, *v as f64, number)
                .map_err(err)?;
        }
    }
    let total = start + 1 + f.by_borrower_kind.len() as u32;
    let bold = cell.clone().set_bold();
    write_total_row(sheet, total, &sums, 1, &bold, &number.clone().set_bold())
}

/// The sheet "Xếp loại HTX": grades by area and by sector group with totals, the reasons for
/// not grading, and the size classes.
#[allow(clippy::too_many_arguments, reason = "the annex's shared formats")]
fn write_evaluation(
    book: &mut Workbook,
    e: &EvaluationFigures,
    report: &str,
    title: &Format,
    head: &Format,
    cell: &Format,
    number: &Format,
    pct: &Format,
) -> Result<()> {
    let bold = cell.clone().set_bold();
    let bold_number = number.clone().set_bold();
    let bold_pct = pct.clone().set_bold();
    let year = e.summary.year;
    let sheet = titled_sheet(
        book,
        "Xếp loại HTX",
        report,
        &format!(
            "Đánh giá, xếp loại HTX năm {year} theo Thông tư 01/2020/TT-BKHĐT (HTX và liên hiệp HTX tại ngày {})",
            text::date(e.counted_on)
        ),
        title,
    )?;
    let columns = [
        "Số HTX",
        "Được xếp loại",
        "Tốt",
        "Khá",
        "Trung bình",
        "Yếu",
        "Không xếp loại",
        "Chưa có kết quả",
        "Tỷ lệ khá, tốt (%)",
    ];
    let level = text::capitalise(&e.by_area.level_label);
    let mut headers = vec![level.as_str()];
    headers.extend(columns);
    write_headings(sheet, HEAD_ROW, &headers, head)?;
    let mut row = HEAD_ROW + 1;
    let write_counts = |sheet: &mut Worksheet, row: u32, r: &EvaluationRow, total: bool| {
        let (c, n, p) = if total {
            (&bold, &bold_number, &bold_pct)
        } else {
            (cell, number, pct)
        };
        sheet.write_with_format(row, 0, &r.name, c).map_err(err)?;
        let k = &r.counts;
        for (i, v) in [
            k.organisations,
            k.graded,
            k.good,
            k.fair,
            k.average,
            k.weak,
            k.not_graded,
            k.no_result,
        ]
        .into_iter()
        .enumerate()
        {
            sheet
                .write_with_format(row, i as u16 + 1, v as f64, n)
                .map_err(err)?;
        }
        let share = text::percent_tenths(k.good + k.fair, k.graded).map(|t| t as f64 / 10.0);
        write_opt(sheet, row, 9, share, p)
    };
    for r in &e.by_area.rows {
        write_counts(sheet, row, r, false)?;
        row += 1;
    }
    write_counts(sheet, row, &e.by_area.total, true)?;
    filter_table(sheet, row - 1, 9, 1)?;
    row += 2;
    let mut headers = vec!["Nhóm lĩnh vực"];
    headers.extend(columns);
    write_headings(sheet, row, &headers, head)?;
    row += 1;
    for r in &e.by_group {
        let r = EvaluationRow {
            name: text::capitalise(&r.name),
            ..r.clone()
        };
        write_counts(sheet, row, &r, false)?;
        row += 1;
    }
    write_counts(sheet, row, &e.by_area.total, true)?;
    row += 2;
    if !e.summary.by_reason.is_empty() {
        write_headings(
            sheet,
            row,
            &[
                "Lý do không xếp loại",
                "Số HTX",
                "Theo kết quả đánh giá",
                "Theo sổ đăng ký",
            ],
            head,
        )?;
        row += 1;
        for r in &e.summary.by_reason {
            sheet
                .write_with_format(row, 0, text::capitalise(&r.label), cell)
                .map_err(err)?;
            for (i, v) in [r.count, r.recorded, r.from_registry]
                .into_iter()
                .enumerate()
            {
                sheet
                    .write_with_format(row, i as u16 + 1, v as f64, number)
                    .map_err(err)?;
            }
            row += 1;
        }
        row += 1;
    }
    let s = &e.sizes;
    write_headings(
        sheet,
        row,
        &[
            &format!("Quy mô (Nghị định 113/2024/NĐ-CP), số liệu năm {}", s.year),
            "Số HTX",
        ],
        head,
    )?;
    row += 1;
    let classes = s
        .by_class
        .iter()
        .map(|c| (format!("Quy mô {}", c.label), c.count, false))
        .chain([
            ("Chưa xác định được quy mô".to_string(), s.unknown, false),
            ("Tổng cộng".to_string(), s.known + s.unknown, true),
        ]);
    for (label, count, total) in classes {
        let (c, n) = if total {
            (&bold, &bold_number)
        } else {
            (cell, number)
        };
        sheet.write_with_format(row, 0, label, c).map_err(err)?;
        sheet
            .write_with_format(row, 1, count as f64, n)
            .map_err(err)?;
        row += 1;
    }
    if e.summary.credit_funds > 0 {
        row += 1;
        sheet
            .write(
                row,
                0,
                format!(
                    "Quỹ tín dụng nhân dân ({} quỹ) xếp loại theo quy định của Ngân hàng Nhà nước, không tính trong bảng.",
                    text::count(e.summary.credit_funds)
                ),
            )
            .map_err(err)?;
    }
    sheet.set_column_width(0, 40).map_err(err)?;
    sheet.set_column_range_width(1, 9, 12).map_err(err)?;
    Ok(())
}

/// The row of a sheet's (first) table headings; above it the report's title and the sheet's
/// caption.
const HEAD_ROW: u32 = 2;

/// The line at the top of every sheet of the annex, in the same words: which report, period
/// and area.
fn report_title(figures: &Figures) -> String {
    format!(
        "Phụ lục báo cáo tình hình kinh tế tập thể, hợp tác xã {} – {}",
        figures.period.label, figures.area.name
    )
}

/// A new sheet with the report's title on its first line and `caption` on the second.
fn titled_sheet<'a>(
    book: &'a mut Workbook,
    name: &str,
    report: &str,
    caption: &str,
    title: &Format,
) -> Result<&'a mut Worksheet> {
    let sheet = book.add_worksheet().set_name(name).map_err(err)?;
    sheet.write_with_format(0, 0, report, title).map_err(err)?;
    sheet.write(1, 0, caption).map_err(err)?;
    // Printed as an annex: A4 landscape, the width of the table on one page, the title and
    // headings repeated on every page.
    sheet
        .set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, HEAD_ROW).map_err(err)?;
    Ok(sheet)
}

/// Freezes the title, caption and headings (and `frozen_cols` columns) and puts a filter
/// on the table from its heading row to `last_row`.
fn filter_table(
    sheet: &mut Worksheet,
    last_row: u32,
    last_col: u16,
    frozen_cols: u16,
) -> Result<()> {
    sheet
        .set_freeze_panes(HEAD_ROW + 1, frozen_cols)
        .map_err(err)?;
    sheet
        .autofilter(HEAD_ROW, 0, last_row.max(HEAD_ROW), last_col)
        .map_err(err)?;
    Ok(())
}

/// A "Tổng cộng" row with `sums`, the sums of the rows above it, from column `first_col`
/// on. Written as values, not formulas: the annex holds no formula at all (a cell that
/// computes is one a typed name could turn into), and tests check each total against the
/// rows.
fn write_total_row(
    sheet: &mut Worksheet,
    row: u32,
    sums: &[i64],
    first_col: u16,
    label: &Format,
    number: &Format,
) -> Result<()> {
    sheet
        .write_with_format(row, 0, "Tổng cộng", label)
        .map_err(err)?;
    for (i, sum) in sums.iter().enumerate() {
        sheet
            .write_with_format(row, first_col + i as u16, *sum as f64, number)
            .map_err(err)?;
    }
    Ok(())
}

/// A date as a date cell, shown dd/mm/yyyy, so that a spreadsheet sorts and filters it as one.
/// A date as a spreadsheet's date (shared with the list exports).
pub(crate) fn excel_date(d: time::Date) -> Result<rust_xlsxwriter::ExcelDateTime> {
    let year = u16::try_from(d.year())
        .map_err(|_| crate::error::Error::Render(format!("năm {}", d.year())))?;
    rust_xlsxwriter::ExcelDateTime::from_ymd(year, u8::from(d.month()), d.day()).map_err(err)
}

fn write_date(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    d: time::Date,
    cell: &Format,
) -> Result<()> {
    let when = excel_date(d)?;
    sheet
        .write_datetime_with_format(row, col, &when, &cell.clone().set_num_format("dd/mm/yyyy"))
        .map_err(err)?;
    Ok(())
}

/// A row of table headings, high enough for headings of up to three lines (a spreadsheet
/// does not grow a row for wrapped text it did not lay out itself).
fn write_headings(sheet: &mut Worksheet, row: u32, cells: &[&str], format: &Format) -> Result<()> {
    sheet.set_row_height(row, 45).map_err(err)?;
    for (c, v) in cells.iter().enumerate() {
        sheet
            .write_with_format(row, c as u16, *v, format)
            .map_err(err)?;
    }
    Ok(())
}

fn write_opt(sheet: &mut Worksheet, row: u32, col: u16, v: Option<f64>, f: &Format) -> Result<()> {
    match v {
        Some(v) => sheet.write_with_format(row, col, v, f).map_err(err)?,
        None => sheet.write_blank(row, col, f).map_err(err)?,
    };
    Ok(())
}

fn write_kind(
    sheet: &mut Worksheet,
    row: &mut u32,
    label: &str,
    k: &KindFigures,
    cell: &Format,
    number: &Format,
    pct: &Format,
) -> Result<()> {
    let bold = cell.clone().set_bold();
    let lines = std::iter::once((label.to_string(), k.total.end, k.total.baseline, None, true))
        .chain(k.by_group.iter().map(|g| {
            (
                format!("   – {}", g.label),
                g.end,
                g.baseline,
                g.share_pct,
                false,
            )
        }));
    for (text_label, end, baseline, share, is_total) in lines {
        let f = if is_total { &bold } else { cell };
        sheet
            .write_with_format(*row, 0, text_label, f)
            .map_err(err)?;
        sheet
            .write_with_format(*row, 1, end as f64, number)
            .map_err(err)?;
        sheet
            .write_with_format(*row, 2, baseline as f64, number)
            .map_err(err)?;
        sheet
            .write_with_format(*row, 3, (end - baseline) as f64, number)
            .map_err(err)?;
        write_opt(sheet, *row, 4, share, pct)?;
        if is_total {
            for (c, v) in [k.founded.count, k.ceased.count, k.dissolved.count]
                .into_iter()
                .enumerate()
            {
                sheet
                    .write_with_format(*row, c as u16 + 5, v as f64, number)
                    .map_err(err)?;
            }
        } else {
            for c in 5..8 {
                sheet.write_blank(*row, c, cell).map_err(err)?;
            }
        }
        *row += 1;
    }
    Ok(())
}

/// The loan book on a date: one row per loan.
pub fn loan_book(p: &crate::report::fund::Portfolio) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_background_color("#E7E6E6");
    let cell = Format::new().set_border(FormatBorder::Thin);
    let number = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("#,##0");
    let sheet = book.add_worksheet().set_name("Sổ cho vay").map_err(err)?;
    sheet
        .write(
            0,
            0,
            format!(
                "Sổ cho vay của Quỹ hỗ trợ phát triển HTX ngày {}",
                text::date(p.on)
            ),
        )
        .map_err(err)?;
    let headers = [
        "Số hợp đồng",
        "Bên vay",
        "Đã giải ngân",
        "Đã thu gốc",
        "Đã xóa nợ",
        "Dư nợ",
        "Nợ quá hạn",
        "Số ngày quá hạn",
        "Lãi phải thu",
        "Ngày đáo hạn",
        "Gia hạn",
    ];
    write_headings(sheet, 2, &headers, &head)?;
    for (i, l) in p.lines.iter().enumerate() {
        let row = i as u32 + 3;
        let s = &l.state;
        sheet
            .write_with_format(row, 0, &l.contract_no, &cell)
            .map_err(err)?;
        sheet
            .write_with_format(row, 1, &l.borrower, &cell)
            .map_err(err)?;
        for (c, v) in [
            s.disbursed,
            s.repaid,
            s.written_off,
            s.outstanding,
            s.overdue_principal,
            s.days_past_due,
            s.interest_payable,
        ]
        .into_iter()
        .enumerate()
        {
            sheet
                .write_with_format(row, c as u16 + 2, v as f64, &number)
                .map_err(err)?;
        }
        write_date(sheet, row, 9, s.maturity, &cell)?;
        sheet
            .write_with_format(row, 10, if s.extended { "có" } else { "" }, &cell)
            .map_err(err)?;
    }
    sheet.set_column_width(0, 24).map_err(err)?;
    sheet.set_column_width(1, 48).map_err(err)?;
    sheet.set_column_range_width(2, 10, 16).map_err(err)?;
    sheet.set_freeze_panes(3, 2).map_err(err)?;
    sheet
        .autofilter(2, 0, 2 + p.lines.len() as u32, 10)
        .map_err(err)?;
    book.save_to_buffer().map_err(err)
}
