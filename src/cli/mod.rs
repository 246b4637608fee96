//! The command line: argument parsing and one file per subcommand. Each
//! subcommand writes to the streams it is given and returns the exit code,
//! so tests run the real commands in-process as well as through the binary.

mod check;
mod clips;
mod deadlines;
mod devices;
mod directive;
mod log;
mod plan;
mod play_now;
mod report;
mod run;
mod user;

use crate::fsutil::write_atomically;
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand, ValueEnum};

use crate::error::ConfigError;
use crate::inputs::Inputs;
use crate::lang::{Lang, Localize};

/// What the program gets from outside besides its arguments.
#[derive(Debug, Clone)]
pub struct Context {
    /// The current instant, from the clock.
    pub now: DateTime<Utc>,
    /// The `LANG` environment variable.
    pub lang_env: Option<String>,
}

#[derive(Debug, Parser)]
#[command(
    name = "loa",
    version,
    about = "Tự động phát thanh cho đài truyền thanh cấp xã / Autopilot for a commune loudspeaker station"
)]
struct Args {
    /// Ngôn ngữ thông báo / message language (vi, en); mặc định theo LANG.
    #[arg(long, global = true, value_parser = ["vi", "en"])]
    lang: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Args)]
struct ConfigArg {
    /// Tệp cấu hình đài / the station config file.
    #[arg(long, default_value = "config/loa.toml")]
    config: PathBuf,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Kiểm tra cấu hình, văn bản và clip / validate config, directives and clips.
    Check(ConfigArg),
    /// Danh mục clip / the clip catalog.
    Clips {
        #[command(flatten)]
        config: ConfigArg,
        /// Định dạng / output format.
        #[arg(long, value_enum, default_value_t = ClipsFormat::Table)]
        format: ClipsFormat,
    },
    /// Lập lịch phát / plan the calendar.
    Plan {
        #[command(flatten)]
        config: ConfigArg,
        /// Từ ngày / first day (YYYY-MM-DD or DD/MM/YYYY); default today.
        #[arg(long)]
        from: Option<String>,
        /// Đến ngày / last day, included; default 6 days after --from.
        #[arg(long)]
        to: Option<String>,
        /// Định dạng / output format.
        #[arg(long, value_enum, default_value_t = PlanFormat::Table)]
        format: PlanFormat,
        /// Ghi ra tệp thay vì màn hình / write to a file instead of stdout.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Nhật ký phát: kiểm tra, xuất, xem / the airing log: verify, export, tail.
    Log(log::LogArgs),
    /// Báo cáo kết quả phát sóng / the compliance report.
    Report {
        #[command(flatten)]
        config: ConfigArg,
        /// Chỉ một văn bản / only this directive (its number).
        #[arg(long)]
        directive: Option<String>,
        /// Từ ngày / first day; default the first of this month.
        #[arg(long)]
        from: Option<String>,
        /// Đến ngày / last day; default today.
        #[arg(long)]
        to: Option<String>,
        /// Định dạng / output format.
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
        /// Ghi ra tệp / write to a file.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Hạn báo cáo sắp tới / the report deadlines ahead.
    Deadlines(ConfigArg),
    /// Văn bản chỉ đạo: nhập từ công văn / directives: import from a document.
    #[command(subcommand)]
    Directive(directive::DirectiveCommand),
    /// Tài khoản đăng nhập trang web / web page logins.
    #[command(subcommand)]
    User(user::UserCommand),
    /// Chạy phát tự động / run the playout daemon.
    Run(ConfigArg),
    /// Các thiết bị âm thanh / list the sound outputs.
    Devices,
    /// Phát ngay một clip qua chương trình đang chạy / play a clip now through the running daemon.
    PlayNow {
        #[command(flatten)]
        config: ConfigArg,
        /// Mã clip / the clip id.
        clip: String,
        /// manual (chỉ trong khung giờ / only inside a window) hoặc emergency (ngay lập tức / at once).
        #[arg(long, value_parser = ["manual", "emergency"], default_value = "manual")]
        level: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ClipsFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ReportFormat {
    Table,
    Csv,
    Json,
    Xlsx,
    Docx,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum PlanFormat {
    Table,
    Json,
    Ics,
}

/// Runs `loa` with `args` (program name first); returns the exit code:
/// 0 all well, 1 a problem with the station's files, 2 a usage error.
pub fn run(
    args: impl IntoIterator<Item = OsString>,
    ctx: &Context,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let args = match Args::try_parse_from(args) {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let text = e.render().to_string();
            let _ = if code == 0 {
                write!(out, "{text}")
            } else {
                write!(err, "{text}")
            };
            return code;
        }
    };
    let lang = Lang::choose(args.lang.as_deref(), ctx.lang_env.as_deref());
    let result = match &args.command {
        Command::Check(c) => check::run(&c.config, ctx, lang, out, err),
        Command::Clips { config, format } => clips::run(&config.config, *format, ctx, lang, out, err),
        Command::Plan {
            config,
            from,
            to,
            format,
            output,
        } => plan::run(
            plan::Options {
                config: &config.config,
                from: from.as_deref(),
                to: to.as_deref(),
                format: *format,
                output: output.as_deref(),
            },
            ctx,
            lang,
            out,
            err,
        ),
        Command::Log(a) => log::run(a, ctx, lang, out, err),
        Command::Run(c) => run::run(&c.config, ctx, lang),
        Command::Report {
            config,
            directive,
            from,
            to,
            format,
            output,
        } => report::run(
            report::Options {
                config: &config.config,
                directive: directive.as_deref(),
                from: from.as_deref(),
                to: to.as_deref(),
                format: *format,
                output: output.as_deref(),
            },
            ctx,
            lang,
            out,
            err,
        ),
        Command::Deadlines(c) => deadlines::run(&c.config, ctx, lang, out, err),
        Command::Directive(d) => directive::run(d, ctx, lang, out, err),
        Command::User(u) => user::run(u, lang, out, err),
        Command::Devices => devices::run(lang, out),
        Command::PlayNow { config, clip, level } => {
            play_now::run(&config.config, clip, level == "emergency", lang, out, err)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "{}: {e:#}", lang.pick("lỗi", "error"));
            1
        }
    }
}

/// Loads the station, printing config errors; `None` when it cannot be used.
fn load(
    config: &std::path::Path,
    ctx: &Context,
    lang: Lang,
    err: &mut dyn Write,
) -> std::io::Result<Option<Inputs>> {
    match Inputs::load(config, ctx.now) {
        Ok(i) => Ok(Some(i)),
        Err(errors) => {
            print_errors(&errors, lang, err)?;
            Ok(None)
        }
    }
}

fn print_errors(errors: &[ConfigError], lang: Lang, err: &mut dyn Write) -> std::io::Result<()> {
    for e in errors {
        writeln!(err, "{}", e.localize(lang))?;
    }
    Ok(())
}

/// Parses an optional `--from`/`--to` day; `Err(2)` after saying why not.
fn date_arg(
    value: Option<&str>,
    lang: Lang,
    err: &mut dyn Write,
) -> std::io::Result<Result<Option<chrono::NaiveDate>, i32>> {
    let Some(s) = value else { return Ok(Ok(None)) };
    if let Some(d) = crate::source::parse_date_text(s) {
        return Ok(Ok(Some(d)));
    }
    writeln!(
        err,
        "{}",
        match lang {
            Lang::Vi => format!("ngày \"{s}\" không hợp lệ, cần dạng 2026-11-30 hoặc 30/11/2026"),
            Lang::En => format!("date \"{s}\" is not valid, expected 2026-11-30 or 30/11/2026"),
        }
    )?;
    Ok(Err(2))
}

/// Whether `--to` is not before `--from`; says so when it is.
fn dates_in_order(
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    lang: Lang,
    err: &mut dyn Write,
) -> std::io::Result<bool> {
    if to >= from {
        return Ok(true);
    }
    writeln!(
        err,
        "{}",
        match lang {
            Lang::Vi => format!("--to {to} trước --from {from}"),
            Lang::En => format!("--to {to} is before --from {from}"),
        }
    )?;
    Ok(false)
}

/// Tables: a header rule and column separators, no lines between rows.
const TABLE_STYLE: &str = "     ═╪ ┆          ";

/// Formats milliseconds as m:ss.
fn mmss(ms: u64) -> String {
    let s = ms.div_ceil(1000);
    format!("{}:{:02}", s / 60, s % 60)
}
