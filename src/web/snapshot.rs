//! One request's view of the station: the files loaded afresh, the log
//! opened read-only, and the planner run the way the daemon runs it, so the
//! page shows what the daemon will do.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use super::WebState;
use crate::airing_log::{AiringLog, LogError, Record};
use crate::calendar::Calendar;
use crate::inputs::Inputs;
use crate::lang::{Lang, Localize};
use crate::planner::{plan, PlanRequest};
use crate::report::day_start;

/// How far back the planner looks for airings to make up (as the daemon).
const LOOK_BACK_DAYS: i64 = 40;

/// The station at the moment of a request.
pub(crate) struct Snapshot {
    pub inputs: Inputs,
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub tz: Tz,
    /// The log, opened at the first use and kept for the rest of the request.
    log: std::cell::OnceCell<Option<AiringLog>>,
}

impl Snapshot {
    /// Loads the station; the error is the config's problems, in `lang`.
    pub fn load(state: &WebState, lang: Lang) -> Result<Snapshot, String> {
        let now = state.inner.clock.now();
        let inputs = Inputs::load(&state.inner.config, now).map_err(|errors| {
            errors
                .iter()
                .map(|e| e.localize(lang))
                .collect::<Vec<_>>()
                .join("\n")
        })?;
        let tz = inputs.station.timezone;
        Ok(Snapshot {
            today: now.with_timezone(&tz).date_naive(),
            inputs,
            now,
            tz,
            log: std::cell::OnceCell::new(),
        })
    }

    /// The log, read-only; `Ok(None)` before anything was ever aired.
    pub fn log(&self) -> Result<Option<&AiringLog>, LogError> {
        if let Some(log) = self.log.get() {
            return Ok(log.as_ref());
        }
        let log = match AiringLog::open_read_only(&self.inputs.station.data_dir) {
            Ok(l) => Some(l),
            Err(LogError::Missing { .. }) => None,
            Err(e) => return Err(e),
        };
        Ok(self.log.get_or_init(|| log).as_ref())
    }

    /// Log records planned on `from..=to` (station days).
    pub fn records(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Record>, LogError> {
        match self.log()? {
            None => Ok(Vec::new()),
            Some(log) => log.records(
                Some(day_start(self.tz, from)),
                Some(day_start(self.tz, to + Duration::days(1))),
            ),
        }
    }

    /// The calendar from now to the end of `to`, with make-ups for what the
    /// log says failed; nothing before now.
    pub fn plan(&self, from: NaiveDate, to: NaiveDate) -> Result<Calendar, LogError> {
        let from = from.max(self.today);
        if to < from {
            return Ok(Calendar::default());
        }
        let past = match self.log()? {
            None => Vec::new(),
            Some(log) => log.past_airings(
                day_start(self.tz, self.today - Duration::days(LOOK_BACK_DAYS)),
                day_start(self.tz, to + Duration::days(1)),
            )?,
        };
        Ok(plan(PlanRequest {
            station: &self.inputs.station,
            directives: &self.inputs.directives,
            catalog: &self.inputs.catalog,
            from,
            to,
            not_before: Some(self.now),
            past: &past,
        }))
    }
}

/// Loads the station for a page that needs nothing more; the error is
/// the page to show instead.
pub(crate) async fn for_page(
    state: &WebState,
    ctx: &super::Ctx,
) -> Result<Snapshot, axum::response::Response> {
    let st = state.clone();
    let lang = ctx.lang;
    blocking(move || Snapshot::load(&st, lang))
        .await
        .map_err(|e| super::error_page(ctx, axum::http::StatusCode::INTERNAL_SERVER_ERROR, &e))
}

/// Runs blocking work (files, SQLite, decoding) off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    match tokio::task::spawn_blocking(f).await {
        Ok(v) => v,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}
