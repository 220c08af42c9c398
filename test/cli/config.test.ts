import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { STACK_TRACE, cli, removeTempDirs, snapshot, tempDir } from './cli-process.js';

afterAll(removeTempDirs);

const SPEC = `openapi: 3.1.0
info: { title: Config effects, version: 1.0.0 }
servers: [{ url: 'https://api.example.com' }]
security: [{ oauth: ['read:pets'] }]
paths:
  /pets:
    get: { operationId: listPets, tags: [pets], responses: { '200': { description: OK } } }
    post:
      operationId: createPet
      tags: [pets]
      security: [{ oauth: ['write:pets'] }]
      responses: { '201': { description: Created } }
  /admin/users:
    get: { operationId: listUsers, tags: [admin], responses: { '200': { description: OK } } }
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: 'https://auth.example.com/token'
          scopes: { 'read:pets': read, 'write:pets': write }
`;

/** A folder holding the spec and, when given, a config beside it. */
function project(config?: { name: string; text: string }): string {
  const dir = tempDir('config');
  writeFileSync(join(dir, 'openapi.yaml'), SPEC);
  if (config) writeFileSync(join(dir, config.name), config.text);
  return dir;
}

describe('generate with a configuration file beside the spec', () => {
  test.concurrent('a malformed config: exit 1, the bad key named with a guess, nothing written', async () => {
    const dir = project({ name: 'openapi-to-mcp.config.json', text: '{\n  "exclude": { "tgas": ["admin"] }\n}\n' });
    const out = join(dir, 'out');
    const result = await cli(['generate', join(dir, 'openapi.yaml'), '-o', out]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error CONFIG_INVALID .*openapi-to-mcp\.config\.json:2:16 #\/exclude\/tgas$/m);
    expect(result.stderr).toContain('Unknown key "tgas" in `exclude`.');
    expect(result.stderr).toContain('hint: Did you mean "tags"?');
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(snapshot(out)).toBeNull();
  });

  test.concurrent('excluding a tag, renaming a tool and mapping a scope change exactly that', async () => {
    const dir = project({
      name: 'openapi-to-mcp.config.yaml',
      text: [
        'exclude: { tags: [admin] }',
        'tools:',
        '  listPets: { name: pets_list }',
        'scopes:',
        "  rename: { 'write:pets': 'pets.write' }",
        '',
      ].join('\n'),
    });
    const out = join(dir, 'out');
    const result = await cli(['generate', join(dir, 'openapi.yaml'), '-o', out]);
    expect(result.stderr).toContain('2 tools');
    expect(result.status).toBe(0);
    const tools = join(out, 'src/generated/tools');
    expect(readdirSync(tools).sort()).toEqual(['createPet.gen.ts', 'pets_list.gen.ts']);
    const list = readFileSync(join(tools, 'pets_list.gen.ts'), 'utf8');
    expect(list).toContain("name: 'pets_list'");
    expect(list).toMatch(/access: \{\s*scopes: \[\['read:pets'\]\],\s*\}/);
    const create = readFileSync(join(tools, 'createPet.gen.ts'), 'utf8');
    expect(create).toMatch(/access: \{\s*scopes: \[\['pets\.write'\]\],\s*\}/);
    // Upstream security is the API's, untouched by the MCP-side mapping.
    expect(create).toMatch(/scopes: \['write:pets'\]/);
    expect(JSON.stringify(snapshot(out))).not.toContain('listUsers');
  });

  test.concurrent('transport defaults and the tool mode come from the config; the options hash covers it', async () => {
    const dir = project({
      name: 'openapi-to-mcp.config.yaml',
      text: 'transport: { default: stdio, port: 8080 }\ntoolMode: dynamic\n',
    });
    const out = join(dir, 'out');
    const result = await cli(['generate', join(dir, 'openapi.yaml'), '-o', out]);
    expect(result.status, result.stderr).toBe(0);
    const server = readFileSync(join(out, 'src/generated/server.gen.ts'), 'utf8');
    expect(server).toContain("defaultTransport: 'stdio'");
    expect(server).toContain('defaultPort: 8080');
    expect(server).toMatch(/toolMode: ToolMode = 'dynamic'|toolMode = 'dynamic'/);
    expect(readFileSync(join(out, '.env.example'), 'utf8')).toMatch(/^MCP_TRANSPORT=stdio$/m);
    expect(readFileSync(join(out, '.env.example'), 'utf8')).toMatch(/^PORT=8080$/m);
    const before = JSON.parse(readFileSync(join(out, 'openapi-to-mcp.lock.json'), 'utf8')) as { optionsHash: string };
    writeFileSync(
      join(dir, 'openapi-to-mcp.config.yaml'),
      'transport: { default: stdio, port: 8081 }\ntoolMode: dynamic\n',
    );
    const check = await cli(['generate', join(dir, 'openapi.yaml'), '-o', out, '--check', '--json']);
    expect(check.status).toBe(3);
    await cli(['generate', join(dir, 'openapi.yaml'), '-o', out]);
    const after = JSON.parse(readFileSync(join(out, 'openapi-to-mcp.lock.json'), 'utf8')) as { optionsHash: string };
    expect(after.optionsHash).not.toBe(before.optionsHash);
  });

  test.concurrent('the CI workflow repeats --config and --name, so its --check passes from the project', async () => {
    const dir = project();
    mkdirSync(join(dir, 'settings'));
    writeFileSync(join(dir, 'settings', 'mcp.yaml'), 'tools: { listUsers: { name: users } }\n');
    const out = join(dir, 'server');
    const result = await cli([
      'generate',
      join(dir, 'openapi.yaml'),
      '-o',
      out,
      '--config',
      join(dir, 'settings', 'mcp.yaml'),
      '--name',
      'pets-server',
    ]);
    expect(result.status, result.stderr).toBe(0);
    const workflow = readFileSync(join(out, '.github/workflows/openapi-to-mcp.yml'), 'utf8');
    const command = /generate (.+) --check/.exec(workflow)?.[1] ?? '';
    expect(command).toBe('../openapi.yaml -o . --config ../settings/mcp.yaml --name pets-server');
    // What CI runs, from the project folder.
    const check = await cli(['generate', ...command.split(' '), '--check'], { cwd: out });
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });

  test.concurrent('--config names a file elsewhere; inspect honours it too', async () => {
    const dir = project();
    const config = join(dir, 'elsewhere.json');
    writeFileSync(config, '{ "tools": { "listUsers": { "name": "users" } } }');
    const result = await cli(['inspect', join(dir, 'openapi.yaml'), '--config', config, '--json']);
    expect(result.status).toBe(0);
    const names = (JSON.parse(result.stdout) as { tools: { tool: string }[] }).tools.map((t) => t.tool);
    expect(names).toEqual(['createPet', 'listPets', 'users']);
  });

  test.concurrent('--config that does not exist: CONFIG_NOT_FOUND, exit 1', async () => {
    const dir = project();
    const result = await cli(['inspect', join(dir, 'openapi.yaml'), '--config', join(dir, 'nope.yaml')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^error CONFIG_NOT_FOUND/m);
  });
});
