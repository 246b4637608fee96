//! The player: clips through the PC's sound output with rodio (cpal, ALSA on
//! Linux). A [`AudioSession`] holds the device open for one broadcast
//! session and is closed after it, so between sessions nothing holds the
//! sound card and nothing runs.
//!
//! Calls block; the daemon runs them on a dedicated thread.
//!
//! An airing counts only when the clip's last sample has reached the
//! device. rodio's queue reports a source finished when the mixer has taken
//! its last sample, while up to a device buffer of it is still waiting to be
//! played, and closing the stream then would cut that tail. So every clip
//! is followed by silence longer than the device buffer, and the clip counts
//! as played only once that silence has been taken too.

use std::fs::File;
use std::num::NonZero;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rodio::cpal::traits::{DeviceTrait, HostTrait};
use rodio::source::{EmptyCallback, Source, Zero};
use rodio::{Decoder, DeviceSinkBuilder, MixerDeviceSink, Player};

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
            buffer_ms: 20,
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

/// The sound device, open for one broadcast session.
pub struct AudioSession {
    sink: MixerDeviceSink,
    player: Player,
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
        let player = Player::connect_new(sink.mixer());
        // Twice the buffer, and never under 150 ms: ALSA may round the buffer up.
        let tail = Duration::from_millis(u64::from(config.buffer_ms) * 2).max(Duration::from_millis(150));
        Ok(AudioSession {
            sink,
            player,
            device: config.device.clone(),
            tail,
        })
    }

    /// The device name this session plays to.
    pub fn device(&self) -> &str {
        &self.device
    }

    /// Plays one clip and returns once its last sample has reached the
    /// device, or soon after `stop` is set.
    pub fn play(&self, path: &Path, stop: &AtomicBool) -> Result<Played, PlayerError> {
        let clip_err = |reason: String| PlayerError::Clip {
            path: path.display().to_string(),
            reason,
        };
        let file = File::open(path).map_err(|e| clip_err(e.to_string()))?;
        let decoder = Decoder::try_from(file).map_err(|e| clip_err(e.to_string()))?;
        let (channels, rate) = (decoder.channels(), decoder.sample_rate());
        let started = Instant::now();
        self.player.append(decoder);
        self.player
            .append(Zero::new(channels, rate).take_duration(self.tail).amplify(1.0));
        let (done_tx, done_rx) = mpsc::channel::<()>();
        self.player.append(EmptyCallback::new(Box::new(move || {
            let _ = done_tx.send(());
        })));
        loop {
            match done_rx.recv_timeout(Duration::from_millis(20)) {
                Ok(()) => {
                    return Ok(Played {
                        ending: Ending::Completed,
                        elapsed: started.elapsed().saturating_sub(self.tail),
                    })
                }
                Err(mpsc::RecvTimeoutError::Timeout) if stop.load(Ordering::SeqCst) => {
                    // clear() also pauses the player; resume it for the next clip.
                    self.player.clear();
                    self.player.play();
                    return Ok(Played {
                        ending: Ending::Stopped,
                        elapsed: started.elapsed(),
                    });
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(clip_err("the player stopped before the clip ended".into()))
                }
            }
        }
    }

    /// Plays silence (the gap between two items).
    pub fn silence(&self, length: Duration) {
        let (done_tx, done_rx) = mpsc::channel::<()>();
        self.player.append(
            Zero::new(
                NonZero::new(2).expect("2 > 0"),
                NonZero::new(44_100).expect("> 0"),
            )
            .take_duration(length),
        );
        self.player.append(EmptyCallback::new(Box::new(move || {
            let _ = done_tx.send(());
        })));
        let _ = done_rx.recv_timeout(length + Duration::from_secs(5));
    }

    /// Closes the device after what was queued has played.
    pub fn close(self) {
        self.player.sleep_until_end();
        drop(self.player);
        drop(self.sink);
    }
}
