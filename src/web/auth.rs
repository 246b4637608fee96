//! Logins for the web page: the station's user accounts (`data/users.toml`,
//! names and argon2id password hashes, managed by `loa user`), the
//! in-memory sessions of the people logged in, a per-address limit on
//! failed logins, and the comparisons and random tokens these need.
//!
//! Nothing here reads the clock: every function that needs the time takes
//! `now`, so the web page decides what time it is and tests can jump ahead.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;
use std::net::{IpAddr, Ipv6Addr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use toml::Spanned;
use unicode_normalization::UnicodeNormalization;

use crate::error::Location;
use crate::lang::{Lang, Localize};

/// The accounts file, in the station's `data_dir`.
pub const USERS_FILE: &str = "users.toml";

/// The shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// The longest user name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 32;

/// An argon2id hash with the crate's default parameters (those of every new
/// hash) whose output was made up, so no known password matches it. A login
/// with an unknown name is checked against it: it costs as long as one with
/// a known name, and the time taken does not tell which names exist.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$ZHVtbXktc2FsdC1sb2E$\
    0Y7xVrYwqvR2u9Zc2GqS9Qm4V1Kq1Q7o0Xz8cJ4H1dM";

/// The station's web accounts: each name with the argon2id hash (PHC
/// string) of its password. The passwords themselves are never kept.
#[derive(Clone, Default)]
pub struct Users {
    /// Name (NFC) to PHC hash string; sorted, so the file is written in a
    /// stable order and `names` needs no sort.
    hashes: BTreeMap<String, String>,
}

/// Lists the names only: the hashes stay out of logs.
impl fmt::Debug for Users {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Users").field("names", &self.names()).finish()
    }
}

/// `users.toml` as written: one `[users]` table of `name = "hash"`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUsers {
    #[serde(default)]
    users: BTreeMap<Spanned<String>, Spanned<String>>,
}

#[derive(Serialize)]
struct UsersOut<'a> {
    users: &'a BTreeMap<String, String>,
}

const FILE_HEADER: &str = "\
# Tài khoản đăng nhập trang web của đài, do lệnh `loa user` quản lý.
# Web page logins of the station, managed by `loa user`.
# Mỗi dòng: tên = mã băm argon2id của mật khẩu (không phải mật khẩu).
# Each line: name = the argon2id hash of the password (not the password).

";

