// js-yaml ships no types; this is the part the loader uses (src/load/parse-yaml-fast.ts).
declare module 'js-yaml' {
  interface Type {
    readonly tag: string;
  }
  export interface Schema {
    extend(types: { implicit?: readonly Type[]; explicit?: readonly Type[] }): Schema;
  }
  export const CORE_SCHEMA: Schema;
  export const types: { readonly merge: Type };
  export function load(text: string, options?: { schema?: Schema; json?: boolean; filename?: string }): unknown;
  const jsYaml: { load: typeof load; CORE_SCHEMA: Schema; types: { readonly merge: Type } };
  export default jsYaml;
}
