//! Recording the Alliance's own work from typed input: its activities and its memberships.
//! Every entrance (import rows, command line, web form, JSON API) fills the same input and
//! calls the same check, so a value is accepted or refused, with the same words, everywhere.

use crate::domain::access::Access;
use crate::domain::alliance::{
    Activity, ActivityKind, ActivityStatus, MemberCategory, MemberKind, MembershipChange,
    MembershipEvent, admit_membership,
};
use crate::domain::codes::Coded;
use crate::domain::geo::{Level, geo};
use crate::domain::registry::OrgKind;
use crate::domain::text::{self, MAX_LINE_CHARS, MAX_NAME_CHARS, MAX_NOTE_CHARS};
use crate::error::{Problems, Result};
use crate::store::Store;
use crate::store::alliance::NewMembership;
use serde::Deserialize;
use time::Date;

/// An activity as typed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ActivityInput {
    /// Code or Vietnamese name of the kind (training, lớp tập huấn…).
    pub kind: String,
    pub title: String,
    /// First day (dd/mm/yyyy or yyyy-mm-dd).
    pub date: String,
    /// Last day; blank for a one-day activity.
    pub end: String,
    /// Not held yet.
    #[serde(deserialize_with = "super::flag")]
    pub planned: bool,
    /// A district or commune: its unit id, or its code valid on the date; blank for none.
    pub area: String,
    /// How many (series, articles, posts) the record stands for; blank for 1.
    #[serde(deserialize_with = "super::text")]
    pub quantity: String,
    /// Attendances; blank for none.
    #[serde(deserialize_with = "super::text")]
    pub attendees: String,
    pub channel: String,
    pub partner: String,
    pub document_no: String,
    pub issuer: String,
    pub funding: String,
    pub note: String,
    /// Registration codes of participating organisations, separated by ";".
    pub organisations: String,
}

/// The one rule for an activity's quantity.
pub const QUANTITY_FROM_ONE: &str = "số lượng phải từ 1";
/// The one rule for an activity's dates.
pub const END_BEFORE_START: &str = "ngày kết thúc trước ngày bắt đầu";

/// The unit id of an area typed as a unit id or as a code valid on a date (a four-digit
/// district code may lose its leading zero in a spreadsheet).
fn area_id(typed: &str, on: Date) -> std::result::Result<String, String> {
    let typed = typed.trim();
    let code = if typed.len() == 4 && typed.chars().all(|c| c.is_ascii_digit()) {
        format!("0{typed}")
    } else {
        typed.to_string()
    };
    let g = geo();
    g.unit(typed)
        .or_else(|| g.by_code(&code, on))
        .filter(|u| matches!(u.level, Level::District | Level::Commune))
        .map(|u| u.id.clone())
        .ok_or_else(|| {
            format!(
                "không có đơn vị hành chính mã \"{typed}\" vào ngày {}",
                text::date(on)
            )
        })
}

