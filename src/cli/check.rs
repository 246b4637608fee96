//! `loa check`: validates the config, every directive and every clip, and
//! says exactly what is wrong and where. Exit code 0 only when all is well.

use std::io::Write;
use std::path::Path;

use super::{load, Context};
use crate::lang::Lang;

pub(super) fn run(
    config: &Path,
    ctx: &Context,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let Some(inputs) = load(config, ctx, lang, err)? else {
        return Ok(1);
    };
    for w in inputs.warning_lines(lang) {
        writeln!(err, "{}: {w}", lang.pick("lưu ý", "note"))?;
    }
    let problems = inputs.problem_lines(lang);
    for p in &problems {
        writeln!(err, "{p}")?;
    }
    if problems.is_empty() {
        writeln!(
            out,
            "{} {}: {} {}, {} {}, {} clip.",
            lang.pick("Hợp lệ", "Valid"),
            inputs.station.name,
            inputs.station.windows.len(),
            lang.pick("khung giờ", "windows"),
            inputs.directives.len(),
            lang.pick("văn bản", "directives"),
            inputs.catalog.clips.len(),
        )?;
        Ok(0)
    } else {
        writeln!(
            err,
            "{} {}.",
            problems.len(),
            lang.pick("lỗi cần sửa", "problems to fix")
        )?;
        Ok(1)
    }
}
