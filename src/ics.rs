//! The calendar as iCalendar (RFC 5545), so an officer can import the plan
//! into a phone calendar. Written by hand: the subset needed is small and
//! exact (escaping, 75-octet folding, CRLF, UTC times).

use chrono::{DateTime, Utc};

use crate::calendar::Calendar;
use crate::lang::{Lang, Localize};

/// Renders the calendar; `stamp` is the DTSTAMP (when the plan was made).
pub fn to_ics(calendar: &Calendar, station: &str, stamp: DateTime<Utc>, lang: Lang) -> String {
    let mut out = String::new();
    let mut line = |s: String| fold_into(&mut out, &s);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//loa//broadcast plan//VI".into());
    line("CALSCALE:GREGORIAN".into());
    line(format!("X-WR-CALNAME:{}", escape(station)));
    let utc = |t: &DateTime<chrono_tz::Tz>| t.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ").to_string();
    for a in &calendar.airings {
        line("BEGIN:VEVENT".into());
        line(format!(
            "UID:{}-{}-{}@loa",
            utc(&a.start),
            escape(&a.clip),
            a.kind.as_str()
        ));
        line(format!("DTSTAMP:{}", stamp.format("%Y%m%dT%H%M%SZ")));
        line(format!("DTSTART:{}", utc(&a.start)));
        line(format!("DTEND:{}", utc(&a.end)));
        let summary = match &a.directive {
            Some(d) => format!("{} ({d})", a.clip),
            None => a.clip.clone(),
        };
        line(format!("SUMMARY:{}", escape(&summary)));
        line(format!(
            "DESCRIPTION:{}",
            escape(&format!(
                "{}: {} · {}",
                lang.pick("Buổi", "Session"),
                a.window,
                a.kind.localize(lang)
            ))
        ));
        line(format!("LOCATION:{}", escape(station)));
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => o.push_str("\\\\"),
            ';' => o.push_str("\\;"),
            ',' => o.push_str("\\,"),
            '\n' => o.push_str("\\n"),
            '\r' => {}
            c => o.push(c),
        }
    }
    o
}

/// Appends one content line folded at 75 octets without splitting a character.
fn fold_into(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_vietnamese_lines_fold_at_75_octets_on_character_boundaries() {
        let mut out = String::new();
        let text = format!("SUMMARY:{}", "Tuyên truyền điển hình tiên tiến ".repeat(4));
        fold_into(&mut out, &text);
        for l in out.split("\r\n") {
            assert!(l.len() <= 75, "{l:?} is {} octets", l.len());
        }
        assert_eq!(out.replace("\r\n ", ""), format!("{text}\r\n"));
    }

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
