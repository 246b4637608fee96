//! The report as an Excel workbook (rust_xlsxwriter): a summary sheet with
//! the per-period results, a sheet with every airing (dates as dates), and a
//! sheet per-day with a chart of airings against the quota for each
//! directive with a daily quota, so an officer can see a bad week at once.

use rust_xlsxwriter::{Chart, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::lang::Lang;
use crate::report::Report;
use crate::report_format::{kind_label, outcome_label, result_label, summary_line};

/// The workbook's bytes.
pub fn to_xlsx(r: &Report, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let header = Format::new()
        .set_bold()
        .set_background_color("#DDEBF7")
        .set_text_wrap();
    let date = Format::new()
        .set_num_format("dd/mm/yyyy")
        .set_align(FormatAlign::Left);
    let time = Format::new()
        .set_num_format("dd/mm/yyyy hh:mm:ss")
        .set_align(FormatAlign::Left);
    let percent = Format::new().set_num_format("0.0\"%\"");

    // Summary.
    {
        let ws = book.add_worksheet().set_name(lang.pick("Tổng hợp", "Summary"))?;
        ws.write_string_with_format(
            0,
            0,
            format!(
                "{} · {} · {} – {}",
                lang.pick("BÁO CÁO KẾT QUẢ PHÁT SÓNG", "BROADCAST RESULTS"),
                r.station,
                r.from.format("%d/%m/%Y"),
                r.to.format("%d/%m/%Y")
            ),
            &bold,
        )?;
        let head = match &r.log_head {
            Some(h) => format!(
                "{} {} · {}",
                lang.pick("Nhật ký phát: bản ghi cuối số", "Airing log: last record"),
                h.seq,
                h.hash
            ),
            None => lang
                .pick("Nhật ký phát: chưa có bản ghi", "Airing log: no records")
                .to_string(),
        };
        ws.write_string(1, 0, head)?;
        let cols = [
            (lang.pick("Văn bản", "Directive"), 18.0),
            (lang.pick("Từ ngày", "From"), 12.0),
            (lang.pick("Đến ngày", "To"), 12.0),
            (lang.pick("Cần", "Required"), 8.0),
            (lang.pick("Đã phát", "Aired"), 9.0),
            (lang.pick("Phát bù", "Make-ups"), 9.0),
            (lang.pick("Lỡ", "Missed"), 7.0),
            (lang.pick("Lỗi", "Failed"), 7.0),
            (lang.pick("Bị ngắt", "Cut"), 8.0),
            (lang.pick("Kết quả", "Result"), 16.0),
            (lang.pick("Lý do", "Reasons"), 50.0),
        ];
        let mut row = 3;
        for d in &r.directives {
            ws.write_string_with_format(row, 0, summary_line(d, lang), &bold)?;
            ws.write_number_with_format(row, 9, d.percent, &percent)?;
            if let Some(s) = &d.subject {
                ws.write_string(row + 1, 0, s)?;
            }
            row += 2;
            for (c, (name, width)) in cols.iter().enumerate() {
                ws.write_string_with_format(row, c as u16, *name, &header)?;
                ws.set_column_width(c as u16, *width)?;
            }
            row += 1;
            for p in &d.periods {
                ws.write_string(row, 0, &d.number)?;
                ws.write_datetime_with_format(row, 1, p.start, &date)?;
                ws.write_datetime_with_format(row, 2, p.end, &date)?;
                for (c, v) in [p.required, p.aired, p.make_ups, p.missed, p.failed, p.interrupted]
                    .iter()
                    .enumerate()
                {
                    ws.write_number(row, 3 + c as u16, f64::from(*v))?;
                }
                ws.write_string(row, 9, result_label(p.met, p.open, lang))?;
                ws.write_string(row, 10, p.reasons.join("; "))?;
                row += 1;
            }
            for c in &d.content {
                ws.write_string(
                    row,
                    0,
                    format!("{} ({})", d.number, lang.pick("tin, bài mới", "new items")),
                )?;
                ws.write_datetime_with_format(row, 1, c.start, &date)?;
                ws.write_datetime_with_format(row, 2, c.end, &date)?;
                ws.write_number(row, 3, f64::from(c.required))?;
                ws.write_number(row, 4, f64::from(c.added))?;
                ws.write_string(
                    row,
                    9,
                    if c.met {
                        lang.pick("đạt", "met")
                    } else {
                        lang.pick("không đạt", "not met")
                    },
                )?;
                row += 1;
            }
            row += 1;
        }
    }

    // Every airing; a year of a busy station is large, so constant memory.
    {
        let ws = book
            .add_worksheet_with_constant_memory()?
            .set_name(lang.pick("Lượt phát", "Airings"))?;
        airings_sheet(ws, r, lang, &header, &date, &time)?;
    }

    // Per day, with a chart per directive that has a daily quota.
    {
        let ws = book.add_worksheet().set_name(lang.pick("Theo ngày", "By day"))?;
        let sheet = lang.pick("Theo ngày", "By day");
        let mut col: u16 = 0;
        let mut chart_row = 0;
        for d in &r.directives {
            let days: Vec<_> = d.periods.iter().filter(|p| p.per == "day").collect();
            if days.is_empty() {
                continue;
            }
            ws.write_string_with_format(0, col, lang.pick("Ngày", "Day"), &header)?;
            ws.write_string_with_format(
                0,
                col + 1,
                format!("{} · {}", d.number, lang.pick("đã phát", "aired")),
                &header,
            )?;
            ws.write_string_with_format(
                0,
                col + 2,
                format!("{} · {}", d.number, lang.pick("chỉ tiêu", "quota")),
                &header,
            )?;
            ws.write_string_with_format(0, col + 3, lang.pick("Nhãn", "Label"), &header)?;
            ws.set_column_width(col, 12)?;
            ws.set_column_width(col + 1, 14)?;
            ws.set_column_width(col + 2, 14)?;
            ws.set_column_width(col + 3, 7)?;
            for (i, p) in days.iter().enumerate() {
                let row = 1 + i as u32;
                ws.write_datetime_with_format(row, col, p.start, &date)?;
                ws.write_number(row, col + 1, f64::from(p.aired))?;
                ws.write_number(row, col + 2, f64::from(p.required))?;
                // Text labels for the chart's axis: every spreadsheet shows
                // them as written, where date axes show day numbers in some.
                ws.write_string(row, col + 3, p.start.format("%d/%m").to_string())?;
            }
            let last = days.len() as u32;
            let labels = (sheet, 1, col + 3, last, col + 3);
            let mut columns = Chart::new_column();
            columns
                .add_series()
                .set_name(lang.pick("Đã phát", "Aired"))
                .set_categories(labels)
                .set_values((sheet, 1, col + 1, last, col + 1));
            let mut line = Chart::new_line();
            line.add_series()
                .set_name(lang.pick("Chỉ tiêu", "Quota"))
                .set_categories(labels)
                .set_values((sheet, 1, col + 2, last, col + 2));
            columns.combine(&line);
            let title = format!(
                "{} · {}",
                d.number,
                lang.pick("lượt phát mỗi ngày", "airings per day")
            );
            columns.title().set_name(&title);
            columns.set_width(720).set_height(300);
            ws.insert_chart(chart_row, col + 5, &columns)?;
            chart_row += 16;
            col += 4;
        }
    }
    book.save_to_buffer()
}

fn airings_sheet(
    ws: &mut Worksheet,
    r: &Report,
    lang: Lang,
    header: &Format,
    date: &Format,
    time: &Format,
) -> Result<(), XlsxError> {
    let cols = [
        (lang.pick("Văn bản", "Directive"), 16.0),
        (lang.pick("Ngày", "Date"), 12.0),
        (lang.pick("Buổi", "Session"), 10.0),
        (lang.pick("Giờ dự kiến", "Planned"), 20.0),
        (lang.pick("Bắt đầu", "Started"), 20.0),
        (lang.pick("Kết thúc", "Ended"), 20.0),
        ("Clip", 22.0),
        (lang.pick("Loại", "Kind"), 11.0),
        (lang.pick("Kết quả", "Outcome"), 14.0),
        (lang.pick("Lý do", "Reason"), 50.0),
    ];
    for (c, (name, width)) in cols.iter().enumerate() {
        ws.set_column_width(c as u16, *width)?;
        ws.write_string_with_format(0, c as u16, *name, header)?;
    }
    ws.set_freeze_panes(1, 0)?;
    let mut row = 1;
    for d in &r.directives {
        for a in &d.airings {
            ws.write_string(row, 0, &d.number)?;
            ws.write_datetime_with_format(row, 1, a.date, date)?;
            ws.write_string(row, 2, &a.session)?;
            ws.write_datetime_with_format(row, 3, a.planned.naive_local(), time)?;
            if let Some(t) = a.started {
                ws.write_datetime_with_format(row, 4, t.naive_local(), time)?;
            }
            if let Some(t) = a.ended {
                ws.write_datetime_with_format(row, 5, t.naive_local(), time)?;
            }
            ws.write_string(row, 6, &a.clip)?;
            ws.write_string(row, 7, kind_label(a.kind, lang))?;
            ws.write_string(row, 8, outcome_label(a.outcome, lang))?;
            if let Some(reason) = &a.reason {
                ws.write_string(row, 9, reason)?;
            }
            row += 1;
        }
    }
    Ok(())
}
