// The contract between the UI and the Rust shell (src-tauri). Every call the UI makes
// goes through a `Backend`; `tauri.ts` implements it with Tauri commands, `double.ts`
// with an in-memory reference backend for UI tests. Field names are as Rust serialises
// them (snake_case), and the flow shapes are ehraz-core's flow documents as they are.

export type FieldKind =
  | 'mobile'
  | 'national-code'
  | 'sejam-tracking-code'
  | 'card-serial'
  | 'card-receipt-code'
  | 'birth-date'
  | 'postal-code'
  | 'landline'
  | 'bank-card'
  | 'address'
  | 'choice'
  | 'consent';

/** Shown only when the choice field `field` is answered `equals`. */
export interface Condition {
  field: string;
  equals: string;
}

export interface Field {
  id: string;
  kind: FieldKind;
  when?: Condition;
  options?: string[];
}

export type ChallengeKind = 'digits' | 'sentence';

export type Step =
  | { kind: 'form'; id: string; when?: Condition; fields: Field[] }
  | { kind: 'one-time-code'; id: string; when?: Condition; code_length: number; verifies: string[] }
  | {
      kind: 'capture';
      id: string;
      when?: Condition;
      capture: string;
      rules: string[];
      challenge?: ChallengeKind;
      /** Offered instead of `challenge` to people who cannot do it (cannot read or speak). */
      alternative_challenge?: ChallengeKind;
      duration_seconds?: { min: number; max: number };
    }
  | { kind: 'review'; id: string; when?: Condition }
  | { kind: 'commitments'; id: string; when?: Condition; fields: Field[] };

export interface Flow {
  schema: number;
  id: string;
  version: number;
  steps: Step[];
}

/** A one-time code on its way, with absolute times (Unix milliseconds). */
export interface CodeState {
  step: string;
  code_length: number;
  sent_to: string;
  expires_at_ms: number;
  resend_at_ms: number;
}

/** Where the person is. */
export interface WizardView {
  flow: Flow;
  /** Id of the current step; null once every step is done (ready to submit). */
  position: string | null;
  /** Ids of the steps the current answers show, in order. */
  shown: string[];
  /** "Step k of n". */
  progress: { number: number; total: number };
  /** Stored answers (normalised: ASCII digits) of every field answered so far. */
  answers: Record<string, string>;
  /** Ids of the one-time-code steps whose code the backend accepted. */
  verified: string[];
  /** Ids of the capture steps whose photo, or video with its sound, is attached. */
  captured: string[];
  /** The code sent for the current one-time-code step, if one was sent. */
  code: CodeState | null;
  /** Whether there is a shown step before the current one. */
  can_go_back: boolean;
  /** Whether the submission was handed to the outbox (the wizard is finished and sent). */
  submitted: boolean;
}

/** A kiosk's timings, in seconds. */
export interface KioskTiming {
  /** Without a touch, click or key this long, the kiosk asks "are you still there?". */
  idle_seconds: number;
  /** The question counts down this long, then everything of the person is wiped. */
  warning_seconds: number;
  /** After a submission, the status screen stays this long before the kiosk resets. */
  done_seconds: number;
}

export interface AppInfo {
  version: string;
  locale: 'fa' | 'en';
  kiosk: boolean;
  /** The kiosk's timings; null off kiosk mode. */
  kiosk_timing: KioskTiming | null;
  backend_url: string;
  /** Bundled flow ids: 'sejam', 'exchange'. */
  flows: string[];
}

/** One refused field: its id and the Fluent id of the reason (e.g. `national-code-checksum`). */
export interface FieldProblem {
  field: string;
  code: string;
}

/**
 * Every failure of a call. `code` is stable and maps to a Fluent message: the UI shows
 * `error-<code>` if the catalog has it, else `<code>` itself (wizard-* ids), else
 * `error-unknown`. `detail` is for logs and developers, never shown as the message.
 */
