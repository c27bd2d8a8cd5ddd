//! The yearly evaluation of cooperatives (Circular 01/2020/TT-BKHĐT): fifteen criteria in four
//! groups worth 100 points, the grade the total earns, and the reasons an organisation is not
//! graded; and the size classes of Decree 113/2024/NĐ-CP, derived from a year's figures.
//!
//! Points are held in hundredths of a point (a sheet may give 7,5 or 3,25), so that sums are
//! exact and a grade boundary (79,5 against 80) never depends on floating point.

use crate::domain::codes::Coded;
use crate::domain::registry::{Interval, OrgKind, Status, YearFigures};
use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// Hundredths of a point in one point.
pub const POINT: i64 = 100;

/// The four groups of criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CriteriaGroup {
    Finance,
    Governance,
    Members,
    Society,
}

impl CriteriaGroup {
    /// Every group, in the sheet's order.
    pub const ALL: [CriteriaGroup; 4] = [
        Self::Finance,
        Self::Governance,
        Self::Members,
        Self::Society,
    ];

    /// The group's Roman numeral on the paper sheet.
    pub fn numeral(self) -> &'static str {
        match self {
            Self::Finance => "I",
            Self::Governance => "II",
            Self::Members => "III",
            Self::Society => "IV",
        }
    }

    /// The group's name on the paper sheet.
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::Finance => "Nhóm tiêu chí về tài chính",
            Self::Governance => "Nhóm tiêu chí về quản trị, điều hành, năng lực của hợp tác xã",
            Self::Members => "Nhóm tiêu chí về thành viên",
            Self::Society => "Nhóm tiêu chí về xã hội, cộng đồng",
        }
    }

    /// The group's name in English.
    pub fn name_en(self) -> &'static str {
        match self {
            Self::Finance => "Finance",
            Self::Governance => "Governance, management and capacity",
            Self::Members => "Members",
            Self::Society => "Society and community",
        }
    }

    /// The group's maximum, in hundredths of a point.
    pub fn max(self) -> i64 {
        CRITERIA
            .iter()
            .filter(|c| c.group == self)
            .map(|c| c.max)
            .sum()
    }
}

/// One criterion of the sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Criterion {
    /// 1 to 15, as the Circular numbers them.
    pub number: usize,
    pub group: CriteriaGroup,
    pub name_vi: &'static str,
    pub name_en: &'static str,
    /// Maximum points, in hundredths.
    pub max: i64,
}

/// The number of criteria on a sheet.
pub const CRITERIA_COUNT: usize = 15;

/// The criteria of the Circular's appendix with their maximum points. Groups I and II (30
/// points each) are as published; the appendix gives groups III and IV 40 points together,
/// split here as 25 (10 + 10 + 5) and 15 (5 + 5 + 5) — see docs/classification.md.
pub const CRITERIA: [Criterion; CRITERIA_COUNT] = {
    use CriteriaGroup::*;
    const fn c(
        number: usize,
        group: CriteriaGroup,
        name_vi: &'static str,
        name_en: &'static str,
        points: i64,
    ) -> Criterion {
        Criterion {
            number,
            group,
            name_vi,
            name_en,
            max: points * POINT,
        }
    }
    [
        c(1, Finance, "Vốn của hợp tác xã", "Capital", 7),
        c(2, Finance, "Tài sản của hợp tác xã", "Assets", 6),
        c(
            3,
            Finance,
            "Kết quả sản xuất, kinh doanh trong năm",
            "Business results of the year",
            11,
        ),
        c(4, Finance, "Trích lập các quỹ", "Reserve funds", 6),
        c(
            5,
            Governance,
            "Chấp hành pháp luật trong tổ chức, hoạt động",
            "Compliance with the law",
            8,
        ),
        c(
            6,
            Governance,
            "Giải quyết các tranh chấp, khiếu nại",
            "Disputes and complaints",
            6,
        ),
        c(
            7,
            Governance,
            "Trình độ cán bộ quản lý, điều hành",
            "Qualifications of the managers",
            6,
        ),
        c(
            8,
            Governance,
            "Chế độ, chính sách cho thành viên và người lao động",
            "Benefits for members and workers",
            6,
        ),
        c(
            9,
            Governance,
            "Áp dụng tiến bộ khoa học kỹ thuật, xây dựng thương hiệu, chuỗi giá trị",
            "Technology, brand and value chains",
            4,
        ),
        c(
            10,
            Members,
            "Mức độ tham gia của thành viên đối với hợp tác xã",
            "Members' participation",
            10,
        ),
        c(11, Members, "Lợi ích thành viên", "Members' benefits", 10),
        c(
            12,
            Members,
            "Sản phẩm, dịch vụ hợp tác xã cung ứng cho thành viên",
            "Products and services for members",
            5,
        ),
        c(
            13,
            Society,
            "Công tác thông tin, truyền thông, đào tạo, bồi dưỡng",
            "Information, media and training",
            5,
        ),
        c(
            14,
            Society,
            "Mức độ ảnh hưởng tích cực đến cộng đồng",
            "Positive effect on the community",
            5,
        ),
        c(
            15,
            Society,
            "Hợp tác xã được khen thưởng trong năm",
            "Awards in the year",
            5,
        ),
    ]
};

