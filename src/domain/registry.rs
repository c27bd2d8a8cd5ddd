//! Organisations and their lifecycles. An organisation's status and attributes are never
//! stored as truth: they are derived for any date by replaying its dated events.

use crate::domain::text;
use serde::{Deserialize, Serialize};
use time::Date;

/// The four kinds of collective economic organisation.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum OrgKind {
    /// Tổ hợp tác (cooperative group).
    Tht,
    /// Hợp tác xã (cooperative).
    Htx,
    /// Liên hiệp hợp tác xã (union of cooperatives).
    Lhhtx,
    /// Quỹ tín dụng nhân dân (people's credit fund), legally a kind of HTX.
    Qtdnd,
}

impl OrgKind {
    /// All kinds.
    pub const ALL: [OrgKind; 4] = [Self::Tht, Self::Htx, Self::Lhhtx, Self::Qtdnd];

    /// Stored code: "THT", "HTX", "LHHTX", "QTDND".
    pub fn code(self) -> &'static str {
        match self {
            Self::Tht => "THT",
            Self::Htx => "HTX",
            Self::Lhhtx => "LHHTX",
            Self::Qtdnd => "QTDND",
        }
    }

    /// Reads a code or a Vietnamese name ("hợp tác xã", "quỹ tín dụng nhân dân").
    pub fn parse(s: &str) -> Option<OrgKind> {
        let key = text::fold(s).replace([' ', '-', '_'], "");
        Some(match key.as_str() {
            "tht" | "tohoptac" => Self::Tht,
            "htx" | "hoptacxa" => Self::Htx,
            "lhhtx" | "lienhiephoptacxa" => Self::Lhhtx,
            "qtdnd" | "quytindungnhandan" | "quytindung" => Self::Qtdnd,
            _ => return None,
        })
    }

    /// Vietnamese name.
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::Tht => "tổ hợp tác",
            Self::Htx => "hợp tác xã",
            Self::Lhhtx => "liên hiệp hợp tác xã",
            Self::Qtdnd => "quỹ tín dụng nhân dân",
        }
    }
}

/// What can happen to an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Thành lập.
    Established,
    /// Đăng ký thay đổi (any attribute).
    Changed,
    /// Tạm ngừng kinh doanh.
    Suspended,
    /// Hoạt động trở lại.
    Resumed,
    /// Ngừng hoạt động (not dissolved; still counted).
    Ceased,
    /// Giải thể.
    Dissolved,
    /// Phá sản.
    Bankrupt,
    /// Thu hồi giấy chứng nhận đăng ký.
    Revoked,
    /// Chuyển đổi (e.g. an HTX reorganised into a THT; linked to the new record).
    Converted,
    /// Hợp nhất (with others into a new organisation).
    Merged,
    /// Sáp nhập (into an existing organisation).
    Absorbed,
    /// Chia (split into new organisations; this one ends).
    Split,
    /// Tách (part separated into a new organisation; this one continues).
    Separated,
    /// Đăng ký lại theo luật mới.
    Reregistered,
}

impl EventKind {
    /// All kinds.
    pub const ALL: [EventKind; 14] = [
        Self::Established,
        Self::Changed,
        Self::Suspended,
        Self::Resumed,
        Self::Ceased,
        Self::Dissolved,
        Self::Bankrupt,
        Self::Revoked,
        Self::Converted,
        Self::Merged,
        Self::Absorbed,
        Self::Split,
        Self::Separated,
        Self::Reregistered,
    ];

