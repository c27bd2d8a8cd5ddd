//! The columns of the import format: Vietnamese headings officials use, English aliases,
//! and what each means. The template and docs/import-format.md are written from this list.

use crate::domain::text;
use crate::import::sheet::column_letters;
use std::collections::HashMap;

/// The key of a column: what a cell means, whatever its heading. A typo in a key is a
/// compile error, not a panic on the first import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Col {
    End,
    RegCode,
    Kind,
    Name,
    Established,
    Commune,
    Sector,
    Address,
    RegisteringBody,
    Law,
    Representative,
    NewType,
    HighTech,
    ValueChain,
    Ocop,
    FoundingMembers,
    Event,
    Date,
    NewName,
    NewCommune,
    NewAddress,
    NewSector,
    NewLaw,
    NewRepresentative,
    Related,
    Reference,
    Source,
    Year,
    OfficialMembers,
    AssociateMembers,
    Workers,
    SeasonalWorkers,
    CharterCapital,
    OperatingCapital,
    TotalAssets,
    Revenue,
    Profit,
    AverageIncome,
    Contract,
    Borrower,
    BorrowerKind,
    MemberName,
    MemberId,
    Amount,
    Rate,
    OverdueRate,
    Term,
    Every,
    Method,
    ContractDate,
    DecisionNo,
    DecisionDate,
    Purpose,
    ProjectCost,
    OwnCapital,
    Collateral,
    Due,
    Principal,
    Interest,
    NewMaturity,
    Activity,
    Title,
    Planned,
    Area,
    Quantity,
    Attendees,
    Channel,
    Partner,
    DocumentNo,
    Issuer,
    Organisations,
    MemberCode,
    Change,
    Category,
    Programme,
    Note,
    Committee,
    Person,
    Position,
    From,
    To,
    Inspection,
    Subject,
    Findings,
    Recommendations,
    FollowUp,
    Received,
    Complainant,
    Handled,
    Result,
    ProgrammeName,
    Decision,
    Stage,
    Period,
    Indicator,
    Value,
    C1,
    C2,
    C3,
    C4,
    C5,
    C6,
    C7,
    C8,
    C9,
    C10,
    C11,
    C12,
    C13,
    C14,
    C15,
    Total,
    Grade,
    NotGraded,
    ScoredBy,
    ScoredOn,
    GroupCode,
    GroupName,
    GroupNameEn,
    Fields,
}

impl std::fmt::Display for Col {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Col {
    /// Every key.
    pub const ALL: [Col; 120] = [
        Col::End,
        Col::RegCode,
        Col::Kind,
        Col::Name,
        Col::Established,
        Col::Commune,
        Col::Sector,
        Col::Address,
        Col::RegisteringBody,
        Col::Law,
        Col::Representative,
        Col::NewType,
        Col::HighTech,
        Col::ValueChain,
        Col::Ocop,
        Col::FoundingMembers,
        Col::Event,
        Col::Date,
        Col::NewName,
        Col::NewCommune,
        Col::NewAddress,
        Col::NewSector,
        Col::NewLaw,
        Col::NewRepresentative,
        Col::Related,
        Col::Reference,
        Col::Source,
        Col::Year,
        Col::OfficialMembers,
        Col::AssociateMembers,
        Col::Workers,
        Col::SeasonalWorkers,
        Col::CharterCapital,
        Col::OperatingCapital,
        Col::TotalAssets,
        Col::Revenue,
        Col::Profit,
        Col::AverageIncome,
        Col::Contract,
        Col::Borrower,
        Col::BorrowerKind,
        Col::MemberName,
        Col::MemberId,
        Col::Amount,
        Col::Rate,
        Col::OverdueRate,
        Col::Term,
        Col::Every,
        Col::Method,
        Col::ContractDate,
        Col::DecisionNo,
        Col::DecisionDate,
        Col::Purpose,
        Col::ProjectCost,
        Col::OwnCapital,
        Col::Collateral,
        Col::Due,
        Col::Principal,
        Col::Interest,
        Col::NewMaturity,
        Col::Activity,
        Col::Title,
        Col::Planned,
        Col::Area,
        Col::Quantity,
        Col::Attendees,
        Col::Channel,
        Col::Partner,
        Col::DocumentNo,
        Col::Issuer,
        Col::Organisations,
        Col::MemberCode,
        Col::Change,
        Col::Category,
        Col::Programme,
        Col::Note,
        Col::Committee,
        Col::Person,
        Col::Position,
        Col::From,
        Col::To,
        Col::Inspection,
        Col::Subject,
        Col::Findings,
        Col::Recommendations,
        Col::FollowUp,
        Col::Received,
        Col::Complainant,
        Col::Handled,
        Col::Result,
        Col::ProgrammeName,
        Col::Decision,
        Col::Stage,
        Col::Period,
        Col::Indicator,
        Col::Value,
        Col::C1,
        Col::C2,
        Col::C3,
        Col::C4,
        Col::C5,
        Col::C6,
        Col::C7,
        Col::C8,
        Col::C9,
        Col::C10,
        Col::C11,
        Col::C12,
        Col::C13,
        Col::C14,
        Col::C15,
        Col::Total,
        Col::Grade,
        Col::NotGraded,
        Col::ScoredBy,
        Col::ScoredOn,
        Col::GroupCode,
        Col::GroupName,
        Col::GroupNameEn,
        Col::Fields,
    ];

