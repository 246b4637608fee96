//! The playout daemon (`loa run`): plans today and tomorrow from the
//! station's files and the airing log, sleeps until the next airing or an
//! event, plays it through the sound card, and records it.
//!
//! The loop reacts to a closed set of events ([`Wake`]): an airing is due,
//! an airing finished, the files changed, a command arrived, or shutdown.
//! It never polls: between sessions it waits on one timer and its channels,
//! and the sound device is closed. Time comes from a [`Clock`], so a test
//! drives a simulated week through the same code in seconds.
//!
//! Make-ups need no special code: an airing that failed, was interrupted or
//! was missed is in the log with that outcome, so it does not count toward
//! its quota and the planner places another one (marked `make-up`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Duration, NaiveTime, Utc};
use tokio::sync::{mpsc, oneshot};

use crate::airing_log::{AiringLog, Event, Kind, NewRecord};
use crate::calendar::{AiringKind, PlannedAiring};
use crate::calendar_store::{airing_id, CalendarStore};
use crate::clock::Clock;
use crate::inputs::Inputs;
use crate::lang::{Lang, Localize};
use crate::planner::{local_instant, plan, Outcome, PlanRequest};
use crate::player::{AudioSession, Ending, OutputConfig, Played, PlayerError};

/// Open the device this long before a session's first item.
const OPEN_AHEAD_SECS: i64 = 2;
/// Keep the device open across a pause shorter than this.
const KEEP_OPEN_SECS: i64 = 120;
/// After a failed airing, wait this long before trying again (doubling).
const RETRY_AFTER_SECS: i64 = 60;
/// An airing whose start passed by more than this without being started is missed.
const MISSED_AFTER_SECS: i64 = 30;

/// What a `play-now` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlayLevel {
    /// An officer's manual play: only inside a window, after the current item.
    Manual,
    /// Plays at once, even outside windows, pushing the current item aside.
    Emergency,
}

/// What the daemon is doing, published for the web page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Status {
    /// The item on the air, if any.
    pub playing: Option<NowPlaying>,
    /// Why airings are held back (no sound device, a broken file), and
    /// until when.
    pub trouble: Option<(DateTime<Utc>, String)>,
}

/// The item on the air.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NowPlaying {
    /// The clip id.
    pub clip: String,
    /// The directive it serves.
    pub directive: Option<String>,
    /// Why it plays.
    pub kind: Kind,
    /// When it started.
    pub started: DateTime<Utc>,
    /// When it should end.
    pub ends: DateTime<Utc>,
}

/// A request from the control channel.
#[derive(Debug)]
pub enum Command {
    /// Play a clip now.
    PlayNow {
        /// The clip id.
        clip: String,
        /// How urgently.
        level: PlayLevel,
        /// Where to say what happened.
        reply: oneshot::Sender<Result<String, String>>,
    },
}

/// Why the loop woke up.
#[derive(Debug)]
enum Wake {
    /// The next airing (or the device opening before it) is due.
    Due,
    /// The station's files changed.
    InputsChanged,
    /// A control command.
    Command(Command),
    /// Stop.
    Shutdown,
}

/// Where the daemon runs and who it says it is.
#[derive(Debug, Clone)]
pub struct Options {
    /// The station config file.
    pub config: PathBuf,
    /// Language of log messages.
    pub lang: Lang,
    /// Host name recorded with every airing.
    pub host: String,
}

/// The channels the daemon listens on besides its timer.
pub struct Channels {
    /// Control commands (`loa play-now`).
    pub commands: mpsc::Receiver<Command>,
    /// A message whenever the station's files change.
    pub changes: mpsc::Receiver<()>,
    /// Resolves once to stop the daemon.
    pub shutdown: oneshot::Receiver<()>,
}

enum AudioJob {
    Open(OutputConfig, oneshot::Sender<Result<(), PlayerError>>),
    Play {
        path: PathBuf,
        at: Option<Instant>,
        stop: Arc<AtomicBool>,
        reply: oneshot::Sender<Result<(Played, std::time::Duration), PlayerError>>,
    },
    Close,
}

/// The sound device lives on its own thread: playing blocks, and the
/// device handle must stay on one thread.
struct Audio {
    jobs: std::sync::mpsc::Sender<AudioJob>,
    open: bool,
}

