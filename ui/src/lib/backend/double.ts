// The test double: an in-memory reference backend behind the same `Backend` interface,
// used when the UI runs outside Tauri (UI tests, development in a browser). It follows
// ehraz-core's wizard (wizard.rs) and validators (rules.ts is their port) closely enough
// that UI tests mean something, keeps its state in localStorage so a reload resumes, and
// lets tests steer it through `window.__ehrazDouble`. Never selected inside Tauri.

import type {
  AppInfo,
  Backend,
  CodeState,
  CommandError,
  Condition,
  DrawnChallenge,
  FieldProblem,
  KioskTiming,
  Flow,
  SendProgress,
  Status,
  Step,
  WizardView,
} from './types';
import { BUNDLED_FLOWS } from './flows';
import { FieldRefusal, parseField, parseOneTimeCode, todayInTehran } from './rules';
import { DoubleCapture } from './double-capture';

const STORAGE_KEY = 'ehraz.double.v1';
const RESEND_AFTER_MS = 60_000;
const EXPIRES_AFTER_MS = 120_000;
const MAX_TRIES = 5;

interface SentCode extends CodeState {
  code: string;
  tries: number;
}

interface State {
  flowId: string;
  /** Index of the current step, or -1 when finished. */
  position: number;
  answers: Record<string, string>;
  /** Step id → the values of its `verifies` fields when its code was accepted. */
  verifications: Record<string, string[]>;
  /** Capture steps with their media attached (accepted from the capture double, or driven). */
  captured: string[];
  /** The liveness challenge recorded for each video step (absent in states saved before it). */
  challenges?: Record<string, DrawnChallenge>;
  code: SentCode | null;
  sends: number;
  submitted: boolean;
  status: Status;
}

/** Changes to a bundled step, by flow and step id (a backend may serve its own flows). */
type Amendments = Record<string, Record<string, Record<string, unknown>>>;

interface Persisted {
  state: State | null;
  lastCode: string | null;
  locale: 'fa' | 'en';
  /** The flows served differ from the bundled ones in these steps (absent: none). */
  amendments?: Amendments;
  /** Kiosk mode, as set by `setKiosk` (absent: off). */
  kiosk?: DoubleKiosk;
}

/** The double's kiosk: its timings, the operator's PIN and what happened to it. */
interface DoubleKiosk {
  timing: KioskTiming;
  pin: string;
  failures: number;
  lockedUntilMs: number;
  resets: number;
  operatorLeft: boolean;
}

type Failure = Omit<CommandError, 'detail'> & { detail?: string };

function fail(code: string, extra: Partial<CommandError> = {}): never {
  throw { code, detail: `test double: ${code}`, ...extra } satisfies CommandError;
}

const holds = (when: Condition | undefined, answers: Record<string, string>) =>
  !when || answers[when.field] === when.equals;

function shownIndices(flow: Flow, answers: Record<string, string>): number[] {
  return flow.steps.flatMap((s, i) => (holds(s.when, answers) ? [i] : []));
}

function stepFields(step: Step) {
  return step.kind === 'form' || step.kind === 'commitments' ? step.fields : [];
}

function maskMobile(mobile: string): string {
  return mobile.length === 11 ? `${mobile.slice(0, 4)}***${mobile.slice(7)}` : '09*********';
}

/** localStorage key of a failure for the first calls after a reload (see the constructor). */
const EARLY_FAILURE_KEY = 'ehraz.double.early-failure';

export class DoubleBackend implements Backend {
  private persisted: Persisted;
  private failures: { failure: Failure; call?: string }[] = [];
  /** Milliseconds between submit progress events. */
  submitStepMs = 120;
  /** The camera, microphone and recorder; tests steer it with `capture.set(…)` and friends. */
  readonly capture: DoubleCapture;

