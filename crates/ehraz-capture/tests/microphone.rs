//! Sound without a sound card: the speech WAV, the file-backed microphone and the capture
//! thread, on tones and files made here.

use std::f32::consts::TAU;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ehraz_capture::audio::wav::{SPEECH_RATE, speech_wav};
use ehraz_capture::audio::{
    AudioCapture, AudioChunk, AudioError, AudioSource, FILE_CHUNK_SAMPLES, Level, SAMPLE_RATE,
    WavFileSource, heard_sound,
};

fn tone(rate: u32, hz: f32, amplitude: f32, samples: usize) -> Vec<f32> {
    (0..samples)
        .map(|i| amplitude * (TAU * hz * i as f32 / rate as f32).sin())
        .collect()
}

fn chunks_of(samples: &[f32]) -> Vec<AudioChunk> {
    samples
        .chunks(FILE_CHUNK_SAMPLES)
        .enumerate()
        .map(|(i, s)| AudioChunk {
            samples: s.to_vec(),
            captured: Duration::from_millis(20 * i as u64),
        })
        .collect()
}

fn decode(wav: &[u8]) -> (hound::WavSpec, Vec<f32>) {
    let reader = hound::WavReader::new(Cursor::new(wav)).expect("a WAV file");
    let spec = reader.spec();
    let samples = reader
        .into_samples::<i16>()
        .map(|s| f32::from(s.expect("sample")) / 32_768.0)
        .collect();
    (spec, samples)
}

/// Writes interleaved 16-bit samples as a WAV file in `dir`.
fn write_wav(dir: &Path, rate: u32, channels: u16, samples: &[i16]) -> PathBuf {
    let path = dir.join(format!("{rate}-{channels}-{}.wav", samples.len()));
    let spec = hound::WavSpec {
        channels,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(&path, spec).expect("create");
    for &s in samples {
        writer.write_sample(s).expect("sample");
    }
    writer.finalize().expect("finalize");
    path
}

fn pcm(sample: f32) -> i16 {
    (sample * 32_767.0).round() as i16
}

fn rms(samples: &[f32]) -> f32 {
    Level::of(samples).rms
}

#[test]
fn a_1_khz_tone_becomes_a_16_khz_wav_that_still_holds_it() {
    let input = tone(SAMPLE_RATE, 1_000.0, 0.5, SAMPLE_RATE as usize);
    let wav = speech_wav(&chunks_of(&input)).expect("wav");
    let (spec, output) = decode(&wav);
    assert_eq!(
        spec,
        hound::WavSpec {
            channels: 1,
            sample_rate: 16_000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        }
    );
    assert_eq!(SPEECH_RATE, 16_000);
    assert_eq!(output.len(), 16_000, "one second at 16 kHz");
    assert_eq!(wav.len(), 44 + 2 * 16_000);

    // Away from the edges: the same tone, in phase, at the same amplitude.
    let middle = &output[1_000..15_000];
    let crossings = middle
        .windows(2)
        .filter(|w| (w[0] < 0.0) != (w[1] < 0.0))
        .count();
    // 14 000 samples at 16 kHz are 875 ms of a 1 kHz tone: 1 750 zero crossings.
    assert!(
        (1_749..=1_751).contains(&crossings),
        "{crossings} crossings"
    );
    let expected = &tone(SPEECH_RATE, 1_000.0, 0.5, 16_000)[1_000..15_000];
    let worst = middle
        .iter()
        .zip(expected)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0f32, f32::max);
    assert!(worst < 0.005, "worst difference {worst}");
    assert!((rms(middle) - 0.5 / 2f32.sqrt()).abs() < 0.003);
}

