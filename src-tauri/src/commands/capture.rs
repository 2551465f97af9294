//! The camera, the photo and the review: each command adapts the capture desk
//! ([`crate::capture`]) or the journey, and heavy work (opening a device, encoding) runs
//! where it cannot stall the async threads.

use ehraz_client::{Journey, JourneyError, JourneyView};
use ehraz_core::flow::Step;
use ehraz_core::{CaptureTrigger, Challenge, ChallengeKind, MediaType, WizardError};
use ehraz_i18n::Catalog;
use serde::{Deserialize, Serialize};
use tauri::State;
use tauri::ipc::{Channel, InvokeBody, InvokeResponseBody, Request, Response};

use super::under_way;
use crate::capture::{
    CameraOpened, CaptureEvent, Device, Facing, MAX_FEED_SIDE, Pending, PhotoTaken, Prompt,
    PromptRecord, RecordingDone, WEBVIEW_DEVICE, guidance_target,
};
use crate::error::CommandError;
use crate::state::AppState;

/// The cameras and microphones there are.
#[derive(Debug, Clone, Serialize)]
pub struct CaptureDevices {
    /// Cameras, devices first.
    pub cameras: Vec<Device>,
    /// Microphones, devices first.
    pub microphones: Vec<Device>,
}

/// Lists the cameras and microphones; `webview_camera` when the page found a camera of
/// its own (`enumerateDevices`), offered where the device has none nokhwa can open.
#[tauri::command]
pub async fn capture_devices(
    state: State<'_, AppState>,
    webview_camera: Option<bool>,
) -> Result<CaptureDevices, CommandError> {
    let config = &state.config;
    Ok(tokio::task::block_in_place(|| CaptureDevices {
        cameras: crate::capture::cameras(config, webview_camera.unwrap_or(false)),
        microphones: crate::capture::microphones(config),
    }))
}

/// The size of the frames the page will feed the webview's camera.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct FeedSize {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// Opens a camera and starts its preview on `preview` (raw bytes, see
/// `ehraz_capture::preview`); failures later arrive on `events`. The webview's camera
/// (`device` `"webview"`) takes `feed`, the size of the frames the page will send with
/// `camera_feed`, and sends no preview: the page shows its own video.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn camera_open(
    state: State<'_, AppState>,
    device: Option<String>,
    facing: Facing,
    preview_width: u32,
    feed: Option<FeedSize>,
    preview: Channel<InvokeResponseBody>,
    events: Channel<CaptureEvent>,
) -> Result<CameraOpened, CommandError> {
    let target = {
        let guard = state.journey.lock().await;
        match guard.as_ref().and_then(|j| j.current()) {
            Some(Step::Capture { capture, .. }) => Some(guidance_target(*capture)),
            _ => None,
        }
    };
    let send_event = move |event| {
        // A page that went away stops hearing; the camera closes with the step.
        let _ = events.send(event);
    };
    if device.as_deref() == Some(WEBVIEW_DEVICE) {
        let feed = feed.ok_or_else(|| {
            CommandError::new(
                "camera_feed_invalid",
                "the webview's camera needs the size of its frames",
            )
        })?;
        return tokio::task::block_in_place(|| {
            state
                .capture
                .open_webview_camera(facing, target, feed.width, feed.height, send_event)
        });
    }
    tokio::task::block_in_place(|| {
        state.capture.open_camera(
            &state.config,
            device.as_deref(),
            facing,
            target,
            preview_width,
            move |frame| preview.send(InvokeResponseBody::Raw(frame)).is_ok(),
            send_event,
        )
    })
}

/// The headers of a `camera_feed` request.
const FEED_WIDTH: &str = "ehraz-width";
const FEED_HEIGHT: &str = "ehraz-height";
const FEED_FORMAT: &str = "ehraz-format";

