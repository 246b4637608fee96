//! `loa clips`: the catalog as a table (or JSON), and the files that cannot air.

use std::io::Write;
use std::path::Path;

use comfy_table::{CellAlignment, Table};

use super::{load, mmss, ClipsFormat, Context};
use crate::lang::{Lang, Localize};

pub(super) fn run(
    config: &Path,
    format: ClipsFormat,
    ctx: &Context,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let Some(inputs) = load(config, ctx, lang, err)? else {
        return Ok(1);
    };
    let catalog = &inputs.catalog;
    match format {
        ClipsFormat::Json => {
            let clips: Vec<_> = catalog.clips.values().collect();
            let errors: Vec<_> = catalog
                .errors
                .iter()
                .map(|e| serde_json::json!({"path": e.path, "error": e.localize(lang)}))
                .collect();
            serde_json::to_writer_pretty(&mut *out, &serde_json::json!({"clips": clips, "errors": errors}))?;
            writeln!(out)?;
        }
        ClipsFormat::Table => {
            let mut table = Table::new();
            table.load_preset(super::TABLE_STYLE);
            table.set_header(vec![
                "Clip",
                lang.pick("Định dạng", "Codec"),
                lang.pick("Thời lượng", "Length"),
                "Hz",
                lang.pick("Kênh", "Ch"),
                "SHA-256",
            ]);
            for c in catalog.clips.values() {
                table.add_row(vec![
                    c.id.clone(),
                    c.codec.clone(),
                    mmss(c.duration_ms),
                    c.sample_rate.to_string(),
                    c.channels.to_string(),
                    c.sha256[..16].to_string(),
                ]);
            }
            if let Some(col) = table.column_mut(2) {
                col.set_cell_alignment(CellAlignment::Right);
            }
            writeln!(out, "{table}")?;
            let total: u64 = catalog.clips.values().map(|c| c.duration_ms).sum();
            writeln!(
                out,
                "{} clip, {} {}.",
                catalog.clips.len(),
                lang.pick("tổng", "total"),
                mmss(total)
            )?;
        }
    }
    for w in inputs.warning_lines(lang) {
        writeln!(err, "{}: {w}", lang.pick("lưu ý", "note"))?;
    }
    for e in &catalog.errors {
        writeln!(err, "{}", e.localize(lang))?;
    }
    Ok(if catalog.errors.is_empty() { 0 } else { 1 })
}