/// The grade a total earns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    Good,
    Fair,
    Average,
    Weak,
}

impl Coded for Grade {
    const ALL: &'static [Self] = &[Self::Good, Self::Fair, Self::Average, Self::Weak];

    fn code(self) -> &'static str {
        match self {
            Self::Good => "good",
            Self::Fair => "fair",
            Self::Average => "average",
            Self::Weak => "weak",
        }
    }

    fn name_vi(self) -> &'static str {
        match self {
            Self::Good => "Tốt",
            Self::Fair => "Khá",
            Self::Average => "Trung bình",
            Self::Weak => "Yếu",
        }
    }

    fn name_en(self) -> &'static str {
        Grade::name_en(self)
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Good => &["loai tot", "xep loai tot", "a"],
            Self::Fair => &["loai kha", "xep loai kha", "b"],
            Self::Average => &["loai trung binh", "xep loai trung binh", "tb", "c"],
            Self::Weak => &["loai yeu", "xep loai yeu", "kem", "d"],
        }
    }
}

impl Grade {
    /// The English name.
    pub fn name_en(self) -> &'static str {
        match self {
            Self::Good => "Good",
            Self::Fair => "Fair",
            Self::Average => "Average",
            Self::Weak => "Weak",
        }
    }
}

/// Why an organisation is not graded for a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exemption {
    /// Operating under 12 months in the year.
    ShortYear,
    /// Suspended for more than 3 months in the year.
    Suspended,
    /// A people's credit fund, graded under the State Bank's rules.
    CreditFund,
}

impl Coded for Exemption {
    const ALL: &'static [Self] = &[Self::ShortYear, Self::Suspended, Self::CreditFund];

    fn code(self) -> &'static str {
        match self {
            Self::ShortYear => "short_year",
            Self::Suspended => "suspended",
            Self::CreditFund => "credit_fund",
        }
    }

    fn name_vi(self) -> &'static str {
        match self {
            Self::ShortYear => "hoạt động dưới 12 tháng trong năm",
            Self::Suspended => "tạm ngừng hoạt động trên 3 tháng trong năm",
            Self::CreditFund => {
                "quỹ tín dụng nhân dân (xếp loại theo quy định của Ngân hàng Nhà nước)"
            }
        }
    }

    fn name_en(self) -> &'static str {
        Exemption::name_en(self)
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::ShortYear => &[
                "duoi 12 thang",
                "chua du 12 thang",
                "hoat dong chua du 12 thang",
                "moi thanh lap",
            ],
            Self::Suspended => &["tam ngung", "tam ngung tren 3 thang", "tam ngung hoat dong"],
            Self::CreditFund => &["qtdnd", "quy tin dung", "quy tin dung nhan dan"],
        }
    }
}