    /// Stored code ("dissolved").
    pub fn code(self) -> &'static str {
        match self {
            Self::Established => "established",
            Self::Changed => "changed",
            Self::Suspended => "suspended",
            Self::Resumed => "resumed",
            Self::Ceased => "ceased",
            Self::Dissolved => "dissolved",
            Self::Bankrupt => "bankrupt",
            Self::Revoked => "revoked",
            Self::Converted => "converted",
            Self::Merged => "merged",
            Self::Absorbed => "absorbed",
            Self::Split => "split",
            Self::Separated => "separated",
            Self::Reregistered => "reregistered",
        }
    }

    /// Vietnamese name ("giải thể").
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::Established => "thành lập",
            Self::Changed => "đăng ký thay đổi",
            Self::Suspended => "tạm ngừng kinh doanh",
            Self::Resumed => "hoạt động trở lại",
            Self::Ceased => "ngừng hoạt động",
            Self::Dissolved => "giải thể",
            Self::Bankrupt => "phá sản",
            Self::Revoked => "thu hồi giấy chứng nhận",
            Self::Converted => "chuyển đổi",
            Self::Merged => "hợp nhất",
            Self::Absorbed => "sáp nhập",
            Self::Split => "chia",
            Self::Separated => "tách",
            Self::Reregistered => "đăng ký lại",
        }
    }

    /// Reads a code or a Vietnamese name, accents ignored.
    pub fn parse(s: &str) -> Option<EventKind> {
        let key = text::fold(s);
        Self::ALL
            .into_iter()
            .find(|k| k.code() == key || text::fold(k.name_vi()) == key)
    }

    /// Whether the event needs links to other organisations (successors or the absorber).
    pub fn links_successors(self) -> bool {
        matches!(
            self,
            Self::Converted | Self::Merged | Self::Absorbed | Self::Split | Self::Separated
        )
    }

    /// The status the organisation is in after this event, given the status before.
    fn next_status(self, before: Status) -> Status {
        match self {
            Self::Established | Self::Resumed => Status::Active,
            Self::Suspended => Status::Suspended,
            Self::Ceased => Status::Ceased,
            Self::Dissolved => Status::Dissolved,
            Self::Bankrupt => Status::Bankrupt,
            Self::Revoked => Status::Revoked,
            Self::Converted => Status::Converted,
            Self::Merged => Status::Merged,
            Self::Absorbed => Status::Absorbed,
            Self::Split => Status::Split,
            Self::Changed | Self::Separated | Self::Reregistered => before,
        }
    }
}

/// The status of an organisation on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Active,
    Suspended,
    Ceased,
    Dissolved,
    Bankrupt,
    Revoked,
    Converted,
    Merged,
    Absorbed,
    Split,
}

impl Status {
    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Suspended => "suspended",
            Self::Ceased => "ceased",
            Self::Dissolved => "dissolved",
            Self::Bankrupt => "bankrupt",
            Self::Revoked => "revoked",
            Self::Converted => "converted",
            Self::Merged => "merged",
            Self::Absorbed => "absorbed",
            Self::Split => "split",
        }
    }

    /// Reads a stored code.
    pub fn from_code(s: &str) -> Option<Status> {
        [
            Self::Active,
            Self::Suspended,
            Self::Ceased,
            Self::Dissolved,
            Self::Bankrupt,
            Self::Revoked,
            Self::Converted,
            Self::Merged,
            Self::Absorbed,
            Self::Split,
        ]
        .into_iter()
        .find(|x| x.code() == s)
    }

    /// Vietnamese label.
    pub fn name_vi(self) -> &'static str {
        match self {
            Self::Active => "đang hoạt động",
            Self::Suspended => "tạm ngừng kinh doanh",
            Self::Ceased => "ngừng hoạt động",
            Self::Dissolved => "đã giải thể",
            Self::Bankrupt => "đã phá sản",
            Self::Revoked => "bị thu hồi giấy chứng nhận",
            Self::Converted => "đã chuyển đổi",
            Self::Merged => "đã hợp nhất",
            Self::Absorbed => "đã sáp nhập",
            Self::Split => "đã chia",
        }
    }

    /// Whether the organisation still exists in law. Alliance reports count an organisation
    /// that has ceased operating but is not dissolved among the total.
    pub fn is_counted(self) -> bool {
        matches!(self, Self::Active | Self::Suspended | Self::Ceased)
    }

    /// Whether nothing more can happen to the organisation.
    pub fn is_terminal(self) -> bool {
        !self.is_counted()
    }
}

/// The English names, and the one trait every closed set of values is read and shown through.
impl crate::domain::codes::Coded for OrgKind {
    const ALL: &'static [Self] = &OrgKind::ALL;

