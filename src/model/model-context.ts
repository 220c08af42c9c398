import type { SecurityRequirement } from '../../templates/runtime/mcp/types.js';
import type { SchemaRegistry } from './schema-registry.js';
import type { SecuritySchemeModel } from './types.js';

/** What every operation of one document is read against; built once by buildModel, never changed. */
export interface ModelContext {
  readonly document: Record<string, unknown>;
  readonly registry: SchemaRegistry;
}

/** ModelContext plus the document-wide facts an operation's tool needs (read once, reported once). */
export interface OperationContext extends ModelContext {
  readonly schemes: ReadonlyMap<string, SecuritySchemeModel>;
  /** The document's default `security` (documentSecurity's value); absent when it states none. */
  readonly documentSecurity?: readonly SecurityRequirement[];
}

/** Where one operation is: its path item and itself, each with its JSON pointer. */
export interface OperationSite {
  readonly pathItem: Record<string, unknown>;
  readonly pathPointer: string;
  readonly operation: Record<string, unknown>;
  readonly operationPointer: string;
}
