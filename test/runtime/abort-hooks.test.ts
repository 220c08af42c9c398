import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { createHookedController, onAbort, toAbortSignal } from '../../templates/runtime/http/abort-hooks.js';

// A call's deadline and HTTP client learn of an abort through hooks, not EventTarget listeners
// (3-4 µs each on Node 20); the signal itself must behave as any AbortSignal.

describe('abort hooks', () => {
  it('runs the hooks of a hooked signal once, after the signal is aborted, without adding listeners', () => {
    const controller = createHookedController();
    const seen: boolean[] = [];
    const hook = vi.fn(() => seen.push(controller.signal.aborted));
    onAbort(controller.signal, hook);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const reason = new Error('gone');
    controller.abort(reason);
    controller.abort(new Error('again'));
    expect(hook).toHaveBeenCalledTimes(1);
    expect(seen).toEqual([true]);
    expect(controller.signal.reason).toBe(reason);
  });

  it('still fires the abort event for listeners others added', () => {
    const controller = createHookedController();
    const listener = vi.fn();
    controller.signal.addEventListener('abort', listener);
    controller.abort();
    expect(listener).toHaveBeenCalledTimes(1);
    expect((controller.signal.reason as Error).name).toBe('AbortError');
  });

  it('does not run a cancelled hook', () => {
    const controller = createHookedController();
    const hook = vi.fn();
    const cancel = onAbort(controller.signal, hook);
    cancel();
    controller.abort();
    expect(hook).not.toHaveBeenCalled();
  });

  it('listens to any other signal, and removes the listener when cancelled', () => {
    const plain = new AbortController();
    const hook = vi.fn();
    const cancel = onAbort(plain.signal, hook);
    expect(getEventListeners(plain.signal, 'abort')).toHaveLength(1);
    cancel();
    expect(getEventListeners(plain.signal, 'abort')).toHaveLength(0);
    const other = new AbortController();
    onAbort(other.signal, hook);
    other.abort();
    other.abort();
    expect(hook).toHaveBeenCalledTimes(1);
  });

  it('has the AbortSignal members the runtime and its callers read: aborted, reason, throwIfAborted, onabort', () => {
    const controller = createHookedController();
    const { signal } = controller;
    expect(signal.aborted).toBe(false);
    expect(() => signal.throwIfAborted()).not.toThrow();
    const onabort = vi.fn();
    signal.onabort = onabort;
    controller.abort();
    expect(signal.aborted).toBe(true);
    expect(onabort).toHaveBeenCalledTimes(1);
    expect(signal.reason).toBeInstanceOf(DOMException);
    expect(() => signal.throwIfAborted()).toThrow(signal.reason as Error);
    expect(Object.prototype.toString.call(signal)).toBe('[object AbortSignal]');
  });

  it('gives fetch a real AbortSignal that follows a hooked one (and passes a real one through)', () => {
    const plain = new AbortController().signal;
    expect(toAbortSignal(plain)).toBe(plain);
    const controller = createHookedController();
    const real = toAbortSignal(controller.signal);
    expect(real).toBeInstanceOf(AbortSignal);
    expect(real.aborted).toBe(false);
    const reason = new Error('stop');
    controller.abort(reason);
    expect(real.aborted).toBe(true);
    expect(real.reason).toBe(reason);
    const already = toAbortSignal(controller.signal);
    expect(already.aborted).toBe(true);
    expect(already.reason).toBe(reason);
  });
});
