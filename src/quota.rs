//! Quotas: "at least N airings per day/week/month between two dates", the
//! rule a directive sets and the planner exists to meet.

use chrono::{Datelike, Duration, NaiveDate};
use serde::Deserialize;
use toml::Spanned;

use crate::error::{ConfigError, Problem};
use crate::source::SourceFile;
use crate::station::Station;

/// The length of a quota's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    /// One calendar day.
    Day,
    /// Monday to Sunday, as Vietnamese calendars run.
    Week,
    /// One calendar month.
    Month,
}

impl Period {
    /// Parses `day|week|month` (also Vietnamese `ngày|tuần|tháng`).
    pub fn parse(s: &str) -> Option<Period> {
        match s.trim().to_lowercase().as_str() {
            "day" | "ngày" | "daily" => Some(Period::Day),
            "week" | "tuần" | "weekly" => Some(Period::Week),
            "month" | "tháng" | "monthly" => Some(Period::Month),
            _ => None,
        }
    }

    /// The first day of the period that holds `date`.
    pub fn start_of(self, date: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => date,
            Period::Week => date - Duration::days(i64::from(date.weekday().num_days_from_monday())),
            Period::Month => date.with_day(1).expect("day 1 exists"),
        }
    }

    /// The last day of the period that holds `date`.
    pub fn end_of(self, date: NaiveDate) -> NaiveDate {
        match self {
            Period::Day => date,
            Period::Week => self.start_of(date) + Duration::days(6),
            Period::Month => {
                let (y, m) = if date.month() == 12 {
                    (date.year() + 1, 1)
                } else {
                    (date.year(), date.month() + 1)
                };
                NaiveDate::from_ymd_opt(y, m, 1).expect("valid date") - Duration::days(1)
            }
        }
    }

    /// The English name used in files and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }
}

/// What a quota counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuotaWhat {
    /// Airings on the loudspeakers; the planner schedules these.
    Airings,
    /// New content items per period ("02 tin, bài/tuần"); reported, not scheduled.
    NewItems,
}

/// `[[quota]]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuota {
    at_least: Spanned<i64>,
    per: Spanned<String>,
    from: Spanned<toml::Value>,
    until: Option<Spanned<toml::Value>>,
    windows: Option<Vec<Spanned<String>>>,
    at_most: Option<Spanned<i64>>,
    what: Option<Spanned<String>>,
}

/// A validated quota.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quota {
    /// The minimum per period.
    pub at_least: u32,
    /// An optional cap per period.
    pub at_most: Option<u32>,
    /// The period.
    pub per: Period,
    /// First day it applies.
    pub from: NaiveDate,
    /// Last day it applies; `None` for open-ended.
    pub until: Option<NaiveDate>,
    /// Indices of the station windows it may use; `None` for any.
    pub windows: Option<Vec<usize>>,
    /// What it counts.
    pub what: QuotaWhat,
}

impl Quota {
    /// Validates one `[[quota]]` against the station's windows.
    pub fn validate(raw: &RawQuota, src: &SourceFile, station: &Station) -> Result<Quota, Vec<ConfigError>> {
        let mut errors = Vec::new();
        let at_least = src
            .count("at_least", &raw.at_least, 1)
            .map_err(|e| errors.push(e))
            .ok();
        let at_most = match &raw.at_most {
            None => None,
            Some(v) => src.count("at_most", v, 1).map_err(|e| errors.push(e)).ok(),
        };
        if let (Some(l), Some(m)) = (at_least, at_most) {
            if m < l {
                errors.push(src.error_at(
                    raw.at_most.as_ref().expect("checked above"),
                    Problem::AtMostBelowAtLeast {
                        at_least: l,
                        at_most: m,
                    },
                ));
            }
        }
        let per = Period::parse(raw.per.get_ref()).or_else(|| {
            errors.push(src.error_at(
                &raw.per,
                Problem::BadPeriod {
                    value: raw.per.get_ref().clone(),
                },
            ));
            None
        });
        let from = src.date(&raw.from).map_err(|e| errors.push(e)).ok();
        let until = match &raw.until {
            None => None,
            Some(v) => src.date(v).map_err(|e| errors.push(e)).ok(),
        };
        if let (Some(f), Some(u)) = (from, until) {
            if u < f {
                errors.push(src.error_at(
                    raw.until.as_ref().expect("checked above"),
                    Problem::UntilBeforeFrom {
                        from: f.to_string(),
                        until: u.to_string(),
                    },
                ));
            }
        }
        let windows = raw.windows.as_ref().map(|names| {
            names
                .iter()
                .filter_map(|n| {
                    station.window_index(n.get_ref().trim()).or_else(|| {
                        errors.push(src.error_at(
                            n,
                            Problem::UnknownWindow {
                                name: n.get_ref().clone(),
                                known: station.windows.iter().map(|w| w.name.clone()).collect(),
                            },
                        ));
                        None
                    })
                })
                .collect::<Vec<_>>()
        });
        let what = match &raw.what {
            None => Some(QuotaWhat::Airings),
            Some(w) => match w.get_ref().trim() {
                "airings" | "airing" => Some(QuotaWhat::Airings),
                "new_items" | "new-items" => Some(QuotaWhat::NewItems),
                other => {
                    errors.push(src.error_at(
                        w,
                        Problem::BadWhat {
                            value: other.to_string(),
                        },
                    ));
                    None
                }
            },
        };
        match (at_least, per, from, what) {
            (Some(at_least), Some(per), Some(from), Some(what)) if errors.is_empty() => Ok(Quota {
                at_least,
                at_most,
                per,
                from,
                until,
                windows,
                what,
            }),
            _ => Err(errors),
        }
    }

    /// Whether the quota applies on `date`.
    pub fn applies_on(&self, date: NaiveDate) -> bool {
        date >= self.from && self.until.is_none_or(|u| date <= u)
    }

    /// The period holding `date`, clipped to the quota's own dates.
    pub fn period_of(&self, date: NaiveDate) -> (NaiveDate, NaiveDate) {
        let start = self.per.start_of(date).max(self.from);
        let end = self.per.end_of(date);
        let end = self.until.map_or(end, |u| end.min(u));
        (start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_run_monday_to_sunday_and_months_end_on_their_last_day() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(); // Wednesday
        assert_eq!(
            Period::Week.start_of(d),
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
        );
        assert_eq!(
            Period::Week.end_of(d),
            NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()
        );
        assert_eq!(
            Period::Month.end_of(d),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
        );
        let feb = NaiveDate::from_ymd_opt(2028, 2, 10).unwrap();
        assert_eq!(
            Period::Month.end_of(feb),
            NaiveDate::from_ymd_opt(2028, 2, 29).unwrap()
        );
    }
}
