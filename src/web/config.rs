//! Settings of `htx serve`, layered: built-in defaults → `htx.toml` → `HTX_*` environment
//! variables → command-line flags (later layers win).

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What the web server needs to know.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ServeConfig {
    /// Address to listen on.
    pub bind: String,
    pub port: u16,
    /// Idle sessions end after this many minutes.
    pub session_minutes: i64,
    /// Mark cookies `Secure` (set this when a TLS proxy sits in front).
    pub secure_cookies: bool,
    /// Largest accepted upload, in MiB.
    pub max_upload_mb: usize,
    /// Failed logins allowed for one username from one client address before that pair is
    /// refused for `lockout_minutes` (the account stays open from other addresses).
    pub max_failed_logins: u32,
    pub lockout_minutes: u64,
    /// Failed logins allowed from one client address, whatever the usernames, before the
    /// address is refused for `lockout_minutes`.
    pub max_failed_logins_per_address: u32,
    /// Entries kept by the failed-login counter, per table (the oldest are forgotten first).
    pub login_throttle_entries: usize,
    /// Password checks (argon2id, ~19 MB each) running at once; 0 = one per processor core.
    pub password_checks: usize,
    /// How long a login waits for a free password check before it is answered 503.
    pub password_wait_ms: u64,
    /// Take the client address from the last `X-Forwarded-For` entry (only behind a reverse
    /// proxy that sets it; otherwise anyone could pick their address).
    pub trust_forwarded_for: bool,
    /// The most rows one exported list (XLSX or CSV) holds; a larger selection is cut there
    /// and the file says so in its title line.
    pub export_max_rows: i64,
}

impl Default for ServeConfig {
    fn default() -> Self {
        ServeConfig {
            bind: "127.0.0.1".into(),
            port: 8080,
            session_minutes: 8 * 60,
            secure_cookies: false,
            max_upload_mb: 50,
            max_failed_logins: 5,
            lockout_minutes: 15,
            max_failed_logins_per_address: 30,
            login_throttle_entries: 10_000,
            password_checks: 0,
            password_wait_ms: 2_000,
            trust_forwarded_for: false,
            export_max_rows: 200_000,
        }
    }
}

/// Flags given on the command line; only those present override the other layers.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FlagOverrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

impl ServeConfig {
    /// Reads the layers. `file` is `htx.toml` unless told otherwise; a missing file is fine.
    pub fn load(file: &Path, flags: &FlagOverrides) -> Result<ServeConfig, Box<figment::Error>> {
        Figment::from(Serialized::defaults(ServeConfig::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("HTX_").only(&[
                "bind",
                "port",
                "session_minutes",
                "secure_cookies",
                "max_upload_mb",
                "max_failed_logins",
                "lockout_minutes",
                "max_failed_logins_per_address",
                "login_throttle_entries",
                "password_checks",
                "password_wait_ms",
                "trust_forwarded_for",
                "export_max_rows",
            ]))
            .merge(Serialized::defaults(flags))
            .extract()
            .map_err(Box::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    // figment's own error type is large; this is its test harness's signature.
    #[allow(clippy::result_large_err)]
    fn later_layers_override_earlier_ones() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "htx.toml",
                "port = 9000\nbind = \"0.0.0.0\"\nsession_minutes = 30",
            )?;
            jail.set_env("HTX_PORT", "9100");
            jail.set_env("HTX_TRUST_FORWARDED_FOR", "true");
            let c = ServeConfig::load(
                Path::new("htx.toml"),
                &FlagOverrides {
                    bind: Some("127.0.0.2".into()),
                    port: None,
                },
            )
            .map_err(|e| e.to_string())?;
            assert_eq!(c.port, 9100); // env over file
            assert_eq!(c.bind, "127.0.0.2"); // flag over file
            assert_eq!(c.session_minutes, 30); // file over default
            assert_eq!(c.max_upload_mb, 50); // default
            assert!(c.trust_forwarded_for); // a login setting from the environment
            Ok(())
        });
    }
}
