//! The live preview: the newest frame, made small enough for the screen, sent on as bytes
//! with a 12-byte header, at most [`PreviewSettings::in_flight`] frames ahead of what the
//! page has drawn. A page that draws slowly sees fewer frames, never older ones.
//!
//! Header (little-endian): sequence `u32`, width `u16`, height `u16`, format `u8`
//! (0 JPEG, 1 RGBA), three zero bytes; then the picture.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use jpeg_encoder::{ColorType, Encoder};
use yuvutils_rs::{YuvPlanarImage, YuvRange, YuvStandardMatrix};

use crate::photo::PhotoError;
use crate::{Frame, LatestFrame, PixelFormat, clock};

/// Bytes before the picture in each preview message.
pub const HEADER_BYTES: usize = 12;

/// How preview pictures travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewFormat {
    /// A JPEG at the given quality: small, but costs an encode here and a decode there.
    Jpeg(u8),
    /// Raw RGBA, four bytes a pixel: no codec, but many more bytes to carry.
    Rgba,
}

impl PreviewFormat {
    fn code(self) -> u8 {
        match self {
            Self::Jpeg(_) => 0,
            Self::Rgba => 1,
        }
    }
}

/// How a preview runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PreviewSettings {
    /// Frames wider than this are scaled down (keeping their shape).
    pub max_width: u32,
    /// How pictures travel.
    pub format: PreviewFormat,
    /// Frames sent and not yet acknowledged before the preview waits.
    pub in_flight: u32,
    /// A frame unacknowledged this long is taken as lost (a page reloaded, a draw
    /// failed), so one lost answer cannot stop the preview for good.
    pub give_up_after: Duration,
}

impl Default for PreviewSettings {
    fn default() -> Self {
        Self {
            max_width: 1280,
            format: PreviewFormat::Jpeg(75),
            in_flight: 2,
            give_up_after: Duration::from_secs(1),
        }
    }
}

/// One frame as a preview message: header and picture, at most `max_width` wide.
pub fn encode(frame: &Frame, max_width: u32, format: PreviewFormat) -> Result<Vec<u8>, PhotoError> {
    encode_reusing(frame, max_width, format, &mut Vec::new())
}

/// [`encode`], with `rgb` as the JPEG's working buffer, kept between frames so the frame
/// loop does not allocate a picture's worth of memory for each one.
fn encode_reusing(
    frame: &Frame,
    max_width: u32,
    format: PreviewFormat,
    rgb: &mut Vec<u8>,
) -> Result<Vec<u8>, PhotoError> {
    let small = scale_down(frame, max_width)?;
    let frame = small.as_ref().unwrap_or(frame);
    let (width, height) = (side(frame.width)?, side(frame.height)?);
    let pixels = frame.width as usize * frame.height as usize;
    let picture = match format {
        PreviewFormat::Rgba => pixels * 4,
        // A guess at the JPEG's size, so the message is not over-allocated.
        PreviewFormat::Jpeg(_) => pixels / 4,
    };
    let mut out = Vec::with_capacity(HEADER_BYTES + picture);
    // The page only compares sequences for its acknowledgements; wrapping is harmless.
    out.extend_from_slice(&(frame.sequence as u32).to_le_bytes());
    out.extend_from_slice(&width.to_le_bytes());
    out.extend_from_slice(&height.to_le_bytes());
    out.extend_from_slice(&[format.code(), 0, 0, 0]);
    match format {
        PreviewFormat::Rgba => {
            let start = out.len();
            out.resize(start + pixels * 4, 0);
            convert(frame, &mut out[start..], 4)?;
        }
        PreviewFormat::Jpeg(quality) => {
            rgb.resize(pixels * 3, 0);
            convert(frame, rgb, 3)?;
            Encoder::new(&mut out, quality)
                .encode(rgb, width, height, ColorType::Rgb)
                .map_err(|e| PhotoError::Encoding(e.to_string()))?;
        }
    }
    Ok(out)
}

fn side(value: u32) -> Result<u16, PhotoError> {
    u16::try_from(value).map_err(|_| PhotoError::Encoding(format!("a side of {value} pixels")))
}

