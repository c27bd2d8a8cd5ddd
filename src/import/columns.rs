//! The columns of the import format: Vietnamese headings officials use, English aliases,
//! and what each means. The template and docs/import-format.md are written from this list.

use crate::domain::text;

/// One column of one sheet.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Internal key.
    pub key: &'static str,
    /// The heading written in templates.
    pub heading: &'static str,
    /// Other headings accepted (compared without accents or case).
    pub aliases: &'static [&'static str],
    pub required: bool,
    /// What to write in it.
    pub help: &'static str,
}

const fn col(
    key: &'static str,
    heading: &'static str,
    aliases: &'static [&'static str],
    required: bool,
    help: &'static str,
) -> Column {
    Column {
        key,
        heading,
        aliases,
        required,
        help,
    }
}

/// The kinds of sheet an import file may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetKind {
    Organisations,
    Events,
    Figures,
}

impl SheetKind {
    /// The sheet name used in templates.
    pub fn name(self) -> &'static str {
        match self {
            Self::Organisations => "Tổ chức",
            Self::Events => "Sự kiện",
            Self::Figures => "Số liệu năm",
        }
    }

    /// Its columns.
    pub fn columns(self) -> &'static [Column] {
        match self {
            Self::Organisations => ORGANISATIONS,
            Self::Events => EVENTS,
            Self::Figures => FIGURES,
        }
    }
}

const REG_CODE: Column = col(
    "reg_code",
    "Mã số đăng ký",
    &[
        "ma so",
        "so dang ky",
        "ma so dang ky htx",
        "ma so htx",
        "registration code",
        "reg_code",
        "code",
    ],
    true,
    "Mã số trên giấy chứng nhận đăng ký (duy nhất cho mỗi tổ chức)",
);

/// Organisations with their establishment.
pub const ORGANISATIONS: &[Column] = &[
    REG_CODE,
    col(
        "kind",
        "Loại hình",
        &["loai", "loai hinh to chuc", "kind", "type"],
        true,
        "THT, HTX, LHHTX hoặc QTDND",
    ),
    col(
        "name",
        "Tên tổ chức",
        &["ten", "ten htx", "ten to chuc kinh te tap the", "name"],
        true,
        "Tên đầy đủ theo giấy chứng nhận",
    ),
    col(
        "established",
        "Ngày thành lập",
        &[
            "ngay dang ky",
            "ngay cap",
            "ngay dang ky lan dau",
            "established",
            "registration date",
            "date",
        ],
        true,
        "dd/mm/yyyy",
    ),
    col(
        "commune",
        "Mã xã",
        &[
            "ma xa phuong",
            "ma don vi hanh chinh",
            "ma dvhc",
            "commune code",
            "commune",
        ],
        true,
        "Mã thống kê 5 chữ số của xã, phường, thị trấn có hiệu lực vào ngày thành lập",
    ),
    col(
        "sector",
        "Lĩnh vực",
        &["nganh nghe", "linh vuc hoat dong", "sector", "field"],
        true,
        "Tên hoặc mã lĩnh vực trong danh mục (sheet Danh mục)",
    ),
    col(
        "address",
        "Địa chỉ",
        &["dia chi tru so", "tru so", "address"],
        false,
        "Địa chỉ trụ sở",
    ),
    col(
        "registering_body",
        "Cơ quan đăng ký",
        &["noi cap", "co quan cap", "registering body"],
        false,
        "Cơ quan cấp giấy chứng nhận",
    ),
    col(
        "law",
        "Luật",
        &["theo luat", "law"],
        false,
        "2012 (mặc định) hoặc 2023",
    ),
    col(
        "representative",
        "Người đại diện",
        &[
            "nguoi dai dien theo phap luat",
            "giam doc",
            "representative",
        ],
        false,
        "Người đại diện theo pháp luật",
    ),
    col(
        "new_type",
        "HTX kiểu mới (QĐ 167)",
        &["htx kieu moi", "kieu moi", "new type"],
        false,
        "x nếu là mô hình HTX kiểu mới",
    ),
    col(
        "high_tech",
        "Công nghệ cao",
        &["ung dung cong nghe cao", "high tech"],
        false,
        "x nếu ứng dụng công nghệ cao",
    ),
    col(
        "value_chain",
        "Chuỗi giá trị",
        &["lien ket chuoi gia tri", "value chain"],
        false,
        "x nếu tham gia chuỗi giá trị",
    ),
    col(
        "ocop",
        "OCOP",
        &["san pham ocop", "ocop"],
        false,
        "x nếu có sản phẩm OCOP",
    ),
];

