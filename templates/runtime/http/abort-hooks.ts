/**
 * Abort notification without an EventTarget listener. On Node 20 adding
 * (and removing) an `abort` listener to an `AbortSignal` costs 3-4 µs, more
 * than the rest of a call's bookkeeping; a call used two (its deadline on the
 * request's cancellation, the HTTP client on the deadline). A signal made by
 * {@link createHookedController} tells its hooks directly; any other signal
 * (the SDK's, a test's) is listened to as before.
 */
const OWNER = Symbol('abort hooks');

interface Owned {
  [OWNER]?: Hooked;
}

export interface HookedController {
  readonly signal: AbortSignal;
  /** Aborts the signal (its `abort` listeners run), then runs the hooks once. */
  abort(reason?: unknown): void;
}

/**
 * The owner is found through a symbol on the signal rather than a WeakMap:
 * one property store per call instead of an ephemeron entry for the GC.
 */
class Hooked implements HookedController {
  readonly signal: AbortSignal;
  readonly lent: boolean;
  private readonly controller: AbortController;
  private hooks: (() => void)[] = [];

  constructor(lent: boolean) {
    this.controller = new AbortController();
    this.signal = this.controller.signal;
    this.lent = lent;
    (this.signal as Owned)[OWNER] = this;
  }

  abort(reason?: unknown): void {
    if (this.signal.aborted) return;
    this.controller.abort(reason);
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
  const owner = signal === undefined ? undefined : (signal as Owned)[OWNER];
  return owner?.lent ? owner : undefined;
}

/**
 * Runs `hook` once when `signal` aborts (not when it already has: check
 * `signal.aborted` first). Returns the function that cancels the hook.
 */
export function onAbort(signal: AbortSignal, hook: () => void): () => void {
  const owner = (signal as Owned)[OWNER];
  if (owner !== undefined) return owner.add(hook);
  signal.addEventListener('abort', hook, { once: true });
  return () => signal.removeEventListener('abort', hook);
}
