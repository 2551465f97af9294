//! Voice activity on real speech: espeak-ng reads a Persian sentence, and the detector
//! must hear speech for most of it, and none in the silence around it.

use std::process::Command;
use std::time::Duration;

use ehraz_capture::audio::{AudioChunk, SAMPLE_RATE, VoiceActivity, WavFileSource};

/// Speech from espeak-ng (Debian package espeak-ng, installed by scripts/setup), 48 kHz.
fn speech(dir: &std::path::Path) -> Vec<f32> {
    let path = dir.join("speech.wav");
    let status = Command::new("espeak-ng")
        .args(["-v", "fa", "-s", "140", "-w"])
        .arg(&path)
        .arg("سلام، من امروز برای احراز هویت این جمله را با صدای بلند می‌خوانم.")
        .status()
        .expect("espeak-ng (Debian package espeak-ng)");
    assert!(status.success(), "espeak-ng: {status}");
    WavFileSource::open(&path, false)
        .expect("espeak-ng's WAV")
        .samples()
        .to_vec()
}

fn listen(samples: &[f32]) -> VoiceActivity {
    let mut voice = VoiceActivity::new();
    for chunk in samples.chunks(480) {
        voice.push(&AudioChunk {
            samples: chunk.to_vec(),
            captured: Duration::ZERO,
        });
    }
    voice
}

#[test]
fn speech_is_heard_for_most_of_its_length_and_silence_is_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    let speech = speech(dir.path());
    let spoken = Duration::from_secs_f64(speech.len() as f64 / f64::from(SAMPLE_RATE));
    let voice = listen(&speech);
    println!("spoken {spoken:?}, speech heard {:?}", voice.speech());
    assert!(
        voice.speech() > spoken.mul_f64(0.5) && voice.speech() <= spoken,
        "heard {:?} of {spoken:?}",
        voice.speech()
    );

    // Two seconds of silence, the sentence, then two seconds of silence: the speech heard
    // is about the same, and by the end nobody is speaking.
    let quiet = vec![0.0f32; 2 * SAMPLE_RATE as usize];
    let framed: Vec<f32> = [&quiet[..], &speech, &quiet].concat();
    let framed_voice = listen(&framed);
    let difference = framed_voice.speech().abs_diff(voice.speech());
    assert!(
        difference < Duration::from_millis(300),
        "{framed_voice:?} vs {voice:?}"
    );
    assert!(!framed_voice.speaking());
    let midway = listen(&[&quiet[..], &speech[..speech.len() / 2]].concat());
    assert!(
        midway.speaking(),
        "half way through the sentence: {midway:?}"
    );
}