#[test]
fn a_10_khz_tone_above_the_new_nyquist_is_filtered_out_not_folded_back() {
    let input = tone(SAMPLE_RATE, 10_000.0, 0.5, SAMPLE_RATE as usize);
    let (_, output) = decode(&speech_wav(&chunks_of(&input)).expect("wav"));
    assert_eq!(output.len(), 16_000);
    // Without a low-pass 10 kHz would fold to 6 kHz at full strength.
    let attenuation_db = 20.0 * (rms(&output[1_000..15_000]) / rms(&input)).log10();
    println!("10 kHz through the 48 → 16 kHz step: {attenuation_db:.1} dB");
    assert!(attenuation_db < -60.0, "{attenuation_db} dB");
}

#[test]
fn no_sound_is_an_empty_wav_file() {
    let (spec, samples) = decode(&speech_wav(&[]).expect("wav"));
    assert_eq!((spec.sample_rate, samples.len()), (16_000, 0));
}

#[test]
fn a_44_1_khz_stereo_file_plays_as_48_khz_mono_in_20_ms_chunks() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Half a second of 440 Hz, louder on the left: mono is their mean, amplitude 0.4.
    let left = tone(44_100, 440.0, 0.6, 22_050);
    let right = tone(44_100, 440.0, 0.2, 22_050);
    let interleaved: Vec<i16> = left
        .iter()
        .zip(&right)
        .flat_map(|(&l, &r)| [pcm(l), pcm(r)])
        .collect();
    let path = write_wav(dir.path(), 44_100, 2, &interleaved);

    let mut source = WavFileSource::open(&path, false).expect("opens").unpaced();
    assert_eq!(source.duration(), Duration::from_millis(500));
    assert!(source.name().contains(".wav"), "{}", source.name());
    let mut heard = Vec::new();
    for i in 0..25 {
        let chunk = source.next_chunk().expect("chunk");
        assert_eq!(chunk.samples.len(), 960, "20 ms at 48 kHz");
        assert_eq!(chunk.captured, Duration::from_millis(20 * i));
        assert_eq!(chunk.duration(), Duration::from_millis(20));
        heard.extend(chunk.samples);
    }
    assert!(matches!(source.next_chunk(), Err(AudioError::Ended)));
    assert!(matches!(source.next_chunk(), Err(AudioError::Ended)));

    assert_eq!(heard.len(), 24_000);
    let expected = tone(SAMPLE_RATE, 440.0, 0.4, 24_000);
    let worst = heard[1_000..23_000]
        .iter()
        .zip(&expected[1_000..23_000])
        .map(|(a, b)| (a - b).abs())
        .fold(0.0f32, f32::max);
    assert!(worst < 0.005, "worst difference {worst}");
}

#[test]
fn a_looping_file_goes_on_across_its_end_and_a_short_last_chunk_ends_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    // 1 000 samples already at 48 kHz mono: played exactly, a ramp to recognise them by.
    let ramp: Vec<i16> = (0..1_000).map(|i| i * 10).collect();
    let path = write_wav(dir.path(), SAMPLE_RATE, 1, &ramp);
    let at = |i: usize| f32::from(ramp[i % 1_000]) / 32_768.0;

    let mut once = WavFileSource::open(&path, false).expect("opens").unpaced();
    assert_eq!(once.samples().len(), 1_000);
    assert_eq!(once.next_chunk().expect("chunk").samples.len(), 960);
    let last = once.next_chunk().expect("short chunk");
    assert_eq!(last.samples, (960..1_000).map(at).collect::<Vec<_>>());
    assert_eq!(last.captured, Duration::from_millis(20));
    assert!(matches!(once.next_chunk(), Err(AudioError::Ended)));

    let mut looping = WavFileSource::open(&path, true).expect("opens").unpaced();
    let chunks: Vec<_> = (0..5)
        .map(|_| looping.next_chunk().expect("never ends"))
        .collect();
    for (n, chunk) in chunks.iter().enumerate() {
        let expected: Vec<f32> = (n * 960..(n + 1) * 960).map(at).collect();
        assert_eq!(chunk.samples, expected, "chunk {n}");
        assert_eq!(chunk.captured, Duration::from_millis(20 * n as u64));
    }
}

