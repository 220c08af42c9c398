/**
 * The contract between the generator and the runtime it ships.
 *
 * The generator emits `src/generated/*.gen.ts` as plain data typed by these
 * interfaces (`satisfies readonly ToolDefinition[]`); the runtime reads that
 * data and never sees OpenAPI. Anything the runtime needs to call the upstream
 * or to authorize a call must be representable here.
 */
export {};
//# sourceMappingURL=types.js.map