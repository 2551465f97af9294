//! A person's way through a flow against a backend: `ehraz-core`'s wizard kept in step
//! with the server (answers, one-time codes, submission), and saved encrypted in the
//! session's outbox folder after every change, so a closed or killed app resumes exactly
//! where it was. The app shell only adapts these calls; every rule lives here or below.

use std::collections::BTreeMap;

use ehraz_core::flow::Step;
use ehraz_core::{
    CaptureChecks, Challenge, Flow, FlowError, JalaliDate, MediaType, Message, Progress,
    SubmitError, Wizard, WizardError,
};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::api::{Client, CodeSent, Session, Status};
use crate::deliver::{DeliverError, deliver};
use crate::outbox::{JOURNEY_FILE, Outbox, OutboxError, SessionBox};
use crate::{ClientError, Uploader};

/// The field id under which a refused one-time code is reported.
pub const CODE_FIELD: &str = "code";

/// Chunk size of the uploads a submission makes.
const CHUNK_BYTES: usize = 4 << 20;

/// One person's session: the wizard, the backend session and the outbox folder.
#[derive(Debug)]
pub struct Journey {
    client: Client,
    boxed: SessionBox,
    session: Session,
    wizard: Wizard,
    code: Option<CodeState>,
    /// The submission reached the backend; the outbox folder is gone.
    delivered: bool,
}

/// A one-time code on its way, with absolute times so a reopened app counts on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeState {
    /// The code step.
    pub step: String,
    /// Digits in the code.
    pub code_length: u8,
    /// The number it went to, masked by the server.
    pub sent_to: String,
    /// When it stops being valid (Unix milliseconds).
    pub expires_at_ms: i64,
    /// When another may be asked for (Unix milliseconds).
    pub resend_at_ms: i64,
}

/// What the interface shows of a journey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JourneyView {
    /// The flow followed.
    pub flow: Flow,
    /// The current step's id; `None` once every step is done.
    pub position: Option<String>,
    /// Ids of the steps the answers show, in order.
    pub shown: Vec<String>,
    /// "Step k of n".
    pub progress: Progress,
    /// Stored, normalised answers.
    pub answers: BTreeMap<String, String>,
    /// Code steps whose code the backend accepted (and whose proved fields are unchanged).
    pub verified: Vec<String>,
    /// Capture steps whose photo or video (with its sound) is attached.
    pub captured: Vec<String>,
    /// The code sent for the current step, if any.
    pub code: Option<CodeState>,
    /// Whether a shown step lies before the current one.
    pub can_go_back: bool,
    /// Whether the submission reached the backend.
    pub submitted: bool,
}

/// Upload progress of a submission, per artifact and in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SendProgress {
    /// The capture step of the artifact being sent.
    pub step: String,
    /// Its media type.
    pub media_type: String,
    /// Its bytes the server holds.
    pub sent: u64,
    /// Its size.
    pub total: u64,
    /// Bytes of every artifact the server holds.
    pub all_sent: u64,
    /// Bytes of every artifact.
    pub all_total: u64,
}

/// What is kept encrypted between runs.
#[derive(Serialize, Deserialize)]
struct Saved {
    /// [`Wizard::to_json`], restored through [`Wizard::from_json`] and its checks.
    wizard: String,
    code: Option<CodeState>,
    /// The submission reached the backend; only the session is kept, to follow its status.
    #[serde(default)]
    submitted: bool,
}

