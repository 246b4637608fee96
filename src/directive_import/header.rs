//! The fields of a directive's header (Decree 30/2020 layout): number and
//! sign ("Số: 125-CV/BTGHU", "SỐ/853-CV/BTGTU", "Số: /BCĐ"), the issuing
//! body above it, "Phong Thổ, ngày 21 tháng 12 năm 2023", and the subject
//! ("V/v ..." or the title under "KẾ HOẠCH"). Press articles about a
//! directive ("Ngày 13/3/2023, Ban Tuyên giáo Tỉnh ủy đã ban hành Công văn
//! số 1086 về việc ...") give the same fields in one sentence.

use chrono::NaiveDate;

use super::dates::date_at;
use super::text::{lower, tokenize};

/// What the header says; each value with the line it came from.
#[derive(Debug, Default, Clone)]
pub struct Header {
    /// Number and sign, "125-CV/BTGHU"; `None` when blank or absent.
    pub number: Option<(String, String)>,
    /// The sign alone when the number was left blank ("BCĐ").
    pub blank_sign: Option<(String, String)>,
    /// The kind of document ("Kế hoạch", "Công văn").
    pub kind: Option<String>,
    /// The issuing body.
    pub issuer: Option<(String, String)>,
    /// The body above it ("UBND HUYỆN TRIỆU SƠN").
    pub issuer_parent: Option<String>,
    /// The place in the date line.
    pub place: Option<(String, String)>,
    /// The date of issue.
    pub issued: Option<(NaiveDate, String)>,
    /// The subject.
    pub subject: Option<(String, String)>,
}

const KINDS: &[(&str, &str)] = &[
    ("kế hoạch", "Kế hoạch"),
    ("công văn", "Công văn"),
    ("chỉ thị", "Chỉ thị"),
    ("thông báo", "Thông báo"),
    ("hướng dẫn", "Hướng dẫn"),
    ("quyết định", "Quyết định"),
    ("thông tri", "Thông tri"),
    ("chương trình", "Chương trình"),
];

fn kind_of_sign(sign: &str) -> Option<&'static str> {
    let up = sign.to_uppercase();
    let parts: Vec<&str> = up.split(['-', '/']).collect();
    let k = |code: &str| parts.contains(&code);
    Some(if k("KH") {
        "Kế hoạch"
    } else if k("CV") {
        "Công văn"
    } else if k("CT") {
        "Chỉ thị"
    } else if k("TB") {
        "Thông báo"
    } else if k("HD") {
        "Hướng dẫn"
    } else if k("QĐ") {
        "Quyết định"
    } else {
        return None;
    })
}

/// Reads the header of normalized document text.
pub fn read(norm: &str) -> Header {
    let lines: Vec<&str> = norm.lines().map(str::trim).collect();
    let mut h = Header::default();
    let mut header_end = lines.len().min(60);
    for (i, line) in lines.iter().enumerate().take(60) {
        let low = lower(line);
        if low.starts_with("kính gửi") || line.chars().count() > 250 {
            header_end = i;
            break;
        }
    }
    let mut first_field = None;
    for (i, line) in lines[..header_end].iter().enumerate() {
        let low = lower(line);
        if h.number.is_none() && h.blank_sign.is_none() && line.chars().count() < 60 {
            let prev = lines[..i].iter().rev().find(|l| !l.is_empty()).map(|l| lower(l));
            let stamp = prev.is_some_and(|p| p.starts_with("đến"));
            if let Some(n) = number_line(line).filter(|_| !stamp) {
                first_field.get_or_insert(i);
                match n {
                    Number::Full(s) => h.number = Some((s, line.to_string())),
                    Number::Blank(s) => h.blank_sign = Some((s, line.to_string())),
                }
                continue;
            }
        }
        if h.issued.is_none() {
            if let Some(at) = low.find(", ngày ") {
                let toks = tokenize(&low, at + 2, low.len());
                if let Some((d, _)) = date_at(&toks, 0, true) {
                    let place = line[..at].trim();
                    let place_ok =
                        place.chars().count() < 40 && !place.contains(|c: char| c.is_ascii_digit());
                    let date = d.year.and_then(|y| NaiveDate::from_ymd_opt(y, d.month, d.day));
                    if let Some(date) = date.filter(|_| place_ok) {
                        first_field.get_or_insert(i);
                        h.issued = Some((date, line.to_string()));
                        if !place.is_empty() {
                            h.place = Some((place.to_string(), line.to_string()));
                        }
                        continue;
                    }
                }
            }
        }
        if h.subject.is_none() && (low.starts_with("v/v") || low.starts_with("về việc")) {
            first_field.get_or_insert(i);
            let rest = if low.starts_with("v/v") {
                &line[3..]
            } else {
                &line["về việc".len()..]
            };
            let rest = rest.trim_start_matches([':', ' ', '.']).trim();
            if !rest.is_empty() {
                h.subject = Some((rest.to_string(), line.to_string()));
            }
            continue;
        }
        if h.subject.is_none() {
            if let Some((_, kind)) = KINDS.iter().find(|(k, _)| low == *k) {
                first_field.get_or_insert(i);
                h.kind = Some(kind.to_string());
                if let Some(title) = lines[i + 1..header_end].iter().find(|l| !l.is_empty()) {
                    h.subject = Some((title.to_string(), title.to_string()));
                }
            }
        }
    }
    // The issuing body: the upper-case lines above the first field, less
    // the national motto.
    let block: Vec<&str> = lines[..first_field.unwrap_or(0).min(15)]
        .iter()
        .copied()
        .filter(|l| !l.is_empty() && is_issuer_line(l))
        .collect();
    if let Some(body) = block.last() {
        h.issuer = Some((body.to_string(), body.to_string()));
        if block.len() >= 2 {
            h.issuer_parent = Some(block[block.len() - 2].to_string());
        }
    }
    if let Some((n, _)) = &h.number {
        h.kind = h.kind.take().or(kind_of_sign(n).map(str::to_string));
    }
    press_article(norm, &mut h);
    if h.issuer.is_none() {
        h.issuer = archive_line(&lines);
    }
    h
}

