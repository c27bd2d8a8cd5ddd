//! The audit log in words: who did what to which record ("Nguyễn Thị Lan ghi sự kiện giải
//! thể cho HTX …"), the values that changed (before → after), and a link to the record.

use crate::domain::codes::Coded;
use crate::domain::registry::EventKind;
use crate::domain::text;
use crate::store::audit::AuditEntry;
use crate::store::fund::tx_from;
use crate::web::error::percent;
use crate::web::i18n::Lang;
use serde_json::Value;

/// An entry as people read it.
pub struct Described {
    /// What was done, as a verb phrase ("ghi sự kiện giải thể cho").
    pub what: String,
    /// The record, with a link when it has a page.
    pub record: String,
    pub href: Option<String>,
    /// "tên: A → B", or the values written when there was nothing before.
    pub changes: Vec<String>,
}

/// Describes an entry; `record_name` is the record's own name when known (an organisation's).
pub fn describe(e: &AuditEntry, record_name: Option<&str>, lang: Lang) -> Described {
    let vi = lang == Lang::Vi;
    let pick = |v: &str, en: &str| if vi { v.to_string() } else { en.to_string() };
    let (action, entity, id) = (e.action.as_str(), e.entity.as_str(), e.entity_id.as_str());
    let what = match (entity, action) {
        ("organisation", a) if a.starts_with("event:") => {
            match EventKind::parse(a.trim_start_matches("event:")) {
                Some(EventKind::Established) => pick("đăng ký thành lập", "registered"),
                Some(k) if vi => format!("ghi sự kiện {} cho", k.name_vi()),
                Some(k) => format!("recorded the event \"{}\" for", k.code()),
                None => pick("ghi sự kiện cho", "recorded an event for"),
            }
        }
        ("organisation", _) => pick("đăng ký", "registered"),
        ("registry", "demo") => pick(
            "nạp dữ liệu mẫu vào sổ theo dõi",
            "loaded the demo registry",
        ),
        ("registry", _) => pick("nhập dữ liệu vào sổ theo dõi", "imported into the registry"),
        ("loan", a) if a.starts_with("tx:") => match tx_from(a.trim_start_matches("tx:")) {
            Some(k) if vi => format!(
                "ghi giao dịch \"{}\" cho khoản vay",
                super::fund::tx_name(k, lang)
            ),
            Some(k) => format!("recorded \"{}\" on loan", super::fund::tx_name(k, lang)),
            None => pick(
                "ghi giao dịch cho khoản vay",
                "recorded a transaction on loan",
            ),
        },
        ("loan", _) => pick("ghi khoản vay mới", "recorded the new loan"),
        ("borrower", _) => pick("thêm bên vay", "added the borrower"),
        ("fund_capital", _) => pick("ghi vốn điều lệ của Quỹ", "recorded the fund's capital"),
        ("member", "create") => pick("thêm thành viên Liên minh", "added the Alliance member"),
        ("member", "joined") => pick("ghi kết nạp thành viên", "recorded the admission of member"),
        ("member", "left") => pick(
            "ghi thành viên ra khỏi Liên minh",
            "recorded the leaving of member",
        ),
        ("activity", _) => pick("ghi hoạt động", "recorded the activity"),
        ("committee_seat", "end") => pick("ghi kết thúc nhiệm kỳ", "ended the committee seat"),
        ("committee_seat", _) => pick("ghi bổ nhiệm", "recorded the appointment"),
        ("inspection", _) => pick("ghi cuộc kiểm tra, giám sát", "recorded the inspection"),
        ("complaint", _) => pick("ghi đơn thư", "recorded the complaint"),
        ("programme", "set") => pick("ghi chương trình", "recorded the programme"),
        ("programme", stage) => match crate::domain::programmes::ProgrammeStage::from_code(stage) {
            Some(s) if vi => format!("ghi bước \"{}\" trong chương trình", s.name_vi()),
            _ => format!("recorded the stage \"{stage}\" in programme"),
        },
        ("support", _) => pick("ghi hỗ trợ", "recorded support"),
        ("plan", "update") => pick("sửa kế hoạch", "changed the plan"),
        ("plan", _) => pick("đặt kế hoạch", "set the plan"),
        ("org_figure", _) => pick("ghi số liệu năm", "recorded the yearly figures"),
        ("org_evaluation", "correct") => pick("sửa đánh giá, xếp loại", "corrected the evaluation"),
        ("org_evaluation", _) => pick("ghi đánh giá, xếp loại", "recorded the evaluation"),
        ("report", _) => pick("ban hành báo cáo số", "issued report no."),
        ("setting", _) => pick("sửa cài đặt", "changed the settings"),
        ("sector", _) => pick("thêm lĩnh vực", "added the field of activity"),
        ("user", "password") => pick("đổi mật khẩu của tài khoản", "changed the password of"),
        ("user", "create") => pick("tạo tài khoản", "created the account"),
        ("user", _) => pick("sửa tài khoản", "changed the account"),
        ("api_token", "revoke") => pick("thu hồi mã truy cập API", "revoked an API token of"),
        ("api_token", _) => pick("tạo mã truy cập API", "created an API token for"),
        (_, "import") => pick("nhập dữ liệu", "imported"),
        (entity, action) => format!("{action} {entity}"),
    };
    let (record, href) = record_of(entity, id, record_name);
    Described {
        what,
        record,
        href,
        changes: changes(entity, e.before.as_deref(), e.after.as_deref()),
    }
}