impl Audio {
    fn start() -> Audio {
        let (jobs, rx) = std::sync::mpsc::channel::<AudioJob>();
        std::thread::Builder::new()
            .name("loa-audio".into())
            .spawn(move || {
                let mut session: Option<AudioSession> = None;
                for job in rx {
                    match job {
                        AudioJob::Open(cfg, reply) => {
                            if session.is_none() {
                                match AudioSession::open(&cfg) {
                                    Ok(s) => session = Some(s),
                                    Err(e) => {
                                        let _ = reply.send(Err(e));
                                        continue;
                                    }
                                }
                            }
                            let _ = reply.send(Ok(()));
                        }
                        AudioJob::Play {
                            path,
                            at,
                            stop,
                            reply,
                        } => {
                            let Some(s) = session.as_ref() else {
                                let _ = reply.send(Err(PlayerError::Open {
                                    device: "-".into(),
                                    reason: "not open".into(),
                                }));
                                continue;
                            };
                            // The last few milliseconds are waited here, on
                            // a plain thread, for a start on the dot.
                            if let Some(at) = at {
                                let now = Instant::now();
                                if at > now {
                                    std::thread::sleep(at - now);
                                }
                            }
                            let late = at.map_or(std::time::Duration::ZERO, |at| {
                                Instant::now().saturating_duration_since(at)
                            });
                            let _ = reply.send(s.play(&path, &stop).map(|p| (p, late)));
                        }
                        AudioJob::Close => {
                            if let Some(s) = session.take() {
                                s.close();
                            }
                        }
                    }
                }
            })
            .expect("the audio thread starts");
        Audio { jobs, open: false }
    }

    async fn open(&mut self, cfg: &OutputConfig) -> Result<(), PlayerError> {
        let (tx, rx) = oneshot::channel();
        let _ = self.jobs.send(AudioJob::Open(cfg.clone(), tx));
        let r = rx.await.unwrap_or_else(|_| {
            Err(PlayerError::Open {
                device: cfg.device.clone(),
                reason: "audio thread gone".into(),
            })
        });
        self.open = r.is_ok();
        r
    }

    fn close(&mut self) {
        if self.open {
            let _ = self.jobs.send(AudioJob::Close);
            self.open = false;
        }
    }
}

/// The daemon's state between wake-ups.
pub struct Daemon<C: Clock> {
    opts: Options,
    clock: Arc<C>,
    inputs: Inputs,
    log: AiringLog,
    store: CalendarStore,
    audio: Audio,
    /// Commands that arrived while an item was playing, handled next.
    pending: std::collections::VecDeque<Command>,
    /// After a failure (no device, a broken file), nothing is tried again
    /// before this instant, so a dead sound card does not burn through a
    /// session's quota in failed attempts; and why, for the airings that
    /// pass meanwhile.
    retry: Option<(DateTime<Utc>, String)>,
    /// Failures since the last airing that completed; the wait doubles with each.
    failures_in_row: u32,
    /// Report reminders already given: (directive, due date, days before).
    reminded: std::collections::BTreeSet<(String, chrono::NaiveDate, i64)>,
    /// What the web page shows as "now playing" and as trouble.
    status: tokio::sync::watch::Sender<Status>,
}

/// How one attempt to air ended, for the log.
struct Attempt {
    outcome: Outcome,
    reason: Option<String>,
    actual_start: Option<DateTime<Utc>>,
    actual_end: DateTime<Utc>,
    played_ms: Option<u64>,
}

