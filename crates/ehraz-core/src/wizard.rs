//! The wizard: where a person is in a flow, what they answered and captured, and the
//! guards that keep them from leaving a step unfinished.
//!
//! Forward moves go one step at a time and each step's guard must pass, so every step
//! behind the person is complete. Going back keeps answers; answers of fields or steps a
//! changed choice hides are left out of the manifest, and a one-time code proof is void
//! once a field it proved changes. The whole state serialises to JSON and back, so an
//! interrupted session resumes exactly where it was.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoStaticStr};
use thiserror::Error;

use crate::JalaliDate;
use crate::flow::{Field, FieldError, FieldKind, Flow, FlowError, MediaType, Step};
use crate::manifest::{
    Artifact, CaptureChecks, Challenge, MANIFEST_VERSION, Manifest, ManifestArtifact,
};
use crate::message::{Message, message_ids_from_strum};
use crate::one_time_code::{OneTimeCode, OneTimeCodeError};

/// A person's progress through a flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wizard {
    flow: Flow,
    position: Position,
    answers: BTreeMap<String, String>,
    verifications: BTreeMap<String, Verification>,
    artifacts: BTreeMap<String, BTreeMap<MediaType, Artifact>>,
    challenges: BTreeMap<String, Challenge>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    checks: BTreeMap<String, CaptureChecks>,
}

/// Where the person is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Position {
    /// On the step at this index of the flow.
    Step(usize),
    /// Past the last step: ready to submit.
    Finished,
}

/// The backend's word that a one-time code was right, and what it proved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Verification {
    /// The values of the proved fields when the code was checked.
    proved: Vec<String>,
    /// The backend's receipt.
    receipt: String,
}

/// "Step k of n", counting only the steps the person's choices show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// 1-based number of the current step (n when finished).
    pub number: usize,
    /// Steps shown for the current choices.
    pub total: usize,
}

/// Why the wizard refused a move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Error, IntoStaticStr, EnumIter)]
pub enum WizardError {
    #[error("this action does not belong to the current step")]
    #[strum(serialize = "wizard-wrong-step")]
    WrongStep,
    #[error("some fields of this step are not answered yet")]
    #[strum(serialize = "wizard-fields-missing")]
    FieldsMissing,
    #[error("the one-time code of this step is not confirmed yet")]
    #[strum(serialize = "wizard-not-verified")]
    NotVerified,
    #[error("the backend gave no receipt for the code")]
    #[strum(serialize = "wizard-empty-receipt")]
    EmptyReceipt,
    #[error("the photo or video of this step is not taken yet")]
    #[strum(serialize = "wizard-missing-artifact")]
    MissingArtifact,
    #[error("this step cannot hold a file of that type")]
    #[strum(serialize = "wizard-media-type")]
    MediaType,
    #[error("the liveness challenge of this step was not recorded")]
    #[strum(serialize = "wizard-missing-challenge")]
    MissingChallenge,
    #[error("that challenge does not fit this step")]
    #[strum(serialize = "wizard-challenge-mismatch")]
    ChallengeMismatch,
    #[error("the guidance's check results are malformed")]
    #[strum(serialize = "wizard-checks-malformed")]
    ChecksMalformed,
    #[error("this is the first step")]
    #[strum(serialize = "wizard-at-first-step")]
    AtFirstStep,
    #[error("every step is done")]
    #[strum(serialize = "wizard-finished")]
    Finished,
    #[error("some steps are not done yet")]
    #[strum(serialize = "wizard-not-finished")]
    NotFinished,
    #[error("no shown step has that id")]
    #[strum(serialize = "wizard-unknown-step")]
    UnknownStep,
    #[error("that step has not been reached yet")]
    #[strum(serialize = "wizard-not-reached")]
    NotReached,
}

message_ids_from_strum!(WizardError);

/// One refused field of a submitted form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldIssue {
    /// The field's id.
    pub field: String,
    /// Why it was refused.
    pub error: FieldError,
}

