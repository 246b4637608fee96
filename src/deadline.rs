//! Report deadlines a directive sets: one-off ("trước ngày 30/01/2024") or
//! recurring ("định kỳ 6 tháng, trước ngày 30/5").

use chrono::{Datelike, Months, NaiveDate};
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

/// A report that falls due, and the period it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Due {
    /// The report is due before this day.
    pub date: NaiveDate,
    /// First day of the period the report covers.
    pub period_start: NaiveDate,
    /// Last day of the period it covers.
    pub period_end: NaiveDate,
}

impl Deadline {
    /// The first due date on or after `today`; `since` starts the period of
    /// a one-off report (the directive's start).
    pub fn next_due(&self, today: NaiveDate, since: NaiveDate) -> Option<Due> {
        match *self {
            Deadline::Once(date) => (date >= today).then_some(Due {
                date,
                period_start: since.min(date),
                period_end: date.pred_opt().unwrap_or(date),
            }),
            Deadline::Every { months, before } => {
                // Due dates run every `months` months through `before`.
                let anchor = NaiveDate::from_ymd_opt(today.year() - 1, before.month, before.day.min(28))?;
                let anchor = anchor.with_day(before.day).unwrap_or(anchor);
                (0..(36 / months.max(1) + 2))
                    .filter_map(|k| anchor.checked_add_months(Months::new(k * months)))
                    .find(|d| *d >= today)
                    .map(|date| Due {
                        date,
                        period_start: date.checked_sub_months(Months::new(months)).unwrap_or(date),
                        period_end: date.pred_opt().unwrap_or(date),
                    })
            }
        }
    }
}

/// The next due report of every deadline of every directive, by number.
pub fn upcoming(directives: &[crate::directive::Directive], today: NaiveDate) -> Vec<(String, Due)> {
    directives
        .iter()
        .flat_map(|d| {
            let since = d
                .quotas
                .iter()
                .map(|q| q.from)
                .min()
                .or(d.issued)
                .unwrap_or(today);
            d.reports
                .iter()
                .filter_map(move |r| r.next_due(today, since).map(|due| (d.number.clone(), due)))
        })
        .collect()
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
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn six_monthly_reports_before_30_5_fall_due_in_may_and_november() {
        let every = Deadline::Every {
            months: 6,
            before: MonthDay::parse("05-30").unwrap(),
        };
        let due = every.next_due(d("2026-11-30"), d("2020-01-01")).unwrap();
        assert_eq!(
            (due.date, due.period_start, due.period_end),
            (d("2026-11-30"), d("2026-05-30"), d("2026-11-29"))
        );
        assert_eq!(
            every.next_due(d("2026-12-01"), d("2020-01-01")).unwrap().date,
            d("2027-05-30")
        );
        let yearly = Deadline::Every {
            months: 12,
            before: MonthDay::parse("10-30").unwrap(),
        };
        assert_eq!(
            yearly.next_due(d("2026-11-30"), d("2020-01-01")).unwrap().date,
            d("2027-10-30")
        );
    }

    #[test]
    fn a_one_off_report_is_due_once() {
        let once = Deadline::Once(d("2024-01-30"));
        let due = once.next_due(d("2024-01-01"), d("2023-12-21")).unwrap();
        assert_eq!(
            (due.period_start, due.period_end),
            (d("2023-12-21"), d("2024-01-29"))
        );
        assert_eq!(once.next_due(d("2024-01-31"), d("2023-12-21")), None);
    }

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