    /// The key named as the application layer names an input's field, when a column holds
    /// that field (`"contract"` → [`Col::Contract`]).
    pub fn named(name: &str) -> Option<Col> {
        Col::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// The key as written in messages to developers and in the English aliases.
    pub fn name(self) -> &'static str {
        match self {
            Col::End => "end",
            Col::RegCode => "reg_code",
            Col::Kind => "kind",
            Col::Name => "name",
            Col::Established => "established",
            Col::Commune => "commune",
            Col::Sector => "sector",
            Col::Address => "address",
            Col::RegisteringBody => "registering_body",
            Col::Law => "law",
            Col::Representative => "representative",
            Col::NewType => "new_type",
            Col::HighTech => "high_tech",
            Col::ValueChain => "value_chain",
            Col::Ocop => "ocop",
            Col::FoundingMembers => "founding_members",
            Col::Event => "event",
            Col::Date => "date",
            Col::NewName => "new_name",
            Col::NewCommune => "new_commune",
            Col::NewAddress => "new_address",
            Col::NewSector => "new_sector",
            Col::NewLaw => "new_law",
            Col::NewRepresentative => "new_representative",
            Col::Related => "related",
            Col::Reference => "reference",
            Col::Source => "source",
            Col::Year => "year",
            Col::OfficialMembers => "official_members",
            Col::AssociateMembers => "associate_members",
            Col::Workers => "workers",
            Col::SeasonalWorkers => "seasonal_workers",
            Col::CharterCapital => "charter_capital",
            Col::OperatingCapital => "operating_capital",
            Col::TotalAssets => "total_assets",
            Col::Revenue => "revenue",
            Col::Profit => "profit",
            Col::AverageIncome => "average_income",
            Col::Contract => "contract",
            Col::Borrower => "borrower",
            Col::BorrowerKind => "borrower_kind",
            Col::MemberName => "member_name",
            Col::MemberId => "member_id",
            Col::Amount => "amount",
            Col::Rate => "rate",
            Col::OverdueRate => "overdue_rate",
            Col::Term => "term",
            Col::Every => "every",
            Col::Method => "method",
            Col::ContractDate => "contract_date",
            Col::DecisionNo => "decision_no",
            Col::DecisionDate => "decision_date",
            Col::Purpose => "purpose",
            Col::ProjectCost => "project_cost",
            Col::OwnCapital => "own_capital",
            Col::Collateral => "collateral",
            Col::Due => "due",
            Col::Principal => "principal",
            Col::Interest => "interest",
            Col::NewMaturity => "new_maturity",
            Col::Activity => "activity",
            Col::Title => "title",
            Col::Planned => "planned",
            Col::Area => "area",
            Col::Quantity => "quantity",
            Col::Attendees => "attendees",
            Col::Channel => "channel",
            Col::Partner => "partner",
            Col::DocumentNo => "document_no",
            Col::Issuer => "issuer",
            Col::Organisations => "organisations",
            Col::MemberCode => "member_code",
            Col::Change => "change",
            Col::Category => "category",
            Col::Programme => "programme",
            Col::Note => "note",
            Col::Committee => "committee",
            Col::Person => "person",
            Col::Position => "position",
            Col::From => "from",
            Col::To => "to",
            Col::Inspection => "inspection",
            Col::Subject => "subject",
            Col::Findings => "findings",
            Col::Recommendations => "recommendations",
            Col::FollowUp => "follow_up",
            Col::Received => "received",
            Col::Complainant => "complainant",
            Col::Handled => "handled",
            Col::Result => "result",
            Col::ProgrammeName => "programme_name",
            Col::Decision => "decision",
            Col::Stage => "stage",
            Col::Period => "period",
            Col::Indicator => "indicator",
            Col::Value => "value",
            Col::C1 => "c1",
            Col::C2 => "c2",
            Col::C3 => "c3",
            Col::C4 => "c4",
            Col::C5 => "c5",
            Col::C6 => "c6",
            Col::C7 => "c7",
            Col::C8 => "c8",
            Col::C9 => "c9",
            Col::C10 => "c10",
            Col::C11 => "c11",
            Col::C12 => "c12",
            Col::C13 => "c13",
            Col::C14 => "c14",
            Col::C15 => "c15",
            Col::Total => "total",
            Col::Grade => "grade",
            Col::NotGraded => "not_graded",
            Col::ScoredBy => "scored_by",
            Col::ScoredOn => "scored_on",
            Col::GroupCode => "group_code",
            Col::GroupName => "group_name",
            Col::GroupNameEn => "group_name_en",
            Col::Fields => "fields",
        }
    }
}

/// One column of one sheet.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// What the cell means.
    pub key: Col,
    /// The heading written in templates.
    pub heading: &'static str,
    /// Other headings accepted (compared without accents or case).
    pub aliases: &'static [&'static str],
    pub required: bool,
    /// What to write in it.
    pub help: &'static str,
}