/// Checks an activity typed by a user whose reach is `access`, reporting every problem.
/// `today` decides whether a held activity lies in the future.
pub async fn check_activity(
    store: &Store,
    planned: &super::Planned,
    input: &ActivityInput,
    access: &Access,
    today: Date,
) -> Result<Activity> {
    let mut problems = Problems::new();
    let kind = super::required(&mut problems, "kind", &input.kind)
        .and_then(|k| problems.take("kind", ActivityKind::read(&k)));
    let title = super::required(&mut problems, "title", &input.title);
    let start = super::required(&mut problems, "date", &input.date)
        .and_then(|d| problems.take("date", crate::domain::parse_date(&d)));
    let end = match input.end.trim() {
        "" => start,
        typed => problems.take("end", crate::domain::parse_date(typed)),
    };
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        problems.add("end", END_BEFORE_START);
    }
    if let Some(s) = start
        && !input.planned
        && s > today
    {
        problems.add(
            "date",
            "hoạt động đã tổ chức không thể ở ngày tương lai (đánh dấu là dự kiến)",
        );
    }
    let area = match (input.area.trim(), start) {
        ("", _) => Some(String::new()),
        (typed, Some(on)) => problems.take("area", area_id(typed, on)),
        (_, None) => None,
    };
    if let Some(a) = &area
        && !access.covers_area(Some(a.as_str()).filter(|a| !a.is_empty()))
    {
        problems.add("area", "địa bàn này nằm ngoài phạm vi bạn phụ trách");
    }
    let quantity = problems
        .take("quantity", text::parse_whole_number(&input.quantity))
        .map(|q| q.unwrap_or(1));
    if quantity.is_some_and(|q| q < 1) {
        problems.add("quantity", QUANTITY_FROM_ONE);
    }
    let attendees = problems.take("attendees", text::parse_whole_number(&input.attendees));
    let mut organisations = Vec::new();
    for code in input
        .organisations
        .split(';')
        .map(text::clean)
        .filter(|c| !c.is_empty())
    {
        match planned.find(store, &code).await? {
            Some(o) => organisations.push(o.id),
            None => problems.add("organisations", planned.missing(&code)),
        }
    }
    let clean = |s: &str| text::clean(s);
    let (channel, partner, document_no, issuer, funding, note) = (
        clean(&input.channel),
        clean(&input.partner),
        clean(&input.document_no),
        clean(&input.issuer),
        clean(&input.funding),
        text::clean_paragraphs(&input.note),
    );
    for (field, value, limit) in [
        ("title", title.as_deref().unwrap_or(""), MAX_NAME_CHARS),
        ("channel", &channel, MAX_LINE_CHARS),
        ("partner", &partner, MAX_LINE_CHARS),
        ("document_no", &document_no, MAX_LINE_CHARS),
        ("issuer", &issuer, MAX_LINE_CHARS),
        ("funding", &funding, MAX_LINE_CHARS),
        ("note", &note, MAX_NOTE_CHARS),
    ] {
        if let Some((field, reason)) = text::first_too_long(&[(field, value, limit)]) {
            problems.add(field, reason);
        }
    }
    problems.finish(|| {
        Some(Activity {
            id: 0,
            kind: kind?,
            title: title?,
            status: if input.planned {
                ActivityStatus::Planned
            } else {
                ActivityStatus::Held
            },
            start: start?,
            end: end?,
            area: area?,
            quantity: quantity?,
            attendees: attendees?,
            channel,
            partner,
            document_no,
            issuer,
            funding,
            note,
            organisations,
        })
    })
}

/// Records a checked activity (one transaction with its audit entry); returns its number.
pub async fn record_activity(store: &Store, activity: &Activity, author: &str) -> Result<i64> {
    store.add_activity(activity, author).await
}

/// Checks and records an activity.
pub async fn add_activity(
    store: &Store,
    input: &ActivityInput,
    access: &Access,
    author: &str,
) -> Result<(i64, Activity)> {
    let activity = check_activity(
        store,
        &super::Planned::none(),
        input,
        access,
        crate::domain::today(),
    )
    .await?;
    let id = record_activity(store, &activity, author).await?;
    Ok((id, activity))
}

/// A membership change as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MembershipInput {
    /// joined / left, or kết nạp / ra khỏi.
    pub change: String,
    /// Registration code of an organisation of the registry.
    pub code: String,
    /// Name of an enterprise or association outside the registry (when no code).
    pub name: String,
    /// Effective date.
    pub date: String,
    /// official / associate (chính thức / liên kết); blank for official.
    pub category: String,
    pub reference: String,
}

/// A checked membership change, with the kind of member to create when it is the first.
#[derive(Debug, Clone)]
pub struct CheckedMembership {
    pub membership: NewMembership,
    pub kind: MemberKind,
}