fn checked(frame: &Frame) -> Result<(), PhotoError> {
    let expected = frame.format.frame_len(frame.width, frame.height);
    if frame.data.len() == expected {
        Ok(())
    } else {
        Err(PhotoError::FrameSize {
            expected,
            actual: frame.data.len(),
        })
    }
}

/// I420 to RGB (`channels` 3) or RGBA (4): BT.601, studio range, as cameras give.
pub fn convert(frame: &Frame, out: &mut [u8], channels: u32) -> Result<(), PhotoError> {
    checked(frame)?;
    let PixelFormat::I420 = frame.format;
    let (w, h) = (frame.width as usize, frame.height as usize);
    let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
    let (y_plane, chroma) = frame.data.split_at(w * h);
    let (u_plane, v_plane) = chroma.split_at(cw * ch);
    let image = YuvPlanarImage {
        y_plane,
        y_stride: frame.width,
        u_plane,
        u_stride: cw as u32,
        v_plane,
        v_stride: cw as u32,
        width: frame.width,
        height: frame.height,
    };
    let stride = frame.width * channels;
    let (range, matrix) = (YuvRange::Limited, YuvStandardMatrix::Bt601);
    let done = if channels == 4 {
        yuvutils_rs::yuv420_to_rgba(&image, out, stride, range, matrix)
    } else {
        yuvutils_rs::yuv420_to_rgb(&image, out, stride, range, matrix)
    };
    done.map_err(|e| PhotoError::Encoding(e.to_string()))
}

/// The frame scaled down to at most `max_width` wide (even sides, nearest sample), or
/// `None` when it is narrow enough already.
pub fn scale_down(frame: &Frame, max_width: u32) -> Result<Option<Frame>, PhotoError> {
    checked(frame)?;
    if frame.width <= max_width || max_width < 2 {
        return Ok(None);
    }
    let width = max_width & !1;
    let height =
        ((u64::from(frame.height) * u64::from(width) / u64::from(frame.width)) as u32 & !1).max(2);
    let (sw, sh) = (frame.width as usize, frame.height as usize);
    let (scw, sch) = (sw.div_ceil(2), sh.div_ceil(2));
    let (dw, dh) = (width as usize, height as usize);
    let mut data = Vec::with_capacity(PixelFormat::I420.frame_len(width, height));
    let plane =
        |data: &mut Vec<u8>, src: &[u8], (sw, sh): (usize, usize), (dw, dh): (usize, usize)| {
            let cols: Vec<usize> = (0..dw).map(|x| x * sw / dw).collect();
            for y in 0..dh {
                let row = &src[(y * sh / dh) * sw..][..sw];
                data.extend(cols.iter().map(|&x| row[x]));
            }
        };
    let (y_plane, chroma) = frame.data.split_at(sw * sh);
    let (u_plane, v_plane) = chroma.split_at(scw * sch);
    plane(&mut data, y_plane, (sw, sh), (dw, dh));
    plane(&mut data, u_plane, (scw, sch), (dw / 2, dh / 2));
    plane(&mut data, v_plane, (scw, sch), (dw / 2, dh / 2));
    Ok(Some(Frame {
        width,
        height,
        data: data.into(),
        ..frame.clone()
    }))
}

/// What a preview has done, for the benchmark and for logs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PreviewStats {
    /// Frames sent.
    pub sent: u64,
    /// Frames the page acknowledged.
    pub acked: u64,
    /// Bytes sent.
    pub bytes: u64,
    /// For each acknowledged frame: capture-clock time from its capture to its
    /// acknowledgement, which covers scaling, encoding, delivery, drawing and the answer.
    pub latencies: Vec<Duration>,
    /// Capture-clock times of the first and the last acknowledgement.
    pub acked_between: Option<(Duration, Duration)>,
}

impl PreviewStats {
    /// Acknowledged frames per second.
    pub fn frames_per_second(&self) -> f64 {
        match self.acked_between {
            Some((first, last)) if last > first && self.acked > 1 => {
                (self.acked - 1) as f64 / (last - first).as_secs_f64()
            }
            _ => 0.0,
        }
    }
}