impl Column {
    /// Stands for a key a sheet does not have, named by the key itself.
    pub(crate) fn unknown(key: Col) -> Column {
        Column {
            key,
            heading: key.name(),
            aliases: &[],
            required: false,
            help: "",
        }
    }
}

const fn col(
    key: Col,
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
    Evaluations,
    FundCapital,
    ReportingGroups,
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
            Self::Evaluations => "Đánh giá, xếp loại",
            Self::FundCapital => "Vốn điều lệ Quỹ",
            Self::ReportingGroups => "Nhóm báo cáo",
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
            Self::Evaluations => EVALUATIONS,
            Self::FundCapital => FUND_CAPITAL,
            Self::ReportingGroups => REPORTING_GROUPS,
        }
    }

    /// Every kind, in the order sheets are processed and written in templates.
    pub const ALL: [SheetKind; 18] = [
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
        Self::Evaluations,
        Self::FundCapital,
        Self::ReportingGroups,
    ];
}

const REG_CODE: Column = col(
    Col::RegCode,
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
        Col::Kind,
        "Loại hình",
        &["loai", "loai hinh to chuc", "kind", "type"],
        true,
        "THT, HTX, LHHTX hoặc QTDND",
    ),
    col(
        Col::Name,
        "Tên tổ chức",
        &["ten", "ten htx", "ten to chuc kinh te tap the", "name"],
        true,
        "Tên đầy đủ theo giấy chứng nhận",
    ),
    col(
        Col::Established,
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
        Col::Commune,
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
        Col::Sector,
        "Lĩnh vực",
        &["nganh nghe", "linh vuc hoat dong", "sector", "field"],
        true,
        "Tên hoặc mã lĩnh vực trong danh mục (sheet Danh mục)",
    ),
    col(
        Col::Address,
        "Địa chỉ",
        &["dia chi tru so", "tru so", "address"],
        false,
        "Địa chỉ trụ sở",
    ),
    col(
        Col::RegisteringBody,
        "Cơ quan đăng ký",
        &["noi cap", "co quan cap", "registering body"],
        false,
        "Cơ quan cấp giấy chứng nhận",
    ),
    col(
        Col::Law,
        "Luật",
        &["theo luat", "law"],
        false,
        "2012 (mặc định) hoặc 2023",
    ),
    col(
        Col::Representative,
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
        Col::NewType,
        "HTX kiểu mới (QĐ 167)",
        &["htx kieu moi", "kieu moi", "new type"],
        false,
        "x nếu là mô hình HTX kiểu mới",
    ),
    col(
        Col::HighTech,
        "Công nghệ cao",
        &["ung dung cong nghe cao", "high tech"],
        false,
        "x nếu ứng dụng công nghệ cao",
    ),
    col(
        Col::ValueChain,
        "Chuỗi giá trị",
        &["lien ket chuoi gia tri", "value chain"],
        false,
        "x nếu tham gia chuỗi giá trị",
    ),
    col(
        Col::Ocop,
        "OCOP",
        &["san pham ocop", "ocop"],
        false,
        "x nếu có sản phẩm OCOP",
    ),
    col(
        Col::FoundingMembers,
        "Số thành viên khi thành lập",
        &[
            "thanh vien khi thanh lap",
            "so thanh vien sang lap",
            "thanh vien sang lap",
            "founding members",
        ],
        false,
        "người; để trống nếu không rõ",
    ),
];

