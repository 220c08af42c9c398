/**
 * `Authorization` for OAuth client_secret_basic (RFC 6749 §2.3.1): the client
 * id and secret are form-urlencoded first, then joined by ':' and Base64-encoded,
 * so a secret holding ':' or non-ASCII characters survives.
 */
export function clientSecretBasic(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`, 'utf8').toString('base64')}`;
}

function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}
