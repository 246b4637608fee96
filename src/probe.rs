//! Decoding a clip in full with symphonia (the decoders rodio plays with), to
//! learn its true length and to find files that would fail on air.

use std::io::Cursor;

use symphonia::core::codecs::{self, DecoderOptions, CODEC_TYPE_NULL};
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::FormatOptions;
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use crate::clip::ClipProblem;

/// What decoding a whole file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probed {
    /// Short codec name.
    pub codec: &'static str,
    /// Decoded length, milliseconds.
    pub duration_ms: u64,
    /// Hz.
    pub sample_rate: u32,
    /// Channels.
    pub channels: u16,
}

/// File extensions taken as audio. Anything else in `audio/` is skipped.
pub const AUDIO_EXTENSIONS: &[&str] = &["mp3", "wav", "wave", "ogg", "oga", "flac", "m4a", "mp4", "aac"];

/// Whether the extension fits the codec that decoding found.
pub fn extension_fits(extension: &str, codec: &str) -> bool {
    let ext = extension.to_ascii_lowercase();
    match codec {
        "mp3" => ext == "mp3",
        "aac" => matches!(ext.as_str(), "m4a" | "mp4" | "aac"),
        "vorbis" | "opus" => matches!(ext.as_str(), "ogg" | "oga"),
        "flac" => ext == "flac",
        "pcm" | "adpcm" => matches!(ext.as_str(), "wav" | "wave"),
        _ => true,
    }
}

fn codec_name(codec: codecs::CodecType) -> &'static str {
    match codec {
        codecs::CODEC_TYPE_MP3 | codecs::CODEC_TYPE_MP2 | codecs::CODEC_TYPE_MP1 => "mp3",
        codecs::CODEC_TYPE_AAC => "aac",
        codecs::CODEC_TYPE_VORBIS => "vorbis",
        codecs::CODEC_TYPE_OPUS => "opus",
        codecs::CODEC_TYPE_FLAC => "flac",
        codecs::CODEC_TYPE_ADPCM_MS | codecs::CODEC_TYPE_ADPCM_IMA_WAV => "adpcm",
        c => match symphonia::default::get_codecs().get_codec(c) {
            Some(d) if d.short_name.starts_with("pcm") => "pcm",
            _ => "other",
        },
    }
}

fn ms(frames: u64, rate: u32) -> u64 {
    if rate == 0 {
        0
    } else {
        frames.saturating_mul(1000) / u64::from(rate)
    }
}

/// Decodes every packet of `bytes`. `extension` is only a hint: the content decides.
pub fn probe(bytes: Vec<u8>, extension: &str) -> Result<Probed, ClipProblem> {
    if bytes.is_empty() {
        return Err(ClipProblem::Empty);
    }
    let stream = MediaSourceStream::new(Box::new(Cursor::new(bytes)), Default::default());
    let mut hint = Hint::new();
    hint.with_extension(extension);
    let format_opts = FormatOptions {
        enable_gapless: true,
        ..Default::default()
    };
    let probed = symphonia::default::get_probe()
        .format(&hint, stream, &format_opts, &MetadataOptions::default())
        .map_err(|e| ClipProblem::NotAudio {
            reason: e.to_string(),
        })?;
    let mut format = probed.format;
    let track = format
        .tracks()
        .iter()
        .find(|t| t.codec_params.codec != CODEC_TYPE_NULL)
        .ok_or(ClipProblem::NoAudio)?;
    let track_id = track.id;
    let params = track.codec_params.clone();
    let codec = codec_name(params.codec);
    let mut decoder = symphonia::default::get_codecs()
        .make(&params, &DecoderOptions::default())
        .map_err(|e| ClipProblem::UnsupportedCodec {
            reason: e.to_string(),
        })?;

    let mut frames: u64 = 0;
    let mut packets: u64 = 0;
    let mut bad_packets: u64 = 0;
    let mut first_error: Option<String> = None;
    let mut sample_rate = params.sample_rate.unwrap_or(0);
    let mut channels = params.channels.map_or(0, |c| c.count() as u16);
    loop {
        let packet = match format.next_packet() {
            Ok(p) => p,
            Err(SymphoniaError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(SymphoniaError::ResetRequired) => break,
            Err(e) => {
                return Err(ClipProblem::Damaged {
                    at_ms: ms(frames, sample_rate),
                    reason: e.to_string(),
                })
            }
        };
        if packet.track_id() != track_id {
            continue;
        }
        packets += 1;
        match decoder.decode(&packet) {
            Ok(buf) => {
                frames += buf.frames() as u64;
                let spec = buf.spec();
                sample_rate = spec.rate;
                channels = spec.channels.count() as u16;
            }
            Err(SymphoniaError::DecodeError(e)) => {
                bad_packets += 1;
                first_error.get_or_insert_with(|| format!("{e} ({} s)", ms(frames, sample_rate) / 1000));
            }
            Err(e) => {
                return Err(ClipProblem::Damaged {
                    at_ms: ms(frames, sample_rate),
                    reason: e.to_string(),
                })
            }
        }
    }
    if frames == 0 {
        return Err(match first_error {
            Some(reason) => ClipProblem::NotAudio { reason },
            None => ClipProblem::NoAudio,
        });
    }
    // A stray bad frame is common in MP3s from the field and plays as a click;
    // many bad packets mean the file is damaged (or is not audio at all).
    if bad_packets > 2 && bad_packets * 20 > packets {
        return Err(ClipProblem::Damaged {
            at_ms: 0,
            reason: format!(
                "{bad_packets}/{packets} packets undecodable, first: {}",
                first_error.unwrap_or_default()
            ),
        });
    }
    let duration_ms = ms(frames, sample_rate);
    if let Some(declared) = params.n_frames {
        let declared_ms = ms(declared, sample_rate);
        // Allow encoder padding; a real truncation loses far more than 250 ms.
        if declared_ms > duration_ms + 250 && duration_ms * 100 < declared_ms * 99 {
            return Err(ClipProblem::Truncated {
                decoded_ms: duration_ms,
                declared_ms,
            });
        }
    }
    Ok(Probed {
        codec,
        duration_ms,
        sample_rate,
        channels,
    })
}
