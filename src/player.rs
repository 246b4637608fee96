//! The player: clips through the PC's sound output with rodio (cpal, ALSA on
//! Linux). A [`AudioSession`] holds the device open for one broadcast
//! session and is closed after it, so between sessions nothing holds the
//! sound card and nothing runs.
//!
//! Calls block; the daemon runs them on a dedicated thread.
//!
//! An airing counts only when the clip's last sample has reached the
//! device. A source is finished when the mixer has taken its last sample,
//! while up to a device buffer of it is still waiting to be played, and
//! closing the stream then would cut that tail. So every clip is followed by
//! silence longer than the device buffer, and the clip counts as played only
//! once that silence has been taken too.

use std::fs::File;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use rodio::cpal::traits::{DeviceTrait, HostTrait};
use rodio::source::Source;
use rodio::{Decoder, DeviceSinkBuilder, MixerDeviceSink};

use crate::lang::{Lang, Localize};

/// Where and how to play.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputConfig {
    /// `default`, or a device id or name as `loa devices` lists it.
    pub device: String,
    /// Device buffer length; small keeps the start on time.
    pub buffer_ms: u32,
}

impl Default for OutputConfig {
    fn default() -> Self {
        OutputConfig {
            device: "default".into(),
            buffer_ms: 5,
        }
    }
}

/// What went wrong with the sound output or a clip.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.localize(Lang::En))]
pub enum PlayerError {
    /// No device with that name.
    NoDevice { name: String, known: Vec<String> },
    /// The device exists but would not open.
    Open { device: String, reason: String },
    /// The clip file could not be read or decoded.
    Clip { path: String, reason: String },
}

impl Localize for PlayerError {
    fn localize(&self, lang: Lang) -> String {
        match (self, lang) {
            (PlayerError::NoDevice { name, known }, Lang::Vi) => {
                format!(
                    "không có thiết bị âm thanh \"{name}\"; các thiết bị: {}",
                    known.join(", ")
                )
            }
            (PlayerError::NoDevice { name, known }, Lang::En) => {
                format!("no sound device \"{name}\"; devices: {}", known.join(", "))
            }
            (PlayerError::Open { device, reason }, Lang::Vi) => {
                format!("không mở được thiết bị âm thanh \"{device}\": {reason}")
            }
            (PlayerError::Open { device, reason }, Lang::En) => {
                format!("cannot open sound device \"{device}\": {reason}")
            }
            (PlayerError::Clip { path, reason }, Lang::Vi) => format!("không phát được {path}: {reason}"),
            (PlayerError::Clip { path, reason }, Lang::En) => format!("cannot play {path}: {reason}"),
        }
    }
}

/// One output device as `loa devices` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceInfo {
    /// What to write in `[output] device`.
    pub id: String,
    /// A human description.
    pub description: String,
}

/// The output devices of the default host (ALSA on Linux).
pub fn devices() -> Vec<DeviceInfo> {
    let host = rodio::cpal::default_host();
    let Ok(list) = host.output_devices() else {
        return Vec::new();
    };
    list.map(|d| {
        let id = d.id().map(|i| i.id().to_string()).unwrap_or_default();
        let description = d.description().map(|x| x.name().to_string()).unwrap_or_default();
        DeviceInfo { id, description }
    })
    .collect()
}

fn find_device(name: &str) -> Result<rodio::cpal::Device, PlayerError> {
    let host = rodio::cpal::default_host();
    if name == "default" {
        return host.default_output_device().ok_or_else(|| PlayerError::NoDevice {
            name: name.into(),
            known: Vec::new(),
        });
    }
    let found = host.output_devices().ok().and_then(|mut list| {
        list.find(|d| d.id().is_ok_and(|i| i.id() == name) || d.description().is_ok_and(|x| x.name() == name))
    });
    found.ok_or_else(|| PlayerError::NoDevice {
        name: name.into(),
        known: devices().into_iter().map(|d| d.id).collect(),
    })
}

/// How a clip ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Every sample reached the device.
    Completed,
    /// Stopped on request before the end.
    Stopped,
}

/// The result of playing one clip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Played {
    /// How it ended.
    pub ending: Ending,
    /// Wall time from start to the end (or the stop).
    pub elapsed: Duration,
}

/// A clip on its way to the device: the decoded clip, then `tail` silence,
/// then a message saying how it ended. Added straight to the device's mixer,
/// which takes new sources at the next frame: rodio's `Player` queue would
/// add up to a chunk of silence (about 10 ms) before starting it.
struct Tracked<S: Source> {
    inner: Option<S>,
    channels: rodio::ChannelCount,
    rate: rodio::SampleRate,
    stop: Arc<AtomicBool>,
    /// Samples of silence still to send after the clip.
    tail_left: usize,
    /// Samples since the stop flag was last read.
    since_check: u32,
    done: Option<mpsc::Sender<Ending>>,
}

impl<S: Source> Tracked<S> {
    fn finish(&mut self, how: Ending) -> Option<f32> {
        if let Some(tx) = self.done.take() {
            let _ = tx.send(how);
        }
        None
    }
}

impl<S: Source> Iterator for Tracked<S> {
    type Item = rodio::Sample;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(inner) = self.inner.as_mut() {
            self.since_check += 1;
            // Read the flag about every 5 ms of stereo audio, not every sample.
            if self.since_check >= 512 {
                self.since_check = 0;
                if self.stop.load(Ordering::Relaxed) {
                    self.inner = None;
                    return self.finish(Ending::Stopped);
                }
            }
            match inner.next() {
                Some(s) => return Some(s),
                None => self.inner = None,
            }
        }
        if self.tail_left > 0 {
            self.tail_left -= 1;
            return Some(0.0);
        }
        self.finish(Ending::Completed)
    }
}

