//! The compliance report as a Word document in the layout of Vietnamese
//! administrative documents (Decree 30/2020/NĐ-CP): the issuing body beside
//! the national heading, number, place and date, title, a body that cites
//! each directive and gives its results, the airing log's head, the
//! recipients and the signature block. Officers send this file up the chain
//! as it is, so the layout follows the decree, not the terminal table; the
//! figures and the summary line are the same as in `report_format`. The
//! letterhead words stay Vietnamese in English documents too: the format is
//! the Vietnamese state's.

use std::io::Cursor;

use chrono::{Datelike, NaiveDate};
use docx_rs::{
    AlignmentType, BorderType, Docx, Header, LineSpacing, LineSpacingType, PageMargin, PageNum, Paragraph,
    ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run, RunFonts, SpecialIndentType, Table,
    TableCell, TableCellMargins, TableLayoutType, TableRow, VAlignType, WidthType,
};

use crate::lang::Lang;
use crate::report::{AiringRow, ContentRow, DirectiveReport, PeriodRow, Report};
use crate::report_format::{result_label, summary_line};
use crate::station::Station;

/// The font the decree prescribes.
const FONT: &str = "Times New Roman";
/// For the log hash only: a fixed-width font keeps its 64 characters on one
/// line and easy to compare digit by digit.
const MONO: &str = "Courier New";

// A4 and the decree's margins (top and bottom 20–25 mm, left 30–35 mm, right
// 15–20 mm), in twentieths of a point (1 mm ≈ 56.7).
const PAGE_WIDTH: u32 = 11906;
const PAGE_HEIGHT: u32 = 16838;
const MARGIN_TOP: i32 = 1134;
const MARGIN_BOTTOM: i32 = 1134;
const MARGIN_LEFT: i32 = 1701;
const MARGIN_RIGHT: i32 = 850;
const TEXT_WIDTH: usize = (PAGE_WIDTH as i32 - MARGIN_LEFT - MARGIN_RIGHT) as usize;

// Font sizes in half points, as the decree gives them per element.
/// Body text, title, signature (13–14 pt).
const BODY: usize = 28;
/// Issuing body, "Độc lập - Tự do - Hạnh phúc", number, place and date (13 pt).
const HEAD: usize = 26;
/// "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (12–13 pt; 12 keeps it on one line)
/// and "Nơi nhận:" (12 pt).
const SMALL: usize = 24;
/// Tables: nine columns need 12 pt to stay readable on a portrait page.
const TABLE: usize = 24;
/// Table headers, a size smaller so "Đã phát" and "Missed" fit narrow columns.
const TABLE_HEADER: usize = 22;
/// The recipients list (11 pt).
const RECIPIENTS: usize = 22;
/// The log hash.
const HASH: usize = 20;

/// Width of the letterhead's left column (issuing body); the right one holds
/// the national heading, the wider text.
const LEFT_COLUMN: usize = 3685;
/// Width of the signature block's left column (recipients).
const RECIPIENTS_COLUMN: usize = 4535;

/// More airings than this and the document lists only the periods: a list of
/// hundreds of rows is no longer a report anyone reads; the CSV/XLSX export
/// has them all.
pub const MAX_LISTED_AIRINGS: usize = 60;

/// Renders the report as a DOCX file. `today` dates the document (the date
/// line under the national heading); the caller reads the clock.
pub fn to_docx(report: &Report, station: &Station, today: NaiveDate, lang: Lang) -> anyhow::Result<Vec<u8>> {
    let fonts = RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT).east_asia(FONT);
    // The document's own dates are the report's, so the same report gives
    // the same file (no clock read here).
    let stamp = format!("{}T00:00:00Z", today.format("%Y-%m-%d"));
    let mut doc = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(567)
                .footer(567),
        )
        .default_fonts(fonts)
        .default_size(BODY)
        // The decree numbers pages from the second one, centered at the top.
        .header(
            Header::new().add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_page_num(PageNum::new()),
            ),
        )
        .first_header(Header::new())
        .created_at(&stamp)
        .updated_at(&stamp)
        .add_table(letterhead(station, today));
    for p in title(report, lang) {
        doc = doc.add_paragraph(p);
    }
    doc = doc.add_paragraph(body(opening(report, lang)));
    for (i, d) in report.directives.iter().enumerate() {
        doc = directive_section(doc, i + 1, d, lang);
    }
    for p in log_head(report, lang) {
        doc = doc.add_paragraph(p);
    }
    doc = doc
        .add_paragraph(closing_sentence(report, lang))
        .add_paragraph(gap().keep_next(true))
        .add_table(signature_block(station));
    let mut out = Cursor::new(Vec::new());
    doc.build().pack(&mut out)?;
    Ok(out.into_inner())
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn run(text: impl Into<String>, size: usize) -> Run {
    Run::new().add_text(text).size(size)
}

