import type { IncomingMessage } from 'node:http';

/**
 * The development authorization server's two pages. Every value that reaches them (client ids
 * from dynamic registration, scope and role names) is escaped: registration is open to anyone.
 */

export function loginPage(input: { uid: string; clientName: string; roles: readonly string[] }): string {
  const roles =
    input.roles.length === 0
      ? '<p>No tool of this server is guarded by a role.</p>'
      : `<fieldset><legend>Roles (they go into the token's roles claim)</legend>${input.roles
          .map(
            (role) =>
              `<label><input type="checkbox" name="role" value="${escapeHtml(role)}"> ${escapeHtml(role)}</label>`,
          )
          .join('')}</fieldset>`;
  return page(
    'Sign in (development)',
    `<p><b>${escapeHtml(input.clientName)}</b> asks to act for you. This development server signs in any user name.</p>
<form method="post" action="/interaction/${escapeHtml(input.uid)}/login">
<label>User <input name="user" value="developer" required pattern="[A-Za-z0-9._@-]{1,64}"></label>
${roles}
<button type="submit">Sign in</button>
</form>`,
  );
}

export function consentPage(input: { uid: string; clientName: string; scopes: readonly string[] }): string {
  const scopes =
    input.scopes.length === 0
      ? '<p>No scopes are asked for.</p>'
      : `<fieldset><legend>Scopes asked for</legend>${input.scopes
          .map(
            (scope) =>
              `<label><input type="checkbox" name="scope" value="${escapeHtml(scope)}" checked> ${escapeHtml(scope)}</label>`,
          )
          .join('')}</fieldset>`;
  return page(
    'Allow access (development)',
    `<p><b>${escapeHtml(input.clientName)}</b> asks for access to the MCP server. Untick a scope to leave it out of the token.</p>
<form method="post" action="/interaction/${escapeHtml(input.uid)}/consent">
${scopes}
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}

/** An `application/x-www-form-urlencoded` body, at most 16 KiB (a page with a few checkboxes). */
export async function readForm(req: IncomingMessage, maxBytes = 16 * 1024): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.4rem 0}fieldset{margin:1rem 0}button{margin-right:.5rem}</style>
</head><body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>
`;
}
