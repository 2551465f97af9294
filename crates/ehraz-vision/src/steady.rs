//! Smoothing over time: what to show, and when the picture is ready.
//!
//! Frame by frame the guidance can flicker (a shadow, a blink, one blurred frame). A new
//! message replaces the one shown only after it has lasted a short while; "ready" needs
//! every check to pass for a stable window, and drops at once when one fails. A gap in
//! the frames (the analysis fell behind, the camera stalled) starts both clocks again:
//! what was not seen cannot count as steady.

use std::time::Duration;

use crate::guidance::Guidance;

/// How long things must last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SteadyLimits {
    /// A new message is shown once it has lasted this long. Keep it shorter than
    /// `window`, so "ready" never comes while an old message is still shown.
    pub hold: Duration,
    /// Ready once every check has passed for this long.
    pub window: Duration,
    /// Frames further apart than this (or going back in time) start the clocks again.
    pub max_gap: Duration,
}

impl Default for SteadyLimits {
    fn default() -> Self {
        Self {
            hold: Duration::from_millis(400),
            window: Duration::from_millis(700),
            max_gap: Duration::from_millis(500),
        }
    }
}

/// What to show now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    /// The message to show.
    pub guidance: Guidance,
    /// Whether the picture may be taken now.
    pub ready: bool,
}

/// The smoother; feed it every analysed frame's guidance, in time order.
#[derive(Debug, Clone)]
pub struct Steady {
    limits: SteadyLimits,
    shown: Option<Guidance>,
    /// A message waiting to be shown, and since when it has been seen without a break.
    pending: Option<(Guidance, Duration)>,
    /// Since when every check has passed without a break.
    passing_since: Option<Duration>,
    last: Option<Duration>,
}

impl Steady {
    /// A smoother that has seen nothing yet.
    pub fn new(limits: SteadyLimits) -> Self {
        Self {
            limits,
            shown: None,
            pending: None,
            passing_since: None,
            last: None,
        }
    }

    /// Takes the guidance of the frame analysed at `now` (any clock, e.g. since the
    /// camera opened) and says what to show.
    pub fn update(&mut self, now: Duration, guidance: Guidance) -> Shown {
        let broken = self
            .last
            .is_some_and(|last| now < last || now - last > self.limits.max_gap);
        if broken {
            self.pending = None;
            self.passing_since = None;
        }
        self.last = Some(now);

        match self.shown {
            // Nothing shown yet: anything is better than an empty line.
            None => self.shown = Some(guidance),
            Some(shown) if shown == guidance => self.pending = None,
            Some(_) => match self.pending {
                Some((pending, since)) if pending == guidance => {
                    if now - since >= self.limits.hold {
                        self.shown = Some(guidance);
                        self.pending = None;
                    }
                }
                _ => self.pending = Some((guidance, now)),
            },
        }

        let ready = if guidance == Guidance::Ready {
            let since = *self.passing_since.get_or_insert(now);
            now - since >= self.limits.window
        } else {
            self.passing_since = None;
            false
        };
        Shown {
            guidance: self.shown.unwrap_or(guidance),
            ready,
        }
    }

