//! `loa user add|list|remove`: the accounts that may log in to the web page
//! when `loa run` serves it beyond this PC (`data/users.toml`, see
//! [`crate::web::auth`]). Passwords are asked twice without echo on a
//! terminal, or read as one line from standard input for scripts.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use super::ConfigArg;
use crate::lang::{Lang, Localize};
use crate::station::Station;
use crate::web::auth::{self, AuthError, Users};

/// `loa user ...`
#[derive(Debug, clap::Subcommand)]
pub(super) enum UserCommand {
    /// Thêm người dùng hoặc đổi mật khẩu / add a user or change their password.
    Add(AddArgs),
    /// Danh sách người dùng / list the users.
    List(ConfigArg),
    /// Xoá người dùng / remove a user.
    Remove(RemoveArgs),
}

#[derive(Debug, clap::Args)]
pub(super) struct AddArgs {
    /// Tên đăng nhập / the user name (1–32 letters, digits, . _ -).
    name: String,
    /// Đọc mật khẩu từ một dòng của đầu vào chuẩn / read the password as one line from stdin.
    #[arg(long)]
    password_stdin: bool,
    #[command(flatten)]
    config: ConfigArg,
}

#[derive(Debug, clap::Args)]
pub(super) struct RemoveArgs {
    /// Tên đăng nhập / the user name.
    name: String,
    #[command(flatten)]
    config: ConfigArg,
}

pub(super) fn run(
    cmd: &UserCommand,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let config = match cmd {
        UserCommand::Add(a) => &a.config.config,
        UserCommand::List(c) => &c.config,
        UserCommand::Remove(r) => &r.config.config,
    };
    let Some((data_dir, mut users)) = load(config, lang, err)? else {
        return Ok(1);
    };
    match cmd {
        UserCommand::Add(a) => add(a, &data_dir, &mut users, lang, out, err),
        UserCommand::List(_) => {
            if users.is_empty() {
                writeln!(
                    err,
                    "{}",
                    lang.pick(
                        "Chưa có người dùng nào: trang web chỉ mở được trên chính máy này. Thêm bằng: loa user add TÊN",
                        "No users yet: the web page opens on this PC only. Add one with: loa user add NAME",
                    )
                )?;
            }
            for name in users.names() {
                writeln!(out, "{name}")?;
            }
            Ok(0)
        }
        UserCommand::Remove(r) => {
            if !users.remove(&r.name) {
                let said = match lang {
                    Lang::Vi => format!("Không có người dùng \"{}\"", r.name),
                    Lang::En => format!("There is no user \"{}\"", r.name),
                };
                writeln!(err, "{said}")?;
                return Ok(1);
            }
            if let Err(e) = users.save(&data_dir) {
                writeln!(err, "{}", e.localize(lang))?;
                return Ok(1);
            }
            let said = match lang {
                Lang::Vi => format!("Đã xoá người dùng \"{}\"", r.name),
                Lang::En => format!("User \"{}\" removed", r.name),
            };
            writeln!(out, "{said}")?;
            Ok(0)
        }
    }
}

/// The station's data folder and its accounts; `None` after saying why not.
fn load(
    config: &Path,
    lang: Lang,
    err: &mut dyn Write,
) -> std::io::Result<Option<(std::path::PathBuf, Users)>> {
    let station = match Station::load(config) {
        Ok(s) => s,
        Err(errors) => {
            super::print_errors(&errors, lang, err)?;
            return Ok(None);
        }
    };
    match Users::load(&station.data_dir) {
        Ok(users) => Ok(Some((station.data_dir, users))),
        Err(e) => {
            writeln!(err, "{}", e.localize(lang))?;
            Ok(None)
        }
    }
}

fn add(
    a: &AddArgs,
    data_dir: &Path,
    users: &mut Users,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    // A bad name is said before the password is asked for.
    let name = match auth::check_name(&a.name) {
        Ok(n) => n,
        Err(e) => return refuse(&e, lang, err),
    };
    let stdin = std::io::stdin();
    let password = if a.password_stdin || !stdin.is_terminal() {
        match read_line(&mut stdin.lock()) {
            Ok(Some(p)) => p,
            Ok(None) => {
                writeln!(
                    err,
                    "{}",
                    lang.pick(
                        "Không có mật khẩu ở đầu vào chuẩn: hãy gửi mật khẩu trên một dòng",
                        "No password on standard input: send it as one line",
                    )
                )?;
                return Ok(2);
            }
            Err(e) => {
                let said = match lang {
                    Lang::Vi => format!("Không đọc được mật khẩu từ đầu vào chuẩn: {e}"),
                    Lang::En => format!("Cannot read the password from standard input: {e}"),
                };
                writeln!(err, "{said}")?;
                return Ok(2);
            }
        }
    } else {
        match ask_twice(&name, lang, err)? {
            Some(p) => p,
            None => return Ok(2),
        }
    };
    let existed = users.contains(&name);
    if let Err(e) = users.set_password(&name, &password) {
        return refuse(&e, lang, err);
    }
    if let Err(e) = users.save(data_dir) {
        writeln!(err, "{}", e.localize(lang))?;
        return Ok(1);
    }
    let said = match (lang, existed) {
        (Lang::Vi, false) => format!("Đã thêm người dùng \"{name}\""),
        (Lang::Vi, true) => format!("Đã đổi mật khẩu của \"{name}\""),
        (Lang::En, false) => format!("User \"{name}\" added"),
        (Lang::En, true) => format!("Password of \"{name}\" changed"),
    };
    writeln!(out, "{said}")?;
    Ok(0)
}

/// Says why a name or password was refused; exit code 2 (bad input).
fn refuse(e: &AuthError, lang: Lang, err: &mut dyn Write) -> anyhow::Result<i32> {
    writeln!(err, "{}", e.localize(lang))?;
    Ok(match e {
        AuthError::BadName { .. } | AuthError::PasswordTooShort { .. } => 2,
        _ => 1,
    })
}

/// One line without its line ending; `None` when the input is empty.
fn read_line(input: &mut dyn BufRead) -> std::io::Result<Option<String>> {
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let end = line.trim_end_matches(['\n', '\r']).len();
    line.truncate(end);
    Ok(Some(line))
}

/// Asks for the password twice on the terminal, without echo; `None` after
/// saying why when the two differ or the first is too short.
fn ask_twice(name: &str, lang: Lang, err: &mut dyn Write) -> anyhow::Result<Option<String>> {
    let first = rpassword::prompt_password(match lang {
        Lang::Vi => format!("Mật khẩu mới cho \"{name}\": "),
        Lang::En => format!("New password for \"{name}\": "),
    })?;
    if let Err(e) = auth::check_password(&first) {
        writeln!(err, "{}", e.localize(lang))?;
        return Ok(None);
    }
    let second = rpassword::prompt_password(lang.pick("Nhập lại mật khẩu: ", "Repeat the password: "))?;
    if first != second {
        writeln!(
            err,
            "{}",
            lang.pick(
                "Hai lần nhập không giống nhau: mật khẩu chưa được đổi",
                "The two entries differ: the password was not changed",
            )
        )?;
        return Ok(None);
    }
    Ok(Some(first))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_loses_its_ending_only() {
        let mut input: &[u8] = b" pass word \r\nnext\n";
        assert_eq!(read_line(&mut input).unwrap().as_deref(), Some(" pass word "));
        let mut input: &[u8] = b"no newline";
        assert_eq!(read_line(&mut input).unwrap().as_deref(), Some("no newline"));
        let mut input: &[u8] = b"";
        assert_eq!(read_line(&mut input).unwrap(), None);
    }
}
