//! The capture clock: one monotonic time line, shared by every frame and every piece of
//! sound in the process, so a recorder can line pictures and sound up.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

static EPOCH: OnceLock<Instant> = OnceLock::new();

/// Time since the process first asked the capture clock.
pub fn now() -> Duration {
    EPOCH.get_or_init(Instant::now).elapsed()
}

/// The capture-clock time of `instant` (zero if it was before the clock's start).
pub fn at(instant: Instant) -> Duration {
    instant.saturating_duration_since(*EPOCH.get_or_init(Instant::now))
}
