//! Live guidance: from one camera frame to what the person should fix.
//!
//! Everything here is a pure function over pixels (no I/O, no threads, no clock of its
//! own): the app feeds frames and times, and shows the [`Guidance`] that comes out.
//!
//! - [`I420`] is a borrowed frame, the layout the capture crate produces.
//! - [`Layout`] places the overlay's guide shapes (oval, card, paper) in frame coordinates.
//! - [`detect::FaceDetector`] finds faces (BlazeFace, run in pure Rust).
//! - The checks (`exposure`, `sharpness`, `motion`, `face`, `background`, `paper`,
//!   `document`) each give a [`Verdict`]; [`assess`] runs the ones a [`Target`] needs and
//!   orders what failed; [`steady::Steady`] smooths them over time and says when the
//!   picture is ready.
//! - [`Analyzer`] strings them together for a live camera: one frame after another.

pub mod background;
pub mod detect;
pub mod document;
pub mod exposure;
pub mod face;
pub mod motion;
pub mod paper;
pub mod sharpness;
pub mod steady;

mod analyzer;
mod assess;
mod frame;
mod geometry;
mod guidance;
mod histogram;
mod thumbnail;

pub use analyzer::{Analyzer, Reading, Tally, check_results};
pub use assess::{Assessment, Limits, assess};
pub use frame::{FrameError, I420};
pub use geometry::{Ellipse, Layout, Point, Rect};
pub use guidance::{Check, Guidance, Target, Verdict};
pub use steady::{Shown, Steady, SteadyLimits};
pub use thumbnail::{Bounds, Thumbnail};