#[test]
fn what_is_not_a_wav_file_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let garbage = dir.path().join("garbage.wav");
    std::fs::write(&garbage, b"RIFF but not really").expect("write");
    assert!(matches!(
        WavFileSource::open(&garbage, false),
        Err(AudioError::Io(_))
    ));
    let empty = write_wav(dir.path(), 16_000, 1, &[]);
    assert!(
        WavFileSource::open(&empty, true).is_err(),
        "nothing to loop"
    );
    assert!(WavFileSource::open(dir.path().join("missing.wav"), false).is_err());
}

#[test]
fn the_level_rises_for_a_loud_tone_and_is_nothing_for_silence() {
    let dir = tempfile::tempdir().expect("temp dir");
    let loud: Vec<i16> = tone(SAMPLE_RATE, 1_000.0, 0.8, 9_600)
        .into_iter()
        .map(pcm)
        .collect();
    let loud = write_wav(dir.path(), SAMPLE_RATE, 1, &loud);
    let silent = write_wav(dir.path(), SAMPLE_RATE, 1, &[0; 4_800]);

    let capture =
        AudioCapture::start(WavFileSource::open(&loud, true).expect("opens")).expect("starts");
    let chunks = capture.subscribe();
    // The level covers the last 100 ms: after six chunks of 20 ms it is all tone.
    let heard: Vec<_> = (0..6).map(|_| chunks.recv().expect("chunk")).collect();
    let level = capture.level();
    assert!((level.rms - 0.8 / 2f32.sqrt()).abs() < 0.01, "{level:?}");
    assert!((level.peak - 0.8).abs() < 0.01, "{level:?}");
    assert!(heard_sound(&heard));
    assert_eq!(capture.failure(), None);
    assert_eq!(capture.dropped_samples(), 0);
    drop(capture);
    // Dropping the capture stopped its thread: the subscription ends.
    while chunks.recv().is_ok() {}

    let capture =
        AudioCapture::start(WavFileSource::open(&silent, true).expect("opens")).expect("starts");
    let chunks = capture.subscribe();
    let heard: Vec<_> = (0..6).map(|_| chunks.recv().expect("chunk")).collect();
    assert_eq!(
        capture.level(),
        Level {
            rms: 0.0,
            peak: 0.0
        }
    );
    assert!(!heard_sound(&heard));
}

#[test]
fn a_subscriber_gets_every_sample_in_order_until_the_end() {
    let dir = tempfile::tempdir().expect("temp dir");
    // 0.3 s of distinct values, so any sample lost, repeated or moved shows.
    let ramp: Vec<i16> = (0..14_400).map(|i| (i * 2 - 14_400) as i16).collect();
    let path = write_wav(dir.path(), SAMPLE_RATE, 1, &ramp);
    let source = WavFileSource::open(&path, false).expect("opens");
    let played = source.samples().to_vec();

    let capture = AudioCapture::start(source).expect("starts");
    let first = capture.subscribe();
    let second = capture.subscribe();
    let mut got: Vec<f32> = Vec::new();
    let mut last_captured = None;
    for chunk in first.iter() {
        if let Some(before) = last_captured {
            assert_eq!(chunk.captured - before, Duration::from_millis(20));
        }
        last_captured = Some(chunk.captured);
        got.extend(chunk.samples);
    }
    // Subscribed a moment after the start: from some chunk on, everything, in order.
    assert!(!got.is_empty());
    let from = played.len() - got.len();
    assert_eq!(from % FILE_CHUNK_SAMPLES, 0);
    assert_eq!(got, played[from..]);
    let again: Vec<f32> = second.iter().flat_map(|c| c.samples).collect();
    assert!(
        !again.is_empty() && got.ends_with(&again),
        "each gets the same"
    );
    assert!(capture.ended());
    assert_eq!(capture.failure(), None);
    // After the end a subscription is empty rather than waiting forever.
    assert!(capture.subscribe().recv().is_err());
}
