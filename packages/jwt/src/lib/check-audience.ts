import { JwtValidationError } from '../errors.js';

/**
 * ID-JAG §4.4.1 and this profile: `aud` must equal `expected` exactly, as a string or an array of exactly one
 * element. No prefix, case or trailing-slash leniency (jose's `audience` option accepts any element, hence this).
 */
export function checkAudienceExact(aud: unknown, expected: string): void {
  const single = Array.isArray(aud) && aud.length === 1 ? aud[0] : aud;
  if (single !== expected) {
    throw new JwtValidationError('ERR_JWT_AUD_MISMATCH', 'aud is not exactly the expected audience', { claim: 'aud' });
  }
}

/** The audiences of an `aud` claim that is a string or an array of strings; otherwise a coded error. */
export function audienceList(aud: unknown): readonly string[] {
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud) && aud.every((item) => typeof item === 'string')) return aud;
  throw new JwtValidationError('ERR_JWT_AUD_MISMATCH', 'aud is missing or malformed', { claim: 'aud' });
}
