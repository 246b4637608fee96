//! Text as it arrives from Word, web pages and hand-copied PDFs, made
//! regular enough to read: one Unicode form, plain spaces, no markdown
//! emphasis, lines that a PDF wrapped mid-sentence joined again; then
//! tokens, and the numbers officers write in words ("hai", "mười hai").

use unicode_normalization::UnicodeNormalization;

/// Normalizes document text. Everything the extractor quotes comes from
/// this text, so the officer sees clean sentences.
pub fn normalize(text: &str) -> String {
    // NFC first: NFD text (macOS, some web pages) splits tone marks off
    // their letters and no Vietnamese word would match.
    let nfc: String = text.nfc().collect();
    let mut cleaned = String::with_capacity(nfc.len());
    for c in nfc.chars() {
        match c {
            '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' | '\t' => {
                cleaned.push(' ')
            }
            '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\r' => {}
            // Emphasis and code marks from markdown or chat copy-paste.
            '*' | '_' | '`' | '~' => {}
            '\u{2010}'..='\u{2015}' | '\u{2212}' => cleaned.push('-'),
            '\u{2028}' | '\u{2029}' | '\u{000B}' | '\u{000C}' | '\u{0085}' => cleaned.push('\n'),
            c if c.is_control() && c != '\n' => cleaned.push(' '),
            c => cleaned.push(c),
        }
    }
    let lines: Vec<String> = cleaned.split('\n').map(clean_line).collect();
    // A PDF copied by hand breaks lines mid-sentence; a line that does not
    // end a sentence, followed by one that starts in lower case, goes on.
    let mut out = String::with_capacity(cleaned.len());
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        if i + 1 == lines.len() {
            break;
        }
        let next = &lines[i + 1];
        let ends = line.ends_with(['.', ';', ':', '!', '?']) || line.is_empty();
        let continues = next
            .chars()
            .next()
            .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit());
        if !ends && continues && !next.starts_with("- ") {
            out.push(' ');
        } else {
            out.push('\n');
        }
    }
    out
}

/// Trims a line, collapses its spaces and drops markdown heading and
/// quote marks at its start.
fn clean_line(line: &str) -> String {
    let line = line.trim().trim_start_matches(['#', '>']).trim();
    let mut out = String::with_capacity(line.len());
    let mut space = false;
    for c in line.chars() {
        if c == ' ' {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.push(c);
    }
    out
}

/// Lower case with every byte offset unchanged, so positions found in the
/// lower-case text point into the original. A letter whose lower case is
/// longer (none in Vietnamese) stays as it is.
pub fn lower(text: &str) -> String {
    text.chars()
        .map(|c| {
            let mut l = c.to_lowercase();
            match (l.next(), l.next()) {
                (Some(x), None) if x.len_utf8() == c.len_utf8() => x,
                _ => c,
            }
        })
        .collect()
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Letters.
    Word,
    /// ASCII digits.
    Num,
    /// Any other single character.
    Punct,
}

/// One token of lower-case text, with its byte span in that text.
#[derive(Debug, Clone, Copy)]
pub struct Tok<'a> {
    /// The token's text.
    pub text: &'a str,
    /// What it is.
    pub kind: Kind,
    /// Byte offset of its start.
    pub start: usize,
    /// Byte offset after its end.
    pub end: usize,
}

impl Tok<'_> {
    /// Whether this is the word or punctuation `s`.
    pub fn is(&self, s: &str) -> bool {
        self.text == s
    }

    /// Whether it is one of `words`.
    pub fn is_any(&self, words: &[&str]) -> bool {
        words.contains(&self.text)
    }
}

/// Splits `low[start..end]` into tokens whose spans are offsets into `low`.
pub fn tokenize(low: &str, start: usize, end: usize) -> Vec<Tok<'_>> {
    let mut toks = Vec::new();
    let s = &low[start..end];
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let kind = if c.is_alphabetic() || is_mark(c) {
            Kind::Word
        } else if c.is_ascii_digit() {
            Kind::Num
        } else if c.is_whitespace() {
            continue;
        } else {
            Kind::Punct
        };
        let mut j = i + c.len_utf8();
        if kind != Kind::Punct {
            while let Some(&(k, d)) = iter.peek() {
                let same = match kind {
                    Kind::Word => d.is_alphabetic() || is_mark(d),
                    _ => d.is_ascii_digit(),
                };
                if !same {
                    break;
                }
                j = k + d.len_utf8();
                iter.next();
            }
        }
        toks.push(Tok {
            text: &s[i..j],
            kind,
            start: start + i,
            end: start + j,
        });
    }
    toks
}

