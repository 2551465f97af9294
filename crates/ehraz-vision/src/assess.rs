//! One frame, one target: run the checks the target needs, and say the one thing to fix.

use crate::background::{self, Background, BackgroundLimits};
use crate::detect::Face;
use crate::document::{self, Document, DocumentLimits};
use crate::exposure::{self, Exposure, ExposureLimits, Subject};
use crate::face::{self, FaceLimits};
use crate::frame::I420;
use crate::geometry::{Layout, Rect};
use crate::guidance::{Check, Guidance, Target, Verdict};
use crate::motion::{self, Motion, MotionLimits};
use crate::paper::{self, Paper, PaperLimits};
use crate::sharpness::{self, Sharpness, SharpnessLimits};
use crate::thumbnail::Thumbnail;

/// The limits of every check.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Light.
    pub exposure: ExposureLimits,
    /// Focus on a face (or the oval).
    pub face_sharpness: SharpnessLimits,
    /// Focus on the paper.
    pub paper_sharpness: SharpnessLimits,
    /// Focus on the card.
    pub card_sharpness: SharpnessLimits,
    /// Shake.
    pub motion: MotionLimits,
    /// The face in the oval.
    pub face: FaceLimits,
    /// The selfie video's background.
    pub background: BackgroundLimits,
    /// The paper and its strokes.
    pub paper: PaperLimits,
    /// The card and glare.
    pub document: DocumentLimits,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            exposure: ExposureLimits::default(),
            face_sharpness: SharpnessLimits::FACE,
            paper_sharpness: SharpnessLimits::PAPER,
            card_sharpness: SharpnessLimits::CARD,
            motion: MotionLimits::default(),
            face: FaceLimits::default(),
            background: BackgroundLimits::default(),
            paper: PaperLimits::default(),
            document: DocumentLimits::default(),
        }
    }
}

/// What the checks found in one frame.
#[derive(Debug, Clone)]
pub struct Assessment {
    /// What was assessed for.
    pub target: Target,
    /// Each check run, and its verdict, in the order run.
    pub verdicts: Vec<(Check, Verdict)>,
    /// The light's measures.
    pub exposure: Exposure,
    /// The focus's measures.
    pub sharpness: Sharpness,
    /// The shake's measures; `None` without a previous frame of the same size.
    pub motion: Option<Motion>,
    /// The background's measures (selfie video).
    pub background: Option<Background>,
    /// The paper's measures (paper).
    pub paper: Option<Paper>,
    /// The card's measures (card).
    pub document: Option<Document>,
    /// This frame's motion thumbnail: pass it with the next frame.
    pub thumbnail: Thumbnail,
}

impl Assessment {
    /// The one thing to tell the person now: the most pressing failure, or
    /// [`Guidance::Ready`] when every check passed.
    pub fn guidance(&self) -> Guidance {
        self.verdicts
            .iter()
            .filter_map(|&(_, verdict)| match verdict {
                Verdict::Fail(guidance) => Some(guidance),
                Verdict::Pass => None,
            })
            .min_by_key(|&g| priority(g))
            .unwrap_or(Guidance::Ready)
    }

    /// One check's verdict, if it ran.
    pub fn verdict(&self, check: Check) -> Option<Verdict> {
        self.verdicts
            .iter()
            .find(|&&(c, _)| c == check)
            .map(|&(_, verdict)| verdict)
    }
}

/// The order in which failures are told: light, then whether the subject is there, then
/// where and how large it is, then the background, shake, focus, and glare last. A person
/// fixes the first; fixing it often fixes the later ones (a dark room blurs).
fn priority(guidance: Guidance) -> u8 {
    use Guidance::*;
    match guidance {
        TooDark | TooBright | Backlit => 0,
        NoFace | ManyFaces | NoPaper | NoCard => 1,
        FaceOffCentre | FaceTooSmall | FaceTooLarge | FaceTurned | NoStrokes | StrokesTooSmall => 2,
        BackgroundNotWhite => 3,
        Moving => 4,
        Blurry => 5,
        Glare => 6,
        Ready => 7,
    }
}

