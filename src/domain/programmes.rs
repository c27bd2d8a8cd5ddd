//! Programmes and policies, the stages organisations reach in them, and the support given,
//! with their closed sets of values.

use crate::domain::codes::Coded;
use serde::{Deserialize, Serialize};
use time::Date;

/// Stages of taking part in a programme, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeStage {
    Nominated,
    Evaluated,
    Selected,
}

impl Coded for ProgrammeStage {
    const ALL: &'static [Self] = &[Self::Nominated, Self::Evaluated, Self::Selected];

    fn code(self) -> &'static str {
        match self {
            Self::Nominated => "nominated",
            Self::Evaluated => "evaluated",
            Self::Selected => "selected",
        }
    }

    fn name_vi(self) -> &'static str {
        match self {
            Self::Nominated => "đề xuất",
            Self::Evaluated => "đánh giá",
            Self::Selected => "lựa chọn",
        }
    }

    fn name_en(self) -> &'static str {
        match self {
            Self::Nominated => "nominated",
            Self::Evaluated => "evaluated",
            Self::Selected => "selected",
        }
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Nominated => &["duoc de xuat", "de cu", "duoc de cu"],
            Self::Evaluated => &["duoc danh gia", "tham dinh"],
            Self::Selected => &["duoc lua chon", "duoc chon"],
        }
    }
}

/// What kind of support an organisation received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupportCategory {
    Training,
    TradePromotion,
    ScienceTechnology,
    Infrastructure,
    Credit,
    Establishment,
    Processing,
    Other,
}

impl Coded for SupportCategory {
    const ALL: &'static [Self] = &[
        Self::Training,
        Self::TradePromotion,
        Self::ScienceTechnology,
        Self::Infrastructure,
        Self::Credit,
        Self::Establishment,
        Self::Processing,
        Self::Other,
    ];

    fn code(self) -> &'static str {
        match self {
            Self::Training => "training",
            Self::TradePromotion => "trade_promotion",
            Self::ScienceTechnology => "science_technology",
            Self::Infrastructure => "infrastructure",
            Self::Credit => "credit",
            Self::Establishment => "establishment",
            Self::Processing => "processing",
            Self::Other => "other",
        }
    }

    fn name_vi(self) -> &'static str {
        match self {
            Self::Training => "đào tạo, bồi dưỡng",
            Self::TradePromotion => "xúc tiến thương mại, mở rộng thị trường",
            Self::ScienceTechnology => "ứng dụng khoa học, kỹ thuật và công nghệ",
            Self::Infrastructure => "đầu tư kết cấu hạ tầng",
            Self::Credit => "tiếp cận vốn, quỹ hỗ trợ",
            Self::Establishment => "thành lập mới, tổ chức lại",
            Self::Processing => "chế biến sản phẩm",
            Self::Other => "hỗ trợ khác",
        }
    }

    fn name_en(self) -> &'static str {
        match self {
            Self::Training => "training and capacity building",
            Self::TradePromotion => "trade promotion and market expansion",
            Self::ScienceTechnology => "science, engineering and technology",
            Self::Infrastructure => "infrastructure investment",
            Self::Credit => "access to credit and support funds",
            Self::Establishment => "new establishment and reorganisation",
            Self::Processing => "product processing",
            Self::Other => "other support",
        }
    }

    /// The first part of the name, as officials shorten it.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Training => &["dao tao"],
            Self::TradePromotion => &["xuc tien thuong mai"],
            Self::ScienceTechnology => &["ung dung khoa hoc"],
            Self::Credit => &["tiep can von"],
            Self::Establishment => &["thanh lap moi"],
            _ => &[],
        }
    }

    fn refusal(s: &str) -> String {
        format!("\"{}\" không có trong danh mục nội dung hỗ trợ", s.trim())
    }
}

/// Support given to one organisation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Support {
    pub programme: Option<String>,
    pub org_id: i64,
    pub category: SupportCategory,
    /// Đồng.
    pub amount: i64,
    pub date: Date,
    pub note: String,
}

/// A programme or policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Programme {
    /// Short code ("QD167").
    pub code: String,
    /// Its name.
    pub name: String,
    /// The deciding document ("Quyết định số 167/QĐ-TTg ngày 08/02/2021").
    pub decision: String,
}

/// A stage an organisation reached in a programme on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// Programme code.
    pub programme: String,
    /// The organisation.
    pub org_id: i64,
    pub stage: ProgrammeStage,
    /// The day it was reached.
    pub date: Date,
    /// Free text (the minutes, the council).
    pub note: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_are_read_by_code_name_or_first_part() {
        assert_eq!(
            SupportCategory::parse("training"),
            Some(SupportCategory::Training)
        );
        assert_eq!(
            SupportCategory::parse("Đào tạo, bồi dưỡng"),
            Some(SupportCategory::Training)
        );
        assert_eq!(
            SupportCategory::parse("đào tạo"),
            Some(SupportCategory::Training)
        );
        assert_eq!(
            SupportCategory::parse("Xúc tiến thương mại"),
            Some(SupportCategory::TradePromotion)
        );
        assert_eq!(
            SupportCategory::parse("hỗ trợ khác"),
            Some(SupportCategory::Other)
        );
        assert_eq!(SupportCategory::parse("bồi dưỡng"), None);
    }

    #[test]
    fn stages_are_read_in_vietnamese_or_english() {
        assert_eq!(
            ProgrammeStage::parse("Được lựa chọn"),
            Some(ProgrammeStage::Selected)
        );
        assert_eq!(
            ProgrammeStage::parse("đề xuất"),
            Some(ProgrammeStage::Nominated)
        );
        assert_eq!(
            ProgrammeStage::parse("evaluated"),
            Some(ProgrammeStage::Evaluated)
        );
        assert_eq!(ProgrammeStage::parse("họp"), None);
        assert_eq!(
            ProgrammeStage::read("họp"),
            Err("\"họp\" phải là đề xuất, đánh giá hoặc lựa chọn".into())
        );
    }
}
