//! The Alliance's section of a report: its activities and members in the period.

use crate::domain::alliance::{Activity, ActivityKind, ActivityStatus};
use crate::domain::geo::geo;
use crate::domain::period::Period;
use crate::domain::report::{ActivityLine, AllianceFigures, SupervisionFigures};
use crate::error::Result;
use crate::store::Store;
use time::Duration;

/// How far after the period planned activities are announced.
const PLANNED_HORIZON_DAYS: i64 = 183;

/// Computes the section; None when the Alliance recorded no activity and no member.
pub async fn build(store: &Store, period: &Period) -> Result<Option<AllianceFigures>> {
    let activities = store
        .activities(
            period.start,
            period.end + Duration::days(PLANNED_HORIZON_DAYS),
        )
        .await?;
    let (new_members, members_at_end) = store.membership_counts(period.start, period.end).await?;
    let governance = store.governance(period.start, period.end).await?;
    let supervision = store.supervision(period.start, period.end).await?;
    let programmes = store.programme_lines(period.start, period.end).await?;
    let support = store.support_figures(period.start, period.end).await?;
    if activities.is_empty()
        && new_members == 0
        && members_at_end == 0
        && governance.committees.is_empty()
        && supervision == SupervisionFigures::default()
        && programmes.is_empty()
        && support.count == 0
    {
        return Ok(None);
    }
    let mut f = AllianceFigures {
        new_members,
        members_at_end,
        governance,
        supervision,
        programmes,
        support,
        ..AllianceFigures::default()
    };
    for a in &activities {
        let in_period = period.contains(a.start);
        if a.status == ActivityStatus::Planned {
            f.planned.push(line(a));
            continue;
        }
        if !in_period {
            continue;
        }
        match a.kind {
            ActivityKind::Advisory => f.advisory.push(line(a)),
            ActivityKind::Selection => f.selections.push(line(a)),
            ActivityKind::Dialogue | ActivityKind::Conference | ActivityKind::Workshop => {
                f.events.push(line(a))
            }
            ActivityKind::Agreement => f.agreements.push(line(a)),
            ActivityKind::Fair => f.fairs.push(line(a)),
            ActivityKind::Training => {
                f.training.classes += a.quantity;
                if let Some(n) = a.attendees {
                    *f.training.attendances.get_or_insert(0) += n;
                    f.training.classes_with_attendances += a.quantity;
                }
                if let Some(unit) = geo().unit(&a.area) {
                    let place = format!("{} {}", unit.kind.to_lowercase(), unit.name);
                    if !f.training.areas.contains(&place) {
                        f.training.areas.push(place);
                    }
                }
            }
            ActivityKind::MediaSeries | ActivityKind::MediaArticle => {
                if a.kind == ActivityKind::MediaSeries {
                    f.media.series += a.quantity;
                } else {
                    f.media.articles += a.quantity;
                }
                if !a.channel.is_empty() && !f.media.channels.contains(&a.channel) {
                    f.media.channels.push(a.channel.clone());
                }
            }
            ActivityKind::WebsitePost => f.media.website_posts += a.quantity,
        }
    }
    Ok(Some(f))
}

fn line(a: &Activity) -> ActivityLine {
    ActivityLine {
        kind: a.kind.code().to_string(),
        title: a.title.clone(),
        date: a.start.to_string(),
        document_no: a.document_no.clone(),
        issuer: a.issuer.clone(),
        partner: a.partner.clone(),
        channel: a.channel.clone(),
        attendees: a.attendees,
        organisations: a.organisations.len() as i64,
    }
}
