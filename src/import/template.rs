//! Writes a ready-to-fill import workbook: instructions, a data sheet for every kind in
//! [`SheetKind::ALL`] with its headings, and reference lists (kinds, events, sectors,
//! committees, programme stages, support categories, plan indicators, the area's commune
//! codes).

use crate::domain::codes::Coded;
use crate::domain::evaluation::{self, CRITERIA, CriteriaGroup, Exemption, Grade, GradeThresholds};
use crate::domain::geo::{Era, geo};
use crate::domain::governance::Committee;
use crate::domain::plans::{Indicator, Unit};
use crate::domain::programmes::SupportCategory;
use crate::domain::registry::{EventKind, OrgKind};
use crate::domain::sector::Taxonomy;
use crate::error::{Error, Result};
use crate::import::columns::SheetKind;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

fn err(e: XlsxError) -> Error {
    Error::Render(format!("XLSX: {e}"))
}

/// Builds the template workbook for a deployment area (a province unit id or ""), with the
/// default grade thresholds.
pub fn workbook(taxonomy: &Taxonomy, area: &str) -> Result<Vec<u8>> {
    workbook_for(taxonomy, area, &GradeThresholds::default())
}

/// Builds the template workbook for a deployment area (a province unit id or "") and its
/// grade thresholds.
pub fn workbook_for(taxonomy: &Taxonomy, area: &str, grades: &GradeThresholds) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let required = Format::new()
        .set_bold()
        .set_background_color("#FCE4D6")
        .set_text_wrap();
    let optional = Format::new()
        .set_bold()
        .set_background_color("#E7E6E6")
        .set_text_wrap();
    let wrap = Format::new().set_text_wrap();

    let help = book.add_worksheet().set_name("Hướng dẫn").map_err(err)?;
    help.write_with_format(0, 0, "Mẫu nhập sổ tổ chức kinh tế tập thể (htx)", &title)
        .map_err(err)?;
    let lines = [
        "1. Mỗi tổ chức ghi một dòng ở sheet \"Tổ chức\" (ngày thành lập và thông tin khi thành lập).",
        "2. Các sự kiện sau đó (đăng ký thay đổi, tạm ngừng, ngừng hoạt động, giải thể, …) ghi ở sheet \"Sự kiện\", mỗi sự kiện một dòng.",
        "3. Số liệu hằng năm của mọi loại hình (THT, HTX, LHHTX, QTDND: thành viên, lao động thường xuyên và thời vụ, vốn điều lệ, vốn hoạt động, doanh thu, …) ghi ở sheet \"Số liệu năm\"; ô để trống là chưa có số liệu, không phải số 0.",
        "3a. Quỹ hỗ trợ: hợp đồng ở sheet \"Khoản vay\", lịch trả nợ thỏa thuận ở sheet \"Lịch trả nợ\", giải ngân, thu nợ, gia hạn… ở sheet \"Giao dịch vay\".",
        "3b. Công tác của Liên minh: hoạt động, thành viên Liên minh, nhân sự các Ban, kiểm tra giám sát, đơn thư, chương trình và tổ chức tham gia, hỗ trợ, chỉ tiêu kế hoạch; mỗi việc một dòng ở sheet cùng tên. Tổ chức ghi bằng mã số đăng ký đã có trong sổ.",
        "3c. Đánh giá, xếp loại hằng năm (Thông tư 01/2020/TT-BKHĐT) ghi ở sheet \"Đánh giá, xếp loại\": mỗi tổ chức mỗi năm một dòng, điểm 15 tiêu chí (hoặc chỉ tổng điểm, xếp loại), hoặc lý do không xếp loại. Chỉ có kết quả thì cũng có thể ghi ở cột Xếp loại, Điểm đánh giá của sheet \"Số liệu năm\". Nhập lại một dòng đã sửa thì ghi thành phiên bản mới, bản cũ vẫn giữ.",
        "4. Cột tô màu cam là bắt buộc. Ngày ghi dd/mm/yyyy. Số tiền ghi bằng đồng, không ghi đơn vị.",
        "5. Mã xã là mã thống kê 5 chữ số có hiệu lực vào ngày của dòng: trước 01/07/2025 là mã xã cũ, từ 01/07/2025 là mã xã mới (xem sheet \"Danh mục\").",
        "6. Kiểm tra trước bằng: htx import TỆP.xlsx --dry-run (liệt kê mọi dòng lỗi, không ghi gì).",
        "7. Khi nhập thật, nếu còn một dòng lỗi thì không dòng nào được ghi. Nhập lại cùng một tệp không làm thay đổi gì.",
    ];
    for (i, line) in lines.iter().enumerate() {
        help.write(i as u32 + 2, 0, *line).map_err(err)?;
    }
    let mut row = lines.len() as u32 + 3;
    for kind in SheetKind::ALL {
        help.write_with_format(row, 0, format!("Sheet \"{}\"", kind.name()), &bold)
            .map_err(err)?;
        row += 1;
        for c in kind.columns() {
            let mark = if c.required { " (bắt buộc)" } else { "" };
            help.write(row, 0, format!("{}{mark}", c.heading))
                .map_err(err)?;
            help.write_with_format(row, 1, c.help, &wrap).map_err(err)?;
            row += 1;
        }
        row += 1;
    }
    evaluation_guide(help, row, grades, &bold, &wrap)?;
    help.set_column_width(0, 48).map_err(err)?;
    help.set_column_width(1, 90).map_err(err)?;

    for kind in SheetKind::ALL {
        let sheet = book.add_worksheet().set_name(kind.name()).map_err(err)?;
        for (i, c) in kind.columns().iter().enumerate() {
            let format = if c.required { &required } else { &optional };
            sheet
                .write_with_format(0, i as u16, c.heading, format)
                .map_err(err)?;
            sheet.set_column_width(i as u16, 20).map_err(err)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(err)?;
    }

    let list = book.add_worksheet().set_name("Danh mục").map_err(err)?;
    let mut row = 0;
    let mut section = |list: &mut rust_xlsxwriter::Worksheet,
                       heading: &str,
                       items: Vec<(String, String)>|
     -> Result<()> {
        list.write_with_format(row, 0, heading, &bold)
            .map_err(err)?;
        row += 1;
        for (a, b) in items {
            list.write(row, 0, a).map_err(err)?;
            list.write(row, 1, b).map_err(err)?;
            row += 1;
        }
        row += 1;
        Ok(())
    };
    section(
        list,
        "Loại hình",
        OrgKind::ALL
            .iter()
            .map(|k| (k.code().to_string(), k.name_vi().to_string()))
            .collect(),
    )?;
    section(
        list,
        "Sự kiện",
        EventKind::ALL[1..]
            .iter()
            .map(|k| (k.name_vi().to_string(), k.code().to_string()))
            .collect(),
    )?;
    section(
        list,
        "Ban",
        Committee::ALL
            .iter()
            .map(|c| (c.name_vi().to_string(), c.code().to_string()))
            .collect(),
    )?;
    section(
        list,
        "Bước tham gia chương trình",
        [
            ("đề xuất", "nominated"),
            ("đánh giá", "evaluated"),
            ("lựa chọn", "selected"),
        ]
        .iter()
        .map(|(vi, code)| (vi.to_string(), code.to_string()))
        .collect(),
    )?;
    section(
        list,
        "Nội dung hỗ trợ",
        SupportCategory::ALL
            .iter()
            .map(|c| (c.name_vi().to_string(), c.code().to_string()))
            .collect(),
    )?;
    section(
        list,
        "Chỉ tiêu kế hoạch",
        Indicator::ALL
            .iter()
            .map(|i| {
                let unit = match i.unit() {
                    Unit::Count => "số lượng",
                    Unit::Money => "đồng",
                    Unit::Percent => "tỷ lệ %",
                };
                (i.name_vi().to_string(), format!("{} ({unit})", i.code()))
            })
            .collect(),
    )?;
    section(
        list,
        "Lĩnh vực",
        taxonomy
            .all()
            .iter()
            .map(|s| {
                (
                    s.name_vi.clone(),
                    format!("{} ({}; VSIC {})", s.code, s.group.label(), s.vsic),
                )
            })
            .collect(),
    )?;
    section(
        list,
        "Nhóm báo cáo (sửa ở sheet Nhóm báo cáo)",
        taxonomy
            .reporting_groups()
            .iter()
            .map(|g| {
                let fields: Vec<&str> = g
                    .fields
                    .iter()
                    .map(|f| taxonomy.get(f).map_or(f.as_str(), |s| s.name_vi.as_str()))
                    .collect();
                (format!("{} ({})", g.name_vi, g.code), fields.join("; "))
            })
            .collect(),
    )?;
    if !area.is_empty() {
        let g = geo();
        let mut provinces = vec![area.to_string()];
        if let Some(successor) = g.successor(area) {
            provinces.push(successor.id.clone());
        }
        provinces.dedup();
        for p in provinces {
            let Some(unit) = g.unit(&p) else { continue };
            let era = if unit.era == Era::Old {
                "trước 01/07/2025"
            } else {
                "từ 01/07/2025"
            };
            let communes = g
                .communes_within(&p)
                .into_iter()
                .map(|c| {
                    let district = c
                        .parent_id
                        .as_deref()
                        .and_then(|d| g.unit(d))
                        .filter(|d| d.id != p)
                        .map(|d| format!(", {}", d.full_name()))
                        .unwrap_or_default();
                    (c.code.clone(), format!("{}{district}", c.full_name()))
                })
                .collect();
            section(
                list,
                &format!("Mã xã – {} ({era})", unit.full_name()),
                communes,
            )?;
        }
    }
    list.set_column_width(0, 36).map_err(err)?;
    list.set_column_width(1, 60).map_err(err)?;
    book.save_to_buffer().map_err(err)
}

