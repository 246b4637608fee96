//! The calendar the planner produces: airings at exact instants, and the
//! shortfalls it could not avoid, each with its reason.

use chrono::{DateTime, NaiveDate};
use chrono_tz::Tz;
use serde::Serialize;

use crate::lang::{Lang, Localize};

/// Why an airing is on the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AiringKind {
    /// Meets a quota.
    Quota,
    /// A fixed-time item (ident, relay).
    Fixed,
    /// Replaces an airing of the same period that failed or was missed.
    MakeUp,
}

impl AiringKind {
    /// The name in JSON and files.
    pub fn as_str(self) -> &'static str {
        match self {
            AiringKind::Quota => "quota",
            AiringKind::Fixed => "fixed",
            AiringKind::MakeUp => "make-up",
        }
    }
}

impl Localize for AiringKind {
    fn localize(&self, lang: Lang) -> String {
        match self {
            AiringKind::Quota => lang.pick("chỉ tiêu", "quota"),
            AiringKind::Fixed => lang.pick("cố định", "fixed"),
            AiringKind::MakeUp => lang.pick("phát bù", "make-up"),
        }
        .to_string()
    }
}

/// One airing on the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedAiring {
    /// When the clip starts, station time.
    pub start: DateTime<Tz>,
    /// When it ends (start + clip duration, rounded up to a second).
    pub end: DateTime<Tz>,
    /// The window (session) it airs in.
    pub window: String,
    /// The clip id.
    pub clip: String,
    /// The directive it serves; `None` for station items.
    pub directive: Option<String>,
    /// Why it is here.
    pub kind: AiringKind,
}

/// Why a quota or fixed item could not be met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShortfallReason {
    /// The directive has no playable clip.
    NoClip,
    /// No window opens on the period's days (or in the quota's windows).
    NoWindow,
    /// The period's windows are full, or the per-session minutes cap is reached.
    WindowFull,
    /// The day already has its maximum number of sessions.
    SessionLimit,
    /// The period's windows have already passed.
    TooLate,
    /// Another quota's `at_most` cap stops more airings.
    AtMost,
    /// A fixed item collides with another item or runs past its window's end.
    FixedConflict,
}

impl ShortfallReason {
    /// The name in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ShortfallReason::NoClip => "no_clip",
            ShortfallReason::NoWindow => "no_window",
            ShortfallReason::WindowFull => "window_full",
            ShortfallReason::SessionLimit => "session_limit",
            ShortfallReason::TooLate => "too_late",
            ShortfallReason::AtMost => "at_most",
            ShortfallReason::FixedConflict => "fixed_conflict",
        }
    }
}

impl Localize for ShortfallReason {
    fn localize(&self, lang: Lang) -> String {
        use ShortfallReason::*;
        match self {
            NoClip => lang.pick("không có clip phát được", "no playable clip"),
            NoWindow => lang.pick(
                "không có khung giờ phát trong kỳ",
                "no broadcast window in the period",
            ),
            WindowFull => lang.pick("các khung giờ đã kín", "the windows are full"),
            SessionLimit => lang.pick(
                "đã đủ số buổi phát tối đa trong ngày",
                "the day's maximum sessions are used",
            ),
            TooLate => lang.pick("các khung giờ của kỳ đã qua", "the period's windows have passed"),
            AtMost => lang.pick("vượt giới hạn tối đa (at_most)", "an at_most cap is reached"),
            FixedConflict => lang.pick(
                "mục giờ cố định trùng mục khác hoặc vượt quá cuối khung giờ",
                "the fixed item collides with another or runs past the window's end",
            ),
        }
        .to_string()
    }
}

/// A quota period (or fixed instant) the calendar cannot meet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shortfall {
    /// The directive's number; `None` for a station fixed item.
    pub directive: Option<String>,
    /// The clip, for fixed items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clip: Option<String>,
    /// First day of the period.
    pub period_start: NaiveDate,
    /// Last day of the period.
    pub period_end: NaiveDate,
    /// Airings the quota asks for.
    pub required: u32,
    /// Airings already aired in full in the period.
    pub aired: u32,
    /// Airings counted toward the period: aired plus newly planned.
    pub planned: u32,
    /// Why not more.
    pub reason: ShortfallReason,
}

/// What the planner returns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Calendar {
    /// Airings in start order.
    pub airings: Vec<PlannedAiring>,
    /// Shortfalls in period order.
    pub shortfalls: Vec<Shortfall>,
}

impl Calendar {
    /// The calendar as the documented JSON.
    pub fn to_json(&self) -> serde_json::Value {
        let airings: Vec<_> = self
            .airings
            .iter()
            .map(|a| {
                serde_json::json!({
                    "start": a.start.to_rfc3339(),
                    "end": a.end.to_rfc3339(),
                    "window": a.window,
                    "clip": a.clip,
                    "directive": a.directive,
                    "kind": a.kind.as_str(),
                })
            })
            .collect();
        let shortfalls: Vec<_> = self
            .shortfalls
            .iter()
            .map(|s| {
                let mut v = serde_json::json!({
                    "directive": s.directive,
                    "period_start": s.period_start.to_string(),
                    "period_end": s.period_end.to_string(),
                    "required": s.required,
                    "aired": s.aired,
                    "planned": s.planned,
                    "reason": s.reason.as_str(),
                });
                if let Some(clip) = &s.clip {
                    v["clip"] = serde_json::Value::String(clip.clone());
                }
                v
            })
            .collect();
        serde_json::json!({ "airings": airings, "shortfalls": shortfalls })
    }
}