  constructor() {
    this.persisted = this.load();
    this.capture = new DoubleCapture({
      captureStep: () => {
        const step = this.persisted.state && !this.persisted.state.submitted ? this.current() : null;
        return step?.kind === 'capture' ? step : null;
      },
      recordChallenge: (step, challenge) => {
        const state = this.open();
        state.challenges = { ...state.challenges, [step]: challenge };
        this.save();
      },
      hasChallenge: (step) => this.session().challenges?.[step] !== undefined,
      attach: (step) => {
        const state = this.open();
        if (!state.captured.includes(step)) state.captured.push(step);
        this.advanceFrom(state);
        this.save();
        return this.view();
      },
    });
    // A failure for the very first calls, which run before a test can reach the page:
    // set by a test, then the page is reloaded.
    const early = localStorage.getItem(EARLY_FAILURE_KEY);
    if (early) {
      localStorage.removeItem(EARLY_FAILURE_KEY);
      const { failure, call } = JSON.parse(early) as { failure: Failure; call?: keyof Backend };
      this.failNext(failure, call);
    }
  }

  // ---- test controls (window.__ehrazDouble) ----

  /** The code of the last one-time code "sent". */
  lastCode(): string | null {
    return this.persisted.lastCode;
  }

  /**
   * The next call (or the next call of the `call` method, e.g. `sendCode`) fails with
   * this error. Failures queue up, one per call.
   */
  failNext(failure: Failure, call?: keyof Backend): void {
    this.failures.push({ failure, call });
  }

  setLocale(locale: 'fa' | 'en'): void {
    this.persisted.locale = locale;
    this.save();
  }

  /** The operator's decision, as the backend would report it. */
  setStatus(status: Status['status'], reasons: Status['reasons'] = []): void {
    const state = this.session();
    state.status = { status, reasons, updated_at: Math.floor(Date.now() / 1000) };
    this.save();
  }

  /** Moves the code's clock: the code has expired. */
  expireCode(): void {
    const code = this.session().code;
    if (code) code.expires_at_ms = Date.now() - 1;
    this.save();
  }

  /** Moves the code's clock: a new code may be asked for now. */
  allowResend(): void {
    const code = this.session().code;
    if (code) code.resend_at_ms = Date.now() - 1;
    this.save();
  }

  /**
   * Puts a session of `flow` at `step` (a step id, or null for finished) with `answers`
   * (normalised) and every shown step before it complete, as if the person had done it;
   * `submitted` for a handed-in session. What a camera would have taken is marked taken.
   */
  drive(flowId: string, step: string | null, answers: Record<string, string>, submitted = false): void {
    const flow = this.flow(flowId);
    const shown = shownIndices(flow, answers);
    const target = step === null ? -1 : flow.steps.findIndex((s) => s.id === step);
    if (step !== null && !shown.includes(target)) throw new Error(`step ${step} is not shown`);
    const state = this.fresh(flowId);
    state.answers = { ...answers };
    state.position = target;
    for (const i of shown) {
      if (target !== -1 && i >= target) break;
      const s = flow.steps[i];
      if (s.kind === 'one-time-code') state.verifications[s.id] = s.verifies.map((f) => answers[f] ?? '');
      if (s.kind === 'capture') state.captured.push(s.id);
      if (s.kind === 'capture' && s.challenge === 'digits') {
        state.challenges = { ...state.challenges, [s.id]: { kind: 'digits', digits: [3, 1, 4, 2] } };
      }
      if (s.kind === 'capture' && s.challenge === 'sentence') {
        state.challenges = {
          ...state.challenges,
          [s.id]: { kind: 'sentence', sentence_id: 'double-1', text: 'جمله‌ی خوانده‌شده' },
        };
      }
    }
    state.submitted = submitted;
    if (submitted) state.status = { status: 'pending', reasons: [], updated_at: Math.floor(Date.now() / 1000) };
    this.persisted.state = state;
    this.save();
  }

