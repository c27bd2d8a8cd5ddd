//! Ageing buckets and portfolio at risk.

use super::*;

// ---------------------------------------------------------------------------------------------
// Portfolio
// ---------------------------------------------------------------------------------------------

/// Ageing buckets as inclusive day ranges, in increasing order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgeingBuckets(pub Vec<(i64, i64)>);

impl Default for AgeingBuckets {
    fn default() -> Self {
        Self(vec![
            (0, 0),
            (1, 30),
            (31, 90),
            (91, 180),
            (181, 360),
            (361, i64::MAX),
        ])
    }
}

impl AgeingBuckets {
    /// Buckets from upper bounds in days: `[0, 30, 90]` gives 0, 1–30, 31–90 and over 90.
    pub fn from_bounds(bounds: &[i64]) -> Option<AgeingBuckets> {
        if bounds.first() != Some(&0) || bounds.windows(2).any(|w| w[0] >= w[1]) {
            return None;
        }
        let mut ranges = vec![(0, 0)];
        for w in bounds.windows(2) {
            ranges.push((w[0] + 1, w[1]));
        }
        ranges.push((bounds[bounds.len() - 1] + 1, i64::MAX));
        Some(AgeingBuckets(ranges))
    }

    /// Index of the range holding `days_past_due`; a day in a gap goes to the last range
    /// starting below it, and a day below every range to the first one.
    pub fn bucket_of(&self, days_past_due: i64) -> usize {
        self.0
            .iter()
            .position(|&(low, high)| (low..=high).contains(&days_past_due))
            .or_else(|| self.0.iter().rposition(|&(low, _)| low <= days_past_due))
            .unwrap_or(0)
    }

    /// "Trong hạn", "1–30 ngày", …, "Trên 360 ngày".
    pub fn labels(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|&(low, high)| match (low, high) {
                (0, 0) => "Trong hạn".to_owned(),
                (low, i64::MAX) if low > 0 => format!("Trên {} ngày", low - 1),
                (low, i64::MAX) => format!("Từ {low} ngày trở lên"),
                (low, high) if low == high => format!("{low} ngày"),
                (low, high) => format!("{low}–{high} ngày"),
            })
            .collect()
    }
}

/// Portfolio at risk: overdue outstanding (whole outstanding of loans with days_past_due >
/// threshold) / total outstanding, in tenths of a per cent rounded half up (e.g. 53 = 5,3%);
/// None when nothing outstanding.
pub fn par_tenths(states: &[LoanState], threshold_days: i64) -> Option<i64> {
    let outstanding = |state: &LoanState| i128::from(state.outstanding.max(0));
    let total: i128 = states.iter().map(outstanding).sum();
    if total == 0 {
        return None;
    }
    let at_risk: i128 = states
        .iter()
        .filter(|state| state.days_past_due > threshold_days)
        .map(outstanding)
        .sum();
    Some(round_half_up(at_risk * 1000, total))
}
