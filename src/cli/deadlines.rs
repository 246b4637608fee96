//! `loa deadlines`: the reports that fall due next, for which period.

use std::io::Write;
use std::path::Path;

use comfy_table::Table;

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
    let today = ctx.now.with_timezone(&inputs.station.timezone).date_naive();
    let mut rows = crate::deadline::upcoming(&inputs.directives, today);
    rows.sort_by(|a, b| (a.1.date, &a.0).cmp(&(b.1.date, &b.0)));
    if rows.is_empty() {
        writeln!(
            out,
            "{}",
            lang.pick("Không có hạn báo cáo nào sắp tới.", "No report deadline ahead.")
        )?;
        return Ok(0);
    }
    let mut t = Table::new();
    t.load_preset(super::TABLE_STYLE);
    t.set_header(vec![
        lang.pick("Hạn (trước ngày)", "Due before"),
        lang.pick("Còn", "Days left"),
        lang.pick("Văn bản", "Directive"),
        lang.pick("Kỳ báo cáo", "Period"),
    ]);
    for (number, due) in rows {
        t.add_row(vec![
            due.date.format("%d/%m/%Y").to_string(),
            format!("{} {}", (due.date - today).num_days(), lang.pick("ngày", "days")),
            number,
            format!(
                "{} – {}",
                due.period_start.format("%d/%m/%Y"),
                due.period_end.format("%d/%m/%Y")
            ),
        ]);
    }
    writeln!(out, "{t}")?;
    Ok(0)
}
