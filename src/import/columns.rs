//! The columns of the import format: Vietnamese headings officials use, English aliases,
//! and what each means. The template and docs/import-format.md are written from this list.

use crate::domain::text;
use crate::import::sheet::column_letters;
use std::collections::HashMap;

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
    Loans,
    Schedules,
    LoanTransactions,
    Activities,
    Memberships,
    CommitteeSeats,
    Inspections,
    Complaints,
    Programmes,
    ProgrammeStages,
    Support,
    PlanTargets,
}

impl SheetKind {
    /// The sheet name used in templates.
    pub fn name(self) -> &'static str {
        match self {
            Self::Organisations => "Tổ chức",
            Self::Events => "Sự kiện",
            Self::Figures => "Số liệu năm",
            Self::Loans => "Khoản vay",
            Self::Schedules => "Lịch trả nợ",
            Self::LoanTransactions => "Giao dịch vay",
            Self::Activities => "Hoạt động",
            Self::Memberships => "Thành viên Liên minh",
            Self::CommitteeSeats => "Nhân sự các Ban",
            Self::Inspections => "Kiểm tra, giám sát",
            Self::Complaints => "Đơn thư",
            Self::Programmes => "Chương trình",
            Self::ProgrammeStages => "Tham gia chương trình",
            Self::Support => "Hỗ trợ",
            Self::PlanTargets => "Chỉ tiêu kế hoạch",
        }
    }

    /// Its columns.
    pub fn columns(self) -> &'static [Column] {
        match self {
            Self::Organisations => ORGANISATIONS,
            Self::Events => EVENTS,
            Self::Figures => FIGURES,
            Self::Loans => LOANS,
            Self::Schedules => SCHEDULES,
            Self::LoanTransactions => LOAN_TRANSACTIONS,
            Self::Activities => ACTIVITIES,
            Self::Memberships => MEMBERSHIPS,
            Self::CommitteeSeats => COMMITTEE_SEATS,
            Self::Inspections => INSPECTIONS,
            Self::Complaints => COMPLAINTS,
            Self::Programmes => PROGRAMMES,
            Self::ProgrammeStages => PROGRAMME_STAGES,
            Self::Support => SUPPORT,
            Self::PlanTargets => PLAN_TARGETS,
        }
    }

    /// Every kind, in the order sheets are processed and written in templates.
    pub const ALL: [SheetKind; 15] = [
        Self::Organisations,
        Self::Events,
        Self::Figures,
        Self::Loans,
        Self::Schedules,
        Self::LoanTransactions,
        Self::Activities,
        Self::Memberships,
        Self::CommitteeSeats,
        Self::Inspections,
        Self::Complaints,
        Self::Programmes,
        Self::ProgrammeStages,
        Self::Support,
        Self::PlanTargets,
    ];
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

const CONTRACT: Column = col(
    "contract",
    "Số hợp đồng",
    &[
        "so hop dong tin dung",
        "hop dong",
        "contract",
        "contract no",
    ],
    true,
    "Số hợp đồng tín dụng (duy nhất)",
);

