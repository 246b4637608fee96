//! Report deadlines a directive sets: one-off ("trước ngày 30/01/2024") or
//! recurring ("định kỳ 6 tháng, trước ngày 30/5").

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use crate::error::{ConfigError, Problem};
use crate::source::SourceFile;
use crate::window::MonthDay;

/// `[[report]]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDeadline {
    due: Option<Spanned<toml::Value>>,
    every: Option<Spanned<String>>,
    before: Option<Spanned<String>>,
}

/// A validated report deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deadline {
    /// One report due before a date.
    Once(NaiveDate),
    /// A report every `months` months, due before a day of the year.
    Every {
        /// Cycle length in months (12 for yearly).
        months: u32,
        /// The day of the year it is due before.
        before: MonthDay,
    },
}

impl Deadline {
    /// Validates one `[[report]]`.
    pub fn validate(raw: &RawDeadline, src: &SourceFile) -> Result<Deadline, ConfigError> {
        match (&raw.due, &raw.every, &raw.before) {
            (Some(due), None, None) => Ok(Deadline::Once(src.date(due)?)),
            (None, Some(every), Some(before)) => {
                let months = parse_every(every.get_ref()).ok_or_else(|| {
                    src.error_at(
                        every,
                        Problem::BadEvery {
                            value: every.get_ref().clone(),
                        },
                    )
                })?;
                let before = MonthDay::parse(before.get_ref()).ok_or_else(|| {
                    src.error_at(
                        before,
                        Problem::BadMonthDay {
                            value: before.get_ref().clone(),
                        },
                    )
                })?;
                Ok(Deadline::Every { months, before })
            }
            _ => Err(src.error(Problem::BadReport)),
        }
    }
}

/// Parses "6 months", "1 year", "6 tháng", "năm", "yearly" into months.
fn parse_every(text: &str) -> Option<u32> {
    let t = text.trim().to_lowercase();
    let (n, unit) = match t.split_once(char::is_whitespace) {
        Some((n, unit)) => (n.trim().parse::<u32>().ok()?, unit.trim().to_string()),
        None => (1, t.clone()),
    };
    let per_unit = match unit.as_str() {
        "month" | "months" | "tháng" | "monthly" => 1,
        "year" | "years" | "năm" | "yearly" | "hằng năm" | "hàng năm" => 12,
        _ => return None,
    };
    (n > 0).then_some(n * per_unit)
}

#[cfg(test)]
mod tests {
    use super::parse_every;

    #[test]
    fn cycles_in_both_languages() {
        assert_eq!(parse_every("6 months"), Some(6));
        assert_eq!(parse_every("6 tháng"), Some(6));
        assert_eq!(parse_every("1 year"), Some(12));
        assert_eq!(parse_every("yearly"), Some(12));
        assert_eq!(parse_every("0 months"), None);
        assert_eq!(parse_every("fortnight"), None);
    }
}
