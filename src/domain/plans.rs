//! Plans with targets. A target names an indicator from a fixed catalogue; its actual value is
//! read from the report's own figures, so a plan's achievement and the report's numbers can
//! never disagree.

use crate::domain::report::Figures;
use crate::domain::text;
use serde::Serialize;

/// What a target can be set on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    /// HTX (with QTDND) founded in the period.
    NewHtx,
    /// THT founded in the period.
    NewTht,
    /// LHHTX founded in the period.
    NewLhhtx,
    /// HTX (with QTDND) counted at the period end.
    TotalHtx,
    /// Amount the fund disbursed in the period (đồng).
    FundDisbursed,
    /// Borrowers the fund disbursed to in the period.
    FundBorrowers,
    /// The fund's outstanding principal at the period end (đồng).
    FundOutstanding,
    /// Training classes held in the period.
    TrainingClasses,
    /// Attendances at training classes.
    TrainingAttendances,
    /// Topic series (chuyên đề) on radio, TV or in newspapers.
    MediaSeries,
    /// Newspaper articles.
    MediaArticles,
    /// Posts on the Alliance's website.
    WebsitePosts,
    /// Members admitted to the Alliance.
    NewMembers,
    /// Inspections and supervisions done by the Supervisory Committee.
    Inspections,
    /// Share of the graded HTX graded good or fair in the report's evaluation year
    /// (tenths of a per cent).
    GoodFairShare,
    /// HTX graded good in the report's evaluation year.
    GoodHtx,
}

impl crate::domain::codes::Coded for Indicator {
    const ALL: &'static [Self] = &Indicator::ALL;

    fn code(self) -> &'static str {
        Indicator::code(self)
    }

    fn name_vi(self) -> &'static str {
        Indicator::name_vi(self)
    }

    fn name_en(self) -> &'static str {
        Indicator::name_en(self)
    }

    fn refusal(s: &str) -> String {
        format!(
            "không có chỉ tiêu \"{}\" (xem sheet Danh mục hoặc htx plan indicators)",
            s.trim()
        )
    }
}

/// The unit an indicator is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A number of organisations ("HTX", "THT").
    Count,
    /// Đồng.
    Money,
    /// A percentage, held in tenths of a per cent (70% is 700).
    Percent,
}