    fn code(self) -> &'static str {
        OrgKind::code(self)
    }

    fn name_vi(self) -> &'static str {
        OrgKind::name_vi(self)
    }

    fn name_en(self) -> &'static str {
        match self {
            Self::Tht => "cooperative group",
            Self::Htx => "cooperative",
            Self::Lhhtx => "union of cooperatives",
            Self::Qtdnd => "people's credit fund",
        }
    }

    /// Codes are upper case ("HTX"); the inherent reader also takes the usual spellings.
    fn parse(s: &str) -> Option<Self> {
        OrgKind::parse(s)
    }
}

impl crate::domain::codes::Coded for EventKind {
    const ALL: &'static [Self] = &EventKind::ALL;

    fn code(self) -> &'static str {
        EventKind::code(self)
    }

    fn name_vi(self) -> &'static str {
        EventKind::name_vi(self)
    }

    fn name_en(self) -> &'static str {
        match self {
            Self::Established => "established",
            Self::Changed => "registered change",
            Self::Suspended => "suspended business",
            Self::Resumed => "resumed",
            Self::Ceased => "ceased operating",
            Self::Dissolved => "dissolved",
            Self::Bankrupt => "bankrupt",
            Self::Revoked => "certificate revoked",
            Self::Converted => "converted",
            Self::Merged => "merged",
            Self::Absorbed => "absorbed",
            Self::Split => "split",
            Self::Separated => "separated",
            Self::Reregistered => "re-registered",
        }
    }
}

impl crate::domain::codes::Coded for Status {
    const ALL: &'static [Self] = &[
        Self::Active,
        Self::Suspended,
        Self::Ceased,
        Self::Dissolved,
        Self::Bankrupt,
        Self::Revoked,
        Self::Converted,
        Self::Merged,
        Self::Absorbed,
        Self::Split,
    ];

    fn code(self) -> &'static str {
        Status::code(self)
    }

    fn name_vi(self) -> &'static str {
        Status::name_vi(self)
    }

    fn name_en(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Suspended => "suspended",
            Self::Ceased => "ceased operating",
            Self::Dissolved => "dissolved",
            Self::Bankrupt => "bankrupt",
            Self::Revoked => "certificate revoked",
            Self::Converted => "converted",
            Self::Merged => "merged",
            Self::Absorbed => "absorbed",
            Self::Split => "split",
        }
    }
}

/// Model flags (Decision 167 new-type model, high technology, value chain, OCOP).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ModelFlags {
    #[serde(default)]
    pub new_type: bool,
    #[serde(default)]
    pub high_tech: bool,
    #[serde(default)]
    pub value_chain: bool,
    #[serde(default)]
    pub ocop: bool,
}

impl ModelFlags {
    /// Packs the flags into an integer for the projection table.
    pub fn bits(self) -> i64 {
        i64::from(self.new_type)
            | i64::from(self.high_tech) << 1
            | i64::from(self.value_chain) << 2
            | i64::from(self.ocop) << 3
    }
}

/// What describes an organisation at a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Attributes {
    pub name: String,
    #[serde(default)]
    pub address: String,
    /// Commune unit id (`old-09163`, `new-09169`).
    pub commune: String,
    /// Sector code.
    pub sector: String,
    /// Body that issued the registration certificate.
    #[serde(default)]
    pub registering_body: String,
    /// Law the organisation is registered under: 2012 or 2023.
    #[serde(default = "default_law")]
    pub law: i64,
    #[serde(default)]
    pub flags: ModelFlags,
    /// Legal representative.
    #[serde(default)]
    pub representative: String,
}

fn default_law() -> i64 {
    2012
}

/// A partial change of attributes (đăng ký thay đổi).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AttributeChanges {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commune: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registering_body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub law: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags: Option<ModelFlags>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representative: Option<String>,
}

impl AttributeChanges {
    /// Whether the change changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == AttributeChanges::default()
    }

    /// Applies the change.
    pub fn apply(&self, a: &mut Attributes) {
        let set = |target: &mut String, v: &Option<String>| {
            if let Some(v) = v {
                *target = v.clone();
            }
        };
        set(&mut a.name, &self.name);
        set(&mut a.address, &self.address);
        set(&mut a.commune, &self.commune);
        set(&mut a.sector, &self.sector);
        set(&mut a.registering_body, &self.registering_body);
        set(&mut a.representative, &self.representative);
        if let Some(law) = self.law {
            a.law = law;
        }
        if let Some(flags) = self.flags {
            a.flags = flags;
        }
    }
}

