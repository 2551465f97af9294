//! The real microphone path — cpal, ALSA, PulseAudio — on a machine with no sound card:
//! speech made by espeak-ng is played into the virtual microphone of
//! `scripts/virtual-microphone`, recorded through `Microphone::open(None)` and an
//! `AudioCapture`, written as the 16 kHz speech WAV, and compared with what was played.
//!
//! Ignored by default: it needs that PulseAudio running. From the repository's root:
//!
//! ```sh
//! scripts/virtual-microphone run \
//!   cargo test -p ehraz-capture --test virtual_microphone -- --include-ignored --nocapture
//! ```

use std::io::Cursor;
use std::process::{Command, Stdio};
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use ehraz_capture::audio::wav::{SPEECH_RATE, speech_wav};
use ehraz_capture::audio::{
    AudioCapture, AudioChunk, AudioSource, Microphone, WavFileSource, heard_sound,
};

const SENTENCE: &str = "احراز هویت. لطفاً این جمله را بلند بخوانید: امروز هوا آفتابی است.";

fn environment(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!(
            "{name} is not set: this test needs the virtual microphone. Run it with \
             `scripts/virtual-microphone run cargo test -p ehraz-capture --test \
             virtual_microphone -- --include-ignored` (Debian packages: pulseaudio \
             pulseaudio-utils libasound2-plugins espeak-ng)"
        )
    })
}

fn decode(wav: &[u8]) -> Vec<f32> {
    let reader = hound::WavReader::new(Cursor::new(wav)).expect("a WAV file");
    assert_eq!(reader.spec().sample_rate, SPEECH_RATE);
    reader
        .into_samples::<i16>()
        .map(|s| f32::from(s.expect("sample")) / 32_768.0)
        .collect()
}

/// The normalised cross-correlation of `played` inside `recorded` at `lag`.
fn correlation(recorded: &[f32], played: &[f32], lag: usize) -> f64 {
    let window = &recorded[lag..lag + played.len()];
    let (mut both, mut r2, mut p2) = (0.0f64, 0.0f64, 0.0f64);
    for (&r, &p) in window.iter().zip(played) {
        let (r, p) = (f64::from(r), f64::from(p));
        both += r * p;
        r2 += r * r;
        p2 += p * p;
    }
    if r2 == 0.0 || p2 == 0.0 {
        0.0
    } else {
        both / (r2 * p2).sqrt()
    }
}

/// 10 ms energies: a cheap envelope to find the lag roughly before the exact search.
fn envelope(samples: &[f32]) -> Vec<f32> {
    samples
        .chunks(160)
        .map(|w| w.iter().map(|s| s * s).sum::<f32>())
        .collect()
}

