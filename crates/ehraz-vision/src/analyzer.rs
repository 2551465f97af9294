//! One frame after another: faces found, every check the target needs, smoothed over
//! time. The app keeps one [`Analyzer`] per open camera and feeds it frames.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::assess::{Assessment, Limits, assess};
use crate::detect::{DetectError, Face, FaceDetector};
use crate::frame::I420;
use crate::geometry::Layout;
use crate::guidance::{Check, Guidance, Target, Verdict};
use crate::steady::{Shown, Steady, SteadyLimits};
use crate::thumbnail::Thumbnail;

/// What one frame came to.
#[derive(Debug, Clone)]
pub struct Reading {
    /// Every check's verdict and measures on this frame.
    pub assessment: Assessment,
    /// The faces found (none for targets without a face).
    pub faces: Vec<Face>,
    /// What to show now, smoothed over the frames before.
    pub shown: Shown,
}

/// Each check's result, by check id (`exposure`, `face`, …): `pass` or the guidance code
/// it failed with, as the manifest records them.
pub fn check_results(verdicts: &[(Check, Verdict)]) -> BTreeMap<String, String> {
    verdicts
        .iter()
        .map(|&(check, verdict)| {
            let result = match verdict {
                Verdict::Pass => "pass",
                Verdict::Fail(guidance) => guidance.id(),
            };
            (<&str>::from(check).to_owned(), result.to_owned())
        })
        .collect()
}

/// Turns frames into guidance for one target.
#[derive(Debug)]
pub struct Analyzer {
    target: Target,
    mirrored: bool,
    detector: Option<FaceDetector>,
    limits: Limits,
    steady: Steady,
    previous: Option<Thumbnail>,
    layout: Option<(u32, u32, Layout)>,
}

impl Analyzer {
    /// An analyzer for `target`; `mirrored` is whether the preview is shown mirrored
    /// (where the guides are, see [`Layout::new`]). Loads the face detector for targets
    /// with a face.
    pub fn new(target: Target, mirrored: bool) -> Result<Self, DetectError> {
        let detector = match target {
            Target::Selfie | Target::SelfieVideo | Target::SelfieWithCard => {
                Some(FaceDetector::new()?)
            }
            Target::Paper | Target::Card => None,
        };
        Ok(Self {
            target,
            mirrored,
            detector,
            limits: Limits::default(),
            steady: Steady::new(SteadyLimits::default()),
            previous: None,
            layout: None,
        })
    }

    /// What it analyses for.
    pub fn target(&self) -> Target {
        self.target
    }

    /// Analyses the frame captured at `at` (any clock that only moves forward).
    pub fn analyse(&mut self, frame: &I420<'_>, at: Duration) -> Reading {
        let (width, height) = (frame.width(), frame.height());
        let layout = match self.layout {
            Some((w, h, layout)) if (w, h) == (width, height) => layout,
            _ => {
                let layout = Layout::new(self.target, width, height, self.mirrored);
                self.layout = Some((width, height, layout));
                layout
            }
        };
        let faces = self
            .detector
            .as_mut()
            .map(|detector| detector.detect(frame))
            .unwrap_or_default();
        let assessment = assess(
            self.target,
            frame,
            &layout,
            &faces,
            self.previous.as_ref(),
            &self.limits,
        );
        self.previous = Some(assessment.thumbnail.clone());
        let shown = self.steady.update(at, assessment.guidance());
        Reading {
            assessment,
            faces,
            shown,
        }
    }
}

/// How the checks went over many frames (a recording).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Frames counted.
    pub frames: u32,
    /// Of those, how many failed, by the guidance they failed with.
    pub failures: BTreeMap<Guidance, u32>,
}

impl Tally {
    /// Counts one frame.
    pub fn add(&mut self, assessment: &Assessment) {
        self.frames = self.frames.saturating_add(1);
        let guidance = assessment.guidance();
        if guidance != Guidance::Ready {
            *self.failures.entry(guidance).or_default() += 1;
        }
    }
}