impl Exemption {
    /// The English name.
    pub fn name_en(self) -> &'static str {
        match self {
            Self::ShortYear => "operating under 12 months in the year",
            Self::Suspended => "suspended over 3 months in the year",
            Self::CreditFund => "people's credit fund (graded under State Bank rules)",
        }
    }
}

/// The lowest totals of the grades, in hundredths of a point (Tốt ≥ 80, Khá ≥ 65,
/// Trung bình ≥ 50, Yếu below).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeThresholds {
    pub good: i64,
    pub fair: i64,
    pub average: i64,
}

impl Default for GradeThresholds {
    fn default() -> Self {
        Self {
            good: 80 * POINT,
            fair: 65 * POINT,
            average: 50 * POINT,
        }
    }
}

impl GradeThresholds {
    /// The grade a total earns.
    pub fn grade(&self, total: i64) -> Grade {
        if total >= self.good {
            Grade::Good
        } else if total >= self.fair {
            Grade::Fair
        } else if total >= self.average {
            Grade::Average
        } else {
            Grade::Weak
        }
    }

    /// Checks that the thresholds fall in order inside 0–100 points.
    pub fn check(&self) -> Result<(), String> {
        if !(0 < self.average && self.average < self.fair && self.fair < self.good)
            || self.good > 100 * POINT
        {
            return Err(format!(
                "ngưỡng xếp loại phải tăng dần trong 0–100 điểm (Trung bình {}, Khá {}, Tốt {})",
                points(self.average),
                points(self.fair),
                points(self.good)
            ));
        }
        Ok(())
    }
}

/// What a year's evaluation of one organisation found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Graded: from a full sheet (the points of every criterion) or, for older years and
    /// district reports, from the result alone (the total and the grade).
    Graded {
        /// Points per criterion in hundredths, when the sheet is known.
        points: Option<Vec<i64>>,
        /// The total in hundredths: the sum of the points when they are known; for a result
        /// reported alone, the total if it was given.
        total: Option<i64>,
        grade: Grade,
    },
    /// Not graded, and why.
    NotGraded { reason: Exemption },
}

/// One version of an organisation's evaluation for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub year: i32,
    #[serde(flatten)]
    pub outcome: Outcome,
    /// Who scored (the cooperative's board, the commune, the district…).
    pub scored_by: String,
    /// The day of the scoring.
    #[serde(with = "crate::domain::iso_date::option")]
    pub scored_on: Option<Date>,
    pub note: String,
}

impl Evaluation {
    /// The grade, when graded.
    pub fn grade(&self) -> Option<Grade> {
        match &self.outcome {
            Outcome::Graded { grade, .. } => Some(*grade),
            Outcome::NotGraded { .. } => None,
        }
    }

    /// The total, when graded.
    pub fn total(&self) -> Option<i64> {
        match &self.outcome {
            Outcome::Graded { total, .. } => *total,
            Outcome::NotGraded { .. } => None,
        }
    }
}

/// Checks the points of one criterion: within 0 and its maximum.
pub fn check_points(criterion: &Criterion, points: i64) -> Result<i64, String> {
    if points < 0 || points > criterion.max {
        return Err(format!(
            "{} điểm nằm ngoài thang điểm của tiêu chí {} (0–{} điểm)",
            self::points(points),
            criterion.number,
            self::points(criterion.max)
        ));
    }
    Ok(points)
}

/// Checks that a typed grade agrees with the grade the total earns.
pub fn check_grade(typed: Grade, total: i64, thresholds: &GradeThresholds) -> Result<(), String> {
    let earned = thresholds.grade(total);
    if typed != earned {
        return Err(format!(
            "xếp loại \"{}\" không khớp với {} điểm (đạt loại \"{}\")",
            typed.name_vi(),
            points(total),
            earned.name_vi()
        ));
    }
    Ok(())
}

