//! The Alliance's own work: its members and its activities.

use crate::domain::codes::Coded;
use serde::{Deserialize, Serialize};
use time::Date;

/// What kind of activity the Alliance recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    /// Lớp tập huấn (attendees, area).
    Training,
    /// Chuyên đề on radio, TV or in a newspaper.
    MediaSeries,
    /// Bài báo.
    MediaArticle,
    /// Tin bài on the Alliance's website (quantity).
    WebsitePost,
    /// Chương trình phối hợp, thỏa thuận hợp tác with a partner.
    Agreement,
    /// Hội chợ, xúc tiến thương mại (participating organisations).
    Fair,
    /// Hội nghị.
    Conference,
    /// Hội thảo.
    Workshop,
    /// Đối thoại.
    Dialogue,
    /// Văn bản tham mưu: a plan, proposal or resolution the Alliance prepared.
    Advisory,
    /// Khảo sát, lựa chọn tổ chức tham gia một chương trình, đề án (participating organisations).
    Selection,
}

impl ActivityKind {
    /// All kinds.
    pub const ALL: [ActivityKind; 11] = [
        Self::Advisory,
        Self::Selection,
        Self::Dialogue,
        Self::Conference,
        Self::Workshop,
        Self::Training,
        Self::Agreement,
        Self::MediaSeries,
        Self::MediaArticle,
        Self::WebsitePost,
        Self::Fair,
    ];

    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Training => "training",
            Self::MediaSeries => "media_series",
            Self::MediaArticle => "media_article",
            Self::WebsitePost => "website_post",
            Self::Agreement => "agreement",
            Self::Fair => "fair",
            Self::Conference => "conference",
            Self::Workshop => "workshop",
            Self::Dialogue => "dialogue",
            Self::Advisory => "advisory",
            Self::Selection => "selection",
        }
    }

    /// Vietnamese name.
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::Training => "lớp tập huấn",
            Self::MediaSeries => "chuyên đề",
            Self::MediaArticle => "bài báo",
            Self::WebsitePost => "tin bài trên trang thông tin điện tử",
            Self::Agreement => "chương trình phối hợp",
            Self::Fair => "hội chợ, xúc tiến thương mại",
            Self::Conference => "hội nghị",
            Self::Workshop => "hội thảo",
            Self::Dialogue => "đối thoại",
            Self::Advisory => "văn bản tham mưu",
            Self::Selection => "khảo sát, lựa chọn",
        }
    }

    /// English name.
    pub fn name_en(self) -> &'static str {
        match self {
            Self::Training => "training class",
            Self::MediaSeries => "media series",
            Self::MediaArticle => "press article",
            Self::WebsitePost => "website post",
            Self::Agreement => "cooperation programme",
            Self::Fair => "fair, trade promotion",
            Self::Conference => "conference",
            Self::Workshop => "workshop",
            Self::Dialogue => "dialogue",
            Self::Advisory => "advisory document",
            Self::Selection => "survey, selection",
        }
    }
}

/// Whether an activity took place or is planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActivityStatus {
    Planned,
    Held,
}

/// One activity.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Activity {
    pub id: i64,
    pub kind: ActivityKind,
    pub title: String,
    pub status: ActivityStatus,
    #[serde(with = "crate::domain::iso_date")]
    pub start: Date,
    #[serde(with = "crate::domain::iso_date")]
    pub end: Date,
    /// Unit id of the place (a district or commune), or empty.
    pub area: String,
    /// How many (website posts, articles) this record stands for; 1 otherwise.
    pub quantity: i64,
    /// Attendances (lượt người); None when nobody entered them.
    pub attendees: Option<i64>,
    /// Channel or place: "Đài Phát thanh và Truyền hình tỉnh", "Hà Nội".
    pub channel: String,
    /// Partner or organiser.
    pub partner: String,
    /// Document number of an advisory output or a selection ("592/KH-UBND").
    pub document_no: String,
    /// Body that issued the document ("UBND tỉnh").
    pub issuer: String,
    pub funding: String,
    pub note: String,
    /// Participating organisations (ids).
    pub organisations: Vec<i64>,
}

/// Kinds of organisation the Alliance admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberKind {
    Htx,
    Lhhtx,
    Enterprise,
    Association,
    Other,
}

/// Official or associate membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberCategory {
    Official,
    Associate,
}

/// Whether a membership event admits or ends a membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipChange {
    Joined,
    Left,
}

/// One dated change of membership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipEvent {
    pub id: i64,
    pub change: MembershipChange,
    pub category: MemberCategory,
    #[serde(with = "crate::domain::iso_date")]
    pub effective: Date,
}

/// The membership in force on a date, from the events (in date order, ties by id).
pub fn membership_at(events: &[MembershipEvent], on: Date) -> Option<MemberCategory> {
    let mut ordered: Vec<&MembershipEvent> = events.iter().filter(|e| e.effective <= on).collect();
    ordered.sort_by_key(|e| (e.effective, e.id));
    match ordered.last() {
        Some(e) if e.change == MembershipChange::Joined => Some(e.category),
        _ => None,
    }
}

