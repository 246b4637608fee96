//! `loa directive import FILE`: reads a directive (.txt or .docx) and
//! writes a draft `schedules/*.toml` with every value quoted from the
//! text, for the officer to check; `--json` prints the extraction instead.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{write_atomically, ConfigArg, Context};
use crate::directive_import::{self, Extraction};
use crate::lang::{Lang, Localize};
use crate::station::Station;

/// `loa directive ...`
#[derive(Debug, clap::Subcommand)]
pub(super) enum DirectiveCommand {
    /// Đọc công văn, kế hoạch thành bản nháp lịch / read a directive into a draft schedule.
    Import(ImportArgs),
}

#[derive(Debug, clap::Args)]
pub(super) struct ImportArgs {
    /// Tệp văn bản (.txt, .docx) / the document (.txt, .docx).
    file: PathBuf,
    /// Tệp nháp sẽ ghi / the draft to write; default schedules/<số-ký-hiệu>.toml of the station.
    #[arg(long)]
    output: Option<PathBuf>,
    /// In kết quả đọc dạng JSON, không ghi tệp trừ khi có --output / print the extraction as JSON;
    /// writes no file unless --output is given.
    #[arg(long)]
    json: bool,
    /// Ghi đè tệp đã có / overwrite an existing file.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    config: ConfigArg,
}

pub(super) fn run(
    cmd: &DirectiveCommand,
    ctx: &Context,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    match cmd {
        DirectiveCommand::Import(a) => import(a, ctx, lang, out, err),
    }
}

fn import(
    a: &ImportArgs,
    ctx: &Context,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let text = match directive_import::read_document(&a.file) {
        Ok(t) => t,
        Err(e) => {
            writeln!(err, "{}: {}", a.file.display(), e.localize(lang))?;
            return Ok(1);
        }
    };
    let x = directive_import::extract(&text);
    // The station, when there is one, gives the schedules folder and the
    // time zone of "today".
    let station = Station::load(&a.config.config).ok();
    let tz = station
        .as_ref()
        .map_or(chrono_tz::Asia::Ho_Chi_Minh, |s| s.timezone);
    let today = ctx.now.with_timezone(&tz).date_naive();
    if a.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&x)?)?;
        if a.output.is_none() {
            return Ok(0);
        }
    }
    let path = match &a.output {
        Some(p) => p.clone(),
        None => default_path(station.as_ref(), &directive_import::file_stem(&x)),
    };
    let existed = path.exists();
    if existed && !a.force {
        writeln!(
            err,
            "{}",
            match lang {
                Lang::Vi => format!(
                    "{} đã có, không ghi đè: chọn --output khác hoặc thêm --force để ghi đè",
                    path.display()
                ),
                Lang::En => format!(
                    "{} exists and was not overwritten: pick another --output or add --force",
                    path.display()
                ),
            }
        )?;
        return Ok(1);
    }
    let name = a.file.file_name().map_or_else(
        || a.file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let draft = directive_import::draft_toml(&x, &name, today, lang);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    write_atomically(&path, draft.as_bytes())?;
    if !a.json {
        summary(&x, lang, out)?;
    }
    let said = match (lang, existed) {
        (Lang::Vi, false) => format!("Đã ghi bản nháp: {}", path.display()),
        (Lang::Vi, true) => format!("Đã ghi đè bản nháp: {}", path.display()),
        (Lang::En, false) => format!("Draft written: {}", path.display()),
        (Lang::En, true) => format!("Draft overwritten: {}", path.display()),
    };
    // With --json, stdout carries only the JSON.
    let to: &mut dyn Write = if a.json { err } else { out };
    writeln!(to, "{said}")?;
    writeln!(
        to,
        "{}",
        lang.pick(
            "Đối chiếu từng giá trị với câu gốc trong tệp, điền clips = [...], rồi chạy `loa check`.",
            "Check each value against its quoted source, fill in clips = [...], then run `loa check`."
        )
    )?;
    Ok(0)
}

/// `schedules/<stem>.toml` of the station; without a usable station, a
/// `schedules` folder here if there is one, else the current folder.
fn default_path(station: Option<&Station>, stem: &str) -> PathBuf {
    let dir = match station {
        Some(s) => s.schedules_dir.clone(),
        None if Path::new("schedules").is_dir() => PathBuf::from("schedules"),
        None => PathBuf::new(),
    };
    dir.join(format!("{stem}.toml"))
}

fn summary(x: &Extraction, lang: Lang, out: &mut dyn Write) -> std::io::Result<()> {
    for row in directive_import::review_rows(x, lang) {
        if row.quote.is_empty() || row.quote == row.value {
            writeln!(out, "{}: {}", row.label, row.value)?;
        } else if row.value.starts_with(&row.quote) {
            writeln!(
                out,
                "{}: «{}»{}",
                row.label,
                row.quote,
                &row.value[row.quote.len()..]
            )?;
        } else {
            writeln!(out, "{}: {} «{}»", row.label, row.value, row.quote)?;
        }
    }
    let flags = directive_import::review_flags(x, lang);
    if !flags.is_empty() {
        writeln!(out, "{}:", lang.pick("Cần kiểm tra", "To check"))?;
        for f in flags {
            writeln!(out, "  - {f}")?;
        }
    }
    Ok(())
}
