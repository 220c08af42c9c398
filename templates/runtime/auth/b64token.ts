/**
 * RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
 * What an `Authorization: Bearer` credential (a token or an API key) may
 * consist of; anything else is refused before it is looked at further.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
