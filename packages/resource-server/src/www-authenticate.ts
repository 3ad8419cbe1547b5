/** The parameters of a `Bearer` challenge (RFC 6750 §3, RFC 9728 §5.1). */
export interface BearerChallenge {
  /** RFC 6750 §3.1 error code; absent when the request carried no credentials. */
  error?: string;
  errorDescription?: string;
  /** RFC 9728 §5.1: where the client finds this resource's protected resource metadata. */
  resourceMetadata: string;
  /** RFC 6750 §3 / MCP-AUTH: the scopes needed for what the client tried (space-separated). */
  scope: string;
  /** RFC 9470 §3: the authentication context classes that would do, space-separated (with `insufficient_user_authentication`). */
  acrValues?: string;
  /** RFC 9470 §3: the maximum age of the sign-in, in seconds (with `insufficient_user_authentication`). */
  maxAge?: number;
}

// RFC 9110 §5.6.4: qdtext and quoted-pair admit HTAB, SP, VCHAR and obs-text; nothing else can be quoted.
const UNQUOTABLE = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * Formats a `WWW-Authenticate: Bearer` challenge. Parameters always come in one order (`error`,
 * `error_description`, `resource_metadata`, `scope`, then RFC 9470's `acr_values` and `max_age`); RFC 9110 §11.2 leaves the order free, a fixed one keeps the
 * responses byte-for-byte predictable. Every value is a quoted-string (RFC 6750 §3: "MUST be quoted").
 *
 * @throws TypeError when a value holds a character no quoted-string can carry (a control character such as CR or
 *   LF, or one above U+00FF): a programming error, refused here rather than sent as a broken or split header.
 */
export function formatBearerChallenge(challenge: BearerChallenge): string {
  const params: [string, string][] = [];
  if (challenge.error !== undefined) params.push(['error', challenge.error]);
  if (challenge.errorDescription !== undefined) params.push(['error_description', challenge.errorDescription]);
  params.push(['resource_metadata', challenge.resourceMetadata]);
  params.push(['scope', challenge.scope]);
  if (challenge.acrValues !== undefined) params.push(['acr_values', challenge.acrValues]);
  if (challenge.maxAge !== undefined) params.push(['max_age', String(challenge.maxAge)]);
  return formatChallenge('Bearer', params);
}

/** A challenge of `scheme` with its parameters, each value a quoted-string (RFC 9110 §11.2). */
export function formatChallenge(scheme: string, params: readonly (readonly [string, string])[]): string {
  return `${scheme} ${params.map(([name, value]) => `${name}=${quote(name, value)}`).join(', ')}`;
}

// RFC 9110 §5.6.4 quoted-string: backslash-escape `"` and `\`.
function quote(name: string, value: string): string {
  if (UNQUOTABLE.test(value)) throw new TypeError(`the ${name} of a challenge cannot be quoted`);
  return `"${value.replace(/["\\]/g, (char) => `\\${char}`)}"`;
}