impl<C: Clock + 'static> Daemon<C> {
    /// Loads the station; fails only when its config cannot be used.
    pub fn new(opts: Options, clock: Arc<C>) -> anyhow::Result<Daemon<C>> {
        let inputs = load_inputs(&opts.config, clock.now(), opts.lang, None)?;
        let data = inputs.station.data_dir.clone();
        let log = AiringLog::open(&data).map_err(|e| anyhow::anyhow!("{}", e.localize(opts.lang)))?;
        let store = CalendarStore::open(&data)?;
        Ok(Daemon {
            opts,
            clock,
            inputs,
            log,
            store,
            audio: Audio::start(),
            pending: Default::default(),
            retry: None,
            failures_in_row: 0,
            reminded: Default::default(),
            status: tokio::sync::watch::Sender::new(Status::default()),
        })
    }

    /// Follows what the daemon is doing (the item on the air, trouble).
    pub fn status(&self) -> tokio::sync::watch::Receiver<Status> {
        self.status.subscribe()
    }

    /// The station as last loaded without errors.
    pub fn inputs(&self) -> &Inputs {
        &self.inputs
    }

    /// Runs until shutdown.
    pub async fn run(mut self, mut ch: Channels) -> anyhow::Result<()> {
        self.recover()?;
        let mut shutdown = ch.shutdown;
        loop {
            if let Some(c) = self.pending.pop_front() {
                if self.command(c, &mut shutdown, &mut ch.commands).await? {
                    break;
                }
                continue;
            }
            let now = self.clock.now();
            let busy = match &self.retry {
                Some((_, why)) => why.clone(),
                None => self
                    .lang()
                    .pick(
                        "đài bận (phát khẩn cấp hoặc phát quá giờ)",
                        "the station was busy (an emergency or an overrun)",
                    )
                    .to_string(),
            };
            self.record_missed(now, &busy)?;
            let next = self.replan(now)?;
            let trouble = self.retry.clone();
            self.status.send_if_modified(|s| {
                let changed = s.trouble != trouble;
                s.trouble = trouble;
                changed
            });
            self.remind(now);
            let wake_at = match &next {
                Some(a) if self.audio.open => a.start.with_timezone(&Utc),
                Some(a) => a.start.with_timezone(&Utc) - Duration::seconds(OPEN_AHEAD_SECS),
                None => self.end_of_tomorrow(),
            };
            // Wake at least once a day, at midnight, for the day's reminders.
            let tz = self.inputs.station.timezone;
            let midnight = local_instant(
                tz,
                now.with_timezone(&tz).date_naive() + Duration::days(1),
                NaiveTime::MIN,
            )
            .with_timezone(&Utc);
            let wake_at = wake_at.min(midnight);
            if self.audio.open
                && next
                    .as_ref()
                    .is_none_or(|a| a.start.with_timezone(&Utc) - now > Duration::seconds(KEEP_OPEN_SECS))
            {
                self.audio.close();
            }
            let wake = tokio::select! {
                biased;
                _ = &mut shutdown => Wake::Shutdown,
                Some(c) = ch.commands.recv() => Wake::Command(c),
                Some(()) = ch.changes.recv() => Wake::InputsChanged,
                _ = self.clock.sleep_until(wake_at) => Wake::Due,
            };
            match wake {
                Wake::Shutdown => break,
                Wake::InputsChanged => {
                    // Editors write in bursts; take them as one change.
                    while ch.changes.try_recv().is_ok() {}
                    self.reload();
                }
                Wake::Command(c) => {
                    if self.command(c, &mut shutdown, &mut ch.commands).await? {
                        break;
                    }
                }
                Wake::Due => {
                    let Some(a) = next else { continue };
                    let now = self.clock.now();
                    let start = a.start.with_timezone(&Utc);
                    if now < start - Duration::seconds(OPEN_AHEAD_SECS) {
                        continue; // woke early (a clock change): recompute
                    }
                    if !self.audio.open {
                        if let Err(e) = self.audio.open(&self.inputs.station.output).await {
                            let reason = e.localize(self.lang());
                            tracing::error!("{reason}");
                            self.record_failure(&a, &reason)?;
                            continue;
                        }
                    }
                    if self
                        .air(&a, kind_of(a.kind), &mut shutdown, &mut ch.commands)
                        .await?
                    {
                        break;
                    }
                }
            }
        }
        self.audio.close();
        tracing::info!("{}", self.lang().pick("đã dừng", "stopped"));
        Ok(())
    }

    /// Logs a reminder 7 days and again 1 day before each report is due.
    fn remind(&mut self, now: DateTime<Utc>) {
        let today = now.with_timezone(&self.inputs.station.timezone).date_naive();
        for (number, due) in crate::deadline::upcoming(&self.inputs.directives, today) {
            let left = (due.date - today).num_days();
            let mark = match left {
                ..=1 => 1,
                2..=7 => 7,
                _ => continue,
            };
            if self.reminded.insert((number.clone(), due.date, mark)) {
                tracing::warn!(
                    directive = %number,
                    due = %due.date,
                    period = %format!("{} – {}", due.period_start, due.period_end),
                    "{}",
                    match self.lang() {
                        Lang::Vi => format!("sắp đến hạn báo cáo: còn {left} ngày (loa report --directive \"{number}\")"),
                        Lang::En => format!("a report is due in {left} days (loa report --directive \"{number}\")"),
                    }
                );
            }
        }
    }

    fn lang(&self) -> Lang {
        self.opts.lang
    }

    fn end_of_tomorrow(&self) -> DateTime<Utc> {
        let tz = self.inputs.station.timezone;
        let today = self.clock.now().with_timezone(&tz).date_naive();
        local_instant(tz, today + Duration::days(2), NaiveTime::MIN).with_timezone(&Utc)
    }

    /// On start: an airing that was started and never finished was cut off
    /// when the daemon stopped (killed, power cut); then whatever passed
    /// while nothing ran is missed.
    fn recover(&mut self) -> anyhow::Result<()> {
        let now = self.clock.now();
        for r in self
            .log
            .unfinished()
            .map_err(|e| anyhow::anyhow!("{}", e.localize(self.lang())))?
        {
            let reason = self.lang().pick(
                "chương trình dừng giữa chừng (bị tắt hoặc mất điện)",
                "the daemon stopped mid-airing (killed or power cut)",
            );
            tracing::warn!(clip = %r.clip, planned = %r.planned, "{reason}");
            self.append(NewRecord {
                airing_id: r.airing_id.clone(),
                event: Event::End,
                recorded_at: now,
                planned: r.planned,
                actual_start: r.actual_start,
                actual_end: None,
                played_ms: None,
                outcome: Some(Outcome::Interrupted),
                reason: Some(reason.to_string()),
                clip: r.clip.clone(),
                clip_sha256: r.clip_sha256.clone(),
                directive: r.directive.clone(),
                kind: r.kind,
                station: r.station.clone(),
                host: r.host.clone(),
            })?;
        }
        self.record_missed(
            now,
            self.lang().pick(
                "máy không chạy (tắt máy hoặc mất điện)",
                "loa was not running (PC off or power cut)",
            ),
        )
    }

    /// Records stored airings whose time passed without a start as missed.
    fn record_missed(&mut self, now: DateTime<Utc>, reason: &str) -> anyhow::Result<()> {
        let passed = self
            .store
            .passed_unsettled(now - Duration::seconds(MISSED_AFTER_SECS))?;
        for p in passed {
            tracing::warn!(clip = %p.clip, planned = %p.planned, "{}: {reason}", self.lang().pick("lỡ lượt phát", "missed airing"));
            let sha = self
                .inputs
                .catalog
                .clips
                .get(&p.clip)
                .map(|c| c.sha256.clone())
                .unwrap_or_default();
            self.append(NewRecord {
                airing_id: p.airing_id.clone(),
                event: Event::End,
                recorded_at: now,
                planned: p.planned,
                actual_start: None,
                actual_end: None,
                played_ms: None,
                outcome: Some(Outcome::Missed),
                reason: Some(reason.to_string()),
                clip: p.clip.clone(),
                clip_sha256: sha,
                directive: p.directive.clone(),
                kind: Kind::parse(&p.kind).unwrap_or(Kind::Quota),
                station: self.inputs.station.name.clone(),
                host: self.opts.host.clone(),
            })?;
            self.store.settle(&p.airing_id)?;
        }
        Ok(())
    }

    /// Plans today and tomorrow from now, stores the calendar, and returns
    /// the next airing.
    fn replan(&mut self, now: DateTime<Utc>) -> anyhow::Result<Option<PlannedAiring>> {
        let tz = self.inputs.station.timezone;
        let today = now.with_timezone(&tz).date_naive();
        let from_utc = local_instant(tz, today - Duration::days(40), NaiveTime::MIN).with_timezone(&Utc);
        let past = self
            .log
            .past_airings(from_utc, self.end_of_tomorrow())
            .map_err(|e| anyhow::anyhow!("{}", e.localize(self.lang())))?;
        if self.retry.as_ref().is_some_and(|(t, _)| *t <= now) {
            self.retry = None;
        }
        let earliest = self.retry.as_ref().map_or(now, |(t, _)| *t);
        let calendar = plan(PlanRequest {
            station: &self.inputs.station,
            directives: &self.inputs.directives,
            catalog: &self.inputs.catalog,
            from: today,
            to: today + Duration::days(1),
            // The planner works in whole seconds: round up, so the first
            // airing it places is not already (a fraction of a second) past.
            not_before: Some(
                earliest
                    + Duration::nanoseconds(i64::from(
                        (1_000_000_000 - earliest.timestamp_subsec_nanos()) % 1_000_000_000,
                    )),
            ),
            past: &past,
        });
        for s in &calendar.shortfalls {
            tracing::debug!(directive = ?s.directive, period = %s.period_start, reason = s.reason.as_str(), "shortfall");
        }
        self.store
            .replace_from(now - Duration::seconds(MISSED_AFTER_SECS), &calendar.airings)?;
        Ok(calendar
            .airings
            .into_iter()
            .find(|a| a.start.with_timezone(&Utc) >= now))
    }

    fn reload(&mut self) {
        match load_inputs(
            &self.opts.config,
            self.clock.now(),
            self.lang(),
            Some(&self.inputs),
        ) {
            Ok(inputs) => {
                tracing::info!(
                    directives = inputs.directives.len(),
                    clips = inputs.catalog.clips.len(),
                    "{}",
                    self.lang()
                        .pick("đã nạp lại cấu hình", "reloaded the station files")
                );
                self.inputs = inputs;
            }
            Err(e) => tracing::error!(
                "{}: {e:#}",
                self.lang().pick(
                    "cấu hình không hợp lệ, giữ lịch cũ",
                    "invalid station config, keeping the last good plan"
                )
            ),
        }
    }

    fn append(&mut self, rec: NewRecord) -> anyhow::Result<()> {
        self.log
            .append(&rec)
            .map_err(|e| anyhow::anyhow!("{}", e.localize(self.lang())))?;
        Ok(())
    }

    /// 1, 2, 4, ... 32 minutes after successive failures.
    fn next_backoff(&mut self) -> Duration {
        let wait = Duration::seconds(RETRY_AFTER_SECS << self.failures_in_row.min(5));
        self.failures_in_row += 1;
        wait
    }

    fn record_failure(&mut self, a: &PlannedAiring, reason: &str) -> anyhow::Result<()> {
        let id = airing_id(a);
        let now = self.clock.now();
        self.retry = Some((now + self.next_backoff(), reason.to_string()));
        let rec = self.record_for(a, kind_of(a.kind), &id, Event::End, now);
        self.append(NewRecord {
            outcome: Some(Outcome::Failed),
            reason: Some(reason.to_string()),
            actual_end: Some(now),
            ..rec
        })?;
        self.store.settle(&id)?;
        Ok(())
    }

    fn record_for(
        &self,
        a: &PlannedAiring,
        kind: Kind,
        id: &str,
        event: Event,
        now: DateTime<Utc>,
    ) -> NewRecord {
        NewRecord {
            airing_id: id.to_string(),
            event,
            recorded_at: now,
            planned: a.start.with_timezone(&Utc),
            actual_start: None,
            actual_end: None,
            played_ms: None,
            outcome: None,
            reason: None,
            clip: a.clip.clone(),
            clip_sha256: self
                .inputs
                .catalog
                .clips
                .get(&a.clip)
                .map(|c| c.sha256.clone())
                .unwrap_or_default(),
            directive: a.directive.clone(),
            kind,
            station: self.inputs.station.name.clone(),
            host: self.opts.host.clone(),
        }
    }

    /// Airs one item: start record, play, end record. Returns true when a
    /// shutdown arrived meanwhile.
    async fn air(
        &mut self,
        a: &PlannedAiring,
        kind: Kind,
        shutdown: &mut oneshot::Receiver<()>,
        commands: &mut mpsc::Receiver<Command>,
    ) -> anyhow::Result<bool> {
        let id = airing_id(a);
        let Some(clip) = self.inputs.catalog.clips.get(&a.clip).cloned() else {
            let reason = format!(
                "{}: {}",
                self.lang().pick("không còn clip", "the clip is gone"),
                a.clip
            );
            self.record_failure(a, &reason)?;
            return Ok(false);
        };
        let planned = a.start.with_timezone(&Utc);
        let now = self.clock.now();
        // In real time the audio thread waits for the exact instant.
        let at = (!self.clock.is_simulated())
            .then(|| Instant::now() + (planned - now).to_std().unwrap_or_default());
        let started = planned.max(now);
        let start_rec = NewRecord {
            actual_start: Some(started),
            ..self.record_for(a, kind, &id, Event::Start, now)
        };
        self.append(start_rec)?;
        self.store.settle(&id)?;
        tracing::info!(clip = %a.clip, directive = ?a.directive, kind = kind.as_str(), "{}", self.lang().pick("phát", "airing"));
        self.status.send_modify(|s| {
            s.playing = Some(NowPlaying {
                clip: a.clip.clone(),
                directive: a.directive.clone(),
                kind,
                started,
                ends: started + Duration::milliseconds(clip.duration_ms as i64),
            })
        });

        let stop = Arc::new(AtomicBool::new(false));
        let (tx, mut rx) = oneshot::channel();
        let _ = self.audio.jobs.send(AudioJob::Play {
            path: clip.path.clone(),
            at,
            stop: stop.clone(),
            reply: tx,
        });
        // Why the item was stopped, if it was: shutdown, or an emergency.
        let mut stopped_for: Option<&'static str> = None;
        let mut shutting_down = false;
        let result = loop {
            tokio::select! {
                r = &mut rx => break r,
                _ = &mut *shutdown, if !shutting_down => {
                    stop.store(true, Ordering::SeqCst);
                    shutting_down = true;
                    stopped_for.get_or_insert(self.opts.lang.pick(
                        "chương trình được lệnh dừng",
                        "loa was told to stop",
                    ));
                }
                Some(c) = commands.recv(), if stopped_for.is_none() => {
                    let urgent = matches!(&c, Command::PlayNow { level: PlayLevel::Emergency, .. });
                    if urgent && kind != Kind::Emergency {
                        stop.store(true, Ordering::SeqCst);
                        stopped_for = Some(self.opts.lang.pick(
                            "nhường cho tin khẩn cấp",
                            "pushed aside by an emergency",
                        ));
                        self.pending.push_front(c);
                    } else {
                        self.pending.push_back(c);
                    }
                }
            }
        };
        let attempt = match result {
            Ok(Ok((played, late))) => {
                let actual_start = started + Duration::from_std(late).unwrap_or_default();
                let end = if self.clock.is_simulated() {
                    // Simulated time: the clip took its length.
                    self.clock
                        .sleep_until(started + Duration::milliseconds(clip.duration_ms as i64))
                        .await;
                    self.clock.now()
                } else {
                    self.clock.now()
                };
                match played.ending {
                    Ending::Completed => Attempt {
                        outcome: Outcome::Completed,
                        reason: None,
                        actual_start: Some(actual_start),
                        actual_end: end,
                        played_ms: Some(if self.clock.is_simulated() {
                            clip.duration_ms
                        } else {
                            played.elapsed.as_millis() as u64
                        }),
                    },
                    Ending::Stopped => Attempt {
                        outcome: Outcome::Interrupted,
                        reason: Some(stopped_for.unwrap_or("stopped").to_string()),
                        actual_start: Some(actual_start),
                        actual_end: end,
                        played_ms: Some(played.elapsed.as_millis() as u64),
                    },
                }
            }
            Ok(Err(e)) => Attempt {
                outcome: Outcome::Failed,
                reason: Some(e.localize(self.lang())),
                actual_start: None,
                actual_end: self.clock.now(),
                played_ms: None,
            },
            Err(_) => Attempt {
                outcome: Outcome::Failed,
                reason: Some("audio thread gone".into()),
                actual_start: None,
                actual_end: self.clock.now(),
                played_ms: None,
            },
        };
        if attempt.outcome != Outcome::Completed {
            tracing::warn!(clip = %a.clip, reason = ?attempt.reason, "{}", self.lang().pick("lượt phát không trọn", "airing not completed"));
        }
        let end_rec_reason = attempt.reason.clone().unwrap_or_default();
        let end_rec = NewRecord {
            outcome: Some(attempt.outcome),
            reason: attempt.reason,
            actual_start: attempt.actual_start,
            actual_end: Some(attempt.actual_end),
            played_ms: attempt.played_ms,
            ..self.record_for(a, kind, &id, Event::End, self.clock.now())
        };
        self.append(end_rec)?;
        self.status.send_modify(|s| s.playing = None);
        if attempt.outcome == Outcome::Failed {
            self.audio.close(); // reopen next time: the device may come back
            self.retry = Some((self.clock.now() + self.next_backoff(), end_rec_reason));
        } else if attempt.outcome == Outcome::Completed {
            self.failures_in_row = 0;
        }
        Ok(shutting_down)
    }

    /// Handles a control command; true when a shutdown arrived meanwhile.
    async fn command(
        &mut self,
        c: Command,
        shutdown: &mut oneshot::Receiver<()>,
        commands: &mut mpsc::Receiver<Command>,
    ) -> anyhow::Result<bool> {
        let Command::PlayNow { clip, level, reply } = c;
        let lang = self.lang();
        if !self.inputs.catalog.clips.contains_key(&clip) {
            let _ = reply.send(Err(match lang {
                Lang::Vi => format!("không có clip \"{clip}\""),
                Lang::En => format!("there is no clip \"{clip}\""),
            }));
            return Ok(false);
        }
        let now = self.clock.now();
        let tz = self.inputs.station.timezone;
        let local = now.with_timezone(&tz);
        let window = self
            .inputs
            .station
            .windows
            .iter()
            .find(|w| w.is_open_on(local.date_naive()) && w.covers_time(local.time()));
        if level == PlayLevel::Manual && window.is_none() {
            let _ = reply.send(Err(lang
                .pick(
                    "ngoài khung giờ phát: chỉ phát khẩn cấp mới được phát ngoài khung giờ (--level emergency)",
                    "outside the broadcast windows: only an emergency may air now (--level emergency)",
                )
                .to_string()));
            return Ok(false);
        }
        let duration = self.inputs.catalog.clips[&clip].duration_ms as i64;
        let a = PlannedAiring {
            start: now.with_timezone(&tz),
            end: (now + Duration::milliseconds(duration)).with_timezone(&tz),
            window: window.map_or_else(|| "-".to_string(), |w| w.name.clone()),
            clip: clip.clone(),
            directive: None,
            kind: AiringKind::Quota,
        };
        if let Err(e) = self.audio.open(&self.inputs.station.output).await {
            let reason = e.localize(lang);
            let _ = reply.send(Err(reason));
            return Ok(false);
        }
        let _ = reply.send(Ok(match lang {
            Lang::Vi => format!("đang phát {clip}"),
            Lang::En => format!("playing {clip}"),
        }));
        let kind = match level {
            PlayLevel::Manual => Kind::Manual,
            PlayLevel::Emergency => Kind::Emergency,
        };
        self.air(&a, kind, shutdown, commands).await
    }
}