/// The reason the registry gives for not grading an organisation in a year, from its kind and
/// its intervals: a credit fund; founded (or first counted) after 1 January; suspended for
/// more than three months of the year. `None` when it must be graded.
pub fn exemption_from_registry(
    kind: OrgKind,
    intervals: &[Interval],
    year: i32,
) -> Option<Exemption> {
    let (start, _) = year_bounds(year)?;
    let first = intervals.first()?;
    let suspended = intervals
        .iter()
        .filter(|i| i.status == Status::Suspended)
        .map(|i| suspended_days_in(year, i.valid_from, i.valid_to))
        .sum();
    exemption(kind, first.valid_from > start, suspended)
}

/// The registry's reason for not grading, from what it takes: the kind, whether the
/// organisation was founded after 1 January of the year, and its days suspended in the year.
pub fn exemption(kind: OrgKind, founded_in_year: bool, suspended_days: i64) -> Option<Exemption> {
    if kind == OrgKind::Qtdnd {
        return Some(Exemption::CreditFund);
    }
    if founded_in_year {
        return Some(Exemption::ShortYear);
    }
    // Three months of the year: more than 92 days (the longest three consecutive months).
    (suspended_days > 92).then_some(Exemption::Suspended)
}

/// The days of a suspension (from, until exclusive; open when `None`) that fall in a year.
pub fn suspended_days_in(year: i32, from: Date, to: Option<Date>) -> i64 {
    let Some((start, end)) = year_bounds(year) else {
        return 0;
    };
    let from = from.max(start);
    let to = to.map_or(end, |t| t.min(end));
    (to - from).whole_days().max(0)
}

/// Checks an evaluation against what the registry knows of the organisation: only HTX,
/// LHHTX and QTDND are evaluated, the organisation must have existed in the year, and one the
/// registry exempts (a credit fund, a year under 12 months, a long suspension) is not graded.
pub fn check_against_registry(
    kind: OrgKind,
    intervals: &[Interval],
    evaluation: &Evaluation,
) -> Result<(), String> {
    let year = evaluation.year;
    if kind == OrgKind::Tht {
        return Err(
            "tổ hợp tác không được đánh giá, xếp loại theo Thông tư 01/2020/TT-BKHĐT".into(),
        );
    }
    let Some((start, end)) = year_bounds(year) else {
        return Err(format!("năm {year} không hợp lệ"));
    };
    let existed = intervals.iter().any(|i| {
        i.status.is_counted() && i.valid_from < end && i.valid_to.is_none_or(|to| to > start)
    });
    if !existed {
        return Err(format!("tổ chức không hoạt động trong năm {year}"));
    }
    let exemption = exemption_from_registry(kind, intervals, year);
    match (&evaluation.outcome, exemption) {
        (Outcome::Graded { .. }, Some(reason)) => Err(format!(
            "không xếp loại năm {year}: {} (ghi \"Không xếp loại\" với lý do này)",
            reason.name_vi()
        )),
        (Outcome::NotGraded { reason }, _)
            if (*reason == Exemption::CreditFund) != (kind == OrgKind::Qtdnd) =>
        {
            Err(format!(
                "lý do \"{}\" không đúng với loại hình {}",
                reason.name_vi(),
                kind.code()
            ))
        }
        _ => Ok(()),
    }
}

/// The first day of a year and the first day of the next.
fn year_bounds(year: i32) -> Option<(Date, Date)> {
    Some((
        Date::from_calendar_date(year, Month::January, 1).ok()?,
        Date::from_calendar_date(year + 1, Month::January, 1).ok()?,
    ))
}

/// Points in hundredths written the Vietnamese way: 7, 7,5, 79,25.
pub fn points(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    let (whole, frac) = (abs / 100, abs % 100);
    match frac {
        0 => format!("{sign}{whole}"),
        f if f % 10 == 0 => format!("{sign}{whole},{}", f / 10),
        f => format!("{sign}{whole},{f:02}"),
    }
}

