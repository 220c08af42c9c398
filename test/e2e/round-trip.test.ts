import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProject, REPO, runInProject, SPECS } from '../support/generated-project.js';
import { startRecordingUpstream } from '../support/recording-upstream.js';
import type { RecordingUpstream } from '../support/recording-upstream.js';

/** One call per operation and the exact HTTP request the upstream must receive for it. */
interface Expectation {
  readonly tool: string;
  readonly args: Record<string, unknown>;
  readonly method: string;
  /** Path and query as received, below the upstream's /api/v1 prefix. */
  readonly url: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly response?: unknown;
}

const petstore = (tagsQuery: string): Expectation[] => [
  {
    tool: 'findPets',
    args: { tags: ['cat', 'dog'], limit: 5 },
    method: 'GET',
    url: `/pets?${tagsQuery}&limit=5`,
    response: [],
  },
  {
    tool: 'addPet',
    args: { body: { name: 'Rex', tag: 'dog' } },
    method: 'POST',
    url: '/pets',
    body: { name: 'Rex', tag: 'dog' },
    response: { id: 1, name: 'Rex' },
  },
  { tool: 'find_pet_by_id', args: { id: 42 }, method: 'GET', url: '/pets/42', response: { id: 42, name: 'Rex' } },
  { tool: 'deletePet', args: { id: 42 }, method: 'DELETE', url: '/pets/42', response: {} },
];

const CASES: readonly { name: string; spec: string; calls: Expectation[]; env?: Record<string, string> }[] = [
  // Swagger 2.0 `collectionFormat: csv` is OpenAPI 3 `style: form, explode: false`.
  { name: 'swagger-2.0', spec: join(SPECS, 'oai-petstore-expanded-v2.json'), calls: petstore('tags=cat,dog') },
  // OpenAPI 3.0 `style: form` explodes by default.
  { name: 'openapi-3.0', spec: join(SPECS, 'oai-petstore-expanded.yaml'), calls: petstore('tags=cat&tags=dog') },
  {
    name: 'openapi-3.1',
    spec: join(REPO, 'fixtures/petstore-3.1.yaml'),
    env: { UPSTREAM_CLINIC_KEY: 'key-123' },
    calls: [
      {
        tool: 'listOwnerPets',
        // A hostile path argument: it must stay one encoded segment ('..' in any spelling is refused,
        // see test/runtime/call-upstream-base-url.test.ts).
        args: { ownerId: 'admin/x y?#', species: ['cat', 'dog'], 'X-Request-Id': 'r-1', session: 's 1' },
        method: 'GET',
        url: '/owners/admin%2Fx%20y%3F%23/pets?species=cat,dog',
        headers: { 'x-request-id': 'r-1', cookie: 'session=s%201', 'x-clinic-key': 'key-123' },
        response: { items: [{ id: 1, name: 'Tom', species: 'cat' }], next: null },
      },
      {
        tool: 'createPet',
        args: { ownerId: 'o1', body: { name: 'Tom', species: null } },
        method: 'POST',
        url: '/owners/o1/pets',
        body: { name: 'Tom', species: null },
        headers: { 'content-type': 'application/json', 'x-clinic-key': 'key-123' },
        response: { id: 7, name: 'Tom', species: null },
      },
      { tool: 'deletePet', args: { petId: 7 }, method: 'DELETE', url: '/pets/7', response: {} },
    ],
  },
  {
    // Generated tests once failed here out of the box: HEAD has no body, and a `#` path key
    // (AWS style) swallowed the query. Its generated project's own tests must pass too.
    name: 'edge-operations',
    spec: join(REPO, 'fixtures/edge-operations.yaml'),
    calls: [
      { tool: 'statFile', args: { name: 'a b' }, method: 'HEAD', url: '/files/a%20b' },
      {
        tool: 'describeThings',
        args: { Action: 'DescribeThings' },
        method: 'GET',
        url: '/?Action=DescribeThings',
        response: { things: [] },
      },
      {
        tool: 'createThing',
        args: { Action: 'CreateThing', Name: 'n 1' },
        method: 'POST',
        url: '/?Action=CreateThing&Name=n%201',
        response: { id: 't1' },
      },
    ],
  },
];

describe.each(CASES)('$name: generate, build, test, serve', ({ name, spec, calls, env = {} }) => {
  let project: string;
  let upstream: RecordingUpstream;

  beforeAll(async () => {
    project = generateProject(spec, `round-trip-${name}`);
    upstream = await startRecordingUpstream();
    const byPath = new Map(calls.map((c) => [`${c.method} /api/v1${c.url}`, c.response]));
    upstream.respond((req) => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(byPath.get(`${req.method} ${req.url}`) ?? {}),
    }));
  });
  afterAll(async () => upstream?.close());

  it('builds with tsc', () => {
    const result = runInProject(project, 'tsc', ['-p', 'tsconfig.json']);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it("passes the generated project's own tests", () => {
    const result = runInProject(project, 'vitest', ['run']);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Tests\s+\d+ passed/);
  });

  const exercise = async (client: Client) => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(calls.map((c) => c.tool).sort());
    for (const call of calls) {
      upstream.requests.length = 0;
      const result = await client.callTool({ name: call.tool, arguments: call.args });
      expect(result.isError ?? false, JSON.stringify(result.content)).toBe(false);
      expect(upstream.requests).toHaveLength(1);
      const received = upstream.requests[0]!;
      expect(`${received.method} ${received.url}`).toBe(`${call.method} /api/v1${call.url}`);
      if (call.body !== undefined) expect(JSON.parse(received.body.toString('utf8'))).toEqual(call.body);
      else expect(received.body.length).toBe(0);
      for (const [header, value] of Object.entries(call.headers ?? {})) expect(received.headers[header]).toBe(value);
      // Nothing the client sent reaches the upstream as a credential.
      expect(received.headers.authorization).toBeUndefined();
    }
  };

  it('serves a real MCP client over stdio', async () => {
    // The 2026-07-28 era over stdio; the HTTP case below uses the 2025-11-25 handshake.
    const client = new Client(
      { name: 'e2e-stdio', version: '1.0.0' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } } },
    );
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [join(project, 'dist/index.js')],
        env: { PATH: process.env.PATH ?? '', MCP_TRANSPORT: 'stdio', UPSTREAM_BASE_URL: upstream.baseUrl, ...env },
        stderr: 'pipe',
      }),
    );
    try {
      await exercise(client);
    } finally {
      await client.close();
    }
  });

  it('serves a real MCP client over Streamable HTTP', async () => {
    const child = spawn(process.execPath, [join(project, 'dist/index.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        MCP_TRANSPORT: 'http',
        MCP_AUTH: 'none',
        PORT: '0',
        UPSTREAM_BASE_URL: upstream.baseUrl,
        ...env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      const url = await listeningUrl(child);
      const client = new Client({ name: 'e2e-http', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      try {
        await exercise(client);
      } finally {
        await client.close();
      }
    } finally {
      child.kill();
    }
  });
});

/** The server logs one JSON line with its URL once it listens (PORT=0 picks a free port). */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${seen}`)), 20_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = /"url":"([^"]+)"/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${seen}`)));
  });
}
