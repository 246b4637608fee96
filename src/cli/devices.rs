//! `loa devices`: the sound outputs `[output] device` can name.

use std::io::Write;

use crate::lang::Lang;

pub(super) fn run(lang: Lang, out: &mut dyn Write) -> anyhow::Result<i32> {
    let list = crate::player::devices();
    if list.is_empty() {
        writeln!(
            out,
            "{}",
            lang.pick("Không tìm thấy thiết bị âm thanh nào.", "No sound device found.")
        )?;
        return Ok(1);
    }
    for d in list {
        writeln!(out, "{}\t{}", d.id, d.description)?;
    }
    Ok(0)
}