fn is_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

/// A digit written as a word, with the forms used after "mươi"/"mười".
fn digit_word(w: &str, after_tens: bool) -> Option<u32> {
    Some(match w {
        "một" => 1,
        "mốt" if after_tens => 1,
        "hai" => 2,
        "ba" => 3,
        "bốn" => 4,
        "tư" if after_tens => 4,
        "năm" | "lăm" => 5,
        "sáu" => 6,
        "bảy" | "bẩy" => 7,
        "tám" => 8,
        "chín" => 9,
        _ => return None,
    })
}

/// A number at token `i`: digits ("02"), words ("hai", "mười hai", "hai
/// mươi lăm"), either followed by the other in brackets ("02 (hai)").
/// Returns the value and the index after it.
pub fn number_at(toks: &[Tok], i: usize) -> Option<(u32, usize)> {
    let t = toks.get(i)?;
    let (value, mut next) = if t.kind == Kind::Num {
        if t.text.len() > 6 {
            return None;
        }
        (t.text.parse().ok()?, i + 1)
    } else if t.kind == Kind::Word {
        words_number(toks, i)?
    } else {
        return None;
    };
    // "02 (hai)" or "hai (02)": the bracket repeats the number.
    if toks.get(next).is_some_and(|t| t.is("(")) {
        let inner = toks.get(next + 1).and_then(|t| {
            if t.kind == Kind::Num {
                Some((t.text.parse::<u32>().ok()?, next + 2))
            } else {
                words_number(toks, next + 1)
            }
        });
        if let Some((v, after)) = inner {
            if v == value && toks.get(after).is_some_and(|t| t.is(")")) {
                next = after + 1;
            }
        }
    }
    Some((value, next))
}

fn words_number(toks: &[Tok], i: usize) -> Option<(u32, usize)> {
    let w = |k: usize| toks.get(k).filter(|t| t.kind == Kind::Word).map(|t| t.text);
    let first = w(i)?;
    if first == "mười" {
        return Some(match w(i + 1).and_then(|u| digit_word(u, true)) {
            Some(u) => (10 + u, i + 2),
            None => (10, i + 1),
        });
    }
    let d = digit_word(first, false)?;
    if w(i + 1) == Some("mươi") {
        return Some(match w(i + 2).and_then(|u| digit_word(u, true)) {
            Some(u) => (d * 10 + u, i + 3),
            None => (d * 10, i + 2),
        });
    }
    Some((d, i + 1))
}

/// Strips diacritics and keeps letters, digits and dashes: a file name
/// every system and every officer's keyboard can handle.
pub fn ascii_slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.nfd() {
        let c = match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !is_mark(c) && !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Option<u32> {
        let toks = tokenize(s, 0, s.len());
        number_at(&toks, 0).map(|(v, _)| v)
    }

    #[test]
    fn numbers_in_digits_and_words() {
        assert_eq!(num("02"), Some(2));
        assert_eq!(num("hai"), Some(2));
        assert_eq!(num("mười hai"), Some(12));
        assert_eq!(num("mười lăm"), Some(15));
        assert_eq!(num("hai mươi mốt"), Some(21));
        assert_eq!(num("ba mươi"), Some(30));
        assert_eq!(num("02 (hai)"), Some(2));
        assert_eq!(num("lượt"), None);
    }

    #[test]
    fn normalization_joins_wrapped_lines_and_drops_markdown() {
        let t = normalize("**phát ít nhất 02 lượt/\u{a0}\nngày** (*từ ngày 28/9*)");
        assert_eq!(t, "phát ít nhất 02 lượt/ ngày (từ ngày 28/9)");
        let nfd: String = "Số lượt".nfd().collect();
        assert_eq!(normalize(&nfd), "Số lượt");
        assert_eq!(lower("ĐÀI Truyền Thanh").len(), "ĐÀI Truyền Thanh".len());
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(ascii_slug("4568/KH-BCĐ"), "4568-KH-BCD");
        assert_eq!(ascii_slug("125-CV/BTGHU"), "125-CV-BTGHU");
    }
}
