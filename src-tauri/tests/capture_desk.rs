//! The capture desk without a window: the file-backed camera and microphone chosen where
//! there is no device, the preview paced by acknowledgements, a photo and a recording
//! held for review, retake, and every failure named by the code the UI shows.

mod demo;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use ehraz_app::capture::{CaptureEvent, CaptureState, Facing, Pending, Prompt};
use ehraz_app::config::Config;
use ehraz_core::CaptureTrigger;
use ehraz_vision::Target;

const WIDTH: usize = 320;
const HEIGHT: usize = 240;

fn folder() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "ehraz-desk-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Two seconds of 320×240 at 30 fps, each frame a different grey.
fn clip(dir: &Path) -> PathBuf {
    let path = dir.join("camera.y4m");
    let mut bytes = format!("YUV4MPEG2 W{WIDTH} H{HEIGHT} F30:1 Ip A1:1 C420jpeg\n").into_bytes();
    for n in 0..60u8 {
        bytes.extend_from_slice(b"FRAME\n");
        bytes.extend(std::iter::repeat_n(40 + n * 3, WIDTH * HEIGHT));
        bytes.extend(std::iter::repeat_n(128, WIDTH * HEIGHT / 2));
    }
    std::fs::write(&path, bytes).expect("clip");
    path
}

/// A Persian sentence spoken by espeak-ng (Debian package espeak-ng, which scripts/setup
/// installs), as a WAV file.
fn speech(dir: &Path) -> PathBuf {
    let path = dir.join("speech.wav");
    let status = std::process::Command::new("espeak-ng")
        .args(["-v", "fa", "-w"])
        .arg(&path)
        .arg("من این جمله را برای احراز هویت با صدای بلند می‌خوانم.")
        .status()
        .expect("espeak-ng");
    assert!(status.success(), "espeak-ng: {status}");
    path
}

/// A 16-bit mono WAV at 48 kHz: a 440 Hz tone, or silence.
fn sound(dir: &Path, name: &str, loud: bool) -> PathBuf {
    let rate = 48_000u32;
    let samples: Vec<i16> = (0..rate * 2)
        .map(|i| {
            let t = f64::from(i) / f64::from(rate);
            let amplitude = if loud { 12_000.0 } else { 0.0 };
            (amplitude * (t * 440.0 * std::f64::consts::TAU).sin()) as i16
        })
        .collect();
    let data_len = (samples.len() * 2) as u32;
    let mut bytes = Vec::new();
    bytes.extend_from_slice(b"RIFF");
    bytes.extend_from_slice(&(36 + data_len).to_le_bytes());
    bytes.extend_from_slice(b"WAVEfmt ");
    bytes.extend_from_slice(&16u32.to_le_bytes());
    bytes.extend_from_slice(&1u16.to_le_bytes());
    bytes.extend_from_slice(&1u16.to_le_bytes());
    bytes.extend_from_slice(&rate.to_le_bytes());
    bytes.extend_from_slice(&(rate * 2).to_le_bytes());
    bytes.extend_from_slice(&2u16.to_le_bytes());
    bytes.extend_from_slice(&16u16.to_le_bytes());
    bytes.extend_from_slice(b"data");
    bytes.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        bytes.extend_from_slice(&s.to_le_bytes());
    }
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("wav");
    path
}

fn config(camera: Option<PathBuf>, microphone: Option<PathBuf>) -> Config {
    Config {
        camera_file: camera,
        microphone_file: microphone,
        ..Config::default()
    }
}

/// Opens the camera with the preview going to a channel and events to another.
fn open(
    desk: &CaptureState,
    config: &Config,
    target: Option<Target>,
) -> (mpsc::Receiver<Vec<u8>>, mpsc::Receiver<CaptureEvent>) {
    let (frames, frames_rx) = mpsc::channel();
    let (events, events_rx) = mpsc::channel();
    let opened = desk
        .open_camera(
            config,
            None,
            Facing::Front,
            target,
            160,
            move |m| frames.send(m).is_ok(),
            move |e| {
                let _ = events.send(e);
            },
        )
        .expect("the file camera opens where there is no device");
    assert!(opened.device.file);
    assert_eq!(
        (opened.width, opened.height, opened.frame_rate),
        (320, 240, 30)
    );
    (frames_rx, events_rx)
}