/// Runs the checks `target` needs on `frame`, with the guides of `layout`, the `faces`
/// found in the frame (by [`crate::detect`]), and the previous frame's
/// [`Assessment::thumbnail`] if there was one.
pub fn assess(
    target: Target,
    frame: &I420<'_>,
    layout: &Layout,
    faces: &[Face],
    previous: Option<&Thumbnail>,
    limits: &Limits,
) -> Assessment {
    let thumb = Thumbnail::of(frame);
    let small = thumb.halved();
    // A target's guides are meant to come from `Layout::new`; if one is missing, the
    // unmirrored default stands in.
    let default = Layout::new(target, frame.width(), frame.height(), false);
    let face = faces
        .iter()
        .max_by(|a, b| area(&a.bounds).total_cmp(&area(&b.bounds)))
        .map(|f| f.bounds);
    let mut verdicts = Vec::with_capacity(6);
    let (subject, region) = match target {
        Target::Selfie | Target::SelfieVideo | Target::SelfieWithCard => {
            let oval = layout.oval.or(default.oval).unwrap_or_default();
            verdicts.push((Check::Face, face::check(faces, &oval, &limits.face)));
            match face {
                Some(face) => (Subject::Face(face), face),
                None => (Subject::Region(oval.bounds()), oval.bounds()),
            }
        }
        Target::Paper => {
            let rect = layout.paper.or(default.paper).unwrap_or_default();
            (Subject::White(rect), rect)
        }
        Target::Card => {
            let rect = layout.card.or(default.card).unwrap_or_default();
            (Subject::Region(rect), rect)
        }
    };
    let exposure = exposure::measure(&thumb, subject, &limits.exposure);
    verdicts.push((Check::Exposure, exposure.verdict(&limits.exposure)));

    let background = (target == Target::SelfieVideo).then(|| {
        let around = face.unwrap_or(region);
        let m = background::measure(&thumb, frame, &around);
        verdicts.push((Check::Background, m.verdict(&limits.background)));
        m
    });
    let paper = (target == Target::Paper).then(|| {
        let m = paper::measure(&thumb, frame, &region, &limits.paper);
        verdicts.push((Check::Paper, m.verdict(&limits.paper)));
        m
    });
    let document = (target == Target::Card).then(|| {
        let m = document::measure(&thumb, &region, &limits.document);
        verdicts.push((Check::Document, m.card_verdict(&limits.document)));
        verdicts.push((Check::Glare, m.glare_verdict(&limits.document)));
        m
    });
    let motion = previous.and_then(|previous| motion::measure(previous, &small, &limits.motion));
    if let Some(m) = motion {
        verdicts.push((Check::Motion, m.verdict(&limits.motion)));
    }
    let focus = match target {
        Target::Paper => &limits.paper_sharpness,
        Target::Card => &limits.card_sharpness,
        Target::Selfie | Target::SelfieVideo | Target::SelfieWithCard => &limits.face_sharpness,
    };
    let sharpness = sharpness::measure(frame, &region, focus);
    verdicts.push((Check::Sharpness, sharpness.verdict(focus)));

    Assessment {
        target,
        verdicts,
        exposure,
        sharpness,
        motion,
        background,
        paper,
        document,
        thumbnail: small,
    }
}

fn area(rect: &Rect) -> f32 {
    rect.width * rect.height
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::Point;

    #[test]
    fn the_selfie_oval_is_centred_with_the_drawings_height_at_720p() {
        let layout = Layout::new(Target::Selfie, 1280, 720, true);
        let oval = layout.oval.expect("a selfie has an oval");
        assert!((oval.centre.x - 0.5).abs() < 1e-6 && (oval.centre.y - 0.5).abs() < 1e-6);
        // The 400×300 drawing fills the frame's height: 112 of its 300 units.
        assert!((oval.radius_y - 112.0 / 300.0).abs() < 1e-6, "{oval:?}");
        // 84 units across, 2.4 frame pixels each, of 1280.
        assert!(
            (oval.radius_x - 84.0 * 2.4 / 1280.0).abs() < 1e-6,
            "{oval:?}"
        );
        assert_eq!((layout.card, layout.paper), (None, None));
    }

    #[test]
    fn the_selfie_with_card_shapes_swap_sides_when_mirrored() {
        let plain = Layout::new(Target::SelfieWithCard, 1280, 720, false);
        let mirrored = Layout::new(Target::SelfieWithCard, 1280, 720, true);
        let (oval, mirrored_oval) = (plain.oval.unwrap(), mirrored.oval.unwrap());
        let (card, mirrored_card) = (plain.card.unwrap(), mirrored.card.unwrap());
        assert!(oval.centre.x < 0.5 && card.centre().x > 0.5, "{plain:?}");
        let mirror = |p: Point| Point {
            x: 1.0 - p.x,
            y: p.y,
        };
        let close = |a: Point, b: Point| (a.x - b.x).abs() < 1e-6 && (a.y - b.y).abs() < 1e-6;
        assert!(close(mirrored_oval.centre, mirror(oval.centre)));
        assert!(close(mirrored_card.centre(), mirror(card.centre())));
        assert_eq!(
            (mirrored_oval.radius_x, mirrored_oval.radius_y),
            (oval.radius_x, oval.radius_y)
        );
        assert!((mirrored_card.width - card.width).abs() < 1e-6);
        assert!((mirrored_card.height - card.height).abs() < 1e-6);
    }

    #[test]
    fn failures_are_told_light_first_and_glare_last() {
        let assessment = |verdicts: Vec<(Check, Verdict)>| Assessment {
            target: Target::Card,
            verdicts,
            exposure: Exposure {
                subject: Subject::Region(Rect::default()),
                mean: 0.0,
                p05: 0.0,
                p50: 0.0,
                p95: 0.0,
                dark: 0.0,
                clipped: 0.0,
                subject_median: 0.0,
                subject_p90: 0.0,
                subject_clipped: 0.0,
                surround: None,
            },
            sharpness: Sharpness {
                blur: 0.0,
                blur_x: 0.0,
                blur_y: 0.0,
                width: 0,
                height: 0,
            },
            motion: None,
            background: None,
            paper: None,
            document: None,
            thumbnail: {
                let data = vec![0u8; I420::len_for(4, 4)];
                Thumbnail::of(&I420::new(4, 4, &data).unwrap())
            },
        };
        use Guidance::*;
        let fail = Verdict::Fail;
        let all = [
            (Check::Glare, fail(Glare)),
            (Check::Sharpness, fail(Blurry)),
            (Check::Motion, fail(Moving)),
            (Check::Document, fail(NoCard)),
            (Check::Exposure, fail(TooDark)),
        ];
        let mut told = Vec::new();
        for n in (1..=all.len()).rev() {
            told.push(assessment(all[..n].to_vec()).guidance());
        }
        assert_eq!(told, [TooDark, NoCard, Moving, Blurry, Glare]);
        let passing = assessment(vec![(Check::Exposure, Verdict::Pass)]);
        assert_eq!(passing.guidance(), Ready);
        assert_eq!(passing.verdict(Check::Exposure), Some(Verdict::Pass));
        assert_eq!(passing.verdict(Check::Glare), None);
    }
}