/// Loan contracts of the support fund.
pub const LOANS: &[Column] = &[
    CONTRACT,
    col(
        "borrower",
        "Mã số đăng ký bên vay",
        &[
            "ma so dang ky",
            "ma so dang ky htx",
            "borrower",
            "borrower code",
        ],
        true,
        "Mã số đăng ký của tổ chức vay, hoặc của HTX/THT có thành viên vay",
    ),
    col(
        "member_name",
        "Họ tên thành viên vay",
        &["thanh vien vay", "member name"],
        false,
        "Khi thành viên HTX/THT vay với tư cách cá nhân",
    ),
    col(
        "member_id",
        "Số định danh thành viên",
        &["so cccd", "cccd", "member id"],
        false,
        "Số căn cước của thành viên vay",
    ),
    col(
        "amount",
        "Số tiền duyệt (đồng)",
        &["so tien duyet", "so tien vay", "amount", "approved amount"],
        true,
        "đồng",
    ),
    col(
        "rate",
        "Lãi suất (%/năm)",
        &["lai suat", "rate", "interest rate"],
        true,
        "ví dụ 6,6",
    ),
    col(
        "overdue_rate",
        "Lãi suất quá hạn (%/năm)",
        &["lai suat qua han", "overdue rate"],
        false,
        "mặc định bằng 150% lãi suất trong hạn",
    ),
    col(
        "term",
        "Thời hạn (tháng)",
        &["thoi han", "thoi han vay", "term", "term months"],
        true,
        "số tháng",
    ),
    col(
        "every",
        "Kỳ trả nợ (tháng)",
        &["ky tra no", "ky han tra no", "repayment every"],
        false,
        "1, 3, 6 (mặc định) hoặc 12",
    ),
    col(
        "method",
        "Phương thức trả nợ",
        &["phuong thuc", "method"],
        false,
        "trả gốc đều (mặc định), trả góp đều, hoặc theo lịch (sheet Lịch trả nợ)",
    ),
    col(
        "contract_date",
        "Ngày ký hợp đồng",
        &["ngay ky", "ngay hop dong", "contract date"],
        true,
        "dd/mm/yyyy",
    ),
    col(
        "decision_no",
        "Số quyết định cho vay",
        &["so quyet dinh", "quyet dinh cho vay", "decision no"],
        true,
        "ví dụ 41/QĐ-QHTPT",
    ),
    col(
        "decision_date",
        "Ngày quyết định",
        &["ngay quyet dinh cho vay", "decision date"],
        true,
        "dd/mm/yyyy",
    ),
    col(
        "purpose",
        "Mục đích vay",
        &["muc dich", "purpose"],
        true,
        "Mục đích sử dụng vốn vay",
    ),
    col(
        "project_cost",
        "Tổng mức đầu tư (đồng)",
        &["tong muc dau tu", "project cost"],
        false,
        "đồng",
    ),
    col(
        "own_capital",
        "Vốn tự có (đồng)",
        &["von tu co", "von doi ung", "own capital"],
        false,
        "đồng",
    ),
    col(
        "collateral",
        "Tài sản bảo đảm",
        &["tai san dam bao", "collateral"],
        false,
        "Mô tả tài sản bảo đảm",
    ),
];

/// Agreed repayment schedules (for loans repaid "theo lịch").
pub const SCHEDULES: &[Column] = &[
    CONTRACT,
    col(
        "due",
        "Ngày đến hạn",
        &["ky han", "ngay tra no", "due date"],
        true,
        "dd/mm/yyyy",
    ),
    col(
        "principal",
        "Nợ gốc phải trả (đồng)",
        &["no goc", "goc phai tra", "principal"],
        true,
        "đồng",
    ),
    col(
        "interest",
        "Lãi dự kiến (đồng)",
        &["lai du kien", "interest"],
        false,
        "đồng",
    ),
];

/// Loan transactions.
pub const LOAN_TRANSACTIONS: &[Column] = &[
    CONTRACT,
    col(
        "kind",
        "Loại giao dịch",
        &["giao dich", "nghiep vu", "transaction", "kind"],
        true,
        "giải ngân, thu nợ gốc, thu lãi, gia hạn nợ, điều chỉnh kỳ hạn, chuyển nợ quá hạn, xóa nợ",
    ),
    col(
        "date",
        "Ngày giao dịch",
        &["ngay", "ngay hach toan", "value date", "date"],
        true,
        "dd/mm/yyyy",
    ),
    col(
        "amount",
        "Số tiền (đồng)",
        &["so tien", "amount"],
        false,
        "đồng",
    ),
    col(
        "new_maturity",
        "Ngày đáo hạn mới",
        &["han moi", "new maturity"],
        false,
        "Gia hạn nợ: ngày đáo hạn mới",
    ),
    col(
        "reference",
        "Căn cứ",
        &["so quyet dinh", "chung tu", "reference"],
        false,
        "Số quyết định, chứng từ",
    ),
];

