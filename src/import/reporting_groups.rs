//! The **Nhóm báo cáo** sheet: the deployment's reporting groups, each row one group, checked
//! as the CLI and the administration page check them (`app::sectors`).

use crate::app::sectors::{ReportingGroupInput, check_reporting_group};
use crate::domain::sector::ReportingGroup;
use crate::error::Result;
use crate::import::columns::{Col, SheetKind};
use crate::import::row::{Row, RowError};
use crate::store::Store;
use std::collections::HashMap;

/// What the sheet would write.
#[derive(Debug, Default)]
pub struct GroupPlan {
    /// Groups to write (each replacing the stored one of its code).
    pub groups: Vec<ReportingGroup>,
    /// Rows equal to a stored group, skipped.
    pub unchanged: usize,
    pub errors: Vec<RowError>,
}

impl GroupPlan {
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

/// The column of the sheet that holds a field of [`ReportingGroupInput`].
fn group_column(field: &str) -> &'static str {
    match field {
        "code" => "group_code",
        "name_vi" => "group_name",
        "name_en" => "group_name_en",
        _ => "fields",
    }
}

/// Checks the rows, each against the stored groups with the earlier rows' on top (so that
/// two rows cannot put one field in two groups).
pub async fn plan(store: &Store, rows: &[Row<'_>]) -> Result<GroupPlan> {
    let mut plan = GroupPlan::default();
    let stored = store.taxonomy().await?;
    let mut groups = stored.reporting_groups().to_vec();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in rows.iter().filter(|r| r.kind == SheetKind::ReportingGroups) {
        let cell = |key| row.get(key).unwrap_or_default().to_string();
        let input = ReportingGroupInput {
            code: cell(Col::GroupCode),
            name_vi: cell(Col::GroupName),
            name_en: cell(Col::GroupNameEn),
            fields: cell(Col::Fields),
        };
        if let Some(line) = seen.get(input.code.trim()) {
            plan.errors.push(row.error(
                Col::GroupCode,
                format!("nhóm {} đã có ở dòng {line}", input.code.trim()),
            ));
            continue;
        }
        seen.insert(input.code.trim().to_string(), row.number);
        let taxonomy = stored.clone().with_reporting_groups(groups.clone());
        match check_reporting_group(&taxonomy, &input) {
            Ok(group) => {
                let before = groups.iter().position(|g| g.code == group.code);
                if before.is_some_and(|i| groups[i].same_as(&group)) {
                    plan.unchanged += 1;
                    continue;
                }
                match before {
                    Some(i) => groups[i] = group.clone(),
                    None => groups.push(group.clone()),
                }
                plan.groups.push(group);
            }
            Err(e) => plan.errors.extend(row.refusal(e, |f| group_column(f))?),
        }
    }
    Ok(plan)
}