  /**
   * Serves flow `flowId` with step `stepId` changed, as a backend serving its own flows
   * would: e.g. `amendStep('exchange', 'video', { alternative_challenge: 'digits' })`.
   * Kept across reloads until `reset`.
   */
  amendStep(flowId: string, stepId: string, changes: Record<string, unknown>): void {
    const flow = this.flow(flowId);
    if (!flow.steps.some((s) => s.id === stepId)) throw new Error(`no step ${stepId} in ${flowId}`);
    const amendments = this.persisted.amendments ?? {};
    amendments[flowId] = { ...amendments[flowId], [stepId]: { ...amendments[flowId]?.[stepId], ...changes } };
    this.persisted.amendments = amendments;
    this.save();
  }

  /**
   * Kiosk mode on with `timing` and the operator's `pin` (kept across reloads), or off
   * with null.
   */
  setKiosk(timing: KioskTiming | null, pin = '246813'): void {
    this.persisted.kiosk = timing ? { timing, pin, failures: 0, lockedUntilMs: 0, resets: 0, operatorLeft: false } : undefined;
    this.save();
  }

  /** How many times the kiosk was reset, and whether the operator left it. */
  kioskReport(): { resets: number; operatorLeft: boolean } | null {
    const kiosk = this.persisted.kiosk;
    return kiosk ? { resets: kiosk.resets, operatorLeft: kiosk.operatorLeft } : null;
  }

  /** Forgets everything, as a fresh install. */
  reset(): void {
    this.persisted = { state: null, lastCode: null, locale: this.persisted.locale };
    this.failures = [];
    void this.capture.closeCamera();
    this.capture.resetConditions();
    this.save();
  }

  // ---- Backend ----

  async ready(): Promise<void> {
    // Nothing to show: the page is the window.
  }

  async appInfo(): Promise<AppInfo> {
    this.injected('appInfo');
    return {
      version: '0.1.0-double',
      locale: this.persisted.locale,
      kiosk: this.persisted.kiosk !== undefined,
      kiosk_timing: this.persisted.kiosk?.timing ?? null,
      backend_url: 'http://127.0.0.1:0/double',
      flows: Object.keys(BUNDLED_FLOWS),
    };
  }

  async resume(): Promise<WizardView | null> {
    this.injected('resume');
    return this.persisted.state ? this.view() : null;
  }

  async start(flowId: string): Promise<WizardView> {
    this.injected('start');
    this.flow(flowId);
    this.persisted.state = this.fresh(flowId);
    this.save();
    return this.view();
  }

  async submitForm(values: Record<string, string>): Promise<WizardView> {
    this.injected('submitForm');
    const state = this.open();
    const step = this.current();
    if (!step || (step.kind !== 'form' && step.kind !== 'commitments')) return fail('wizard-wrong-step');
    const answers = { ...state.answers };
    const problems: FieldProblem[] = [];
    const today = todayInTehran(Date.now());
    for (const field of step.fields) {
      if (!holds(field.when, answers)) {
        delete answers[field.id];
        continue;
      }
      try {
        answers[field.id] = parseField(field, values[field.id] ?? '', today);
      } catch (e) {
        if (!(e instanceof FieldRefusal)) throw e;
        delete answers[field.id];
        problems.push({ field: field.id, code: e.id });
      }
    }
    if (problems.length > 0) return fail('invalid_answers', { fields: problems });
    state.answers = answers;
    this.advanceFrom(state);
    this.save();
    return this.view();
  }

  async sendCode(): Promise<WizardView> {
    this.injected('sendCode');
    const state = this.open();
    const step = this.current();
    if (!step || step.kind !== 'one-time-code') return fail('wizard-wrong-step');
    const now = Date.now();
    if (state.code && state.code.step === step.id && now < state.code.resend_at_ms) {
      return fail('rate_limited', { retry_after_seconds: Math.ceil((state.code.resend_at_ms - now) / 1000) });
    }
    state.sends += 1;
    // Deterministic, different for each send: tests read it with lastCode().
    const code = String(135792468 + state.sends * 11111).slice(-step.code_length);
    const mobile = state.answers['mobile'] ?? '';
    state.code = {
      step: step.id,
      code_length: step.code_length,
      sent_to: maskMobile(mobile),
      expires_at_ms: now + EXPIRES_AFTER_MS,
      resend_at_ms: now + RESEND_AFTER_MS,
      code,
      tries: 0,
    };
    this.persisted.lastCode = code;
    this.save();
    return this.view();
  }