/// The Alliance's activities.
pub const ACTIVITIES: &[Column] = &[
    col(
        "activity",
        "Loại hoạt động",
        &["hoat dong", "activity", "activity kind"],
        true,
        "lớp tập huấn, chuyên đề, bài báo, tin bài, chương trình phối hợp, hội chợ, hội nghị, hội thảo, đối thoại, văn bản tham mưu",
    ),
    col(
        "title",
        "Nội dung",
        &["ten hoat dong", "tieu de", "title"],
        true,
        "Tên, nội dung hoạt động",
    ),
    col(
        "date",
        "Ngày",
        &["ngay to chuc", "ngay bat dau", "date"],
        true,
        "dd/mm/yyyy",
    ),
    col(
        "planned",
        "Dự kiến",
        &["chua to chuc", "planned"],
        false,
        "x nếu mới dự kiến",
    ),
    col(
        "area",
        "Địa bàn (mã)",
        &["ma dia ban", "dia ban", "area"],
        false,
        "Mã huyện hoặc xã có hiệu lực vào ngày đó",
    ),
    col(
        "quantity",
        "Số lượng",
        &["quantity"],
        false,
        "Số chuyên đề, bài báo, tin bài (mặc định 1)",
    ),
    col(
        "attendees",
        "Số người tham dự",
        &["luot nguoi", "so luot", "attendees"],
        false,
        "Lượt người",
    ),
    col(
        "channel",
        "Kênh, địa điểm",
        &["kenh", "dia diem", "channel"],
        false,
        "Đài, báo, cổng thông tin; nơi tổ chức",
    ),
    col(
        "partner",
        "Đơn vị phối hợp",
        &["don vi to chuc", "doi tac", "partner"],
        false,
        "",
    ),
    col(
        "document_no",
        "Số văn bản",
        &["van ban", "document"],
        false,
        "Số hiệu văn bản tham mưu",
    ),
    col("issuer", "Cơ quan ban hành", &["issuer"], false, ""),
    col(
        "organisations",
        "Mã số tổ chức tham gia",
        &["to chuc tham gia", "organisations"],
        false,
        "Mã số đăng ký, cách nhau bằng dấu ;",
    ),
    col(
        "end",
        "Ngày kết thúc",
        &["ngay ket thuc", "end date", "end"],
        false,
        "dd/mm/yyyy, không trước Ngày; để trống nếu trong một ngày",
    ),
];

/// Admissions to and departures from the Alliance.
pub const MEMBERSHIPS: &[Column] = &[
    col(
        "member_code",
        "Mã số đăng ký thành viên",
        &["ma so thanh vien", "member code"],
        false,
        "Mã số đăng ký của HTX/LHHTX thành viên",
    ),
    col(
        "member_name",
        "Tên thành viên",
        &["ten doanh nghiep", "member name"],
        false,
        "Tên doanh nghiệp, hiệp hội (khi không có mã số)",
    ),
    col(
        "change",
        "Kết nạp / ra khỏi",
        &["ket nap", "bien dong", "change"],
        true,
        "kết nạp hoặc ra khỏi",
    ),
    col(
        "date",
        "Ngày quyết định",
        &["ngay ket nap", "ngay", "date"],
        true,
        "dd/mm/yyyy",
    ),
    col(
        "category",
        "Loại thành viên",
        &["hinh thuc", "category"],
        false,
        "chính thức (mặc định) hoặc liên kết",
    ),
    col(
        "reference",
        "Số quyết định",
        &["quyet dinh", "reference"],
        false,
        "",
    ),
];

/// The organisation a row of the Alliance's sheets is about, by registration code; optional
/// on the sheets where a record may concern no single organisation.
const fn org_code(required: bool, help: &'static str) -> Column {
    col(
        "reg_code",
        "Mã số đăng ký",
        &[
            "ma so",
            "so dang ky",
            "ma so dang ky htx",
            "ma so htx",
            "registration code",
            "reg_code",
        ],
        required,
        help,
    )
}

const PROGRAMME_CODE: Column = col(
    "programme",
    "Mã chương trình",
    &["chuong trinh", "programme code", "programme"],
    true,
    "Mã ngắn của chương trình, chính sách (ví dụ QD167); trùng với sheet Chương trình",
);

const NOTE: Column = col("note", "Ghi chú", &["note"], false, "");