/// Why a journey call failed. [`JourneyError::code`] is the stable code the interface
/// maps to a message.
#[derive(Debug, Error)]
pub enum JourneyError {
    /// Answers (or a one-time code, as field [`CODE_FIELD`]) were refused: field id and
    /// Fluent id of the reason, per field. Nothing was stored.
    #[error("{} answer(s) refused", .0.len())]
    Fields(Vec<(String, String)>),
    /// The wizard refused the move.
    #[error(transparent)]
    Wizard(#[from] WizardError),
    /// The backend refused or could not be reached.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The outbox could not be read or written.
    #[error(transparent)]
    Outbox(#[from] OutboxError),
    /// Delivering the submission failed.
    #[error(transparent)]
    Deliver(#[from] DeliverError),
    /// The flow is unknown or does not load.
    #[error(transparent)]
    Flow(#[from] FlowError),
    /// The saved journey does not restore.
    #[error(transparent)]
    Restore(#[from] ehraz_core::wizard::RestoreError),
    /// The submission already reached the backend.
    #[error("the session was already submitted")]
    Submitted,
}

impl JourneyError {
    /// The stable code: `invalid_answers`, a `wizard-*` or `flow-*` message id, the
    /// backend's or client's code, `outbox_failed`, `already_submitted`.
    pub fn code(&self) -> &str {
        match self {
            Self::Fields(_) => "invalid_answers",
            Self::Wizard(e) => e.message_id(),
            Self::Client(e) => e.code(),
            Self::Outbox(_) => "outbox_failed",
            Self::Deliver(e) => e.code(),
            Self::Flow(e) => e.message_id(),
            Self::Restore(e) => e.message_id(),
            Self::Submitted => "already_submitted",
        }
    }

    /// The refused fields, whether the device or the backend refused them.
    pub fn fields(&self) -> Vec<(String, String)> {
        match self {
            Self::Fields(fields) => fields.clone(),
            Self::Client(ClientError::Api { fields, .. })
            | Self::Deliver(DeliverError::Client(ClientError::Api { fields, .. })) => {
                fields.clone()
            }
            _ => Vec::new(),
        }
    }

    fn api(&self) -> Option<&ClientError> {
        match self {
            Self::Client(e) | Self::Deliver(DeliverError::Client(e)) => Some(e),
            _ => None,
        }
    }

    /// Seconds to wait before trying again, for `rate_limited`.
    pub fn retry_after_seconds(&self) -> Option<u64> {
        match self.api() {
            Some(ClientError::Api {
                retry_after_seconds,
                ..
            }) => *retry_after_seconds,
            _ => None,
        }
    }

    /// Tries left, for `code_wrong`.
    pub fn attempts_left(&self) -> Option<u32> {
        match self.api() {
            Some(ClientError::Api { attempts_left, .. }) => *attempts_left,
            _ => None,
        }
    }
}

impl Journey {
    /// Starts a session for a bundled flow (the backend may serve its own version of
    /// it), with a new encrypted folder in the outbox.
    pub async fn start(
        client: Client,
        outbox: &Outbox,
        flow_id: &str,
    ) -> Result<Self, JourneyError> {
        let bundled = Flow::bundled(flow_id)?;
        let started = client.start_session(flow_id).await?;
        let flow = started.flow.filter(|f| f.id == flow_id).unwrap_or(bundled);
        let wizard = Wizard::new(flow)?;
        let boxed = outbox.create(client.base(), &started.session)?;
        let journey = Self {
            client,
            boxed,
            session: started.session,
            wizard,
            code: None,
            delivered: false,
        };
        journey.save()?;
        Ok(journey)
    }

    /// The journey the app was closed in: one under way in `outbox`, else a submitted one
    /// in `receipts`. `client` is used when the journey's backend is `client`'s; otherwise
    /// a client for its own backend is made.
    pub fn resume(
        client: &Client,
        outbox: &Outbox,
        receipts: &Outbox,
    ) -> Result<Option<Self>, JourneyError> {
        for boxed in outbox.pending()?.into_iter().chain(receipts.pending()?) {
            let Some(plain) = boxed.journey()? else {
                continue;
            };
            let saved: Saved = serde_json::from_slice(&plain)
                .map_err(|e| ehraz_core::wizard::RestoreError::Malformed(e.to_string()))?;
            let wizard = Wizard::from_json(&saved.wizard)?;
            let state = boxed.state()?;
            let client = if &state.server == client.base() {
                client.clone()
            } else {
                Client::new(state.server.clone())?
            };
            return Ok(Some(Self {
                client,
                boxed,
                session: state.session,
                wizard,
                code: saved.code,
                delivered: saved.submitted,
            }));
        }
        Ok(None)
    }

    /// Deletes every saved journey in the outbox, readable or not (a "start over" when
    /// the saved one does not restore). Submissions not made from a journey are kept.
    pub fn discard_saved(outbox: &Outbox) -> Result<usize, JourneyError> {
        let mut removed = 0;
        for boxed in outbox.pending()? {
            if boxed.dir().join(JOURNEY_FILE).is_file() {
                boxed.remove()?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// The step the person is on; `None` once every step is done.
    pub fn current(&self) -> Option<&Step> {
        self.wizard.current()
    }

    /// What the interface shows.
    pub fn view(&self) -> JourneyView {
        let position = self.wizard.current().map(|s| s.id().to_owned());
        let code = self
            .code
            .clone()
            .filter(|c| position.as_deref() == Some(c.step.as_str()));
        let steps = &self.wizard.flow().steps;
        JourneyView {
            flow: self.wizard.flow().clone(),
            position,
            shown: self
                .wizard
                .shown_steps()
                .map(|i| steps[i].id().to_owned())
                .collect(),
            progress: self.wizard.progress(),
            answers: self.wizard.answers().clone(),
            verified: self
                .wizard
                .verified_steps()
                .into_iter()
                .map(str::to_owned)
                .collect(),
            captured: self
                .wizard
                .captured_steps()
                .into_iter()
                .map(str::to_owned)
                .collect(),
            code,
            can_go_back: !self.delivered && self.wizard.can_go_back(),
            submitted: self.delivered,
        }
    }

    /// Answers the current form or commitments step: checked on the device, then by the
    /// backend, and only then kept. A refusal by either stores nothing.
    pub async fn submit_form(
        &mut self,
        values: &BTreeMap<String, String>,
        today: JalaliDate,
    ) -> Result<(), JourneyError> {
        self.ensure_open()?;
        let mut wizard = self.wizard.clone();
        let fields: Vec<String> = self
            .wizard
            .current()
            .map(|s| s.fields().iter().map(|f| f.id.clone()).collect())
            .unwrap_or_default();
        wizard.submit_form(values, today).map_err(refused)?;
        let answers: BTreeMap<String, String> = fields
            .into_iter()
            .filter_map(|f| wizard.answer(&f).map(|v| (f.clone(), v.to_owned())))
            .collect();
        self.client.put_answers(&self.session, &answers).await?;
        self.wizard = wizard;
        self.save()
    }

    /// Asks the backend for the current code step's code (again).
    pub async fn send_code(&mut self, now_ms: i64) -> Result<(), JourneyError> {
        self.ensure_open()?;
        let Some(Step::OneTimeCode { id, .. }) = self.wizard.current() else {
            return Err(WizardError::WrongStep.into());
        };
        let step = id.clone();
        let sent: CodeSent = self.client.send_code(&self.session, &step).await?;
        self.code = Some(CodeState {
            step,
            code_length: sent.code_length,
            sent_to: sent.sent_to,
            expires_at_ms: after_seconds(now_ms, sent.expires_in_seconds),
            resend_at_ms: after_seconds(now_ms, sent.resend_after_seconds),
        });
        self.save()
    }

    /// Checks a code (any digit script) for the current step and moves on once the
    /// backend accepts it.
    pub async fn verify_code(&mut self, raw: &str) -> Result<(), JourneyError> {
        self.ensure_open()?;
        let code = self.wizard.check_code(raw).map_err(|e| match refused(e) {
            JourneyError::Fields(f) => JourneyError::Fields(
                f.into_iter()
                    .map(|(_, id)| (CODE_FIELD.to_owned(), id))
                    .collect(),
            ),
            other => other,
        })?;
        let step = self
            .wizard
            .current()
            .map(|s| s.id().to_owned())
            .unwrap_or_default();
        let receipt = self
            .client
            .verify_code(&self.session, &step, code.as_str())
            .await?;
        self.wizard.complete_code(&receipt)?;
        self.code = None;
        self.save()
    }

    /// Keeps a captured file of the current capture step in the outbox (encrypted; a
    /// retake replaces it) and records it in the wizard.
    pub fn attach(&mut self, media_type: MediaType, bytes: &[u8]) -> Result<(), JourneyError> {
        self.ensure_open()?;
        let Some(Step::Capture { id, capture, .. }) = self.wizard.current() else {
            return Err(WizardError::WrongStep.into());
        };
        if !capture.required_media().contains(&media_type) {
            return Err(WizardError::MediaType.into());
        }
        let step = id.clone();
        let artifact = self.boxed.put_artifact(&step, media_type, bytes)?;
        self.wizard.attach(artifact)?;
        self.save()
    }

    /// Records the liveness challenge shown on the current capture step.
    pub fn record_challenge(&mut self, challenge: Challenge) -> Result<(), JourneyError> {
        self.ensure_open()?;
        self.wizard.record_challenge(challenge)?;
        self.save()
    }

    /// The liveness challenge recorded for the current step, if any.
    pub fn challenge(&self) -> Option<&Challenge> {
        self.wizard
            .current()
            .and_then(|step| self.wizard.challenge(step.id()))
    }

    /// Records what the guidance found when the current step's capture was taken.
    pub fn record_checks(&mut self, checks: CaptureChecks) -> Result<(), JourneyError> {
        self.ensure_open()?;
        self.wizard.record_checks(checks)?;
        self.save()
    }

    /// Leaves a step with nothing to submit (the review).
    pub fn advance(&mut self) -> Result<(), JourneyError> {
        self.ensure_open()?;
        self.wizard.advance()?;
        self.save()
    }

    /// Back to the previous shown step.
    pub fn back(&mut self) -> Result<(), JourneyError> {
        self.ensure_open()?;
        self.wizard.back()?;
        self.save()
    }

    /// Back to an earlier shown step (from the review).
    pub fn go_to(&mut self, step: &str) -> Result<(), JourneyError> {
        self.ensure_open()?;
        self.wizard.go_to(step)?;
        self.save()
    }

    /// Puts the manifest in the outbox and delivers the session: uploads, then the
    /// submission. Interrupted, it carries on from where it was on the next call. Once
    /// the backend has it, the outbox folder is gone and only the session (no answer, no
    /// file) is kept in `receipts`, so a reopened app can still follow its status.
    pub async fn submit(
        &mut self,
        client_version: &str,
        receipts: &Outbox,
        progress: &mut (dyn FnMut(SendProgress) + Send),
    ) -> Result<Status, JourneyError> {
        self.ensure_open()?;
        let manifest = self.wizard.manifest(client_version)?;
        self.boxed.put_manifest(&manifest)?;
        let state = self.boxed.state()?;
        let all_total: u64 = state.artifacts.iter().map(|a| a.artifact.size).sum();
        let mut done: BTreeMap<(String, String), u64> = state
            .artifacts
            .iter()
            .filter(|a| a.uploaded)
            .map(|a| {
                let key = (a.step.clone(), a.artifact.media_type.as_str().to_owned());
                (key, a.artifact.size)
            })
            .collect();
        let uploader = Uploader::new(self.client.clone(), CHUNK_BYTES);
        let status = deliver(
            self.boxed.clone(),
            &self.client,
            &uploader,
            &mut |step, media_type, sent, total| {
                let key = (step.to_owned(), media_type.as_str().to_owned());
                done.insert(key.clone(), sent);
                progress(SendProgress {
                    step: key.0,
                    media_type: key.1,
                    sent,
                    total,
                    all_sent: done.values().sum(),
                    all_total,
                });
            },
        )
        .await?;
        self.boxed = receipts.create(self.client.base(), &self.session)?;
        self.wizard = Wizard::new(self.wizard.flow().clone())?;
        self.delivered = true;
        self.code = None;
        self.save()?;
        Ok(status)
    }

    /// The session's status at the backend.
    pub async fn status(&self) -> Result<Status, JourneyError> {
        Ok(self.client.status(&self.session).await?)
    }

    /// Deletes everything of the journey on this device (of a submitted one, the session
    /// kept to follow its status).
    pub fn start_over(self) -> Result<(), JourneyError> {
        self.boxed.remove()?;
        Ok(())
    }

    fn ensure_open(&self) -> Result<(), JourneyError> {
        if self.delivered {
            Err(JourneyError::Submitted)
        } else {
            Ok(())
        }
    }

    fn save(&self) -> Result<(), JourneyError> {
        let saved = Saved {
            wizard: self.wizard.to_json(),
            code: self.code.clone(),
            submitted: self.delivered,
        };
        let plain = serde_json::to_vec(&saved).map_err(|e| OutboxError::State(e.to_string()))?;
        self.boxed.put_journey(&plain)?;
        Ok(())
    }
}

fn refused(error: SubmitError) -> JourneyError {
    match error {
        SubmitError::Fields(issues) => JourneyError::Fields(
            issues
                .into_iter()
                .map(|i| (i.field, i.error.message_id().to_owned()))
                .collect(),
        ),
        SubmitError::Wizard(e) => e.into(),
    }
}

/// `seconds` after `now_ms`, in milliseconds: a negative wait is none, and a backend's
/// absurd one (`i64::MAX`) saturates instead of overflowing.
fn after_seconds(now_ms: i64, seconds: i64) -> i64 {
    now_ms.saturating_add(seconds.max(0).saturating_mul(1000))
}