/// No space before or after: the letterhead and tables are laid out tight.
fn tight() -> LineSpacing {
    LineSpacing::new().before(0).after(0)
}

fn centered(r: Run) -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Center)
        .line_spacing(tight())
        .add_run(r)
}

/// A body paragraph: justified, first line indented 1 cm, 6 pt after, as
/// the decree sets body text.
fn body(runs: Vec<Run>) -> Paragraph {
    runs.into_iter().fold(
        Paragraph::new()
            .align(AlignmentType::Both)
            .indent(None, Some(SpecialIndentType::FirstLine(567)), None, None)
            .line_spacing(LineSpacing::new().before(0).after(120)),
        |p, r| p.add_run(r),
    )
}

/// A short centered horizontal line, `width` long inside a column `column`
/// wide: the rule the decree draws under the issuing body and the title. It
/// is the top border of an empty paragraph one point high, set a little
/// below the text above it (closer and it runs through the descenders).
fn rule(column: usize, width: usize, after: u32) -> Paragraph {
    let side = (column.saturating_sub(width) / 2) as i32;
    let mut p = Paragraph::new()
        .indent(Some(side), None, Some(side), None)
        .line_spacing(
            LineSpacing::new()
                .before(80)
                .after(after)
                .line(20)
                .line_rule(LineSpacingType::Exact),
        )
        .add_run(run("", 2));
    p.property = p.property.set_borders(
        ParagraphBorders::with_empty().set(
            ParagraphBorder::new(ParagraphBorderPosition::Top)
                .val(BorderType::Single)
                .size(6)
                .color("000000"),
        ),
    );
    p
}

fn non_empty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// "Minh Tân, ngày 05 tháng 02 năm 2027": the decree writes a 0 before days
/// under 10 and before months 1 and 2 only.
fn date_line(place: &str, d: NaiveDate) -> String {
    let month = if d.month() <= 2 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    format!("{place}, ngày {:02} tháng {month} năm {}", d.day(), d.year())
}

