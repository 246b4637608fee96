//! `loa directive import`: the five real directives in `../shared/seeds`
//! with every value their text states, a table of phrasings (digits and
//! words, missing years, non-breaking spaces, markdown, NFC and NFD,
//! ranges, caps, lengths and counts that are not quotas, other media), a
//! proptest that no input panics, the draft passing `loa check`, and an
//! accuracy figure on phrasings written apart from the extractor.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use loa::directive_import::{extract, Due, ExtractedQuota, Extraction, Flag, Medium, What};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

fn seed(prefix: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let entry = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("no seed {prefix}"));
    std::fs::read_to_string(entry).unwrap()
}

fn seed_path(prefix: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A quota in one short line: "2/day air 2021-09-28..", "2-4/day air ..",
/// "_-3/day air", "2/week items-other 2024-03-10..2024-12-31".
fn render(q: &ExtractedQuota) -> String {
    let kind = match (q.what, q.airing, q.medium) {
        (What::Airings, true, _) => "air",
        (What::Airings, false, _) => "other-air",
        (What::NewItems, _, Medium::Other) => "items-other",
        (What::NewItems, ..) => "items",
    };
    let per = format!("{:?}", q.per).to_lowercase();
    format!(
        "{}{}/{per} {kind} {}..{}",
        q.at_least.map_or("_".to_string(), |v| v.to_string()),
        q.at_most.map_or(String::new(), |v| format!("-{v}")),
        q.from.map_or("?".to_string(), |v| v.to_string()),
        q.until.map_or(String::new(), |v| v.to_string()),
    )
}

fn rendered(x: &Extraction) -> Vec<String> {
    x.quotas.iter().map(render).collect()
}

#[test]
fn seed_000_two_a_day_from_28_9_2021_and_two_items_a_week() {
    let x = extract(&seed("000_"));
    assert_eq!(x.number, None);
    assert_eq!(x.blank_sign.as_ref().unwrap().value, "BCĐ");
    assert!(x.flags.contains(&Flag::NumberBlank { sign: "BCĐ".into() }));
    assert_eq!(x.issuer.as_ref().unwrap().value, "BAN CHỈ ĐẠO 138");
    assert_eq!(x.issuer_parent.as_deref(), Some("UBND HUYỆN TRIỆU SƠN"));
    assert_eq!(x.place.as_ref().unwrap().value, "Triệu Sơn");
    assert_eq!(x.issued.as_ref().unwrap().value, d("2021-09-27"));
    let subject = &x.subject.as_ref().unwrap().value;
    assert!(subject.starts_with("đẩy mạnh công tác tuyên truyền về xây dựng điển hình tiên tiến"));
    assert!(subject.ends_with("phong trào toàn dân bảo vệ ANTQ"), "{subject}");
    assert_eq!(
        rendered(&x),
        ["2/week items 2021-09-28..", "2/day air 2021-09-28.."],
        "{:#?}",
        x.quotas
    );
    // Stated twice, once per addressee: one quota, both sentences quoted.
    let airing = &x.quotas[1];
    assert_eq!(airing.medium, Medium::Loudspeaker);
    assert_eq!(airing.sentences.len(), 2);
    assert!(airing.sentences[0].contains("phát trên hệ thống đài truyền thanh ít nhất 02 lượt/ngày"));
    assert!(airing.flags.is_empty(), "{:?}", airing.flags);
    assert_eq!(x.quotas[0].what, What::NewItems);
    assert!(x.reports.is_empty());
}

#[test]
fn seed_001_press_article_with_six_monthly_and_yearly_reports() {
    let x = extract(&seed("001_"));
    assert_eq!(x.number.as_ref().unwrap().value, "1086");
    assert_eq!(x.kind.as_deref(), Some("Công văn"));
    assert_eq!(x.issuer.as_ref().unwrap().value, "Ban Tuyên giáo Tỉnh ủy");
    assert_eq!(x.issued.as_ref().unwrap().value, d("2023-03-13"));
    assert_eq!(
        x.subject.as_ref().unwrap().value,
        "tuyên truyền thực hiện Kế hoạch 142/KH-UBND"
    );
    assert!(x.quotas.is_empty(), "{:#?}", x.quotas);
    assert!(x.flags.contains(&Flag::NoQuota));
    let dues: Vec<Due> = x.reports.iter().map(|r| r.due).collect();
    assert_eq!(
        dues,
        [
            Due::Every {
                months: 6,
                month: 5,
                day: 30
            },
            Due::Every {
                months: 12,
                month: 10,
                day: 30
            }
        ]
    );
    assert!(x.reports[0].phrase.contains("định kỳ 6 tháng (trước ngày 30/5)"));
}

#[test]
fn seed_002_plan_with_a_focus_period_and_no_number_or_date() {
    let x = extract(&seed("002_"));
    assert_eq!(x.number, None);
    assert!(x.flags.contains(&Flag::NoNumber));
    assert!(x.flags.contains(&Flag::NoDate));
    assert_eq!(x.kind.as_deref(), Some("Kế hoạch"));
    assert_eq!(
        x.subject.as_ref().unwrap().value,
        "Tuyên truyền về “Ngày hội toàn dân bảo vệ an ninh Tổ quốc “ năm 2022"
    );
    assert_eq!(x.issuer.as_ref().unwrap().value, "Ban Tuyên giáo Huyện ủy");
    let p = x.period.as_ref().unwrap();
    assert_eq!((p.from, p.until, p.focus), (None, Some(d("2022-08-19")), true));
    assert!(p
        .sentence
        .contains("Thực hiện thường xuyên, trọng tâm đến 19/8/2022"));
    // "77 năm", "8 tháng đầu năm 2022": not quotas.
    assert!(x.quotas.is_empty(), "{:#?}", x.quotas);
    assert!(x.reports.is_empty());
}

#[test]
fn seed_003_letter_with_one_report_before_30_01_2024() {
    let x = extract(&seed("003_"));
    assert_eq!(x.number.as_ref().unwrap().value, "125-CV/BTGHU");
    assert_eq!(x.kind.as_deref(), Some("Công văn"));
    assert_eq!(x.issuer.as_ref().unwrap().value, "BAN TUYÊN GIÁO");
    assert_eq!(x.issuer_parent.as_deref(), Some("HUYỆN ỦY PHONG THỔ"));
    assert_eq!(x.place.as_ref().unwrap().value, "Phong Thổ");
    assert_eq!(x.issued.as_ref().unwrap().value, d("2023-12-21"));
    assert_eq!(
        x.subject.as_ref().unwrap().value,
        "đẩy mạnh các hoạt động tuyên truyền hướng tới kỷ niệm 20 năm chia tách, thành lập tỉnh"
    );
    assert!(x.quotas.is_empty(), "{:#?}", x.quotas);
    assert_eq!(x.reports.len(), 1);
    assert_eq!(
        x.reports[0].due,
        Due::Once {
            date: Some(d("2024-01-30"))
        }
    );
    assert!(x.reports[0].sentence.contains("trước ngày 30/01/2024"));
}

#[test]
fn seed_004_letter_with_a_report_before_15_7_2020() {
    let x = extract(&seed("004_"));
    assert_eq!(x.number.as_ref().unwrap().value, "853-CV/BTGTU");
    assert_eq!(x.issuer.as_ref().unwrap().value, "BAN TUYÊN GIÁO");
    assert_eq!(x.issuer_parent.as_deref(), Some("TỈNH ỦY ĐẮK LẮK"));
    assert_eq!(x.place.as_ref().unwrap().value, "Đắk Lắk");
    assert_eq!(x.issued.as_ref().unwrap().value, d("2020-06-22"));
    assert!(x
        .subject
        .as_ref()
        .unwrap()
        .value
        .starts_with("đẩy mạnh tuyên truyền, hưởng ứng và tham gia Cuộc vận động"));
    assert!(x.quotas.is_empty(), "{:#?}", x.quotas);
    assert_eq!(
        x.reports.iter().map(|r| r.due).collect::<Vec<_>>(),
        [Due::Once {
            date: Some(d("2020-07-15"))
        }]
    );
}

/// A short directive dated 10/3/2024 around one body sentence.
fn doc(body: &str) -> String {
    format!(
        "UBND XÃ AN BÌNH\nSố: 12/KH-UBND\nAn Bình, ngày 10 tháng 3 năm 2024\nV/v tuyên truyền\n\n{body}\n"
    )
}

/// Phrasings and what they must give, as rendered by [`render`].
const VARIANTS: &[(&str, &[&str])] = &[
    ("Phát trên hệ thống loa truyền thanh ít nhất 02 lượt/ngày (từ ngày 15/3/2024).", &["2/day air 2024-03-15.."]),
    ("Đài truyền thanh xã phát hai lượt mỗi ngày từ ngày 15/3/2024 đến ngày 30/4/2024.", &["2/day air 2024-03-15..2024-04-30"]),
    ("Mỗi ngày phát 03 buổi trên hệ thống loa từ 16 - 3 đến 22 - 5.", &["3/day air 2024-03-16..2024-05-22"]),
    ("Hệ thống truyền thanh cơ sở phát 2 lần/ngày, từ ngày 20/3 đến hết ngày 30/6/2024.", &["2/day air 2024-03-20..2024-06-30"]),
    ("Phát trên loa truyền thanh ít\u{a0}nhất\u{a0}02\u{a0}lượt/ngày (từ\u{a0}ngày\u{a0}15/3/2024).", &["2/day air 2024-03-15.."]),
    ("**Phát trên hệ thống loa ít nhất 02 lượt/ngày** (*từ ngày 15/3/2024*).", &["2/day air 2024-03-15.."]),
    ("Đài truyền thanh phát mười hai lượt mỗi tuần từ ngày 1/4/2024.", &["12/week air 2024-04-01.."]),
    ("Phát trên hệ thống loa ba lần/tuần kể từ ngày ký.", &["3/week air 2024-03-10.."]),
    ("Từ nay đến hết ngày 31/12/2024, các đài truyền thanh xã phát ít nhất 01 lượt/ngày.", &["1/day air 2024-03-10..2024-12-31"]),
    ("Phát trên loa truyền thanh tối đa 3 lượt/ngày từ ngày 15/3/2024.", &["_-3/day air 2024-03-15.."]),
    ("Phát trên hệ thống loa ít nhất 2 lượt/ngày, tối đa 4 lượt/ngày từ ngày 15/3/2024.", &["2-4/day air 2024-03-15.."]),
    ("Đài truyền thanh xã phát 2 - 3 lượt/ngày từ ngày 15/3/2024.", &["2-3/day air 2024-03-15.."]),
    ("Phát trên hệ thống loa truyền thanh ít nhất 02 lượt/ngày, trọng tâm đến 30/4/2024.", &["2/day air 2024-03-10..2024-04-30"]),
    ("Phát trên loa truyền thanh mỗi buổi 15 phút, ít nhất 2 lượt/ngày từ ngày 15/3/2024.", &["2/day air 2024-03-15.."]),
    ("Lắp đặt 02 cụm loa/thôn; phát ít nhất 1 lượt/ngày trên hệ thống loa từ ngày 15/3/2024.", &["1/day air 2024-03-15.."]),
    ("Báo Nhân Dân đăng tải ít nhất 02 tin, bài/tuần từ ngày 15/3/2024.", &["2/week items-other 2024-03-15.."]),
    ("Trang thông tin điện tử xã đăng ít nhất 02 tin, bài/tuần.", &["2/week items-other 2024-03-10.."]),
    ("Đài Phát thanh - Truyền hình tỉnh phát sóng 2 lượt/ngày từ ngày 15/3/2024.", &["2/day other-air 2024-03-15.."]),
    ("Đài truyền thanh xã phát 1 lượt/ngày từ ngày 1/2.", &["1/day air 2025-02-01.."]),
    ("Đài truyền thanh xã phát 1 lượt/ngày từ ngày 28/2 đến 31/3.", &["1/day air 2024-02-28..2024-03-31"]),
    ("Mỗi tuần đài truyền thanh xã có ít nhất 02 tin, bài về phòng cháy.", &["2/week items 2024-03-10.."]),
    ("Bài đăng trên fanpage đạt 1000 lượt xem/ngày.", &[]),
    ("Phát mỗi ngày 2 lượt vào buổi sáng và buổi chiều trên loa truyền thanh.", &["2/day air 2024-03-10.."]),
    ("Phát trên loa 02 (hai) lượt/ngày từ ngày 15/3/2024.", &["2/day air 2024-03-15.."]),
    ("Phát trên loa hai (02) lần/ngày từ ngày 15/3/2024.", &["2/day air 2024-03-15.."]),
    ("Đài truyền thanh phát 2 lượt/ngày trở lên từ ngày 15/3/2024.", &["2/day air 2024-03-15.."]),
    ("Hệ thống loa phát thanh không quá 2 buổi/ngày.", &["_-2/day air 2024-03-10.."]),
    ("Phát trên loa truyền thanh 1 lượt/tuần từ ngày 15/3/2024.", &["1/week air 2024-03-15.."]),
    ("Phát trên loa truyền thanh 4 lượt/tháng từ ngày 15/3/2024.", &["4/month air 2024-03-15.."]),
    ("Phát trên loa truyền thanh 2 lượt/quý từ ngày 15/3/2024.", &["2/quarter air 2024-03-15.."]),
    ("Phát trên loa 2 lượt/ngày từ ngày 15.3.2024 đến ngày 15.4.2024.", &["2/day air 2024-03-15..2024-04-15"]),
    ("Phát trên loa 2 lượt/ngày từ 15-3-2024 đến 15-4-2024.", &["2/day air 2024-03-15..2024-04-15"]),
    (
        "Phát trên loa 2 lượt/ngày từ ngày 15 tháng 3 năm 2024 đến ngày 15 tháng 4 năm 2024.",
        &["2/day air 2024-03-15..2024-04-15"],
    ),
    ("Phát trên loa truyền thanh 2 lượt/ngày đến hết năm 2024.", &["2/day air 2024-03-10..2024-12-31"]),
    ("Phát trên loa truyền thanh 2 lượt/ngày đến hết tháng 6/2024.", &["2/day air 2024-03-10..2024-06-30"]),
    ("Phát trên loa 1 lượt/ngày (từ ngày 1/11 đến 31/1/2025).", &["1/day air 2024-11-01..2025-01-31"]),
    ("Đài truyền thanh phát ít nhất hai mươi lượt/tháng từ ngày 1/4/2024.", &["20/month air 2024-04-01.."]),
    ("# Thời gian\n> Phát trên loa ít nhất 02 lượt/ngày từ ngày 15/3/2024.", &["2/day air 2024-03-15.."]),
    ("Tổ chức 2 buổi/tuần sinh hoạt chi bộ để quán triệt.", &[]),
    ("Thời lượng mỗi lượt phát 10 phút.", &[]),
    ("Hệ thống loa phát thanh phát 2 lần/ngày từ ngày 15/3/2024.", &["2/day air 2024-03-15.."]),
    ("Đài truyền thanh 2 lượt phát/ngày từ ngày 15/3/2024.", &["2/day air 2024-03-15.."]),
    ("Thực hiện Kế hoạch số 45-KH/BTGTU ngày 27/7/2022 của Ban Tuyên giáo.", &[]),
    ("Mỗi tuần phát ít nhất một lần trên loa truyền thanh từ ngày 15/3/2024.", &["1/week air 2024-03-15.."]),
    ("Phát trên hệ thống loa ít nhất 02 lượt/ ngày (từ ngày 16/2 đến ngày 22/5).", &["2/day air 2024-02-16..2024-05-22"]),
    (
        "Phát trên loa truyền thanh ít nhất 02 lượt/ngày; các báo đăng ít nhất 01 tin, bài/tuần (từ ngày 15/3/2024).",
        &["2/day air 2024-03-10..", "1/week items-other 2024-03-15.."],
    ),
    ("Phát trên loa truyền thanh ít nhất 2, tối đa 4 lượt/ngày từ ngày 15/3/2024.", &["2-4/day air 2024-03-15.."]),
    ("Phát trên loa truyền thanh ít nhất 2 lượt/ngày từ ngày\n15/3/2024.", &["2/day air 2024-03-15.."]),
];

#[test]
fn phrasing_variants() {
    assert!(VARIANTS.len() >= 40);
    let mut failures = Vec::new();
    for (body, want) in VARIANTS {
        for form in [body.nfc().collect::<String>(), body.nfd().collect::<String>()] {
            let got = rendered(&extract(&doc(&form)));
            if got != *want {
                failures.push(format!("{body:?}\n   want {want:?}\n   got  {got:?}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn header_variants() {
    let cases: &[(&str, Option<&str>)] = &[
        ("Số: 125-CV/BTGHU", Some("125-CV/BTGHU")),
        ("SỐ/853-CV/BTGTU", Some("853-CV/BTGTU")),
        ("Số 45-KH/BTGHU", Some("45-KH/BTGHU")),
        ("Số:  12 /KH-UBND", Some("12/KH-UBND")),
        ("Số: /BCĐ", None),
        ("Số: …/KH-UBND", None),
    ];
    for (line, want) in cases {
        let x = extract(&format!("UBND XÃ A\n{line}\nA, ngày 5 tháng 1 năm 2024\n"));
        assert_eq!(x.number.as_ref().map(|n| n.value.as_str()), *want, "{line}");
        assert_eq!(x.issued.as_ref().unwrap().value, d("2024-01-05"));
    }
    let x = extract("UBND XÃ A\nSố: /KH-UBND\nA, ngày 5 tháng 1 năm 2024\n");
    assert_eq!(x.blank_sign.unwrap().value, "KH-UBND");
}

#[test]
fn deadline_variants() {
    let cases: &[(&str, Due)] = &[
        (
            "Gửi báo cáo trước ngày 30/01/2024.",
            Due::Once {
                date: Some(d("2024-01-30")),
            },
        ),
        (
            "Báo cáo kết quả chậm nhất ngày 15/7.",
            Due::Once {
                date: Some(d("2024-07-15")),
            },
        ),
        (
            "Báo cáo định kỳ 6 tháng (trước ngày 30/5).",
            Due::Every {
                months: 6,
                month: 5,
                day: 30,
            },
        ),
        (
            "Báo cáo hằng năm (trước ngày 30/10).",
            Due::Every {
                months: 12,
                month: 10,
                day: 30,
            },
        ),
        (
            "Gửi báo cáo hàng quý trước ngày 20/3.",
            Due::Every {
                months: 3,
                month: 3,
                day: 20,
            },
        ),
    ];
    for (body, want) in cases {
        let x = extract(&doc(body));
        assert_eq!(
            x.reports.iter().map(|r| r.due).collect::<Vec<_>>(),
            [*want],
            "{body}"
        );
    }
    // A deadline for something other than a report is not a report.
    assert!(extract(&doc("Hoàn thành lắp đặt loa trước ngày 30/4."))
        .reports
        .is_empty());
}

#[test]
fn open_questions_are_flagged_not_guessed() {
    // No document date: a date without a year cannot be settled.
    let x = extract("Đài truyền thanh xã phát ít nhất 02 lượt/ngày từ ngày 28/9.");
    assert!(x.flags.contains(&Flag::NoDate));
    assert!(
        x.quotas[0].flags.iter().any(|f| matches!(f, Flag::NoYear { .. })),
        "{:?}",
        x.quotas
    );
    // A start a little before the document: this year or the next.
    let x = extract(&doc("Đài truyền thanh xã phát 2 lượt/ngày từ ngày 1/3."));
    assert!(x.quotas[0]
        .flags
        .iter()
        .any(|f| matches!(f, Flag::TwoPossibleDates { .. })));
    // A cap alone, and an airing that names no medium.
    let x = extract(&doc("Phát tối đa 3 lượt/ngày từ ngày 15/3/2024."));
    assert!(x.quotas[0].flags.contains(&Flag::OnlyCap));
    assert!(x.quotas[0].flags.contains(&Flag::MediumUnstated));
}

/// Phrasings written apart from the table above, from how provincial and
/// district letters word quotas; they measure rather than gate: the test
/// prints the share read right and fails only below 80 %.
const HELD_OUT: &[(&str, &[&str])] = &[
    ("Các xã, thị trấn phát trên hệ thống truyền thanh cơ sở tối thiểu 03 lượt/tuần, bắt đầu từ ngày 01/4/2024.", &["3/week air 2024-04-01.."]),
    ("Đề nghị Đài truyền thanh các xã tiếp sóng, phát lại bản tin 01 lần/ngày vào buổi sáng từ ngày 18/3/2024 đến ngày 18/4/2024.", &["1/day air 2024-03-18..2024-04-18"]),
    ("Tăng cường thời lượng phát thanh trên hệ thống loa: mỗi ngày ít nhất 02 lần, mỗi lần 10 phút, trong thời gian từ 15/3 đến 15/5/2024.", &["2/day air 2024-03-15..2024-05-15"]),
    ("Cổng thông tin điện tử huyện đăng tải ít nhất 03 tin, bài/tháng.", &["3/month items-other 2024-03-10.."]),
    ("Phát thông báo trên loa phát thanh 3 lượt/ngày trong 07 ngày liên tục kể từ ngày ban hành văn bản này.", &["3/day air 2024-03-10.."]),
    ("Đài truyền thanh thị trấn phát bài tuyên truyền với tần suất 2 lượt/ngày (sáng, chiều) đến hết ngày 30/4/2024.", &["2/day air 2024-03-10..2024-04-30"]),
    ("Mỗi tuần đăng ít nhất 01 tin, bài trên trang fanpage của xã.", &["1/week items-other 2024-03-10.."]),
    ("Hệ thống loa truyền thanh các thôn phát mỗi ngày hai lần (sáng từ 6h00 - 6h30, chiều từ 17h00 - 17h30).", &["2/day air 2024-03-10.."]),
    ("Bố trí 15 - 20 phút/buổi để phát nội dung tuyên truyền trên đài truyền thanh.", &[]),
    ("Các đài truyền thanh cấp xã phát tối thiểu 04 lượt/tuần từ ngày 25/3 đến ngày 25/4.", &["4/week air 2024-03-25..2024-04-25"]),
    ("Xây dựng ít nhất 02 chuyên mục/tháng phát trên sóng truyền thanh huyện.", &["2/month items 2024-03-10.."]),
    ("Thời gian phát: từ ngày 20/3/2024 đến ngày 20/6/2024, mỗi ngày phát 02 lượt trên hệ thống loa truyền thanh.", &["2/day air 2024-03-20..2024-06-20"]),
    ("Trong thời gian cao điểm (từ 01/5 - 30/5/2024), đài truyền thanh phát ít nhất 3 lượt/ngày.", &["3/day air 2024-05-01..2024-05-30"]),
    ("Đài truyền thanh xã phát lặp lại 2 lượt/ngày cho đến khi có thông báo mới.", &["2/day air 2024-03-10.."]),
    ("Mỗi xã có ít nhất 01 cụm loa hoạt động thường xuyên.", &[]),
];

/// A second batch, written after the first had been measured, with the
/// constructions the extractor was not built around ("trong tháng 4/2024",
/// "kể từ ngày nhận được", quotas inside brackets).
const HELD_OUT_2: &[(&str, &[&str])] = &[
    ("Đài Truyền thanh xã phát ít nhất 05 lượt/tuần nội dung tuyên truyền về bầu cử, thời gian từ ngày 01/4/2024 đến ngày 20/5/2024.", &["5/week air 2024-04-01..2024-05-20"]),
    ("Các đài truyền thanh cơ sở phát thông điệp 3 lần/ngày (sáng, trưa, chiều) trong thời gian diễn ra đợt cao điểm từ ngày 15/4 - 15/5/2024.", &["3/day air 2024-04-15..2024-05-15"]),
    ("UBND các xã chỉ đạo phát trên hệ thống loa truyền thanh với thời lượng 30 phút/ngày.", &[]),
    ("Đài truyền thanh các xã, thị trấn phát sóng tối thiểu 01 lượt/ngày kể từ ngày nhận được văn bản này.", &["1/day air 2024-03-10.."]),
    ("Trung tâm Văn hóa - Thông tin và Thể thao huyện đăng tải tối thiểu 04 tin, bài/tháng trên Trang thông tin điện tử huyện.", &["4/month items-other 2024-03-10.."]),
    ("Phát tuyên truyền trên hệ thống truyền thanh thông minh 02 lượt/ngày vào khung giờ sáng và chiều, bắt đầu từ ngày 12/3/2024.", &["2/day air 2024-03-12.."]),
    ("Tuyên truyền trên loa truyền thanh ít nhất 02 buổi/tuần đến hết ngày 30/6/2024.", &["2/week air 2024-03-10..2024-06-30"]),
    ("Phát trên đài truyền thanh xã, mỗi ngày ít nhất 03 lượt, từ ngày 20/3/2024 đến ngày 31/3/2024.", &["3/day air 2024-03-20..2024-03-31"]),
    ("Đăng tải trên mạng xã hội Zalo, Facebook ít nhất 3 bài viết/tuần.", &["3/week items-other 2024-03-10.."]),
    ("Đài truyền thanh huyện và các xã phát 2 lượt/ngày; thời gian thực hiện: từ ngày 01/4/2024.", &["2/day air 2024-04-01.."]),
    ("Trong tháng 4/2024, các đài truyền thanh xã phát ít nhất 02 lượt/ngày.", &["2/day air 2024-04-01..2024-04-30"]),
    ("Phát trên hệ thống loa truyền thanh của 15 thôn, tổ dân phố, ít nhất 01 lượt/ngày.", &["1/day air 2024-03-10.."]),
    ("Các xã phát trên loa truyền thanh các bài tuyên truyền (02 lượt/ngày, từ 18/3 đến 18/4).", &["2/day air 2024-03-18..2024-04-18"]),
    ("Đài truyền thanh phát lại chương trình của Đài PT-TH tỉnh mỗi tuần 2 lần.", &["2/week air 2024-03-10.."]),
    ("Thời gian tuyên truyền: từ ngày 15/3/2024 đến ngày 15/4/2024. Đài truyền thanh xã phát ít nhất 2 lượt/ngày.", &["2/day air 2024-03-15..2024-04-15"]),
];

#[test]
fn accuracy_on_held_out_phrasings() {
    let mut right = 0;
    let mut wrong = Vec::new();
    for (body, want) in HELD_OUT.iter().chain(HELD_OUT_2) {
        let got = rendered(&extract(&doc(body)));
        if got == *want {
            right += 1;
        } else {
            wrong.push(format!("{body:?}\n   want {want:?}\n   got  {got:?}"));
        }
    }
    let total = HELD_OUT.len() + HELD_OUT_2.len();
    let pct = right * 100 / total;
    println!("held-out accuracy: {right}/{total} ({pct} %)");
    for w in &wrong {
        println!("{w}");
    }
    assert!(pct >= 80, "{right}/{total}:\n{}", wrong.join("\n"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC*") {
        let _ = extract(&s);
    }

    #[test]
    fn directive_like_text_never_panics(parts in prop::collection::vec(prop::sample::select(vec![
        "ít nhất", "tối đa", "02", "hai", "mười", "mươi", "lượt", "/", "ngày", "tuần", "tháng", "năm", "từ",
        "đến", "hết", "trọng tâm", "trước", "báo cáo", "định kỳ", "6", "(", ")", "-", ".", ",", ";", "\n",
        "Số:", "V/v", "KẾ HOẠCH", "loa", "truyền thanh", "tin, bài", "31", "12", "2024", "29/2", "\u{a0}",
        "*", "kể từ ngày ký", "từ nay", "buổi", "phút", "mỗi", "ngày 5 tháng 13 năm 2024", "Lưu",
    ]), 0..60)) {
        let _ = extract(&parts.join(" "));
        let _ = extract(&parts.concat());
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_decoder(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(t) = loa::directive_import::decode_text(&bytes) {
            let _ = extract(&t);
        }
    }
}

// ---- the command, run as an officer would, in a copy of the sample station

fn station() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["config", "schedules", "audio"] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        for entry in std::fs::read_dir(repo.join(sub)).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.path().join(sub).join(entry.file_name())).unwrap();
        }
    }
    dir
}

fn loa(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_loa"))
        .args(args)
        .current_dir(dir)
        .env("LANG", "vi_VN.UTF-8")
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        stderr,
    )
}

#[test]
fn every_seed_draft_passes_check_once_clips_are_filled() {
    for prefix in ["000_", "001_", "002_", "003_", "004_"] {
        let st = station();
        let src = seed_path(prefix);
        let (code, out, err) = loa(st.path(), &["directive", "import", src.to_str().unwrap()]);
        assert_eq!(code, 0, "{prefix}: {err}");
        let line = out
            .lines()
            .find(|l| l.starts_with("Đã ghi bản nháp: "))
            .unwrap_or_else(|| panic!("{out}"));
        let path = st.path().join(line.trim_start_matches("Đã ghi bản nháp: "));
        assert_eq!(
            path.parent().unwrap().canonicalize().unwrap(),
            st.path().join("schedules").canonicalize().unwrap()
        );
        let draft = std::fs::read_to_string(&path).unwrap();
        assert!(draft.contains("câu gốc: «"), "{draft}");
        let filled = draft.replacen("clips = []", "clips = [\"antq-*\"]", 1);
        std::fs::write(&path, filled).unwrap();
        let (code, out, err) = loa(st.path(), &["check"]);
        assert_eq!(code, 0, "{prefix}:\n{draft}\n{out}\n{err}");
        // A second import refuses to overwrite the draft, --force does it.
        let (code, _, err) = loa(st.path(), &["directive", "import", src.to_str().unwrap()]);
        assert_eq!(code, 1);
        assert!(err.contains("--force"), "{err}");
        let (code, out, _) = loa(
            st.path(),
            &["directive", "import", src.to_str().unwrap(), "--force"],
        );
        assert_eq!(code, 0);
        assert!(out.contains("Đã ghi đè"), "{out}");
    }
}

#[test]
fn seed_000_draft_names_its_file_and_quotes_its_sources() {
    let st = station();
    let src = seed_path("000_");
    let (code, out, err) = loa(st.path(), &["directive", "import", src.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Cần kiểm tra"), "{out}");
    let draft = std::fs::read_to_string(st.path().join("schedules/BCD-2021-09-27.toml")).unwrap();
    assert!(
        draft.contains("at_least = 2   # «ít nhất 02 lượt/ngày»"),
        "{draft}"
    );
    assert!(
        draft.contains("from = 2021-09-28   # «từ ngày 28/9/2021»"),
        "{draft}"
    );
    assert!(draft.contains("what = \"new_items\""), "{draft}");
    assert!(draft.contains("Số: /BCĐ"), "{draft}");
}

#[test]
fn json_docx_pdf_and_english() {
    let st = station();
    let src = seed_path("003_");
    let (code, out, _) = loa(
        st.path(),
        &["directive", "import", src.to_str().unwrap(), "--json"],
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["number"]["value"], "125-CV/BTGHU");
    assert_eq!(v["reports"][0]["due"]["date"], "2024-01-30");
    assert!(!st.path().join("schedules/125-CV-BTGHU.toml").exists());

    // A .docx holding a short directive.
    let docx = st.path().join("cv.docx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&docx).unwrap());
    zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    let paras = [
        "UBND HUYỆN A",
        "Số: 7/CV-UBND",
        "A, ngày 2 tháng 1 năm 2025",
        "V/v tuyên truyền phòng chống cháy rừng",
        "Đài truyền thanh các xã phát ít nhất 02 lượt/ngày từ ngày 5/1 đến hết ngày 31/3/2025.",
    ];
    let body: String = paras
        .iter()
        .map(|p| format!("<w:p><w:r><w:t>{p}</w:t></w:r></w:p>"))
        .collect();
    std::io::Write::write_all(
        &mut zip,
        format!("<?xml version=\"1.0\"?><w:document xmlns:w=\"x\"><w:body>{body}</w:body></w:document>")
            .as_bytes(),
    )
    .unwrap();
    zip.finish().unwrap();
    let (code, out, err) = loa(
        st.path(),
        &["directive", "import", "cv.docx", "--output", "out/cv.toml"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("7/CV-UBND"), "{out}");
    let draft = std::fs::read_to_string(st.path().join("out/cv.toml")).unwrap();
    assert!(draft.contains("from = 2025-01-05"), "{draft}");
    assert!(draft.contains("until = 2025-03-31"), "{draft}");

    std::fs::write(st.path().join("cv.pdf"), b"%PDF-1.7\n...").unwrap();
    let (code, _, err) = loa(st.path(), &["directive", "import", "cv.pdf"]);
    assert_eq!(code, 1);
    assert!(err.contains(".docx") && err.contains("PDF"), "{err}");
    let (code, _, err) = loa(st.path(), &["--lang", "en", "directive", "import", "cv.pdf"]);
    assert_eq!(code, 1);
    assert!(err.contains("save it as text"), "{err}");
}
