//! Face detection on one 1280×720 frame (the astronaut, her face ≈ 300 px tall, in the
//! middle of a grey frame): both looks, sampling from I420 included.

use criterion::{Criterion, criterion_group, criterion_main};
use ehraz_vision::detect::FaceDetector;
use image::{Rgb, RgbImage, imageops};

#[path = "../tests/common/mod.rs"]
mod common;

fn frame() -> common::Frame {
    let photo = common::photo("astronaut.jpg");
    let photo = imageops::resize(&photo, 1536, 1536, imageops::FilterType::Triangle);
    let mut picture = RgbImage::from_pixel(1280, 720, Rgb([128, 128, 128]));
    imageops::overlay(
        &mut picture,
        &photo,
        (640 - 3 * 226) as i64,
        (360 - 3 * 129) as i64,
    );
    common::to_i420(&picture)
}

fn detect(c: &mut Criterion) {
    let frame = frame();
    let mut detector = FaceDetector::new().expect("the built-in model");
    assert_eq!(
        detector.detect(&frame.view()).len(),
        1,
        "one face in the frame"
    );
    c.bench_function("detect 1280x720", |b| {
        b.iter(|| detector.detect(&frame.view()));
    });
}

criterion_group!(benches, detect);
criterion_main!(benches);