/// The content of an event, by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
pub struct EventPayload {
    /// For `established`: the full attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Attributes>,
    /// For `changed` (and optionally `reregistered`): what changed.
    #[serde(default, skip_serializing_if = "AttributeChanges::is_empty")]
    pub changes: AttributeChanges,
    /// Registration codes of linked organisations (successors, the absorbing one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    /// Decision or document reference.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reference: String,
    /// For `established`: the founding members (số thành viên khi thành lập), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub founding_members: Option<i64>,
}

/// One dated event of one organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Event {
    /// Database id (0 before it is stored); orders events of the same date.
    pub id: i64,
    pub kind: EventKind,
    #[serde(with = "crate::domain::iso_date")]
    pub effective: Date,
    pub payload: EventPayload,
}

/// The derived state of an organisation from one date on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct State {
    #[serde(with = "crate::domain::iso_date")]
    pub from: Date,
    pub status: Status,
    pub attributes: Attributes,
}

/// Why an event cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleViolation {
    #[error("sự kiện đầu tiên phải là thành lập (gặp \"{0}\" ngày {1})")]
    NotEstablishedFirst(&'static str, String),
    #[error("tổ chức đã được thành lập ngày {0}; không thể thành lập lần nữa")]
    EstablishedTwice(String),
    #[error("sự kiện \"{0}\" ngày {1} trước ngày thành lập {2}")]
    BeforeEstablishment(&'static str, String, String),
    #[error("tổ chức {0} từ ngày {1}; không thể ghi nhận \"{2}\" ngày {3}")]
    AfterEnd(&'static str, String, &'static str, String),
    #[error("không thể ghi nhận \"{0}\" ngày {1} khi tổ chức đang ở trạng thái {2}")]
    WrongStatus(&'static str, String, &'static str),
    #[error("ngày {0} ở tương lai (hôm nay là {1})")]
    InFuture(String, String),
    #[error("{0} {1}")]
    TooLong(&'static str, String),
    #[error("sự kiện thành lập thiếu thông tin: {0}")]
    MissingAttributes(&'static str),
    #[error("sự kiện đăng ký thay đổi không thay đổi thông tin nào")]
    EmptyChange,
    #[error("sự kiện \"{0}\" cần mã đăng ký của tổ chức liên quan")]
    MissingRelated(&'static str),
}

/// Replays events (in effective-date order, ties by id) into the states they produce.
/// Refuses impossible sequences with the first violation found.
pub fn replay(events: &[Event]) -> Result<Vec<State>, RuleViolation> {
    let mut ordered: Vec<&Event> = events.iter().collect();
    ordered.sort_by_key(|e| (e.effective, e.id));
    let mut states: Vec<State> = Vec::with_capacity(ordered.len());
    for event in ordered {
        let d = text::date(event.effective);
        let name = event.kind.name_vi();
        let Some(current) = states.last() else {
            if event.kind != EventKind::Established {
                return Err(RuleViolation::NotEstablishedFirst(name, d));
            }
            let attributes = event
                .payload
                .attributes
                .clone()
                .ok_or(RuleViolation::MissingAttributes("thông tin tổ chức"))?;
            states.push(State {
                from: event.effective,
                status: Status::Active,
                attributes,
            });
            continue;
        };
        let before = current.status;
        if event.kind == EventKind::Established {
            return Err(RuleViolation::EstablishedTwice(text::date(states[0].from)));
        }
        if before.is_terminal() {
            return Err(RuleViolation::AfterEnd(
                before.name_vi(),
                text::date(current.from),
                name,
                d,
            ));
        }
        let allowed = match event.kind {
            EventKind::Suspended => before == Status::Active,
            EventKind::Resumed => matches!(before, Status::Suspended | Status::Ceased),
            EventKind::Ceased => before != Status::Ceased,
            _ => true,
        };
        if !allowed {
            return Err(RuleViolation::WrongStatus(name, d, before.name_vi()));
        }
        if event.kind.links_successors() && event.payload.related.is_empty() {
            return Err(RuleViolation::MissingRelated(name));
        }
        if event.kind == EventKind::Changed && event.payload.changes.is_empty() {
            return Err(RuleViolation::EmptyChange);
        }
        let mut attributes = current.attributes.clone();
        event.payload.changes.apply(&mut attributes);
        let status = event.kind.next_status(before);
        if status == before && attributes == current.attributes && current.from == event.effective {
            continue;
        }
        states.push(State {
            from: event.effective,
            status,
            attributes,
        });
    }
    Ok(states)
}

/// Checks a new event against the history and today's date, returning the new states.
pub fn admit(history: &[Event], new: &Event, today: Date) -> Result<Vec<State>, RuleViolation> {
    if let Some((field, reason)) = too_long_text(&new.payload) {
        return Err(RuleViolation::TooLong(field, reason));
    }
    if new.effective > today {
        return Err(RuleViolation::InFuture(
            text::date(new.effective),
            text::date(today),
        ));
    }
    if let (Some(first), true) = (
        history.iter().map(|e| e.effective).min(),
        new.kind != EventKind::Established,
    ) && new.effective < first
    {
        return Err(RuleViolation::BeforeEstablishment(
            new.kind.name_vi(),
            text::date(new.effective),
            text::date(first),
        ));
    }
    let mut all = history.to_vec();
    let mut candidate = new.clone();
    if candidate.id == 0 {
        candidate.id = i64::MAX;
    }
    all.push(candidate);
    replay(&all)
}

/// The first text of an event longer than the limits allow, named in words.
fn too_long_text(payload: &EventPayload) -> Option<(&'static str, String)> {
    let c = &payload.changes;
    let changed = |v: &Option<String>| v.clone().unwrap_or_default();
    let related = payload.related.join(";");
    let (name, address, body, representative) = (
        changed(&c.name),
        changed(&c.address),
        changed(&c.registering_body),
        changed(&c.representative),
    );
    let mut fields = vec![
        ("tên mới", name.as_str(), text::MAX_NAME_CHARS),
        ("địa chỉ mới", &address, text::MAX_LINE_CHARS),
        ("cơ quan đăng ký mới", &body, text::MAX_LINE_CHARS),
        ("người đại diện mới", &representative, text::MAX_NAME_CHARS),
        ("căn cứ", &payload.reference, text::MAX_LINE_CHARS),
        ("tổ chức liên quan", &related, text::MAX_LINE_CHARS),
    ];
    if let Some(a) = &payload.attributes {
        fields.extend([
            ("tên tổ chức", a.name.as_str(), text::MAX_NAME_CHARS),
            ("địa chỉ", &a.address, text::MAX_LINE_CHARS),
            ("cơ quan đăng ký", &a.registering_body, text::MAX_LINE_CHARS),
            ("người đại diện", &a.representative, text::MAX_NAME_CHARS),
        ]);
    }
    text::first_too_long(&fields)
}

/// The state in force on a date, if the organisation existed then.
pub fn state_at(states: &[State], on: Date) -> Option<&State> {
    states.iter().take_while(|s| s.from <= on).last()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn attrs() -> Attributes {
        Attributes {
            name: "HTX Dịch vụ nông nghiệp Đông Cứu".into(),
            address: String::new(),
            commune: "old-09163".into(),
            sector: "agri_services".into(),
            registering_body: String::new(),
            law: 2012,
            flags: ModelFlags::default(),
            representative: String::new(),
        }
    }

    fn ev(id: i64, kind: EventKind, effective: Date) -> Event {
        let mut payload = EventPayload::default();
        match kind {
            EventKind::Established => payload.attributes = Some(attrs()),
            EventKind::Changed => payload.changes.name = Some(format!("Tên {id}")),
            k if k.links_successors() => payload.related = vec!["X".into()],
            _ => {}
        }
        Event {
            id,
            kind,
            effective,
            payload,
        }
    }

    #[test]
    fn a_dissolved_organisation_is_no_longer_counted() {
        let events = [
            ev(1, EventKind::Established, date!(2015 - 03 - 01)),
            ev(2, EventKind::Dissolved, date!(2022 - 05 - 10)),
        ];
        let states = replay(&events).unwrap();
        assert!(
            state_at(&states, date!(2022 - 05 - 09))
                .unwrap()
                .status
                .is_counted()
        );
        assert!(
            !state_at(&states, date!(2022 - 05 - 10))
                .unwrap()
                .status
                .is_counted()
        );
        assert!(state_at(&states, date!(2015 - 02 - 28)).is_none());
    }

    #[test]
    fn a_ceased_organisation_is_still_counted() {
        let events = [
            ev(1, EventKind::Established, date!(2015 - 03 - 01)),
            ev(2, EventKind::Ceased, date!(2022 - 05 - 10)),
        ];
        let states = replay(&events).unwrap();
        assert_eq!(states.last().unwrap().status, Status::Ceased);
        assert!(Status::Ceased.is_counted());
    }

    #[test]
    fn dissolving_twice_is_refused() {
        let history = [
            ev(1, EventKind::Established, date!(2015 - 03 - 01)),
            ev(2, EventKind::Dissolved, date!(2020 - 01 - 01)),
        ];
        let err = admit(
            &history,
            &ev(0, EventKind::Dissolved, date!(2021 - 01 - 01)),
            date!(2026 - 01 - 01),
        )
        .unwrap_err();
        assert!(err.to_string().contains("đã giải thể"), "{err}");
    }

    #[test]
    fn changing_a_dissolved_organisation_is_refused() {
        let history = [
            ev(1, EventKind::Established, date!(2015 - 03 - 01)),
            ev(2, EventKind::Dissolved, date!(2020 - 01 - 01)),
        ];
        let result = admit(
            &history,
            &ev(0, EventKind::Changed, date!(2021 - 01 - 01)),
            date!(2026 - 01 - 01),
        );
        assert!(matches!(result, Err(RuleViolation::AfterEnd(..))));
    }

    #[test]
    fn an_event_before_establishment_is_refused() {
        let history = [ev(1, EventKind::Established, date!(2015 - 03 - 01))];
        let result = admit(
            &history,
            &ev(0, EventKind::Suspended, date!(2014 - 01 - 01)),
            date!(2026 - 01 - 01),
        );
        assert!(matches!(
            result,
            Err(RuleViolation::BeforeEstablishment(..))
        ));
    }

    #[test]
    fn a_future_date_is_refused() {
        let history = [ev(1, EventKind::Established, date!(2015 - 03 - 01))];
        let result = admit(
            &history,
            &ev(0, EventKind::Ceased, date!(2030 - 01 - 01)),
            date!(2026 - 01 - 01),
        );
        assert!(matches!(result, Err(RuleViolation::InFuture(..))));
    }

    #[test]
    fn resuming_an_active_organisation_is_refused() {
        let history = [ev(1, EventKind::Established, date!(2015 - 03 - 01))];
        let result = admit(
            &history,
            &ev(0, EventKind::Resumed, date!(2016 - 01 - 01)),
            date!(2026 - 01 - 01),
        );
        assert!(matches!(result, Err(RuleViolation::WrongStatus(..))));
    }

    #[test]
    fn a_back_dated_change_applies_from_its_own_date() {
        let mut history = vec![
            ev(1, EventKind::Established, date!(2015 - 03 - 01)),
            ev(2, EventKind::Suspended, date!(2020 - 01 - 01)),
        ];
        let mut change = ev(3, EventKind::Changed, date!(2018 - 01 - 01));
        change.payload.changes.name = Some("Tên mới".into());
        let states = admit(&history, &change, date!(2026 - 01 - 01)).unwrap();
        history.push(change);
        assert_eq!(
            state_at(&states, date!(2019 - 01 - 01))
                .unwrap()
                .attributes
                .name,
            "Tên mới"
        );
        assert_eq!(
            state_at(&states, date!(2017 - 01 - 01))
                .unwrap()
                .attributes
                .name,
            attrs().name
        );
        assert_eq!(
            state_at(&states, date!(2021 - 01 - 01)).unwrap().status,
            Status::Suspended
        );
    }

    /// The naive meaning of "state at a date": apply every event effective on or before it.
    fn naive_state(events: &[Event], on: Date) -> Option<(Status, Attributes)> {
        let mut ordered: Vec<&Event> = events.iter().filter(|e| e.effective <= on).collect();
        ordered.sort_by_key(|e| (e.effective, e.id));
        let mut state: Option<(Status, Attributes)> = None;
        for e in ordered {
            match &mut state {
                None => state = Some((Status::Active, e.payload.attributes.clone()?)),
                Some((status, a)) => {
                    e.payload.changes.apply(a);
                    *status = e.kind.next_status(*status);
                }
            }
        }
        state
    }

    fn arbitrary_kind() -> impl Strategy<Value = EventKind> {
        prop::sample::select(EventKind::ALL[1..].to_vec())
    }

    proptest! {
        #[test]
        fn the_state_at_any_date_equals_replaying_the_events_up_to_it(
            steps in prop::collection::vec((arbitrary_kind(), 1u16..400), 0..12),
            probes in prop::collection::vec(0u16..4000, 1..8),
        ) {
            let start = date!(2015 - 01 - 01);
            let mut history = vec![ev(1, EventKind::Established, start)];
            let mut day = start;
            for (i, (kind, gap)) in steps.into_iter().enumerate() {
                day += time::Duration::days(i64::from(gap));
                let candidate = ev(i as i64 + 2, kind, day);
                // Keep only events the rules admit: the history stays valid.
                if admit(&history, &candidate, date!(2030 - 01 - 01)).is_ok() {
                    history.push(candidate);
                }
            }
            let states = replay(&history).unwrap();
            for p in probes {
                let on = start - time::Duration::days(10) + time::Duration::days(i64::from(p));
                let derived = state_at(&states, on).map(|s| (s.status, s.attributes.clone()));
                prop_assert_eq!(derived, naive_state(&history, on));
            }
        }
    }
}

/// One row of the projection: what is counted about an organisation between two dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interval {
    pub valid_from: Date,
    /// Exclusive; None while open.
    pub valid_to: Option<Date>,
    pub status: Status,
    pub sector: String,
    pub commune: String,
    pub flags: i64,
}

/// Collapses states into validity intervals of the counted attributes (status, sector,
/// commune, flags). Name or address changes do not split an interval.
pub fn intervals(states: &[State]) -> Vec<Interval> {
    let mut out: Vec<Interval> = Vec::new();
    for (i, s) in states.iter().enumerate() {
        if states.get(i + 1).is_some_and(|next| next.from == s.from) {
            continue; // a later event of the same day wins
        }
        let candidate = Interval {
            valid_from: s.from,
            valid_to: None,
            status: s.status,
            sector: s.attributes.sector.clone(),
            commune: s.attributes.commune.clone(),
            flags: s.attributes.flags.bits(),
        };
        if let Some(last) = out.last_mut() {
            if (&last.status, &last.sector, &last.commune, last.flags)
                == (
                    &candidate.status,
                    &candidate.sector,
                    &candidate.commune,
                    candidate.flags,
                )
            {
                continue;
            }
            last.valid_to = Some(candidate.valid_from);
        }
        out.push(candidate);
    }
    out
}

/// Checks that attributes name a known sector and a commune of the deployment's area that
/// was valid on the date. Returns (field, reason) for every problem.
pub fn check_attributes(
    attributes: &Attributes,
    on: Date,
    taxonomy: &crate::domain::sector::Taxonomy,
    area: &str,
) -> Vec<(&'static str, String)> {
    let geo = crate::domain::geo::geo();
    let mut problems = Vec::new();
    if attributes.name.trim().is_empty() {
        problems.push(("name", "thiếu tên tổ chức".to_string()));
    }
    problems.extend(text::first_too_long(&[
        ("name", &attributes.name, text::MAX_NAME_CHARS),
        ("address", &attributes.address, text::MAX_LINE_CHARS),
        (
            "registering_body",
            &attributes.registering_body,
            text::MAX_LINE_CHARS,
        ),
        (
            "representative",
            &attributes.representative,
            text::MAX_NAME_CHARS,
        ),
    ]));
    if taxonomy.get(&attributes.sector).is_none() {
        problems.push((
            "sector",
            format!("lĩnh vực \"{}\" không có trong danh mục", attributes.sector),
        ));
    }
    match geo.unit(&attributes.commune) {
        None => problems.push((
            "commune",
            format!("không có đơn vị hành chính \"{}\"", attributes.commune),
        )),
        Some(unit) if !unit.is_place() => problems.push((
            "commune",
            format!("\"{}\" không phải cấp xã", unit.full_name()),
        )),
        Some(unit) if unit.era != crate::domain::geo::Era::at(on) => problems.push((
            "commune",
            format!(
                "{} (mã {}) không còn/chưa có hiệu lực vào ngày {}",
                unit.full_name(),
                unit.code,
                text::date(on)
            ),
        )),
        Some(unit) if !area.is_empty() && !geo.commune_in_area(&unit.id, area) => problems.push((
            "commune",
            format!(
                "{} (mã {}) không thuộc địa bàn {}",
                unit.full_name(),
                unit.code,
                geo.unit(area).map(|a| a.full_name()).unwrap_or_default()
            ),
        )),
        Some(_) => {}
    }
    if ![2012, 2023].contains(&attributes.law) {
        problems.push((
            "law",
            format!("luật {} không hợp lệ (2012 hoặc 2023)", attributes.law),
        ));
    }
    problems
}

#[cfg(test)]
mod interval_tests {
    use super::*;
    use time::macros::date;

    fn state(from: Date, status: Status, name: &str, sector: &str) -> State {
        State {
            from,
            status,
            attributes: Attributes {
                name: name.into(),
                address: String::new(),
                commune: "old-09163".into(),
                sector: sector.into(),
                registering_body: String::new(),
                law: 2012,
                flags: ModelFlags::default(),
                representative: String::new(),
            },
        }
    }

    #[test]
    fn renaming_does_not_split_an_interval_but_a_status_change_does() {
        let states = [
            state(date!(2015 - 01 - 01), Status::Active, "A", "trade"),
            state(date!(2016 - 01 - 01), Status::Active, "B", "trade"),
            state(date!(2020 - 01 - 01), Status::Dissolved, "B", "trade"),
        ];
        let iv = intervals(&states);
        assert_eq!(iv.len(), 2);
        assert_eq!(iv[0].valid_to, Some(date!(2020 - 01 - 01)));
        assert_eq!(iv[1].status, Status::Dissolved);
        assert_eq!(iv[1].valid_to, None);
    }

    #[test]
    fn a_commune_from_the_wrong_era_is_refused() {
        let t = crate::domain::sector::Taxonomy::built_in();
        let a = state(date!(2015 - 01 - 01), Status::Active, "A", "trade").attributes;
        assert!(check_attributes(&a, date!(2022 - 01 - 01), &t, "old-27").is_empty());
        let problems = check_attributes(&a, date!(2026 - 01 - 01), &t, "old-27");
        assert_eq!(problems[0].0, "commune");
        let elsewhere = check_attributes(&a, date!(2022 - 01 - 01), &t, "old-01");
        assert!(
            elsewhere[0].1.contains("không thuộc địa bàn"),
            "{elsewhere:?}"
        );
    }
}

/// The founding members an organisation's establishment recorded, if any.
pub fn founding_members(history: &[Event]) -> Option<i64> {
    history
        .iter()
        .find(|e| e.kind == EventKind::Established)
        .and_then(|e| e.payload.founding_members)
}

/// Yearly figures of one organisation of any kind (from its annual report). Missing values
/// stay None: a figure nobody entered is no figure, not 0.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct YearFigures {
    pub year: i32,
    pub official_members: Option<i64>,
    pub associate_members: Option<i64>,
    /// Regular workers (lao động thường xuyên).
    pub workers: Option<i64>,
    /// Seasonal workers (lao động thời vụ).
    #[serde(default)]
    pub seasonal_workers: Option<i64>,
    pub charter_capital: Option<i64>,
    /// Operating capital (vốn hoạt động), đồng.
    #[serde(default)]
    pub operating_capital: Option<i64>,
    pub total_assets: Option<i64>,
    pub revenue: Option<i64>,
    pub profit: Option<i64>,
    pub average_income: Option<i64>,
}