    /// Forgets everything seen (a new capture step, the camera reopened).
    pub fn reset(&mut self) {
        *self = Self::new(self.limits);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Guidance::{Blurry, Moving, Ready, TooDark};

    fn ms(t: u64) -> Duration {
        Duration::from_millis(t)
    }

    /// Feeds `frames` (time in ms, guidance) and returns what was shown after each.
    fn run(steady: &mut Steady, frames: &[(u64, Guidance)]) -> Vec<Shown> {
        frames
            .iter()
            .map(|&(t, g)| steady.update(ms(t), g))
            .collect()
    }

    /// Frames every `step` ms from `from` (inclusive) to `to` (exclusive), all `g`.
    fn frames(from: u64, to: u64, step: u64, g: Guidance) -> Vec<(u64, Guidance)> {
        (from..to).step_by(step as usize).map(|t| (t, g)).collect()
    }

    #[test]
    fn the_first_message_shows_at_once_and_ready_waits_for_the_window() {
        let mut steady = Steady::new(SteadyLimits::default());
        let shown = run(&mut steady, &frames(0, 1000, 100, Ready));
        assert_eq!(shown[0].guidance, Ready);
        // Passing since 0 ms: not ready before 700 ms, ready from then on.
        let ready: Vec<bool> = shown.iter().map(|s| s.ready).collect();
        assert_eq!(
            ready,
            [
                false, false, false, false, false, false, false, true, true, true
            ]
        );
    }

    #[test]
    fn a_flickering_message_never_replaces_the_steady_one() {
        let mut steady = Steady::new(SteadyLimits::default());
        run(&mut steady, &frames(0, 500, 100, TooDark));
        // Blurry every other frame for two seconds: never 400 ms without a break.
        let flicker: Vec<_> = (500..2500)
            .step_by(100)
            .map(|t| (t, if t % 200 == 0 { Blurry } else { TooDark }))
            .collect();
        let shown = run(&mut steady, &flicker);
        assert!(
            shown.iter().all(|s| s.guidance == TooDark && !s.ready),
            "{shown:?}"
        );
    }

    #[test]
    fn a_new_message_shows_once_it_has_lasted_the_hold_time() {
        let mut steady = Steady::new(SteadyLimits::default());
        run(&mut steady, &frames(0, 500, 100, TooDark));
        let shown = run(&mut steady, &frames(500, 1200, 100, Moving));
        // Moving seen from 500 ms; shown from 900 ms (the fifth frame).
        let names: Vec<Guidance> = shown.iter().map(|s| s.guidance).collect();
        assert_eq!(
            names,
            [TooDark, TooDark, TooDark, TooDark, Moving, Moving, Moving]
        );
    }

    #[test]
    fn ready_drops_at_once_on_a_failure_and_recovers_after_a_whole_window() {
        let mut steady = Steady::new(SteadyLimits::default());
        let shown = run(&mut steady, &frames(0, 1000, 100, Ready));
        assert!(shown.last().unwrap().ready);
        // One shaken frame: not ready at once, though the message stays (too short).
        let shaken = steady.update(ms(1000), Moving);
        assert_eq!(
            shaken,
            Shown {
                guidance: Ready,
                ready: false
            }
        );
        // Passing again from 1100 ms: ready at 1800 ms, not before.
        let shown = run(&mut steady, &frames(1100, 2000, 100, Ready));
        let first_ready = shown
            .iter()
            .position(|s| s.ready)
            .map(|i| 1100 + 100 * i as u64);
        assert_eq!(first_ready, Some(1800));
        assert!(shown.iter().all(|s| s.guidance == Ready));
    }

    #[test]
    fn a_gap_in_the_frames_starts_the_clocks_again() {
        let mut steady = Steady::new(SteadyLimits::default());
        run(&mut steady, &frames(0, 600, 100, Ready));
        // A second without frames, then passing again: the window counts from 1500 ms.
        let shown = run(&mut steady, &frames(1500, 2300, 100, Ready));
        let first_ready = shown
            .iter()
            .position(|s| s.ready)
            .map(|i| 1500 + 100 * i as u64);
        assert_eq!(first_ready, Some(2200));
        // A pending message is forgotten across a gap, too.
        let mut steady = Steady::new(SteadyLimits::default());
        run(
            &mut steady,
            &[(0, Ready), (100, Blurry), (200, Blurry), (300, Blurry)],
        );
        let shown = run(
            &mut steady,
            &[(1000, Blurry), (1100, Blurry), (1200, Blurry)],
        );
        assert!(shown.iter().all(|s| s.guidance == Ready), "{shown:?}");
        assert_eq!(steady.update(ms(1400), Blurry).guidance, Blurry);
    }

    #[test]
    fn time_going_back_counts_as_a_gap_and_reset_forgets_everything() {
        let mut steady = Steady::new(SteadyLimits::default());
        run(&mut steady, &frames(0, 1000, 100, Ready));
        assert!(!steady.update(ms(500), Ready).ready);
        steady.reset();
        assert_eq!(
            steady.update(ms(600), Moving),
            Shown {
                guidance: Moving,
                ready: false
            }
        );
    }
}
