import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse-config.js';
import { validateConfig } from '../../src/config/validate-config.js';
import { REPO } from '../support/generated-project.js';

/** STYLE.md §14: examples in docs are checked. The README's example config is valid, and its YAML says the same as its JSON. */
describe('README.md Configuration example', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Diagnostics'));
  const block = (lang: string) => {
    const match = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(section);
    if (!match) throw new Error(`no ${lang} block in the Configuration section`);
    return match[1] as string;
  };

  it.each([
    ['json', 'openapi-to-mcp.config.json'],
    ['yaml', 'openapi-to-mcp.config.yaml'],
  ])('the %s example passes the schema', (lang, file) => {
    const parsed = parseConfig(block(lang), file);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
    const result = validateConfig(parsed.value, file);
    expect(result.ok ? [] : result.diagnostics).toEqual([]);
  });

  it('the YAML example is the JSON example', () => {
    const json = parseConfig(block('json'), 'c.json');
    const yaml = parseConfig(block('yaml'), 'c.yaml');
    if (!json.ok || !yaml.ok) throw new Error('parse failed');
    const { $schema: _schema, ...fromJson } = json.value as Record<string, unknown>;
    expect(yaml.value).toEqual(fromJson);
  });

  it('documents every top-level key of the schema', () => {
    const schema = JSON.parse(readFileSync(join(REPO, 'schema/openapi-to-mcp.config.schema.json'), 'utf8')) as {
      properties: Record<string, unknown>;
    };
    for (const key of Object.keys(schema.properties).filter((k) => k !== '$schema'))
      expect(section).toContain(`| \`${key}`);
  });
});