fn sequence(message: &[u8]) -> u32 {
    u32::from_le_bytes(message[0..4].try_into().expect("header"))
}

#[test]
fn a_photo_is_taken_reviewed_retaken_and_handed_over() {
    let dir = folder();
    let config = config(Some(clip(&dir)), None);
    let desk = CaptureState::default();
    assert_eq!(
        desk.take_photo(CaptureTrigger::Shutter)
            .expect_err("closed")
            .code,
        "camera_not_open"
    );

    let (frames, events) = open(&desk, &config, Some(Target::Selfie));
    let first = frames
        .recv_timeout(Duration::from_secs(5))
        .expect("a preview frame");
    // Scaled to the asked width, in the 12-byte-header layout the page parses.
    assert_eq!(u16::from_le_bytes([first[4], first[5]]), 160);
    assert_eq!(u16::from_le_bytes([first[6], first[7]]), 120);
    desk.preview_ack(sequence(&first));

    // The guidance looks at the frames: plain grey has no face, so it is never ready.
    let guidance = std::iter::from_fn(|| events.recv_timeout(Duration::from_secs(5)).ok())
        .find_map(|event| match event {
            CaptureEvent::Guidance { code, ready } => Some((code, ready)),
            _ => None,
        })
        .expect("guidance");
    assert!(!guidance.1, "{guidance:?}");

    let taken = desk.take_photo(CaptureTrigger::Auto).expect("photo");
    assert_eq!((taken.width, taken.height), (320, 240));
    let review = desk.review_image(200).expect("review image");
    assert_eq!(&review[..2], &[0xFF, 0xD8], "a JPEG");
    let Pending::Photo { jpeg, checks, .. } = desk.take_pending().expect("pending") else {
        panic!("a photo waits");
    };
    let checks = checks.expect("the checks at the shutter");
    assert_eq!(checks.trigger, CaptureTrigger::Auto);
    assert_eq!(checks.results["face"], "no-face", "{checks:?}");
    assert!(checks.results.contains_key("exposure"), "{checks:?}");
    assert_eq!(jpeg.len(), taken.bytes);
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);

    // Retake: put back, discard, and nothing waits any more.
    desk.put_back(Pending::Photo {
        jpeg,
        frame: ehraz_capture::Frame {
            width: 2,
            height: 2,
            format: ehraz_capture::PixelFormat::I420,
            data: vec![0; 6].into(),
            captured: Duration::ZERO,
            sequence: 0,
        },
        checks: None,
    });
    desk.discard();
    assert_eq!(
        desk.take_pending().expect_err("gone").code,
        "nothing_to_review"
    );
    assert_eq!(
        desk.review_image(200).expect_err("gone").code,
        "nothing_to_review"
    );

    // Closing stops the preview; a photo needs an open camera again.
    desk.close_camera();
    assert_eq!(
        desk.take_photo(CaptureTrigger::Shutter)
            .expect_err("closed")
            .code,
        "camera_not_open"
    );
    std::fs::remove_dir_all(dir).ok();
}

/// Records from the file camera and `microphone` for `limit` with `prompt`, collecting
/// the events until the limit; then stops.
fn record(
    microphone: PathBuf,
    limit: Duration,
    prompt: Prompt,
) -> (
    ehraz_app::capture::RecordingDone,
    Pending,
    Vec<CaptureEvent>,
) {
    let dir = folder();
    let config = config(Some(clip(&dir)), Some(microphone));
    let desk = CaptureState::default();
    let (_frames, events) = open(&desk, &config, Some(Target::SelfieVideo));
    assert_eq!(
        desk.start_recording(limit, prompt)
            .expect_err("no mic")
            .code,
        "microphone_missing"
    );
    let opened = desk
        .open_microphone(&config, None)
        .expect("the file microphone");
    assert!(opened.file);
    desk.start_recording(limit, prompt).expect("recording");
    assert_eq!(
        desk.start_recording(limit, prompt).expect_err("twice").code,
        "recording_running"
    );
    let mut seen = Vec::new();
    loop {
        let event = events
            .recv_timeout(Duration::from_secs(10))
            .expect("events");
        let end = event == CaptureEvent::RecordingLimit;
        seen.push(event);
        if end {
            break;
        }
    }
    let done = desk.stop_recording().expect("stopped");
    assert_eq!(
        desk.stop_recording().expect_err("over").code,
        "recording_not_started"
    );
    let pending = desk.take_pending().expect("video");
    desk.close_camera();
    std::fs::remove_dir_all(dir).ok();
    (done, pending, seen)
}

