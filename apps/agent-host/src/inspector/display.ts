/**
 * Display-only rendering of what travels on the wire, for the flow inspector. Tokens are decoded WITHOUT
 * verification (nothing here is trusted), their signatures are dropped, and secrets are replaced.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';

/** The placeholder shown in place of a secret or a signature. */
export const REDACTED = '[redacted]';

/** A JWT decoded for display: header and claims, signature withheld. */
export interface DecodedTokenForDisplay {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signature: typeof REDACTED;
}

/** One form parameter of a recorded request. */
export interface DisplayParam {
  name: string;
  value: string;
  token?: DecodedTokenForDisplay;
}

/** A recorded body, ready to show. */
export type DisplayBody =
  | { kind: 'form'; params: DisplayParam[] }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string };

/** Parameters and JSON members that carry a token (shown decoded) or a secret (never shown). */
const TOKEN_FIELDS = new Set([
  'access_token',
  'id_token',
  'refresh_token',
  'subject_token',
  'actor_token',
  'assertion',
]);
const SECRET_FIELDS = new Set(['client_secret', 'password', 'code', 'code_verifier', 'client_assertion']);

/**
 * Decodes a compact JWS for display. Display only: the result is never used to make a decision.
 * Returns undefined when the value is not a JWT (an opaque refresh token, for example).
 */
export function decodeUnverifiedForDisplay(token: string): DecodedTokenForDisplay | undefined {
  if (token.split('.').length !== 3) return undefined;
  try {
    return { header: { ...decodeProtectedHeader(token) }, claims: { ...decodeJwt(token) }, signature: REDACTED };
  } catch {
    return undefined;
  }
}

/** Shows a token field: decoded when it is a JWT, else only that it was present. */
function displayToken(value: string): { value: string; token?: DecodedTokenForDisplay } {
  const token = decodeUnverifiedForDisplay(value);
  if (!token) return { value: REDACTED };
  const [header = '', payload = ''] = value.split('.');
  return { value: `${header}.${payload}.${REDACTED}`, token };
}

/** Renders form parameters with tokens decoded and secrets redacted. */
export function displayForm(params: URLSearchParams): DisplayBody {
  const shown: DisplayParam[] = [];
  for (const [name, value] of params) {
    if (SECRET_FIELDS.has(name)) shown.push({ name, value: REDACTED });
    else if (TOKEN_FIELDS.has(name)) shown.push({ name, ...displayToken(value) });
    else shown.push({ name, value });
  }
  return { kind: 'form', params: shown };
}

/** Walks a JSON value, decoding token members and redacting secret members. */
export function displayJsonValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(displayJsonValue);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (SECRET_FIELDS.has(key)) out[key] = REDACTED;
    else if (TOKEN_FIELDS.has(key) && typeof member === 'string') {
      const token = decodeUnverifiedForDisplay(member);
      out[key] = token ? { decoded: token } : REDACTED;
    } else out[key] = displayJsonValue(member);
  }
  return out;
}

/** Renders a body of the given media type for display. */
export function displayBody(text: string, contentType: string | null): DisplayBody | undefined {
  if (text.length === 0) return undefined;
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/x-www-form-urlencoded') return displayForm(new URLSearchParams(text));
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      return { kind: 'json', value: displayJsonValue(JSON.parse(text)) };
    } catch {
      return { kind: 'text', text };
    }
  }
  if (type === 'text/event-stream') return displayEventStream(text);
  return { kind: 'text', text };
}

/** SSE responses of the MCP server carry JSON-RPC messages in `data:` lines. */
function displayEventStream(text: string): DisplayBody {
  const messages: unknown[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('data:')) continue;
    try {
      messages.push(displayJsonValue(JSON.parse(line.slice(5).trim())));
    } catch {
      // Not JSON: the raw stream below still shows it.
    }
  }
  return messages.length > 0
    ? { kind: 'json', value: messages.length === 1 ? messages[0] : messages }
    : { kind: 'text', text };
}

/**
 * Renders a request or response header value. `Authorization: Bearer` and `Authorization: DPoP` show the token
 * decoded (its `cnf` among the claims), a `DPoP` proof header shows the proof decoded (RFC 9449 §4.2: `jwk`, `htm`,
 * `htu`, `iat`, `ath`, `nonce`), signatures always withheld; Basic credentials are withheld, cookies never appear.
 */
export function displayHeader(name: string, value: string): { value: string; token?: DecodedTokenForDisplay } {
  const lower = name.toLowerCase();
  if (lower === 'dpop') return displayToken(value);
  if (lower === 'authorization') {
    const [scheme = '', credentials = ''] = value.split(' ');
    if (scheme.toLowerCase() === 'bearer' || scheme.toLowerCase() === 'dpop') {
      const shown = displayToken(credentials);
      return shown.token
        ? { value: `${scheme} ${shown.value}`, token: shown.token }
        : { value: `${scheme} ${REDACTED}` };
    }
    return { value: `${scheme} ${REDACTED}` };
  }
  return { value };
}