/// Lifecycle events after establishment.
pub const EVENTS: &[Column] = &[
    REG_CODE,
    col(
        "event",
        "Sự kiện",
        &["loai su kien", "event", "event kind"],
        true,
        "ngừng hoạt động, giải thể, tạm ngừng kinh doanh, hoạt động trở lại, đăng ký thay đổi, phá sản, thu hồi giấy chứng nhận, chuyển đổi, hợp nhất, sáp nhập, chia, tách, đăng ký lại",
    ),
    col(
        "date",
        "Ngày hiệu lực",
        &["ngay", "ngay su kien", "effective date", "date"],
        true,
        "dd/mm/yyyy",
    ),
    col(
        "new_name",
        "Tên mới",
        &["new name"],
        false,
        "Đăng ký thay đổi: tên mới",
    ),
    col(
        "new_commune",
        "Mã xã mới",
        &["new commune code"],
        false,
        "Đăng ký thay đổi: mã xã mới",
    ),
    col(
        "new_address",
        "Địa chỉ mới",
        &["new address"],
        false,
        "Đăng ký thay đổi: địa chỉ mới",
    ),
    col(
        "new_sector",
        "Lĩnh vực mới",
        &["new sector"],
        false,
        "Đăng ký thay đổi: lĩnh vực mới",
    ),
    col(
        "new_law",
        "Luật mới",
        &["new law"],
        false,
        "Đăng ký lại: 2023",
    ),
    col(
        "new_representative",
        "Người đại diện mới",
        &["new representative"],
        false,
        "Đăng ký thay đổi: người đại diện mới",
    ),
    col(
        "related",
        "Tổ chức liên quan",
        &["ma so to chuc lien quan", "related"],
        false,
        "Mã số đăng ký của tổ chức kế thừa (chuyển đổi, hợp nhất, sáp nhập, chia, tách), cách nhau bằng dấu ;",
    ),
    col(
        "reference",
        "Căn cứ",
        &["so quyet dinh", "quyet dinh", "reference"],
        false,
        "Số, ngày văn bản",
    ),
];

/// Yearly figures.
pub const FIGURES: &[Column] = &[
    REG_CODE,
    col(
        "year",
        "Năm",
        &["nam bao cao", "year"],
        true,
        "Năm của số liệu (yyyy)",
    ),
    col(
        "official_members",
        "Thành viên chính thức",
        &["so thanh vien chinh thuc", "thanh vien", "official members"],
        false,
        "người",
    ),
    col(
        "associate_members",
        "Thành viên liên kết",
        &["so thanh vien lien ket", "associate members"],
        false,
        "người",
    ),
    col(
        "workers",
        "Lao động thường xuyên",
        &["lao dong", "so lao dong", "workers"],
        false,
        "người",
    ),
    col(
        "charter_capital",
        "Vốn điều lệ (đồng)",
        &["von dieu le", "charter capital"],
        false,
        "đồng",
    ),
    col(
        "total_assets",
        "Tổng tài sản (đồng)",
        &["tong tai san", "total assets"],
        false,
        "đồng",
    ),
    col(
        "revenue",
        "Doanh thu (đồng)",
        &["doanh thu", "tong doanh thu", "revenue"],
        false,
        "đồng",
    ),
    col(
        "profit",
        "Lợi nhuận (đồng)",
        &["loi nhuan", "loi nhuan truoc thue", "profit"],
        false,
        "đồng (có thể âm)",
    ),
    col(
        "average_income",
        "Thu nhập bình quân (đồng/người/năm)",
        &["thu nhap binh quan", "average income"],
        false,
        "đồng/người/năm",
    ),
];

/// Whether a heading names a column.
pub fn matches(column: &Column, heading: &str) -> bool {
    let key = text::fold(heading)
        .trim_end_matches(|c: char| c == '*' || c.is_whitespace())
        .to_string();
    text::fold(column.heading) == key
        || column.aliases.iter().any(|a| text::fold(a) == key)
        || column.key == key
}

/// Recognises a sheet from its headings: returns its kind and, for each column, the
/// index of the heading that holds it.
pub fn recognise(headings: &[String]) -> Option<(SheetKind, Vec<Option<usize>>)> {
    let mut best: Option<(SheetKind, Vec<Option<usize>>, usize)> = None;
    for kind in [
        SheetKind::Organisations,
        SheetKind::Events,
        SheetKind::Figures,
    ] {
        let positions: Vec<Option<usize>> = kind
            .columns()
            .iter()
            .map(|c| headings.iter().position(|h| matches(c, h)))
            .collect();
        let required_found = kind
            .columns()
            .iter()
            .zip(&positions)
            .filter(|(c, p)| c.required && p.is_some())
            .count();
        let required = kind.columns().iter().filter(|c| c.required).count();
        if required_found == required && best.as_ref().is_none_or(|b| required > b.2) {
            best = Some((kind, positions, required));
        }
    }
    best.map(|(k, p, _)| (k, p))
}
