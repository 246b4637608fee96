//! Reports from a fixed airing log, through the real binary: table, CSV and
//! JSON compared with golden files (set UPDATE_GOLDEN=1 to rewrite them after
//! a deliberate change, then read the diff), and the bad cases.

mod support;

use std::path::Path;

use support::{loa, station};

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{name} differs from the golden file:\n--- expected\n{expected}\n--- actual\n{actual}"
    );
}

const WEEK: [&str; 6] = ["report", "--from", "2026-11-02", "--to", "2026-11-08", "--format"];

#[test]
fn the_week_report_as_a_table() {
    let (dir, _) = station();
    let (code, out, err) = loa(dir.path(), &[&WEEK[..], &["table"]].concat());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("4568/KH-BCĐ: 13/14 lượt, đạt 92,9%"), "{out}");
    golden("report-week.txt", &out);
}

#[test]
fn the_week_report_as_csv_opens_in_excel_with_vietnamese_intact() {
    let (dir, _) = station();
    let (code, out, err) = loa(dir.path(), &[&WEEK[..], &["csv"]].concat());
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with('\u{feff}'), "UTF-8 with a BOM");
    // 7 days, 2 airings each, plus one make-up.
    assert_eq!(out.lines().count(), 1 + 15);
    golden("report-week.csv", &out);
}

#[test]
fn the_week_report_as_json_carries_the_log_head() {
    let (dir, _) = station();
    let (code, out, err) = loa(dir.path(), &[&WEEK[..], &["json"]].concat());
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let d = &v["directives"][0];
    assert_eq!(
        (d["required"].as_u64(), d["credited"].as_u64()),
        (Some(14), Some(13))
    );
    let wednesday = &d["periods"][2];
    assert_eq!(
        (
            wednesday["aired"].as_u64(),
            wednesday["missed"].as_u64(),
            wednesday["met"].as_bool()
        ),
        (Some(1), Some(1), Some(false))
    );
    let friday = &d["periods"][4];
    assert_eq!(
        (
            friday["aired"].as_u64(),
            friday["make_ups"].as_u64(),
            friday["interrupted"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    // The same head `loa log verify` prints.
    let (_, verify, _) = loa(dir.path(), &["log", "verify"]);
    let head = v["log_head"]["hash"].as_str().unwrap();
    assert!(verify.contains(head), "{verify}");
    golden("report-week.json", &out);
}

#[test]
fn bad_requests_get_clear_messages() {
    let (dir, _) = station();
    let (code, _, err) = loa(dir.path(), &["report", "--directive", "125-CV/BTGHU"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("không có văn bản số \"125-CV/BTGHU\"; các văn bản: 4568/KH-BCĐ"),
        "{err}"
    );
    let (code, _, err) = loa(
        dir.path(),
        &["report", "--from", "2026-11-08", "--to", "2026-11-02"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("--to 2026-11-02 trước --from 2026-11-08"), "{err}");
    let (code, _, err) = loa(
        dir.path(),
        &["report", "--from", "2025-01-01", "--to", "2025-01-31"],
    );
    assert_eq!(code, 1);
    assert!(err.contains("nhật ký phát bắt đầu từ ngày 02/11/2026"), "{err}");
}

#[test]
fn deadlines_list_what_is_due_next() {
    let (dir, _) = station();
    let (code, out, err) = loa(dir.path(), &["deadlines"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("30/01/2027") && out.contains("4568/KH-BCĐ") && out.contains("28/10/2026 – 29/01/2027"),
        "{out}"
    );
}

#[test]
fn the_week_report_as_an_excel_workbook_with_dates_as_dates_and_a_chart() {
    use calamine::{open_workbook_auto, Data, Reader};
    let (dir, _) = station();
    let (code, _, err) = loa(
        dir.path(),
        &[&WEEK[..], &["xlsx", "--output", "bao-cao.xlsx"]].concat(),
    );
    assert_eq!(code, 0, "{err}");
    let path = dir.path().join("bao-cao.xlsx");
    // LOA_KEEP_XLSX=<folder> keeps the workbook, to look at the chart.
    if let Some(keep) = std::env::var_os("LOA_KEEP_XLSX") {
        std::fs::copy(&path, Path::new(&keep).join("bao-cao.xlsx")).unwrap();
    }
    let mut book = open_workbook_auto(&path).unwrap();
    assert_eq!(book.sheet_names(), ["Tổng hợp", "Lượt phát", "Theo ngày"]);
    let summary = book.worksheet_range("Tổng hợp").unwrap();
    let texts: Vec<String> = summary.cells().map(|(_, _, c)| c.to_string()).collect();
    assert!(
        texts.iter().any(|t| t == "4568/KH-BCĐ: 13/14 lượt, đạt 92,9%"),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t.contains("KHÔNG ĐẠT") || t == "không đạt"));
    let airings = book.worksheet_range("Lượt phát").unwrap();
    assert_eq!(airings.height(), 1 + 15);
    assert!(
        matches!(airings.get((1, 1)), Some(Data::DateTime(_))),
        "dates are dates: {:?}",
        airings.get((1, 1))
    );
    assert_eq!(airings.get((1, 6)).unwrap().to_string(), "antq-1");
    // The chart is in the file.
    let zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    assert!(
        zip.file_names()
            .any(|n| n.is_ok_and(|n| n.starts_with("xl/charts/chart"))),
        "a chart of airings per day"
    );
}
