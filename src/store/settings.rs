//! Deployment settings: the province served, the issuing body printed on documents.

use crate::domain::evaluation::{GradeThresholds, SizeThresholds};
use crate::domain::fund::{AgeingBuckets, FundRules};
use crate::domain::text::MoneyInProse;
use crate::error::Result;
use crate::store::{Store, audit};
use serde::Serialize;

/// Settings a deployment configures once.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Deployment {
    /// The area served: a province unit id (`old-27`, `new-24`), or empty for the whole country.
    pub area: String,
    /// The parent body in the document header ("LIÊN MINH HTX VIỆT NAM").
    pub parent_body: String,
    /// The issuing body ("LIÊN MINH HỢP TÁC XÃ TỈNH BẮC NINH").
    pub issuing_body: String,
    /// The issuer's short code after "BC-" ("LMHTX").
    pub issuer_code: String,
    /// The place written before the date ("Bắc Ninh").
    pub place: String,
    /// Signature block: capacity ("TM. BAN THƯỜNG VỤ"), position ("CHỦ TỊCH"), name.
    pub signer_capacity: String,
    pub signer_position: String,
    pub signer_name: String,
    /// Recipients, one per line.
    pub recipients: Vec<String>,
    /// The support fund's lending limits.
    pub fund_rules: FundRules,
    /// Upper bounds (days) of the ageing buckets: 0, 30, 90, 180, 360 by default.
    pub ageing_days: Vec<i64>,
    /// The lowest totals of the grades of the yearly evaluation (Circular 01/2020).
    pub grade_thresholds: GradeThresholds,
    /// The size classes' thresholds per field (Decree 113/2024).
    pub size_thresholds: SizeThresholds,
    /// How the report's prose writes money: in words ("2 tỷ 50 triệu đồng", the default) or
    /// rounded to a tenth of a billion ("2,1 tỷ đồng").
    pub money_in_prose: MoneyInProse,
    /// Whether the report's prose names HTX and THT by every field of activity instead of by
    /// the three sector groups.
    pub fields_in_prose: bool,
}

impl Deployment {
    /// The ageing buckets of the fund's portfolio.
    pub fn ageing(&self) -> AgeingBuckets {
        AgeingBuckets::from_bounds(&self.ageing_days).unwrap_or_default()
    }
}

impl Default for Deployment {
    fn default() -> Self {
        Deployment {
            area: String::new(),
            parent_body: "LIÊN MINH HỢP TÁC XÃ VIỆT NAM".into(),
            issuing_body: "LIÊN MINH HỢP TÁC XÃ".into(),
            issuer_code: "LMHTX".into(),
            place: String::new(),
            signer_capacity: "TM. BAN THƯỜNG VỤ".into(),
            signer_position: "CHỦ TỊCH".into(),
            signer_name: String::new(),
            recipients: vec!["- Như trên;".into(), "- Lưu: VT.".into()],
            fund_rules: FundRules::default(),
            ageing_days: vec![0, 30, 90, 180, 360],
            grade_thresholds: GradeThresholds::default(),
            size_thresholds: SizeThresholds::default(),
            money_in_prose: MoneyInProse::default(),
            fields_in_prose: false,
        }
    }
}

const KEYS: [&str; 15] = [
    "area",
    "parent_body",
    "issuing_body",
    "issuer_code",
    "place",
    "signer_capacity",
    "signer_position",
    "signer_name",
    "recipients",
    "fund_rules",
    "ageing_days",
    "grade_thresholds",
    "size_thresholds",
    "money_in_prose",
    "fields_in_prose",
];

impl Store {
    /// The deployment settings, with defaults for what was never set.
    pub async fn deployment(&self) -> Result<Deployment> {
        let rows: Vec<(String, String)> = sqlx::query_as("SELECT key, value FROM setting")
            .fetch_all(&self.pool)
            .await?;
        let mut d = Deployment::default();
        for (k, v) in rows {
            match k.as_str() {
                "area" => d.area = v,
                "parent_body" => d.parent_body = v,
                "issuing_body" => d.issuing_body = v,
                "issuer_code" => d.issuer_code = v,
                "place" => d.place = v,
                "signer_capacity" => d.signer_capacity = v,
                "signer_position" => d.signer_position = v,
                "signer_name" => d.signer_name = v,
                "recipients" => d.recipients = v.lines().map(str::to_string).collect(),
                "fund_rules" => {
                    d.fund_rules = serde_json::from_str(&v)
                        .map_err(|e| crate::Error::invalid("fund_rules", e.to_string()))?
                }
                "ageing_days" => {
                    d.ageing_days = v
                        .split(',')
                        .map(|x| x.trim().parse::<i64>())
                        .collect::<Result<_, _>>()
                        .map_err(|e| crate::Error::invalid("ageing_days", e.to_string()))?
                }
                "grade_thresholds" => {
                    d.grade_thresholds = serde_json::from_str(&v)
                        .map_err(|e| crate::Error::invalid("grade_thresholds", e.to_string()))?
                }
                "size_thresholds" => {
                    d.size_thresholds = serde_json::from_str(&v)
                        .map_err(|e| crate::Error::invalid("size_thresholds", e.to_string()))?
                }
                "fields_in_prose" => d.fields_in_prose = v == "true",
                "money_in_prose" => {
                    d.money_in_prose = MoneyInProse::parse(&v)
                        .ok_or_else(|| crate::Error::invalid("money_in_prose", v.clone()))?
                }
                _ => {}
            }
        }
        Ok(d)
    }

    /// Replaces the deployment settings (audited).
    pub async fn set_deployment(&self, d: &Deployment, author: &str) -> Result<()> {
        let before = self.deployment().await?;
        let values = [
            d.area.clone(),
            d.parent_body.clone(),
            d.issuing_body.clone(),
            d.issuer_code.clone(),
            d.place.clone(),
            d.signer_capacity.clone(),
            d.signer_position.clone(),
            d.signer_name.clone(),
            d.recipients.join("\n"),
            serde_json::to_string(&d.fund_rules).unwrap_or_default(),
            d.ageing_days
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(","),
            serde_json::to_string(&d.grade_thresholds).unwrap_or_default(),
            serde_json::to_string(&d.size_thresholds).unwrap_or_default(),
            d.money_in_prose.code().to_string(),
            d.fields_in_prose.to_string(),
        ];
        let mut tx = self.pool.begin().await?;
        for (k, v) in KEYS.iter().zip(values) {
            sqlx::query(
                "INSERT INTO setting (key, value) VALUES ($1, $2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(*k)
            .bind(v)
            .execute(&mut *tx)
            .await?;
        }
        audit::record(
            &mut tx,
            author,
            "update",
            "setting",
            "deployment",
            Some(&serde_json::to_string(&before).unwrap_or_default()),
            Some(&serde_json::to_string(d).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