/// Reads points as typed: "7", "7,5", "7.5", "79,25". At most two decimals.
pub fn parse_points(typed: &str) -> Result<i64, String> {
    let s = typed.trim();
    let refusal = || format!("\"{s}\" không phải số điểm (ví dụ 7 hoặc 7,5)");
    let (whole, frac) = match s.split_once([',', '.']) {
        Some((w, f)) => (w, f),
        None => (s, ""),
    };
    if whole.is_empty()
        || whole.len() > 4
        || frac.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (s.contains([',', '.']) && frac.is_empty())
    {
        return Err(refusal());
    }
    let whole: i64 = whole.parse().map_err(|_| refusal())?;
    let frac: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().map_err(|_| refusal())? * 10,
        _ => frac.parse().map_err(|_| refusal())?,
    };
    Ok(whole * POINT + frac)
}

/// The size classes of Decree 113/2024/NĐ-CP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SizeClass {
    Micro,
    Small,
    Medium,
    Large,
}

impl Coded for SizeClass {
    const ALL: &'static [Self] = &[Self::Micro, Self::Small, Self::Medium, Self::Large];

    fn code(self) -> &'static str {
        match self {
            Self::Micro => "micro",
            Self::Small => "small",
            Self::Medium => "medium",
            Self::Large => "large",
        }
    }

    fn name_vi(self) -> &'static str {
        match self {
            Self::Micro => "siêu nhỏ",
            Self::Small => "nhỏ",
            Self::Medium => "vừa",
            Self::Large => "lớn",
        }
    }

    fn name_en(self) -> &'static str {
        SizeClass::name_en(self)
    }
}

impl SizeClass {
    /// The English name.
    pub fn name_en(self) -> &'static str {
        match self {
            Self::Micro => "micro",
            Self::Small => "small",
            Self::Medium => "medium",
            Self::Large => "large",
        }
    }
}

/// The fields of activity Decree 113/2024 sets size thresholds for, read from a sector's
/// VSIC 2018 section: A agriculture, forestry and fisheries; B–F industry and construction;
/// every other section trade, services and the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SizeField {
    Agriculture,
    IndustryConstruction,
    TradeServices,
}

impl SizeField {
    /// Every field, in order.
    pub const ALL: [SizeField; 3] = [
        Self::Agriculture,
        Self::IndustryConstruction,
        Self::TradeServices,
    ];

    /// The field of a VSIC section letter (the first letter of a sector's `vsic`).
    pub fn of_vsic(vsic: &str) -> SizeField {
        match vsic.trim().chars().next().map(|c| c.to_ascii_uppercase()) {
            Some('A') => Self::Agriculture,
            Some('B'..='F') => Self::IndustryConstruction,
            _ => Self::TradeServices,
        }
    }

    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Agriculture => "agriculture",
            Self::IndustryConstruction => "industry_construction",
            Self::TradeServices => "trade_services",
        }
    }

    /// Vietnamese name.
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::Agriculture => "nông nghiệp, lâm nghiệp, thủy sản",
            Self::IndustryConstruction => "công nghiệp, xây dựng",
            Self::TradeServices => "thương mại, dịch vụ và lĩnh vực khác",
        }
    }
}

/// The least an organisation needs for a class: official members, and either yearly revenue
/// or total capital (tổng nguồn vốn), in đồng.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SizeThreshold {
    pub members: i64,
    pub revenue: i64,
    pub capital: i64,
}

/// The thresholds of the small, medium and large classes of one field; below small is micro.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldThresholds {
    pub small: SizeThreshold,
    pub medium: SizeThreshold,
    pub large: SizeThreshold,
}

/// Size thresholds per field. A field without thresholds has no derived class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SizeThresholds {
    pub agriculture: Option<FieldThresholds>,
    pub industry_construction: Option<FieldThresholds>,
    pub trade_services: Option<FieldThresholds>,
}