/// Lifecycle events after establishment.
pub const EVENTS: &[Column] = &[
    REG_CODE,
    col(
        Col::Event,
        "Sự kiện",
        &["loai su kien", "event", "event kind"],
        true,
        "ngừng hoạt động, giải thể, tạm ngừng kinh doanh, hoạt động trở lại, đăng ký thay đổi, phá sản, thu hồi giấy chứng nhận, chuyển đổi, hợp nhất, sáp nhập, chia, tách, đăng ký lại",
    ),
    col(
        Col::Date,
        "Ngày hiệu lực",
        &["ngay", "ngay su kien", "effective date", "date"],
        true,
        "dd/mm/yyyy",
    ),
    col(
        Col::NewName,
        "Tên mới",
        &["new name"],
        false,
        "Đăng ký thay đổi: tên mới",
    ),
    col(
        Col::NewCommune,
        "Mã xã mới",
        &["new commune code"],
        false,
        "Đăng ký thay đổi: mã xã mới",
    ),
    col(
        Col::NewAddress,
        "Địa chỉ mới",
        &["new address"],
        false,
        "Đăng ký thay đổi: địa chỉ mới",
    ),
    col(
        Col::NewSector,
        "Lĩnh vực mới",
        &["new sector"],
        false,
        "Đăng ký thay đổi: lĩnh vực mới",
    ),
    col(
        Col::NewLaw,
        "Luật mới",
        &["new law"],
        false,
        "Đăng ký lại: 2023",
    ),
    col(
        Col::NewRepresentative,
        "Người đại diện mới",
        &["new representative"],
        false,
        "Đăng ký thay đổi: người đại diện mới",
    ),
    col(
        Col::Related,
        "Tổ chức liên quan",
        &["ma so to chuc lien quan", "related"],
        false,
        "Mã số đăng ký của tổ chức kế thừa (chuyển đổi, hợp nhất, sáp nhập, chia, tách), cách nhau bằng dấu ;",
    ),
    col(
        Col::Reference,
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
        Col::Year,
        "Năm",
        &["nam bao cao", "year"],
        true,
        "Năm của số liệu (yyyy)",
    ),
    col(
        Col::OfficialMembers,
        "Thành viên chính thức",
        &["so thanh vien chinh thuc", "thanh vien", "official members"],
        false,
        "người",
    ),
    col(
        Col::AssociateMembers,
        "Thành viên liên kết",
        &["so thanh vien lien ket", "associate members"],
        false,
        "người",
    ),
    col(
        Col::Workers,
        "Lao động thường xuyên",
        &["lao dong", "so lao dong", "workers"],
        false,
        "người",
    ),
    col(
        Col::SeasonalWorkers,
        "Lao động thời vụ",
        &["so lao dong thoi vu", "lao dong mua vu", "seasonal workers"],
        false,
        "người",
    ),
    col(
        Col::CharterCapital,
        "Vốn điều lệ (đồng)",
        &["von dieu le", "charter capital"],
        false,
        "đồng",
    ),
    col(
        Col::OperatingCapital,
        "Vốn hoạt động (đồng)",
        &["von hoat dong", "tong von hoat dong", "operating capital"],
        false,
        "đồng",
    ),
    col(
        Col::TotalAssets,
        "Tổng tài sản (đồng)",
        &["tong tai san", "total assets"],
        false,
        "đồng",
    ),
    col(
        Col::Revenue,
        "Doanh thu (đồng)",
        &["doanh thu", "tong doanh thu", "revenue"],
        false,
        "đồng",
    ),
    col(
        Col::Profit,
        "Lợi nhuận (đồng)",
        &["loi nhuan", "loi nhuan truoc thue", "profit"],
        false,
        "đồng (có thể âm)",
    ),
    col(
        Col::AverageIncome,
        "Thu nhập bình quân (đồng/người/năm)",
        &["thu nhap binh quan", "average income"],
        false,
        "đồng/người/năm",
    ),
    col(
        Col::Grade,
        "Xếp loại",
        &["ket qua xep loai", "grade"],
        false,
        "Kết quả đánh giá, xếp loại của năm (Thông tư 01/2020): Tốt, Khá, Trung bình hoặc Yếu; để trống nếu không có",
    ),
    col(
        Col::Total,
        "Điểm đánh giá",
        &["tong diem", "tong diem danh gia", "total"],
        false,
        "Tổng điểm đánh giá của năm (ví dụ 82,5); xếp loại phải khớp với điểm",
    ),
];