/// Seats on the Alliance's committees (kiện toàn), and when they ended.
pub const COMMITTEE_SEATS: &[Column] = &[
    col(
        "committee",
        "Ban",
        &["ten ban", "committee"],
        true,
        "Ban Chấp hành, Ban Thường vụ hoặc Ủy ban Kiểm tra (Ban Kiểm soát)",
    ),
    col(
        "person",
        "Họ và tên",
        &["ho ten", "person"],
        true,
        "Người được bầu, bổ nhiệm",
    ),
    col(
        "position",
        "Chức vụ",
        &["chuc danh", "position"],
        true,
        "Chủ tịch, Phó Chủ tịch, Ủy viên, …",
    ),
    col("term", "Nhiệm kỳ", &["term"], false, "ví dụ 2020-2025"),
    col(
        "from",
        "Từ ngày",
        &[
            "ngay bat dau",
            "ngay bau",
            "ngay bo nhiem",
            "from",
            "start date",
        ],
        true,
        "dd/mm/yyyy",
    ),
    col(
        "to",
        "Đến ngày",
        &["ngay ket thuc", "ngay thoi giu chuc", "to", "end date"],
        false,
        "Ngày thôi giữ chức (để trống khi còn giữ)",
    ),
];

/// The Supervisory Committee's inspections and supervisions of organisations.
pub const INSPECTIONS: &[Column] = &[
    org_code(
        false,
        "Mã số đăng ký của tổ chức được kiểm tra, giám sát (nếu có)",
    ),
    col(
        "inspection",
        "Kiểm tra / giám sát",
        &["loai kiem tra", "inspection kind"],
        true,
        "kiểm tra hoặc giám sát",
    ),
    col(
        "date",
        "Ngày",
        &["ngay kiem tra", "ngay giam sat", "date"],
        true,
        "dd/mm/yyyy",
    ),
    col(
        "planned",
        "Dự kiến",
        &["chua thuc hien", "planned"],
        false,
        "x nếu mới có trong kế hoạch",
    ),
    col(
        "subject",
        "Nội dung",
        &["noi dung kiem tra", "noi dung giam sat", "subject"],
        true,
        "Nội dung kiểm tra, giám sát",
    ),
    col(
        "findings",
        "Kết quả, phát hiện",
        &["ket qua", "phat hien", "findings"],
        false,
        "",
    ),
    col(
        "recommendations",
        "Kiến nghị",
        &["kien nghi, de xuat", "recommendations"],
        false,
        "",
    ),
    col(
        "follow_up",
        "Theo dõi thực hiện kiến nghị",
        &["theo doi", "ket qua khac phuc", "follow up"],
        false,
        "Việc khắc phục sau kiểm tra, giám sát",
    ),
];

/// Complaints and petitions the Supervisory Committee received.
pub const COMPLAINTS: &[Column] = &[
    col(
        "received",
        "Ngày nhận",
        &["ngay tiep nhan", "received"],
        true,
        "dd/mm/yyyy",
    ),
    col(
        "complainant",
        "Người gửi",
        &["nguoi gui don", "nguoi khieu nai", "complainant"],
        true,
        "Cá nhân, tổ chức gửi đơn",
    ),
    org_code(
        false,
        "Mã số đăng ký của tổ chức bị khiếu nại, phản ánh (nếu có)",
    ),
    col(
        "subject",
        "Nội dung đơn",
        &["noi dung don thu", "subject"],
        true,
        "",
    ),
    col(
        "handled",
        "Ngày giải quyết",
        &["ngay xu ly", "handled"],
        false,
        "dd/mm/yyyy; để trống nếu chưa giải quyết",
    ),
    col(
        "result",
        "Kết quả giải quyết",
        &["ket qua xu ly", "result"],
        false,
        "",
    ),
];

/// Programmes and policies organisations are selected for or supported under.
pub const PROGRAMMES: &[Column] = &[
    PROGRAMME_CODE,
    col(
        "programme_name",
        "Tên chương trình",
        &["programme name"],
        true,
        "",
    ),
    col(
        "decision",
        "Quyết định",
        &["can cu", "so quyet dinh", "decision"],
        false,
        "Văn bản ban hành, ví dụ Quyết định số 167/QĐ-TTg ngày 08/02/2021",
    ),
];

