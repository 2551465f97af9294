//! The video recorder, through the real pipeline (a paced file camera, a paced sound
//! feeder stamping chunks as a microphone would), checked with ffprobe and ffmpeg
//! (apt `ffmpeg`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use bytes::Bytes;
use ehraz_capture::audio::{AudioChunk, SAMPLE_RATE};
use ehraz_capture::video::{Recorder, Recording, VideoError, VideoSettings};
use ehraz_capture::{Camera, Frame, LatestFrame, PixelFormat, Y4mSource, clock};

const FPS: usize = 30;
/// Samples per sound chunk: 10 ms, as a microphone callback might give.
const CHUNK: usize = 480;

/// Writes a Y4M at 30 fps whose frame `i` is a flat grey of `luma(i)`.
fn y4m_file(
    dir: &Path,
    width: usize,
    height: usize,
    frames: usize,
    luma: impl Fn(usize) -> u8,
) -> PathBuf {
    let path = dir.join("clip.y4m");
    let file = std::fs::File::create(&path).expect("file");
    let mut encoder = y4m::encode(width, height, y4m::Ratio::new(FPS, 1))
        .with_colorspace(y4m::Colorspace::C420jpeg)
        .write_header(file)
        .expect("header");
    let chroma = vec![128u8; width.div_ceil(2) * height.div_ceil(2)];
    for i in 0..frames {
        let y = vec![luma(i); width * height];
        encoder
            .write_frame(&y4m::Frame::new([&y, &chroma, &chroma], None))
            .expect("frame");
    }
    path
}

/// A microphone stand-in: 10 ms chunks delivered in real time, each stamped with the
/// capture-clock time of its first sample, counted from its own start like a device
/// clock. `sound(t)` is the sample at capture-clock time `t`.
struct Feeder {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Feeder {
    fn start(tx: Sender<AudioChunk>, sound: impl Fn(Duration) -> f32 + Send + 'static) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || feed(&tx, &stop, sound))
        };
        Self {
            stop,
            thread: Some(thread),
        }
    }
}

fn feed(tx: &Sender<AudioChunk>, stop: &AtomicBool, sound: impl Fn(Duration) -> f32) {
    let started = Instant::now();
    let origin = clock::at(started);
    let sample_time =
        |n: usize| Duration::from_nanos(n as u64 * 1_000_000_000 / u64::from(SAMPLE_RATE));
    let mut n = 0;
    while !stop.load(Ordering::Acquire) {
        // The chunk is there once its last sample has been captured.
        let due = sample_time(n + CHUNK);
        if let Some(wait) = due.checked_sub(started.elapsed()) {
            std::thread::sleep(wait);
        }
        let samples = (n..n + CHUNK)
            .map(|i| sound(origin + sample_time(i)))
            .collect();
        let chunk = AudioChunk {
            samples,
            captured: origin + sample_time(n),
        };
        if tx.send(chunk).is_err() {
            break;
        }
        n += CHUNK;
    }
}

impl Drop for Feeder {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            thread.join().expect("feeder");
        }
    }
}

fn wait_until(what: &str, done: impl Fn() -> bool) {
    let give_up = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < give_up, "{what} never happened");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Runs ffmpeg or ffprobe, which must succeed.