  async verifyCode(raw: string): Promise<WizardView> {
    this.injected('verifyCode');
    const state = this.open();
    const step = this.current();
    if (!step || step.kind !== 'one-time-code') return fail('wizard-wrong-step');
    let code: string;
    try {
      code = parseOneTimeCode(raw, step.code_length);
    } catch (e) {
      if (!(e instanceof FieldRefusal)) throw e;
      return fail('invalid_answers', { fields: [{ field: 'code', code: e.id }] });
    }
    const sent = state.code;
    if (!sent || sent.step !== step.id) return fail('code_not_sent');
    if (sent.tries >= MAX_TRIES) return fail('code_attempts_exhausted');
    if (Date.now() > sent.expires_at_ms) return fail('code_expired');
    if (code !== sent.code) {
      sent.tries += 1;
      this.save();
      if (sent.tries >= MAX_TRIES) return fail('code_attempts_exhausted');
      return fail('code_wrong', { attempts_left: MAX_TRIES - sent.tries });
    }
    state.verifications[step.id] = step.verifies.map((f) => state.answers[f] ?? '');
    state.code = null;
    this.advanceFrom(state);
    this.save();
    return this.view();
  }

  async advance(): Promise<WizardView> {
    this.injected('advance');
    const state = this.open();
    this.advanceFrom(state);
    this.save();
    return this.view();
  }

  async back(): Promise<WizardView> {
    this.injected('back');
    const state = this.open();
    const flow = this.flow(state.flowId);
    const before = state.position === -1 ? flow.steps.length : state.position;
    const previous = shownIndices(flow, state.answers).filter((i) => i < before);
    if (previous.length === 0) return fail('wizard-at-first-step');
    this.moveTo(state, previous[previous.length - 1]);
    this.save();
    return this.view();
  }

  async goTo(stepId: string): Promise<WizardView> {
    this.injected('goTo');
    const state = this.open();
    const flow = this.flow(state.flowId);
    const target = shownIndices(flow, state.answers).find((i) => flow.steps[i].id === stepId);
    if (target === undefined) return fail('wizard-unknown-step');
    if (state.position !== -1 && target > state.position) return fail('wizard-not-reached');
    this.moveTo(state, target);
    this.save();
    return this.view();
  }

  async submit(onProgress: (p: SendProgress) => void): Promise<Status> {
    const failure = this.takeFailure('submit');
    const state = this.session();
    if (state.submitted) return fail('already_submitted');
    if (state.position !== -1) return fail('not_finished');
    const flow = this.flow(state.flowId);
    const items = [
      { step: 'manifest', media_type: 'application/json', total: 4_096 },
      ...state.captured.flatMap((id) => {
        const step = flow.steps.find((s) => s.id === id);
        return step?.kind === 'capture' && step.capture.endsWith('video')
          ? [
              { step: id, media_type: 'video/mp4', total: 2_800_000 },
              { step: id, media_type: 'audio/wav', total: 640_000 },
            ]
          : [{ step: id, media_type: 'image/jpeg', total: 420_000 }];
      }),
    ];
    const allTotal = items.reduce((n, i) => n + i.total, 0);
    let allSent = 0;
    const ticks = 4;
    for (const item of items) {
      for (let k = 1; k <= ticks; k += 1) {
        await new Promise((r) => setTimeout(r, this.submitStepMs));
        const sent = Math.round((item.total * k) / ticks);
        onProgress({
          step: item.step,
          media_type: item.media_type,
          sent,
          total: item.total,
          all_sent: allSent + sent,
          all_total: allTotal,
        });
        // An injected failure strikes half-way, as a dropped link would.
        if (failure && allSent + sent >= allTotal / 2) {
          throw { detail: `test double: ${failure.code}`, ...failure } satisfies CommandError;
        }
      }
      allSent += item.total;
    }
    state.submitted = true;
    state.status = { status: 'pending', reasons: [], updated_at: Math.floor(Date.now() / 1000) };
    this.save();
    return state.status;
  }

