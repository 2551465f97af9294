//! Looking at the newest frame now and then, off every other thread: the live guidance
//! runs this way, at its own rate, never holding up the camera, the preview or a
//! recording.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::{CaptureError, Frame, LatestFrame};

/// What a sampler has done so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SamplerStats {
    /// Frames looked at.
    pub looked: u64,
    /// Time spent looking, in all.
    pub busy: Duration,
    /// The longest single look.
    pub longest: Duration,
    /// Time since it started.
    pub elapsed: Duration,
}

impl SamplerStats {
    /// Looks per second since it started.
    pub fn per_second(&self) -> f64 {
        self.looked as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// A thread that hands the newest frame to a function at most once per period.
#[derive(Debug)]
pub struct Sampler {
    stop: Arc<AtomicBool>,
    stats: Arc<Mutex<SamplerStats>>,
    started: Instant,
    thread: Option<JoinHandle<()>>,
}

impl Sampler {
    /// Starts calling `look` with the newest frame of `frames`, at most once every
    /// `period` (a look that takes longer is followed by the next at once, on the frame
    /// newest then). It stops when dropped, or when the frames stop for good.
    pub fn start(
        frames: LatestFrame,
        period: Duration,
        mut look: impl FnMut(&Frame) + Send + 'static,
    ) -> Result<Self, CaptureError> {
        let stop = Arc::new(AtomicBool::new(false));
        let stats = Arc::new(Mutex::new(SamplerStats::default()));
        let thread = {
            let (stop, stats) = (Arc::clone(&stop), Arc::clone(&stats));
            std::thread::Builder::new()
                .name("ehraz-sampler".into())
                .spawn(move || {
                    let mut last = None;
                    let mut due = Instant::now();
                    while !stop.load(Ordering::Acquire) {
                        let wait = due.saturating_duration_since(Instant::now());
                        if !wait.is_zero() {
                            std::thread::sleep(wait);
                        }
                        // Short waits, so that a stop is seen soon.
                        let Some(frame) = frames.newer_than(last, Duration::from_millis(200))
                        else {
                            if frames.failure().is_some() {
                                break;
                            }
                            continue;
                        };
                        last = Some(frame.sequence);
                        let started = Instant::now();
                        due = started + period;
                        look(&frame);
                        let took = started.elapsed();
                        let mut stats = stats.lock().unwrap_or_else(PoisonError::into_inner);
                        stats.looked += 1;
                        stats.busy += took;
                        stats.longest = stats.longest.max(took);
                    }
                })?
        };
        Ok(Self {
            stop,
            stats,
            started: Instant::now(),
            thread: Some(thread),
        })
    }

    /// What it has done so far.
    pub fn stats(&self) -> SamplerStats {
        SamplerStats {
            elapsed: self.started.elapsed(),
            ..*self.stats.lock().unwrap_or_else(PoisonError::into_inner)
        }
    }
}

impl Drop for Sampler {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;

    use bytes::Bytes;

    use super::*;
    use crate::PixelFormat;

    fn frame(sequence: u64) -> Frame {
        Frame {
            width: 2,
            height: 2,
            format: PixelFormat::I420,
            data: Bytes::from(vec![0u8; 6]),
            captured: Duration::from_millis(sequence * 10),
            sequence,
        }
    }

    #[test]
    fn it_looks_at_the_newest_frame_only_and_never_twice() {
        let frames = LatestFrame::default();
        // Many frames before it looks: it takes the newest, skipping the rest.
        for sequence in 0..20 {
            frames.publish(frame(sequence));
        }
        let (seen, looked) = mpsc::channel();
        let sampler = Sampler::start(frames.clone(), Duration::from_millis(50), move |f| {
            let _ = seen.send(f.sequence);
        })
        .expect("thread");
        let first = looked.recv_timeout(Duration::from_secs(2)).expect("a look");
        assert_eq!(first, 19);
        assert!(
            looked.recv_timeout(Duration::from_millis(300)).is_err(),
            "no new frame, no new look"
        );
        frames.publish(frame(20));
        assert_eq!(looked.recv_timeout(Duration::from_secs(2)), Ok(20));
        // The count follows each look: by the third look, the first two are counted.
        frames.publish(frame(21));
        assert_eq!(looked.recv_timeout(Duration::from_secs(2)), Ok(21));
        let counted = sampler.stats().looked;
        assert!((2..=3).contains(&counted), "{counted}");
    }
}