fn run(program: &str, args: &[&str]) -> std::process::Output {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} (apt ffmpeg) did not run: {e}"));
    assert!(
        out.status.success(),
        "{program}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn streams(mp4: &Path) -> Vec<serde_json::Value> {
    let out = run(
        "ffprobe",
        &[
            "-v",
            "error",
            "-count_frames",
            "-show_entries",
            "stream=codec_type,codec_name,duration,start_time,nb_read_frames,width,height",
            "-of",
            "json",
            mp4.to_str().expect("path"),
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    json["streams"].as_array().expect("streams").clone()
}

fn seconds(value: &serde_json::Value) -> f64 {
    value
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not seconds: {value}"))
}

fn decodes_cleanly(mp4: &Path) {
    let out = run(
        "ffmpeg",
        &[
            "-v",
            "error",
            "-i",
            mp4.to_str().expect("path"),
            "-f",
            "null",
            "-",
        ],
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "ffmpeg reported errors decoding"
    );
}

/// When the microphone starts, against the camera.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Microphone {
    /// 100 ms before: its first chunks precede the first frame and are cut.
    First,
    /// 500 ms after the first frame: silence is put before its first chunk.
    Late,
}

/// Plays `frames` frames of a 30 fps Y4M (frame `i` of grey `luma(i)`) paced through a
/// `Camera`, with sound from a real-time feeder, until the source ends.
fn record_paced(
    dir: &Path,
    frames: usize,
    luma: impl Fn(usize) -> u8,
    sound: impl Fn(Duration) -> f32 + Send + 'static,
    microphone: Microphone,
    on_first_frame: impl FnOnce(&Frame, &ehraz_capture::SourceInfo),
) -> Recording {
    let clip = y4m_file(dir, 320, 240, frames, luma);
    let (tx, audio) = std::sync::mpsc::channel();
    let mut sound = Some(sound);
    let mut start_feeder = || Feeder::start(tx.clone(), sound.take().expect("started once"));
    let mut feeder = None;
    if microphone == Microphone::First {
        feeder = Some(start_feeder());
        std::thread::sleep(Duration::from_millis(100));
    }
    let camera = Camera::start(Y4mSource::open(&clip, false).expect("opens")).expect("camera");
    let recorder = Recorder::start(
        camera.frames().clone(),
        Some(audio),
        VideoSettings::default(),
    )
    .expect("starts");
    let first = camera
        .frames()
        .newer_than(None, Duration::from_secs(10))
        .expect("a first frame");
    on_first_frame(&first, camera.info());
    if microphone == Microphone::Late {
        std::thread::sleep(Duration::from_millis(500));
        feeder = Some(start_feeder());
    }
    wait_until("the clip's end", || recorder.is_finished());
    let recording = recorder.stop().expect("a recording");
    drop(feeder);
    recording
}

#[test]
fn a_recording_is_an_mp4_with_h264_and_opus_that_ffmpeg_plays() {
    let dir = tempfile::tempdir().expect("dir");
    let luma = |i: usize| 16 + (i % 200) as u8;
    let tone = |t: Duration| 0.3 * (t.as_secs_f32() * 440.0 * std::f32::consts::TAU).sin();
    let recording = record_paced(
        dir.path(),
        3 * FPS,
        luma,
        tone,
        Microphone::First,
        |_, _| {},
    );

    let mp4 = dir.path().join("x.mp4");
    std::fs::write(&mp4, &recording.mp4).expect("write");
    let streams = streams(&mp4);
    let kinds: Vec<(&str, &str)> = streams
        .iter()
        .map(|s| {
            (
                s["codec_type"].as_str().unwrap_or(""),
                s["codec_name"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(kinds, [("video", "h264"), ("audio", "opus")]);
    let video = seconds(&streams[0]["duration"]);
    let audio = seconds(&streams[1]["duration"]);
    let duration = recording.duration.as_secs_f64();
    println!(
        "recording {duration:.3} s, video {video:.3} s, audio {audio:.3} s, {} frames, {} dropped",
        recording.frames, recording.dropped
    );
    assert!(
        (video - audio).abs() <= 0.1,
        "video {video} s, audio {audio} s"
    );
    assert!(
        (video - duration).abs() <= 0.1,
        "video {video} s, recording {duration} s"
    );
    assert!(
        (2.5..=3.1).contains(&duration),
        "a 3 s clip gave {duration} s"
    );
    assert_eq!(
        (streams[0]["width"].as_u64(), streams[0]["height"].as_u64()),
        (Some(320), Some(240))
    );
    assert_eq!(
        seconds(&streams[0]["nb_read_frames"]) as u64,
        recording.frames
    );
    decodes_cleanly(&mp4);

    let poster = &recording.poster;
    assert_eq!(
        poster.data[0],
        luma(poster.sequence as usize),
        "the poster is the first frame"
    );
    // The chunks given back cover the recording, in order.
    assert!(!recording.audio.is_empty());
    assert!(
        recording
            .audio
            .windows(2)
            .all(|w| w[0].captured < w[1].captured)
    );
    let sound: usize = recording.audio.iter().map(|c| c.samples.len()).sum();
    let covered = sound as f64 / f64::from(SAMPLE_RATE);
    assert!(
        (covered - duration).abs() <= 0.05,
        "{covered} s of sound for {duration} s of video"
    );
}

/// Mean luma and time of each decoded frame.
fn frame_brightness(mp4: &Path) -> Vec<(f64, f64)> {
    let out = run(
        "ffmpeg",
        &[
            "-v",
            "error",
            "-i",
            mp4.to_str().expect("path"),
            "-an",
            "-vf",
            "signalstats,metadata=mode=print:key=lavfi.signalstats.YAVG:file=-",
            "-f",
            "null",
            "-",
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut frames = Vec::new();
    let mut time = None;
    for line in text.lines() {
        if let Some(at) = line
            .split_whitespace()
            .find_map(|w| w.strip_prefix("pts_time:"))
        {
            time = Some(at.parse::<f64>().expect("pts_time"));
        } else if let Some(value) = line.strip_prefix("lavfi.signalstats.YAVG=") {
            frames.push((
                time.take().expect("a time first"),
                value.parse().expect("YAVG"),
            ));
        }
    }
    frames
}

/// The decoded sound, mono 48 kHz, from media time zero.
fn decoded_sound(mp4: &Path) -> Vec<f32> {
    let out = run(
        "ffmpeg",
        &[
            "-v",
            "error",
            "-i",
            mp4.to_str().expect("path"),
            "-map",
            "0:a:0",
            "-ac",
            "1",
            "-ar",
            "48000",
            "-f",
            "f32le",
            "-",
        ],
    );
    out.stdout
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

#[test]
fn a_flash_and_a_beep_at_the_same_instant_play_at_the_same_time() {
    const FLASH_FRAME: u64 = 45;
    const FLASH_FRAMES: u64 = 6;
    let dir = tempfile::tempdir().expect("dir");
    let flash_at: Arc<OnceLock<Duration>> = Arc::default();
    let luma = |i: usize| {
        if (FLASH_FRAME..FLASH_FRAME + FLASH_FRAMES).contains(&(i as u64)) {
            235
        } else {
            16
        }
    };
    // A 1 kHz beep from the flash's capture-clock instant, as long as the flash.
    let beep = {
        let flash_at = Arc::clone(&flash_at);
        move |t: Duration| match flash_at.get() {
            Some(&at) if t >= at && t < at + Duration::from_millis(200) => {
                0.5 * ((t - at).as_secs_f32() * 1000.0 * std::f32::consts::TAU).sin()
            }
            _ => 0.0,
        }
    };
    let recording = {
        let flash_at = Arc::clone(&flash_at);
        record_paced(
            dir.path(),
            3 * FPS,
            luma,
            beep,
            Microphone::Late,
            move |first, info| {
                // The file camera stamps frame n at its start plus n frame intervals.
                let start = first.captured - info.due(first.sequence);
                flash_at
                    .set(start + info.due(FLASH_FRAME))
                    .expect("set once");
            },
        )
    };
    let mp4 = dir.path().join("sync.mp4");
    std::fs::write(&mp4, &recording.mp4).expect("write");

    let frames = frame_brightness(&mp4);
    assert_eq!(frames.len() as u64, recording.frames);
    let flash = frames
        .iter()
        .find(|(_, y)| *y > 128.0)
        .expect("the flash is in the video")
        .0;
    assert!(
        frames.first().is_some_and(|(_, y)| *y < 40.0),
        "the video starts black"
    );

    let sound = decoded_sound(&mp4);
    let window = 48; // 1 ms
    let onset = sound
        .chunks(window)
        .position(|w| (w.iter().map(|s| s * s).sum::<f32>() / w.len() as f32).sqrt() > 0.1)
        .expect("the beep is in the sound") as f64
        * window as f64
        / f64::from(SAMPLE_RATE);
    let quiet_before = sound[..(onset * 48_000.0) as usize]
        .iter()
        .all(|s| s.abs() < 0.05);
    assert!(quiet_before, "silence before the beep");
    let gap = (flash - onset) * 1000.0;
    println!(
        "flash at {flash:.3} s, beep at {onset:.3} s: {gap:+.1} ms apart ({} frames, {} dropped)",
        recording.frames, recording.dropped
    );
    assert!(gap.abs() <= 100.0, "flash at {flash} s, beep at {onset} s");
}

fn grey_frame(width: u32, height: u32, sequence: u64, captured: Duration) -> Frame {
    let len = PixelFormat::I420.frame_len(width, height);
    let data: Vec<u8> = (0..len)
        .map(|i| (i as u64 * 7 + sequence * 13) as u8)
        .collect();
    Frame {
        width,
        height,
        format: PixelFormat::I420,
        data: Bytes::from(data),
        captured,
        sequence,
    }
}

fn frame_interval(n: u64) -> Duration {
    Duration::from_nanos(n * 1_000_000_000 / FPS as u64)
}

#[test]
fn frames_the_encoder_could_not_keep_up_with_are_counted_as_dropped() {
    const PUBLISHED: u64 = 300;
    let latest = LatestFrame::default();
    let recorder = Recorder::start(latest.clone(), None, VideoSettings::default()).expect("starts");
    let mut frames = (0..PUBLISHED).map(|i| grey_frame(640, 480, i, frame_interval(i)));
    // The first frame once the recorder has it, so the recording starts at frame 0...
    latest.publish(frames.next().expect("frame 0"));
    wait_until("the first frame's recording", || recorder.frames() == 1);
    // ...then the rest far faster than any encoder: each replaces the last at once.
    let rest: Vec<Frame> = frames.collect();
    for frame in rest {
        latest.publish(frame);
    }
    let last = frame_interval(PUBLISHED - 1);
    wait_until("the last frame's recording", || recorder.elapsed() == last);
    let recording = recorder.stop().expect("a recording");
    println!(
        "{} frames, {} dropped of {PUBLISHED} published",
        recording.frames, recording.dropped
    );
    assert_eq!(recording.poster.sequence, 0);
    assert!(recording.dropped > 0);
    assert_eq!(
        recording.frames + recording.dropped,
        PUBLISHED,
        "every frame is recorded or counted"
    );
    assert_eq!(
        latest.dropped(),
        recording.dropped,
        "the camera saw the same drops"
    );

    let dir = tempfile::tempdir().expect("dir");
    let mp4 = dir.path().join("fast.mp4");
    std::fs::write(&mp4, &recording.mp4).expect("write");
    let streams = streams(&mp4);
    assert_eq!(streams.len(), 1, "no sound was given");
    assert_eq!(
        seconds(&streams[0]["nb_read_frames"]) as u64,
        recording.frames
    );
}

#[test]
fn a_recording_stops_taking_frames_at_its_limit() {
    let latest = LatestFrame::default();
    let settings = VideoSettings {
        limit: Duration::from_secs(1),
        ..VideoSettings::default()
    };
    let recorder = Recorder::start(latest.clone(), None, settings).expect("starts");
    // In step with the recorder, so none is dropped: 10 frames a second for 3 s.
    for i in 0..30u64 {
        latest.publish(grey_frame(
            64,
            48,
            i,
            Duration::from_millis(5_000 + 100 * i),
        ));
        wait_until("the frame's recording or the end", || {
            recorder.frames() == i + 1 || recorder.is_finished()
        });
        if recorder.is_finished() {
            break;
        }
    }
    assert!(
        recorder.is_finished(),
        "the limit ends the recording by itself"
    );
    assert_eq!(recorder.elapsed(), Duration::from_millis(900));
    let recording = recorder.stop().expect("a recording");
    assert_eq!((recording.frames, recording.dropped), (10, 0));
    assert_eq!(recording.duration, Duration::from_secs(1));
    assert_eq!(recording.poster.sequence, 0);

    let dir = tempfile::tempdir().expect("dir");
    let mp4 = dir.path().join("limit.mp4");
    std::fs::write(&mp4, &recording.mp4).expect("write");
    let streams = streams(&mp4);
    assert!((seconds(&streams[0]["duration"]) - 1.0).abs() < 0.01);
    decodes_cleanly(&mp4);
}

#[test]
fn a_recording_without_frames_or_with_odd_frames_says_why() {
    let recorder =
        Recorder::start(LatestFrame::default(), None, VideoSettings::default()).expect("starts");
    assert!(matches!(recorder.stop(), Err(VideoError::NoFrames)));

    let latest = LatestFrame::default();
    let recorder = Recorder::start(latest.clone(), None, VideoSettings::default()).expect("starts");
    latest.publish(grey_frame(33, 17, 0, Duration::ZERO));
    wait_until("the end", || recorder.is_finished());
    let error = recorder.stop().expect_err("odd sides");
    assert!(
        matches!(
            error,
            VideoError::OddSize {
                width: 33,
                height: 17
            }
        ),
        "{error:?}"
    );
}