impl<S: Source> Source for Tracked<S> {
    fn current_span_len(&self) -> Option<usize> {
        None
    }

    fn channels(&self) -> rodio::ChannelCount {
        self.inner.as_ref().map_or(self.channels, |s| s.channels())
    }

    fn sample_rate(&self) -> rodio::SampleRate {
        self.inner.as_ref().map_or(self.rate, |s| s.sample_rate())
    }

    fn total_duration(&self) -> Option<Duration> {
        None
    }
}

/// A clip opened and probed ahead of its instant, ready to start at once.
pub struct Loaded {
    decoder: Decoder<std::io::BufReader<File>>,
    path: std::path::PathBuf,
}

/// The sound device, open for one broadcast session.
pub struct AudioSession {
    sink: MixerDeviceSink,
    device: String,
    tail: Duration,
}

impl AudioSession {
    /// Opens the device. Do this a moment before the session's first item:
    /// opening takes time, starting a clip on an open device does not.
    pub fn open(config: &OutputConfig) -> Result<AudioSession, PlayerError> {
        let device = find_device(&config.device)?;
        let open_err = |e: &dyn std::fmt::Display| PlayerError::Open {
            device: config.device.clone(),
            reason: e.to_string(),
        };
        let builder = DeviceSinkBuilder::from_device(device).map_err(|e| open_err(&e))?;
        // Frames for the wanted length at 48 kHz, the usual device rate; at
        // 44.1 kHz the buffer comes out 8% longer, which does not matter.
        let frames = (48 * config.buffer_ms.max(2)).max(64);
        let mut sink = builder
            .with_buffer_size(rodio::cpal::BufferSize::Fixed(frames))
            // 16-bit integers: every sound card takes them, and a capture
            // file then says truthfully what it holds.
            .with_sample_format(rodio::cpal::SampleFormat::I16)
            .with_error_callback(|e| tracing::warn!(error = %e, "sound device error"))
            .open_stream()
            .map_err(|e| open_err(&e))?;
        sink.log_on_drop(false);
        // Longer than the device buffer, and never under 150 ms: ALSA may
        // round the buffer up.
        let tail = Duration::from_millis(u64::from(config.buffer_ms) * 4).max(Duration::from_millis(150));
        Ok(AudioSession {
            sink,
            device: config.device.clone(),
            tail,
        })
    }

    /// The device name this session plays to.
    pub fn device(&self) -> &str {
        &self.device
    }

    /// Opens and probes a clip, so that starting it later costs nothing.
    pub fn load(&self, path: &Path) -> Result<Loaded, PlayerError> {
        let clip_err = |reason: String| PlayerError::Clip {
            path: path.display().to_string(),
            reason,
        };
        let file = File::open(path).map_err(|e| clip_err(e.to_string()))?;
        let decoder = Decoder::try_from(file).map_err(|e| clip_err(e.to_string()))?;
        Ok(Loaded {
            decoder,
            path: path.to_path_buf(),
        })
    }

    /// Plays one clip now and returns once its last sample has reached the
    /// device, or soon after `stop` is set.
    pub fn play(&self, path: &Path, stop: &Arc<AtomicBool>) -> Result<Played, PlayerError> {
        let loaded = self.load(path)?;
        self.play_loaded(loaded, None, stop)
    }

    /// Starts a loaded clip at `at` (now if `None`; the wait is a plain
    /// thread sleep, precise to a fraction of a millisecond) and returns as
    /// [`AudioSession::play`] does.
    pub fn play_loaded(
        &self,
        loaded: Loaded,
        at: Option<Instant>,
        stop: &Arc<AtomicBool>,
    ) -> Result<Played, PlayerError> {
        let Loaded { decoder, path } = loaded;
        let (channels, rate) = (decoder.channels(), decoder.sample_rate());
        let expected = decoder.total_duration();
        let tail_samples =
            (self.tail.as_secs_f64() * f64::from(rate.get())) as usize * usize::from(channels.get());
        let (done_tx, done_rx) = mpsc::channel::<Ending>();
        let tracked = Tracked {
            inner: Some(decoder),
            channels,
            rate,
            stop: stop.clone(),
            tail_left: tail_samples,
            since_check: 0,
            done: Some(done_tx),
        };
        if let Some(at) = at {
            let now = Instant::now();
            if at > now {
                std::thread::sleep(at - now);
            }
        }
        let started = Instant::now();
        self.sink.mixer().add(tracked);
        // A device that stops taking samples would leave us waiting forever.
        let limit = expected.unwrap_or(Duration::from_secs(4 * 3600)) + self.tail + Duration::from_secs(30);
        loop {
            match done_rx.recv_timeout(Duration::from_secs(1)) {
                Ok(ending) => {
                    let elapsed = started.elapsed();
                    return Ok(Played {
                        ending,
                        elapsed: if ending == Ending::Completed {
                            elapsed.saturating_sub(self.tail)
                        } else {
                            elapsed
                        },
                    });
                }
                Err(mpsc::RecvTimeoutError::Timeout) if started.elapsed() > limit => {
                    stop.store(true, Ordering::SeqCst);
                    return Err(PlayerError::Clip {
                        path: path.display().to_string(),
                        reason: "the sound device stopped taking samples".into(),
                    });
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(PlayerError::Clip {
                        path: path.display().to_string(),
                        reason: "the sound device was closed".into(),
                    })
                }
            }
        }
    }

    /// Closes the device; what was added has reached it already.
    pub fn close(self) {
        drop(self.sink);
    }
}