/// The stages organisations reached in a programme (nominated, evaluated, selected).
pub const PROGRAMME_STAGES: &[Column] = &[
    PROGRAMME_CODE,
    org_code(true, "Mã số đăng ký của tổ chức"),
    col(
        "stage",
        "Bước",
        &["giai doan", "ket qua lua chon", "stage"],
        true,
        "đề xuất, đánh giá hoặc lựa chọn",
    ),
    col(
        "date",
        "Ngày",
        &["ngay quyet dinh", "date"],
        true,
        "dd/mm/yyyy",
    ),
    NOTE,
];

/// Support given to organisations (the support ledger).
pub const SUPPORT: &[Column] = &[
    org_code(true, "Mã số đăng ký của tổ chức được hỗ trợ"),
    Column {
        required: false,
        help: "Chương trình hỗ trợ (nếu có)",
        ..PROGRAMME_CODE
    },
    col(
        "category",
        "Nội dung hỗ trợ",
        &["loai ho tro", "hinh thuc ho tro", "category"],
        true,
        "đào tạo, xúc tiến thương mại, ứng dụng khoa học, đầu tư kết cấu hạ tầng, tiếp cận vốn, thành lập mới, chế biến sản phẩm hoặc hỗ trợ khác (sheet Danh mục)",
    ),
    col(
        "amount",
        "Số tiền hỗ trợ (đồng)",
        &["so tien", "kinh phi", "amount"],
        true,
        "đồng",
    ),
    col("date", "Ngày", &["ngay ho tro", "date"], true, "dd/mm/yyyy"),
    NOTE,
];

/// Targets of the Alliance's plans, one indicator a row.
pub const PLAN_TARGETS: &[Column] = &[
    col(
        "period",
        "Kỳ kế hoạch",
        &["ky", "period"],
        true,
        "2022 (cả năm), 2022-H1 (6 tháng), 2022-Q3 (quý)",
    ),
    col(
        "indicator",
        "Chỉ tiêu",
        &["ma chi tieu", "indicator"],
        true,
        "Mã hoặc tên chỉ tiêu (sheet Danh mục)",
    ),
    col(
        "value",
        "Giá trị",
        &["muc chi tieu", "target", "value"],
        true,
        "Số lượng, hoặc số đồng",
    ),
    col(
        "title",
        "Tên kế hoạch",
        &["title"],
        false,
        "Để trống: giữ tên đã ghi",
    ),
    col(
        "reference",
        "Văn bản kế hoạch",
        &["so ke hoach", "reference"],
        false,
        "ví dụ KH số 12/KH-LMHTX ngày 10/01/2022; để trống: giữ văn bản đã ghi",
    ),
];

/// A heading as it is compared: without accents or case, and without the "*" that marks
/// required columns.
fn heading_key(heading: &str) -> String {
    text::fold(heading)
        .trim_end_matches(|c: char| c == '*' || c.is_whitespace())
        .to_string()
}

/// The keys a column answers to: its heading, its aliases and its internal key.
fn column_keys(column: &Column) -> impl Iterator<Item = String> {
    std::iter::once(text::fold(column.heading))
        .chain(column.aliases.iter().map(|a| text::fold(a)))
        .chain(std::iter::once(column.key.to_string()))
}

/// Whether a heading names a column.
pub fn matches(column: &Column, heading: &str) -> bool {
    let key = heading_key(heading);
    column_keys(column).any(|k| k == key)
}

/// The positions of a sheet's headings by compared key, built once per sheet so that matching
/// columns does not depend on how many headings there are.
struct HeadingIndex(HashMap<String, Vec<usize>>);

