//! Demo accounts, one per role, so that `htx serve --demo` can be tried at once.

use crate::domain::access::Role;
use crate::error::Result;
use crate::store::Store;
use crate::store::accounts::NewUser;

/// The password of every demo account (printed on start; never use it for real data).
pub const DEMO_PASSWORD: &str = "htx-demo-2022";

/// (username, display name, role, area)
pub const DEMO_USERS: [(&str, &str, Role, &str); 5] = [
    ("quantri", "Quản trị hệ thống", Role::Admin, ""),
    ("canbo", "Nguyễn Thị Lan", Role::Staff, ""),
    ("quy", "Trần Văn Hùng", Role::FundOfficer, ""),
    (
        "giabinh",
        "Lê Văn Minh (Gia Bình)",
        Role::AreaOfficer,
        "old-263",
    ),
    ("lanhdao", "Phạm Quang Vinh", Role::Leader, ""),
];

/// Creates the demo accounts that do not exist yet.
pub async fn create(store: &Store, author: &str) -> Result<()> {
    for (username, name, role, area) in DEMO_USERS {
        if store.user_by_username(username).await?.is_none() {
            store
                .create_user(
                    &NewUser {
                        username: username.into(),
                        display_name: name.into(),
                        password: DEMO_PASSWORD.into(),
                        role,
                        area: area.into(),
                        lang: "vi".into(),
                    },
                    author,
                )
                .await?;
        }
    }
    Ok(())
}
