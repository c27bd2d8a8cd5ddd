//! Turns activity and membership sheets into checked records, to the registry's standard.

use crate::domain::alliance::{
    Activity, ActivityKind, ActivityStatus, MemberCategory, MembershipChange, MembershipEvent,
    admit_membership,
};
use crate::domain::geo::geo;
use crate::domain::text;
use crate::error::Result;
use crate::import::columns::Col;
use crate::import::columns::SheetKind;
use crate::import::row::{Row, RowError};
use crate::store::Store;
use std::collections::HashMap;
use time::Date;

/// A membership change from a file: the member by organisation id or by name.
#[derive(Debug, Clone)]
pub struct MembershipRow {
    pub org_id: Option<i64>,
    pub name: String,
    pub event: MembershipEvent,
    pub reference: String,
}

/// What the Alliance sheets of a file would add.
#[derive(Debug, Default)]
pub struct AlliancePlan {
    pub activities: Vec<Activity>,
    pub memberships: Vec<MembershipRow>,
    pub unchanged: usize,
    pub errors: Vec<RowError>,
}

impl AlliancePlan {
    /// Whether nothing would be written.
    pub fn is_empty(&self) -> bool {
        self.activities.is_empty() && self.memberships.is_empty()
    }
}

/// Checks the activity and membership rows of a file.
pub async fn plan(store: &Store, rows: &[Row<'_>], today: Date) -> Result<AlliancePlan> {
    let mut plan = AlliancePlan::default();
    let activity_rows: Vec<&Row<'_>> = rows
        .iter()
        .filter(|r| r.kind == SheetKind::Activities)
        .collect();
    let member_rows: Vec<&Row<'_>> = rows
        .iter()
        .filter(|r| r.kind == SheetKind::Memberships)
        .collect();
    if activity_rows.is_empty() && member_rows.is_empty() {
        return Ok(plan);
    }
    // The activities of earlier rows, to find a repeated row without scanning them all.
    let mut earlier_rows = std::collections::HashSet::new();
    for row in activity_rows {
        let mut errors = Vec::new();
        let kind = row.required(Col::Activity, &mut errors).and_then(|k| {
            ActivityKind::parse(&k).or_else(|| {
                errors.push(row.error(
                    Col::Activity,
                    format!("\"{k}\" không phải loại hoạt động đã biết"),
                ));
                None
            })
        });
        let title = row.required(Col::Title, &mut errors);
        let date = row.date(Col::Date, &mut errors);
        let planned = row.flag(Col::Planned);
        let quantity = row.number(Col::Quantity, &mut errors).unwrap_or(1);
        let attendees = row.number(Col::Attendees, &mut errors).unwrap_or(0);
        let area = match (row.get(Col::Area), date) {
            (Some(code), Some(d)) => {
                let code = if code.chars().all(|c| c.is_ascii_digit()) && code.len() == 4 {
                    format!("0{code}")
                } else {
                    code.to_string()
                };
                match geo().by_code(&code, d) {
                    Some(u) => u.id.clone(),
                    None => {
                        errors.push(row.error(
                            Col::Area,
                            format!(
                                "không có đơn vị hành chính mã \"{code}\" vào ngày {}",
                                text::date(d)
                            ),
                        ));
                        String::new()
                    }
                }
            }
            _ => String::new(),
        };
        let mut organisations = Vec::new();
        for code in row
            .get(Col::Organisations)
            .unwrap_or("")
            .split(';')
            .map(text::clean)
            .filter(|c| !c.is_empty())
        {
            match store.org_by_code(&code).await? {
                Some(o) => organisations.push(o.id),
                None => errors
                    .push(row.error(Col::Organisations, format!("không có tổ chức mã số {code}"))),
            }
        }
        if let Some(d) = date
            && !planned
            && d > today
        {
            errors.push(row.error(
                Col::Date,
                "hoạt động đã tổ chức không thể ở ngày tương lai (đánh dấu cột Dự kiến)",
            ));
        }
        if quantity < 1 || attendees < 0 {
            errors.push(row.error(Col::Quantity, "số lượng phải từ 1, số người không âm"));
        }
        let (Some(kind), Some(title), Some(date), true) = (kind, title, date, errors.is_empty())
        else {
            plan.errors.extend(errors);
            continue;
        };
        let activity = Activity {
            id: 0,
            kind,
            title,
            status: if planned {
                ActivityStatus::Planned
            } else {
                ActivityStatus::Held
            },
            start: date,
            end: date,
            area,
            quantity,
            attendees,
            channel: row.get(Col::Channel).map(text::clean).unwrap_or_default(),
            partner: row.get(Col::Partner).map(text::clean).unwrap_or_default(),
            document_no: row
                .get(Col::DocumentNo)
                .map(text::clean)
                .unwrap_or_default(),
            issuer: row.get(Col::Issuer).map(text::clean).unwrap_or_default(),
            funding: String::new(),
            note: String::new(),
            organisations,
        };
        let existing = store.activities(date, date).await?;
        if existing
            .iter()
            .any(|e| Activity { id: 0, ..e.clone() } == activity)
            || earlier_rows.contains(&activity)
        {
            plan.unchanged += 1;
        } else {
            earlier_rows.insert(activity.clone());
            plan.activities.push(activity);
        }
    }
    let mut histories: HashMap<String, Vec<MembershipEvent>> = HashMap::new();
    let mut sorted = member_rows;
    sorted.sort_by_key(|r| {
        (
            r.get(Col::Date)
                .and_then(|d| crate::domain::parse_date(d).ok()),
            r.number,
        )
    });
    for row in sorted {
        let mut errors = Vec::new();
        let change =
            row.required(Col::Change, &mut errors)
                .and_then(|c| match text::fold(&c).as_str() {
                    "ket nap" | "gia nhap" | "joined" | "join" => Some(MembershipChange::Joined),
                    "ra khoi" | "roi" | "left" | "leave" => Some(MembershipChange::Left),
                    _ => {
                        errors.push(
                            row.error(Col::Change, format!("\"{c}\" phải là kết nạp hoặc ra khỏi")),
                        );
                        None
                    }
                });
        let date = row.date(Col::Date, &mut errors);
        let category = match row.get(Col::Category).map(text::fold).as_deref() {
            None | Some("chinh thuc") | Some("official") => MemberCategory::Official,
            Some("lien ket") | Some("associate") => MemberCategory::Associate,
            Some(other) => {
                errors.push(row.error(
                    Col::Category,
                    format!("\"{other}\" phải là chính thức hoặc liên kết"),
                ));
                MemberCategory::Official
            }
        };
        let (org_id, name) = match (row.get(Col::MemberCode), row.get(Col::MemberName)) {
            (Some(code), _) => match store.org_by_code(code).await? {
                Some(o) => (Some(o.id), o.name),
                None => {
                    errors
                        .push(row.error(Col::MemberCode, format!("không có tổ chức mã số {code}")));
                    (None, String::new())
                }
            },
            (None, Some(name)) => (None, text::clean(name)),
            (None, None) => {
                errors.push(row.error(Col::MemberCode, "cần mã số đăng ký hoặc tên thành viên"));
                (None, String::new())
            }
        };
        let (Some(change), Some(date), true) = (change, date, errors.is_empty()) else {
            plan.errors.extend(errors);
            continue;
        };
        let key = org_id.map_or_else(|| format!("name:{name}"), |id| format!("org:{id}"));
        let history = match histories.entry(key.clone()) {
            std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::hash_map::Entry::Vacant(new) => {
                let existing = match store.member_id(org_id, &name).await? {
                    Some(id) => store.membership_events(id).await?,
                    None => Vec::new(),
                };
                new.insert(existing)
            }
        };
        let event = MembershipEvent {
            id: i64::MAX - history.len() as i64,
            change,
            category,
            effective: date,
        };
        if history
            .iter()
            .any(|e| e.change == change && e.effective == date && e.category == category)
        {
            plan.unchanged += 1;
            continue;
        }
        match admit_membership(history, &event) {
            Ok(()) => {
                history.push(event.clone());
                plan.memberships.push(MembershipRow {
                    org_id,
                    name,
                    event,
                    reference: row.get(Col::Reference).map(text::clean).unwrap_or_default(),
                });
            }
            Err(e) => plan.errors.push(row.error(Col::Date, e)),
        }
    }
    Ok(plan)
}