fn kind_of(k: AiringKind) -> Kind {
    match k {
        AiringKind::Quota => Kind::Quota,
        AiringKind::Fixed => Kind::Fixed,
        AiringKind::MakeUp => Kind::MakeUp,
    }
}

/// Loads the station; a directive or config error keeps the last good plan.
/// Loads the station. A broken config is an error (the caller keeps what
/// it had); a broken directive file is logged and left out, and `previous`
/// lends its last good version, so one bad edit (or an imported draft not
/// yet filled in) never stops the other directives or the daemon itself.
fn load_inputs(
    config: &Path,
    now: DateTime<Utc>,
    lang: Lang,
    previous: Option<&Inputs>,
) -> anyhow::Result<Inputs> {
    let mut inputs = Inputs::load(config, now).map_err(|errors| {
        anyhow::anyhow!(errors
            .iter()
            .map(|e| e.localize(lang))
            .collect::<Vec<_>>()
            .join("\n"))
    })?;
    if !inputs.errors.is_empty() {
        let broken: std::collections::BTreeSet<PathBuf> =
            inputs.errors.iter().map(|e| e.location.path.clone()).collect();
        for e in &inputs.errors {
            tracing::error!(
                "{}: {}",
                lang.pick(
                    "văn bản không hợp lệ, giữ bản hợp lệ trước (nếu có)",
                    "invalid directive, keeping its last good version (if any)"
                ),
                e.localize(lang)
            );
        }
        if let Some(prev) = previous {
            for d in &prev.directives {
                let already = inputs.directives.iter().any(|n| n.number == d.number);
                if broken.contains(&d.path) && !already {
                    inputs.directives.push(d.clone());
                }
            }
            inputs.directives.sort_by(|x, y| x.path.cmp(&y.path));
        }
    }
    for line in inputs
        .warning_lines(lang)
        .iter()
        .chain(
            inputs
                .catalog
                .errors
                .iter()
                .map(|e| e.localize(lang))
                .collect::<Vec<_>>()
                .iter(),
        )
        .chain(
            inputs
                .missing_clips
                .iter()
                .map(|e| e.localize(lang))
                .collect::<Vec<_>>()
                .iter(),
        )
    {
        tracing::warn!("{line}");
    }
    Ok(inputs)
}
