import type { Diagnostic } from '../diagnostics.js';

/**
 * What a model stage returns: its value and what it has to say about the input, both as values
 * (STYLE.md §2, §4). Stages never push into a shared list, so none can see, or has to search,
 * what another reported: a fact about a shared site (a path item, the document's default
 * security) is read once, by the stage that owns that site, and so reported once.
 */
export interface Reported<T> {
  readonly value: T;
  readonly diagnostics: readonly Diagnostic[];
}

export function reported<T>(value: T, diagnostics: readonly Diagnostic[] = []): Reported<T> {
  return { value, diagnostics };
}