impl Users {
    /// Reads `data_dir/users.toml`. A missing file means no users yet (the
    /// web page then only works on loopback); anything else wrong with it
    /// is an error naming the file, and the line where there is one.
    pub fn load(data_dir: &Path) -> Result<Users, AuthError> {
        let path = data_dir.join(USERS_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Users::default()),
            Err(e) => {
                return Err(AuthError::Unreadable {
                    path,
                    reason: e.to_string(),
                })
            }
        };
        let raw: RawUsers = toml::from_str(&text).map_err(|e| AuthError::BadFile {
            location: match e.span() {
                Some(span) => Location::at(&path, &text, span.start),
                None => Location::file(&path),
            },
            problem: FileProblem::Syntax(e.message().trim().to_string()),
        })?;
        let mut hashes = BTreeMap::new();
        for (name, hash) in raw.users {
            let start = hash.span().start;
            let at = |problem| AuthError::BadFile {
                location: Location::at(&path, &text, start),
                problem,
            };
            let name = name.into_inner();
            let normal = valid_name(&name).ok_or_else(|| at(FileProblem::BadName(name.clone())))?;
            if !is_argon2id(hash.get_ref()) {
                return Err(at(FileProblem::NotArgon2id(normal)));
            }
            // "Nguyễn" typed in NFD and NFC would be two keys for one name.
            if hashes.insert(normal.clone(), hash.into_inner()).is_some() {
                return Err(at(FileProblem::DuplicateName(normal)));
            }
        }
        Ok(Users { hashes })
    }

    /// Whether there is no account at all.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// The names, sorted.
    pub fn names(&self) -> Vec<String> {
        self.hashes.keys().cloned().collect()
    }

    /// Whether `name` has an account.
    pub fn contains(&self, name: &str) -> bool {
        self.hashes.contains_key(&nfc(name))
    }

    /// Gives `name` the password `password`: a new account, or a new
    /// password for an existing one. Names are 1–32 letters (Vietnamese
    /// included), digits, `.`, `_` and `-`; passwords at least 8 characters.
    /// Both are taken in Unicode NFC, so the same Vietnamese text typed with
    /// different keyboards (precomposed or combining accents) is one name
    /// and one password.
    pub fn set_password(&mut self, name: &str, password: &str) -> Result<(), AuthError> {
        let name = check_name(name)?;
        check_password(password)?;
        let password = nfc(password);
        let hash = Argon2::default()
            .hash_password(password.as_bytes())
            .map_err(|e| AuthError::Hash {
                reason: e.to_string(),
            })?;
        self.hashes.insert(name, hash.to_string());
        Ok(())
    }

    /// Removes `name`'s account; false when there was none.
    pub fn remove(&mut self, name: &str) -> bool {
        self.hashes.remove(&nfc(name)).is_some()
    }

    /// Writes `data_dir/users.toml` (creating the folder if needed) in one
    /// step, readable and writable by its owner only from the first byte.
    pub fn save(&self, data_dir: &Path) -> Result<(), AuthError> {
        let path = data_dir.join(USERS_FILE);
        let write_error = |e: &dyn fmt::Display| AuthError::Write {
            path: path.clone(),
            reason: e.to_string(),
        };
        let body = toml::to_string(&UsersOut { users: &self.hashes }).map_err(|e| write_error(&e))?;
        std::fs::create_dir_all(data_dir).map_err(|e| write_error(&e))?;
        crate::fsutil::write_atomically_private(&path, format!("{FILE_HEADER}{body}").as_bytes())
            .map_err(|e| write_error(&e))
    }

    /// Whether `password` is `name`'s password. An unknown name takes as
    /// long as a known one (see [`DUMMY_HASH`]).
    pub fn verify(&self, name: &str, password: &str) -> bool {
        let password = nfc(password);
        let argon2 = Argon2::default();
        let stored = self
            .hashes
            .get(&nfc(name))
            .and_then(|h| PasswordHash::new(h).ok());
        match stored {
            Some(hash) => argon2.verify_password(password.as_bytes(), &hash).is_ok(),
            None => {
                if let Ok(dummy) = PasswordHash::new(DUMMY_HASH) {
                    let _ = argon2.verify_password(password.as_bytes(), &dummy);
                }
                false
            }
        }
    }
}

/// `name` in Unicode NFC (the form it is stored and compared in) when it
/// is an acceptable user name; otherwise the error saying what is allowed.
/// For asking the password only once the name is known to be good.
pub fn check_name(name: &str) -> Result<String, AuthError> {
    valid_name(name).ok_or_else(|| AuthError::BadName {
        name: name.to_string(),
    })
}

/// Whether `password` is long enough (at least [`MIN_PASSWORD_CHARS`]
/// characters, counted in NFC).
pub fn check_password(password: &str) -> Result<(), AuthError> {
    if nfc(password).chars().count() < MIN_PASSWORD_CHARS {
        return Err(AuthError::PasswordTooShort {
            min: MIN_PASSWORD_CHARS,
        });
    }
    Ok(())
}

fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// The name in NFC when it is an acceptable user name.
fn valid_name(name: &str) -> Option<String> {
    let name = nfc(name);
    let count = name.chars().count();
    let ok = (1..=MAX_NAME_CHARS).contains(&count)
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'));
    ok.then_some(name)
}

/// Whether `s` is a complete argon2id PHC string with parameters argon2
/// accepts, so that every stored hash can be verified.
fn is_argon2id(s: &str) -> bool {
    PasswordHash::new(s).is_ok_and(|h| {
        h.algorithm == argon2::ARGON2ID_IDENT
            && h.salt.is_some()
            && h.hash.is_some()
            && argon2::Params::try_from(&h).is_ok()
    })
}

