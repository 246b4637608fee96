//! The document file as text: plain text in UTF-8, UTF-16 (with a byte
//! order mark, or without one when the zero bytes give it away) or
//! Windows-1258, and Word `.docx` (its `word/document.xml`, paragraphs as
//! lines). PDFs and old `.doc` files are refused with what to do instead.

use std::io::Read;
use std::path::Path;

use quick_xml::events::Event;

use crate::lang::{Lang, Localize};

/// Why a document could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReadError {
    /// The file could not be opened.
    #[error("cannot read {path}: {reason}")]
    Unreadable {
        /// The file.
        path: String,
        /// The system's reason.
        reason: String,
    },
    /// A PDF.
    #[error("PDF is not read")]
    Pdf,
    /// An old binary Word file.
    #[error("old .doc is not read")]
    LegacyDoc,
    /// A `.docx` that is not a valid Word document.
    #[error("not a valid .docx: {reason}")]
    Docx {
        /// What is wrong.
        reason: String,
    },
    /// Text in an encoding that cannot be told.
    #[error("unknown text encoding")]
    Encoding,
}

impl Localize for ReadError {
    fn localize(&self, lang: Lang) -> String {
        match (self, lang) {
            (ReadError::Unreadable { path, reason }, Lang::Vi) => format!("không đọc được {path}: {reason}"),
            (ReadError::Unreadable { path, reason }, Lang::En) => format!("cannot read {path}: {reason}"),
            (ReadError::Pdf, Lang::Vi) => {
                "tệp PDF không đọc được chữ một cách tin cậy: hãy mở văn bản và lưu \
                thành tệp văn bản (.txt, UTF-8) hoặc Word (.docx), rồi nhập tệp đó"
                    .to_string()
            }
            (ReadError::Pdf, Lang::En) => "a PDF's text cannot be read reliably: open the document and save \
                it as text (.txt, UTF-8) or Word (.docx), then import that file"
                .to_string(),
            (ReadError::LegacyDoc, Lang::Vi) => {
                "tệp Word cũ (.doc): hãy mở bằng Word hoặc LibreOffice và lưu thành .docx".to_string()
            }
            (ReadError::LegacyDoc, Lang::En) => {
                "an old Word file (.doc): open it in Word or LibreOffice and save it as .docx".to_string()
            }
            (ReadError::Docx { reason }, Lang::Vi) => format!("tệp .docx không hợp lệ: {reason}"),
            (ReadError::Docx { reason }, Lang::En) => format!("not a valid .docx file: {reason}"),
            (ReadError::Encoding, Lang::Vi) => {
                "không nhận ra bảng mã của tệp văn bản (có thể là TCVN3/VNI): \
                hãy chuyển sang Unicode (ví dụ bằng Unikey) và lưu dạng UTF-8"
                    .to_string()
            }
            (ReadError::Encoding, Lang::En) => "the text file's encoding is not recognised (perhaps \
                TCVN3/VNI): convert it to Unicode (e.g. with Unikey) and save it as UTF-8"
                .to_string(),
        }
    }
}

/// Reads a document file as text.
pub fn read_document(path: &Path) -> Result<String, ReadError> {
    let bytes = std::fs::read(path).map_err(|e| ReadError::Unreadable {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if bytes.starts_with(b"%PDF") || ext == "pdf" {
        return Err(ReadError::Pdf);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(ReadError::LegacyDoc);
    }
    if bytes.starts_with(b"PK\x03\x04") || ext == "docx" {
        return docx_text(&bytes);
    }
    decode_text(&bytes)
}

/// Decodes plain text: UTF-8 (with or without BOM), UTF-16 LE/BE, or
/// Windows-1258 when the result reads as Vietnamese.
pub fn decode_text(bytes: &[u8]) -> Result<String, ReadError> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        return if had_errors {
            Err(ReadError::Encoding)
        } else {
            Ok(text.into_owned())
        };
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(s.to_string());
    }
    // UTF-16 without a BOM: Vietnamese text is mostly ASCII, so one byte of
    // each pair is zero far more often than not.
    if bytes.len() >= 4 {
        let even = bytes.iter().step_by(2).filter(|b| **b == 0).count();
        let odd = bytes.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
        let half = bytes.len() / 2;
        let enc = if odd * 3 > half && even * 10 < half {
            Some(encoding_rs::UTF_16LE)
        } else if even * 3 > half && odd * 10 < half {
            Some(encoding_rs::UTF_16BE)
        } else {
            None
        };
        if let Some(enc) = enc {
            let (text, had_errors) = enc.decode_without_bom_handling(bytes);
            if !had_errors {
                return Ok(text.into_owned());
            }
        }
    }
    // Windows-1258 writes tones as combining marks after the letter; the
    // decoded text is Vietnamese when common words appear once composed.
    let (text, _) = encoding_rs::WINDOWS_1258.decode_without_bom_handling(bytes);
    let composed = super::text::normalize(&text).to_lowercase();
    let hits = [
        "của",
        "và",
        "các",
        "ngày",
        "thực hiện",
        "tuyên truyền",
        "được",
        "trong",
    ]
    .iter()
    .filter(|w| composed.contains(*w))
    .count();
    if hits >= 2 {
        return Ok(text.into_owned());
    }
    Err(ReadError::Encoding)
}

/// The text of a `.docx`: paragraphs as lines, tabs and breaks kept.
fn docx_text(bytes: &[u8]) -> Result<String, ReadError> {
    let bad = |reason: String| ReadError::Docx { reason };
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .map_err(|e| bad(format!("word/document.xml: {e}")))?
        .take(64 << 20)
        .read_to_string(&mut xml)
        .map_err(|e| bad(e.to_string()))?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event().map_err(|e| bad(e.to_string()))? {
            Event::Start(e) if e.local_name().as_ref() == "t" => in_text = true,
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => out.push('\n'),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "tab" => out.push('\t'),
                "br" | "cr" => out.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => {
                out.push_str(&t);
            }
            Event::GeneralRef(r) if in_text => {
                out.push_str(match &*r {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                });
                if let Some(c) = r.resolve_char_ref().ok().flatten() {
                    out.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_and_windows_1258_are_decoded() {
        let text = "Số lượt phát của các xã, ngày 28/9";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode_text(&le).unwrap(), text);
        let bare: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(decode_text(&bare).unwrap(), text);
        // Windows-1258 as Word saved it: tones as combining marks (0xD2 hook
        // above, 0xDE tilde) after letters, some letters precomposed (0xE1 á).
        let cp = b"c\x75\xD2a c\xE1c x\x61\xDE v\xE0 ng\xE0y";
        let back = decode_text(cp).unwrap();
        assert_eq!(super::super::text::normalize(&back), "của các xã và ngày");
        assert_eq!(decode_text(&[0x81, 0x82, 0x83, 0x84]), Err(ReadError::Encoding));
    }
}