const CONTRACT: Column = col(
    Col::Contract,
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
        Col::Borrower,
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
        Col::BorrowerKind,
        "Loại bên vay",
        &["loai khach hang", "borrower kind"],
        false,
        "HTX, LHHTX, THT hoặc thành viên (thành viên HTX/THT vay với tư cách cá nhân); để trống thì theo sổ và theo cột Họ tên thành viên vay",
    ),
    col(
        Col::MemberName,
        "Họ tên thành viên vay",
        &["thanh vien vay", "ten ben vay", "member name"],
        false,
        "Khi thành viên HTX/THT vay với tư cách cá nhân (ghi tên của chính tổ chức thì là tổ chức vay)",
    ),
    col(
        Col::MemberId,
        "Số định danh thành viên",
        &["so cccd", "cccd", "member id"],
        false,
        "Số căn cước của thành viên vay",
    ),
    col(
        Col::Amount,
        "Số tiền duyệt (đồng)",
        &["so tien duyet", "so tien vay", "amount", "approved amount"],
        true,
        "đồng",
    ),
    col(
        Col::Rate,
        "Lãi suất (%/năm)",
        &["lai suat", "rate", "interest rate"],
        true,
        "ví dụ 6,6",
    ),
    col(
        Col::OverdueRate,
        "Lãi suất quá hạn (%/năm)",
        &["lai suat qua han", "overdue rate"],
        false,
        "mặc định bằng 150% lãi suất trong hạn",
    ),
    col(
        Col::Term,
        "Thời hạn (tháng)",
        &["thoi han", "thoi han vay", "term", "term months"],
        true,
        "số tháng",
    ),
    col(
        Col::Every,
        "Kỳ trả nợ (tháng)",
        &["ky tra no", "ky han tra no", "repayment every"],
        false,
        "1, 3, 6 (mặc định) hoặc 12",
    ),
    col(
        Col::Method,
        "Phương thức trả nợ",
        &["phuong thuc", "method"],
        false,
        "trả gốc đều (mặc định), trả góp đều, hoặc theo lịch (sheet Lịch trả nợ)",
    ),
    col(
        Col::ContractDate,
        "Ngày ký hợp đồng",
        &["ngay ky", "ngay hop dong", "contract date"],
        true,
        "dd/mm/yyyy",
    ),
    col(
        Col::DecisionNo,
        "Số quyết định cho vay",
        &["so quyet dinh", "quyet dinh cho vay", "decision no"],
        true,
        "ví dụ 41/QĐ-QHTPT",
    ),
    col(
        Col::DecisionDate,
        "Ngày quyết định",
        &["ngay quyet dinh cho vay", "decision date"],
        true,
        "dd/mm/yyyy",
    ),
    col(
        Col::Purpose,
        "Mục đích vay",
        &["muc dich", "purpose"],
        true,
        "Mục đích sử dụng vốn vay",
    ),
    col(
        Col::ProjectCost,
        "Tổng mức đầu tư (đồng)",
        &["tong muc dau tu", "project cost"],
        false,
        "đồng",
    ),
    col(
        Col::OwnCapital,
        "Vốn tự có (đồng)",
        &["von tu co", "von doi ung", "own capital"],
        false,
        "đồng",
    ),
    col(
        Col::Collateral,
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
        Col::Due,
        "Ngày đến hạn",
        &["ky han", "ngay tra no", "due date"],
        true,
        "dd/mm/yyyy",
    ),
    col(
        Col::Principal,
        "Nợ gốc phải trả (đồng)",
        &["no goc", "goc phai tra", "principal"],
        true,
        "đồng",
    ),
    col(
        Col::Interest,
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
        Col::Kind,
        "Loại giao dịch",
        &["giao dich", "nghiep vu", "transaction", "kind"],
        true,
        "giải ngân, thu nợ gốc, thu lãi, gia hạn nợ, điều chỉnh kỳ hạn, chuyển nợ quá hạn, xóa nợ",
    ),
    col(
        Col::Date,
        "Ngày giao dịch",
        &["ngay", "ngay hach toan", "value date", "date"],
        true,
        "dd/mm/yyyy",
    ),
    col(
        Col::Amount,
        "Số tiền (đồng)",
        &["so tien", "amount"],
        false,
        "đồng",
    ),
    col(
        Col::NewMaturity,
        "Ngày đáo hạn mới",
        &["han moi", "new maturity"],
        false,
        "Gia hạn nợ: ngày đáo hạn mới",
    ),
    col(
        Col::Reference,
        "Căn cứ",
        &["so quyet dinh", "chung tu", "reference"],
        false,
        "Số quyết định, chứng từ",
    ),
];

/// The Alliance's activities.
pub const ACTIVITIES: &[Column] = &[
    col(
        Col::Activity,
        "Loại hoạt động",
        &["hoat dong", "activity", "activity kind"],
        true,
        "lớp tập huấn, chuyên đề, bài báo, tin bài, chương trình phối hợp, hội chợ, hội nghị, hội thảo, đối thoại, văn bản tham mưu",
    ),
    col(
        Col::Title,
        "Nội dung",
        &["ten hoat dong", "tieu de", "title"],
        true,
        "Tên, nội dung hoạt động",
    ),
    col(
        Col::Date,
        "Ngày",
        &["ngay to chuc", "ngay bat dau", "date"],
        true,
        "dd/mm/yyyy",
    ),
    col(
        Col::Planned,
        "Dự kiến",
        &["chua to chuc", "planned"],
        false,
        "x nếu mới dự kiến",
    ),
    col(
        Col::Area,
        "Địa bàn (mã)",
        &["ma dia ban", "dia ban", "area"],
        false,
        "Mã huyện hoặc xã có hiệu lực vào ngày đó",
    ),
    col(
        Col::Quantity,
        "Số lượng",
        &["quantity"],
        false,
        "Số chuyên đề, bài báo, tin bài (mặc định 1)",
    ),
    col(
        Col::Attendees,
        "Số người tham dự",
        &["luot nguoi", "so luot", "attendees"],
        false,
        "Lượt người",
    ),
    col(
        Col::Channel,
        "Kênh, địa điểm",
        &["kenh", "dia diem", "channel"],
        false,
        "Đài, báo, cổng thông tin; nơi tổ chức",
    ),
    col(
        Col::Partner,
        "Đơn vị phối hợp",
        &["don vi to chuc", "doi tac", "partner"],
        false,
        "",
    ),
    col(
        Col::DocumentNo,
        "Số văn bản",
        &["van ban", "document"],
        false,
        "Số hiệu văn bản tham mưu",
    ),
    col(Col::Issuer, "Cơ quan ban hành", &["issuer"], false, ""),
    col(
        Col::Organisations,
        "Mã số tổ chức tham gia",
        &["to chuc tham gia", "organisations"],
        false,
        "Mã số đăng ký, cách nhau bằng dấu ;",
    ),
    col(
        Col::End,
        "Ngày kết thúc",
        &["ngay ket thuc", "end date", "end"],
        false,
        "dd/mm/yyyy, không trước Ngày; để trống nếu trong một ngày",
    ),
];

