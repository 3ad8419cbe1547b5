import { JwtValidationError } from '../errors.js';

/** What a validator expects of the protected header. */
export interface HeaderExpectations {
  /** The explicit `alg` allow-list. */
  algorithms: readonly string[];
  /** The accepted `typ` values, compared exactly. */
  typ: readonly string[];
  /** Whether a header without `typ` is accepted (only for ID tokens, which have no registered `typ`). */
  typOptional?: boolean;
}

// RFC 8725 §3.1-3.2: never `none`, and never a symmetric algorithm, whatever the allow-list says: with HS* the
// verifier's public key would become the HMAC secret (algorithm confusion).
function isForbiddenAlg(alg: string): boolean {
  return alg.toLowerCase() === 'none' || /^HS/i.test(alg);
}

/**
 * Checks the decoded protected header before any key lookup: `alg` on the allow-list (never `none` or `HS*`), `typ`
 * exact (RFC 8725 §3.11), `kid` present (the profile puts one on every token), and no `crit` (RFC 7515 §4.1.11: this
 * profile understands no extension). Returns the `alg`.
 */
export function checkProtectedHeader(header: Record<string, unknown>, expected: HeaderExpectations): string {
  const { alg, typ, crit, kid } = header;
  if (typeof alg !== 'string' || alg.length === 0) {
    throw new JwtValidationError('ERR_JWT_MALFORMED', 'the header has no alg', { claim: 'alg' });
  }
  if (isForbiddenAlg(alg) || !expected.algorithms.includes(alg)) {
    throw new JwtValidationError('ERR_JWT_ALG_NOT_ALLOWED', 'alg is not on the allow-list', { claim: 'alg' });
  }
  const typAbsentAndOptional = typ === undefined && expected.typOptional === true;
  if (!typAbsentAndOptional && (typeof typ !== 'string' || !expected.typ.includes(typ))) {
    throw new JwtValidationError('ERR_JWT_TYP_MISMATCH', 'unexpected typ', { claim: 'typ' });
  }
  if (crit !== undefined) {
    const wellFormed =
      Array.isArray(crit) && crit.length > 0 && crit.every((name) => typeof name === 'string' && name.length > 0);
    if (!wellFormed) throw new JwtValidationError('ERR_JWT_MALFORMED', 'crit is malformed', { claim: 'crit' });
    throw new JwtValidationError('ERR_JWT_CRIT_UNSUPPORTED', 'crit names an unsupported extension', { claim: 'crit' });
  }
  if (typeof kid !== 'string' || kid.length === 0) {
    throw new JwtValidationError('ERR_JWT_MALFORMED', 'the header has no kid', { claim: 'kid' });
  }
  return alg;
}

/** RFC 8725 §3.1: an issuer registered with an allow-list of its own narrows the validator's; no list, no narrowing. */
export function checkIssuerAlgorithm(alg: string, issuerAlgorithms: readonly string[] | undefined): void {
  if (issuerAlgorithms !== undefined && !issuerAlgorithms.includes(alg)) {
    throw new JwtValidationError('ERR_JWT_ALG_NOT_ALLOWED', 'alg is not allowed for this issuer', { claim: 'alg' });
  }
}
