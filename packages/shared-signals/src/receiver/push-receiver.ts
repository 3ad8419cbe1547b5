/**
 * The receiving end of push delivery (RFC 8935 §2), neutral to framework and storage: one request in (its media
 * type, `Authorization` header and body), the answer out. In order: the media type, the transmitter's credential,
 * the SET itself (`verifySecurityEventToken`: typ, alg, trusted issuer, signature, aud, iat window, shape), that the
 * credential's transmitter is the SET's issuer, the event, then, in one commit, single use of the `jti` and the
 * receiver's effects. Success is `202`; a refusal is `400` with the RFC 8935 §2.3 body and changes nothing; keys
 * that cannot be fetched (the transmitter is not at fault) are `503`, which the transmitter retries.
 */
import { JwtValidationError, type TrustedIssuer, verifySecurityEventToken } from '@ema/jwt';
import { MEDIA_TYPE_SECEVENT_JWT, type PushErrorResponse, type SecurityEventTokenClaims } from '@ema/protocol';
import { type ReceivedEvent, readReceivedEvent } from '../events/received-event.js';
import { PushRefusal } from './push-error.js';
import type { EventCommit, ReceivedSecurityEvents } from './received-events.js';

/** One push request, as the HTTP layer read it. */
export interface PushRequest {
  /** The `Content-Type` header. */
  contentType: string | undefined;
  /** The `Authorization` header. */
  authorization: string | undefined;
  /** The body as text (a compact SET); anything else is refused. */
  body: unknown;
}

/** The answer to send: `202`, `400` with an RFC 8935 body, or `503` (retry later). */
export type PushAnswer =
  | { status: 202; event: ReceivedEvent; claims: SecurityEventTokenClaims }
  | { status: 400; body: PushErrorResponse; reason: string }
  | { status: 503; reason: string };

/** A verified, first-time SET and what it says, handed to the receiver's effects inside the commit. */
export interface AcceptedSecurityEvent {
  claims: SecurityEventTokenClaims;
  event: ReceivedEvent;
}

/** Configuration of {@link createPushReceiver}; build it once. */
export interface PushReceiverOptions {
  /** This receiver's identifier: the exact `aud` of every SET (the stream's `aud`). */
  audience: string;
  /** RFC 8725 §3.1: the `alg` allow-list, asymmetric only. */
  algorithms: readonly string[];
  /** The transmitters whose SETs are accepted, with their keys (SSF 1.0 §4.1: `iss` is the stream's issuer). */
  trustedTransmitters: (iss: string) => TrustedIssuer | undefined;
  /**
   * The transmitter a push request's `Authorization` header authenticates (SSF 1.0 §6.1.1 `authorization_header`),
   * or `undefined` when it authenticates none (`authentication_failed`). Omit it to rely on the SET signature alone.
   */
  authenticateTransmitter?: (authorization: string | undefined) => string | undefined;
  /** The `iat` window, seconds (a SET has no `exp`): also how long each `jti` is remembered. */
  maxAgeSeconds: number;
  /** Leeway on `iat` (default 30 s). */
  clockToleranceSeconds?: number;
  /** Single use of `(iss, jti)`. */
  receivedEvents: ReceivedSecurityEvents;
  /** The atomic, durable commit of a receipt. */
  commit: EventCommit;
  /** The receiver's effects (revoke, forward, audit), synchronous, inside the commit with the `jti`. */
  apply: (accepted: AcceptedSecurityEvent) => void;
  /** Epoch milliseconds. */
  now: () => number;
}

/** Receives one push request; never throws for bad input (a storage failure does reject). */
export type PushReceiver = (request: PushRequest) => Promise<PushAnswer>;

const DEFAULT_TOLERANCE_SECONDS = 30;
/** A compact SET of this profile is a few hundred bytes; a bound keeps a flood of huge bodies cheap to refuse. */
export const MAX_SET_BYTES = 16 * 1024;