/// The lag of `played` in `recorded` with the highest correlation, and that correlation.
fn best_match(recorded: &[f32], played: &[f32]) -> (usize, f64) {
    assert!(
        recorded.len() > played.len(),
        "recorded {} samples, shorter than the {} played",
        recorded.len(),
        played.len()
    );
    let (rec_env, play_env) = (envelope(recorded), envelope(played));
    let coarse = (0..=rec_env.len() - play_env.len())
        .map(|lag| {
            let score: f32 = rec_env[lag..]
                .iter()
                .zip(&play_env)
                .map(|(a, b)| a * b)
                .sum();
            (lag, score)
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(0, |(lag, _)| lag * 160);
    let last = recorded.len() - played.len();
    (coarse.saturating_sub(320)..=(coarse + 320).min(last))
        .map(|lag| (lag, correlation(recorded, played, lag)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .expect("a lag")
}

#[test]
#[ignore = "needs scripts/virtual-microphone (PulseAudio) running"]
fn speech_played_into_the_virtual_microphone_is_recorded_as_played() {
    let sink = environment("EHRAZ_VIRTUAL_MICROPHONE_SINK");
    let dir = tempfile::tempdir().expect("temp dir");

    // The speech, at 16 kHz mono 16-bit: made by espeak-ng (22.05 kHz) and brought to 16 kHz
    // by the crate's own reader and writer, so what is played is exactly the reference.
    let spoken = dir.path().join("speech.wav");
    let status = Command::new("espeak-ng")
        .args(["-v", "fa", "-w"])
        .arg(&spoken)
        .arg(SENTENCE)
        .status()
        .expect("espeak-ng (Debian package espeak-ng)");
    assert!(status.success(), "espeak-ng failed");
    let mut file = WavFileSource::open(&spoken, false)
        .expect("espeak's WAV")
        .unpaced();
    let mut speech_chunks: Vec<AudioChunk> = Vec::new();
    while let Ok(chunk) = file.next_chunk() {
        speech_chunks.push(chunk);
    }
    let played = decode(&speech_wav(&speech_chunks).expect("wav"));
    // Half a second of silence first, so the speech does not start while the stream does.
    let lead_in = vec![0u8; SPEECH_RATE as usize];
    let raw: Vec<u8> = lead_in
        .into_iter()
        .chain(
            played
                .iter()
                .flat_map(|&s| ((s * 32_768.0).round() as i16).to_le_bytes()),
        )
        .collect();
    let raw_path = dir.path().join("speech16k.raw");
    std::fs::write(&raw_path, raw).expect("write");

    let devices = Microphone::devices().expect("devices");
    println!("input devices: {devices:?}");
    let microphone = Microphone::open(None).expect("the default input (the virtual one)");
    println!(
        "recording from {} at {} Hz, {} channel(s), {}",
        microphone.name(),
        microphone.device_rate(),
        microphone.device_channels(),
        microphone.device_format()
    );
    let capture = AudioCapture::start(microphone).expect("starts");
    let chunks = capture.subscribe();

    let mut player = Command::new("pacat")
        .args([
            "-p",
            "--format=s16le",
            "--rate=16000",
            "--channels=1",
            &format!("--device={sink}"),
        ])
        .stdin(std::fs::File::open(&raw_path).expect("raw"))
        .stdout(Stdio::null())
        .spawn()
        .expect("pacat (Debian package pulseaudio-utils)");

    // Record while it plays, then half a second more of sound.
    let mut recorded: Vec<AudioChunk> = Vec::new();
    let mut after_end = Duration::ZERO;
    let mut played_out = false;
    while after_end < Duration::from_millis(500) {
        match chunks.recv_timeout(Duration::from_secs(5)) {
            Ok(chunk) => {
                if played_out {
                    after_end += chunk.duration();
                }
                recorded.push(chunk);
            }
            Err(RecvTimeoutError::Timeout) => panic!("no sound from the microphone for 5 s"),
            Err(RecvTimeoutError::Disconnected) => {
                panic!("the capture stopped: {:?}", capture.failure())
            }
        }
        if !played_out && player.try_wait().expect("pacat").is_some() {
            played_out = true;
        }
    }
    assert!(player.wait().expect("pacat").success(), "pacat failed");
    assert_eq!(capture.failure(), None);
    let dropped = capture.dropped_samples();
    drop(capture);

    for pair in recorded.windows(2) {
        let step = pair[1]
            .captured
            .abs_diff(pair[0].captured + pair[0].duration());
        assert!(
            step <= Duration::from_micros(1),
            "chunks follow each other on the capture clock: {pair:?}"
        );
    }
    assert!(heard_sound(&recorded), "the speech was heard");
    let wav = speech_wav(&recorded).expect("wav");
    let recorded = decode(&wav);
    let (lag, peak) = best_match(&recorded, &played);
    println!(
        "played {:.2} s, recorded {:.2} s, {dropped} samples dropped; speech found {:.3} s \
         into the recording, normalised cross-correlation {peak:.4}",
        played.len() as f64 / f64::from(SPEECH_RATE),
        recorded.len() as f64 / f64::from(SPEECH_RATE),
        lag as f64 / f64::from(SPEECH_RATE),
    );
    assert!(peak >= 0.9, "correlation {peak:.4} < 0.9");
}
