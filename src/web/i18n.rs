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

    /// The name of a value of a closed set (a kind, a status, a grade…) in this language.
    pub fn name<T: crate::domain::codes::Coded>(self, v: T) -> &'static str {
        match self {
            Lang::Vi => v.name_vi(),
            Lang::En => v.name_en(),
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
        "Đã đổi mật khẩu; hãy đăng nhập lại. Các mã truy cập API cũ đã bị thu hồi.",
        "Password changed; please log in again. Your old API tokens have been revoked.",
    ),
    (
        "account.token_created",
        "Mã truy cập mới (chỉ hiện một lần, hãy lưu lại):",
        "New API token (shown once, keep it safe):",
    ),
    (
        "account.token_days",
        "Hiệu lực (số ngày, để trống nếu không hạn)",
        "Valid for (days; empty for no limit)",
    ),
    ("account.token_expires", "Hết hạn", "Expires"),
    ("account.token_name", "Tên mã truy cập", "Token name"),
    ("account.tokens", "Mã truy cập API", "API tokens"),
    ("action.add", "Thêm", "Add"),
    (
        "action.back",
        "Quay lại, không thực hiện",
        "Go back without doing it",
    ),
    ("action.confirm", "Xác nhận ghi", "Confirm and write"),
    ("action.create_token", "Tạo mã truy cập", "Create token"),
    ("action.download", "Tải về", "Download"),
    ("action.edit", "Sửa", "Edit"),
    ("action.filter", "Lọc", "Filter"),
    ("action.issue", "Ban hành", "Issue"),
    ("action.preview", "Xem trước", "Preview"),
    ("action.record", "Ghi nhận", "Record"),
    ("action.reload", "Tải lại trang", "Reload the page"),
    ("action.revoke", "Thu hồi", "Revoke"),
    ("action.save", "Lưu", "Save"),
    ("action.search", "Tìm", "Search"),
    ("action.show", "Xem", "Show"),
    ("action.upload", "Tải lên và kiểm tra", "Upload and check"),
    ("admin", "Quản trị", "Administration"),
    (
        "admin.area_hint",
        "Chỉ dùng cho cán bộ địa bàn",
        "Only for area officers",
    ),
    (
        "admin.fields_in_prose",
        "Nêu từng lĩnh vực (không chỉ ba nhóm) trong báo cáo",
        "Name every field (not only the three groups) in the report",
    ),
    (
        "admin.issuer_code",
        "Ký hiệu (BC-…)",
        "Document symbol (BC-…)",
    ),
    (
        "admin.issuing_body",
        "Cơ quan ban hành (đầu văn bản)",
        "Issuing body (document header)",
    ),
    (
        "admin.money_in_prose",
        "Cách viết số tiền trong báo cáo",
        "Money in the report's text",
    ),
    (
        "admin.money_in_prose.billions",
        "Làm tròn đến 0,1 tỷ (2,1 tỷ đồng)",
        "Rounded to 0.1 billion (2,1 tỷ đồng)",
    ),
    (
        "admin.money_in_prose.words",
        "Đầy đủ bằng chữ (2 tỷ 50 triệu đồng)",
        "In words (2 tỷ 50 triệu đồng)",
    ),
    ("admin.parent_body", "Cơ quan chủ quản", "Parent body"),
    ("admin.place", "Địa danh", "Place name"),
    (
        "admin.recipients",
        "Nơi nhận (mỗi dòng một nơi)",
        "Recipients (one per line)",
    ),
    (
        "admin.reporting_group.code_hint",
        "Chữ không dấu, số và dấu gạch dưới, ví dụ cong_thuong",
        "Unaccented letters, digits and underscores, e.g. cong_thuong",
    ),
    ("admin.reporting_group.fields", "Các lĩnh vực", "Fields"),
    (
        "admin.reporting_group.fields_hint",
        "Mã hoặc tên lĩnh vực, cách nhau bởi dấu ; (ví dụ: industry_handicraft; trade)",
        "Field codes or names separated by ; (e.g. industry_handicraft; trade)",
    ),
    (
        "admin.reporting_group.name",
        "Tên trong báo cáo (sau chữ HTX)",
        "Name in the report (after \"HTX\")",
    ),
    ("admin.reporting_group.remove", "Bỏ nhóm", "Remove group"),
    (
        "admin.reporting_group.save",
        "Thêm hoặc sửa nhóm (cùng mã thì thay nhóm đã có)",
        "Add or change a group (the same code replaces it)",
    ),
    (
        "admin.reporting_group.which",
        "Nhóm cần bỏ (các lĩnh vực của nhóm sẽ được nêu riêng)",
        "Group to remove (its fields are then stated on their own)",
    ),
    ("admin.reporting_groups", "Nhóm báo cáo", "Reporting groups"),
    (
        "admin.reporting_groups.about",
        "Nhóm báo cáo gộp các lĩnh vực như tỉnh vẫn báo cáo (ví dụ HTX công thương = công nghiệp - tiểu thủ công nghiệp và thương mại). Khi có nhóm, báo cáo nêu số HTX, THT, thành viên và lao động theo nhóm; lĩnh vực không thuộc nhóm nào được nêu riêng.",
        "Reporting groups join fields as the province reports them (e.g. industry and trade). When there are groups, the report states organisations, members and workers by group; fields in no group are stated on their own.",
    ),
    ("admin.sector.code", "Mã", "Code"),
    ("admin.sector.group", "Nhóm", "Group"),
    ("admin.sector.name_en", "Name", "English name"),
    (
        "admin.sector.name_en_field",
        "Name (English)",
        "Name (English)",
    ),
    ("admin.sector.name_vi", "Tên", "Vietnamese name"),
    ("admin.sector.vsic", "VSIC", "VSIC"),
    ("admin.settings", "Cài đặt báo cáo", "Report settings"),
    ("admin.signer", "Người ký", "Signer"),
    (
        "admin.signer_capacity",
        "Thẩm quyền ký",
        "Signing authority",
    ),
    ("admin.signer_title", "Chức vụ người ký", "Signer's title"),
    ("admin.unit.code", "Mã", "Code"),
    ("admin.unit.commune", "Xã", "Commune"),
    ("admin.unit.communes", "Số xã, phường", "Communes"),
    ("admin.unit.district", "Huyện", "District"),
    ("admin.unit.level", "Cấp", "Level"),
    ("admin.unit.name", "Tên", "Name"),
    ("admin.unit.new_era", "từ 01/7/2025", "from 1/7/2025"),
    ("admin.unit.old_era", "đến 30/6/2025", "until 30/6/2025"),
    ("admin.unit.valid", "Hiệu lực", "In force"),
    ("admin.units", "Đơn vị hành chính", "Administrative units"),
    ("admin.user.active", "Hoạt động", "Active"),
    (
        "admin.user.disable",
        "Khóa tài khoản",
        "Disable the account",
    ),
    ("admin.user.disabled", "Đã khóa", "Disabled"),
    ("admin.user.state", "Trạng thái", "Status"),
    ("admin.users", "Người dùng", "Users"),
    ("alliance", "Hoạt động Liên minh", "Alliance work"),
    ("alliance.activities", "Hoạt động", "Activities"),
    ("alliance.activity.attendees", "Lượt người", "Attendances"),
    (
        "alliance.activity.attendees_label",
        "Số lượt người tham dự",
        "Number of attendances",
    ),
    (
        "alliance.activity.channel",
        "Kênh, địa điểm",
        "Channel or venue",
    ),
    ("alliance.activity.end", "Đến ngày", "End date"),
    (
        "alliance.activity.partner",
        "Đơn vị phối hợp",
        "Partner organisation",
    ),
    (
        "alliance.activity.planned",
        "Dự kiến (chưa tổ chức)",
        "Planned (not held yet)",
    ),
    ("alliance.activity.planned_note", "dự kiến", "planned"),
    ("alliance.activity.quantity", "Số lượng", "Quantity"),
    (
        "alliance.activity.quantity_label",
        "Số lượng (tin bài…)",
        "Quantity (posts…)",
    ),
    ("alliance.committee", "Ban", "Committee"),
    (
        "alliance.committee.appointed",
        "Bổ nhiệm trong kỳ",
        "Appointed in the period",
    ),
    (
        "alliance.committee.held",
        "Số người cuối kỳ",
        "Members at the end of the period",
    ),
    ("alliance.committee.name", "Ban", "Committee"),
    ("alliance.committees", "Các ban", "Committees"),
    ("alliance.complainant", "Người gửi", "Complainant"),
    ("alliance.complaints", "Đơn thư", "Complaints"),
    ("alliance.findings", "Kết quả", "Findings"),
    ("alliance.handled", "Đã giải quyết", "Settled"),
    ("alliance.inspections", "Kiểm tra, giám sát", "Inspections"),
    ("alliance.latest_grade", "Xếp loại gần nhất", "Latest grade"),
    ("alliance.media", "Truyền thông", "Communication"),
    ("alliance.member_category", "Loại thành viên", "Membership"),
    (
        "alliance.members",
        "Thành viên Liên minh",
        "Alliance members",
    ),
    (
        "alliance.members_at_end",
        "Thành viên cuối kỳ",
        "Members at the end of the period",
    ),
    ("alliance.new_members", "Thành viên mới", "New members"),
    (
        "alliance.no_grade",
        "chưa có kết quả xếp loại",
        "no grade recorded",
    ),
    (
        "alliance.part.inspections",
        "Kiểm tra, giám sát, khiếu nại",
        "Inspections and complaints",
    ),
    ("alliance.part.overview", "Tổng hợp", "Overview"),
    ("alliance.plan.achieved", "Đạt", "Achieved"),
    ("alliance.plan.actual", "Thực hiện", "Actual"),
    ("alliance.plan.indicator", "Chỉ tiêu", "Indicator"),
    ("alliance.plan.plan", "Kế hoạch", "Plan"),
    ("alliance.plan.target", "Chỉ tiêu", "Target"),
    (
        "alliance.plans",
        "Kế hoạch và chỉ tiêu",
        "Plans and targets",
    ),
    ("alliance.position", "Chức vụ", "Position"),
    ("alliance.programme", "Chương trình", "Programme"),
    ("alliance.programme.decision", "Văn bản", "Document"),
    ("alliance.programme.evaluated", "Đánh giá", "Evaluated"),
    ("alliance.programme.name", "Chương trình", "Programme"),
    ("alliance.programme.nominated", "Đề cử", "Nominated"),
    ("alliance.programme.selected", "Lựa chọn", "Selected"),
    (
        "alliance.programme.stages",
        "Các bước tham gia chương trình",
        "Programme stages",
    ),
    (
        "alliance.programmes",
        "Chương trình, chính sách",
        "Programmes",
    ),
    (
        "alliance.selected_not_good",
        "tổ chức được lựa chọn nhưng kết quả xếp loại gần nhất không phải loại Tốt (Quyết định 167 chọn trong các HTX xếp loại Tốt); xem các dòng có dấu ⚠.",
        "organisations selected although their latest grade is not Good (Decision 167 selects among HTX graded Good); see the rows marked ⚠.",
    ),
    ("alliance.stage", "Bước", "Stage"),
    ("alliance.subject", "Nội dung", "Subject"),
    (
        "alliance.support",
        "Hỗ trợ theo chương trình",
        "Support given",
    ),
    ("alliance.term", "Nhiệm kỳ", "Term"),
    ("alliance.training", "Lớp tập huấn", "Training courses"),
    ("alliance.unit.articles", "bài báo", "newspaper articles"),
    ("alliance.unit.attendances", "lượt người", "attendances"),
    ("alliance.unit.classes", "lớp", "classes"),
    (
        "alliance.unit.complaints_handled",
        "đã giải quyết",
        "resolved",
    ),
    (
        "alliance.unit.complaints_received",
        "đơn thư nhận",
        "complaints received",
    ),
    ("alliance.unit.grants", "lượt", "grants"),
    ("alliance.unit.inspections", "cuộc kiểm tra", "inspections"),
    ("alliance.unit.organisations", "tổ chức", "organisations"),
    ("alliance.unit.series", "chuyên đề", "special series"),
    (
        "alliance.unit.supervisions",
        "cuộc giám sát",
        "supervisions",
    ),
    (
        "alliance.unit.web_posts",
        "tin bài trên trang điện tử",
        "posts on the website",
    ),
    (
        "app.name",
        "Quản lý kinh tế tập thể",
        "Collective economy registry",
    ),
    ("app.skip", "Bỏ qua đến nội dung", "Skip to content"),
    ("audit", "Nhật ký thay đổi", "Audit log"),
    ("audit.changes", "Giá trị thay đổi", "Changed values"),
    ("audit.entity", "Đối tượng", "Record type"),
    ("audit.entity.activity", "Hoạt động", "Activity"),
    ("audit.entity.loan", "Khoản vay", "Loan"),
    ("audit.entity.organisation", "Tổ chức", "Organisation"),
    ("audit.entity.settings", "Cài đặt", "Settings"),
    ("audit.entity.user", "Người dùng", "User"),
    ("audit.from", "Từ ngày", "From"),
    ("audit.id", "Mã", "ID"),
    (
        "audit.none",
        "Không có thay đổi nào khớp bộ lọc",
        "No change matches the filters",
    ),
    ("audit.record", "Bản ghi", "Record"),
    ("audit.to", "Đến ngày", "To"),
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
    ("dashboard.dissolved", "Giải thể", "Dissolved"),
    ("dashboard.founded", "Thành lập", "Founded"),
    ("dashboard.fund", "Quỹ hỗ trợ", "Support fund"),
    (
        "dashboard.grades",
        "HTX xếp loại theo năm (Thông tư 01/2020)",
        "HTX graded per year (Circular 01/2020)",
    ),
    (
        "dashboard.per_year",
        "Thành lập và giải thể theo năm",
        "Founded and dissolved per year",
    ),
    ("dashboard.plan", "Thực hiện kế hoạch", "Plan achievement"),
    ("dashboard.quarter", "Quý", "Quarter"),
    ("dashboard.table", "Bảng số liệu", "The figures as a table"),
    (
        "dashboard.trend.activities",
        "Hoạt động đã tổ chức theo quý",
        "Activities held per quarter",
    ),
    (
        "dashboard.trend.book",
        "Dư nợ và nợ quá hạn cuối mỗi tháng",
        "Loan balance and overdue principal at each month's end",
    ),
    (
        "dashboard.trend.stock",
        "Tổ chức theo loại hình cuối mỗi năm",
        "Organisations by kind at each year's end",
    ),
    ("dashboard.when", "Thời điểm", "Date"),
    ("dashboard.year", "Năm", "Year"),
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
    ("eval.back", "Về trang tổ chức", "Back to the organisation"),
    (
        "eval.by_year",
        "Xếp loại và quy mô theo năm",
        "Grade and size by year",
    ),
    ("eval.compute", "Tính tổng điểm", "Add up the points"),
    (
        "eval.computed",
        "Kết quả tính (chưa lưu)",
        "Computed (not saved)",
    ),
    ("eval.correct", "Sửa", "Correct"),
    ("eval.criterion", "Tiêu chí", "Criterion"),
    ("eval.fill", "Chấm điểm", "Score"),
    ("eval.grade", "Xếp loại", "Grade"),
    ("eval.grade_from_total", "Theo tổng điểm", "From the total"),
    ("eval.graded", "Có xếp loại", "Graded"),
    ("eval.max", "Thang điểm tối đa", "Maximum"),
    (
        "eval.none",
        "Chưa có kết quả đánh giá hay số liệu năm",
        "No evaluation or yearly figures yet",
    ),
    ("eval.not_graded", "Không xếp loại", "Not graded"),
    ("eval.note", "Ghi chú", "Note"),
    ("eval.number", "STT", "No."),
    ("eval.open", "Mở phiếu", "Open the sheet"),
    (
        "eval.open_page",
        "Đánh giá, xếp loại",
        "Evaluation and grading",
    ),
    ("eval.points", "Điểm tự chấm", "Points given"),
    ("eval.points_unit", "điểm", "points"),
    ("eval.result", "Kết quả", "Result"),
    ("eval.save", "Lưu đánh giá", "Save the evaluation"),
    (
        "eval.saved",
        "Đã lưu đánh giá năm",
        "Saved the evaluation of",
    ),
    ("eval.scored_by", "Người chấm", "Scored by"),
    ("eval.scored_on", "Ngày chấm", "Scored on"),
    (
        "eval.sheet",
        "Phiếu đánh giá, xếp loại năm",
        "Score sheet of",
    ),
    (
        "eval.size",
        "Quy mô (NĐ 113/2024)",
        "Size (Decree 113/2024)",
    ),
    ("eval.title", "Đánh giá, xếp loại", "Evaluation and grading"),
    ("eval.total", "Tổng điểm", "Total"),
    (
        "eval.total_only",
        "Tổng điểm (khi chỉ có kết quả)",
        "Total (when only the result is known)",
    ),
    (
        "eval.total_only_hint",
        "Để trống khi đã chấm từng tiêu chí",
        "Leave blank when the criteria are scored",
    ),
    ("eval.version", "phiên bản", "version"),
    ("eval.version_col", "Phiên bản", "Version"),
    ("eval.versions", "Các lần ghi, sửa", "Versions recorded"),
    ("eval.year", "Năm", "Year"),
    ("field.address", "Địa chỉ", "Address"),
    ("field.amount", "Số tiền (đồng)", "Amount (đồng)"),
    ("field.area", "Địa bàn", "Area"),
    ("field.code", "Mã số đăng ký", "Registration code"),
    ("field.commune", "Xã, phường", "Commune"),
    ("field.date", "Ngày", "Date"),
    ("field.display_name", "Họ tên", "Full name"),
    ("field.event", "Sự kiện", "Event"),
    ("field.format", "Định dạng", "Format"),
    ("field.kind", "Loại hình", "Kind"),
    ("field.law", "Luật HTX", "Cooperative law"),
    (
        "field.law_by_date",
        "Theo ngày thành lập (trước 01/07/2024: Luật 2012)",
        "By the founding date (before 01/07/2024: the 2012 law)",
    ),
    ("field.name", "Tên", "Name"),
    ("field.new_address", "Địa chỉ mới", "New address"),
    ("field.new_commune", "Xã, phường mới", "New commune"),
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
    ("field.unchanged", "(không đổi)", "(unchanged)"),
    ("field.username", "Tên đăng nhập", "Username"),
    ("field.version", "Phiên bản", "Version"),
    ("filter.all", "Tất cả", "All"),
    ("fund", "Quỹ hỗ trợ", "Support fund"),
    ("fund.ageing", "Phân loại nợ theo tuổi", "Ageing"),
    ("fund.amount", "Số tiền", "Amount"),
    (
        "fund.amount_hint",
        "Ví dụ 500.000.000",
        "For example 500.000.000",
    ),
    ("fund.approved", "Số tiền duyệt", "Approved amount"),
    ("fund.borrower", "Bên vay", "Borrower"),
    ("fund.bucket", "Nhóm", "Age band"),
    ("fund.capital", "Vốn điều lệ Quỹ", "Fund charter capital"),
    (
        "fund.confirm_permanent",
        "Giao dịch đã ghi không xóa được; muốn sửa phải ghi bút toán hủy. Bấm \"Xác nhận ghi\" để ghi.",
        "A recorded transaction cannot be deleted; correcting it takes a reversal. Press \"Confirm and write\" to record it.",
    ),
    (
        "fund.confirm_reversal",
        "Hủy bút toán số",
        "Reverse transaction no.",
    ),
    (
        "fund.confirm_title",
        "Xác nhận giao dịch không hoàn tác được",
        "Confirm a transaction that cannot be undone",
    ),
    ("fund.confirm_write_off", "Xóa nợ", "Write off"),
    ("fund.contract", "Hợp đồng", "Contract"),
    ("fund.contract_date", "Ngày HĐ", "Contract date"),
    ("fund.dated", "ngày", "of"),
    ("fund.days_overdue", "Số ngày quá hạn", "Days overdue"),
    ("fund.decision", "Quyết định", "Decision"),
    ("fund.due", "Hạn trả", "Due date"),
    ("fund.instalment", "Kỳ", "Instalment"),
    ("fund.interest", "Lãi", "Interest"),
    ("fund.interest_due", "Lãi phải thu", "Interest receivable"),
    ("fund.loan_count", "Số khoản vay", "Number of loans"),
    ("fund.loans", "Khoản vay", "Loans"),
    (
        "fund.maturing",
        "Đến hạn trong 30 ngày",
        "Due within 30 days",
    ),
    ("fund.months", "tháng", "months"),
    (
        "fund.new_maturity",
        "Hạn mới (gia hạn)",
        "New maturity (extension)",
    ),
    ("fund.outstanding", "Dư nợ", "Outstanding"),
    ("fund.overdue", "Nợ quá hạn", "Overdue"),
    ("fund.per_year", "%/năm", "% a year"),
    ("fund.portfolio", "Danh mục cho vay", "Portfolio"),
    ("fund.principal", "Gốc", "Principal"),
    ("fund.purpose", "Mục đích", "Purpose"),
    ("fund.rate", "Lãi suất", "Interest rate"),
    ("fund.record_tx", "Ghi giao dịch", "Record a transaction"),
    (
        "fund.reverses",
        "Số giao dịch cần hủy",
        "Number of the transaction to reverse",
    ),
    ("fund.schedule", "Lịch trả nợ", "Repayment schedule"),
    ("fund.term", "Thời hạn", "Term"),
    ("fund.transactions", "Giao dịch", "Transactions"),
    ("fund.tx.disbursement", "Giải ngân", "Disbursement"),
    ("fund.tx.extension", "Gia hạn nợ", "Extension"),
    ("fund.tx.interest", "Trả lãi", "Interest payment"),
    (
        "fund.tx.overdue",
        "Chuyển nợ quá hạn",
        "Transfer to overdue",
    ),
    ("fund.tx.principal", "Trả nợ gốc", "Principal repayment"),
    (
        "fund.tx.reschedule",
        "Điều chỉnh kỳ hạn trả nợ",
        "Rescheduling",
    ),
    ("fund.tx.reversal", "Hủy bút toán", "Reversal"),
    (
        "fund.tx.write_off",
        "Xử lý rủi ro (xóa nợ)",
        "Write-off (risk provision)",
    ),
    ("fund.tx_no", "Số", "No."),
    ("fund.until", "đến", "until"),
    ("import", "Nhập dữ liệu", "Import"),
    (
        "import.choose_file",
        "chọn một tệp .xlsx hoặc .csv",
        "choose an .xlsx or .csv file",
    ),
    ("import.column", "Cột", "Column"),
    ("import.error_count", "lỗi", "error(s)"),
    (
        "import.errors",
        "Các dòng có lỗi — chưa ghi gì",
        "Rows with errors — nothing was written",
    ),
    ("import.file", "Tệp .xlsx hoặc .csv", "File (.xlsx or .csv)"),
    ("import.file_name", "Tệp", "File"),
    (
        "import.help",
        "Tải lên tệp theo mẫu; hệ thống kiểm tra mọi dòng và chỉ ghi khi bạn xác nhận. Có lỗi ở bất kỳ dòng nào thì không ghi gì.",
        "Upload a file in the template's format; every row is checked and nothing is written until you confirm. If any row is wrong, nothing is written.",
    ),
    (
        "import.notices",
        "Lưu ý (không chặn việc nhập)",
        "Notes (they do not stop the import)",
    ),
    (
        "import.ok",
        "Tệp hợp lệ. Kiểm tra số lượng dưới đây rồi xác nhận.",
        "The file is valid. Check the counts below, then confirm.",
    ),
    (
        "import.only_xlsx_csv",
        "chỉ nhận tệp .xlsx hoặc .csv",
        "only .xlsx and .csv files are accepted",
    ),
    ("import.reason", "Lý do", "Reason"),
    ("import.row", "Dòng", "Row"),
    ("import.sheet", "Sheet", "Sheet"),
    ("import.template", "Tải tệp mẫu", "Download the template"),
    (
        "import.unchanged",
        "Dòng đã có sẵn (bỏ qua)",
        "Rows already present (skipped)",
    ),
    ("import.written", "Đã ghi xong", "Written"),
    ("login", "Đăng nhập", "Log in"),
    (
        "login.busy",
        "Máy chủ đang bận kiểm tra các lần đăng nhập khác; hãy thử lại sau ít giây.",
        "The server is busy checking other logins; try again in a few seconds.",
    ),
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
    ("org.change.address", "địa chỉ", "address"),
    ("org.change.area", "địa bàn", "area"),
    ("org.change.law", "luật", "law"),
    ("org.change.name", "tên", "name"),
    ("org.change.related", "liên quan", "related"),
    ("org.change.sector", "lĩnh vực", "sector"),
    (
        "org.commune_hint",
        "Gõ tên để chọn trong danh sách các xã, phường có vào ngày trên (trước 01/07/2025 là xã cũ thuộc huyện); cũng nhận mã 5 chữ số",
        "Type the name to pick from the communes valid on the date above (before 01/07/2025 the old communes of districts); the 5-digit code is accepted too",
    ),
    ("org.events", "Diễn biến", "Timeline"),
    ("org.figures", "Số liệu hằng năm", "Yearly figures"),
    (
        "org.figures.associate_members",
        "TV liên kết",
        "Associate members",
    ),
    (
        "org.figures.average_income",
        "Thu nhập bình quân",
        "Average income",
    ),
    (
        "org.figures.charter_capital",
        "Vốn điều lệ",
        "Charter capital",
    ),
    (
        "org.figures.edit",
        "Ghi số liệu năm",
        "Record yearly figures",
    ),
    (
        "org.figures.founding_members",
        "Số thành viên khi thành lập",
        "Founding members",
    ),
    (
        "org.figures.official_members",
        "TV chính thức",
        "Full members",
    ),
    (
        "org.figures.operating_capital",
        "Vốn hoạt động",
        "Operating capital",
    ),
    ("org.figures.profit", "Lợi nhuận", "Profit"),
    ("org.figures.revenue", "Doanh thu", "Revenue"),
    (
        "org.figures.seasonal_workers",
        "Lao động thời vụ",
        "Seasonal workers",
    ),
    ("org.figures.total_assets", "Tổng tài sản", "Total assets"),
    (
        "org.figures.workers",
        "Lao động thường xuyên",
        "Regular workers",
    ),
    ("org.figures.year", "Năm", "Year"),
    ("org.new", "Đăng ký tổ chức mới", "Register an organisation"),
    ("org.not_founded", "chưa thành lập", "not yet founded"),
    ("org.record_event", "Ghi sự kiện", "Record an event"),
    ("org.state", "Tình trạng tại ngày", "State on"),
    ("page", "Trang", "Page"),
    ("page.next", "Trang sau", "Next page"),
    ("page.prev", "Trang trước", "Previous page"),
    ("period.chosen", "Kỳ đã chọn", "Chosen period"),
    (
        "period.dates",
        "Từ ngày … đến ngày …",
        "From date … to date …",
    ),
    (
        "period.from",
        "Từ ngày (khi chọn khoảng ngày)",
        "From (for a date span)",
    ),
    ("period.h1", "6 tháng đầu năm", "First half of the year"),
    ("period.h2", "6 tháng cuối năm", "Second half of the year"),
    (
        "period.months",
        "Từ tháng 1 đến tháng …",
        "January to month …",
    ),
    (
        "period.months_field",
        "Đến tháng (khi chọn từ tháng 1)",
        "To month (for January to month …)",
    ),
    ("period.q1", "Quý I", "First quarter"),
    ("period.q2", "Quý II", "Second quarter"),
    ("period.q3", "Quý III", "Third quarter"),
    ("period.q4", "Quý IV", "Fourth quarter"),
    (
        "period.to",
        "Đến ngày (khi chọn khoảng ngày)",
        "To (for a date span)",
    ),
    ("period.to_month", "đến tháng", "to month"),
    ("period.year", "Cả năm", "Whole year"),
    ("period.year_field", "Năm", "Year"),
    ("registry", "Sổ theo dõi", "Registry"),
    ("registry.count", "tổ chức", "organisations"),
    ("registry.more_than", "hơn", "more than"),
    (
        "registry.no_match",
        "Không có tổ chức nào khớp với",
        "No organisation matches",
    ),
    (
        "registry.no_match_hint",
        "Thử ít chữ hơn (không cần dấu), một phần mã số, hoặc bỏ bớt bộ lọc; chọn một tình trạng (như \"đã giải thể\") để tìm tổ chức đã chấm dứt.",
        "Try fewer letters (accents are not needed), part of the code, or fewer filters; pick a status (such as \"dissolved\") to find organisations that have ended.",
    ),
    (
        "registry.none",
        "Không có tổ chức nào theo bộ lọc này tại ngày đã chọn",
        "No organisation matches these filters on that date",
    ),
    ("reports", "Báo cáo", "Reports"),
    (
        "reports.compare",
        "So sánh cùng kỳ năm trước",
        "Compare with the same period last year",
    ),
    (
        "reports.issue_confirm_frozen",
        "Báo cáo ban hành được lưu cố định (JSON, DOCX, XLSX, Markdown) và không sửa được; số liệu nhập sau cho kỳ này sẽ được nêu là điều chỉnh ở báo cáo sau. Bấm \"Xác nhận ghi\" để ban hành.",
        "An issued report is stored as it is (JSON, DOCX, XLSX, Markdown) and cannot be changed; figures entered later for this period are listed as corrections in later reports. Press \"Confirm and write\" to issue it.",
    ),
    (
        "reports.issue_confirm_title",
        "Xác nhận ban hành báo cáo",
        "Confirm issuing the report",
    ),
    (
        "reports.issue_confirm_what",
        "Ban hành báo cáo số",
        "Issue report no.",
    ),
    ("reports.issued", "Báo cáo đã ban hành", "Issued reports"),
    (
        "reports.number_hint",
        "Ví dụ 45/BC-LMHTX",
        "For example 45/BC-LMHTX",
    ),
    (
        "reports.pdf_missing",
        "Máy chủ chưa cài LibreOffice nên chưa xuất được PDF.",
        "LibreOffice is not installed on the server, so PDF is not available.",
    ),
    (
        "reports.proposals",
        "Kiến nghị, đề xuất (mục VI)",
        "Recommendations and proposals (section VI)",
    ),
    ("reports.whole_province", "Toàn tỉnh", "Whole province"),
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