/// A new secret token: 32 bytes from the operating system's random source,
/// as 64 lowercase hex digits.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    // Without the OS random source no token can be safe; there is no
    // sensible way to go on.
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether two secret tokens are equal, in a time that depends only on
/// their length (which is public: tokens are 64 hex digits), so comparing
/// a forged CSRF token does not reveal how much of it was right. An empty
/// token never matches.
pub fn tokens_match(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.is_empty() || a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// A logged-in person, as the web page sees them.
#[derive(Clone, Debug)]
pub struct Session {
    /// The secret in the session cookie.
    pub token: String,
    /// The account name.
    pub user: String,
    /// The secret every form of this session must send back.
    pub csrf: String,
}

/// The most sessions kept at once; beyond it the least recently used goes.
/// A station has a handful of officers; the cap only stops someone who
/// knows a password from filling the memory with logins.
const MAX_SESSIONS: usize = 1000;

/// The sessions of the people logged in. They live in memory only: a
/// restart of `loa run` logs everyone out, which is fine for a station's
/// few officers and keeps no session secret on disk. Cloning shares them.
#[derive(Clone)]
pub struct Sessions {
    /// How long a session lasts without use; each use starts it afresh.
    idle: Duration,
    /// Token to session; shared between the web page's request handlers.
    by_token: Arc<Mutex<HashMap<String, Entry>>>,
}

struct Entry {
    session: Session,
    expires: DateTime<Utc>,
}

impl Sessions {
    /// No sessions; each will expire after `idle` without use.
    pub fn new(idle: Duration) -> Sessions {
        Sessions {
            idle,
            by_token: Arc::default(),
        }
    }

    /// How long a session lasts without use (for the cookie's lifetime).
    pub fn idle(&self) -> Duration {
        self.idle
    }

    /// Logs `user` in: a new session with fresh random token and CSRF token.
    pub fn create(&self, user: &str, now: DateTime<Utc>) -> Session {
        let session = Session {
            token: new_token(),
            user: user.to_string(),
            csrf: new_token(),
        };
        let mut map = lock(&self.by_token);
        map.retain(|_, e| e.expires > now);
        if map.len() >= MAX_SESSIONS {
            let oldest = map.iter().min_by_key(|(_, e)| e.expires).map(|(t, _)| t.clone());
            if let Some(t) = oldest {
                map.remove(&t);
            }
        }
        map.insert(
            session.token.clone(),
            Entry {
                session: session.clone(),
                expires: now + self.idle,
            },
        );
        session
    }

    /// The session of `token` if it is still alive, which keeps it alive
    /// for another `idle`; an expired one is dropped.
    pub fn get(&self, token: &str, now: DateTime<Utc>) -> Option<Session> {
        let mut map = lock(&self.by_token);
        let entry = map.get_mut(token)?;
        if entry.expires <= now {
            map.remove(token);
            return None;
        }
        entry.expires = now + self.idle;
        Some(entry.session.clone())
    }

    /// Logs the session of `token` out.
    pub fn remove(&self, token: &str) {
        lock(&self.by_token).remove(token);
    }

    /// Logs every session of `user` out (after a password change or the
    /// account's removal).
    pub fn remove_user(&self, user: &str) {
        lock(&self.by_token).retain(|_, e| e.session.user != user);
    }
}

/// Failed logins allowed from one address within [`FAILURE_WINDOW_MINUTES`].
pub const MAX_FAILURES: usize = 5;

/// How long a failed login counts against its address.
pub const FAILURE_WINDOW_MINUTES: i64 = 15;

/// The most addresses tracked at once; past it, the one whose last failure
/// is oldest is forgotten, so bad logins from many addresses cannot grow
/// the memory without bound.
const MAX_TRACKED: usize = 10_000;

/// Slows down password guessing: an address with [`MAX_FAILURES`] failed
/// logins in the last [`FAILURE_WINDOW_MINUTES`] minutes is refused until
/// the oldest of them is that old. IPv6 addresses count per /64, the block
/// one household or machine usually gets, so stepping through one's own
/// addresses does not reset the count. In memory only; cloning shares it.
#[derive(Clone, Default)]
pub struct LoginLimiter {
    /// Per address (or /64), the instants of its recent failures, oldest
    /// first, at most [`MAX_FAILURES`] of them.
    failures: Arc<Mutex<HashMap<IpAddr, VecDeque<DateTime<Utc>>>>>,
}

impl LoginLimiter {
    /// No failures recorded.
    pub fn new() -> LoginLimiter {
        LoginLimiter::default()
    }

    /// `Ok` when `ip` may try to log in now; otherwise how long it must wait.
    pub fn check(&self, ip: IpAddr, now: DateTime<Utc>) -> Result<(), Duration> {
        let key = limiter_key(ip);
        let mut map = lock(&self.failures);
        let Some(times) = map.get_mut(&key) else {
            return Ok(());
        };
        forget_old(times, now);
        if times.is_empty() {
            map.remove(&key);
            return Ok(());
        }
        if times.len() < MAX_FAILURES {
            return Ok(());
        }
        let oldest = times[0];
        Err(oldest + window() - now)
    }

    /// Counts a failed login from `ip` at `now`.
    pub fn record_failure(&self, ip: IpAddr, now: DateTime<Utc>) {
        let key = limiter_key(ip);
        let mut map = lock(&self.failures);
        if !map.contains_key(&key) && map.len() >= MAX_TRACKED {
            map.retain(|_, times| times.back().is_some_and(|t| *t + window() > now));
            if map.len() >= MAX_TRACKED {
                let stalest = map
                    .iter()
                    .min_by_key(|(_, times)| times.back().copied())
                    .map(|(k, _)| *k);
                if let Some(k) = stalest {
                    map.remove(&k);
                }
            }
        }
        let times = map.entry(key).or_default();
        forget_old(times, now);
        times.push_back(now);
        while times.len() > MAX_FAILURES {
            times.pop_front();
        }
    }

    /// A successful login from `ip`: its failures are forgotten.
    pub fn record_success(&self, ip: IpAddr) {
        lock(&self.failures).remove(&limiter_key(ip));
    }
}

fn window() -> Duration {
    Duration::minutes(FAILURE_WINDOW_MINUTES)
}

fn forget_old(times: &mut VecDeque<DateTime<Utc>>, now: DateTime<Utc>) {
    while times.front().is_some_and(|t| *t + window() <= now) {
        times.pop_front();
    }
}

/// IPv4 as is (also when written as IPv4-mapped IPv6); IPv6 cut to its /64.
fn limiter_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// Locks `m`, going on with the data if another thread panicked while
/// holding it: every update here leaves the maps consistent, and one
/// failed request must not lock everyone out of the web page.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// What is wrong inside `users.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    /// Not TOML, or not the expected `[users]` table of strings.
    Syntax(String),
    /// A name that `loa user add` would not accept.
    BadName(String),
    /// A value that is not an argon2id hash.
    NotArgon2id(String),
    /// One name twice (the same letters with different Unicode accents).
    DuplicateName(String),
}

