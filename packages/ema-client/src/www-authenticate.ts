/** Parsing of a `WWW-Authenticate: Bearer` challenge (RFC 6750 §3, RFC 9728 §5.1). */

/** The parameters of a Bearer challenge this client acts on. */
export interface BearerChallenge {
  resourceMetadata?: string;
  scope?: string;
  error?: string;
  errorDescription?: string;
  /** RFC 9470 §3: with `insufficient_user_authentication`, the acceptable classes of sign-in. */
  acrValues?: string;
  /** RFC 9470 §3: with `insufficient_user_authentication`, the maximum age of the sign-in, seconds. */
  maxAge?: number;
}

const PARAM = /([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;

/**
 * Reads the Bearer challenge of a `WWW-Authenticate` header value, or, when there is none, its DPoP challenge (RFC
 * 9449 §7.1: a resource that requires DPoP names only that scheme, with the same parameters); undefined when there
 * is neither. Only the parameters of that one scheme are read (a header may carry several challenges).
 */
export function parseBearerChallenge(header: string | null | undefined): BearerChallenge | undefined {
  if (!header) return undefined;
  const bearer = header.search(/(^|[\s,])bearer(\s|$)/i);
  const start = bearer >= 0 ? bearer : header.search(/(^|[\s,])dpop(\s|$)/i);
  if (start < 0) return undefined;
  const rest = header.slice(start).replace(/^[\s,]*(bearer|dpop)/i, '');
  const params = new Map<string, string>();
  for (const match of rest.matchAll(PARAM)) {
    const name = (match[1] ?? '').toLowerCase();
    // The first occurrence wins: a later challenge of another scheme may reuse a parameter name.
    if (!params.has(name))
      params.set(name, match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? ''));
  }
  const challenge: BearerChallenge = {};
  const resourceMetadata = params.get('resource_metadata');
  const scope = params.get('scope');
  const error = params.get('error');
  const errorDescription = params.get('error_description');
  if (resourceMetadata !== undefined) challenge.resourceMetadata = resourceMetadata;
  if (scope !== undefined) challenge.scope = scope;
  if (error !== undefined) challenge.error = error;
  if (errorDescription !== undefined) challenge.errorDescription = errorDescription;
  const acrValues = params.get('acr_values');
  const maxAge = params.get('max_age');
  if (acrValues !== undefined) challenge.acrValues = acrValues;
  if (maxAge !== undefined && /^\d{1,9}$/.test(maxAge)) challenge.maxAge = Number(maxAge);
  return challenge;
}