/// Why a form was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SubmitError {
    /// Some answers were refused; nothing was stored.
    #[error("{} field(s) refused", .0.len())]
    Fields(Vec<FieldIssue>),
    /// The move itself was refused.
    #[error(transparent)]
    Wizard(#[from] WizardError),
}

/// Why a saved wizard could not be restored.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RestoreError {
    /// Not a saved wizard.
    #[error("the saved state is not readable: {0}")]
    Malformed(String),
    /// Its flow no longer passes the checks.
    #[error(transparent)]
    Flow(#[from] FlowError),
    /// It points at a step or field the flow does not have.
    #[error("the saved state does not fit its flow: {0}")]
    Inconsistent(String),
}

impl Message for RestoreError {
    fn message_id(&self) -> &'static str {
        "wizard-restore-failed"
    }
}

impl Wizard {
    /// Starts a flow at its first step.
    pub fn new(flow: Flow) -> Result<Self, FlowError> {
        flow.check()?;
        Ok(Self {
            flow,
            // A checked flow's first step has no condition: there is no earlier choice.
            position: Position::Step(0),
            answers: BTreeMap::new(),
            verifications: BTreeMap::new(),
            artifacts: BTreeMap::new(),
            challenges: BTreeMap::new(),
            checks: BTreeMap::new(),
        })
    }

    /// The flow being followed.
    pub fn flow(&self) -> &Flow {
        &self.flow
    }

    /// Where the person is.
    pub fn position(&self) -> Position {
        self.position
    }

    /// The current step, or `None` once every step is done.
    pub fn current(&self) -> Option<&Step> {
        match self.position {
            Position::Step(i) => self.flow.steps.get(i),
            Position::Finished => None,
        }
    }

    /// Whether every step is done.
    pub fn is_finished(&self) -> bool {
        self.position == Position::Finished
    }

    /// The stored (normalised) answer of a field, shown or not.
    pub fn answer(&self, field: &str) -> Option<&str> {
        self.answers.get(field).map(String::as_str)
    }

    /// Every stored (normalised) answer, shown or not.
    pub fn answers(&self) -> &BTreeMap<String, String> {
        &self.answers
    }

    /// Ids of the one-time-code steps whose proof still holds (no proved field changed).
    pub fn verified_steps(&self) -> Vec<&str> {
        self.flow
            .steps
            .iter()
            .enumerate()
            .filter(|(i, step)| {
                matches!(step, Step::OneTimeCode { .. }) && self.step_complete(*i).is_ok()
            })
            .map(|(_, step)| step.id())
            .collect()
    }

    /// Ids of the capture steps holding every medium they need (a video step also counts
    /// without its challenge: the media are what a person would keep or retake).
    pub fn captured_steps(&self) -> Vec<&str> {
        self.flow
            .steps
            .iter()
            .filter_map(|step| match step {
                Step::Capture { id, capture, .. } => {
                    let taken = self.artifacts.get(id)?;
                    capture
                        .required_media()
                        .iter()
                        .all(|m| taken.contains_key(m))
                        .then_some(id.as_str())
                }
                _ => None,
            })
            .collect()
    }

    /// Whether a shown step comes before the current one.
    pub fn can_go_back(&self) -> bool {
        match self.position {
            Position::Step(i) => self.shown_steps().any(|s| s < i),
            Position::Finished => true,
        }
    }

    /// "Step k of n" for the current choices. A choice not made yet counts as its first
    /// option, so the total changes only when the person picks another branch.
    pub fn progress(&self) -> Progress {
        let mut assumed = self.answers.clone();
        for field in self.flow.steps.iter().flat_map(Step::fields) {
            if let (FieldKind::Choice, Some(first)) = (field.kind, field.options.first()) {
                assumed
                    .entry(field.id.clone())
                    .or_insert_with(|| first.clone());
            }
        }
        let shown: Vec<usize> = shown_steps(&self.flow, &assumed).collect();
        let number = match self.position {
            Position::Step(i) => shown.iter().position(|&s| s == i).map_or(1, |k| k + 1),
            Position::Finished => shown.len(),
        };
        Progress {
            number,
            total: shown.len(),
        }
    }

