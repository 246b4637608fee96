//! `loa user` as an officer (or a setup script) runs it, on a temporary
//! copy of the sample station: passwords go in on standard input, the
//! accounts come out in `data/users.toml` as argon2id hashes, owner-only.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use loa::web::auth::Users;

/// The sample station's config in a temporary folder (its data folder,
/// `data/`, does not exist yet: the first `add` makes it).
struct Station {
    dir: tempfile::TempDir,
}

struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Station {
    fn sample() -> Station {
        let dir = tempfile::tempdir().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::create_dir(dir.path().join("config")).unwrap();
        std::fs::copy(repo.join("config/loa.toml"), dir.path().join("config/loa.toml")).unwrap();
        Station { dir }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn users_file(&self) -> PathBuf {
        self.data().join("users.toml")
    }

    fn users_text(&self) -> String {
        std::fs::read_to_string(self.users_file()).unwrap()
    }

    /// Runs `loa ARGS` with `stdin` piped in (so not a terminal), in
    /// Vietnamese unless the arguments say otherwise.
    fn run(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_loa"))
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("LANG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        let o = Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        };
        assert!(!o.stderr.contains("panicked"), "loa panicked: {}", o.stderr);
        o
    }

    fn add(&self, name: &str, password: &str) -> Output {
        self.run(
            &["user", "add", name, "--password-stdin"],
            &format!("{password}\n"),
        )
    }
}

/// The hash stored for `name`, read from the file's `name = "hash"` line.
fn hash_of(text: &str, name: &str) -> String {
    text.lines()
        .find_map(|l| {
            let (k, v) = l.split_once(" = ")?;
            (k.trim_matches('"') == name).then(|| v.trim_matches('"').to_string())
        })
        .unwrap_or_else(|| panic!("no {name} in {text}"))
}

#[test]
fn add_stores_an_argon2id_hash_in_an_owner_only_file() {
    let st = Station::sample();
    let o = st.add("an", "Hoa sen nở 2026");
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout.trim(), "Đã thêm người dùng \"an\"");
    let text = st.users_text();
    assert!(hash_of(&text, "an").starts_with("$argon2id$v=19$"), "{text}");
    assert!(!text.contains("Hoa sen"), "{text}");
    let mode = std::fs::metadata(st.users_file()).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let users = Users::load(&st.data()).unwrap();
    assert!(users.verify("an", "Hoa sen nở 2026"));
    // The line ending is not part of the password.
    assert!(!users.verify("an", "Hoa sen nở 2026\n"));
}

#[test]
fn add_again_changes_the_password_and_stdin_need_not_be_asked_for() {
    let st = Station::sample();
    assert_eq!(st.add("an", "first password").code, 0);
    let before = hash_of(&st.users_text(), "an");
    // Piped stdin without --password-stdin, with a Windows line ending.
    let o = st.run(&["user", "add", "an"], "second password\r\n");
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout.trim(), "Đã đổi mật khẩu của \"an\"");
    let after = hash_of(&st.users_text(), "an");
    assert_ne!(before, after);
    let users = Users::load(&st.data()).unwrap();
    assert!(users.verify("an", "second password"));
    assert!(!users.verify("an", "first password"));
}

#[test]
fn list_shows_the_names_and_remove_takes_one_out() {
    let st = Station::sample();
    let o = st.run(&["user", "list"], "");
    assert_eq!((o.code, o.stdout.as_str()), (0, ""));
    assert!(o.stderr.contains("Chưa có người dùng"), "{}", o.stderr);

    assert_eq!(st.add("Nguyễn_Văn.An", "password one").code, 0);
    assert_eq!(st.add("binh-2", "password two").code, 0);
    let o = st.run(&["user", "list"], "");
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout, "Nguyễn_Văn.An\nbinh-2\n");

    let o = st.run(&["user", "remove", "binh-2"], "");
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout.trim(), "Đã xoá người dùng \"binh-2\"");
    assert_eq!(st.run(&["user", "list"], "").stdout, "Nguyễn_Văn.An\n");
    let mode = std::fs::metadata(st.users_file()).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    let before = st.users_text();
    let o = st.run(&["user", "remove", "binh-2"], "");
    assert_eq!(o.code, 1);
    assert_eq!(o.stderr.trim(), "Không có người dùng \"binh-2\"");
    assert_eq!(st.users_text(), before);
}

#[test]
fn a_short_password_is_refused_and_nothing_changes() {
    let st = Station::sample();
    let o = st.add("an", "1234567");
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("mật khẩu quá ngắn: cần ít nhất 8 ký tự"),
        "{}",
        o.stderr
    );
    assert!(!st.users_file().exists());

    assert_eq!(st.add("an", "12345678").code, 0);
    let before = st.users_text();
    let o = st.add("an", "short");
    assert_eq!(o.code, 2);
    assert_eq!(st.users_text(), before);
    let o = st.run(&["user", "add", "an"], "");
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("Không có mật khẩu"), "{}", o.stderr);
    assert_eq!(st.users_text(), before);
}

#[test]
fn a_bad_name_is_refused_saying_what_is_allowed() {
    let st = Station::sample();
    for name in ["an ninh", "an@xa", "", &"x".repeat(33)] {
        let o = st.add(name, "long enough password");
        assert_eq!(o.code, 2, "{name:?}");
        assert!(o.stderr.contains("không hợp lệ"), "{name:?}: {}", o.stderr);
        assert!(o.stderr.contains("1–32 ký tự"), "{}", o.stderr);
    }
    assert!(!st.users_file().exists());
}

#[test]
fn english_on_request() {
    let st = Station::sample();
    let o = st.run(
        &["user", "add", "an", "--password-stdin", "--lang", "en"],
        "long enough\n",
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout.trim(), "User \"an\" added");
    let o = st.run(&["--lang", "en", "user", "add", "an"], "short\n");
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .contains("the password is too short: it needs at least 8 characters"),
        "{}",
        o.stderr
    );
    let o = st.run(&["--lang", "en", "user", "add", "a b"], "long enough\n");
    assert!(
        o.stderr
            .contains("user name \"a b\" is not valid: use 1–32 characters"),
        "{}",
        o.stderr
    );
    let o = st.run(&["--lang", "en", "user", "remove", "binh"], "");
    assert_eq!((o.code, o.stderr.trim()), (1, "There is no user \"binh\""));
}

#[test]
fn a_broken_station_or_users_file_is_reported_with_its_place() {
    let st = Station::sample();
    std::fs::write(st.dir.path().join("config/loa.toml"), "[station\n").unwrap();
    let o = st.run(&["user", "list"], "");
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("loa.toml:1"), "{}", o.stderr);

    let st = Station::sample();
    std::fs::create_dir(st.data()).unwrap();
    std::fs::write(st.users_file(), "[users]\nan = \"not a hash\"\n").unwrap();
    for args in [&["user", "list"][..], &["user", "remove", "an"][..]] {
        let o = st.run(args, "");
        assert_eq!(o.code, 1, "{args:?}");
        assert!(o.stderr.contains("users.toml:2:"), "{}", o.stderr);
        assert!(o.stderr.contains("argon2id"), "{}", o.stderr);
    }
    let o = st.add("binh", "long enough");
    assert_eq!(o.code, 1);
    assert_eq!(st.users_text(), "[users]\nan = \"not a hash\"\n");
}