#[derive(Debug, Default)]
struct Flight {
    /// Sequence (as sent), capture time and send time of frames not yet acknowledged.
    unacked: Vec<(u32, Duration, Duration)>,
    stats: PreviewStats,
}

/// Keeps `stats.latencies` from growing without bound on a long preview.
const KEPT_LATENCIES: usize = 4096;

/// A preview running on its own thread; stopped when dropped.
#[derive(Debug)]
pub struct Preview {
    flight: Arc<(Mutex<Flight>, Condvar)>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Preview {
    /// Sends each new frame of `frames` through `send` while fewer than
    /// `settings.in_flight` are unacknowledged. `send` returns false when nobody listens
    /// any more, which ends the preview.
    pub fn start(
        frames: LatestFrame,
        settings: PreviewSettings,
        mut send: impl FnMut(Vec<u8>) -> bool + Send + 'static,
    ) -> std::io::Result<Self> {
        let flight: Arc<(Mutex<Flight>, Condvar)> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (flight, stop) = (Arc::clone(&flight), Arc::clone(&stop));
            std::thread::Builder::new()
                .name("ehraz-preview".into())
                .spawn(move || {
                    let mut last = None;
                    let mut rgb = Vec::new();
                    while !stop.load(Ordering::Acquire) {
                        if !wait_for_room(&flight, &settings, &stop) {
                            break;
                        }
                        let Some(frame) = frames.newer_than(last, Duration::from_millis(100))
                        else {
                            if frames.failure().is_some() {
                                break;
                            }
                            continue;
                        };
                        last = Some(frame.sequence);
                        let Ok(message) =
                            encode_reusing(&frame, settings.max_width, settings.format, &mut rgb)
                        else {
                            continue;
                        };
                        let bytes = message.len() as u64;
                        {
                            let mut f = lock(&flight.0);
                            f.unacked
                                .push((frame.sequence as u32, frame.captured, clock::now()));
                            f.stats.sent += 1;
                            f.stats.bytes += bytes;
                        }
                        if !send(message) {
                            break;
                        }
                    }
                })?
        };
        Ok(Self {
            flight,
            stop,
            thread: Some(thread),
        })
    }

    /// The page drew frame `sequence`: it and any sent before it no longer count as in
    /// flight.
    pub fn ack(&self, sequence: u32) {
        let now = clock::now();
        let mut f = lock(&self.flight.0);
        let Some(at) = f.unacked.iter().position(|&(s, ..)| s == sequence) else {
            return;
        };
        let captured = f.unacked[at].1;
        f.unacked.drain(..=at);
        let stats = &mut f.stats;
        stats.acked += 1;
        if stats.latencies.len() < KEPT_LATENCIES {
            stats.latencies.push(now.saturating_sub(captured));
        }
        stats.acked_between = Some(match stats.acked_between {
            Some((first, _)) => (first, now),
            None => (now, now),
        });
        drop(f);
        self.flight.1.notify_all();
    }

    /// What it has done so far.
    pub fn stats(&self) -> PreviewStats {
        lock(&self.flight.0).stats.clone()
    }
}

fn lock(m: &Mutex<Flight>) -> MutexGuard<'_, Flight> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Waits until fewer than `limit` frames are in flight; false if stopped meanwhile.
/// A page that never answers holds the preview here, checking for the stop every 100 ms.
fn wait_for_room(
    flight: &(Mutex<Flight>, Condvar),
    settings: &PreviewSettings,
    stop: &AtomicBool,
) -> bool {
    let mut f = lock(&flight.0);
    loop {
        let now = clock::now();
        f.unacked
            .retain(|&(.., sent)| now.saturating_sub(sent) < settings.give_up_after);
        if f.unacked.len() < settings.in_flight as usize {
            return true;
        }
        if stop.load(Ordering::Acquire) {
            return false;
        }
        f = flight
            .1
            .wait_timeout(f, Duration::from_millis(100))
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        self.flight.1.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
