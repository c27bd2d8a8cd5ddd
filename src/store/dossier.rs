//! Everything linked to one organisation, for its page: loans, Alliance membership,
//! programmes, support, activities it took part in, inspections.

use crate::error::Result;
use crate::store::Store;
use serde::Serialize;
use sqlx::Row;

/// A line of an organisation's dossier: date, what, detail, optional link key.
#[derive(Debug, Clone, Serialize)]
pub struct DossierLine {
    pub date: String,
    pub what: String,
    pub detail: String,
    /// A loan's contract number (for a link), otherwise "".
    pub key: String,
}

/// The records of other areas that name an organisation.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Dossier {
    pub loans: Vec<DossierLine>,
    pub memberships: Vec<DossierLine>,
    pub programmes: Vec<DossierLine>,
    pub support: Vec<DossierLine>,
    pub activities: Vec<DossierLine>,
    pub inspections: Vec<DossierLine>,
}

impl Store {
    /// Loads the dossier of an organisation (by id), each part in date order.
    pub async fn dossier(&self, org_id: i64) -> Result<Dossier> {
        let lines = |sql: &'static str| async move {
            let rows = sqlx::query(sql).bind(org_id).fetch_all(&self.pool).await?;
            rows.iter()
                .map(|r| {
                    Ok(DossierLine {
                        date: r.try_get(0)?,
                        what: r.try_get(1)?,
                        detail: r.try_get(2)?,
                        key: r.try_get(3)?,
                    })
                })
                .collect::<Result<Vec<_>>>()
        };
        Ok(Dossier {
            loans: lines(
                "SELECT l.contract_date, l.purpose, CAST(l.approved_amount AS TEXT), l.contract_no
                 FROM loan l JOIN borrower b ON b.id = l.borrower_id
                 WHERE b.org_id = $1 OR b.member_of = $1 ORDER BY l.contract_date, l.id",
            )
            .await?,
            memberships: lines(
                "SELECT e.effective_date, e.kind, e.category, e.reference
                 FROM membership_event e JOIN member m ON m.id = e.member_id
                 WHERE m.org_id = $1 ORDER BY e.effective_date, e.id",
            )
            .await?,
            programmes: lines(
                "SELECT s.date, p.name, s.stage, s.note
                 FROM programme_stage s JOIN programme p ON p.code = s.programme
                 WHERE s.org_id = $1 ORDER BY s.date, s.id",
            )
            .await?,
            support: lines(
                "SELECT s.date, s.category, CAST(s.amount AS TEXT), COALESCE(s.programme, '')
                 FROM support s WHERE s.org_id = $1 ORDER BY s.date, s.id",
            )
            .await?,
            activities: lines(
                "SELECT a.start_date, a.kind, a.title, ''
                 FROM activity a JOIN activity_org o ON o.activity_id = a.id
                 WHERE o.org_id = $1 ORDER BY a.start_date, a.id",
            )
            .await?,
            inspections: lines(
                "SELECT i.date, i.kind, i.subject, i.status
                 FROM inspection i WHERE i.org_id = $1 ORDER BY i.date, i.id",
            )
            .await?,
        })
    }
}