/// Why an account could not be read, changed or written.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.localize(Lang::En))]
pub enum AuthError {
    /// `users.toml` exists but cannot be read.
    Unreadable {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        reason: String,
    },
    /// `users.toml` was read but is not right.
    BadFile {
        /// Where (file, and line and column when known).
        location: Location,
        /// What is wrong.
        problem: FileProblem,
    },
    /// A user name outside the allowed characters or length.
    BadName {
        /// The name as given.
        name: String,
    },
    /// A password shorter than the minimum.
    PasswordTooShort {
        /// The minimum, in characters.
        min: usize,
    },
    /// The password could not be hashed (the OS random source failed).
    Hash {
        /// argon2's reason.
        reason: String,
    },
    /// `users.toml` could not be written.
    Write {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        reason: String,
    },
}

impl Localize for AuthError {
    fn localize(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        match self {
            AuthError::Unreadable { path, reason } => {
                if vi {
                    format!("không đọc được tệp tài khoản {}: {reason}", path.display())
                } else {
                    format!("cannot read the accounts file {}: {reason}", path.display())
                }
            }
            AuthError::BadFile { location, problem } => {
                let what = match (problem, vi) {
                    (FileProblem::Syntax(m), true) => {
                        format!("tệp tài khoản không đúng dạng [users] tên = \"mã băm\": {m}")
                    }
                    (FileProblem::Syntax(m), false) => {
                        format!("the accounts file is not a [users] table of name = \"hash\": {m}")
                    }
                    (FileProblem::BadName(n), true) => {
                        format!("tên người dùng \"{n}\" không hợp lệ ({})", NAME_RULE_VI)
                    }
                    (FileProblem::BadName(n), false) => {
                        format!("user name \"{n}\" is not valid ({})", NAME_RULE_EN)
                    }
                    (FileProblem::NotArgon2id(n), true) => format!(
                        "mật khẩu của \"{n}\" không phải mã băm argon2id: hãy đặt lại bằng loa user add {n}"
                    ),
                    (FileProblem::NotArgon2id(n), false) => format!(
                        "the password of \"{n}\" is not an argon2id hash: set it again with loa user add {n}"
                    ),
                    (FileProblem::DuplicateName(n), true) => {
                        format!("tên \"{n}\" có hai lần (cùng chữ, khác cách gõ dấu)")
                    }
                    (FileProblem::DuplicateName(n), false) => {
                        format!("the name \"{n}\" appears twice (same letters, accents typed differently)")
                    }
                };
                format!("{location}: {what}")
            }
            AuthError::BadName { name } => {
                if vi {
                    format!("tên người dùng \"{name}\" không hợp lệ: {NAME_RULE_VI}")
                } else {
                    format!("user name \"{name}\" is not valid: {NAME_RULE_EN}")
                }
            }
            AuthError::PasswordTooShort { min } => {
                if vi {
                    format!("mật khẩu quá ngắn: cần ít nhất {min} ký tự")
                } else {
                    format!("the password is too short: it needs at least {min} characters")
                }
            }
            AuthError::Hash { reason } => {
                if vi {
                    format!("không băm được mật khẩu: {reason}")
                } else {
                    format!("cannot hash the password: {reason}")
                }
            }
            AuthError::Write { path, reason } => {
                if vi {
                    format!("không ghi được tệp tài khoản {}: {reason}", path.display())
                } else {
                    format!("cannot write the accounts file {}: {reason}", path.display())
                }
            }
        }
    }
}