fn is_issuer_line(l: &str) -> bool {
    let low = lower(l);
    let motto = ["cộng hòa", "cộng hoà", "độc lập", "đảng cộng sản", "số", "v/v"];
    if motto.iter().any(|m| low.starts_with(m)) || l.chars().count() > 80 {
        return false;
    }
    let letters: Vec<char> = l.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 3 && letters.iter().filter(|c| c.is_uppercase()).count() * 10 >= letters.len() * 8
}

enum Number {
    Full(String),
    Blank(String),
}

/// "Số: 125-CV/BTGHU", "Số 125-CV/BTGHU", "SỐ/853-CV/BTGTU", "Số: /BCĐ".
fn number_line(line: &str) -> Option<Number> {
    let low = lower(line);
    if !low.starts_with("số") {
        return None;
    }
    let rest = line["số".len()..].trim_start_matches([':', ' ', '.']);
    let rest = rest.trim_start_matches(['…', '.', ' ']);
    let token: String = rest.split_whitespace().collect::<Vec<_>>().join("");
    let token = token.trim_end_matches(['.', ',', ';']);
    if token.is_empty() || !token.chars().any(char::is_alphabetic) {
        return None;
    }
    if let Some(sign) = token.strip_prefix('/') {
        if sign.starts_with(|c: char| c.is_ascii_digit()) {
            return Some(Number::Full(sign.to_string()));
        }
        return Some(Number::Blank(sign.to_string()));
    }
    if token.starts_with(|c: char| c.is_ascii_digit()) && token.contains(['/', '-']) {
        return Some(Number::Full(token.to_string()));
    }
    None
}

/// "Ngày 13/3/2023, Ban Tuyên giáo Tỉnh ủy đã ban hành Công văn số 1086 về
/// việc ...": the fields of a directive reported in the press.
fn press_article(norm: &str, h: &mut Header) {
    if h.number.is_some() && h.issued.is_some() && h.subject.is_some() {
        return;
    }
    for line in norm.lines().take(40) {
        for sentence in line.split_inclusive(". ") {
            let low = lower(sentence);
            let Some(at) = low.find("ban hành ") else {
                continue;
            };
            let after = &low[at + "ban hành ".len()..];
            let Some((_, kind)) = KINDS.iter().find(|(k, _)| after.starts_with(k)) else {
                continue;
            };
            let quote = sentence.trim().to_string();
            let body_at = at + "ban hành ".len() + kind.len();
            let toks = tokenize(&low, body_at, low.len());
            let mut k = 0;
            if toks.first().is_some_and(|t| t.is("số")) {
                k = 1;
            }
            if h.number.is_none() && k == 1 {
                if let Some(t) = toks.get(1) {
                    let end = sentence[t.start..]
                        .find(|c: char| c.is_whitespace() || c == ',')
                        .map_or(sentence.len(), |e| t.start + e);
                    let n = sentence[t.start..end].trim_end_matches(['.', ',']);
                    if n.starts_with(|c: char| c.is_ascii_digit()) {
                        h.number = Some((n.to_string(), quote.clone()));
                        h.kind.get_or_insert(kind.to_string());
                    }
                }
            }
            if h.issued.is_none() {
                let head = tokenize(&low, 0, at);
                if let Some((d, _)) = (0..head.len()).find_map(|i| date_at(&head, i, false)) {
                    if let Some(date) = d.year.and_then(|y| NaiveDate::from_ymd_opt(y, d.month, d.day)) {
                        h.issued = Some((date, quote.clone()));
                    }
                }
            }
            if h.issuer.is_none() {
                let head = &sentence[..at];
                let head = head.trim_end().trim_end_matches("đã").trim_end();
                let who = head.rsplit(',').next().unwrap_or(head).trim();
                if !who.is_empty() && who.chars().count() < 80 && who.starts_with(char::is_uppercase) {
                    h.issuer = Some((who.to_string(), quote.clone()));
                }
            }
            if h.subject.is_none() {
                if let Some(v) = low[at..].find("về việc ") {
                    let s = &sentence[at + v + "về việc ".len()..];
                    let s = s.trim().trim_end_matches(['.', ' ']).trim();
                    if !s.is_empty() {
                        h.subject = Some((s.to_string(), quote.clone()));
                    }
                }
            }
            return;
        }
    }
}

/// "- Lưu: VT, Ban Tuyên giáo Huyện ủy.": the issuer keeps a copy.
fn archive_line(lines: &[&str]) -> Option<(String, String)> {
    for line in lines.iter().rev().take(40) {
        let t = line.trim_start_matches(['-', '+', ' ']);
        let low = lower(t);
        if !low.starts_with("lưu") {
            continue;
        }
        let rest = t["lưu".len()..].trim_start_matches([':', ' ']);
        for part in rest.split([',', ';']) {
            let p = part.trim().trim_end_matches(['.', ' ']);
            let pl = lower(p);
            if p.contains(' ') && !pl.starts_with("vt") && !pl.starts_with("văn thư") && !pl.contains("hồ sơ")
            {
                return Some((p.to_string(), line.to_string()));
            }
        }
    }
    None
}
