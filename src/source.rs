//! A TOML file read from disk, kept with its text so that every problem
//! found while validating it can name the line and column.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use toml::Spanned;

use crate::error::{ConfigError, Problem};

/// The text of one file an officer edits.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// Its whole text.
    pub text: String,
}

impl SourceFile {
    /// Reads a file; a missing or unreadable file is a [`ConfigError`].
    pub fn read(path: &Path) -> Result<SourceFile, ConfigError> {
        let bytes = std::fs::read(path).map_err(|e| {
            ConfigError::file(
                path,
                Problem::Unreadable {
                    reason: e.to_string(),
                },
            )
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            ConfigError::at(
                path,
                "",
                0,
                Problem::Unreadable {
                    reason: format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
                },
            )
        })?;
        Ok(SourceFile {
            path: path.to_path_buf(),
            text,
        })
    }

    /// A file held in memory (tests, the web page).
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            path: path.into(),
            text: text.into(),
        }
    }

    /// Deserializes the raw (stage one) form of the file.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, ConfigError> {
        toml::from_str(&self.text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            ConfigError::at(
                &self.path,
                &self.text,
                offset,
                Problem::Syntax {
                    message: e.message().trim().to_string(),
                },
            )
        })
    }

    /// A problem at the start of a spanned value.
    pub fn error_at<T>(&self, value: &Spanned<T>, problem: Problem) -> ConfigError {
        ConfigError::at(&self.path, &self.text, value.span().start, problem)
    }

    /// A problem with the file as a whole.
    pub fn error(&self, problem: Problem) -> ConfigError {
        ConfigError::file(&self.path, problem)
    }

    /// Reads a date written as a TOML date (`2021-09-28`) or as a string
    /// in ISO or Vietnamese order (`"2021-09-28"`, `"28/9/2021"`).
    pub fn date(&self, value: &Spanned<toml::Value>) -> Result<NaiveDate, ConfigError> {
        let parsed = match value.get_ref() {
            toml::Value::Datetime(dt) => match (&dt.date, &dt.time) {
                (Some(d), None) => NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32),
                _ => None,
            },
            toml::Value::String(s) => parse_date_text(s),
            _ => None,
        };
        parsed.ok_or_else(|| {
            let shown = match value.get_ref() {
                toml::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            self.error_at(value, Problem::BadDate { value: shown })
        })
    }

    /// Reads a whole number that must be at least `min`.
    pub fn count(&self, name: &str, value: &Spanned<i64>, min: i64) -> Result<u32, ConfigError> {
        let v = *value.get_ref();
        if v < min || v > i64::from(u32::MAX) {
            return Err(self.error_at(
                value,
                Problem::BadCount {
                    name: name.to_string(),
                    value: v,
                },
            ));
        }
        Ok(v as u32)
    }
}

/// Parses `YYYY-MM-DD` or `D/M/YYYY` (also with `-` or `.` after the day).
pub fn parse_date_text(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d);
    }
    let parts: Vec<&str> = s.split(['/', '.', '-']).map(str::trim).collect();
    if let [d, m, y] = parts.as_slice() {
        if y.len() == 4 {
            return NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_iso_and_vietnamese_order() {
        let want = NaiveDate::from_ymd_opt(2021, 9, 28);
        assert_eq!(parse_date_text("2021-09-28"), want);
        assert_eq!(parse_date_text("28/9/2021"), want);
        assert_eq!(parse_date_text("28.09.2021"), want);
        assert_eq!(parse_date_text("31/2/2021"), None);
        assert_eq!(parse_date_text("28/9"), None);
    }

    #[test]
    fn syntax_error_names_line_and_column() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            a: i64,
        }
        let src = SourceFile::new("x.toml", "# c\na = \"nine\"\n");
        let err = src.parse::<T>().unwrap_err();
        assert_eq!(err.location.line_col, Some((2, 5)));
        assert!(matches!(err.problem, Problem::Syntax { .. }));
    }
}