/// Checks a new membership event: joining twice without leaving, or leaving without being a
/// member, is refused.
pub fn admit_membership(history: &[MembershipEvent], new: &MembershipEvent) -> Result<(), String> {
    let before = new.effective.previous_day().unwrap_or(new.effective);
    let current = membership_at(history, before);
    // The same change on the same day again would count twice.
    let repeated = history
        .iter()
        .any(|e| e.change == new.change && e.effective == new.effective);
    let current = match (repeated, new.change) {
        (true, MembershipChange::Joined) => Some(new.category),
        (true, MembershipChange::Left) => None,
        (false, _) => current,
    };
    match (new.change, current) {
        (MembershipChange::Joined, Some(_)) => Err(format!(
            "đã là thành viên vào ngày {}",
            crate::domain::text::date(new.effective)
        )),
        (MembershipChange::Left, None) => Err(format!(
            "không phải thành viên vào ngày {}",
            crate::domain::text::date(new.effective)
        )),
        _ => Ok(()),
    }
}

impl Coded for ActivityKind {
    const ALL: &'static [Self] = &ActivityKind::ALL;

    fn code(self) -> &'static str {
        ActivityKind::code(self)
    }

    fn name_vi(self) -> &'static str {
        ActivityKind::name_vi(self)
    }

    fn name_en(self) -> &'static str {
        ActivityKind::name_en(self)
    }

    /// The short forms officials write, and the import template's help names.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Training => &["tap huan", "lop tap huan", "boi duong"],
            Self::MediaSeries => &["chuyen de tuyen truyen"],
            Self::MediaArticle => &["bai viet"],
            Self::WebsitePost => &["tin bai", "tin bai website"],
            Self::Agreement => &["phoi hop", "ky ket phoi hop"],
            Self::Fair => &["hoi cho", "xuc tien thuong mai", "trien lam"],
            Self::Conference => &[],
            Self::Workshop => &[],
            Self::Dialogue => &["hoi nghi doi thoai"],
            Self::Advisory => &["tham muu"],
            Self::Selection => &["khao sat", "lua chon"],
        }
    }
}

impl Coded for ActivityStatus {
    const ALL: &'static [Self] = &[Self::Planned, Self::Held];

    fn code(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Held => "held",
        }
    }

    fn name_vi(self) -> &'static str {
        match self {
            Self::Planned => "dự kiến",
            Self::Held => "đã tổ chức",
        }
    }

    fn name_en(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Held => "held",
        }
    }
}

impl Coded for MemberKind {
    const ALL: &'static [Self] = &[
        Self::Htx,
        Self::Lhhtx,
        Self::Enterprise,
        Self::Association,
        Self::Other,
    ];

    fn code(self) -> &'static str {
        match self {
            Self::Htx => "htx",
            Self::Lhhtx => "lhhtx",
            Self::Enterprise => "enterprise",
            Self::Association => "association",
            Self::Other => "other",
        }
    }

    fn name_vi(self) -> &'static str {
        match self {
            Self::Htx => "hợp tác xã",
            Self::Lhhtx => "liên hiệp hợp tác xã",
            Self::Enterprise => "doanh nghiệp",
            Self::Association => "hiệp hội",
            Self::Other => "khác",
        }
    }

    fn name_en(self) -> &'static str {
        match self {
            Self::Htx => "cooperative",
            Self::Lhhtx => "union of cooperatives",
            Self::Enterprise => "enterprise",
            Self::Association => "association",
            Self::Other => "other",
        }
    }
}

impl Coded for MemberCategory {
    const ALL: &'static [Self] = &[Self::Official, Self::Associate];

    fn code(self) -> &'static str {
        match self {
            Self::Official => "official",
            Self::Associate => "associate",
        }
    }

    fn name_vi(self) -> &'static str {
        match self {
            Self::Official => "chính thức",
            Self::Associate => "liên kết",
        }
    }

    fn name_en(self) -> &'static str {
        match self {
            Self::Official => "official",
            Self::Associate => "associate",
        }
    }
}

impl Coded for MembershipChange {
    const ALL: &'static [Self] = &[Self::Joined, Self::Left];

    fn code(self) -> &'static str {
        match self {
            Self::Joined => "joined",
            Self::Left => "left",
        }
    }

    fn name_vi(self) -> &'static str {
        match self {
            Self::Joined => "kết nạp",
            Self::Left => "ra khỏi",
        }
    }

    fn name_en(self) -> &'static str {
        match self {
            Self::Joined => "joined",
            Self::Left => "left",
        }
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Joined => &["gia nhap", "join"],
            Self::Left => &["roi", "leave"],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn ev(id: i64, change: MembershipChange, d: Date) -> MembershipEvent {
        MembershipEvent {
            id,
            change,
            category: MemberCategory::Official,
            effective: d,
        }
    }

    #[test]
    fn leaving_and_rejoining_keeps_history() {
        let events = [
            ev(1, MembershipChange::Joined, date!(2018 - 03 - 01)),
            ev(2, MembershipChange::Left, date!(2020 - 01 - 01)),
            ev(3, MembershipChange::Joined, date!(2022 - 05 - 01)),
        ];
        assert!(membership_at(&events, date!(2019 - 01 - 01)).is_some());
        assert!(membership_at(&events, date!(2021 - 01 - 01)).is_none());
        assert!(membership_at(&events, date!(2022 - 06 - 30)).is_some());
        assert!(
            admit_membership(
                &events,
                &ev(4, MembershipChange::Joined, date!(2023 - 01 - 01))
            )
            .is_err()
        );
        assert!(
            admit_membership(
                &events[..1],
                &ev(4, MembershipChange::Joined, date!(2018 - 03 - 01))
            )
            .is_err(),
            "the same joining twice"
        );
        assert!(
            admit_membership(
                &events[..2],
                &ev(4, MembershipChange::Left, date!(2021 - 01 - 01))
            )
            .is_err()
        );
    }
}