impl HeadingIndex {
    fn new(headings: &[String]) -> Self {
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, h) in headings.iter().enumerate() {
            let key = heading_key(h);
            if !key.is_empty() {
                index.entry(key).or_default().push(i);
            }
        }
        HeadingIndex(index)
    }

    /// Every heading that names a column, in sheet order.
    fn positions_of(&self, column: &Column) -> Vec<usize> {
        let mut found: Vec<usize> = column_keys(column)
            .filter_map(|k| self.0.get(&k))
            .flatten()
            .copied()
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// Recognises a sheet from its headings: returns its kind and, for each column, the
/// index of the heading that holds it.
pub fn recognise(headings: &[String]) -> Option<(SheetKind, Vec<Option<usize>>)> {
    let index = HeadingIndex::new(headings);
    let mut best: Option<(SheetKind, Vec<Option<usize>>, usize)> = None;
    for kind in SheetKind::ALL {
        let positions: Vec<Option<usize>> = kind
            .columns()
            .iter()
            .map(|c| index.positions_of(c).first().copied())
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

/// Why a recognised sheet's headings are ambiguous: the same heading twice, or two headings
/// that name the same column (the second column's values would otherwise be dropped).
pub fn duplicated_heading(kind: SheetKind, headings: &[String]) -> Option<String> {
    let index = HeadingIndex::new(headings);
    let at = |i: usize| format!("cột {} \"{}\"", column_letters(i), headings[i]);
    for column in kind.columns() {
        if let [first, second, ..] = index.positions_of(column)[..] {
            return Some(format!(
                "{} và {} cùng là cột \"{}\"; hãy xóa hoặc đổi tên một cột",
                at(first),
                at(second),
                column.heading
            ));
        }
    }
    let mut twice: Vec<&Vec<usize>> = index.0.values().filter(|p| p.len() > 1).collect();
    twice.sort();
    twice.first().map(|p| {
        format!(
            "tiêu đề \"{}\" có ở cả cột {} và cột {}; hãy xóa hoặc đổi tên một cột",
            headings[p[0]],
            column_letters(p[0]),
            column_letters(p[1])
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_sheet_is_recognised_as_itself() {
        for kind in SheetKind::ALL {
            let headings: Vec<String> = kind
                .columns()
                .iter()
                .map(|c| c.heading.to_string())
                .collect();
            let (found, positions) = recognise(&headings).expect("recognised");
            assert_eq!(found, kind, "headings of {:?}", kind);
            assert!(positions.iter().all(Option::is_some), "{kind:?}");
        }
    }

    #[test]
    fn no_two_columns_of_a_sheet_answer_to_the_same_heading() {
        for kind in SheetKind::ALL {
            let mut seen = HashMap::new();
            for c in kind.columns() {
                for key in column_keys(c).collect::<std::collections::HashSet<_>>() {
                    if let Some(other) = seen.insert(key.clone(), c.key) {
                        panic!("{kind:?}: \"{key}\" names both {other} and {}", c.key);
                    }
                }
            }
        }
    }

    #[test]
    fn a_heading_twice_or_two_headings_of_one_column_are_named() {
        let headings = |hs: &[&str]| hs.iter().map(|h| h.to_string()).collect::<Vec<_>>();
        let orgs = headings(&[
            "Mã số đăng ký",
            "Tên",
            "Loại hình",
            "Ngày thành lập",
            "Mã xã",
            "Lĩnh vực",
            "Tên tổ chức",
        ]);
        let (kind, _) = recognise(&orgs).unwrap();
        let why = duplicated_heading(kind, &orgs).unwrap();
        assert!(
            why.contains("cột B \"Tên\"") && why.contains("cột G \"Tên tổ chức\""),
            "{why}"
        );
        let mut with_notes = headings(&["Mã số đăng ký", "Loại hình", "Tên tổ chức"]);
        with_notes.extend(headings(&[
            "Ngày thành lập",
            "Mã xã",
            "Lĩnh vực",
            "Ghi chú",
            "",
            "",
            "ghi chu",
        ]));
        let why = duplicated_heading(kind, &with_notes).unwrap();
        assert!(why.contains("cột G và cột J"), "{why}");
        let (_, fine) = (
            kind,
            headings(&["Mã số đăng ký", "Loại hình", "Tên tổ chức", "", ""]),
        );
        assert_eq!(duplicated_heading(kind, &fine), None);
    }

    #[test]
    fn many_headings_are_recognised_in_linear_time() {
        let headings: Vec<String> = (0..20_000).map(|_| "Tên tổ chức".to_string()).collect();
        let started = std::time::Instant::now();
        assert!(recognise(&headings).is_none());
        assert!(duplicated_heading(SheetKind::Organisations, &headings).is_some());
        assert!(
            started.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn sheet_names_fit_in_a_workbook() {
        for kind in SheetKind::ALL {
            assert!(kind.name().chars().count() <= 31, "{:?}", kind);
        }
    }
}
