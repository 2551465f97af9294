//! 720p encoding on one thread: the recorder's H.264 against MJPEG (a JPEG per frame).
//!
//! First one pass over 10 s of 720p30 frames, printing bytes and frames per second of
//! each (the budget: H.264 ≥ 60 fps, i.e. twice real time, and ≤ 3 MB for the 10 s);
//! then criterion's per-frame timing of each.
//!
//! `cargo bench -p ehraz-capture --bench encode`

use std::hint::black_box;
use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ehraz_capture::video::{H264Encoder, VideoSettings};
use ehraz_capture::{Frame, PixelFormat, photo};

const WIDTH: u32 = 1280;
const HEIGHT: u32 = 720;
const FPS: u64 = 30;
/// The MJPEG quality compared: a good-looking stream.
const JPEG_QUALITY: u8 = 80;

/// Frame `n` of a moving scene: a diagonal gradient drifting right, a bright disc
/// circling the centre (a face moving in the frame), and a little sensor noise.
fn frame(n: u64) -> Frame {
    let (w, h) = (WIDTH as usize, HEIGHT as usize);
    let t = n as f32 / FPS as f32;
    let (cx, cy) = (
        w as f32 / 2.0 + 200.0 * (t * 1.3).cos(),
        h as f32 / 2.0 + 120.0 * (t * 1.7).sin(),
    );
    let mut data = Vec::with_capacity(PixelFormat::I420.frame_len(WIDTH, HEIGHT));
    let mut noise = 0x2545_f491_u32 ^ (n as u32).wrapping_mul(0x9e37_79b9);
    for y in 0..h {
        for x in 0..w {
            noise ^= noise << 13;
            noise ^= noise >> 17;
            noise ^= noise << 5;
            let (dx, dy) = (x as f32 - cx, y as f32 - cy);
            let base = if dx * dx + dy * dy < 150.0 * 150.0 {
                200.0 + 20.0 * ((x as f32 / 9.0).sin() * (y as f32 / 7.0).cos())
            } else {
                40.0 + ((x + y + 4 * n as usize) % 512) as f32 / 4.0
            };
            data.push((base + (noise % 5) as f32 - 2.0).clamp(16.0, 235.0) as u8);
        }
    }
    for plane in 0..2u64 {
        for y in 0..h / 2 {
            for x in 0..w / 2 {
                data.push((110 + 20 * plane + ((x / 8 + y / 8 + n as usize) % 16) as u64) as u8);
            }
        }
    }
    Frame {
        width: WIDTH,
        height: HEIGHT,
        format: PixelFormat::I420,
        data: Bytes::from(data),
        captured: Duration::from_nanos(n * 1_000_000_000 / FPS),
        sequence: n,
    }
}

fn mjpeg(frame: &Frame) -> Vec<u8> {
    let rgb = photo::to_rgb(frame).expect("I420");
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, JPEG_QUALITY)
        .encode(
            &rgb,
            WIDTH as u16,
            HEIGHT as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .expect("jpeg");
    out
}

/// Time this thread has spent on a CPU (Linux's schedstat), so a pass on a busy shared
/// machine still tells what encoding costs; `None` elsewhere.
fn on_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// Wall-clock time and on-CPU time of `work`.
fn timed<T>(work: impl FnOnce() -> T) -> (T, Duration, Option<Duration>) {
    let (wall, cpu) = (Instant::now(), on_cpu());
    let out = work();
    let cpu = cpu.zip(on_cpu()).map(|(before, after)| after - before);
    (out, wall.elapsed(), cpu)
}

/// Ten seconds of 720p30, once, with sizes: what the budget asks about.
fn ten_seconds() {
    let settings = VideoSettings::default();
    let mut h264 = H264Encoder::new(WIDTH, HEIGHT, &settings).expect("encoder");
    let (mut h264_bytes, mut keyframes) = (0, 0);
    let (mut h264_wall, mut h264_cpu) = (Duration::ZERO, Duration::ZERO);
    let (mut jpeg_bytes, mut jpeg_wall, mut jpeg_cpu) = (0, Duration::ZERO, Duration::ZERO);
    let frames = 10 * FPS;
    for n in 0..frames {
        let frame = frame(n);
        let (encoded, wall, cpu) = timed(|| h264.encode(&frame, frame.captured));
        let encoded = encoded.expect("encodes").expect("a frame");
        h264_wall += wall;
        h264_cpu += cpu.unwrap_or(wall);
        h264_bytes += encoded.annex_b.len();
        keyframes += u32::from(encoded.keyframe);
        let (jpeg, wall, cpu) = timed(|| mjpeg(&frame));
        jpeg_bytes += black_box(jpeg).len();
        jpeg_wall += wall;
        jpeg_cpu += cpu.unwrap_or(wall);
    }
    let fps = |time: Duration| frames as f64 / time.as_secs_f64();
    println!(
        "10 s of 720p30 on one thread: H.264 at {} bit/s: {h264_bytes} bytes ({:.2} MB, \
         {keyframes} keyframes), {:.0} fps wall, {:.0} fps on-CPU; MJPEG q{JPEG_QUALITY}: \
         {jpeg_bytes} bytes ({:.2} MB), {:.0} fps wall, {:.0} fps on-CPU",
        settings.bitrate_bps,
        h264_bytes as f64 / 1e6,
        fps(h264_wall),
        fps(h264_cpu),
        jpeg_bytes as f64 / 1e6,
        fps(jpeg_wall),
        fps(jpeg_cpu),
    );
}

fn per_frame(c: &mut Criterion) {
    ten_seconds();
    let frames: Vec<Frame> = (0..30).map(frame).collect();
    let mut group = c.benchmark_group("encode 720p frame");
    group
        .throughput(Throughput::Elements(1))
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(6));
    let mut h264 = H264Encoder::new(WIDTH, HEIGHT, &VideoSettings::default()).expect("encoder");
    let mut n = 0u64;
    group.bench_function("h264 one thread", |b| {
        b.iter(|| {
            let source = &frames[(n % 30) as usize];
            let pts = Duration::from_nanos(n * 1_000_000_000 / FPS);
            n += 1;
            black_box(h264.encode(source, pts).expect("encodes"))
        });
    });
    let mut m = 0usize;
    group.bench_function("mjpeg", |b| {
        b.iter(|| {
            m += 1;
            black_box(mjpeg(&frames[m % 30]))
        });
    });
    group.finish();
}

criterion_group!(benches, per_frame);
criterion_main!(benches);