/** Builds the receiver. */
export function createPushReceiver(options: PushReceiverOptions): PushReceiver {
  const tolerance = options.clockToleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  return async (request) => {
    try {
      return await receive(request);
    } catch (error) {
      if (error instanceof PushRefusal) return { status: 400, body: error.toResponseBody(), reason: error.reason };
      if (error instanceof JwtValidationError && error.code === 'ERR_JWKS_UNAVAILABLE') {
        return { status: 503, reason: error.code };
      }
      throw error;
    }
  };

  async function receive(request: PushRequest): Promise<PushAnswer> {
    // RFC 8935 §2: the body is a SET, media type application/secevent+jwt.
    if (mediaType(request.contentType) !== MEDIA_TYPE_SECEVENT_JWT) {
      throw new PushRefusal('invalid_request', `the media type must be ${MEDIA_TYPE_SECEVENT_JWT}`, 'media_type');
    }
    if (typeof request.body !== 'string' || request.body.length === 0 || request.body.length > MAX_SET_BYTES) {
      throw new PushRefusal('invalid_request', 'the body is not a SET', 'body');
    }
    const authenticated = authenticate(request.authorization);
    const nowMs = options.now();
    const claims = await verify(request.body, nowMs);
    // RFC 8935 §2.4 access_denied: this transmitter's credential does not let it speak for another issuer.
    if (authenticated !== undefined && authenticated !== claims.iss) {
      throw new PushRefusal('access_denied', 'the SET Transmitter may not transmit this SET', 'issuer_not_credential');
    }
    const event = readReceivedEvent(claims);
    const keepUntil = (claims.iat + options.maxAgeSeconds + tolerance) * 1000;
    const fresh = await options.commit.submit(() => {
      // RFC 8417 §2.2 jti: once only. Recorded with the effects, so a replay changes nothing.
      if (!options.receivedEvents.record({ iss: claims.iss, jti: claims.jti, receivedAt: nowMs, keepUntil })) {
        return false;
      }
      options.apply({ claims, event });
      return true;
    });
    if (!fresh) throw new PushRefusal('invalid_request', 'the SET was already received', 'jti_replayed');
    return { status: 202, event, claims };
  }

  function authenticate(authorization: string | undefined): string | undefined {
    if (options.authenticateTransmitter === undefined) return undefined;
    const transmitter = options.authenticateTransmitter(authorization);
    if (transmitter === undefined) {
      throw new PushRefusal('authentication_failed', 'the SET Transmitter could not be authenticated', 'credential');
    }
    return transmitter;
  }

  async function verify(token: string, nowMs: number): Promise<SecurityEventTokenClaims> {
    try {
      const { claims } = await verifySecurityEventToken(token, {
        algorithms: options.algorithms,
        trustedIssuers: options.trustedTransmitters,
        audience: options.audience,
        maxAgeSeconds: options.maxAgeSeconds,
        clockToleranceSeconds: tolerance,
        currentDate: new Date(nowMs),
      });
      return claims;
    } catch (error) {
      if (!(error instanceof JwtValidationError) || error.code === 'ERR_JWKS_UNAVAILABLE') throw error;
      throw new PushRefusal(pushErrorOf(error), DESCRIPTIONS[pushErrorOf(error)], error.code);
    }
  }
}

// RFC 8935 §2.4: which code names each failed check.
function pushErrorOf(
  error: JwtValidationError,
): 'invalid_issuer' | 'invalid_audience' | 'invalid_key' | 'invalid_request' {
  switch (error.code) {
    case 'ERR_JWT_ISSUER_UNTRUSTED':
    case 'ERR_JWT_ISSUER_MISMATCH':
      return 'invalid_issuer';
    case 'ERR_JWT_AUD_MISMATCH':
      return 'invalid_audience';
    case 'ERR_JWT_SIGNATURE_INVALID':
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWT_ALG_NOT_ALLOWED':
      return 'invalid_key';
    default:
      return 'invalid_request';
  }
}

const DESCRIPTIONS = {
  invalid_issuer: 'the SET Issuer is not a trusted transmitter',
  invalid_audience: 'the SET Audience is not this receiver',
  invalid_key: 'the SET is not signed by a key of its issuer',
  invalid_request: 'the request is not a valid SET',
} as const;

function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase();
}