export interface CommandError {
  code: string;
  detail: string;
  /** For `invalid_answers`: which fields, and why. A code step uses field `code`. */
  fields?: FieldProblem[];
  /** For `rate_limited`: seconds to wait. */
  retry_after_seconds?: number;
  /** For `code_wrong`: tries left. */
  attempts_left?: number;
}

/** Upload progress while submitting. */
export interface SendProgress {
  step: string;
  media_type: string;
  sent: number;
  total: number;
  /** Bytes of every artifact, and of all sent so far. */
  all_sent: number;
  all_total: number;
}

export type StatusKind = 'open' | 'pending' | 'needs-resubmission' | 'approved' | 'rejected';

export interface Status {
  status: StatusKind;
  /** The operator's reasons: item (a step or field id) and a reason code (e.g. `photo-blurred`). */
  reasons: { item: string; reason: string }[];
  /** Unix seconds. */
  updated_at: number;
}


// ---- Capture -------------------------------------------------------------------------
// The camera, microphone and recorder run in Rust. The UI gets preview frames over a
// channel of raw bytes, draws them to a canvas, and never holds full-resolution media:
// after a shot or a recording it asks for a review image at screen size.

export type Facing = 'front' | 'back';

export interface CameraDevice {
  /** Stable id to open it by. */
  id: string;
  /** Its name for people (as the system gives it). */
  name: string;
  /** Which way it faces, when the system says. */
  facing: Facing | null;
  /** A file-backed camera (demo, tests, machines without a camera). */
  file: boolean;
}

export interface MicrophoneDevice {
  id: string;
  name: string;
  file: boolean;
}

export interface CaptureDevices {
  cameras: CameraDevice[];
  microphones: MicrophoneDevice[];
}

/** What a camera opened as. */
export interface CameraOpened {
  device: CameraDevice;
  /** Full resolution of its frames (what a photo is taken at). */
  width: number;
  height: number;
  /** Frames per second it runs at. */
  frame_rate: number;
}

/**
 * One preview frame, as it arrives on the preview channel (an ArrayBuffer):
 * bytes 0..4  sequence number, u32 little-endian;
 * bytes 4..6  width, u16 LE; bytes 6..8 height, u16 LE;
 * byte 8      format: 0 = JPEG, 1 = RGBA (width*height*4 bytes);
 * bytes 9..12 reserved (0);
 * bytes 12..  the picture.
 * The UI acknowledges each drawn frame with `previewAck(sequence)`; Rust keeps at most
 * two frames unacknowledged and skips to the newest, so a slow page never builds a queue.
 */
export const PREVIEW_HEADER_BYTES = 12;

/** Events of an open camera, microphone or recording (the events channel). */
export type CaptureEvent =
  /** The camera stopped giving frames; `code` is a CommandError code (camera_*). */
  | { kind: 'camera-failed'; code: string }
  /** The microphone's level, about 15 times a second: RMS and peak in 0..1 (linear). */
  | { kind: 'level'; rms: number; peak: number }
  /** The microphone stopped; `code` is a CommandError code (microphone_*). */
  | { kind: 'microphone-failed'; code: string }
  /** A recording's progress. */
  | { kind: 'recording'; elapsed_ms: number; limit_ms: number }
  /** A recording reached its limit and stopped by itself; call `recordingStop` for it. */
  | { kind: 'recording-limit' }
  /**
   * Live guidance for the open camera, at least 10 times a second, already smoothed
   * (a message holds until another has lasted a moment). `code` names the Fluent message
   * `guidance-<code>`; `ready` is true once every check has passed for a steady moment,
   * and a photo step then counts down and takes the photo by itself.
   */
  | { kind: 'guidance'; code: GuidanceCode; ready: boolean }
  /**
   * While recording a digits challenge: digit `index` (from 0) is to be shown from now,
   * `elapsed_ms` into the recording; the previous one is no longer shown.
   */
  | { kind: 'challenge-digit'; index: number; elapsed_ms: number }
  /** While recording: whether speech is heard now, and how much has been heard so far. */
  | { kind: 'voice'; speaking: boolean; speech_ms: number };