/// The record an entry is about, and its page.
fn record_of(entity: &str, id: &str, name: Option<&str>) -> (String, Option<String>) {
    let named = |label: String| match name {
        Some(n) if !n.is_empty() => format!("{label} – {n}"),
        _ => label,
    };
    match entity {
        "organisation" => (
            named(id.to_string()),
            Some(format!("/orgs/{}", percent(id))),
        ),
        "org_evaluation" => match id.rsplit_once('/') {
            Some((code, year)) => (
                named(format!("{code}, năm {year}")),
                Some(format!(
                    "/orgs/{}/evaluations?year={}",
                    percent(code),
                    percent(year)
                )),
            ),
            None => (id.to_string(), None),
        },
        "org_figure" => match id.rsplit_once('/') {
            Some((code, year)) => (
                named(format!("{code}, năm {year}")),
                Some(format!(
                    "/orgs/{}/figures?year={}",
                    percent(code),
                    percent(year)
                )),
            ),
            None => (id.to_string(), None),
        },
        "loan" => (id.to_string(), Some(format!("/fund/loans/{}", percent(id)))),
        "report" => (
            id.to_string(),
            Some(format!("/reports/issued/{}", percent(id))),
        ),
        "registry" | "setting" => (String::new(), None),
        _ => (id.to_string(), None),
    }
}

/// The values that changed, "field: before → after"; when nothing was before, the values
/// written. JSON objects are compared field by field (nested ones as "a.b").
pub fn changes(entity: &str, before: Option<&str>, after: Option<&str>) -> Vec<String> {
    let parse = |s: Option<&str>| {
        s.map(|s| serde_json::from_str::<Value>(s).unwrap_or(Value::String(s.to_string())))
    };
    let (before, after) = (parse(before), parse(after));
    let mut flat_before = Vec::new();
    let mut flat_after = Vec::new();
    if let Some(b) = &before {
        flatten("", b, &mut flat_before);
    }
    if let Some(a) = &after {
        flatten("", a, &mut flat_after);
    }
    // Internal numbers mean nothing to a reader; stored codes are shown by their names.
    for flat in [&mut flat_before, &mut flat_after] {
        flat.retain(|(k, _)| !is_internal(k));
        for (k, v) in flat.iter_mut() {
            if let Some(name) = code_name(entity, k, v) {
                *v = name.to_string();
            }
        }
    }
    let mut out = Vec::new();
    if before.is_none() || flat_before.iter().all(|(k, _)| k == "version") {
        for (k, v) in &flat_after {
            if v.is_empty() || k == "version" {
                continue;
            }
            out.push(if k.is_empty() {
                v.clone()
            } else {
                format!("{}: {v}", label(k))
            });
        }
        return out;
    }
    for (k, v) in &flat_after {
        let old = flat_before
            .iter()
            .find(|(bk, _)| bk == k)
            .map(|(_, bv)| bv.as_str());
        match old {
            Some(old) if old == v => {}
            Some(old) => out.push(format!("{}: {} → {}", label(k), blank(old), blank(v))),
            None if !v.is_empty() => out.push(format!("{}: → {v}", label(k))),
            None => {}
        }
    }
    for (k, v) in &flat_before {
        if !v.is_empty() && !flat_after.iter().any(|(ak, _)| ak == k) {
            out.push(format!("{}: {v} →", label(k)));
        }
    }
    out
}