impl Default for SizeThresholds {
    /// The agricultural thresholds of Decree 113/2024 (Article 3); the other fields are left
    /// for the deployment to set from the Decree's text (docs/classification.md).
    fn default() -> Self {
        const BILLION: i64 = 1_000_000_000;
        let t = |members, revenue, capital| SizeThreshold {
            members,
            revenue: revenue * BILLION,
            capital: capital * BILLION,
        };
        Self {
            agriculture: Some(FieldThresholds {
                small: t(50, 2, 1),
                medium: t(200, 10, 5),
                large: t(300, 50, 10),
            }),
            industry_construction: None,
            trade_services: None,
        }
    }
}

impl SizeThresholds {
    /// The thresholds of a field.
    pub fn of(&self, field: SizeField) -> Option<&FieldThresholds> {
        match field {
            SizeField::Agriculture => self.agriculture.as_ref(),
            SizeField::IndustryConstruction => self.industry_construction.as_ref(),
            SizeField::TradeServices => self.trade_services.as_ref(),
        }
    }

    /// Checks that each field's classes need more as they grow.
    pub fn check(&self) -> Result<(), String> {
        for field in SizeField::ALL {
            if let Some(t) = self.of(field) {
                let ordered = |a: &SizeThreshold, b: &SizeThreshold| {
                    a.members <= b.members && a.revenue <= b.revenue && a.capital <= b.capital
                };
                let positive = [t.small, t.medium, t.large]
                    .iter()
                    .all(|x| x.members >= 0 && x.revenue >= 0 && x.capital >= 0);
                if !positive || !ordered(&t.small, &t.medium) || !ordered(&t.medium, &t.large) {
                    return Err(format!(
                        "ngưỡng quy mô của lĩnh vực {} phải tăng dần từ nhỏ đến lớn",
                        field.name_vi()
                    ));
                }
            }
        }
        Ok(())
    }

    /// The class of an organisation of `field` from a year's figures: the largest class whose
    /// members it reaches and whose revenue or capital it reaches. A figure not reported
    /// cannot qualify it; without members, or with members enough for a class but neither
    /// revenue nor capital reported, the class is not known. `None` also when the field has
    /// no thresholds.
    pub fn class(&self, field: SizeField, figures: &YearFigures) -> Option<SizeClass> {
        let t = self.of(field)?;
        let members = figures.official_members?;
        if members < t.small.members {
            return Some(SizeClass::Micro);
        }
        if figures.revenue.is_none() && figures.total_assets.is_none() {
            return None;
        }
        let reaches = |x: &SizeThreshold| {
            members >= x.members
                && (figures.revenue.is_some_and(|r| r >= x.revenue)
                    || figures.total_assets.is_some_and(|c| c >= x.capital))
        };
        Some(if reaches(&t.large) {
            SizeClass::Large
        } else if reaches(&t.medium) {
            SizeClass::Medium
        } else if reaches(&t.small) {
            SizeClass::Small
        } else {
            SizeClass::Micro
        })
    }
}