impl Indicator {
    /// The catalogue, in report order.
    pub const ALL: [Indicator; 16] = [
        Self::NewHtx,
        Self::NewTht,
        Self::NewLhhtx,
        Self::TotalHtx,
        Self::FundDisbursed,
        Self::FundBorrowers,
        Self::FundOutstanding,
        Self::TrainingClasses,
        Self::TrainingAttendances,
        Self::MediaSeries,
        Self::MediaArticles,
        Self::WebsitePosts,
        Self::NewMembers,
        Self::Inspections,
        Self::GoodFairShare,
        Self::GoodHtx,
    ];

    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::NewHtx => "new_htx",
            Self::NewTht => "new_tht",
            Self::NewLhhtx => "new_lhhtx",
            Self::TotalHtx => "total_htx",
            Self::FundDisbursed => "fund_disbursed",
            Self::FundBorrowers => "fund_borrowers",
            Self::FundOutstanding => "fund_outstanding",
            Self::TrainingClasses => "training_classes",
            Self::TrainingAttendances => "training_attendances",
            Self::MediaSeries => "media_series",
            Self::MediaArticles => "media_articles",
            Self::WebsitePosts => "website_posts",
            Self::NewMembers => "new_members",
            Self::Inspections => "inspections",
            Self::GoodFairShare => "good_fair_share",
            Self::GoodHtx => "good_htx",
        }
    }

    /// Reads a stored code.
    pub fn from_code(s: &str) -> Option<Indicator> {
        Self::ALL.into_iter().find(|i| i.code() == s.trim())
    }

    /// Vietnamese name.
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::NewHtx => "HTX thành lập mới",
            Self::NewTht => "THT thành lập mới",
            Self::NewLhhtx => "Liên hiệp HTX thành lập mới",
            Self::TotalHtx => "Tổng số HTX cuối kỳ",
            Self::FundDisbursed => "Số tiền Quỹ giải ngân",
            Self::FundBorrowers => "Số đơn vị được Quỹ giải ngân",
            Self::FundOutstanding => "Dư nợ của Quỹ cuối kỳ",
            Self::TrainingClasses => "Lớp tập huấn",
            Self::TrainingAttendances => "Lượt người tham dự tập huấn",
            Self::MediaSeries => "Chuyên đề tuyên truyền",
            Self::MediaArticles => "Bài báo",
            Self::WebsitePosts => "Tin bài trên trang thông tin điện tử",
            Self::NewMembers => "Thành viên mới của Liên minh",
            Self::Inspections => "Cuộc kiểm tra, giám sát",
            Self::GoodFairShare => "Tỷ lệ HTX xếp loại khá, tốt",
            Self::GoodHtx => "Số HTX xếp loại tốt",
        }
    }

    /// English name.
    pub fn name_en(self) -> &'static str {
        match self {
            Self::NewHtx => "New cooperatives (HTX)",
            Self::NewTht => "New cooperative groups (THT)",
            Self::NewLhhtx => "New unions of cooperatives",
            Self::TotalHtx => "Cooperatives (HTX) at period end",
            Self::FundDisbursed => "Amount disbursed by the fund",
            Self::FundBorrowers => "Borrowers disbursed by the fund",
            Self::FundOutstanding => "Fund outstanding at period end",
            Self::TrainingClasses => "Training classes",
            Self::TrainingAttendances => "Training attendances",
            Self::MediaSeries => "Media series",
            Self::MediaArticles => "Press articles",
            Self::WebsitePosts => "Website posts",
            Self::NewMembers => "New members of the Alliance",
            Self::Inspections => "Inspections and supervisions",
            Self::GoodFairShare => "Share of HTX graded good or fair",
            Self::GoodHtx => "HTX graded good",
        }
    }

    /// Unit of the value.
    pub fn unit(self) -> Unit {
        match self {
            Self::FundDisbursed | Self::FundOutstanding => Unit::Money,
            Self::GoodFairShare => Unit::Percent,
            _ => Unit::Count,
        }
    }

    /// The actual value in a report's figures (the same numbers the report prints); `None`
    /// when the figures have none (no evaluation recorded, no HTX graded, no attendance
    /// entered).
    pub fn actual(self, f: &Figures) -> Option<i64> {
        let evaluation = f.evaluation.as_ref().map(|e| &e.summary);
        match self {
            Self::GoodFairShare => {
                evaluation.and_then(|e| text::percent_tenths(e.good_or_fair, e.counts.graded))
            }
            Self::GoodHtx => evaluation.map(|e| e.counts.good),
            Self::TrainingAttendances => f.alliance.as_ref().and_then(|a| a.training.attendances),
            _ => Some(self.counted(f)),
        }
    }

    /// The actual value of an indicator that always has one.
    fn counted(self, f: &Figures) -> i64 {
        let r = &f.registry;
        let fund = f.fund.as_ref();
        let alliance = f.alliance.as_ref();
        match self {
            Self::GoodFairShare | Self::GoodHtx | Self::TrainingAttendances => 0,
            Self::NewHtx => r.htx.founded.count,
            Self::NewTht => r.tht.founded.count,
            Self::NewLhhtx => r.lhhtx.founded.count,
            Self::TotalHtx => r.htx.total.end,
            Self::FundDisbursed => fund.map_or(0, |f| f.disbursed.amount),
            Self::FundBorrowers => fund.map_or(0, |f| f.disbursed.borrowers),
            Self::FundOutstanding => fund.map_or(0, |f| f.outstanding.amount),
            Self::TrainingClasses => alliance.map_or(0, |a| a.training.classes),
            Self::MediaSeries => alliance.map_or(0, |a| a.media.series),
            Self::MediaArticles => alliance.map_or(0, |a| a.media.articles),
            Self::WebsitePosts => alliance.map_or(0, |a| a.media.website_posts),
            Self::NewMembers => alliance.map_or(0, |a| a.new_members),
            Self::Inspections => alliance.map_or(0, |a| {
                a.supervision.inspections_done + a.supervision.supervisions_done
            }),
        }
    }

    /// A value as a table cell prints it: 1.234, 70% (no unit words).
    pub fn figure(self, value: i64) -> String {
        match self.unit() {
            Unit::Percent => format!("{}%", text::format_tenths(value)),
            Unit::Count | Unit::Money => text::number(value),
        }
    }

    /// A value written as in prose: "13 HTX", "2 tỷ 50 triệu đồng", "70%".
    pub fn format(self, value: i64) -> String {
        match self {
            Self::NewHtx | Self::TotalHtx | Self::GoodHtx => {
                format!("{} HTX", text::count(value))
            }
            Self::GoodFairShare => format!("{}%", text::format_tenths(value)),
            Self::NewTht => format!("{} THT", text::count(value)),
            Self::NewLhhtx => format!("{} liên hiệp HTX", text::count(value)),
            Self::FundBorrowers => format!("{} đơn vị", text::count(value)),
            Self::FundDisbursed | Self::FundOutstanding => text::money_words(value),
            Self::TrainingClasses => format!("{} lớp", text::count(value)),
            Self::TrainingAttendances => format!("{} lượt người", text::number(value)),
            Self::MediaSeries => format!("{} chuyên đề", text::count(value)),
            Self::MediaArticles => format!("{} bài báo", text::count(value)),
            Self::WebsitePosts => format!("{} tin bài", text::number(value)),
            Self::NewMembers => format!("{} thành viên", text::count(value)),
            Self::Inspections => format!("{} cuộc", text::count(value)),
        }
    }
}

/// One target of a plan compared with the report's actual figure.
#[derive(Debug, Clone, Serialize)]
pub struct Achievement {
    pub indicator: Indicator,
    pub name: String,
    pub unit: Unit,
    /// The plan the target belongs to ("2022-H1", "2022").
    pub plan_period: String,
    /// How the plan is named in prose ("kế hoạch 6 tháng đầu năm", "kế hoạch năm").
    pub plan_label: String,
    /// The target (tenths of a per cent for a percentage).
    pub target: i64,
    /// The actual value; `None` when the figures have none (never a zero).
    pub actual: Option<i64>,
    /// Actual over target, per cent with one decimal (None for a zero target).
    pub achievement_pct: Option<f64>,
}

/// Compares targets with the report's figures.
pub fn achievements(
    figures: &Figures,
    plan_period: &str,
    plan_label: &str,
    targets: &[(Indicator, i64)],
) -> Vec<Achievement> {
    let mut rows: Vec<Achievement> = targets
        .iter()
        .map(|&(indicator, target)| {
            let actual = indicator.actual(figures);
            Achievement {
                indicator,
                name: indicator.name_vi().to_string(),
                unit: indicator.unit(),
                plan_period: plan_period.to_string(),
                plan_label: plan_label.to_string(),
                target,
                actual,
                achievement_pct: actual
                    .and_then(|a| text::percent_tenths(a, target))
                    .map(|t| t as f64 / 10.0),
            }
        })
        .collect();
    rows.sort_by_key(|a| a.indicator);
    rows
}
