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
  /** The code sent for the current one-time-code step, if one was sent. */
  code: CodeState | null;
  /** Whether there is a shown step before the current one. */
  can_go_back: boolean;
  /** Whether the submission was handed to the outbox (the wizard is finished and sent). */
  submitted: boolean;
}

export interface AppInfo {
  version: string;
  locale: 'fa' | 'en';
  kiosk: boolean;
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
}