/// The size class of an organisation for a year: from its yearly figures of that year and
/// the field of the sector it had on 31 December (its VSIC section). `None` when unknown.
pub fn size_class_of(
    thresholds: &SizeThresholds,
    taxonomy: &crate::domain::sector::Taxonomy,
    states: &[crate::domain::registry::State],
    figures: &YearFigures,
) -> Option<SizeClass> {
    let year_end = Date::from_calendar_date(figures.year, Month::December, 31).ok()?;
    let state = crate::domain::registry::state_at(states, year_end)?;
    let sector = taxonomy.get(&state.attributes.sector)?;
    thresholds.class(SizeField::of_vsic(&sector.vsic), figures)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_criteria_add_up_to_one_hundred_points_in_four_groups() {
        let total: i64 = CRITERIA.iter().map(|c| c.max).sum();
        assert_eq!(total, 100 * POINT);
        assert_eq!(CriteriaGroup::Finance.max(), 30 * POINT);
        assert_eq!(CriteriaGroup::Governance.max(), 30 * POINT);
        assert_eq!(
            CriteriaGroup::Members.max() + CriteriaGroup::Society.max(),
            40 * POINT
        );
        for (i, c) in CRITERIA.iter().enumerate() {
            assert_eq!(c.number, i + 1);
        }
    }

    #[test]
    fn grades_change_exactly_at_the_thresholds() {
        let t = GradeThresholds::default();
        let cases = [
            ("100", Grade::Good),
            ("80", Grade::Good),
            ("79,99", Grade::Fair),
            ("79,5", Grade::Fair),
            ("65", Grade::Fair),
            ("64,9", Grade::Average),
            ("50", Grade::Average),
            ("49,99", Grade::Weak),
            ("0", Grade::Weak),
        ];
        for (typed, grade) in cases {
            assert_eq!(t.grade(parse_points(typed).unwrap()), grade, "{typed}");
        }
    }

    #[test]
    fn points_are_read_and_written_with_a_decimal_comma() {
        assert_eq!(parse_points("7").unwrap(), 700);
        assert_eq!(parse_points("7,5").unwrap(), 750);
        assert_eq!(parse_points("7.25").unwrap(), 725);
        assert_eq!(parse_points(" 0 ").unwrap(), 0);
        for bad in ["", "7,", ",5", "7,555", "-1", "7 điểm", "1.000.000", "abc"] {
            assert!(parse_points(bad).is_err(), "{bad}");
        }
        assert_eq!(points(750), "7,5");
        assert_eq!(points(7925), "79,25");
        assert_eq!(points(8000), "80");
    }

    #[test]
    fn points_outside_a_criterion_are_refused() {
        let capital = &CRITERIA[0];
        assert!(check_points(capital, 700).is_ok());
        assert!(check_points(capital, 0).is_ok());
        let reason = check_points(capital, 750).unwrap_err();
        assert!(
            reason.contains("tiêu chí 1") && reason.contains("0–7"),
            "{reason}"
        );
        assert!(check_points(capital, -1).is_err());
    }

    #[test]
    fn a_grade_that_contradicts_the_total_is_refused() {
        let t = GradeThresholds::default();
        assert!(check_grade(Grade::Good, 8000, &t).is_ok());
        let reason = check_grade(Grade::Good, 7950, &t).unwrap_err();
        assert!(
            reason.contains("79,5") && reason.contains("Khá"),
            "{reason}"
        );
    }

    #[test]
    fn thresholds_must_rise() {
        assert!(GradeThresholds::default().check().is_ok());
        let bad = GradeThresholds {
            good: 6000,
            fair: 6500,
            average: 5000,
        };
        assert!(bad.check().is_err());
        assert!(SizeThresholds::default().check().is_ok());
    }

    fn interval(from: Date, to: Option<Date>, status: Status) -> Interval {
        Interval {
            valid_from: from,
            valid_to: to,
            status,
            sector: "agri_services".into(),
            commune: "09580".into(),
            flags: 0,
        }
    }

    #[test]
    fn the_registry_exempts_credit_funds_new_and_long_suspended_organisations() {
        let old = [interval(date!(2015 - 03 - 01), None, Status::Active)];
        assert_eq!(exemption_from_registry(OrgKind::Htx, &old, 2021), None);
        assert_eq!(
            exemption_from_registry(OrgKind::Qtdnd, &old, 2021),
            Some(Exemption::CreditFund)
        );
        let new = [interval(date!(2021 - 01 - 02), None, Status::Active)];
        assert_eq!(
            exemption_from_registry(OrgKind::Htx, &new, 2021),
            Some(Exemption::ShortYear)
        );
        assert_eq!(exemption_from_registry(OrgKind::Htx, &new, 2022), None);
        let founded_on_new_year = [interval(date!(2021 - 01 - 01), None, Status::Active)];
        assert_eq!(
            exemption_from_registry(OrgKind::Htx, &founded_on_new_year, 2021),
            None
        );
        let suspended = |days: i64| {
            let from = date!(2021 - 05 - 01);
            [
                interval(date!(2015 - 03 - 01), Some(from), Status::Active),
                interval(
                    from,
                    Some(from + time::Duration::days(days)),
                    Status::Suspended,
                ),
                interval(from + time::Duration::days(days), None, Status::Active),
            ]
        };
        assert_eq!(
            exemption_from_registry(OrgKind::Htx, &suspended(92), 2021),
            None
        );
        assert_eq!(
            exemption_from_registry(OrgKind::Htx, &suspended(93), 2021),
            Some(Exemption::Suspended)
        );
        // Suspended across the new year: only the days inside the year count.
        let across = [
            interval(
                date!(2015 - 03 - 01),
                Some(date!(2020 - 11 - 01)),
                Status::Active,
            ),
            interval(
                date!(2020 - 11 - 01),
                Some(date!(2021 - 03 - 01)),
                Status::Suspended,
            ),
            interval(date!(2021 - 03 - 01), None, Status::Active),
        ];
        assert_eq!(exemption_from_registry(OrgKind::Htx, &across, 2021), None);
    }

    fn figures(members: Option<i64>, revenue: Option<i64>, capital: Option<i64>) -> YearFigures {
        YearFigures {
            year: 2024,
            official_members: members,
            revenue,
            total_assets: capital,
            ..YearFigures::default()
        }
    }

    #[test]
    fn size_classes_follow_members_and_revenue_or_capital() {
        let t = SizeThresholds::default();
        let bn = 1_000_000_000;
        let agri = SizeField::Agriculture;
        let class = |m, r, c| t.class(agri, &figures(m, r, c));
        assert_eq!(class(Some(30), None, None), Some(SizeClass::Micro));
        assert_eq!(class(Some(50), Some(2 * bn), None), Some(SizeClass::Small));
        assert_eq!(
            class(Some(50), Some(2 * bn - 1), None),
            Some(SizeClass::Micro)
        );
        assert_eq!(class(Some(50), None, Some(bn)), Some(SizeClass::Small));
        assert_eq!(
            class(Some(250), Some(60 * bn), None),
            Some(SizeClass::Medium)
        );
        assert_eq!(
            class(Some(300), Some(60 * bn), None),
            Some(SizeClass::Large)
        );
        assert_eq!(
            class(Some(300), Some(bn), Some(10 * bn)),
            Some(SizeClass::Large)
        );
        // Blank is not zero: no members, or no money figure, gives no class.
        assert_eq!(class(None, Some(60 * bn), None), None);
        assert_eq!(class(Some(400), None, None), None);
        // A field the deployment has not set thresholds for has no class.
        assert_eq!(
            t.class(SizeField::TradeServices, &figures(Some(30), None, None)),
            None
        );
    }

    #[test]
    fn fields_follow_the_vsic_section() {
        assert_eq!(SizeField::of_vsic("A"), SizeField::Agriculture);
        assert_eq!(SizeField::of_vsic("C"), SizeField::IndustryConstruction);
        assert_eq!(SizeField::of_vsic("F"), SizeField::IndustryConstruction);
        assert_eq!(SizeField::of_vsic("G"), SizeField::TradeServices);
        assert_eq!(SizeField::of_vsic("K"), SizeField::TradeServices);
    }

    #[test]
    fn the_documented_criteria_table_is_the_compiled_one() {
        let doc = include_str!("../../docs/classification.md");
        for c in &CRITERIA {
            let line = format!("| {} | {} | {} |", c.number, c.name_vi, points(c.max));
            assert!(doc.contains(&line), "docs/classification.md lacks {line}");
        }
        for g in CriteriaGroup::ALL {
            let line = format!("| **{}** |", g.numeral());
            let at = doc.find(&line).expect("a group line");
            let rest = &doc[at..at + doc[at..].find('\n').unwrap_or(0)];
            assert!(
                rest.ends_with(&format!("| **{}** |", points(g.max()))),
                "{rest}"
            );
        }
    }
}