/// Checks a membership change against the member's history, reporting every problem.
/// `earlier` are changes of the same member checked before it but not yet recorded (the
/// rows above it in a file).
pub async fn check_membership(
    store: &Store,
    planned: &super::Planned,
    input: &MembershipInput,
    earlier: &[MembershipEvent],
) -> Result<CheckedMembership> {
    let mut problems = Problems::new();
    let change = super::required(&mut problems, "change", &input.change)
        .and_then(|c| problems.take("change", MembershipChange::read(&c)));
    let date = super::required(&mut problems, "date", &input.date)
        .and_then(|d| problems.take("date", crate::domain::parse_date(&d)));
    let category = match input.category.trim() {
        "" => Some(MemberCategory::Official),
        typed => problems.take("category", MemberCategory::read(typed)),
    };
    let member = match (text::clean(&input.code), text::clean(&input.name)) {
        (code, _) if !code.is_empty() => match planned.find(store, &code).await? {
            Some(o) => Some((
                Some(o.id),
                o.name,
                if o.kind == OrgKind::Lhhtx {
                    MemberKind::Lhhtx
                } else {
                    MemberKind::Htx
                },
            )),
            None => {
                problems.add("code", planned.missing(&code));
                None
            }
        },
        (_, name) if !name.is_empty() => Some((None, name, MemberKind::Enterprise)),
        _ => {
            problems.add("code", "cần mã số đăng ký hoặc tên thành viên");
            None
        }
    };
    if let Some((_, name, _)) = &member
        && let Some((field, reason)) = text::first_too_long(&[("name", name, MAX_NAME_CHARS)])
    {
        problems.add(field, reason);
    }
    let reference = text::clean(&input.reference);
    if let Some((field, reason)) =
        text::first_too_long(&[("reference", &reference, MAX_LINE_CHARS)])
    {
        problems.add(field, reason);
    }
    if let (Some(change), Some(date), Some(category), Some((org_id, name, _))) =
        (change, date, category, &member)
    {
        let mut history = match store.member_id(*org_id, name).await? {
            Some(id) => store.membership_events(id).await?,
            None => Vec::new(),
        };
        history.extend_from_slice(earlier);
        let event = MembershipEvent {
            id: i64::MAX - history.len() as i64,
            change,
            category,
            effective: date,
        };
        if let Err(reason) = admit_membership(&history, &event) {
            problems.add("date", reason);
        }
    }
    problems.finish(|| {
        let (org_id, name, kind) = member?;
        Some(CheckedMembership {
            membership: NewMembership {
                org_id,
                name,
                event: MembershipEvent {
                    id: 0,
                    change: change?,
                    category: category?,
                    effective: date?,
                },
                reference,
            },
            kind,
        })
    })
}

/// Records a checked membership change: the member (created on first use) and the change,
/// in one transaction with their audit entries.
pub async fn record_membership(
    store: &Store,
    checked: &CheckedMembership,
    author: &str,
) -> Result<()> {
    store
        .add_membership(&checked.membership, checked.kind, author)
        .await
}

/// Checks and records a membership change.
pub async fn change_membership(
    store: &Store,
    input: &MembershipInput,
    author: &str,
) -> Result<CheckedMembership> {
    let checked = check_membership(store, &super::Planned::none(), input, &[]).await?;
    record_membership(store, &checked, author).await?;
    Ok(checked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_area_is_read_by_id_or_by_a_code_even_one_that_lost_its_zero() {
        let on = time::macros::date!(2022 - 03 - 01);
        let g = geo();
        let district = g
            .units_of(crate::domain::geo::Era::at(on), Level::District)
            .into_iter()
            .next()
            .expect("a district")
            .clone();
        assert_eq!(area_id(&district.id, on), Ok(district.id.clone()));
        assert_eq!(area_id(&district.code, on), Ok(district.id.clone()));
        let commune = g
            .units_of(crate::domain::geo::Era::at(on), Level::Commune)
            .into_iter()
            .find(|u| u.code.len() == 5 && u.code.starts_with('0'))
            .expect("a commune whose code starts with 0")
            .clone();
        assert_eq!(area_id(&commune.code[1..], on), Ok(commune.id.clone()));
        assert!(area_id("99999", on).is_err());
    }
}
