//! Latest-only delivery: a source runs on its own thread and each new frame replaces the
//! one before it. A consumer asks for a frame newer than the last it saw and gets the
//! newest; frames it was too slow for are counted, never queued.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::{CaptureError, Frame, FrameSource, SourceInfo};

#[derive(Debug, Default)]
struct Slot {
    frame: Option<Frame>,
    replaced_unseen: u64,
    taken: Option<u64>,
    failed: Option<String>,
}

/// The newest frame of a source, shared between its producer and any consumers.
#[derive(Debug, Clone, Default)]
pub struct LatestFrame {
    inner: Arc<(Mutex<Slot>, Condvar)>,
}

impl LatestFrame {
    fn slot(&self) -> MutexGuard<'_, Slot> {
        // A consumer that panicked holding the lock leaves a usable slot.
        self.inner.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Replaces the frame; one no consumer took is counted as dropped.
    pub fn publish(&self, frame: Frame) {
        let mut slot = self.slot();
        if let Some(old) = &slot.frame
            && slot.taken != Some(old.sequence)
        {
            slot.replaced_unseen += 1;
        }
        slot.frame = Some(frame);
        drop(slot);
        self.inner.1.notify_all();
    }

    fn fail(&self, why: String) {
        self.slot().failed = Some(why);
        self.inner.1.notify_all();
    }

    /// The newest frame whose sequence is above `after` (any frame when `None`), waiting
    /// up to `timeout` for one. `None` on timeout.
    pub fn newer_than(&self, after: Option<u64>, timeout: Duration) -> Option<Frame> {
        let fresh = |slot: &Slot| {
            slot.frame
                .as_ref()
                .is_some_and(|f| after.is_none_or(|a| f.sequence > a))
        };
        let slot = self.slot();
        let (mut slot, _) = self
            .inner
            .1
            .wait_timeout_while(slot, timeout, |s| !fresh(s) && s.failed.is_none())
            .unwrap_or_else(PoisonError::into_inner);
        if !fresh(&slot) {
            return None;
        }
        let frame = slot.frame.clone();
        slot.taken = frame.as_ref().map(|f| f.sequence);
        frame
    }

    /// Frames replaced before any consumer took them.
    pub fn dropped(&self) -> u64 {
        self.slot().replaced_unseen
    }

    /// Why the source stopped, if it failed.
    pub fn failure(&self) -> Option<String> {
        self.slot().failed.clone()
    }
}

/// A source running on its own thread, publishing to a [`LatestFrame`]; stopped (and the
/// source dropped, releasing the device) when the camera is dropped.
#[derive(Debug)]
pub struct Camera {
    info: SourceInfo,
    latest: LatestFrame,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Camera {
    /// Starts pumping `source`.
    pub fn start(mut source: impl FrameSource + 'static) -> Result<Self, CaptureError> {
        let info = source.info();
        let latest = LatestFrame::default();
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (latest, stop) = (latest.clone(), Arc::clone(&stop));
            std::thread::Builder::new()
                .name("ehraz-camera".into())
                .spawn(move || {
                    while !stop.load(Ordering::Acquire) {
                        match source.next_frame() {
                            Ok(frame) => latest.publish(frame),
                            Err(error) => {
                                latest.fail(error.to_string());
                                break;
                            }
                        }
                    }
                })?
        };
        Ok(Self {
            info,
            latest,
            stop,
            thread: Some(thread),
        })
    }

    /// What the source gives.
    pub fn info(&self) -> &SourceInfo {
        &self.info
    }

    /// Where its frames arrive.
    pub fn frames(&self) -> &LatestFrame {
        &self.latest
    }
}

impl Drop for Camera {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
