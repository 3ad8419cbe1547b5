/** The parameters of a `Bearer` challenge (RFC 6750 §3, RFC 9728 §5.1). */
export interface BearerChallenge {
  /** RFC 6750 §3.1 error code; absent when the request carried no credentials. */
  error?: string;
  errorDescription?: string;
  /** RFC 9728 §5.1: where the client finds this resource's protected resource metadata. */
  resourceMetadata: string;
  /** RFC 6750 §3 / MCP-AUTH: the scopes needed for what the client tried (space-separated). */
  scope: string;
}

/**
 * Formats a `WWW-Authenticate: Bearer` challenge. Parameters always come in one order (`error`,
 * `error_description`, `resource_metadata`, `scope`); RFC 9110 §11.2 leaves the order free, a fixed one keeps the
 * responses byte-for-byte predictable.
 */
export function formatBearerChallenge(challenge: BearerChallenge): string {
  const params: [string, string][] = [];
  if (challenge.error !== undefined) params.push(['error', challenge.error]);
  if (challenge.errorDescription !== undefined) params.push(['error_description', challenge.errorDescription]);
  params.push(['resource_metadata', challenge.resourceMetadata]);
  params.push(['scope', challenge.scope]);
  return `Bearer ${params.map(([name, value]) => `${name}="${quote(value)}"`).join(', ')}`;
}

// RFC 9110 §5.6.4 quoted-string: backslash-escape `"` and `\`.
function quote(value: string): string {
  return value.replace(/["\\]/g, (char) => `\\${char}`);
}