/// Keys holding row numbers of other tables.
fn is_internal(key: &str) -> bool {
    let last = key.rsplit('.').next().unwrap_or(key);
    matches!(
        last,
        "id" | "org_id" | "member_id" | "borrower_id" | "loan_id" | "user_id"
    )
}

/// The name of a stored code, for the fields that hold one.
fn code_name(entity: &str, key: &str, value: &str) -> Option<&'static str> {
    use crate::domain::alliance::{ActivityKind, ActivityStatus, MemberCategory, MembershipChange};
    use crate::domain::evaluation::{Exemption, Grade};
    use crate::domain::governance::{Committee, InspectionKind, InspectionStatus};
    let last = key.rsplit('.').next().unwrap_or(key);
    match (entity, last) {
        (_, "role") => crate::domain::access::Role::parse(value).map(|r| r.name_vi()),
        (_, "committee") => Committee::from_code(value).map(Coded::name_vi),
        ("inspection", "kind") => InspectionKind::from_code(value).map(Coded::name_vi),
        ("inspection", "status") => InspectionStatus::from_code(value).map(Coded::name_vi),
        ("activity", "kind") => ActivityKind::from_code(value).map(Coded::name_vi),
        ("activity", "status") => ActivityStatus::from_code(value).map(Coded::name_vi),
        ("member", "change") => MembershipChange::from_code(value).map(Coded::name_vi),
        ("member", "category") => MemberCategory::from_code(value).map(Coded::name_vi),
        ("org_evaluation", "grade") => Grade::from_code(value).map(Coded::name_vi),
        ("org_evaluation", "reason") => Exemption::from_code(value).map(Coded::name_vi),
        ("organisation", "kind") => EventKind::parse(value).map(EventKind::name_vi),
        _ => None,
    }
}

fn blank(s: &str) -> &str {
    if s.is_empty() { "(trống)" } else { s }
}

/// Leaves of a JSON value as (dotted key, shown value).
fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    let key = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                flatten(&key(k), v, out);
            }
        }
        Value::Array(items) if items.iter().all(|i| !i.is_object()) => {
            let shown: Vec<String> = items.iter().map(shown).collect();
            out.push((prefix.to_string(), shown.join(", ")));
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten(&key(&(i + 1).to_string()), item, out);
            }
        }
        other => out.push((prefix.to_string(), shown(other))),
    }
}

/// A JSON leaf as shown: dates dd/mm/yyyy, whole numbers with thousands dots.
fn shown(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => if *b { "có" } else { "không" }.to_string(),
        Value::Number(n) => n
            .as_i64()
            .map(|i| {
                if i.abs() >= 10_000 {
                    text::number(i)
                } else {
                    i.to_string()
                }
            })
            .unwrap_or_else(|| n.to_string()),
        Value::String(s) => time::Date::parse(
            s.get(..10).unwrap_or(s),
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .ok()
        .filter(|_| s.len() == 10)
        .map(text::date)
        .unwrap_or_else(|| s.clone()),
        other => other.to_string(),
    }
}