const NAME_RULE_VI: &str = "cần 1–32 ký tự gồm chữ cái (có dấu cũng được), chữ số và . _ -";
const NAME_RULE_EN: &str = "use 1–32 characters: letters (accented ones too), digits and . _ -";

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::os::unix::fs::PermissionsExt;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_stored_hash_is_argon2id_and_verifies_only_the_right_password() {
        let mut users = Users::default();
        users.set_password("cán-bộ.1", "mật khẩu dài").unwrap();
        let hash = &users.hashes["cán-bộ.1"];
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(!hash.contains("mật khẩu dài"));
        assert!(users.verify("cán-bộ.1", "mật khẩu dài"));
        assert!(!users.verify("cán-bộ.1", "mật khẩu dàì"));
        assert!(!users.verify("cán-bộ.1", ""));
        assert!(!users.verify("ai-đó", "mật khẩu dài"));
    }

    #[test]
    fn the_dummy_hash_is_a_default_argon2id_hash() {
        assert!(is_argon2id(DUMMY_HASH));
        let h = PasswordHash::new(DUMMY_HASH).unwrap();
        let (params, default) = (argon2::Params::try_from(&h).unwrap(), argon2::Params::default());
        assert_eq!(
            (params.m_cost(), params.t_cost(), params.p_cost()),
            (default.m_cost(), default.t_cost(), default.p_cost())
        );
    }

    #[test]
    fn names_and_passwords_are_the_same_in_nfc_and_nfd() {
        let mut users = Users::default();
        let nfd_name: String = "Nguyễn".nfd().collect();
        let nfd_password: String = "mật khẩu dài".nfd().collect();
        users.set_password(&nfd_name, "mật khẩu dài").unwrap();
        assert_eq!(users.names(), ["Nguyễn"]);
        assert!(users.contains("Nguyễn"));
        assert!(users.verify("Nguyễn", &nfd_password));
    }

    #[test]
    fn setting_again_replaces_the_hash_and_remove_forgets() {
        let mut users = Users::default();
        users.set_password("an", "password-1").unwrap();
        let first = users.hashes["an"].clone();
        users.set_password("an", "password-2").unwrap();
        assert_ne!(users.hashes["an"], first);
        assert!(!users.verify("an", "password-1"));
        assert!(users.verify("an", "password-2"));
        users.hashes.insert("binh".into(), first);
        assert_eq!(users.names(), ["an", "binh"]);
        assert!(users.remove("an"));
        assert!(!users.remove("an"));
        assert_eq!(users.names(), ["binh"]);
    }

    #[test]
    fn save_then_load_gives_the_same_accounts_in_an_owner_only_file() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        assert!(Users::load(&data).unwrap().is_empty());
        let mut users = Users::default();
        users.set_password("Trần_Thị.Bình", "12345678").unwrap();
        users.hashes.insert("an".into(), DUMMY_HASH.into());
        users.save(&data).unwrap();
        let path = data.join(USERS_FILE);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let back = Users::load(&data).unwrap();
        assert_eq!(back.names(), ["Trần_Thị.Bình", "an"]);
        assert_eq!(back.hashes, users.hashes);
        assert!(back.verify("Trần_Thị.Bình", "12345678"));
        assert!(std::fs::read_to_string(&path).unwrap().starts_with("# "));
    }

    fn load_text(text: &str) -> (PathBuf, AuthError) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(USERS_FILE), text).unwrap();
        let e = Users::load(dir.path()).unwrap_err();
        (dir.path().join(USERS_FILE), e)
    }

    #[test]
    fn a_bad_users_file_is_named_with_its_line() {
        let cases = [
            ("[users]\nan = \"x\"\nbinh = ", 3, "users.toml:3:"),
            (
                &format!("[users]\n\"an\" = \"{DUMMY_HASH}\"\n\"a b\" = \"{DUMMY_HASH}\"\n"),
                3,
                "\"a b\"",
            ),
            ("[users]\nan = \"$2b$12$abcdefghijklmnopqrstuv\"\n", 2, "argon2id"),
            ("[users]\nan = 5\n", 2, "users.toml:2:"),
            ("[people]\nan = \"x\"\n", 1, "users.toml:1:"),
        ];
        for (text, line, needle) in cases {
            let (path, e) = load_text(text);
            let en = e.localize(Lang::En);
            let vi = e.localize(Lang::Vi);
            let at = format!("{}:{line}:", path.display());
            assert!(en.starts_with(&at), "{text:?}: {en}");
            assert!(vi.starts_with(&at), "{text:?}: {vi}");
            assert!(en.contains(needle), "{text:?}: {en}");
        }
        let (_, e) = load_text(&format!(
            "[users]\n\"Nguy\u{1ec5}n\" = \"{DUMMY_HASH}\"\n\"Nguye\u{302}\u{303}n\" = \"{DUMMY_HASH}\"\n"
        ));
        assert!(e.localize(Lang::En).contains("twice"), "{e}");
    }

    #[test]
    fn an_unreadable_users_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(USERS_FILE)).unwrap();
        let e = Users::load(dir.path()).unwrap_err();
        assert!(matches!(e, AuthError::Unreadable { .. }));
        assert!(
            e.localize(Lang::Vi).contains("users.toml"),
            "{}",
            e.localize(Lang::Vi)
        );
    }

    #[test]
    fn a_failed_save_says_which_file() {
        let dir = tempfile::tempdir().unwrap();
        let not_a_folder = dir.path().join("data");
        std::fs::write(&not_a_folder, "").unwrap();
        let e = Users::default().save(&not_a_folder).unwrap_err();
        assert!(matches!(e, AuthError::Write { .. }));
        assert!(e.localize(Lang::En).contains("users.toml"), "{e}");
    }

    #[test]
    fn names_are_checked_before_any_hashing() {
        let mut users = Users::default();
        for good in ["a", "Nguyễn_Văn.An-2", "Đặng", &"x".repeat(32), "ĐẶNG"] {
            assert_eq!(valid_name(good).as_deref(), Some(good), "{good}");
        }
        for bad in [
            "",
            "a b",
            "an@xa",
            "an/..",
            "tab\t",
            &"x".repeat(33),
            "an\"",
            "an\n",
            "an=1",
        ] {
            let e = users.set_password(bad, "long enough password").unwrap_err();
            assert!(
                matches!(&e, AuthError::BadName { name } if name == bad),
                "{bad:?}: {e}"
            );
            assert!(e.localize(Lang::Vi).contains("1–32"), "{}", e.localize(Lang::Vi));
        }
        // 32 Vietnamese letters are 32 characters, not 64 bytes.
        assert!(valid_name(&"ễ".repeat(32)).is_some());
        assert!(users.is_empty());
    }

    #[test]
    fn passwords_need_eight_characters() {
        let mut users = Users::default();
        let e = users.set_password("an", "1234567").unwrap_err();
        assert!(matches!(e, AuthError::PasswordTooShort { min: 8 }));
        assert!(e.localize(Lang::Vi).contains("ít nhất 8 ký tự"));
        assert!(e.localize(Lang::En).contains("at least 8 characters"));
        // Eight characters even where some take two bytes.
        users.set_password("an", "mậtkhẩuơ").unwrap();
        assert!(users.contains("an"));
    }

    #[test]
    fn a_session_expires_after_idle_time_without_use() {
        let sessions = Sessions::new(Duration::minutes(30));
        let s = sessions.create("an", t0());
        assert_eq!(s.token.len(), 64);
        assert_ne!(s.token, s.csrf);
        // Used at 20 and 45 minutes: each use slides the expiry.
        let got = sessions.get(&s.token, t0() + Duration::minutes(20)).unwrap();
        assert_eq!((got.user.as_str(), got.csrf.as_str()), ("an", s.csrf.as_str()));
        assert!(sessions.get(&s.token, t0() + Duration::minutes(45)).is_some());
        // 30 minutes after the last use it is gone, and stays gone.
        assert!(sessions.get(&s.token, t0() + Duration::minutes(75)).is_none());
        assert!(sessions.get(&s.token, t0() + Duration::minutes(76)).is_none());
        assert!(sessions.get("not-a-token", t0()).is_none());
    }

    #[test]
    fn logout_and_expired_sessions_are_dropped() {
        let sessions = Sessions::new(Duration::minutes(30));
        let a = sessions.create("an", t0());
        let b = sessions.create("binh", t0());
        sessions.remove(&a.token);
        assert!(sessions.get(&a.token, t0()).is_none());
        assert!(sessions.get(&b.token, t0()).is_some());
        sessions.remove_user("binh");
        assert!(sessions.get(&b.token, t0()).is_none());
        // Creating a session prunes the expired ones.
        let clone = sessions.clone();
        clone.create("an", t0());
        sessions.create("an", t0() + Duration::hours(1));
        assert_eq!(lock(&sessions.by_token).len(), 1);
    }

    #[test]
    fn sessions_are_capped() {
        let sessions = Sessions::new(Duration::minutes(30));
        let first = sessions.create("an", t0());
        for i in 1..=MAX_SESSIONS as i64 {
            sessions.create("an", t0() + Duration::seconds(i));
        }
        assert_eq!(lock(&sessions.by_token).len(), MAX_SESSIONS);
        assert!(sessions.get(&first.token, t0()).is_none());
    }

    #[test]
    fn the_sixth_try_within_15_minutes_is_refused_until_the_first_failure_is_15_minutes_old() {
        let limiter = LoginLimiter::new();
        let a = ip("192.0.2.7");
        for i in 0..5 {
            let at = t0() + Duration::minutes(i);
            assert_eq!(limiter.check(a, at), Ok(()), "try {}", i + 1);
            limiter.record_failure(a, at);
        }
        assert_eq!(
            limiter.check(a, t0() + Duration::minutes(5)),
            Err(Duration::minutes(10))
        );
        assert_eq!(
            limiter.check(a, t0() + Duration::minutes(15) - Duration::seconds(1)),
            Err(Duration::seconds(1))
        );
        assert_eq!(limiter.check(a, t0() + Duration::minutes(15)), Ok(()));
        // One more failure: four are still recent, so five again.
        limiter.record_failure(a, t0() + Duration::minutes(15));
        assert_eq!(
            limiter.check(a, t0() + Duration::minutes(15)),
            Err(Duration::minutes(1))
        );
        limiter.record_success(a);
        assert_eq!(limiter.check(a, t0() + Duration::minutes(15)), Ok(()));
    }

    #[test]
    fn addresses_are_limited_independently_and_ipv6_per_64() {
        let limiter = LoginLimiter::new();
        for _ in 0..5 {
            limiter.record_failure(ip("192.0.2.7"), t0());
            limiter.record_failure(ip("2001:db8:1:2::1"), t0());
        }
        assert!(limiter.check(ip("192.0.2.7"), t0()).is_err());
        assert!(limiter.check(ip("::ffff:192.0.2.7"), t0()).is_err());
        assert_eq!(limiter.check(ip("192.0.2.8"), t0()), Ok(()));
        assert!(limiter.check(ip("2001:db8:1:2:ffff::9"), t0()).is_err());
        assert_eq!(limiter.check(ip("2001:db8:1:3::1"), t0()), Ok(()));
        limiter.record_success(ip("192.0.2.8"));
        assert!(limiter.check(ip("192.0.2.7"), t0()).is_err());
    }

    #[test]
    fn the_limiter_forgets_the_stalest_address_when_full() {
        let limiter = LoginLimiter::new();
        let first = ip("10.0.0.1");
        for _ in 0..5 {
            limiter.record_failure(first, t0());
        }
        for i in 1..MAX_TRACKED as u32 {
            limiter.record_failure(IpAddr::V4((0x0b00_0000 + i).into()), t0() + Duration::seconds(1));
        }
        assert_eq!(lock(&limiter.failures).len(), MAX_TRACKED);
        assert!(limiter.check(first, t0() + Duration::seconds(1)).is_err());
        limiter.record_failure(ip("12.0.0.1"), t0() + Duration::seconds(2));
        assert_eq!(lock(&limiter.failures).len(), MAX_TRACKED);
        assert_eq!(limiter.check(first, t0() + Duration::seconds(2)), Ok(()));
        // Once their failures are old, a new address clears them all.
        limiter.record_failure(ip("12.0.0.2"), t0() + Duration::minutes(16));
        assert_eq!(lock(&limiter.failures).len(), 1);
    }

    #[test]
    fn tokens_are_random_hex_and_compare_exactly() {
        let a = new_token();
        let b = new_token();
        assert_eq!(a.len(), 64);
        assert!(a
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_ne!(a, b);
        assert!(tokens_match(&a, &a.clone()));
        assert!(!tokens_match(&a, &b));
        let mut last_differs = a.clone();
        last_differs.pop();
        last_differs.push(if a.ends_with('0') { '1' } else { '0' });
        assert!(!tokens_match(&a, &last_differs));
        assert!(!tokens_match(&a, &a[..63]));
        assert!(!tokens_match("", ""));
    }
}
