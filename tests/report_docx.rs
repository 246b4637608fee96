//! The Word report (`loa report --format docx`) from the fixed week in
//! `support`: its XML holds the Decree 30 parts, and LibreOffice opens it and
//! prints the same text with the Vietnamese intact (the officers' Word does
//! what LibreOffice does with these files, and a PDF's text can be read back).
//! LibreOffice (`soffice`) and poppler (`pdftotext`) must be installed:
//! `.ci/run` installs them. The layout is checked by eye: `LOA_KEEP_DOCX=<folder>`
//! keeps the documents, then `soffice --convert-to pdf` and `pdftoppm -png`.

mod support;

use std::io::Read;
use std::path::Path;
use std::process::Command;

use chrono::{Duration, NaiveDate, TimeZone};
use loa::lang::Lang;
use loa::report::{AiringRow, DirectiveReport, Report};
use support::{loa, station, CONFIG};

const WEEK: [&str; 5] = ["report", "--from", "2026-11-02", "--to", "2026-11-08"];

/// The letterhead of a commune People's Committee, as the sample config has.
const LETTERHEAD: &str = r#"timezone = "Asia/Ho_Chi_Minh"
issuer_parent = "UBND huyện Triệu Sơn"
issuer = "UBND XÃ MINH TÂN"
report_sign = "BC-UBND"
place = "Minh Tân"
signer_title = "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"
signer = "Lê Văn Hùng"
recipients = ["- Ban Chỉ đạo 138 huyện Triệu Sơn (b/c);", "Phòng Văn hóa và Thông tin huyện"]
"#;

/// The support station with a full letterhead in its config.
fn station_with_letterhead() -> tempfile::TempDir {
    let (dir, config) = station();
    let text = CONFIG.replace("timezone = \"Asia/Ho_Chi_Minh\"\n", LETTERHEAD);
    assert_ne!(text, CONFIG);
    std::fs::write(config, text).unwrap();
    dir
}

/// Runs `loa report --format docx` over the week; the file's bytes.
/// `name` names the kept copy (see [`keep`]).
fn week_docx(root: &Path, extra: &[&str], name: &str) -> Vec<u8> {
    let out = root.join("bao-cao.docx");
    let args = [
        &WEEK[..],
        &["--format", "docx", "--output", out.to_str().unwrap()],
        extra,
    ]
    .concat();
    let (code, stdout, err) = loa(root, &args);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.is_empty(), "nothing on stdout: {stdout}");
    assert!(err.contains("bao-cao.docx"), "{err}");
    let bytes = std::fs::read(out).unwrap();
    keep(&bytes, name);
    bytes
}

/// With `LOA_KEEP_DOCX=<folder>`, the documents are kept there to be looked
/// at (LibreOffice, `pdftoppm`): the layout is checked by eye.
fn keep(bytes: &[u8], name: &str) {
    if let Some(folder) = std::env::var_os("LOA_KEEP_DOCX") {
        std::fs::write(Path::new(&folder).join(name), bytes).unwrap();
    }
}