  async status(): Promise<Status> {
    this.injected('status');
    const state = this.session();
    if (!state.submitted) return { status: 'open', reasons: [], updated_at: state.status.updated_at };
    return state.status;
  }

  async startOver(): Promise<void> {
    this.injected('startOver');
    await this.capture.closeCamera();
    await this.capture.discard();
    this.persisted.state = null;
    this.persisted.lastCode = null;
    this.save();
  }

  // ---- kiosk mode (commands/kiosk.rs, kiosk.rs) ----

  readonly kiosk = {
    reset: async (): Promise<void> => {
      this.injected('kiosk');
      const kiosk = this.persisted.kiosk ?? fail('kiosk_off');
      await this.startOver();
      kiosk.resets += 1;
      this.save();
    },
    leave: async (pin: string): Promise<void> => {
      this.injected('kiosk');
      const kiosk = this.persisted.kiosk ?? fail('kiosk_off');
      const now = Date.now();
      if (now < kiosk.lockedUntilMs) {
        fail('kiosk_locked_out', { retry_after_seconds: Math.max(1, Math.ceil((kiosk.lockedUntilMs - now) / 1000)) });
      }
      if (pin.replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d))) === kiosk.pin) {
        kiosk.failures = 0;
        await this.startOver();
        kiosk.operatorLeft = true;
        this.save();
        return;
      }
      kiosk.failures += 1;
      if (kiosk.failures < 5) {
        this.save();
        fail('kiosk_pin_wrong', { attempts_left: 5 - kiosk.failures });
      }
      const seconds = Math.min(3600, 60 * 2 ** Math.min(6, kiosk.failures - 5));
      kiosk.lockedUntilMs = now + seconds * 1000;
      this.save();
      fail('kiosk_locked_out', { retry_after_seconds: seconds });
    },
  };

  // ---- the wizard (wizard.rs) ----

  private fresh(flowId: string): State {
    return {
      flowId,
      position: 0,
      answers: {},
      verifications: {},
      captured: [],
      challenges: {},
      code: null,
      sends: 0,
      submitted: false,
      status: { status: 'open', reasons: [], updated_at: Math.floor(Date.now() / 1000) },
    };
  }

  private flow(id: string): Flow {
    const flow = BUNDLED_FLOWS[id];
    if (!flow) return fail('flow_unknown');
    const amended = this.persisted.amendments?.[id];
    if (!amended) return flow;
    return { ...flow, steps: flow.steps.map((s) => (amended[s.id] ? ({ ...s, ...amended[s.id] } as Step) : s)) };
  }

  private session(): State {
    const state = this.persisted.state;
    if (!state) return fail('no_session');
    return state;
  }

  /** A session still being filled in. */
  private open(): State {
    const state = this.session();
    if (state.submitted) return fail('session_closed');
    return state;
  }

  private current(): Step | null {
    const state = this.session();
    return state.position === -1 ? null : this.flow(state.flowId).steps[state.position];
  }

  private takeFailure(call: keyof Backend): Failure | undefined {
    const i = this.failures.findIndex((f) => f.call === undefined || f.call === call);
    return i === -1 ? undefined : this.failures.splice(i, 1)[0].failure;
  }

  private injected(call: keyof Backend): void {
    const failure = this.takeFailure(call);
    if (failure) throw { detail: `test double: ${failure.code}`, ...failure } satisfies CommandError;
  }

  private moveTo(state: State, index: number): void {
    state.position = index;
    if (state.code && state.code.step !== this.flow(state.flowId).steps[index].id) state.code = null;
  }

  private stepComplete(state: State, index: number): void {
    const step = this.flow(state.flowId).steps[index];
    switch (step.kind) {
      case 'form':
      case 'commitments':
        if (!step.fields.filter((f) => holds(f.when, state.answers)).every((f) => f.id in state.answers)) {
          fail('wizard-fields-missing');
        }
        return;
      case 'one-time-code': {
        const proved = state.verifications[step.id];
        const now = step.verifies.map((f) => state.answers[f] ?? '');
        if (!proved || proved.join('\u0000') !== now.join('\u0000')) fail('wizard-not-verified');
        return;
      }
      case 'capture':
        if (!state.captured.includes(step.id)) fail('wizard-missing-artifact');
        if (step.challenge && state.challenges?.[step.id] === undefined) fail('wizard-missing-challenge');
        return;
      case 'review':
        return;
    }
  }

  private advanceFrom(state: State): void {
    if (state.position === -1) fail('wizard-finished');
    this.stepComplete(state, state.position);
    const next = shownIndices(this.flow(state.flowId), state.answers).find((i) => i > state.position);
    this.moveTo(state, next ?? -1);
    if (next === undefined) state.code = null;
  }

  private view(): WizardView {
    const state = this.session();
    const flow = this.flow(state.flowId);
    const shown = shownIndices(flow, state.answers);
    // progress(): a choice not made yet counts as its first option.
    const assumed = { ...state.answers };
    for (const field of flow.steps.flatMap(stepFields)) {
      if (field.kind === 'choice' && field.options?.length && !(field.id in assumed)) {
        assumed[field.id] = field.options[0];
      }
    }
    const assumedShown = shownIndices(flow, assumed);
    const k = assumedShown.indexOf(state.position);
    const number = state.position === -1 ? assumedShown.length : k === -1 ? 1 : k + 1;
    const verified = flow.steps
      .filter((s) => s.kind === 'one-time-code')
      .filter((s) => {
        const proved = state.verifications[s.id];
        return (
          s.kind === 'one-time-code' &&
          proved !== undefined &&
          proved.join('\u0000') === s.verifies.map((f) => state.answers[f] ?? '').join('\u0000')
        );
      })
      .map((s) => s.id);
    const position = state.position === -1 ? null : flow.steps[state.position].id;
    const code: CodeState | null =
      state.code && state.code.step === position
        ? {
            step: state.code.step,
            code_length: state.code.code_length,
            sent_to: state.code.sent_to,
            expires_at_ms: state.code.expires_at_ms,
            resend_at_ms: state.code.resend_at_ms,
          }
        : null;
    const before = state.position === -1 ? flow.steps.length : state.position;
    return structuredClone({
      flow,
      position,
      shown: shown.map((i) => flow.steps[i].id),
      progress: { number, total: assumedShown.length },
      answers: state.answers,
      verified,
      captured: flow.steps.filter((s) => state.captured.includes(s.id)).map((s) => s.id),
      code,
      can_go_back: !state.submitted && shown.some((i) => i < before),
      submitted: state.submitted,
    });
  }

  // ---- persistence ----

  private load(): Persisted {
    try {
      const text = localStorage.getItem(STORAGE_KEY);
      if (text) return JSON.parse(text) as Persisted;
    } catch {
      // Unreadable: start afresh, as the real app does with a state it cannot restore.
    }
    return { state: null, lastCode: null, locale: 'fa' };
  }

  private save(): void {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(this.persisted));
  }
}

declare global {
  interface Window {
    __ehrazDouble?: DoubleBackend;
  }
}

export function createDouble(): Backend {
  const double = new DoubleBackend();
  window.__ehrazDouble = double;
  return double;
}