/// The Vietnamese name of a stored field (the last part of a nested key), as forms call
/// it; others as they are.
fn label(key: &str) -> String {
    let last = key.rsplit('.').next().unwrap_or(key);
    let name = match last {
        "name" => "tên",
        "new_name" => "tên mới",
        "commune" | "new_commune" => "xã, phường",
        "sector" | "new_sector" => "lĩnh vực",
        "address" | "new_address" => "địa chỉ",
        "representative" => "người đại diện",
        "law" => "luật",
        "effective" | "effective_date" => "ngày hiệu lực",
        "date" => "ngày",
        "value_date" => "ngày giao dịch",
        "from" => "từ ngày",
        "to" => "đến ngày",
        "kind" => "loại",
        "amount" => "số tiền",
        "category" => "loại thành viên",
        "change" => "thay đổi",
        "person" => "họ tên",
        "position" => "chức vụ",
        "committee" => "ban",
        "term" => "nhiệm kỳ",
        "title" => "tên hoạt động",
        "quantity" => "số lượng",
        "attendees" => "lượt người",
        "year" => "năm",
        "grade" => "xếp loại",
        "total" => "tổng điểm",
        "points" => "điểm các tiêu chí",
        "outcome" => "kết quả",
        "reason" => "lý do",
        "scored_by" => "người chấm",
        "scored_on" => "ngày chấm",
        "note" => "ghi chú",
        "subject" => "nội dung",
        "findings" => "kết luận",
        "reference" => "số văn bản",
        "role" => "vai trò",
        "area" => "địa bàn",
        "display_name" => "họ tên",
        "disabled" => "khóa",
        "complainant" => "người gửi",
        "received" => "ngày nhận",
        "handled" => "ngày giải quyết",
        "result" => "kết quả",
        "recommendations" => "kiến nghị",
        "follow_up" => "theo dõi thực hiện",
        "status" => "trạng thái",
        "period" => "kỳ",
        "targets" => "chỉ tiêu",
        "end" => "ngày kết thúc",
        "channel" => "kênh",
        "partner" => "đơn vị phối hợp",
        "document_no" => "số văn bản",
        "related" => "tổ chức liên quan",
        _ => return key.to_string(),
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(
        action: &str,
        entity: &str,
        id: &str,
        before: Option<&str>,
        after: Option<&str>,
    ) -> AuditEntry {
        AuditEntry {
            id: 1,
            at: "2026-11-30T08:00:00".into(),
            author: "web:canbo".into(),
            action: action.into(),
            entity: entity.into(),
            entity_id: id.into(),
            before: before.map(str::to_string),
            after: after.map(str::to_string),
        }
    }

    #[test]
    fn an_event_reads_as_a_sentence_with_a_link_to_the_organisation() {
        let e = entry(
            "event:dissolved",
            "organisation",
            "2701000123",
            Some(r#"{"version":3}"#),
            Some(r#"{"kind":"dissolved","effective":"2026-11-15","reference":"QĐ 12"}"#),
        );
        let d = describe(&e, Some("HTX Nông nghiệp Tân An"), Lang::Vi);
        assert_eq!(d.what, "ghi sự kiện giải thể cho");
        assert_eq!(d.record, "2701000123 – HTX Nông nghiệp Tân An");
        assert_eq!(d.href.as_deref(), Some("/orgs/2701000123"));
        assert!(
            d.changes.contains(&"ngày hiệu lực: 15/11/2026".to_string()),
            "{:?}",
            d.changes
        );
        assert!(d.changes.contains(&"số văn bản: QĐ 12".to_string()));
    }

    #[test]
    fn an_update_lists_only_what_changed() {
        let changes = changes(
            "user",
            Some(r#"{"id":4,"name":"A","area":"","role":"staff","fund":{"max":15}}"#),
            Some(r#"{"id":4,"name":"B","area":"old-263","role":"leader","fund":{"max":20}}"#),
        );
        assert_eq!(
            changes,
            // Fields in key order.
            [
                "địa bàn: (trống) → old-263",
                "fund.max: 15 → 20",
                "tên: A → B",
                "vai trò: Cán bộ Liên minh → Lãnh đạo (chỉ xem)"
            ]
        );
    }

    #[test]
    fn text_that_is_not_json_is_shown_as_it_is() {
        assert_eq!(changes("programme", None, Some("Đề án 167")), ["Đề án 167"]);
    }
}
