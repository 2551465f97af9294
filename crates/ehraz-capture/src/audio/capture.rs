//! A sound source running on its own thread: a level for the meter, and every chunk for
//! whoever records.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use super::{AudioChunk, AudioError, AudioSource, Level, SAMPLE_RATE};

/// The span [`AudioCapture::level`] measures: the last 100 ms.
const LEVEL_SAMPLES: usize = (SAMPLE_RATE / 10) as usize;

#[derive(Debug, Default)]
struct Shared {
    level: Mutex<Level>,
    /// `None` once the source has stopped: no chunk will come.
    subscribers: Mutex<Option<Vec<Sender<AudioChunk>>>>,
    failure: Mutex<Option<String>>,
    ended: AtomicBool,
    dropped_samples: AtomicU64,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A consumer that panicked holding the lock leaves usable data.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A sound source pumped on its own thread; stopped (and the source dropped, releasing the
/// device) when the capture is dropped.
#[derive(Debug)]
pub struct AudioCapture {
    name: String,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl AudioCapture {
    /// Starts pumping `source`.
    pub fn start(mut source: impl AudioSource + 'static) -> Result<Self, AudioError> {
        let name = source.name();
        let shared = Arc::new(Shared {
            subscribers: Mutex::new(Some(Vec::new())),
            ..Shared::default()
        });
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (shared, stop) = (Arc::clone(&shared), Arc::clone(&stop));
            std::thread::Builder::new()
                .name("ehraz-audio".into())
                .spawn(move || pump(&mut source, &shared, &stop))
                .map_err(|e| AudioError::Io(format!("starting the sound thread: {e}")))?
        };
        Ok(Self {
            name,
            shared,
            stop,
            thread: Some(thread),
        })
    }

    /// The source's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The level of the last 100 ms of sound, for a meter.
    pub fn level(&self) -> Level {
        *lock(&self.shared.level)
    }

    /// Every chunk from now on, in order, none left out, until the source stops (then the
    /// receiver reports disconnection). A receiver that is dropped is forgotten. Unbounded:
    /// sound is 192 KB/s, and a recorder that stops reading should drop its receiver.
    pub fn subscribe(&self) -> Receiver<AudioChunk> {
        let (sender, receiver) = channel();
        if let Some(subscribers) = lock(&self.shared.subscribers).as_mut() {
            subscribers.push(sender);
        }
        receiver
    }

    /// Why the source stopped, if it failed.
    pub fn failure(&self) -> Option<String> {
        lock(&self.shared.failure).clone()
    }

    /// Whether the source came to its end (a file that does not loop).
    pub fn ended(&self) -> bool {
        self.shared.ended.load(Ordering::Acquire)
    }

    /// Samples the source lost because they were not taken in time, as it last reported.
    pub fn dropped_samples(&self) -> u64 {
        self.shared.dropped_samples.load(Ordering::Relaxed)
    }
}

fn pump(source: &mut impl AudioSource, shared: &Shared, stop: &AtomicBool) {
    let mut recent: VecDeque<f32> = VecDeque::with_capacity(2 * LEVEL_SAMPLES);
    while !stop.load(Ordering::Acquire) {
        match source.next_chunk() {
            Ok(chunk) => {
                recent.extend(&chunk.samples);
                let excess = recent.len().saturating_sub(LEVEL_SAMPLES);
                recent.drain(..excess);
                *lock(&shared.level) = Level::of(recent.make_contiguous());
                shared
                    .dropped_samples
                    .store(source.dropped_samples(), Ordering::Relaxed);
                if let Some(subscribers) = lock(&shared.subscribers).as_mut() {
                    subscribers.retain(|subscriber| subscriber.send(chunk.clone()).is_ok());
                }
            }
            Err(AudioError::Ended) => {
                shared.ended.store(true, Ordering::Release);
                break;
            }
            Err(error) => {
                *lock(&shared.failure) = Some(error.to_string());
                break;
            }
        }
    }
    // Receivers see the end of the sound, and later ones get nothing.
    *lock(&shared.subscribers) = None;
}

impl Drop for AudioCapture {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