/** What the guidance says; each is the Fluent message `guidance-<code>` (fa and en). */
export type GuidanceCode =
  | 'ready'
  | 'too-dark'
  | 'too-bright'
  | 'backlit'
  | 'blurry'
  | 'moving'
  | 'no-face'
  | 'many-faces'
  | 'face-off-centre'
  | 'face-too-small'
  | 'face-too-large'
  | 'face-turned'
  | 'background-not-white'
  | 'no-paper'
  | 'no-strokes'
  | 'strokes-too-small'
  | 'no-card'
  | 'glare';

/**
 * Digits are shown one at a time while recording: the first `first_ms` into the
 * recording, then one every `every_ms`; stopping is allowed once the last has been
 * shown for `every_ms` (and the step's minimum has passed).
 */
export const DIGIT_FIRST_MS = 1000;
export const DIGIT_EVERY_MS = 2500;

/** The liveness challenge drawn for the current video step (already in the manifest). */
export type DrawnChallenge =
  | { kind: 'digits'; digits: number[] }
  | { kind: 'sentence'; sentence_id: string; text: string };

/** A photo taken and waiting for the person's review (kept in Rust until accepted). */
export interface PhotoTaken {
  width: number;
  height: number;
  /** Size of the JPEG that will be uploaded. */
  bytes: number;
}

/** A recording finished and waiting for review. */
export interface RecordingDone {
  duration_ms: number;
  frames: number;
  /** Frames the encoder could not keep up with. */
  dropped: number;
  /** Sizes of the MP4 and the WAV that will be uploaded. */
  video_bytes: number;
  audio_bytes: number;
  /** Whether the microphone heard anything above silence while recording. */
  heard_sound: boolean;
  /** How long speech was heard (voice activity detection) while recording. */
  speech_ms: number;
  /**
   * For a sentence challenge: whether enough speech was heard while the sentence was on
   * screen. When false the person is asked to record again (or to take the digits
   * challenge instead, where the step offers it). Always true for digits.
   */
  speech_heard: boolean;
}

export interface CaptureBackend {
  /**
   * Cameras and microphones there are. `webviewCamera`: the page itself finds a camera
   * (see WEBVIEW_CAMERA below); it is listed where the device has none of Rust's own.
   */
  devices(webviewCamera?: boolean): Promise<CaptureDevices>;
  /**
   * Opens a camera (by id, else the first facing `facing`, else the first) and starts
   * preview frames at about `previewWidth` wide. Errors: camera_missing, camera_busy,
   * camera_denied, camera_failed. The webview's camera (`device: WEBVIEW_CAMERA`) needs
   * `feed`, the size of the frames `feedFrame` will send, and sends no preview frames.
   */
  openCamera(
    options: { device?: string; facing: Facing; previewWidth: number; feed?: FeedSize },
    onFrame: (frame: ArrayBuffer) => void,
    onEvent: (event: CaptureEvent) => void,
  ): Promise<CameraOpened>;
  /**
   * One frame of the webview's camera: `width`×`height` RGBA, rows packed (a canvas's
   * getImageData), sent as raw bytes. Errors: camera_not_open, camera_feed_invalid,
   * camera_feed_resized (open the camera again at the new size).
   */
  feedFrame(width: number, height: number, pixels: ArrayBuffer): Promise<void>;
  previewAck(sequence: number): Promise<void>;
  /** Stops the camera (and microphone, and any recording). Safe to call when closed. */
  closeCamera(): Promise<void>;
  /**
   * Opens a microphone (by id, else the default) and sends `level` events on the camera's
   * events channel. Errors: microphone_missing, microphone_busy, microphone_denied,
   * microphone_failed.
   */
  openMicrophone(options: { device?: string }): Promise<MicrophoneDevice>;
  /**
   * Takes a photo from the newest frame at full resolution; `auto` when the guidance's
   * countdown took it rather than the shutter. The checks at that moment go into the
   * manifest. Errors: camera_not_open, no_frame.
   */
  takePhoto(options: { auto: boolean }): Promise<PhotoTaken>;
  /**
   * Draws a new challenge for the current video step and records it: of the step's
   * `challenge` kind, or of its `alternative_challenge` when `kind` names that.
   */
  drawChallenge(kind?: ChallengeKind): Promise<DrawnChallenge>;
  /** Starts recording video and sound; it stops by itself at `limitSeconds`. */
  recordingStart(limitSeconds: number): Promise<void>;
  /** Stops the recording (early, or after `recording-limit`) and encodes it. */
  recordingStop(): Promise<RecordingDone>;
  /** A JPEG, at most `maxWidth` wide, of what waits for review (the photo, or the video's first frame). */
  reviewImage(maxWidth: number): Promise<ArrayBuffer>;
  /** Throws away what waits for review (retake / redo). */
  discard(): Promise<void>;
  /** Attaches what waits for review to the current step, encrypted in the outbox, and moves on. */
  accept(): Promise<WizardView>;
}