/// One frame of the webview's camera, from the page: the request's body is the pixels
/// (raw bytes), its headers `Ehraz-Width`, `Ehraz-Height` (1 to 1920) and
/// `Ehraz-Format` (`rgba`, rows packed: a canvas's `getImageData`). Anything else, or a
/// body that is not exactly that many bytes, is refused (`camera_feed_invalid`); a frame
/// of another size than the camera was opened at is `camera_feed_resized`.
///
/// Tauri carries a raw body as such where the webview's IPC protocol can read request
/// bodies; where it cannot (Android, or any webview after that protocol failed) its
/// postMessage fallback turns the bytes into a JSON array of numbers, which is taken too,
/// each element checked to be a byte.
#[tauri::command]
pub async fn camera_feed(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Result<(), CommandError> {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .ok_or_else(|| feed_invalid(format!("no {name} header")))
    };
    let side = |name: &str| -> Result<u32, CommandError> {
        let value = header(name)?;
        value
            .parse::<u32>()
            .ok()
            .filter(|side| (1..=MAX_FEED_SIDE).contains(side))
            .ok_or_else(|| feed_invalid(format!("{name} {value:?} is not 1 to {MAX_FEED_SIDE}")))
    };
    let (width, height) = (side(FEED_WIDTH)?, side(FEED_HEIGHT)?);
    let pixels = match header(FEED_FORMAT)? {
        "rgba" => ehraz_capture::FedPixels::Rgba,
        other => return Err(feed_invalid(format!("format {other:?}"))),
    };
    let expected = pixels
        .frame_len(width, height)
        .ok_or_else(|| feed_invalid("too large".to_owned()))?;
    let bytes: std::borrow::Cow<'_, [u8]> = match request.body() {
        InvokeBody::Raw(bytes) => bytes.as_slice().into(),
        InvokeBody::Json(serde_json::Value::Array(items)) if items.len() == expected => items
            .iter()
            .map(|item| item.as_u64().and_then(|n| u8::try_from(n).ok()))
            .collect::<Option<Vec<u8>>>()
            .ok_or_else(|| feed_invalid("a JSON body of other things than bytes".to_owned()))?
            .into(),
        InvokeBody::Json(serde_json::Value::Array(items)) => {
            return Err(feed_invalid(format!(
                "{} bytes for a {width}×{height} frame of {expected}",
                items.len()
            )));
        }
        InvokeBody::Json(_) => return Err(feed_invalid("not a frame's bytes".to_owned())),
    };
    tokio::task::block_in_place(|| state.capture.feed(width, height, pixels, &bytes))
}

fn feed_invalid(detail: String) -> CommandError {
    CommandError::new("camera_feed_invalid", detail)
}

/// The page drew preview frame `sequence`.
#[tauri::command]
pub async fn camera_preview_ack(
    state: State<'_, AppState>,
    sequence: u32,
) -> Result<(), CommandError> {
    state.capture.preview_ack(sequence);
    Ok(())
}

/// Stops the camera; nothing if none is open.
#[tauri::command]
pub async fn camera_close(state: State<'_, AppState>) -> Result<(), CommandError> {
    tokio::task::block_in_place(|| state.capture.close_camera());
    Ok(())
}

/// Takes a photo at the camera's full resolution and keeps it for review; `auto` when
/// the guidance's countdown took it rather than the shutter.
#[tauri::command]
pub async fn photo_take(
    state: State<'_, AppState>,
    auto: bool,
) -> Result<PhotoTaken, CommandError> {
    let trigger = if auto {
        CaptureTrigger::Auto
    } else {
        CaptureTrigger::Shutter
    };
    tokio::task::block_in_place(|| state.capture.take_photo(trigger))
}

/// Opens a microphone (by id, else the default, else the file-backed one); its level
/// goes to the camera's events.
#[tauri::command]
pub async fn microphone_open(
    state: State<'_, AppState>,
    device: Option<String>,
) -> Result<Device, CommandError> {
    tokio::task::block_in_place(|| {
        state
            .capture
            .open_microphone(&state.config, device.as_deref())
    })
}

/// Starts recording video and sound; it stops by itself after `limit_seconds`, which the
/// current step's longest duration bounds.
#[tauri::command]
pub async fn recording_start(
    state: State<'_, AppState>,
    limit_seconds: u32,
) -> Result<(), CommandError> {
    let (longest, prompt) = {
        let guard = state.journey.lock().await;
        let journey = guard.as_ref();
        let prompt = match journey.and_then(Journey::challenge) {
            Some(Challenge::Digits { digits, .. }) => Prompt::Digits(digits.len()),
            Some(Challenge::Sentence { .. }) => Prompt::Sentence,
            None => Prompt::None,
        };
        match journey.and_then(Journey::current) {
            Some(Step::Capture {
                duration_seconds: Some(range),
                ..
            }) => (range.max, prompt),
            _ => {
                return Err(CommandError::new(
                    "wizard-wrong-step",
                    "the current step records no video",
                ));
            }
        }
    };
    let limit =
        std::time::Duration::from_secs(u64::from(limit_seconds.clamp(1, u32::from(longest))));
    state.capture.start_recording(limit, prompt)
}

