// Auto-capture on photo steps: once the guidance says ready, a short countdown runs and
// then the photo is taken; readiness lost on the way cancels it. After a retake the
// readiness that was already there does not count at once: the person gets a moment to
// change what they did not like, unless readiness is lost and found again first.

/** The countdown: 3, 2, 1, each this long, then the photo. */
export const AUTO_COUNT_FROM = 3;
export const AUTO_TICK_MS = 500;
/** After a retake, how long readiness held since before it must last before counting. */
export const RETAKE_SETTLE_MS = 2000;

export class AutoShutter {
  /** What the countdown shows now (3, 2, 1), or null when it is not counting. */
  count = $state<number | null>(null);

  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the present unbroken run of readiness began, or null when not ready. */
  #readySince: number | null = null;
  #retakeAt = Number.NEGATIVE_INFINITY;

  /** `fire` takes the photo; it is called only at the end of an uncancelled countdown. */
  constructor(private readonly fire: () => void) {}

  /**
   * The guidance's latest readiness, and whether a photo may be taken now (the live
   * picture is shown, frames arrive, nothing else is under way). Called on every guidance
   * event, which arrive many times a second.
   */
  update(ready: boolean, allowed: boolean): void {
    const now = performance.now();
    if (!ready) this.#readySince = null;
    else this.#readySince ??= now;
    if (!ready || !allowed) {
      this.cancel();
      return;
    }
    if (this.count !== null) return;
    const heldSinceRetake = this.#readySince !== null && this.#readySince < this.#retakeAt;
    if (heldSinceRetake && now < this.#retakeAt + RETAKE_SETTLE_MS) return;
    this.#start();
  }

  /** A retake: what was ready before it counts again only after a moment. */
  retook(): void {
    this.cancel();
    this.#retakeAt = performance.now();
  }

  /** A new camera: nothing it said before counts. */
  forget(): void {
    this.cancel();
    this.#readySince = null;
  }

  /** Stops a running countdown (readiness lost, the shutter pressed, the step left). */
  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.count = null;
  }

  #start(): void {
    this.count = AUTO_COUNT_FROM;
    const tick = () => {
      if (this.count === null) return;
      if (this.count > 1) {
        this.count -= 1;
        this.#timer = setTimeout(tick, AUTO_TICK_MS);
      } else {
        this.count = null;
        this.#timer = undefined;
        this.fire();
      }
    };
    this.#timer = setTimeout(tick, AUTO_TICK_MS);
  }
}