/// Admissions to and departures from the Alliance.
pub const MEMBERSHIPS: &[Column] = &[
    col(
        Col::MemberCode,
        "Mã số đăng ký thành viên",
        &["ma so thanh vien", "member code"],
        false,
        "Mã số đăng ký của HTX/LHHTX thành viên",
    ),
    col(
        Col::MemberName,
        "Tên thành viên",
        &["ten doanh nghiep", "member name"],
        false,
        "Tên doanh nghiệp, hiệp hội (khi không có mã số)",
    ),
    col(
        Col::Change,
        "Kết nạp / ra khỏi",
        &["ket nap", "bien dong", "change"],
        true,
        "kết nạp hoặc ra khỏi",
    ),
    col(
        Col::Date,
        "Ngày quyết định",
        &["ngay ket nap", "ngay", "date"],
        true,
        "dd/mm/yyyy",
    ),
    col(
        Col::Category,
        "Loại thành viên",
        &["hinh thuc", "category"],
        false,
        "chính thức (mặc định) hoặc liên kết",
    ),
    col(
        Col::Reference,
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
        Col::RegCode,
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
    Col::Programme,
    "Mã chương trình",
    &["chuong trinh", "programme code", "programme"],
    true,
    "Mã ngắn của chương trình, chính sách (ví dụ QD167); trùng với sheet Chương trình",
);

const NOTE: Column = col(Col::Note, "Ghi chú", &["note"], false, "");

/// Seats on the Alliance's committees (kiện toàn), and when they ended.
pub const COMMITTEE_SEATS: &[Column] = &[
    col(
        Col::Committee,
        "Ban",
        &["ten ban", "committee"],
        true,
        "Ban Chấp hành, Ban Thường vụ hoặc Ủy ban Kiểm tra (Ban Kiểm soát)",
    ),
    col(
        Col::Person,
        "Họ và tên",
        &["ho ten", "person"],
        true,
        "Người được bầu, bổ nhiệm",
    ),
    col(
        Col::Position,
        "Chức vụ",
        &["chuc danh", "position"],
        true,
        "Chủ tịch, Phó Chủ tịch, Ủy viên, …",
    ),
    col(Col::Term, "Nhiệm kỳ", &["term"], false, "ví dụ 2020-2025"),
    col(
        Col::From,
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
        Col::To,
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
        Col::Inspection,
        "Kiểm tra / giám sát",
        &["loai kiem tra", "inspection kind"],
        true,
        "kiểm tra hoặc giám sát",
    ),
    col(
        Col::Date,
        "Ngày",
        &["ngay kiem tra", "ngay giam sat", "date"],
        true,
        "dd/mm/yyyy",
    ),
    col(
        Col::Planned,
        "Dự kiến",
        &["chua thuc hien", "planned"],
        false,
        "x nếu mới có trong kế hoạch",
    ),
    col(
        Col::Subject,
        "Nội dung",
        &["noi dung kiem tra", "noi dung giam sat", "subject"],
        true,
        "Nội dung kiểm tra, giám sát",
    ),
    col(
        Col::Findings,
        "Kết quả, phát hiện",
        &["ket qua", "phat hien", "findings"],
        false,
        "",
    ),
    col(
        Col::Recommendations,
        "Kiến nghị",
        &["kien nghi, de xuat", "recommendations"],
        false,
        "",
    ),
    col(
        Col::FollowUp,
        "Theo dõi thực hiện kiến nghị",
        &["theo doi", "ket qua khac phuc", "follow up"],
        false,
        "Việc khắc phục sau kiểm tra, giám sát",
    ),
];

/// Complaints and petitions the Supervisory Committee received.
pub const COMPLAINTS: &[Column] = &[
    col(
        Col::Received,
        "Ngày nhận",
        &["ngay tiep nhan", "received"],
        true,
        "dd/mm/yyyy",
    ),
    col(
        Col::Complainant,
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
        Col::Subject,
        "Nội dung đơn",
        &["noi dung don thu", "subject"],
        true,
        "",
    ),
    col(
        Col::Handled,
        "Ngày giải quyết",
        &["ngay xu ly", "handled"],
        false,
        "dd/mm/yyyy; để trống nếu chưa giải quyết",
    ),
    col(
        Col::Result,
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
        Col::ProgrammeName,
        "Tên chương trình",
        &["programme name"],
        true,
        "",
    ),
    col(
        Col::Decision,
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
        Col::Stage,
        "Bước",
        &["giai doan", "ket qua lua chon", "stage"],
        true,
        "đề xuất, đánh giá hoặc lựa chọn",
    ),
    col(
        Col::Date,
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
        Col::Category,
        "Nội dung hỗ trợ",
        &["loai ho tro", "hinh thuc ho tro", "category"],
        true,
        "đào tạo, xúc tiến thương mại, ứng dụng khoa học, đầu tư kết cấu hạ tầng, tiếp cận vốn, thành lập mới, chế biến sản phẩm hoặc hỗ trợ khác (sheet Danh mục)",
    ),
    col(
        Col::Amount,
        "Số tiền hỗ trợ (đồng)",
        &["so tien", "kinh phi", "amount"],
        true,
        "đồng",
    ),
    col(
        Col::Date,
        "Ngày",
        &["ngay ho tro", "date"],
        true,
        "dd/mm/yyyy",
    ),
    NOTE,
];

/// Targets of the Alliance's plans, one indicator a row.
/// The support fund's charter capital over time: each allocation or reduction.
/// The deployment's reporting groups over its fields (part of its catalogue, Danh mục).
pub const REPORTING_GROUPS: &[Column] = &[
    col(
        Col::GroupCode,
        "Mã nhóm",
        &["ma nhom bao cao", "group code", "group_code"],
        true,
        "Chữ không dấu, số và dấu gạch dưới, ví dụ cong_thuong",
    ),
    col(
        Col::GroupName,
        "Tên nhóm",
        &[
            "ten nhom bao cao",
            "nhom bao cao",
            "group name",
            "group_name",
        ],
        true,
        "Cách gọi trong báo cáo sau chữ HTX, ví dụ công thương",
    ),
    col(
        Col::GroupNameEn,
        "Tên tiếng Anh",
        &["english name", "group_name_en"],
        false,
        "Tên nhóm bằng tiếng Anh (mặc định như tên tiếng Việt)",
    ),
    col(
        Col::Fields,
        "Các lĩnh vực",
        &["linh vuc", "linh vuc thuoc nhom", "fields"],
        true,
        "Mã hoặc tên các lĩnh vực của nhóm, cách nhau bởi dấu ; (xem sheet Danh mục); mỗi lĩnh vực thuộc một nhóm",
    ),
];

pub const FUND_CAPITAL: &[Column] = &[
    col(
        Col::Date,
        "Ngày",
        &["ngay cap", "ngay quyet dinh", "value date", "date"],
        true,
        "dd/mm/yyyy: ngày vốn được cấp hoặc giảm",
    ),
    col(
        Col::Amount,
        "Số tiền (đồng)",
        &["so tien", "von dieu le", "amount"],
        true,
        "đồng; số âm khi giảm vốn",
    ),
    col(
        Col::Source,
        "Nguồn",
        &["nguon von", "source"],
        true,
        "ví dụ Ngân sách tỉnh cấp vốn điều lệ",
    ),
    col(
        Col::Reference,
        "Căn cứ",
        &["so quyet dinh", "quyet dinh", "reference"],
        false,
        "Số quyết định cấp vốn",
    ),
];

pub const PLAN_TARGETS: &[Column] = &[
    col(
        Col::Period,
        "Kỳ kế hoạch",
        &["ky", "period"],
        true,
        "2022 (cả năm), 2022-H1 (6 tháng), 2022-Q3 (quý)",
    ),
    col(
        Col::Indicator,
        "Chỉ tiêu",
        &["ma chi tieu", "indicator"],
        true,
        "Mã hoặc tên chỉ tiêu (sheet Danh mục)",
    ),
    col(
        Col::Value,
        "Giá trị",
        &["muc chi tieu", "target", "value"],
        true,
        "Số lượng, hoặc số đồng",
    ),
    col(
        Col::Title,
        "Tên kế hoạch",
        &["title"],
        false,
        "Để trống: giữ tên đã ghi",
    ),
    col(
        Col::Reference,
        "Văn bản kế hoạch",
        &["so ke hoach", "reference"],
        false,
        "ví dụ KH số 12/KH-LMHTX ngày 10/01/2022; để trống: giữ văn bản đã ghi",
    ),
];

const CRITERION_HELP: &str = "Điểm của tiêu chí (0 đến điểm tối đa ghi trong ngoặc; có thể lẻ, ví dụ 7,5); ghi đủ 15 tiêu chí, hoặc để trống cả 15 nếu chỉ có kết quả";

/// Yearly evaluations (Circular 01/2020/TT-BKHĐT): one row per organisation and year.
pub const EVALUATIONS: &[Column] = &[
    REG_CODE,
    col(
        Col::Year,
        "Năm",
        &["nam danh gia", "nam xep loai", "year"],
        true,
        "Năm được đánh giá (yyyy)",
    ),
    col(
        Col::C1,
        "TC1 Vốn (7)",
        &["tc1", "tieu chi 1", "tc 1", "criterion 1"],
        false,
        CRITERION_HELP,
    ),
    col(
        Col::C2,
        "TC2 Tài sản (6)",
        &["tc2", "tieu chi 2", "tc 2", "criterion 2"],
        false,
        CRITERION_HELP,
    ),
    col(
        Col::C3,
        "TC3 Kết quả SXKD (11)",
        &["tc3", "tieu chi 3", "tc 3", "criterion 3"],
        false,
        CRITERION_HELP,
    ),
    col(
        Col::C4,
        "TC4 Trích lập quỹ (6)",
        &["tc4", "tieu chi 4", "tc 4", "criterion 4"],
        false,
        CRITERION_HELP,
    ),
    col(
        Col::C5,
        "TC5 Chấp hành pháp luật (8)",
        &["tc5", "tieu chi 5", "tc 5", "criterion 5"],
        false,
        CRITERION_HELP,
    ),
    col(
        Col::C6,
        "TC6 Tranh chấp, khiếu nại (6)",
        &["tc6", "tieu chi 6", "tc 6", "criterion 6"],
        false,
        CRITERION_HELP,
    ),
    col(
        Col::C7,
        "TC7 Trình độ cán bộ (6)",
        &["tc7", "tieu chi 7", "tc 7", "criterion 7"],
        false,
        CRITERION_HELP,
    ),
    col(
        Col::C8,
        "TC8 Chế độ, chính sách (6)",
        &["tc8", "tieu chi 8", "tc 8", "criterion 8"],
        false,
        CRITERION_HELP,
    ),
    col(
        Col::C9,
        "TC9 KHKT, thương hiệu, chuỗi giá trị (4)",
        &["tc9", "tieu chi 9", "tc 9", "criterion 9"],
        false,
        CRITERION_HELP,
    ),
    col(
        Col::C10,
        "TC10 Tham gia của thành viên (10)",
        &["tc10", "tieu chi 10", "tc 10", "criterion 10"],
        false,
        CRITERION_HELP,
    ),
    col(
        Col::C11,
        "TC11 Lợi ích thành viên (10)",
        &["tc11", "tieu chi 11", "tc 11", "criterion 11"],
        false,
        CRITERION_HELP,
    ),
    col(
        Col::C12,
        "TC12 Sản phẩm, dịch vụ cho thành viên (5)",
        &["tc12", "tieu chi 12", "tc 12", "criterion 12"],
        false,
        CRITERION_HELP,
    ),
    col(
        Col::C13,
        "TC13 Thông tin, đào tạo (5)",
        &["tc13", "tieu chi 13", "tc 13", "criterion 13"],
        false,
        CRITERION_HELP,
    ),
    col(
        Col::C14,
        "TC14 Ảnh hưởng cộng đồng (5)",
        &["tc14", "tieu chi 14", "tc 14", "criterion 14"],
        false,
        CRITERION_HELP,
    ),
    col(
        Col::C15,
        "TC15 Khen thưởng (5)",
        &["tc15", "tieu chi 15", "tc 15", "criterion 15"],
        false,
        CRITERION_HELP,
    ),
    col(
        Col::Total,
        "Tổng điểm",
        &["diem danh gia", "tong diem danh gia", "total"],
        false,
        "Tổng điểm (0–100); có điểm các tiêu chí thì phải bằng tổng của chúng, không có thì là kết quả được báo",
    ),
    col(
        Col::Grade,
        "Xếp loại",
        &["ket qua xep loai", "grade"],
        false,
        "Tốt, Khá, Trung bình hoặc Yếu; để trống thì tính từ tổng điểm",
    ),
    col(
        Col::NotGraded,
        "Không xếp loại (lý do)",
        &["khong xep loai", "ly do khong xep loai", "not graded"],
        false,
        "Lý do không xếp loại: hoạt động dưới 12 tháng, tạm ngừng trên 3 tháng, QTDND; khi đó để trống điểm và xếp loại",
    ),
    col(
        Col::ScoredBy,
        "Người chấm",
        &["nguoi cham diem", "don vi cham", "scored by"],
        false,
        "Người hoặc đơn vị chấm điểm",
    ),
    col(
        Col::ScoredOn,
        "Ngày chấm",
        &["ngay cham diem", "ngay danh gia", "scored on"],
        false,
        "dd/mm/yyyy",
    ),
    NOTE,
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
    // (kind, positions, (required columns, columns found)).
    type Candidate = (SheetKind, Vec<Option<usize>>, (usize, usize));
    let mut best: Option<Candidate> = None;
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
        // The kind with the most required columns wins; between kinds that require as many
        // (Số liệu năm and Đánh giá, xếp loại both need only the code and the year), the one
        // more of whose columns the sheet has.
        let score = (required, positions.iter().flatten().count());
        if required_found == required && best.as_ref().is_none_or(|b| score > b.2) {
            best = Some((kind, positions, score));
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
    fn each_key_is_one_column_of_a_sheet_and_every_key_is_used() {
        for kind in SheetKind::ALL {
            let keys: Vec<Col> = kind.columns().iter().map(|c| c.key).collect();
            let unique: std::collections::HashSet<Col> = keys.iter().copied().collect();
            assert_eq!(unique.len(), keys.len(), "{kind:?} repeats a key");
        }
        for key in Col::ALL {
            assert!(
                SheetKind::ALL
                    .iter()
                    .any(|k| k.columns().iter().any(|c| c.key == key)),
                "{key} belongs to no sheet"
            );
            assert_eq!(Col::named(key.name()), Some(key));
        }
    }

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