/// The evaluation part of the instructions, from the criteria, the deployment's grade
/// thresholds and the reasons for not grading.
fn evaluation_guide(
    help: &mut rust_xlsxwriter::Worksheet,
    mut row: u32,
    grades: &GradeThresholds,
    bold: &Format,
    wrap: &Format,
) -> Result<()> {
    let pts = |p: i64| format!("{} điểm", evaluation::points(p));
    help.write_with_format(
        row,
        0,
        "Tiêu chí đánh giá (Thông tư 01/2020/TT-BKHĐT), điểm tối đa",
        bold,
    )
    .map_err(err)?;
    row += 1;
    for group in CriteriaGroup::ALL {
        help.write_with_format(
            row,
            0,
            format!("{}. {}", group.numeral(), group.name_vi()),
            bold,
        )
        .map_err(err)?;
        help.write(row, 2, pts(group.max())).map_err(err)?;
        row += 1;
        for c in CRITERIA.iter().filter(|c| c.group == group) {
            help.write(
                row,
                0,
                format!("Tiêu chí {} (cột TC{})", c.number, c.number),
            )
            .map_err(err)?;
            help.write_with_format(row, 1, c.name_vi, wrap)
                .map_err(err)?;
            help.write(row, 2, pts(c.max)).map_err(err)?;
            row += 1;
        }
    }
    row += 1;
    help.write_with_format(row, 0, "Xếp loại theo tổng điểm", bold)
        .map_err(err)?;
    row += 1;
    let bands = [
        (Grade::Good, format!("từ {} trở lên", pts(grades.good))),
        (
            Grade::Fair,
            format!("từ {} đến dưới {}", pts(grades.fair), pts(grades.good)),
        ),
        (
            Grade::Average,
            format!("từ {} đến dưới {}", pts(grades.average), pts(grades.fair)),
        ),
        (Grade::Weak, format!("dưới {}", pts(grades.average))),
    ];
    for (grade, band) in bands {
        help.write(row, 0, grade.name_vi()).map_err(err)?;
        help.write(row, 1, band).map_err(err)?;
        row += 1;
    }
    row += 1;
    help.write_with_format(row, 0, "Không xếp loại (lý do)", bold)
        .map_err(err)?;
    row += 1;
    for reason in Exemption::ALL {
        help.write(row, 0, reason.code()).map_err(err)?;
        help.write_with_format(row, 1, reason.name_vi(), wrap)
            .map_err(err)?;
        row += 1;
    }
    Ok(())
}
