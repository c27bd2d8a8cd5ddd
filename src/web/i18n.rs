//! The words of the web pages in Vietnamese (default) and English. Keys are looked up at
//! render time; a test checks that every key the code and templates use has both languages.

/// A page language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// From a stored code; anything unknown is Vietnamese.
    pub fn from_code(code: &str) -> Lang {
        if code == "en" { Lang::En } else { Lang::Vi }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// The text of `key`; the key itself when it is missing (the test prevents that).
    pub fn t(self, key: &str) -> &'static str {
        match WORDS.binary_search_by(|(k, _, _)| (*k).cmp(key)) {
            Ok(i) => match self {
                Lang::Vi => WORDS[i].1,
                Lang::En => WORDS[i].2,
            },
            Err(_) => {
                tracing::warn!(key, "missing translation");
                "?"
            }
        }
    }
}

/// Key, Vietnamese, English — sorted by key (checked by a test).
pub const WORDS: &[(&str, &str, &str)] = &[
    ("account", "Tài khoản", "Account"),
    ("account.lang", "Ngôn ngữ giao diện", "Interface language"),
    ("account.new_password", "Mật khẩu mới", "New password"),
    (
        "account.old_password",
        "Mật khẩu hiện tại",
        "Current password",
    ),
    ("account.password", "Đổi mật khẩu", "Change password"),
    (
        "account.password_changed",
        "Đã đổi mật khẩu; hãy đăng nhập lại.",
        "Password changed; please log in again.",
    ),
    (
        "account.token_created",
        "Mã truy cập mới (chỉ hiện một lần, hãy lưu lại):",
        "New API token (shown once, keep it safe):",
    ),
    ("account.token_name", "Tên mã truy cập", "Token name"),
    ("account.tokens", "Mã truy cập API", "API tokens"),
    ("action.add", "Thêm", "Add"),
    ("action.confirm", "Xác nhận ghi", "Confirm and write"),
    ("action.create_token", "Tạo mã truy cập", "Create token"),
    ("action.download", "Tải về", "Download"),
    ("action.filter", "Lọc", "Filter"),
    ("action.issue", "Ban hành", "Issue"),
    ("action.preview", "Xem trước", "Preview"),
    ("action.record", "Ghi nhận", "Record"),
    ("action.reload", "Tải lại trang", "Reload the page"),
    ("action.save", "Lưu", "Save"),
    ("action.search", "Tìm", "Search"),
    ("action.upload", "Tải lên và kiểm tra", "Upload and check"),
    ("admin", "Quản trị", "Administration"),
    (
        "admin.issuing_body",
        "Cơ quan ban hành (đầu văn bản)",
        "Issuing body (document header)",
    ),
    ("admin.parent_body", "Cơ quan chủ quản", "Parent body"),
    ("admin.place", "Địa danh", "Place name"),
    ("admin.settings", "Cài đặt báo cáo", "Report settings"),
    ("admin.signer", "Người ký", "Signer"),
    ("admin.signer_title", "Chức vụ người ký", "Signer's title"),
    ("admin.units", "Đơn vị hành chính", "Administrative units"),
    ("admin.users", "Người dùng", "Users"),
    ("alliance", "Hoạt động Liên minh", "Alliance work"),
    ("alliance.activities", "Hoạt động", "Activities"),
    ("alliance.committees", "Các ban", "Committees"),
    ("alliance.complaints", "Đơn thư", "Complaints"),
    ("alliance.inspections", "Kiểm tra, giám sát", "Inspections"),
    (
        "alliance.members",
        "Thành viên Liên minh",
        "Alliance members",
    ),
    (
        "alliance.plans",
        "Kế hoạch và chỉ tiêu",
        "Plans and targets",
    ),
    (
        "alliance.programmes",
        "Chương trình, chính sách",
        "Programmes",
    ),
    (
        "alliance.support",
        "Hỗ trợ theo chương trình",
        "Support given",
    ),
    (
        "app.name",
        "Quản lý kinh tế tập thể",
        "Collective economy registry",
    ),
    ("app.skip", "Bỏ qua đến nội dung", "Skip to content"),
    ("audit", "Nhật ký thay đổi", "Audit log"),
    ("audit.after", "Sau", "After"),
    ("audit.before", "Trước", "Before"),
    ("audit.what", "Thao tác", "Action"),
    ("audit.when", "Thời điểm", "When"),
    ("audit.who", "Người thực hiện", "Author"),
    (
        "conflict.title",
        "Dữ liệu vừa được người khác thay đổi",
        "Someone else changed this record",
    ),
    ("dashboard", "Tổng quan", "Dashboard"),
    ("dashboard.by_area", "Theo địa bàn", "By area"),
    ("dashboard.by_kind", "Theo loại hình", "By kind"),
    ("dashboard.by_sector", "Theo lĩnh vực", "By sector"),
    ("dashboard.fund", "Quỹ hỗ trợ", "Support fund"),
    (
        "dashboard.per_year",
        "Thành lập và giải thể theo năm",
        "Founded and dissolved per year",
    ),
    ("dashboard.plan", "Thực hiện kế hoạch", "Plan achievement"),
    (
        "error.forbidden",
        "Bạn không có quyền thực hiện thao tác này.",
        "You are not allowed to do this.",
    ),
    (
        "error.not_found",
        "Không tìm thấy trang hoặc bản ghi.",
        "Page or record not found.",
    ),
    ("error.title", "Không thực hiện được", "Could not be done"),
    ("field.address", "Địa chỉ", "Address"),
    ("field.amount", "Số tiền (đồng)", "Amount (đồng)"),
    ("field.area", "Địa bàn", "Area"),
    ("field.code", "Mã số đăng ký", "Registration code"),
    ("field.commune", "Xã, phường (mã)", "Commune (code)"),
    ("field.date", "Ngày", "Date"),
    ("field.display_name", "Họ tên", "Full name"),
    ("field.event", "Sự kiện", "Event"),
    ("field.format", "Định dạng", "Format"),
    ("field.kind", "Loại hình", "Kind"),
    ("field.law", "Luật HTX", "Cooperative law"),
    ("field.name", "Tên", "Name"),
    ("field.new_address", "Địa chỉ mới", "New address"),
    (
        "field.new_commune",
        "Xã, phường mới (mã)",
        "New commune (code)",
    ),
    ("field.new_name", "Tên mới", "New name"),
    ("field.new_sector", "Lĩnh vực mới", "New sector"),
    ("field.new_type", "HTX kiểu mới", "New-type cooperative"),
    ("field.note", "Ghi chú", "Note"),
    ("field.number", "Số văn bản", "Document number"),
    ("field.on", "Tại ngày", "As of"),
    ("field.password", "Mật khẩu", "Password"),
    ("field.period", "Kỳ báo cáo", "Period"),
    (
        "field.reference",
        "Số quyết định, văn bản",
        "Decision or reference",
    ),
    (
        "field.related",
        "Tổ chức liên quan (mã, cách nhau bởi ;)",
        "Related organisations (codes, separated by ;)",
    ),
    ("field.representative", "Người đại diện", "Representative"),
    ("field.role", "Vai trò", "Role"),
    (
        "field.search",
        "Tên hoặc mã (không cần dấu)",
        "Name or code (accents optional)",
    ),
    ("field.sector", "Lĩnh vực", "Sector"),
    ("field.status", "Tình trạng", "Status"),
    ("field.tx_kind", "Loại giao dịch", "Transaction"),
    ("field.username", "Tên đăng nhập", "Username"),
    ("field.version", "Phiên bản", "Version"),
    ("fund", "Quỹ hỗ trợ", "Support fund"),
    ("fund.ageing", "Phân loại nợ theo tuổi", "Ageing"),
    ("fund.borrower", "Bên vay", "Borrower"),
    ("fund.contract", "Hợp đồng", "Contract"),
    ("fund.loans", "Khoản vay", "Loans"),
    ("fund.outstanding", "Dư nợ", "Outstanding"),
    ("fund.overdue", "Nợ quá hạn", "Overdue"),
    ("fund.portfolio", "Danh mục cho vay", "Portfolio"),
    ("fund.record_tx", "Ghi giao dịch", "Record a transaction"),
    ("fund.schedule", "Lịch trả nợ", "Repayment schedule"),
    ("fund.transactions", "Giao dịch", "Transactions"),
    ("import", "Nhập dữ liệu", "Import"),
    (
        "import.errors",
        "Các dòng có lỗi — chưa ghi gì",
        "Rows with errors — nothing was written",
    ),
    ("import.file", "Tệp .xlsx hoặc .csv", "File (.xlsx or .csv)"),
    (
        "import.help",
        "Tải lên tệp theo mẫu; hệ thống kiểm tra mọi dòng và chỉ ghi khi bạn xác nhận. Có lỗi ở bất kỳ dòng nào thì không ghi gì.",
        "Upload a file in the template's format; every row is checked and nothing is written until you confirm. If any row is wrong, nothing is written.",
    ),
    (
        "import.ok",
        "Tệp hợp lệ. Kiểm tra số lượng dưới đây rồi xác nhận.",
        "The file is valid. Check the counts below, then confirm.",
    ),
    ("import.template", "Tải tệp mẫu", "Download the template"),
    ("import.written", "Đã ghi xong", "Written"),
    ("login", "Đăng nhập", "Log in"),
    (
        "login.failed",
        "Sai tên đăng nhập hoặc mật khẩu.",
        "Wrong username or password.",
    ),
    (
        "login.locked",
        "Đăng nhập sai quá nhiều lần; hãy thử lại sau ít phút.",
        "Too many failed logins; try again in a few minutes.",
    ),
    ("logout", "Đăng xuất", "Log out"),
    ("org.events", "Diễn biến", "Timeline"),
    ("org.figures", "Số liệu hằng năm", "Yearly figures"),
    ("org.new", "Đăng ký tổ chức mới", "Register an organisation"),
    ("org.record_event", "Ghi sự kiện", "Record an event"),
    ("org.state", "Tình trạng tại ngày", "State on"),
    ("page.next", "Trang sau", "Next page"),
    ("page.prev", "Trang trước", "Previous page"),
    ("registry", "Sổ theo dõi", "Registry"),
    ("registry.count", "tổ chức", "organisations"),
    ("reports", "Báo cáo", "Reports"),
    ("reports.issued", "Báo cáo đã ban hành", "Issued reports"),
    (
        "reports.pdf_missing",
        "Máy chủ chưa cài LibreOffice nên chưa xuất được PDF.",
        "LibreOffice is not installed on the server, so PDF is not available.",
    ),
    ("saved", "Đã lưu.", "Saved."),
    ("total", "Tổng số", "Total"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dictionary_is_sorted_and_has_both_languages() {
        for pair in WORDS.windows(2) {
            assert!(
                pair[0].0 < pair[1].0,
                "{} must come before {}",
                pair[0].0,
                pair[1].0
            );
        }
        for (k, vi, en) in WORDS {
            assert!(!vi.is_empty() && !en.is_empty(), "{k}");
        }
    }

    #[test]
    fn every_key_the_pages_use_is_in_the_dictionary() {
        let mut sources = String::new();
        for dir in ["src/web", "src/web/pages", "templates/web"] {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                if entry.path().is_file() {
                    sources.push_str(&std::fs::read_to_string(entry.path()).unwrap());
                }
            }
        }
        let mut rest = sources.as_str();
        while let Some(at) = rest.find("t(\"") {
            let before = rest[..at].chars().last().unwrap_or(' ');
            let part = &rest[at + 3..];
            rest = part;
            // `post("…")` also ends in t(": only a call named `t` counts.
            if before.is_alphanumeric() || before == '_' {
                continue;
            }
            let key = &part[..part.find('"').unwrap()];
            if !key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_')
            {
                continue;
            }
            assert!(
                WORDS.binary_search_by(|(k, _, _)| (*k).cmp(key)).is_ok(),
                "missing translation key {key}"
            );
        }
    }
}
