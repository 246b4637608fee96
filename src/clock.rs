//! The one place `loa` reads the wall clock and waits for it. Everything
//! else is handed the time, so tests can run any day at any hour, and a
//! simulated week of playout passes in seconds.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

use chrono::{DateTime, Utc};

/// A future returned by [`Clock::sleep_until`].
pub type Sleep<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// A source of the current instant, and a way to wait for a later one.
pub trait Clock: Send + Sync {
    /// Now.
    fn now(&self) -> DateTime<Utc>;

    /// Resolves at (or soon after) `at`. Callers re-read [`Clock::now`]
    /// afterwards: the wall clock may have been set in the meantime.
    fn sleep_until(&self, at: DateTime<Utc>) -> Sleep<'_>;

    /// Whether time is simulated: waits return at once and audio is not paced.
    fn is_simulated(&self) -> bool {
        false
    }
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the one sanctioned read of the clock
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep_until(&self, at: DateTime<Utc>) -> Sleep<'_> {
        let wait = (at - self.now()).to_std().unwrap_or_default();
        // Wake at least hourly: if the wall clock is corrected (NTP after a
        // power cut), the caller recomputes its next instant.
        Box::pin(tokio::time::sleep(wait.min(std::time::Duration::from_secs(3600))))
    }
}

/// A clock that moves only when told to, or when someone sleeps on it:
/// sleeping jumps straight to the wake-up instant (tests, simulations).
/// A simulation can set a limit: time never passes it, and a sleep beyond
/// it waits for good (the simulation then ends with a shutdown).
#[derive(Debug)]
pub struct ManualClock(Mutex<(DateTime<Utc>, Option<DateTime<Utc>>)>);

impl ManualClock {
    /// A clock showing `at`.
    pub fn new(at: DateTime<Utc>) -> ManualClock {
        ManualClock(Mutex::new((at, None)))
    }

    /// A clock showing `at` that never passes `limit`.
    pub fn until(at: DateTime<Utc>, limit: DateTime<Utc>) -> ManualClock {
        ManualClock(Mutex::new((at, Some(limit))))
    }

    /// Moves the clock to `at`.
    pub fn set(&self, at: DateTime<Utc>) {
        self.0.lock().expect("clock lock").0 = at;
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: chrono::Duration) {
        self.0.lock().expect("clock lock").0 += by;
    }

    /// Whether the clock has reached its limit.
    pub fn at_limit(&self) -> bool {
        let g = self.0.lock().expect("clock lock");
        g.1.is_some_and(|l| g.0 >= l)
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.lock().expect("clock lock").0
    }

    fn sleep_until(&self, at: DateTime<Utc>) -> Sleep<'_> {
        let mut g = self.0.lock().expect("clock lock");
        if let Some(limit) = g.1 {
            if at > limit {
                g.0 = g.0.max(limit);
                return Box::pin(std::future::pending());
            }
        }
        if at > g.0 {
            g.0 = at;
        }
        Box::pin(tokio::task::yield_now())
    }

    fn is_simulated(&self) -> bool {
        true
    }
}
