//! Approval of a loan application against the Fund's lending limits.

use super::*;

// ---------------------------------------------------------------------------------------------
// Approval
// ---------------------------------------------------------------------------------------------

/// Lending limits of the Fund, in per cent and months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundRules {
    /// Minimum own capital of the borrower, % of the project cost.
    pub own_capital_min_pct: i64,
    /// Maximum outstanding of one borrower, % of the Fund's charter capital.
    pub single_borrower_max_pct: i64,
    /// Maximum outstanding of a group of related customers, % of the charter capital.
    pub related_group_max_pct: i64,
    pub overdue_rate_max_pct_of_normal: i64,
    pub max_term_months: u32,
}

impl Default for FundRules {
    fn default() -> Self {
        Self {
            own_capital_min_pct: 20,
            single_borrower_max_pct: 15,
            related_group_max_pct: 25,
            overdue_rate_max_pct_of_normal: 150,
            max_term_months: 60,
        }
    }
}

/// A loan application as the credit committee sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalRequest {
    pub amount: i64,
    pub project_cost: i64,
    pub own_capital: i64,
    /// Outstanding of the borrower at the Fund before this loan.
    pub borrower_outstanding: i64,
    /// Outstanding of the borrower's group of related customers, the borrower included,
    /// before this loan.
    pub related_outstanding: i64,
    pub fund_charter_capital: i64,
    pub borrower_has_bad_debt: bool,
    pub terms: LoanTerms,
}

/// Every refusal with its reason in Vietnamese, e.g. "vốn tự có 15% dự án, dưới mức tối thiểu 20%",
/// "dư nợ của bên vay sau khi vay 3.200.000.000 đồng vượt 15% vốn điều lệ của Quỹ (3.000.000.000 đồng)".
/// An empty list means the request passes.
pub fn check_approval(rules: &FundRules, req: &ApprovalRequest) -> Vec<String> {
    approval_refusals(rules, req)
        .into_iter()
        .map(|(_, reason)| reason)
        .collect()
}

/// [`check_approval`] with the field each refusal concerns, as a loan application names
/// them: `amount`, `project_cost`, `own_capital`, `bad_debt`, `term_months`, `every_months`,
/// `rate`, `overdue_rate`.
pub fn approval_refusals(rules: &FundRules, req: &ApprovalRequest) -> Vec<(&'static str, String)> {
    let mut refusals = Vec::new();
    refusals.extend(amount_refusals(req));
    refusals.extend(own_capital_refusal(rules, req));
    refusals.extend(
        exposure_refusals(rules, req)
            .into_iter()
            .map(|r| ("amount", r)),
    );
    if req.borrower_has_bad_debt {
        refusals.push(("bad_debt", "bên vay đang có nợ xấu".to_owned()));
    }
    refusals.extend(terms_refusals(rules, &req.terms));
    refusals
}

pub(super) fn amount_refusals(req: &ApprovalRequest) -> Vec<(&'static str, String)> {
    let mut refusals = Vec::new();
    if req.amount <= 0 {
        refusals.push(("amount", "số tiền vay phải lớn hơn 0".to_owned()));
    }
    if req.terms.approved_amount != req.amount {
        refusals.push((
            "amount",
            format!(
                "số tiền trong điều kiện vay {} khác số tiền đề nghị vay {}",
                dong(req.terms.approved_amount),
                dong(req.amount)
            ),
        ));
    }
    if req.project_cost > 0 && req.amount.saturating_add(req.own_capital) > req.project_cost {
        refusals.push((
            "project_cost",
            format!(
                "số tiền vay cộng vốn tự có {} vượt tổng mức đầu tư dự án {}",
                dong(req.amount.saturating_add(req.own_capital)),
                dong(req.project_cost)
            ),
        ));
    }
    refusals
}

pub(super) fn own_capital_refusal(
    rules: &FundRules,
    req: &ApprovalRequest,
) -> Option<(&'static str, String)> {
    if req.project_cost <= 0 {
        return Some((
            "project_cost",
            "tổng mức đầu tư dự án phải lớn hơn 0".to_owned(),
        ));
    }
    let below = i128::from(req.own_capital) * 100
        < i128::from(rules.own_capital_min_pct) * i128::from(req.project_cost);
    below.then(|| {
        let tenths = i128::from(req.own_capital) * 1000 / i128::from(req.project_cost);
        (
            "own_capital",
            format!(
                "vốn tự có {} dự án, dưới mức tối thiểu {}%",
                percent_text(saturate(tenths)),
                rules.own_capital_min_pct
            ),
        )
    })
}

pub(super) fn exposure_refusals(rules: &FundRules, req: &ApprovalRequest) -> Vec<String> {
    if req.fund_charter_capital <= 0 {
        return vec!["vốn điều lệ của Quỹ phải lớn hơn 0".to_owned()];
    }
    let limits = [
        (
            "dư nợ của bên vay",
            req.borrower_outstanding,
            rules.single_borrower_max_pct,
        ),
        (
            "dư nợ của nhóm khách hàng có liên quan",
            req.related_outstanding,
            rules.related_group_max_pct,
        ),
    ];
    limits
        .into_iter()
        .filter_map(|(who, before, max_pct)| {
            exposure_refusal(
                who,
                before.saturating_add(req.amount),
                max_pct,
                req.fund_charter_capital,
            )
        })
        .collect()
}

pub(super) fn exposure_refusal(
    who: &str,
    after: i64,
    max_pct: i64,
    charter: i64,
) -> Option<String> {
    let limit = i128::from(charter) * i128::from(max_pct);
    (i128::from(after) * 100 > limit).then(|| {
        format!(
            "{who} sau khi vay {} vượt {max_pct}% vốn điều lệ của Quỹ ({})",
            dong(after),
            dong(saturate(limit / 100))
        )
    })
}

/// The refusals of a loan's terms alone (term, instalment period, rates), by field.
pub fn terms_refusals(rules: &FundRules, terms: &LoanTerms) -> Vec<(&'static str, String)> {
    let mut refusals = Vec::new();
    if terms.term_months == 0 {
        refusals.push((
            "term_months",
            "thời hạn vay phải lớn hơn 0 tháng".to_owned(),
        ));
    } else if terms.term_months > rules.max_term_months {
        refusals.push((
            "term_months",
            format!(
                "thời hạn vay {} tháng vượt mức tối đa {} tháng",
                terms.term_months, rules.max_term_months
            ),
        ));
    }
    if ![1, 3, 6, 12].contains(&terms.repayment_every_months) {
        refusals.push((
            "every_months",
            format!(
                "kỳ trả nợ {} tháng không hợp lệ (chỉ 1, 3, 6 hoặc 12 tháng)",
                terms.repayment_every_months
            ),
        ));
    }
    if terms.annual_rate_bp < 0 || terms.overdue_rate_bp < 0 {
        refusals.push(("rate", "lãi suất không được âm".to_owned()));
    }
    let max_overdue =
        i128::from(terms.annual_rate_bp) * i128::from(rules.overdue_rate_max_pct_of_normal);
    if i128::from(terms.overdue_rate_bp) * 100 > max_overdue {
        refusals.push((
            "overdue_rate",
            format!(
                "lãi suất quá hạn {} vượt {}% lãi suất trong hạn {} (tối đa {})",
                rate_text(terms.overdue_rate_bp),
                rules.overdue_rate_max_pct_of_normal,
                rate_text(terms.annual_rate_bp),
                rate_text(saturate(max_overdue / 100))
            ),
        ));
    }
    refusals
}
