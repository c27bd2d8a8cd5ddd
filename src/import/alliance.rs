//! Turns activity and membership sheets into checked records, to the registry's standard.
//! Each row fills the input the command line, the web form and the API fill, and goes
//! through the same check; a problem is reported against the column of its field.

use crate::app::Planned;
use crate::app::alliance::{ActivityInput, MembershipInput, check_activity, check_membership};
use crate::domain::access::{Access, Role};
use crate::domain::alliance::{Activity, MemberCategory, MembershipChange, MembershipEvent};
use crate::domain::codes::Coded;
use crate::domain::text;
use crate::error::{Error, Result};
use crate::import::columns::Col;
use crate::import::columns::SheetKind;
use crate::import::row::{Row, RowError};
use crate::store::Store;
use std::collections::HashMap;
use time::Date;

pub use crate::store::alliance::NewMembership as MembershipRow;

/// The column of the activity sheet that holds a field of [`ActivityInput`].
fn activity_column(field: &str) -> &'static str {
    match field {
        "title" => "title",
        "date" => "date",
        "end" => "end",
        "planned" => "planned",
        "area" => "area",
        "quantity" => "quantity",
        "attendees" => "attendees",
        "channel" => "channel",
        "partner" => "partner",
        "document_no" => "document_no",
        "issuer" => "issuer",
        "organisations" => "organisations",
        // "kind", and fields the sheet has no column for.
        _ => "activity",
    }
}

/// The column of the membership sheet that holds a field of [`MembershipInput`].
fn membership_column(field: &str) -> &'static str {
    match field {
        "change" => "change",
        "date" => "date",
        "category" => "category",
        "name" => "member_name",
        "reference" => "reference",
        _ => "member_code",
    }
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
pub async fn plan(
    store: &Store,
    rows: &[Row<'_>],
    planned: &Planned,
    today: Date,
) -> Result<AlliancePlan> {
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
    let access = Access {
        role: Role::Admin,
        area: None,
    };
    for row in activity_rows {
        let cell = |key| row.get(key).unwrap_or_default().to_string();
        let input = ActivityInput {
            kind: cell(Col::Activity),
            title: cell(Col::Title),
            date: cell(Col::Date),
            end: cell(Col::End),
            planned: row.flag(Col::Planned),
            area: cell(Col::Area),
            quantity: cell(Col::Quantity),
            attendees: cell(Col::Attendees),
            channel: cell(Col::Channel),
            partner: cell(Col::Partner),
            document_no: cell(Col::DocumentNo),
            issuer: cell(Col::Issuer),
            organisations: cell(Col::Organisations),
            ..ActivityInput::default()
        };
        let activity = match check_activity(store, planned, &input, &access, today).await {
            Ok(a) => a,
            Err(e @ Error::Invalid(_)) => {
                plan.errors.extend(
                    e.problems()
                        .iter()
                        .map(|p| row.field_error(activity_column(&p.field), &p.reason)),
                );
                continue;
            }
            Err(e) => return Err(e),
        };
        let existing = store.activities(activity.start, activity.start).await?;
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
    // Per member: the changes recorded and those of earlier rows (to skip a repeated row),
    // and those of earlier rows alone (which the check adds to what is recorded).
    let mut histories: HashMap<String, Vec<MembershipEvent>> = HashMap::new();
    let mut earlier_of: HashMap<String, Vec<MembershipEvent>> = HashMap::new();
    let mut sorted = member_rows;
    sorted.sort_by_key(|r| {
        (
            r.get(Col::Date)
                .and_then(|d| crate::domain::parse_date(d).ok()),
            r.number,
        )
    });
    for row in sorted {
        let cell = |key| row.get(key).unwrap_or_default().to_string();
        let input = MembershipInput {
            change: cell(Col::Change),
            code: cell(Col::MemberCode),
            name: cell(Col::MemberName),
            date: cell(Col::Date),
            category: cell(Col::Category),
            reference: cell(Col::Reference),
        };
        // A row the sheet gave before (same member, change, category and day) is skipped.
        let key = match input.code.trim() {
            "" => format!("name:{}", text::clean(&input.name)),
            code => format!("code:{code}"),
        };
        let history = match histories.entry(key.clone()) {
            std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::hash_map::Entry::Vacant(new) => {
                let org_id = match input.code.trim() {
                    "" => None,
                    code => store.org_by_code(code).await?.map(|o| o.id),
                };
                let name = text::clean(&input.name);
                let stored = match (org_id, input.code.trim().is_empty()) {
                    (None, false) => Vec::new(),
                    _ => match store.member_id(org_id, &name).await? {
                        Some(id) => store.membership_events(id).await?,
                        None => Vec::new(),
                    },
                };
                new.insert(stored)
            }
        };
        let repeated = (
            MembershipChange::parse(&input.change),
            crate::domain::parse_date(&input.date).ok(),
            match input.category.trim() {
                "" => Some(MemberCategory::Official),
                typed => MemberCategory::parse(typed),
            },
        );
        if let (Some(change), Some(date), Some(category)) = repeated
            && history
                .iter()
                .any(|e| e.change == change && e.effective == date && e.category == category)
        {
            plan.unchanged += 1;
            continue;
        }
        let earlier = earlier_of.entry(key.clone()).or_default();
        match check_membership(store, planned, &input, earlier).await {
            Ok(checked) => {
                let mut event = checked.membership.event.clone();
                event.id = i64::MAX - history.len() as i64;
                history.push(event.clone());
                earlier.push(event);
                plan.memberships.push(checked.membership);
            }
            Err(e @ Error::Invalid(_)) => plan.errors.extend(
                e.problems()
                    .iter()
                    .map(|p| row.field_error(membership_column(&p.field), &p.reason)),
            ),
            Err(e) => return Err(e),
        }
    }
    Ok(plan)
}
