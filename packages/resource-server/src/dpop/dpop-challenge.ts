import { formatChallenge } from '../www-authenticate.js';

/** The parameters of a `DPoP` challenge (RFC 9449 §7.1, RFC 9728 §5.1). */
export interface DpopChallenge {
  /** `invalid_dpop_proof`, `use_dpop_nonce`, or an RFC 6750 §3.1 code; absent without credentials. */
  error?: string;
  errorDescription?: string;
  /** RFC 9449 §7.1: the proof algorithms accepted, space-separated. */
  algs: string;
  /** RFC 9728 §5.1: where the client finds this resource's metadata. */
  resourceMetadata: string;
  /** The scopes a client should ask for. */
  scope: string;
}

/**
 * Formats a `WWW-Authenticate: DPoP` challenge, in one fixed order (`error`, `error_description`, `algs`,
 * `resource_metadata`, `scope`), every value a quoted-string.
 */
export function formatDpopChallenge(challenge: DpopChallenge): string {
  const params: [string, string][] = [];
  if (challenge.error !== undefined) params.push(['error', challenge.error]);
  if (challenge.errorDescription !== undefined) params.push(['error_description', challenge.errorDescription]);
  params.push(['algs', challenge.algs]);
  params.push(['resource_metadata', challenge.resourceMetadata]);
  params.push(['scope', challenge.scope]);
  return formatChallenge('DPoP', params);
}
