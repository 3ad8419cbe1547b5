import { MEDIA_TYPE_SECEVENT_JWT, SecurityEventTokenClaims, TYP_SECEVENT } from '@ema/protocol';
import { JwtValidationError } from './errors.js';
import { checkAudienceExact } from './lib/check-audience.js';
import { matchesSchema, optionalNumericDate, requireNonEmptyString, requireNumericDate } from './lib/check-claims.js';
import { checkIssuerAlgorithm, checkProtectedHeader } from './lib/check-header.js';
import { checkIssuedAt, checkNotTooOld } from './lib/check-times.js';
import { readCompactJwt } from './lib/read-compact-jwt.js';
import { clockOf, type ProtectedHeader, type VerifyCommonOptions } from './lib/verify-options.js';
import { verifySignature } from './lib/verify-signature.js';
import { withCodedErrors } from './lib/with-coded-errors.js';
import type { TrustedIssuer } from './verify-id-jag.js';

/** Options of {@link verifySecurityEventToken}. */
export interface VerifySecurityEventTokenOptions extends VerifyCommonOptions {
  /**
   * The transmitters this receiver accepts events from, by the token's (unverified) `iss`; `undefined` means
   * untrusted. SSF 1.0 §4.1: `iss` must be the issuer of the stream the event came on.
   */
  trustedIssuers: (iss: string) => TrustedIssuer | undefined;
  /** This receiver's identifier: `aud` must equal it exactly (a string, or an array of exactly one element). */
  audience: string;
  /**
   * A SET has no `exp` (SSF 1.0 §4.1), so freshness is a window on `iat`: at most this many seconds old (plus the
   * clock tolerance). The receiver must remember each `jti` at least this long to refuse replays.
   */
  maxAgeSeconds: number;
}

/** A verified Security Event Token. */
export interface VerifiedSecurityEventToken {
  claims: SecurityEventTokenClaims;
  header: ProtectedHeader;
}

/**
 * Verifies a Security Event Token as a receiver of RFC 8935 push delivery must (RFC 8417 §2, §4; SSF 1.0 §4.1):
 * `typ` `secevent+jwt`, allow-listed `alg`, a trusted transmitter, signature, `iss` exactly, `aud` exactly this
 * receiver, `iat` neither in the future nor older than the window, no `sub` and no `exp`, an `events` object of event
 * objects, `sub_id` a subject identifier. Single use of `jti` is the caller's check (it needs storage). Throws
 * {@link JwtValidationError} (and nothing else).
 */
export function verifySecurityEventToken(
  token: string,
  options: VerifySecurityEventTokenOptions,
): Promise<VerifiedSecurityEventToken> {
  return withCodedErrors(async () => {
    const unverified = readCompactJwt(token);
    // RFC 8417 §2.3, SSF 1.0 §4.1 (explicit typing, also in the media-type form that RFC 7515 §4.1.9 makes
    // equivalent); RFC 8725 §3.1: the alg allow-list, before any key lookup.
    const alg = checkProtectedHeader(unverified.header, {
      algorithms: options.algorithms,
      typ: [TYP_SECEVENT, MEDIA_TYPE_SECEVENT_JWT],
    });
    const trusted = trustedTransmitter(unverified.payload, options);
    checkIssuerAlgorithm(alg, trusted.algorithms);
    const { now, tolerance } = clockOf(options);
    const { header, claims } = await verifySignature(token, unverified, {
      alg,
      keys: trusted.keys,
      issuer: trusted.issuer,
      now,
      tolerance,
    });
    // RFC 8417 §2.2: iss, iat, jti and events are required.
    requireNonEmptyString(claims, 'jti');
    const iat = requireNumericDate(claims, 'iat');
    optionalNumericDate(claims, 'toe');
    // SSF 1.0 §4.1: neither sub nor exp may be present (a SET must never pass for another kind of JWT).
    for (const forbidden of ['sub', 'exp'] as const) {
      if (Object.hasOwn(claims, forbidden)) {
        throw new JwtValidationError('ERR_JWT_CLAIM_INVALID', `a SET must not carry "${forbidden}"`, {
          claim: forbidden,
        });
      }
    }
    // RFC 8417 §2.2: aud identifies the recipient; this receiver accepts only itself, exactly.
    checkAudienceExact(claims.aud, options.audience);
    checkIssuedAt(iat, now, tolerance);
    checkNotTooOld(iat, now, options.maxAgeSeconds, tolerance);
    checkEvents(claims.events);
    checkSubjectIdentifier(claims.sub_id);
    matchesSchema(SecurityEventTokenClaims, claims);
    return { claims, header };
  });
}

function trustedTransmitter(payload: Record<string, unknown>, options: VerifySecurityEventTokenOptions): TrustedIssuer {
  const iss = requireNonEmptyString(payload, 'iss');
  let trusted: TrustedIssuer | undefined;
  try {
    trusted = options.trustedIssuers(iss);
  } catch (cause) {
    throw new JwtValidationError('ERR_JWT_ISSUER_UNTRUSTED', 'the trusted-issuer lookup failed', {
      claim: 'iss',
      cause,
    });
  }
  if (trusted === undefined) {
    throw new JwtValidationError('ERR_JWT_ISSUER_UNTRUSTED', 'iss is not a trusted transmitter', { claim: 'iss' });
  }
  return trusted;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// RFC 8417 §2.2: "events" is a JSON object whose members are event type URIs, each with a JSON object as its value.
function checkEvents(events: unknown): void {
  if (!isObject(events)) {
    throw new JwtValidationError('ERR_SET_EVENTS_INVALID', 'events is not an object', { claim: 'events' });
  }
  const entries = Object.entries(events);
  if (entries.length === 0) {
    throw new JwtValidationError('ERR_SET_EVENTS_INVALID', 'events is empty', { claim: 'events' });
  }
  for (const [type, payload] of entries) {
    if (!URL.canParse(type) || !isObject(payload)) {
      throw new JwtValidationError('ERR_SET_EVENTS_INVALID', 'an event is not a URI with an object', {
        claim: 'events',
      });
    }
  }
}

// RFC 9493 §3: a subject identifier is an object whose "format" member names its format.
function checkSubjectIdentifier(subject: unknown): void {
  if (subject === undefined) return;
  if (!isObject(subject) || typeof subject.format !== 'string' || subject.format.length === 0) {
    throw new JwtValidationError('ERR_JWT_CLAIM_INVALID', 'sub_id is not a subject identifier', { claim: 'sub_id' });
  }
}
