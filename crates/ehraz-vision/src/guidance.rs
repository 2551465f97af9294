//! What is checked, for what, and what the person is told.

/// What is being photographed or filmed; decides which checks run and the guide shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::IntoStaticStr, strum::EnumIter)]
#[strum(serialize_all = "kebab-case")]
pub enum Target {
    /// A selfie photo: one face in the oval.
    Selfie,
    /// The selfie video: as the photo, plus a plain white background, all the time.
    SelfieVideo,
    /// A signature or a handwritten letter on white paper.
    Paper,
    /// An identity card or bank card in the card frame.
    Card,
    /// A selfie holding the documents: a face in the oval and a card beside it.
    SelfieWithCard,
}

/// One check.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, strum::IntoStaticStr, strum::EnumIter,
)]
#[strum(serialize_all = "kebab-case")]
pub enum Check {
    /// Light: not too dark, not too bright, not backlit.
    Exposure,
    /// Focus: the picture is sharp.
    Sharpness,
    /// Shake: little change between consecutive frames.
    Motion,
    /// One face, in the oval, near enough, looking at the camera.
    Face,
    /// A plain white background around the face.
    Background,
    /// A white sheet filling the paper frame, with dark strokes on it.
    Paper,
    /// A card filling the card frame.
    Document,
    /// No glare spot on the card.
    Glare,
}

/// What the person is told; each has a Fluent message `guidance-<id>` in fa and en.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, strum::IntoStaticStr, strum::EnumIter,
)]
#[strum(serialize_all = "kebab-case")]
pub enum Guidance {
    /// Everything passes: hold still.
    Ready,
    /// Too little light.
    TooDark,
    /// Too much light (washed out).
    TooBright,
    /// Light behind the person: the face is much darker than around it.
    Backlit,
    /// Out of focus.
    Blurry,
    /// Shaking or moving.
    Moving,
    /// No face found.
    NoFace,
    /// More than one face (another person, or a photo of a face).
    ManyFaces,
    /// The face is not inside the oval.
    FaceOffCentre,
    /// The face is too small: come closer.
    FaceTooSmall,
    /// The face is too large: move back.
    FaceTooLarge,
    /// The face is turned away: look straight at the camera.
    FaceTurned,
    /// The background around the face is not plain white.
    BackgroundNotWhite,
    /// No white sheet fills the paper frame.
    NoPaper,
    /// No strokes (signature or writing) on the paper.
    NoStrokes,
    /// The strokes are too small: bring the camera closer to the paper.
    StrokesTooSmall,
    /// No card fills the card frame (absent, too far, or off the frame).
    NoCard,
    /// A glare spot on the card.
    Glare,
}

impl Guidance {
    /// Its id, as in the Fluent message `guidance-<id>` and on the wire.
    pub fn id(self) -> &'static str {
        self.into()
    }
}

/// One check's result on one frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// It passes.
    Pass,
    /// It fails; this is what to tell the person.
    Fail(Guidance),
}

impl Verdict {
    /// Whether it passes.
    pub fn passed(self) -> bool {
        self == Self::Pass
    }
}