fn borderless(rows: Vec<TableRow>, grid: Vec<usize>) -> Table {
    Table::new(rows)
        .set_grid(grid)
        .width(TEXT_WIDTH, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .clear_all_border()
}

/// The issuing body, number, national heading, place and date: two columns
/// without borders, two rows so the number and the date line up.
fn letterhead(station: &Station, today: NaiveDate) -> Table {
    let lh = &station.letterhead;
    let right_column = TEXT_WIDTH - LEFT_COLUMN;
    let issuer = non_empty(&lh.issuer).unwrap_or(&station.name).to_uppercase();
    let sign = non_empty(&lh.report_sign).unwrap_or("BC");
    let place = non_empty(&lh.place).unwrap_or("……");

    let mut body_cell = TableCell::new().width(LEFT_COLUMN, WidthType::Dxa);
    if let Some(parent) = non_empty(&lh.issuer_parent) {
        body_cell = body_cell.add_paragraph(centered(run(parent.to_uppercase(), HEAD)));
    }
    body_cell = body_cell
        .add_paragraph(centered(run(issuer, HEAD).bold()))
        .add_paragraph(rule(LEFT_COLUMN, 1100, 0));
    let heading_cell = TableCell::new()
        .width(right_column, WidthType::Dxa)
        .add_paragraph(centered(run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", SMALL).bold()))
        .add_paragraph(centered(
            run("Độc lập - Tự do - Hạnh phúc", HEAD)
                .bold()
                .underline("single"),
        ));
    // The number is left blank for the clerk who registers the document.
    let number_cell = TableCell::new()
        .width(LEFT_COLUMN, WidthType::Dxa)
        .add_paragraph(centered(run(format!("Số:        /{sign}"), HEAD)).line_spacing(spaced_above()));
    let date_cell = TableCell::new()
        .width(right_column, WidthType::Dxa)
        .add_paragraph(centered(run(date_line(place, today), HEAD).italic()).line_spacing(spaced_above()));
    borderless(
        vec![
            TableRow::new(vec![body_cell, heading_cell]),
            TableRow::new(vec![number_cell, date_cell]),
        ],
        vec![LEFT_COLUMN, right_column],
    )
}

fn spaced_above() -> LineSpacing {
    LineSpacing::new().before(120).after(0)
}

fn title(report: &Report, lang: Lang) -> Vec<Paragraph> {
    let range = match lang {
        Lang::Vi => format!("(từ ngày {} đến ngày {})", dmy(report.from), dmy(report.to)),
        Lang::En => format!("(from {} to {})", dmy(report.from), dmy(report.to)),
    };
    vec![
        centered(run(lang.pick("BÁO CÁO", "REPORT"), BODY).bold())
            .line_spacing(LineSpacing::new().before(480).after(0)),
        centered(
            run(
                lang.pick(
                    "Kết quả phát sóng tuyên truyền trên hệ thống truyền thanh cơ sở",
                    "Broadcast results on the commune loudspeaker system",
                ),
                BODY,
            )
            .bold(),
        ),
        centered(run(range, BODY)),
        rule(TEXT_WIDTH, 1700, 240),
    ]
}

/// Lower-cases the first letter of a subject line so it reads on after
/// "về" ("về tuyên truyền …"), unless the first word is an acronym ("ANTQ").
fn as_clause(subject: &str) -> String {
    let mut chars = subject.trim().chars();
    match (chars.next(), chars.clone().next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => subject.trim().to_string(),
    }
}

/// "Văn bản số 4568/KH-BCĐ ngày 27/10/2026 của Ban Chỉ đạo 138 huyện Triệu
/// Sơn về …": how a Vietnamese document cites another.
fn citation(d: &DirectiveReport, lang: Lang) -> String {
    let mut s = match lang {
        Lang::Vi => format!("Văn bản số {}", d.number),
        Lang::En => format!("directive No. {}", d.number),
    };
    if let Some(issued) = d.issued {
        s += &format!(" {} {}", lang.pick("ngày", "of"), dmy(issued));
    }
    if let Some(issuer) = non_empty(&d.issuer) {
        s += &format!(" {} {issuer}", lang.pick("của", "by"));
    }
    if let Some(subject) = non_empty(&d.subject) {
        match lang {
            Lang::Vi => s += &format!(" về {}", as_clause(subject)),
            Lang::En => s += &format!(" on “{subject}”"),
        }
    }
    s
}

fn opening(report: &Report, lang: Lang) -> Vec<Run> {
    let cited: Vec<String> = report.directives.iter().map(|d| citation(d, lang)).collect();
    let range = (dmy(report.from), dmy(report.to));
    let text = match lang {
        Lang::Vi => {
            let tail = format!(
                "{} báo cáo kết quả phát sóng tuyên truyền trên hệ thống truyền thanh cơ sở từ ngày {} đến \
                 ngày {} như sau:",
                report.station, range.0, range.1
            );
            if cited.is_empty() {
                tail
            } else {
                format!("Thực hiện {}, {tail}", cited.join("; "))
            }
        }
        Lang::En => {
            let tail = format!(
                "{} reports its broadcast results on the commune loudspeaker system from {} to {} as follows:",
                report.station, range.0, range.1
            );
            if cited.is_empty() {
                tail
            } else {
                format!("Pursuant to {}, {tail}", cited.join("; "))
            }
        }
    };
    vec![run(text, BODY)]
}

fn heading(text: String) -> Paragraph {
    body(vec![run(text, BODY).bold()]).keep_next(true)
}

fn directive_section(mut doc: Docx, n: usize, d: &DirectiveReport, lang: Lang) -> Docx {
    let title = match (lang, d.issued) {
        (Lang::Vi, Some(issued)) => format!("{n}. Văn bản số {} ngày {}", d.number, dmy(issued)),
        (Lang::Vi, None) => format!("{n}. Văn bản số {}", d.number),
        (Lang::En, Some(issued)) => format!("{n}. Directive No. {} of {}", d.number, dmy(issued)),
        (Lang::En, None) => format!("{n}. Directive No. {}", d.number),
    };
    // Counted over the airings of the range, like `aired` (periods may
    // reach past the range's ends).
    let count = |outcome: &str| d.airings.iter().filter(|a| a.outcome == outcome).count();
    let make_ups = d
        .airings
        .iter()
        .filter(|a| a.kind == "make-up" && a.outcome == "completed")
        .count();
    let detail = match lang {
        Lang::Vi => format!(
            "{}. Đã phát trọn vẹn {} lượt (trong đó {} lượt phát bù); lỡ {} lượt, lỗi {} lượt, bị ngắt {} lượt.",
            summary_line(d, lang),
            d.aired,
            make_ups,
            count("missed"),
            count("failed"),
            count("interrupted")
        ),
        Lang::En => format!(
            "{}. Aired in full: {} (of which {} make-ups); missed {}, failed {}, cut off {}.",
            summary_line(d, lang),
            d.aired,
            make_ups,
            count("missed"),
            count("failed"),
            count("interrupted")
        ),
    };
    doc = doc
        .add_paragraph(heading(title))
        .add_paragraph(body(vec![run(detail, BODY)]));
    let mut part = 'a';
    let mut sub = |text: &str| {
        let p = body(vec![run(format!("{part}) {text}"), BODY).italic()]).keep_next(true);
        part = char::from(part as u8 + 1);
        p
    };
    if !d.periods.is_empty() {
        doc = doc
            .add_paragraph(sub(lang.pick("Kết quả theo từng kỳ:", "Results per period:")))
            .add_table(periods_table(&d.periods, lang))
            .add_paragraph(gap());
    }
    if !d.content.is_empty() {
        doc = doc
            .add_paragraph(sub(lang.pick(
                "Tin, bài mới theo từng kỳ:",
                "New news items and articles per period:",
            )))
            .add_table(content_table(&d.content, lang))
            .add_paragraph(gap());
    }
    if d.airings.len() > MAX_LISTED_AIRINGS {
        let note = match lang {
            Lang::Vi => format!(
                "Các lượt phát: {} lượt; danh sách đầy đủ (ngày, buổi, giờ, clip, kết quả) có trong tệp xuất \
                 CSV/XLSX (lệnh loa report --format csv hoặc --format xlsx).",
                d.airings.len()
            ),
            Lang::En => format!(
                "Airings: {}; the full list (date, session, time, clip, outcome) is in the CSV/XLSX export \
                 (loa report --format csv or --format xlsx).",
                d.airings.len()
            ),
        };
        doc = doc.add_paragraph(sub(&note));
    } else if !d.airings.is_empty() {
        doc = doc
            .add_paragraph(sub(lang.pick("Các lượt phát:", "Airings:")))
            .add_table(airings_table(&d.airings, lang))
            .add_paragraph(gap());
    }
    doc
}

/// A little air after a table.
fn gap() -> Paragraph {
    Paragraph::new().line_spacing(LineSpacing::new().before(0).after(0).line(160))
}

fn cell(text: impl Into<String>, width: usize, align: AlignmentType) -> TableCell {
    TableCell::new()
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center)
        .add_paragraph(
            Paragraph::new()
                .align(align)
                .line_spacing(LineSpacing::new().before(20).after(20))
                .add_run(run(text, TABLE)),
        )
}

fn header_row(names: &[&str], widths: &[usize]) -> TableRow {
    TableRow::new(
        names
            .iter()
            .zip(widths)
            .map(|(name, w)| {
                TableCell::new()
                    .width(*w, WidthType::Dxa)
                    .vertical_align(VAlignType::Center)
                    .add_paragraph(
                        Paragraph::new()
                            .align(AlignmentType::Center)
                            .line_spacing(LineSpacing::new().before(20).after(20))
                            .add_run(run(*name, TABLE_HEADER).bold()),
                    )
            })
            .collect(),
    )
    .cant_split()
}

/// A table with the default single borders, as the decree's tables have,
/// and narrow cell margins (1 mm) so the number columns can be narrow.
fn bordered(rows: Vec<TableRow>, widths: &[usize]) -> Table {
    Table::new(rows)
        .set_grid(widths.to_vec())
        .width(widths.iter().sum(), WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .margins(TableCellMargins::new().margin(0, 60, 0, 60))
}

fn span_label(start: NaiveDate, end: NaiveDate) -> String {
    if start == end {
        dmy(start)
    } else {
        format!("{}–{}", start.format("%d/%m"), dmy(end))
    }
}

fn periods_table(periods: &[PeriodRow], lang: Lang) -> Table {
    // Period, required, aired, make-ups, missed, failed, cut, result, reasons.
    const W: [usize; 9] = [1750, 800, 800, 800, 800, 800, 800, 1150, 1655];
    let names = [
        lang.pick("Kỳ", "Period"),
        lang.pick("Cần", "Asked"),
        lang.pick("Đã phát", "Aired"),
        lang.pick("Phát bù", "Make-ups"),
        lang.pick("Lỡ", "Missed"),
        lang.pick("Lỗi", "Failed"),
        lang.pick("Bị ngắt", "Cut"),
        lang.pick("Kết quả", "Result"),
        lang.pick("Lý do", "Reasons"),
    ];
    let mut rows = vec![header_row(&names, &W)];
    for p in periods {
        let number = |v: u32, i: usize| cell(v.to_string(), W[i], AlignmentType::Center);
        rows.push(
            TableRow::new(vec![
                cell(span_label(p.start, p.end), W[0], AlignmentType::Center),
                number(p.required, 1),
                number(p.aired, 2),
                number(p.make_ups, 3),
                number(p.missed, 4),
                number(p.failed, 5),
                number(p.interrupted, 6),
                cell(result_label(p.met, p.open, lang), W[7], AlignmentType::Center),
                cell(p.reasons.join("; "), W[8], AlignmentType::Left),
            ])
            .cant_split(),
        );
    }
    bordered(rows, &W)
}

fn content_table(content: &[ContentRow], lang: Lang) -> Table {
    const W: [usize; 4] = [2800, 1800, 1800, 2955];
    let names = [
        lang.pick("Kỳ", "Period"),
        lang.pick("Cần", "Required"),
        lang.pick("Tin, bài mới", "New items"),
        lang.pick("Kết quả", "Result"),
    ];
    let mut rows = vec![header_row(&names, &W)];
    for c in content {
        rows.push(
            TableRow::new(vec![
                cell(span_label(c.start, c.end), W[0], AlignmentType::Center),
                cell(c.required.to_string(), W[1], AlignmentType::Center),
                cell(c.added.to_string(), W[2], AlignmentType::Center),
                cell(result_label(c.met, c.open, lang), W[3], AlignmentType::Center),
            ])
            .cant_split(),
        );
    }
    bordered(rows, &W)
}

fn outcome_label(a: &AiringRow, lang: Lang) -> String {
    let mut s = crate::report_format::outcome_label(a.outcome, lang);
    if a.kind == "make-up" {
        s += lang.pick(" (phát bù)", " (make-up)");
    } else if a.kind == "emergency" {
        s += lang.pick(" (khẩn cấp)", " (emergency)");
    }
    if let Some(reason) = &a.reason {
        s += &format!(": {reason}");
    }
    s
}

fn airings_table(airings: &[AiringRow], lang: Lang) -> Table {
    const W: [usize; 5] = [1500, 1100, 1000, 2200, 3555];
    let names = [
        lang.pick("Ngày", "Date"),
        lang.pick("Buổi", "Session"),
        lang.pick("Giờ", "Time"),
        "Clip",
        lang.pick("Kết quả", "Outcome"),
    ];
    let mut rows = vec![header_row(&names, &W)];
    for a in airings {
        rows.push(
            TableRow::new(vec![
                cell(dmy(a.date), W[0], AlignmentType::Center),
                cell(a.session.clone(), W[1], AlignmentType::Center),
                cell(
                    a.started.unwrap_or(a.planned).format("%H:%M").to_string(),
                    W[2],
                    AlignmentType::Center,
                ),
                cell(a.clip.clone(), W[3], AlignmentType::Left),
                cell(outcome_label(a, lang), W[4], AlignmentType::Left),
            ])
            .cant_split(),
        );
    }
    bordered(rows, &W)
}

/// Where the figures come from and the log head to check them against
/// (`loa log verify` prints the same head). The hash gets a line of its own:
/// inside justified text its 64 unbreakable characters stretch the spaces.
fn log_head(report: &Report, lang: Lang) -> Vec<Paragraph> {
    let range = (dmy(report.from), dmy(report.to));
    let Some(h) = &report.log_head else {
        return vec![body(vec![run(
            match lang {
                Lang::Vi => format!(
                    "Nhật ký phát của đài chưa có bản ghi nào (từ ngày {} đến ngày {}).",
                    range.0, range.1
                ),
                Lang::En => format!(
                    "The station's airing log has no records yet ({} to {}).",
                    range.0, range.1
                ),
            },
            BODY,
        )])];
    };
    let text = match lang {
        Lang::Vi => format!(
            "Số liệu trên lấy từ nhật ký phát của đài, từ ngày {} đến ngày {}; đối chiếu bằng lệnh \
             loa log verify: nhật ký có bản ghi cuối số {}, mã băm",
            range.0, range.1, h.seq
        ),
        Lang::En => format!(
            "The figures above come from the station's airing log, {} to {}; to check them with \
             loa log verify: its last record is No. {}, hash",
            range.0, range.1, h.seq
        ),
    };
    vec![
        body(vec![run(text, BODY)])
            .line_spacing(LineSpacing::new().before(120).after(0))
            .keep_next(true),
        centered(run(h.hash.clone(), HASH).fonts(RunFonts::new().ascii(MONO).hi_ansi(MONO).cs(MONO)))
            .line_spacing(LineSpacing::new().before(40).after(120)),
    ]
}

/// The decree ends the body with "./.".
fn closing_sentence(report: &Report, lang: Lang) -> Paragraph {
    body(vec![run(
        match lang {
            Lang::Vi => format!(
                "Trên đây là báo cáo kết quả phát sóng tuyên truyền trên hệ thống truyền thanh cơ sở của {}./.",
                report.station
            ),
            Lang::En => format!("This concludes the broadcast report of {}./.", report.station),
        },
        BODY,
    )])
    .keep_next(true)
}

/// "Như trên;" from "- Như trên;", "Như trên" or "Như trên.": officers
/// write the list either way; the dash and the punctuation are the report's.
fn recipient(s: &str) -> &str {
    s.trim()
        .trim_start_matches(['-', '–', '•'])
        .trim()
        .trim_end_matches([';', '.', ','])
        .trim_end()
}

/// "Nơi nhận:" with the recipients on the left, the signer on the right.
fn signature_block(station: &Station) -> Table {
    let lh = &station.letterhead;
    let right_column = TEXT_WIDTH - RECIPIENTS_COLUMN;
    let line = |text: String| {
        Paragraph::new()
            .line_spacing(tight())
            .add_run(run(text, RECIPIENTS))
    };
    let mut left = TableCell::new()
        .width(RECIPIENTS_COLUMN, WidthType::Dxa)
        .add_paragraph(
            Paragraph::new()
                .line_spacing(tight())
                .add_run(run("Nơi nhận:", SMALL).bold().italic()),
        );
    // The archive line ends the list; a station may write its own ("Lưu: VT, VHXH").
    let mut archive = "Lưu: VT".to_string();
    for r in lh
        .recipients
        .iter()
        .map(|r| recipient(r))
        .filter(|r| !r.is_empty())
    {
        if r.starts_with("Lưu") {
            archive = r.to_string();
        } else {
            left = left.add_paragraph(line(format!("- {r};")));
        }
    }
    left = left.add_paragraph(line(format!("- {archive}.")));

    let mut right = TableCell::new().width(right_column, WidthType::Dxa);
    // A title may take several lines ("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH").
    let title = non_empty(&lh.signer_title).unwrap_or("");
    for t in title.lines() {
        right = right.add_paragraph(centered(run(t.trim().to_uppercase(), HEAD).bold()));
    }
    // Room for the signature and the seal.
    for _ in 0..4 {
        right = right.add_paragraph(centered(run("", BODY)));
    }
    right = right.add_paragraph(centered(run(non_empty(&lh.signer).unwrap_or(""), BODY).bold()));
    borderless(
        vec![TableRow::new(vec![left, right]).cant_split()],
        vec![RECIPIENTS_COLUMN, right_column],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_date_line_pads_as_the_decree_says() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            date_line("Minh Tân", d(2027, 2, 5)),
            "Minh Tân, ngày 05 tháng 02 năm 2027"
        );
        assert_eq!(
            date_line("Minh Tân", d(2026, 3, 15)),
            "Minh Tân, ngày 15 tháng 3 năm 2026"
        );
        assert_eq!(date_line("……", d(2026, 11, 30)), "……, ngày 30 tháng 11 năm 2026");
    }

    #[test]
    fn subjects_read_on_after_ve_but_acronyms_stay() {
        assert_eq!(as_clause("Tuyên truyền ANTQ"), "tuyên truyền ANTQ");
        assert_eq!(
            as_clause("ANTQ và phòng chống tội phạm"),
            "ANTQ và phòng chống tội phạm"
        );
        assert_eq!(as_clause("Đại hội"), "đại hội");
    }

    #[test]
    fn recipients_are_written_the_decree_way_whatever_the_officer_typed() {
        assert_eq!(recipient("- Như trên;"), "Như trên");
        assert_eq!(
            recipient("Ban Chỉ đạo 138 huyện (b/c)."),
            "Ban Chỉ đạo 138 huyện (b/c)"
        );
        assert_eq!(recipient("  "), "");
    }
}