/** Everything the UI asks of the app. Each call rejects with a `CommandError`. */
export interface Backend {
  appInfo(): Promise<AppInfo>;
  /** The first screen is drawn and can be used: the app shows its window (it starts hidden). */
  ready(): Promise<void>;
  /** The saved wizard, if the app was closed mid-flow; null if there is none. */
  resume(): Promise<WizardView | null>;
  /** Starts a session for a flow at the backend and a new wizard. */
  start(flow: string): Promise<WizardView>;
  /** Answers the current form or commitments step (raw input; any digit script). */
  submitForm(values: Record<string, string>): Promise<WizardView>;
  /** Sends (or re-sends) the current one-time-code step's code. */
  sendCode(): Promise<WizardView>;
  /** Checks a code for the current step; moves on when the backend accepts it. */
  verifyCode(code: string): Promise<WizardView>;
  /** Moves on from a step with nothing to submit (review). */
  advance(): Promise<WizardView>;
  back(): Promise<WizardView>;
  /** Returns to an earlier shown step (from the review). */
  goTo(step: string): Promise<WizardView>;
  /** Hands the finished wizard to the outbox and uploads it; progress as it goes. */
  submit(onProgress: (p: SendProgress) => void): Promise<Status>;
  /** The submitted session's status at the backend. */
  status(): Promise<Status>;
  /** Wipes the saved wizard and everything of its session on this device. */
  startOver(): Promise<void>;
  /** The camera, microphone and recorder. */
  capture: CaptureBackend;
  /** Kiosk mode's calls (refused with `kiosk_off` elsewhere). */
  kiosk: KioskBackend;
}

/** A kiosk in a branch: wiping the person, and the operator leaving. */
export interface KioskBackend {
  /**
   * Wipes everything of the person at the kiosk (the journey, saved data, receipts,
   * the webview's storage); the page then reloads to the welcome screen.
   */
  reset(): Promise<void>;
  /**
   * The operator leaves kiosk mode with the PIN set at install time: the app wipes and
   * quits. Refused with `kiosk_pin_wrong` (`attempts_left`) or `kiosk_locked_out`
   * (`retry_after_seconds`).
   */
  leave(pin: string): Promise<void>;
}

// ---- The webview's own camera --------------------------------------------------------
// Phones have no camera backend in Rust: there (and on a desktop where only the webview
// finds a camera) the page captures with getUserMedia, shows its own <video> as the
// preview, and feeds frames to Rust as raw bytes, so the same guidance, photo and
// recorder run on them. See lib/capture/webview-camera.ts.

/** The id of the webview's own camera in `CaptureDevices.cameras`. */
export const WEBVIEW_CAMERA = 'webview';

/** The largest side of a fed frame, in pixels (Rust refuses more). */
export const MAX_FEED_SIDE = 1920;

/** The size of the frames the webview's camera feeds. */
export interface FeedSize {
  width: number;
  height: number;
}
