import { describe, expect, it } from 'vitest';
import { generate } from '../../src/index.js';
import { REPO, SPECS } from '../support/generated-project.js';

/** The JSON blocks of one README section, parsed (each must be valid JSON). */
function jsonBlocks(readme: string, from: string, to: string): unknown[] {
  const section = readme.slice(readme.indexOf(from), readme.indexOf(to));
  return [...section.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => JSON.parse(m[1] as string) as unknown);
}

// Issue 11 item 6: client snippets for Claude Desktop, VS Code, Cursor and Claude Code, stdio with
// the upstream credentials it needs, and remote HTTP where the client runs OAuth itself.
describe('the generated README tells each MCP client how to connect', () => {
  it('stdio snippets carry the upstream credential of the usual security alternative; remote ones the URL only', async () => {
    const { files } = await generate(`${SPECS}/gotify-server.json`, {});
    const readme = files.find((f) => f.path === 'README.md')!.content;
    const [claudeDesktop, vscodeStdio, vscodeHttp, cursorStdio, cursorHttp] = jsonBlocks(
      readme,
      '## Connect an MCP client',
      '## Deploy',
    ) as Record<string, Record<string, Record<string, unknown>>>[];
    const name = 'gotify-rest-api-mcp';
    expect(claudeDesktop!['mcpServers']![name]).toMatchObject({ command: 'node', env: { MCP_TRANSPORT: 'stdio' } });
    // One alternative's credential, not every scheme of the API.
    expect(Object.keys(claudeDesktop!['mcpServers']![name]!['env'] as object)).toEqual([
      'MCP_TRANSPORT',
      'UPSTREAM_CLIENT_TOKEN_AUTHORIZATION_HEADER',
    ]);
    // VS Code's key is `servers`, with a type; Cursor's is `mcpServers`.
    expect(vscodeStdio!['servers']![name]).toMatchObject({ type: 'stdio', command: 'node' });
    expect(vscodeHttp!['servers']![name]).toEqual({ type: 'http', url: 'https://mcp.example.com/mcp' });
    expect(cursorStdio!['mcpServers']![name]).toMatchObject({ command: 'node' });
    expect(cursorHttp!['mcpServers']![name]).toEqual({ url: 'https://mcp.example.com/mcp' });
    expect(readme).toContain(
      `claude mcp add ${name} --env MCP_TRANSPORT=stdio --env UPSTREAM_CLIENT_TOKEN_AUTHORIZATION_HEADER=`,
    );
    expect(readme).toContain(`claude mcp add --transport http ${name} https://mcp.example.com/mcp`);
  });

  it('leaves UPSTREAM_BASE_URL out when the spec names its server', async () => {
    const { files } = await generate(`${REPO}/fixtures/auth/pets-oauth.yaml`, {});
    const readme = files.find((f) => f.path === 'README.md')!.content;
    const [claudeDesktop] = jsonBlocks(readme, '## Connect an MCP client', '## Deploy') as Record<
      string,
      Record<string, Record<string, Record<string, string>>>
    >[];
    const env = Object.values(claudeDesktop!['mcpServers']!)[0]!['env']!;
    expect(env['MCP_TRANSPORT']).toBe('stdio');
    expect(Object.keys(env)).not.toContain('UPSTREAM_BASE_URL'); // this spec names its server
  });
});