#[test]
fn a_recording_keeps_its_video_sound_and_whether_speech_was_heard() {
    let dir = folder();
    for (microphone, heard) in [
        (speech(&dir), true),
        (sound(&dir, "quiet.wav", false), false),
    ] {
        let limit = Duration::from_secs(2);
        let (done, pending, events) = record(microphone, limit, Prompt::Sentence);
        // The level, the progress and the voice arrive as events.
        let loud = events
            .iter()
            .any(|e| matches!(e, CaptureEvent::Level { peak, .. } if *peak > 0.1));
        let speaking = events
            .iter()
            .any(|e| matches!(e, CaptureEvent::Voice { speaking: true, .. }));
        assert!(
            events.iter().any(
                |e| matches!(e, CaptureEvent::Recording { limit_ms, .. } if *limit_ms == 2000)
            )
        );
        assert_eq!((loud, speaking), (heard, heard));
        assert_eq!(done.heard_sound, heard);
        assert_eq!(done.speech_heard, heard, "{done:?}");
        assert!(
            (1900..=2100).contains(&done.duration_ms),
            "{}",
            done.duration_ms
        );
        assert!(done.frames >= 50, "{}", done.frames);
        let Pending::Video {
            mp4,
            wav,
            poster,
            prompt,
            checks,
        } = pending
        else {
            panic!("a video waits");
        };
        assert_eq!(prompt.speech_ms, done.speech_ms);
        assert_eq!(heard, done.speech_ms >= 1000, "{done:?}");
        assert_eq!((mp4.len(), wav.len()), (done.video_bytes, done.audio_bytes));
        assert_eq!(&mp4[4..8], b"ftyp");
        assert_eq!(&wav[..4], b"RIFF");
        // 16 kHz mono, 16-bit.
        assert_eq!(
            u32::from_le_bytes(wav[24..28].try_into().expect("rate")),
            16_000
        );
        assert_eq!(u16::from_le_bytes([wav[22], wav[23]]), 1);
        assert_eq!((poster.width, poster.height), (320, 240));
        // The guidance ran all along: no face in plain grey, frame after frame.
        let checks = checks.expect("checks");
        let recording = checks.recording.expect("over the recording");
        assert!(recording.frames >= 10, "{recording:?}");
        assert_eq!(recording.failures.values().sum::<u32>(), recording.frames);
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn digits_appear_one_at_a_time_on_schedule_and_their_times_are_kept() {
    let dir = folder();
    let limit = Duration::from_secs(10);
    let (done, pending, events) = record(sound(&dir, "quiet.wav", false), limit, Prompt::Digits(4));
    let shown: Vec<(usize, u32)> = events
        .iter()
        .filter_map(|e| match e {
            CaptureEvent::ChallengeDigit { index, elapsed_ms } => Some((*index, *elapsed_ms)),
            _ => None,
        })
        .collect();
    let indexes: Vec<usize> = shown.iter().map(|s| s.0).collect();
    assert_eq!(indexes, [0, 1, 2, 3]);
    // Each at its time (1 s, then every 2.5 s), told by a watch tick before the next is
    // due.
    for ((_, at), due) in shown.iter().zip([1000, 3500, 6000, 8500]) {
        assert!((due..due + 2500).contains(at), "{shown:?}");
    }
    assert!(done.speech_heard, "no sentence: nothing to hear");
    let Pending::Video { prompt, .. } = pending else {
        panic!("a video waits");
    };
    let times: Vec<u32> = shown.iter().map(|s| s.1).collect();
    assert_eq!(prompt.digits_shown_at_ms, times);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn missing_devices_and_broken_files_are_named_for_the_ui() {
    let dir = folder();
    let desk = CaptureState::default();
    let never = |_: Vec<u8>| true;
    let open = |config: &Config, device: Option<&str>| {
        desk.open_camera(config, device, Facing::Back, None, 640, never, |_| {})
            .expect_err("refused")
            .code
    };
    // No device here (no /dev/video*) and no file: nothing to open.
    assert_eq!(open(&config(None, None), None), "camera_missing");
    assert_eq!(open(&config(None, None), Some("file")), "camera_missing");
    let garbage = dir.join("garbage.y4m");
    std::fs::write(&garbage, b"not a clip").expect("write");
    assert_eq!(open(&config(Some(garbage), None), None), "camera_failed");

    let microphone = |config: &Config, device: Option<&str>| {
        desk.open_microphone(config, device)
            .expect_err("refused")
            .code
    };
    assert_eq!(
        microphone(&config(None, None), Some("file")),
        "microphone_missing"
    );
    assert_eq!(
        microphone(&config(None, None), Some("no such microphone")),
        "microphone_missing"
    );
    let broken = dir.join("broken.wav");
    std::fs::write(&broken, b"RIFF....").expect("write");
    assert_eq!(
        microphone(&config(None, Some(broken)), Some("file")),
        "microphone_failed"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_face_held_in_the_oval_makes_the_guidance_ready_and_the_photo_says_so() {
    let dir = folder();
    let config = config(Some(demo::demo_media(&dir).0), None);
    let desk = CaptureState::default();
    let (events_tx, events_rx) = mpsc::channel();
    desk.open_camera(
        &config,
        None,
        Facing::Front,
        Some(Target::Selfie),
        320,
        |_| true,
        move |e| {
            let _ = events_tx.send(e);
        },
    )
    .expect("the face clip opens");
    wait_until_ready(&events_rx, 200);
    desk.take_photo(CaptureTrigger::Auto).expect("photo");
    let Pending::Photo { checks, .. } = desk.take_pending().expect("pending") else {
        panic!("a photo waits");
    };
    let checks = checks.expect("checks");
    assert!(checks.results.values().all(|r| r == "pass"), "{checks:?}");
    desk.close_camera();
    std::fs::remove_dir_all(dir).ok();
}

/// Reads up to `events` capture events until the guidance says ready; fails, naming every
/// guidance code heard, if it never does.
fn wait_until_ready(events_rx: &mpsc::Receiver<CaptureEvent>, events: usize) {
    let mut codes = Vec::new();
    let ready = std::iter::from_fn(|| events_rx.recv_timeout(Duration::from_secs(5)).ok())
        .take(events)
        .find_map(|event| match event {
            CaptureEvent::Guidance { code, ready } => {
                codes.push(code);
                ready.then_some(code)
            }
            _ => None,
        });
    assert_eq!(ready, Some("ready"), "the guidance said {codes:?}");
}

/// The first `count` frames of the demo portrait clip as the page's canvas gives them:
/// RGBA, rows packed.
fn portrait_rgba(clip: &Path, count: usize) -> (u32, u32, Vec<Vec<u8>>) {
    use ehraz_capture::FrameSource;
    let mut source = ehraz_capture::Y4mSource::open(clip, true)
        .expect("the demo clip")
        .unpaced();
    let info = source.info();
    let frames = (0..count)
        .map(|_| {
            let frame = source.next_frame().expect("a frame");
            let rgb = ehraz_capture::photo::to_rgb(&frame).expect("rgb");
            rgb.chunks_exact(3)
                .flat_map(|px| [px[0], px[1], px[2], 255])
                .collect()
        })
        .collect();
    (info.width, info.height, frames)
}

/// Feeds `frames` to the desk's webview camera about fifteen times a second, in a loop,
/// until `stop`; how many were taken.
fn feed_at_15_fps(
    desk: &CaptureState,
    (width, height): (u32, u32),
    frames: &[Vec<u8>],
    stop: &std::sync::atomic::AtomicBool,
) -> usize {
    let mut fed = 0;
    let started = std::time::Instant::now();
    for frame in frames.iter().cycle() {
        if stop.load(std::sync::atomic::Ordering::Acquire) {
            break;
        }
        desk.feed(width, height, ehraz_capture::FedPixels::Rgba, frame)
            .expect("a good frame is taken");
        fed += 1;
        let due = started + Duration::from_millis(66) * u32::try_from(fed).expect("count");
        std::thread::sleep(due.saturating_duration_since(std::time::Instant::now()));
    }
    fed
}

#[test]
fn the_webview_camera_fed_a_held_portrait_turns_ready_and_its_photo_passes_every_check() {
    let dir = folder();
    let (clip, _) = demo::demo_media(&dir);
    let (width, height, frames) = portrait_rgba(&clip, 4);
    let desk = CaptureState::default();
    assert_eq!(
        desk.feed(width, height, ehraz_capture::FedPixels::Rgba, &frames[0])
            .expect_err("nothing open")
            .code,
        "camera_not_open"
    );
    let (events_tx, events_rx) = mpsc::channel();
    let opened = desk
        .open_webview_camera(
            Facing::Front,
            Some(Target::Selfie),
            width,
            height,
            move |e| {
                let _ = events_tx.send(e);
            },
        )
        .expect("the webview camera opens");
    assert_eq!(opened.device.id, "webview");
    assert!(!opened.device.file);
    assert_eq!(
        (opened.width, opened.height, opened.frame_rate),
        (1280, 720, 15)
    );
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        let feeding = scope.spawn(|| feed_at_15_fps(&desk, (width, height), &frames, &stop));
        wait_until_ready(&events_rx, 300);
        let taken = desk.take_photo(CaptureTrigger::Auto).expect("photo");
        assert_eq!((taken.width, taken.height), (1280, 720));
        stop.store(true, std::sync::atomic::Ordering::Release);
        let fed = feeding.join().expect("the feeder");
        assert!(fed >= 3, "{fed} frames fed");
    });
    let Pending::Photo { jpeg, checks, .. } = desk.take_pending().expect("pending") else {
        panic!("a photo waits");
    };
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
    let checks = checks.expect("checks");
    assert_eq!(checks.trigger, CaptureTrigger::Auto);
    let names: Vec<&str> = checks.results.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        ["exposure", "face", "motion", "sharpness"],
        "{checks:?}"
    );
    assert!(checks.results.values().all(|r| r == "pass"), "{checks:?}");
    // The page's video is its preview: no preview frames go back to it.
    assert!(desk.preview_stats().is_none());
    // Closing ends the feed (the camera's thread waits for frames no more).
    desk.close_camera();
    assert_eq!(
        desk.feed(width, height, ehraz_capture::FedPixels::Rgba, &frames[0])
            .expect_err("closed")
            .code,
        "camera_not_open"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn the_webview_camera_records_an_mp4_that_ffprobe_reads() {
    let dir = folder();
    let (clip, microphone) = demo::demo_media(&dir);
    let (width, height, frames) = portrait_rgba(&clip, 2);
    let config = config(None, Some(microphone));
    let desk = CaptureState::default();
    let (events_tx, events_rx) = mpsc::channel();
    desk.open_webview_camera(
        Facing::Front,
        Some(Target::SelfieVideo),
        width,
        height,
        move |e| {
            let _ = events_tx.send(e);
        },
    )
    .expect("the webview camera opens");
    desk.open_microphone(&config, Some("file"))
        .expect("the demo microphone");
    let stop = std::sync::atomic::AtomicBool::new(false);
    let done = std::thread::scope(|scope| {
        let feeding = scope.spawn(|| feed_at_15_fps(&desk, (width, height), &frames, &stop));
        // A frame first: the recording starts from the camera's frames.
        std::thread::sleep(Duration::from_millis(300));
        desk.start_recording(Duration::from_secs(3), Prompt::None)
            .expect("recording");
        let limit = std::iter::from_fn(|| events_rx.recv_timeout(Duration::from_secs(10)).ok())
            .any(|event| event == CaptureEvent::RecordingLimit);
        assert!(limit, "the recording stopped at its limit");
        let done = desk.stop_recording().expect("stopped");
        stop.store(true, std::sync::atomic::Ordering::Release);
        feeding.join().expect("the feeder");
        done
    });
    // About fifteen frames a second for three seconds.
    assert!(
        (2900..=3100).contains(&done.duration_ms),
        "{}",
        done.duration_ms
    );
    assert!((30..=50).contains(&done.frames), "{done:?}");
    assert!(done.heard_sound, "{done:?}");
    let Pending::Video { mp4, poster, .. } = desk.take_pending().expect("video") else {
        panic!("a video waits");
    };
    assert_eq!((poster.width, poster.height), (1280, 720));
    let path = dir.join("webview.mp4");
    std::fs::write(&path, &mp4).expect("write");
    let probe = std::process::Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "stream=codec_name,width,height:format=duration",
            "-of",
            "json",
        ])
        .arg(&path)
        .output()
        .expect("ffprobe runs");
    assert!(
        probe.status.success() && probe.stderr.is_empty(),
        "ffprobe: {}",
        String::from_utf8_lossy(&probe.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&probe.stdout).expect("JSON");
    let streams = report["streams"].as_array().expect("streams");
    let codecs: Vec<&str> = streams
        .iter()
        .filter_map(|s| s["codec_name"].as_str())
        .collect();
    assert_eq!(codecs, ["h264", "opus"], "{report}");
    assert_eq!(streams[0]["width"], 1280);
    assert_eq!(streams[0]["height"], 720);
    let seconds: f64 = report["format"]["duration"]
        .as_str()
        .and_then(|d| d.parse().ok())
        .expect("a duration");
    assert!((2.8..=3.2).contains(&seconds), "{seconds}");
    desk.close_camera();
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_malformed_feed_is_refused_with_its_code() {
    let desk = CaptureState::default();
    let open = |width, height| {
        desk.open_webview_camera(Facing::Back, None, width, height, |_| {})
            .map(|opened| (opened.width, opened.height))
            .map_err(|e| e.code)
    };
    assert_eq!(open(0, 480), Err("camera_feed_invalid".to_owned()));
    assert_eq!(open(1921, 1080), Err("camera_feed_invalid".to_owned()));
    assert_eq!(open(1920, 1920), Ok((1920, 1920)));
    assert_eq!(open(4, 2), Ok((4, 2)));
    let rgba = |len: usize| vec![128u8; len];
    let feed = |width, height, bytes: &[u8]| {
        desk.feed(width, height, ehraz_capture::FedPixels::Rgba, bytes)
            .map_err(|e| e.code)
    };
    assert_eq!(feed(4, 2, &rgba(32)), Ok(()));
    assert_eq!(feed(4, 2, &rgba(31)), Err("camera_feed_invalid".to_owned()));
    assert_eq!(feed(4, 2, &rgba(64)), Err("camera_feed_invalid".to_owned()));
    assert_eq!(feed(2, 4, &rgba(32)), Err("camera_feed_resized".to_owned()));
    assert_eq!(
        feed(8, 4, &rgba(128)),
        Err("camera_feed_resized".to_owned())
    );
    // What was taken is a camera's frame like any other: a photo of it.
    let photo = desk.take_photo(CaptureTrigger::Shutter).expect("photo");
    assert_eq!((photo.width, photo.height), (4, 2));

    // A camera that is not the webview's takes no frames.
    let dir = folder();
    let config = config(Some(clip(&dir)), None);
    open_file_camera(&desk, &config);
    assert_eq!(feed(4, 2, &rgba(32)), Err("camera_not_open".to_owned()));
    desk.close_camera();
    assert_eq!(feed(4, 2, &rgba(32)), Err("camera_not_open".to_owned()));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn the_webview_camera_is_offered_only_where_the_page_has_one_and_nokhwa_none() {
    let dir = folder();
    let with_file = config(Some(clip(&dir)), None);
    let ids = |config: &Config, webview| -> Vec<String> {
        ehraz_app::capture::cameras(config, webview)
            .into_iter()
            .map(|d| d.id)
            .collect()
    };
    // No device here (no /dev/video*): the webview's camera comes before the file.
    assert_eq!(ids(&with_file, true), ["webview", "file"]);
    assert_eq!(ids(&with_file, false), ["file"]);
    assert_eq!(ids(&config(None, None), true), ["webview"]);
    assert!(ids(&config(None, None), false).is_empty());
    // The generic opening path cannot open it: it needs the frames' size.
    let desk = CaptureState::default();
    let refused = desk
        .open_camera(
            &with_file,
            Some("webview"),
            Facing::Front,
            None,
            320,
            |_| true,
            |_| {},
        )
        .expect_err("refused");
    assert_eq!(refused.code, "camera_missing");
    std::fs::remove_dir_all(dir).ok();
}

fn open_file_camera(desk: &CaptureState, config: &Config) {
    desk.open_camera(
        config,
        Some("file"),
        Facing::Front,
        None,
        160,
        |_| true,
        |_| {},
    )
    .expect("the file camera");
}