    /// Indices of the steps the current answers show, in order.
    pub fn shown_steps(&self) -> impl Iterator<Item = usize> + '_ {
        shown_steps(&self.flow, &self.answers)
    }

    /// The fields of the current step that the current answers show.
    pub fn shown_fields(&self) -> Vec<&Field> {
        self.current().map_or_else(Vec::new, |step| {
            step.fields()
                .iter()
                .filter(|f| field_shown(f, &self.answers))
                .collect()
        })
    }

    /// Answers a form or commitments step and moves on. Every shown field is validated;
    /// if any is refused, nothing is stored and every refusal is returned.
    pub fn submit_form(
        &mut self,
        values: &BTreeMap<String, String>,
        today: JalaliDate,
    ) -> Result<(), SubmitError> {
        let Some(step @ (Step::Form { .. } | Step::Commitments { .. })) = self.current() else {
            return Err(WizardError::WrongStep.into());
        };
        let mut answers = self.answers.clone();
        let mut issues = Vec::new();
        for field in step.fields() {
            if !field_shown(field, &answers) {
                answers.remove(&field.id);
                continue;
            }
            let raw = values.get(&field.id).map_or("", String::as_str);
            match field.parse(raw, today) {
                Ok(value) => {
                    answers.insert(field.id.clone(), value);
                }
                Err(error) => {
                    answers.remove(&field.id);
                    issues.push(FieldIssue {
                        field: field.id.clone(),
                        error,
                    });
                }
            }
        }
        if !issues.is_empty() {
            return Err(SubmitError::Fields(issues));
        }
        self.answers = answers;
        self.advance().map_err(SubmitError::from)
    }

    /// Checks the format of a one-time code for the current step, before it is sent to
    /// the backend.
    pub fn check_code(&self, raw: &str) -> Result<OneTimeCode, SubmitError> {
        match self.current() {
            Some(Step::OneTimeCode { code_length, .. }) => {
                OneTimeCode::parse(raw, *code_length).map_err(|e| code_issue(e, self))
            }
            _ => Err(WizardError::WrongStep.into()),
        }
    }

    /// Records the backend's receipt for the current step's code and moves on.
    pub fn complete_code(&mut self, receipt: &str) -> Result<(), WizardError> {
        let Some(Step::OneTimeCode { id, verifies, .. }) = self.current() else {
            return Err(WizardError::WrongStep);
        };
        if receipt.trim().is_empty() {
            return Err(WizardError::EmptyReceipt);
        }
        let verification = Verification {
            proved: self.values_of(verifies),
            receipt: receipt.to_owned(),
        };
        self.verifications.insert(id.clone(), verification);
        self.advance()
    }

    /// Attaches a captured file to the current capture step, replacing an earlier one of
    /// the same media type (a retake).
    pub fn attach(&mut self, artifact: Artifact) -> Result<(), WizardError> {
        let Some(Step::Capture { id, capture, .. }) = self.current() else {
            return Err(WizardError::WrongStep);
        };
        if !capture.required_media().contains(&artifact.media_type) {
            return Err(WizardError::MediaType);
        }
        let id = id.clone();
        self.artifacts
            .entry(id)
            .or_default()
            .insert(artifact.media_type, artifact);
        Ok(())
    }

    /// Records the liveness challenge shown on the current capture step.
    pub fn record_challenge(&mut self, challenge: Challenge) -> Result<(), WizardError> {
        let Some(step @ Step::Capture { id, .. }) = self.current() else {
            return Err(WizardError::WrongStep);
        };
        if !step.accepts_challenge(challenge.kind()) || !challenge.is_well_formed() {
            return Err(WizardError::ChallengeMismatch);
        }
        let id = id.clone();
        self.challenges.insert(id, challenge);
        Ok(())
    }

    /// The liveness challenge recorded for step `id`, if any.
    pub fn challenge(&self, id: &str) -> Option<&Challenge> {
        self.challenges.get(id)
    }

    /// Records what the guidance found when the current capture step's photo was taken
    /// or video recorded (replacing what an earlier take recorded).
    pub fn record_checks(&mut self, checks: CaptureChecks) -> Result<(), WizardError> {
        let Some(Step::Capture { id, .. }) = self.current() else {
            return Err(WizardError::WrongStep);
        };
        if !checks.is_well_formed() {
            return Err(WizardError::ChecksMalformed);
        }
        let id = id.clone();
        self.checks.insert(id, checks);
        Ok(())
    }

    /// Leaves the current step, if it is complete, for the next shown one.
    pub fn advance(&mut self) -> Result<(), WizardError> {
        let Position::Step(index) = self.position else {
            return Err(WizardError::Finished);
        };
        self.step_complete(index)?;
        let next = self.shown_steps().find(|&i| i > index);
        self.position = next.map_or(Position::Finished, Position::Step);
        Ok(())
    }

    /// Goes back to the previous shown step; answers are kept.
    pub fn back(&mut self) -> Result<(), WizardError> {
        let before = match self.position {
            Position::Step(i) => i,
            Position::Finished => self.flow.steps.len(),
        };
        let previous = self.shown_steps().filter(|&i| i < before).last();
        self.position = Position::Step(previous.ok_or(WizardError::AtFirstStep)?);
        Ok(())
    }

    /// Goes back to an earlier shown step, e.g. from the review to correct an answer.
    pub fn go_to(&mut self, step_id: &str) -> Result<(), WizardError> {
        let target = self
            .shown_steps()
            .find(|&i| self.flow.steps[i].id() == step_id)
            .ok_or(WizardError::UnknownStep)?;
        match self.position {
            Position::Step(i) if target > i => Err(WizardError::NotReached),
            _ => {
                self.position = Position::Step(target);
                Ok(())
            }
        }
    }

    /// Whether the step at `index` is complete, and if not, why.
    pub fn step_complete(&self, index: usize) -> Result<(), WizardError> {
        let step = self.flow.steps.get(index).ok_or(WizardError::UnknownStep)?;
        match step {
            Step::Form { fields, .. } | Step::Commitments { fields, .. } => {
                let answered = fields
                    .iter()
                    .filter(|f| field_shown(f, &self.answers))
                    .all(|f| self.answers.contains_key(&f.id));
                if answered {
                    Ok(())
                } else {
                    Err(WizardError::FieldsMissing)
                }
            }
            Step::OneTimeCode { id, verifies, .. } => match self.verifications.get(id) {
                Some(v) if v.proved == self.values_of(verifies) => Ok(()),
                _ => Err(WizardError::NotVerified),
            },
            Step::Capture {
                id,
                capture,
                challenge,
                ..
            } => {
                let taken = self.artifacts.get(id);
                let all_media = capture
                    .required_media()
                    .iter()
                    .all(|m| taken.is_some_and(|t| t.contains_key(m)));
                if !all_media {
                    return Err(WizardError::MissingArtifact);
                }
                match (challenge, self.challenges.get(id)) {
                    (Some(_), Some(shown)) if step.accepts_challenge(shown.kind()) => Ok(()),
                    (Some(_), _) => Err(WizardError::MissingChallenge),
                    (None, _) => Ok(()),
                }
            }
            Step::Review { .. } => Ok(()),
        }
    }

    /// The manifest to submit, once every shown step is done. Only what the person's
    /// final choices show goes in.
    pub fn manifest(&self, client_version: &str) -> Result<Manifest, WizardError> {
        if !self.is_finished() {
            return Err(WizardError::NotFinished);
        }
        let mut manifest = Manifest {
            manifest_version: MANIFEST_VERSION,
            flow_id: self.flow.id.clone(),
            flow_version: self.flow.version,
            client_version: client_version.to_owned(),
            answers: BTreeMap::new(),
            verifications: BTreeMap::new(),
            artifacts: Vec::new(),
            challenges: BTreeMap::new(),
            checks: BTreeMap::new(),
        };
        for index in self.shown_steps() {
            self.step_complete(index)
                .map_err(|_| WizardError::NotFinished)?;
            let step = &self.flow.steps[index];
            let id = step.id();
            for field in step
                .fields()
                .iter()
                .filter(|f| field_shown(f, &self.answers))
            {
                if let Some(value) = self.answers.get(&field.id) {
                    manifest.answers.insert(field.id.clone(), value.clone());
                }
            }
            if let Some(v) = self.verifications.get(id) {
                manifest
                    .verifications
                    .insert(id.to_owned(), v.receipt.clone());
            }
            if let Step::Capture { capture, .. } = step {
                for artifact in self
                    .artifacts
                    .get(id)
                    .into_iter()
                    .flat_map(BTreeMap::values)
                {
                    manifest.artifacts.push(ManifestArtifact {
                        step: id.to_owned(),
                        capture: *capture,
                        artifact: artifact.clone(),
                    });
                }
                if let Some(challenge) = self.challenges.get(id) {
                    manifest.challenges.insert(id.to_owned(), challenge.clone());
                }
                if let Some(checks) = self.checks.get(id) {
                    manifest.checks.insert(id.to_owned(), checks.clone());
                }
            }
        }
        Ok(manifest)
    }

    /// The state as JSON, to be kept (encrypted) until the person comes back.
    pub fn to_json(&self) -> String {
        // Every part is a map with string keys or a plain struct: this cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Restores a state saved by [`Wizard::to_json`], checking it still fits its flow.
    pub fn from_json(json: &str) -> Result<Self, RestoreError> {
        let wizard: Self =
            serde_json::from_str(json).map_err(|e| RestoreError::Malformed(e.to_string()))?;
        wizard.flow.check()?;
        let bad = |what: String| Err(RestoreError::Inconsistent(what));
        if let Position::Step(i) = wizard.position
            && !wizard.shown_steps().any(|s| s == i)
        {
            return bad(format!("position {i} is not a shown step"));
        }
        let fields: Vec<&str> = wizard
            .flow
            .steps
            .iter()
            .flat_map(Step::fields)
            .map(|f| f.id.as_str())
            .collect();
        if let Some(unknown) = wizard
            .answers
            .keys()
            .find(|k| !fields.contains(&k.as_str()))
        {
            return bad(format!("answer to unknown field `{unknown}`"));
        }
        let steps = || wizard.flow.steps.iter().map(Step::id);
        let keys = wizard
            .verifications
            .keys()
            .chain(wizard.artifacts.keys())
            .chain(wizard.challenges.keys())
            .chain(wizard.checks.keys());
        for key in keys {
            if !steps().any(|s| s == key) {
                return bad(format!("record for unknown step `{key}`"));
            }
        }
        Ok(wizard)
    }

    fn values_of(&self, fields: &[String]) -> Vec<String> {
        fields
            .iter()
            .map(|f| self.answers.get(f).cloned().unwrap_or_default())
            .collect()
    }
}

fn shown_steps<'a>(
    flow: &'a Flow,
    answers: &'a BTreeMap<String, String>,
) -> impl Iterator<Item = usize> + 'a {
    flow.steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.when().is_none_or(|c| c.holds(answers)))
        .map(|(i, _)| i)
}

fn field_shown(field: &Field, answers: &BTreeMap<String, String>) -> bool {
    field.when.as_ref().is_none_or(|c| c.holds(answers))
}

fn code_issue(error: OneTimeCodeError, wizard: &Wizard) -> SubmitError {
    let field = wizard
        .current()
        .map_or_else(String::new, |s| s.id().to_owned());
    SubmitError::Fields(vec![FieldIssue {
        field,
        error: FieldError::OneTimeCode(error),
    }])
}