/// Stops the recording and keeps its MP4 and WAV for review.
#[tauri::command]
pub async fn recording_stop(state: State<'_, AppState>) -> Result<RecordingDone, CommandError> {
    tokio::task::block_in_place(|| state.capture.stop_recording())
}

/// A JPEG, at most `max_width` wide, of what waits for review.
#[tauri::command]
pub async fn capture_review_image(
    state: State<'_, AppState>,
    max_width: u32,
) -> Result<Response, CommandError> {
    tokio::task::block_in_place(|| state.capture.review_image(max_width)).map(Response::new)
}

/// Throws away what waits for review (retake).
#[tauri::command]
pub async fn capture_discard(state: State<'_, AppState>) -> Result<(), CommandError> {
    state.capture.discard();
    Ok(())
}

/// Draws a new liveness challenge for the current video step, of its own kind or of
/// `kind` where the step offers that as its alternative, and records it in the journey
/// (and so in the manifest).
#[tauri::command]
pub async fn challenge_draw(
    state: State<'_, AppState>,
    kind: Option<ChallengeKind>,
) -> Result<Challenge, CommandError> {
    let mut guard = state.journey.lock().await;
    let journey = under_way(&mut guard)?;
    let Some(
        step @ Step::Capture {
            challenge: Some(own),
            ..
        },
    ) = journey.current()
    else {
        return Err(CommandError::new(
            "wizard-wrong-step",
            "the current step has no challenge",
        ));
    };
    let kind = kind.unwrap_or(*own);
    if !step.accepts_challenge(kind) {
        return Err(JourneyError::from(WizardError::ChallengeMismatch).into());
    }
    let random = rand::random::<u64>();
    let challenge = match kind {
        ChallengeKind::Digits => Challenge::draw_digits(random),
        ChallengeKind::Sentence => {
            let catalog = Catalog::new(state.config.locale)
                .map_err(|e| CommandError::new("unknown", e.to_string()))?;
            Challenge::draw_sentence(random, |id| catalog.message(id, &[]))
        }
    };
    journey.record_challenge(challenge.clone())?;
    Ok(challenge)
}

/// Attaches what waits for review to the current step, encrypted in the outbox, moves on
/// and closes the camera. If it cannot be attached, it still waits for review.
#[tauri::command]
pub async fn capture_accept(state: State<'_, AppState>) -> Result<JourneyView, CommandError> {
    let mut guard = state.journey.lock().await;
    let journey = under_way(&mut guard)?;
    let pending = state.capture.take_pending()?;
    let attached = match &pending {
        Pending::Photo { jpeg, .. } => journey.attach(MediaType::ImageJpeg, jpeg),
        Pending::Video {
            mp4, wav, prompt, ..
        } => journey
            .attach(MediaType::VideoMp4, mp4)
            .and_then(|()| journey.attach(MediaType::AudioWav, wav))
            .and_then(|()| match journey.challenge().cloned() {
                Some(shown) => journey.record_challenge(prompted(shown, prompt)),
                None => Ok(()),
            }),
    };
    let attached = attached.and_then(|()| match pending.checks() {
        Some(checks) => journey.record_checks(checks.clone()),
        None => Ok(()),
    });
    if let Err(error) = attached.and_then(|()| journey.advance()) {
        state.capture.put_back(pending);
        return Err(error.into());
    }
    let view = journey.view();
    drop(guard);
    tokio::task::block_in_place(|| state.capture.close_camera());
    Ok(view)
}

/// The challenge as shown, with what the recording found: when each digit appeared, or
/// how much speech was heard while the sentence was on screen.
fn prompted(shown: Challenge, prompt: &PromptRecord) -> Challenge {
    match shown {
        Challenge::Digits { digits, .. } => Challenge::Digits {
            // All digits or none: a recording stopped before the last one has no times.
            shown_at_ms: if prompt.digits_shown_at_ms.len() == digits.len() {
                prompt.digits_shown_at_ms.clone()
            } else {
                Vec::new()
            },
            digits,
        },
        Challenge::Sentence {
            sentence_id, text, ..
        } => Challenge::Sentence {
            sentence_id,
            text,
            speech_ms: Some(prompt.speech_ms),
        },
    }
}
