//! `loa log`: the airing log for the officer and the district. `verify`
//! checks the hash chain and prints the head that reports carry, `export`
//! writes CSV or JSON for a date range, `tail` shows the latest airings.
//! Only the station config is read (for `data_dir` and the time zone); no
//! audio is scanned, so these commands are quick on any PC.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use clap::{Subcommand, ValueEnum};
use comfy_table::Table;

use super::{print_errors, Context};
use crate::airing_log::{self, AiringLog, Event, ExportFormat, LogError, Record};
use crate::lang::{Lang, Localize};
use crate::planner::Outcome;
use crate::station::Station;

#[derive(Debug, clap::Args)]
pub(super) struct LogArgs {
    /// Tệp cấu hình đài / the station config file.
    #[arg(long, global = true, default_value = "config/loa.toml")]
    config: PathBuf,
    #[command(subcommand)]
    command: LogCommand,
}

#[derive(Debug, Subcommand)]
enum LogCommand {
    /// Kiểm tra nhật ký chưa bị sửa / check that the log was not edited.
    Verify,
    /// Xuất nhật ký ra CSV hoặc JSON / export the log as CSV or JSON.
    Export {
        /// Từ ngày / first day (YYYY-MM-DD or DD/MM/YYYY), station time.
        #[arg(long)]
        from: Option<String>,
        /// Đến ngày / last day, included.
        #[arg(long)]
        to: Option<String>,
        /// Định dạng / output format.
        #[arg(long, value_enum)]
        format: LogFormat,
        /// Ghi ra tệp thay vì màn hình / write to a file instead of stdout.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Các lượt phát gần nhất / the latest airings.
    Tail {
        /// Số lượt / how many airings.
        #[arg(short = 'n', long = "lines", default_value_t = 20)]
        n: usize,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LogFormat {
    Csv,
    Json,
}

pub(super) fn run(
    args: &LogArgs,
    _ctx: &Context,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let station = match Station::load(&args.config) {
        Ok(s) => s,
        Err(errors) => {
            print_errors(&errors, lang, err)?;
            return Ok(1);
        }
    };
    let log = match AiringLog::open_read_only(&station.data_dir) {
        Ok(log) => log,
        Err(e @ LogError::Missing { .. }) => {
            // Not an error for a new station; for verify and export, there is
            // nothing to vouch for or to hand over, so the exit code says so.
            writeln!(err, "{}.", e.localize(lang))?;
            return Ok(if matches!(args.command, LogCommand::Tail { .. }) {
                0
            } else {
                1
            });
        }
        Err(e) => {
            writeln!(err, "{}", e.localize(lang))?;
            return Ok(1);
        }
    };
    let result = match &args.command {
        LogCommand::Verify => verify(&log, lang, out, err),
        LogCommand::Export {
            from,
            to,
            format,
            output,
        } => export(
            &log,
            &station,
            (from.as_deref(), to.as_deref()),
            *format,
            output.as_deref(),
            lang,
            out,
            err,
        ),
        LogCommand::Tail { n } => tail(&log, &station, *n, lang, out),
    };
    match result {
        Ok(code) => Ok(code),
        Err(Failure::Log(e)) => {
            writeln!(err, "{}", e.localize(lang))?;
            Ok(1)
        }
        Err(Failure::Io(e)) => Err(e.into()),
    }
}

/// What can stop a subcommand: the log (said in the officer's language) or
/// the terminal.
enum Failure {
    Log(LogError),
    Io(std::io::Error),
}

impl From<LogError> for Failure {
    fn from(e: LogError) -> Self {
        Failure::Log(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Io(e)
    }
}

fn verify(log: &AiringLog, lang: Lang, out: &mut dyn Write, err: &mut dyn Write) -> Result<i32, Failure> {
    let v = log.verify()?;
    if v.is_intact() {
        writeln!(out, "{}.", v.localize(lang))?;
        if let (Some(seq), Some(head)) = (v.head_seq, &v.head) {
            // The line to copy onto a report, machine-readable as well.
            writeln!(out, "{} {seq} {head}", lang.pick("Đầu chuỗi:", "Head:"))?;
        }
        return Ok(0);
    }
    writeln!(err, "{}.", v.localize(lang))?;
    writeln!(
        err,
        "{} {}.",
        v.records,
        lang.pick(
            "bản ghi trong tệp; nhật ký này không còn là bằng chứng tin cậy",
            "records in the file; this log can no longer be trusted as proof"
        )
    )?;
    Ok(1)
}

#[allow(clippy::too_many_arguments)] // one call site, each argument a distinct thing
fn export(
    log: &AiringLog,
    station: &Station,
    (from, to): (Option<&str>, Option<&str>),
    format: LogFormat,
    output: Option<&Path>,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, Failure> {
    let tz = station.timezone;
    let from = match super::date_arg(from, lang, err)? {
        Ok(d) => d,
        Err(code) => return Ok(code),
    };
    let to = match super::date_arg(to, lang, err)? {
        Ok(d) => d,
        Err(code) => return Ok(code),
    };
    if let (Some(f), Some(t)) = (from, to) {
        if !super::dates_in_order(f, t, lang, err)? {
            return Ok(2);
        }
    }
    // Station-local days: from 00:00 of --from to 00:00 after --to.
    let from = from.map(|d| local_midnight(tz, d));
    let to = to.and_then(|d| d.succ_opt()).map(|d| local_midnight(tz, d));
    let format = match format {
        LogFormat::Csv => ExportFormat::Csv,
        LogFormat::Json => ExportFormat::Json,
    };
    let n = match output {
        None => {
            let mut buffered = std::io::BufWriter::new(out);
            let n = airing_log::export(log, from, to, tz, format, &mut buffered)?;
            buffered.flush()?;
            n
        }
        Some(path) => export_to_file(path, |w| airing_log::export(log, from, to, tz, format, w))?,
    };
    if let Some(path) = output {
        writeln!(
            err,
            "{} {} ({n} {})",
            lang.pick("Đã ghi", "Wrote"),
            path.display(),
            lang.pick("bản ghi", "records")
        )?;
    }
    Ok(0)
}

/// A `--from`/`--to` value; the text itself when it is not a date.
/// Streams an export into a temporary file beside `path` and renames it
/// into place, so nobody opens half an export (the streaming twin of
/// `write_atomically`: a year of records need not sit in memory).
fn export_to_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<u64, LogError>,
) -> Result<u64, Failure> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp"));
    let result = (|| {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        let n = write(&mut w)?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&tmp, path)?;
        Ok(n)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The first instant of `day` in `tz` (the planner's rule for DST gaps).
fn local_midnight(tz: Tz, day: NaiveDate) -> DateTime<Utc> {
    crate::planner::local_instant(tz, day, NaiveTime::MIN).with_timezone(&Utc)
}

/// One airing: its start and end records, either possibly absent.
struct Airing {
    start: Option<Record>,
    end: Option<Record>,
}

impl Airing {
    fn any(&self) -> &Record {
        self.end
            .as_ref()
            .or(self.start.as_ref())
            .expect("an airing has a record")
    }
}

fn tail(
    log: &AiringLog,
    station: &Station,
    n: usize,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<i32, Failure> {
    // Two records per airing at most; a few more so that the oldest airing
    // shown is not missing its start when airings overlap (an emergency).
    let records = log.latest(n.saturating_mul(2).saturating_add(4))?;
    let mut airings: Vec<(String, Airing)> = Vec::new();
    for r in records {
        let i = match airings.iter().rposition(|(id, _)| *id == r.airing_id) {
            Some(i) => i,
            None => {
                airings.push((
                    r.airing_id.clone(),
                    Airing {
                        start: None,
                        end: None,
                    },
                ));
                airings.len() - 1
            }
        };
        match r.event {
            Event::Start => airings[i].1.start = Some(r),
            Event::End => airings[i].1.end = Some(r),
        }
    }
    let skip = airings.len().saturating_sub(n);
    writeln!(
        out,
        "{} · {} · {} {}",
        lang.pick("Nhật ký phát", "Airing log"),
        station.name,
        airings.len() - skip,
        lang.pick("lượt gần nhất", "latest airings")
    )?;
    if airings.is_empty() {
        writeln!(
            out,
            "{}",
            lang.pick("(chưa có lượt phát nào)", "(no airings yet)")
        )?;
        return Ok(0);
    }
    let mut t = Table::new();
    t.load_preset(super::TABLE_STYLE);
    t.set_header(vec![
        lang.pick("Giờ dự kiến", "Planned"),
        "Clip",
        lang.pick("Văn bản", "Directive"),
        lang.pick("Loại", "Kind"),
        lang.pick("Kết quả", "Outcome"),
        lang.pick("Lý do", "Reason"),
    ]);
    let time_format = lang.pick("%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S");
    for (_, a) in &airings[skip..] {
        let r = a.any();
        let outcome = match a.end.as_ref().and_then(|e| e.outcome) {
            Some(o) => outcome_label(o, lang),
            None => lang.pick("đang phát hoặc bị dừng đột ngột", "playing, or stopped abruptly"),
        };
        t.add_row(vec![
            r.planned
                .with_timezone(&station.timezone)
                .format(time_format)
                .to_string(),
            r.clip.clone(),
            r.directive.clone().unwrap_or_default(),
            r.kind.localize(lang),
            outcome.to_string(),
            a.end.as_ref().and_then(|e| e.reason.clone()).unwrap_or_default(),
        ]);
    }
    writeln!(out, "{t}")?;
    Ok(0)
}

fn outcome_label(o: Outcome, lang: Lang) -> &'static str {
    match o {
        Outcome::Completed => lang.pick("đã phát xong", "completed"),
        Outcome::Interrupted => lang.pick("bị ngắt giữa chừng", "interrupted"),
        Outcome::Failed => lang.pick("không phát được", "failed"),
        Outcome::Missed => lang.pick("bị lỡ", "missed"),
    }
}