fn document_xml(docx: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a DOCX is a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("word/document.xml")
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// The log head `loa log verify` prints, read from the JSON report.
fn log_hash(root: &Path) -> String {
    let (code, out, err) = loa(root, &[&WEEK[..], &["--format", "json"]].concat());
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let hash = v["log_head"]["hash"].as_str().unwrap().to_string();
    let (_, verify, _) = loa(root, &["log", "verify"]);
    assert!(verify.contains(&hash), "{verify}");
    hash
}

/// What every reader of the report must find, in the document and the PDF.
fn expected(hash: &str) -> Vec<String> {
    [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND HUYỆN TRIỆU SƠN",
        "UBND XÃ MINH TÂN",
        "/BC-UBND",
        "Minh Tân, ngày ",
        "BÁO CÁO",
        "Kết quả phát sóng tuyên truyền trên hệ thống truyền thanh cơ sở",
        "(từ ngày 02/11/2026 đến ngày 08/11/2026)",
        "Văn bản số 4568/KH-BCĐ ngày 27/10/2026 của Ban Chỉ đạo 138 huyện Triệu Sơn về tuyên truyền",
        "4568/KH-BCĐ: 13/14 lượt, đạt 92,9%",
        "không đạt",
        "phát bù",
        hash,
        "Nơi nhận:",
        "- Ban Chỉ đạo 138 huyện Triệu Sơn (b/c);",
        "- Phòng Văn hóa và Thông tin huyện;",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Lê Văn Hùng",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Text of the document's runs, tags dropped: enough to find phrases that
/// span runs (the citation is one run; the hash sits in its own).
fn xml_text(xml: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn the_week_report_as_docx_has_the_decree_30_parts() {
    let dir = station_with_letterhead();
    let hash = log_hash(dir.path());
    let docx = week_docx(dir.path(), &[], "week.docx");
    let xml = document_xml(&docx);
    let text = xml_text(&xml);
    for s in expected(&hash) {
        assert!(text.contains(&s), "document.xml lacks {s:?}:\n{text}");
    }
    assert!(
        text.contains(
            "Đã phát trọn vẹn 13 lượt (trong đó 1 lượt phát bù); lỡ 1 lượt, lỗi 0 lượt, bị ngắt 1 lượt."
        ),
        "{text}"
    );
    // A4, the decree's margins, Times New Roman.
    assert!(xml.contains(r#"w:w="11906" w:h="16838""#), "A4");
    assert!(xml.contains(r#"w:left="1701""#), "left margin 30 mm");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&docx[..])).unwrap();
    let mut styles = String::new();
    zip.by_name("word/styles.xml")
        .unwrap()
        .read_to_string(&mut styles)
        .unwrap();
    assert!(styles.contains("Times New Roman"), "{styles}");
    // Every airing of the week is listed (15 rows, under the 60 limit).
    assert_eq!(text.matches("antq-").count(), 15, "{text}");
}

/// Converts `docx` to PDF with LibreOffice and returns `pdftotext -layout`'s
/// text, whitespace collapsed (lines wrap where the renderer likes).
fn pdf_text(docx: &[u8]) -> String {
    for (tool, package) in [
        ("soffice", "libreoffice-writer-nogui"),
        ("pdftotext", "poppler-utils"),
    ] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            found,
            "`{tool}` is missing: install it (apt-get install {package}; .ci/run does) to check the DOCX report"
        );
    }
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("bao-cao.docx");
    std::fs::write(&file, docx).unwrap();
    // A profile of its own, so LibreOffice runs without a home and beside
    // another instance.
    let profile = format!("file://{}", work.path().join("profile").display());
    let out = Command::new("soffice")
        .env("HOME", work.path())
        .arg(format!("-env:UserInstallation={profile}"))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(work.path())
        .arg(&file)
        .output()
        .unwrap();
    let pdf = work.path().join("bao-cao.pdf");
    assert!(
        pdf.exists(),
        "LibreOffice made no PDF:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn libreoffice_prints_the_docx_with_vietnamese_intact() {
    let dir = station_with_letterhead();
    let hash = log_hash(dir.path());
    let text = pdf_text(&week_docx(dir.path(), &[], "week-pdf.docx"));
    for s in expected(&hash) {
        assert!(text.contains(&s), "the PDF lacks {s:?}:\n{text}");
    }
}

#[test]
fn without_a_letterhead_the_station_name_and_blanks_stand_in() {
    let (dir, _) = station();
    let text = xml_text(&document_xml(&week_docx(dir.path(), &[], "week-bare.docx")));
    for s in [
        "ĐÀI TRUYỀN THANH XÃ MINH TÂN",
        "/BC",
        "……, ngày ",
        "Nơi nhận:",
        "- Lưu: VT.",
    ] {
        assert!(text.contains(s), "lacks {s:?}:\n{text}");
    }
    assert!(!text.contains("HUYỆN"), "no parent body was configured:\n{text}");
}

#[test]
fn in_english_the_body_is_english_and_the_letterhead_stays_vietnamese() {
    let dir = station_with_letterhead();
    let text = xml_text(&document_xml(&week_docx(
        dir.path(),
        &["--lang", "en"],
        "week-en.docx",
    )));
    for s in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Nơi nhận:",
        "REPORT",
        "(from 02/11/2026 to 08/11/2026)",
        "4568/KH-BCĐ: 13/14 airings, 92.9% met",
        "not met",
    ] {
        assert!(text.contains(s), "lacks {s:?}:\n{text}");
    }
}

#[test]
fn docx_needs_an_output_file() {
    let (dir, _) = station();
    let (code, out, err) = loa(dir.path(), &[&WEEK[..], &["--format", "docx"]].concat());
    assert_eq!(code, 2);
    assert!(out.is_empty(), "no binary on the terminal");
    assert!(
        err.contains("--format docx tạo tệp Word: cần thêm --output"),
        "{err}"
    );
    let (code, _, err) = loa(
        dir.path(),
        &[&WEEK[..], &["--format", "docx", "--lang", "en"]].concat(),
    );
    assert_eq!(code, 2);
    assert!(err.contains("add --output <file.docx>"), "{err}");
}

/// A report by hand with `n` airings of one directive.
fn report_with_airings(n: usize) -> Report {
    let tz = chrono_tz::Asia::Ho_Chi_Minh;
    let from = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let airings = (0..n)
        .map(|i| {
            let planned = tz.with_ymd_and_hms(2026, 11, 1, 5, 30, 0).unwrap() + Duration::days(i as i64);
            AiringRow {
                date: planned.date_naive(),
                session: "sáng".into(),
                planned,
                started: Some(planned),
                ended: Some(planned + Duration::seconds(60)),
                clip: format!("clip-{i:03}"),
                kind: "quota",
                outcome: "completed",
                reason: None,
            }
        })
        .collect();
    Report {
        station: "Đài truyền thanh xã Minh Tân".into(),
        from,
        to: from + Duration::days(n as i64),
        log_head: None,
        directives: vec![DirectiveReport {
            number: "125-CV/BTGHU".into(),
            issuer: None,
            issued: None,
            subject: None,
            required: 0,
            credited: 0,
            aired: n as u32,
            percent: 100.0,
            periods: vec![],
            content: vec![],
            airings,
        }],
    }
}

#[test]
fn a_long_list_of_airings_is_left_to_the_csv_export() {
    let dir = station_with_letterhead();
    let st = loa::station::Station::load(&dir.path().join("config/loa.toml")).unwrap();
    let today = NaiveDate::from_ymd_opt(2027, 2, 5).unwrap();
    let docx = |n| {
        let bytes = loa::report_docx::to_docx(&report_with_airings(n), &st, today, Lang::Vi).unwrap();
        xml_text(&document_xml(&bytes))
    };
    let short = docx(loa::report_docx::MAX_LISTED_AIRINGS);
    assert_eq!(short.matches("clip-").count(), 60);
    assert!(short.contains("Minh Tân, ngày 05 tháng 02 năm 2027"), "{short}");
    assert!(short.contains("chưa có bản ghi"), "{short}");
    let long = docx(loa::report_docx::MAX_LISTED_AIRINGS + 1);
    keep(
        &loa::report_docx::to_docx(&report_with_airings(60), &st, today, Lang::Vi).unwrap(),
        "sixty.docx",
    );
    assert_eq!(long.matches("clip-").count(), 0, "{long}");
    assert!(
        long.contains("Các lượt phát: 61 lượt; danh sách đầy đủ") && long.contains("CSV/XLSX"),
        "{long}"
    );
}
