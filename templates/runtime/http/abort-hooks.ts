/**
 * Cancellation for the runtime's own calls, cheaper than `AbortController`.
 *
 * On Node 20 adding (and removing) an `abort` listener to an `AbortSignal`
 * costs 3-4 µs, and creating the signal itself ~2.5 µs: more than the rest of
 * a call's bookkeeping. A signal made here is a plain `EventTarget` (~0.25 µs)
 * with the `AbortSignal` members (`aborted`, `reason`, `throwIfAborted`,
 * `onabort`, the `abort` event), and it tells its hooks ({@link onAbort})
 * directly. It is not an `AbortSignal` instance: what needs one (`fetch`,
 * `AbortSignal.any`) is given {@link toAbortSignal} of it. Any other signal
 * (the SDK's, a test's) is listened to as before.
 */
const OWNER = Symbol('abort hooks');

export interface HookedController {
  readonly signal: AbortSignal;
  /** Aborts the signal (its `abort` listeners run), then runs the hooks once. */
  abort(reason?: unknown): void;
}

/** The signal of a {@link Hooked} controller: what the runtime and its tests read of an `AbortSignal`. */
class CallSignal extends EventTarget {
  aborted = false;
  reason: unknown = undefined;
  onabort: ((this: CallSignal, event: Event) => unknown) | null = null;
  readonly [OWNER]: Hooked;

  constructor(owner: Hooked) {
    super();
    this[OWNER] = owner;
  }

  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }

  get [Symbol.toStringTag](): string {
    return 'AbortSignal';
  }
}

class Hooked implements HookedController {
  readonly signal: AbortSignal;
  readonly lent: boolean;
  private readonly state: CallSignal;
  private hooks: (() => void)[] = [];

  constructor(lent: boolean) {
    this.state = new CallSignal(this);
    // Typed as what it stands for; see the module comment for what it is.
    this.signal = this.state as unknown as AbortSignal;
    this.lent = lent;
  }

  abort(reason?: unknown): void {
    const state = this.state;
    if (state.aborted) return;
    state.aborted = true;
    // AbortController's default reason (WHATWG DOM "signal abort").
    state.reason = reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
    const event = new Event('abort');
    state.onabort?.call(state, event);
    state.dispatchEvent(event);
    const hooks = this.hooks;
    this.hooks = [];
    for (const hook of hooks) hook();
  }

  add(hook: () => void): () => void {
    this.hooks.push(hook);
    return () => {
      const at = this.hooks.indexOf(hook);
      if (at >= 0) this.hooks.splice(at, 1);
    };
  }
}

function ownerOf(signal: AbortSignal | undefined): Hooked | undefined {
  return signal === undefined ? undefined : (signal as unknown as { [OWNER]?: Hooked })[OWNER];
}

export function createHookedController(): HookedController {
  return new Hooked(false);
}

/**
 * A controller for ONE upstream call at a time, lent to it: the call may
 * abort it on its own deadline (`lentController`) instead of making a second
 * controller and timer hook per call. Whoever creates it therefore learns of
 * a cancellation of its own from its own state, never from `signal.aborted`.
 */
export function createLentController(): HookedController {
  return new Hooked(true);
}

/** The controller of `signal` when it was lent to the call holding it ({@link createLentController}). */
export function lentController(signal: AbortSignal | undefined): HookedController | undefined {
  const owner = ownerOf(signal);
  return owner?.lent ? owner : undefined;
}

/**
 * Runs `hook` once when `signal` aborts (not when it already has: check
 * `signal.aborted` first). Returns the function that cancels the hook.
 */
export function onAbort(signal: AbortSignal, hook: () => void): () => void {
  const owner = ownerOf(signal);
  if (owner !== undefined) return owner.add(hook);
  signal.addEventListener('abort', hook, { once: true });
  return () => signal.removeEventListener('abort', hook);
}

/** A real `AbortSignal` that follows `signal`, for APIs that check the type (`fetch`); `signal` itself when it is one. */
export function toAbortSignal(signal: AbortSignal): AbortSignal {
  if (ownerOf(signal) === undefined) return signal;
  if (signal.aborted) return AbortSignal.abort(signal.reason);
  const controller = new AbortController();
  onAbort(signal, () => controller.abort(signal.reason));
  return controller.signal;
}
