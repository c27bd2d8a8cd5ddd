//! Borrowers: organisations, or members of one borrowing as persons.

use super::*;

pub(super) fn borrower_json(who: &BorrowerRef, related_group: &str) -> String {
    match who {
        BorrowerRef::Org(org) => {
            serde_json::json!({"org_id": org, "related_group": related_group}).to_string()
        }
        BorrowerRef::Member { name, id, of } => serde_json::json!({
            "person_name": name, "person_id": id, "member_of": of, "related_group": related_group,
        })
        .to_string(),
    }
}

pub(super) async fn find_borrower_on(
    conn: &mut sqlx::AnyConnection,
    who: &BorrowerRef,
) -> Result<Option<i64>> {
    Ok(match who {
        BorrowerRef::Org(org) => {
            sqlx::query_scalar("SELECT id FROM borrower WHERE org_id = $1")
                .bind(*org)
                .fetch_optional(&mut *conn)
                .await?
        }
        BorrowerRef::Member { id, of, .. } => sqlx::query_scalar(
            "SELECT id FROM borrower WHERE person_id = $1 AND member_of = $2 AND person_id <> ''",
        )
        .bind(id)
        .bind(*of)
        .fetch_optional(&mut *conn)
        .await?,
    })
}

/// The borrower a reference names, created when new; and whether it was created.
pub(super) async fn resolve_borrower(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    r: &BorrowerRef,
    related_group: &str,
) -> Result<(i64, bool)> {
    if let Some(id) = find_borrower_on(tx, r).await? {
        return Ok((id, false));
    }
    let id = match r {
        BorrowerRef::Org(org) => {
            sqlx::query_scalar(
                "INSERT INTO borrower (org_id, related_group) VALUES ($1, $2) RETURNING id",
            )
            .bind(*org)
            .bind(related_group)
            .fetch_one(&mut **tx)
            .await?
        }
        BorrowerRef::Member { name, id, of } => {
            sqlx::query_scalar(
                "INSERT INTO borrower (person_name, person_id, member_of, related_group)
             VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(name)
            .bind(id)
            .bind(*of)
            .bind(related_group)
            .fetch_one(&mut **tx)
            .await?
        }
    };
    Ok((id, true))
}

impl Store {
    /// The borrower record of an organisation, created on first use (generated data: the
    /// demo, tests; loans people enter create theirs with `create_loan_for`).
    pub async fn borrower_for_org(&self, org_id: i64, related_group: &str) -> Result<i64> {
        if let Some(id) = sqlx::query_scalar::<_, i64>("SELECT id FROM borrower WHERE org_id = $1")
            .bind(org_id)
            .fetch_optional(&self.pool)
            .await?
        {
            return Ok(id);
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO borrower (org_id, related_group) VALUES ($1, $2) RETURNING id",
        )
        .bind(org_id)
        .bind(related_group)
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// The borrower a reference names, if it was recorded.
    pub async fn find_borrower(&self, who: &BorrowerRef) -> Result<Option<i64>> {
        let mut conn = self.pool.acquire().await?;
        find_borrower_on(&mut conn, who).await
    }

    /// All borrowers by id.
    pub async fn borrowers(&self) -> Result<HashMap<i64, Borrower>> {
        self.borrowers_among(None).await
    }

    /// The borrowers with these ids (a page of loans), by id.
    pub async fn borrowers_of(&self, ids: &[i64]) -> Result<HashMap<i64, Borrower>> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(batch::IN_LIST_MAX) {
            out.extend(self.borrowers_among(Some(chunk)).await?);
        }
        Ok(out)
    }

    async fn borrowers_among(&self, ids: Option<&[i64]>) -> Result<HashMap<i64, Borrower>> {
        let filter = match ids {
            Some([]) => return Ok(HashMap::new()),
            Some(ids) => format!(" WHERE b.id IN ({})", placeholders(ids.len(), 0)),
            None => String::new(),
        };
        let mut query = sqlx::query(AssertSqlSafe(format!(
            "SELECT b.id, b.org_id, b.person_name, b.person_id, b.member_of, b.related_group,
                    COALESCE(o.name, ''), COALESCE(o.kind, ''), COALESCE(m.name, ''), COALESCE(m.kind, '')
             FROM borrower b
             LEFT JOIN organisation o ON o.id = b.org_id
             LEFT JOIN organisation m ON m.id = b.member_of{filter}"
        )));
        for id in ids.unwrap_or_default() {
            query = query.bind(*id);
        }
        let rows = query.fetch_all(&self.pool).await?;
        let mut out = HashMap::new();
        for r in rows {
            let org_name: String = r.try_get(6)?;
            let person: String = r.try_get(2)?;
            let member_org: String = r.try_get(8)?;
            let org_kind: String = r.try_get(7)?;
            let member_kind: String = r.try_get(9)?;
            let b = Borrower {
                id: r.try_get(0)?,
                org_id: r.try_get(1)?,
                person_id: r.try_get(3)?,
                member_of: r.try_get(4)?,
                related_group: r.try_get(5)?,
                name: if org_name.is_empty() {
                    format!("{person} (thành viên {member_org})")
                } else {
                    org_name
                },
                org_kind: [org_kind, member_kind].into_iter().find(|k| !k.is_empty()),
                person_name: person,
            };
            out.insert(b.id, b);
        }
        Ok(out)
    }

    /// The commune of each borrower's organisation (or cooperative, for members) on a date.
    pub async fn borrower_communes(&self, on: Date) -> Result<HashMap<i64, String>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT b.id, i.commune FROM borrower b
             JOIN org_interval i ON i.org_id = COALESCE(b.org_id, b.member_of)
                  AND i.valid_from <= $1 AND i.valid_to > $1",
        )
        .bind(on.to_string())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().collect())
    }
}
