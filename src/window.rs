//! Broadcast windows: the times of day a station may air, on which weekdays
//! and in which season. Nothing is ever placed outside a window.

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};

/// A set of weekdays, one bit per day (Monday = bit 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DaySet(u8);

impl DaySet {
    /// Every day of the week.
    pub const ALL: DaySet = DaySet(0x7f);
    /// No day.
    pub const NONE: DaySet = DaySet(0);

    /// Adds one weekday.
    pub fn with(self, day: Weekday) -> DaySet {
        DaySet(self.0 | (1 << day.num_days_from_monday()))
    }

    /// Whether `day` is in the set.
    pub fn contains(self, day: Weekday) -> bool {
        self.0 & (1 << day.num_days_from_monday()) != 0
    }

    /// Whether the two sets share a day.
    pub fn intersects(self, other: DaySet) -> bool {
        self.0 & other.0 != 0
    }
}

/// Parses a weekday as officers write it: `T2`..`T7`, `CN` (also "Thứ 2",
/// "Chủ nhật") or English `mon`..`sun` / full names. Case-insensitive.
pub fn parse_day(text: &str) -> Option<Weekday> {
    let t = text.trim().to_lowercase();
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let day = match compact.as_str() {
        "t2" | "thứ2" | "thứhai" | "mon" | "monday" => Weekday::Mon,
        "t3" | "thứ3" | "thứba" | "tue" | "tuesday" => Weekday::Tue,
        "t4" | "thứ4" | "thứtư" | "wed" | "wednesday" => Weekday::Wed,
        "t5" | "thứ5" | "thứnăm" | "thu" | "thursday" => Weekday::Thu,
        "t6" | "thứ6" | "thứsáu" | "fri" | "friday" => Weekday::Fri,
        "t7" | "thứ7" | "thứbảy" | "sat" | "saturday" => Weekday::Sat,
        "cn" | "chủnhật" | "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    };
    Some(day)
}

/// The Vietnamese short name of a weekday (T2..T7, CN).
pub fn day_name_vi(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "T2",
        Weekday::Tue => "T3",
        Weekday::Wed => "T4",
        Weekday::Thu => "T5",
        Weekday::Fri => "T6",
        Weekday::Sat => "T7",
        Weekday::Sun => "CN",
    }
}

/// Parses `HH:MM` (also `H:MM` and `HH:MM:SS`).
pub fn parse_time(text: &str) -> Option<NaiveTime> {
    let t = text.trim();
    NaiveTime::parse_from_str(t, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M:%S"))
        .ok()
}

/// A day of the year without a year, `MM-DD`, for seasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MonthDay {
    /// 1..=12
    pub month: u32,
    /// 1..=31
    pub day: u32,
}

impl MonthDay {
    /// Parses `MM-DD` (also `DD/MM` as Vietnamese text writes it).
    pub fn parse(text: &str) -> Option<MonthDay> {
        let t = text.trim();
        let (month, day) = if let Some((m, d)) = t.split_once('-') {
            (m.parse().ok()?, d.parse().ok()?)
        } else if let Some((d, m)) = t.split_once('/') {
            (m.parse().ok()?, d.parse().ok()?)
        } else {
            return None;
        };
        // 2000 is a leap year, so 02-29 is accepted.
        NaiveDate::from_ymd_opt(2000, month, day)?;
        Some(MonthDay { month, day })
    }

    /// The month and day of a date.
    pub fn of(date: NaiveDate) -> MonthDay {
        MonthDay {
            month: date.month(),
            day: date.day(),
        }
    }
}

/// The part of each year a window is in force, bounds included. A season
/// may wrap the new year (`10-01` until `03-31`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Season {
    /// First day in force.
    pub from: MonthDay,
    /// Last day in force.
    pub until: MonthDay,
}

impl Season {
    /// Whether the season covers `date`.
    pub fn contains(&self, date: NaiveDate) -> bool {
        let md = MonthDay::of(date);
        if self.from <= self.until {
            self.from <= md && md <= self.until
        } else {
            md >= self.from || md <= self.until
        }
    }

    /// Whether two seasons share a day (checked over a leap year).
    pub fn overlaps(&self, other: &Season) -> bool {
        let mut date = NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date");
        while date.year() == 2000 {
            if self.contains(date) && other.contains(date) {
                return true;
            }
            date = date.succ_opt().expect("valid date");
        }
        false
    }
}

/// A validated broadcast window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// The name officers use ("sáng", "chiều"); quotas refer to it.
    pub name: String,
    /// Opening time of day, station time.
    pub start: NaiveTime,
    /// Closing time of day, after `start` (windows do not cross midnight).
    pub end: NaiveTime,
    /// Weekdays the window opens.
    pub days: DaySet,
    /// Part of the year it opens; `None` for all year.
    pub season: Option<Season>,
}

impl Window {
    /// Whether the window opens on `date`.
    pub fn is_open_on(&self, date: NaiveDate) -> bool {
        self.days.contains(date.weekday()) && self.season.is_none_or(|s| s.contains(date))
    }

    /// Whether the time of day `t` is inside the window, `start <= t < end`.
    pub fn covers_time(&self, t: NaiveTime) -> bool {
        self.start <= t && t < self.end
    }

    /// Whether the two windows can be open at one moment.
    pub fn overlaps(&self, other: &Window) -> bool {
        let times = self.start < other.end && other.start < self.end;
        let days = self.days.intersects(other.days);
        let seasons = match (&self.season, &other.season) {
            (Some(a), Some(b)) => a.overlaps(b),
            _ => true,
        };
        times && days && seasons
    }

    /// Length in seconds.
    pub fn length_seconds(&self) -> i64 {
        (self.end - self.start).num_seconds()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn days_in_vietnamese_and_english() {
        assert_eq!(parse_day("T2"), Some(Weekday::Mon));
        assert_eq!(parse_day("cn"), Some(Weekday::Sun));
        assert_eq!(parse_day("Chủ nhật"), Some(Weekday::Sun));
        assert_eq!(parse_day("Sat"), Some(Weekday::Sat));
        assert_eq!(parse_day("T8"), None);
    }

    #[test]
    fn season_wraps_the_new_year() {
        let winter = Season {
            from: MonthDay::parse("10-01").unwrap(),
            until: MonthDay::parse("03-31").unwrap(),
        };
        assert!(winter.contains(d(2026, 12, 25)));
        assert!(winter.contains(d(2027, 3, 31)));
        assert!(!winter.contains(d(2027, 4, 1)));
        let summer = Season {
            from: MonthDay::parse("04-01").unwrap(),
            until: MonthDay::parse("09-30").unwrap(),
        };
        assert!(!winter.overlaps(&summer));
        assert!(summer.contains(d(2026, 9, 30)));
    }

    #[test]
    fn window_opens_only_on_its_days_and_season() {
        let w = Window {
            name: "sáng".into(),
            start: parse_time("05:30").unwrap(),
            end: parse_time("06:30").unwrap(),
            days: [
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
                Weekday::Sat,
            ]
            .into_iter()
            .fold(DaySet::NONE, DaySet::with),
            season: None,
        };
        assert!(w.is_open_on(d(2026, 11, 30))); // Monday
        assert!(!w.is_open_on(d(2026, 11, 29))); // Sunday
        assert!(w.covers_time(parse_time("05:30").unwrap()));
        assert!(!w.covers_time(parse_time("06:30").unwrap()));
    }
}
