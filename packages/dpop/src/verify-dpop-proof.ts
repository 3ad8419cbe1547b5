/**
 * Checking a DPoP proof (RFC 9449 §4.3), framework-neutral: the same function serves a token endpoint (IdP, RAS)
 * and a protected resource (the MCP server). The checks run in the order of §4.3's list; the `jti` is consumed last,
 * so a proof refused for any other reason is not burnt.
 */
import { hasControlCharacter, TYP_DPOP_PROOF } from '@ema/protocol';
import {
  calculateJwkThumbprint,
  decodeProtectedHeader,
  EmbeddedJWK,
  type JWK,
  type JWTPayload,
  type JWTVerifyResult,
  jwtVerify,
} from 'jose';
import { accessTokenHash } from './access-token-hash.js';
import { DpopProofError } from './errors.js';
import { normalizeHtu } from './htu.js';
import type { DpopNonces } from './nonces.js';
import type { DpopReplayStore } from './replay-store.js';

/** Options of {@link verifyDpopProof}. */
export interface VerifyDpopProofOptions {
  /** The HTTP method of the request (check 8). */
  htm: string;
  /** The absolute URI of the request as this server is reached (its public URL, not a proxy's): check 9. */
  htu: string;
  /** RFC 9449 §5.1 `dpop_signing_alg_values_supported`: the allow-list, asymmetric only (check 5). */
  algorithms: readonly string[];
  /** Check 10 and §8/§9: when given, every proof must carry a nonce these accept, else `ERR_DPOP_NONCE_REQUIRED`. */
  nonces?: Pick<DpopNonces, 'isValid'>;
  /** §11.1: where seen proofs are recorded; a proof seen before is refused. */
  replay: DpopReplayStore;
  /** Check 12, at a protected resource: the access token sent with the proof (`ath` must be its hash). */
  accessToken?: string;
  /** Check 12: the thumbprint the access token (or ID-JAG) is bound to, its `cnf.jkt`; the proof's key must match. */
  jkt?: string;
  /** Check 11: how old a proof's `iat` may be, in seconds (default 60). */
  maxAgeSeconds?: number;
  /** Check 11: how far in the future `iat` may be (clock skew), in seconds (default 5). */
  clockToleranceSeconds?: number;
  /** "Now", for tests. */
  currentDate?: Date;
}

/** A proof that passed every check. */
export interface VerifiedDpopProof {
  /** RFC 7638 SHA-256 thumbprint of the proof's key: what `cnf.jkt` of a bound token names (RFC 9449 §6.1). */
  jkt: string;
  /** The public key the proof was signed with. */
  jwk: JWK;
  claims: JWTPayload;
}

// RFC 7515 §7.1: one compact JWS; anything else (two proofs joined by a comma, a JSON serialization) is malformed.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
// RFC 7517 §9.2 / RFC 7518 §6: members that only a private or symmetric key has.
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const MAX_JTI_LENGTH = 256;

/** Reads the `DPoP` header as Node hands it over: one value, or `undefined` when absent (check 1: one header). */
export function readDpopHeader(value: string | readonly string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    if (value.length !== 1) throw new DpopProofError('ERR_DPOP_MALFORMED', 'more than one DPoP header');
    return value[0];
  }
  return value;
}

/**
 * Verifies one DPoP proof. Returns the key's thumbprint and the claims; throws {@link DpopProofError} (and nothing
 * else: a library error becomes `ERR_DPOP_SIGNATURE_INVALID` or `ERR_DPOP_MALFORMED`).
 */
export async function verifyDpopProof(proof: string, options: VerifyDpopProofOptions): Promise<VerifiedDpopProof> {
  const nowMs = options.currentDate?.getTime() ?? Date.now();
  const now = Math.floor(nowMs / 1000);
  // Check 2: a single, well-formed JWT (a second header joined by Node with ", " fails here too: check 1).
  if (!COMPACT_JWS.test(proof)) throw new DpopProofError('ERR_DPOP_MALFORMED', 'not one compact JWS');
  const header = readHeader(proof);
  // Check 4: typ is exactly dpop+jwt (RFC 8725 §3.11 explicit typing).
  if (header.typ !== TYP_DPOP_PROOF) throw new DpopProofError('ERR_DPOP_TYP_MISMATCH', 'typ is not dpop+jwt');
  // Check 5: an asymmetric algorithm on the allow-list, never none nor a MAC.
  const alg = header.alg;
  if (typeof alg !== 'string' || !options.algorithms.includes(alg) || alg === 'none' || /^HS/i.test(alg)) {
    throw new DpopProofError('ERR_DPOP_ALG_NOT_ALLOWED', 'alg is not on the allow-list');
  }
  // Check 7 (before the signature, so a private key is never even imported): jwk is a public key.
  const jwk = header.jwk;
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
    throw new DpopProofError('ERR_DPOP_JWK_INVALID', 'the header has no jwk');
  }
  if (PRIVATE_MEMBERS.some((member) => Object.hasOwn(jwk, member))) {
    throw new DpopProofError('ERR_DPOP_JWK_INVALID', 'jwk holds a private or symmetric key');
  }
  // RFC 7515 §4.1.11: no extension is understood here.
  if (header.crit !== undefined) throw new DpopProofError('ERR_DPOP_MALFORMED', 'crit is not supported');
  // Check 6: the signature verifies with that key.
  const { payload } = await verifySignature(proof, options.algorithms);
  // Check 3: the claims of §4.2, with their types.
  const claims = requireClaims(payload);
  // Check 8: htm is the request's method (RFC 9110 §9.1: methods are case-sensitive).
  if (claims.htm !== options.htm) throw new DpopProofError('ERR_DPOP_HTM_MISMATCH', 'htm is not the request method');
  // Check 9: htu is the request URI, both normalized, query and fragment ignored.
  const expectedHtu = normalizeHtu(options.htu);
  if (expectedHtu === undefined || normalizeHtu(claims.htu) !== expectedHtu) {
    throw new DpopProofError('ERR_DPOP_HTU_MISMATCH', 'htu is not the request URI');
  }
  // Check 10, §8 and §9: when this server hands out nonces, the proof carries a current one.
  if (options.nonces !== undefined) {
    const nonce = payload.nonce;
    if (typeof nonce !== 'string' || !options.nonces.isValid(nonce)) {
      throw new DpopProofError('ERR_DPOP_NONCE_REQUIRED', 'no nonce, or not a current one');
    }
  }
  // Check 11 and §11.1: iat within the window (not too old, not from the future beyond the skew).
  const maxAge = options.maxAgeSeconds ?? 60;
  const tolerance = options.clockToleranceSeconds ?? 5;
  if (claims.iat > now + tolerance || claims.iat < now - maxAge) {
    throw new DpopProofError('ERR_DPOP_IAT_OUT_OF_WINDOW', 'iat is outside the acceptance window');
  }
  // Check 12: at a resource, ath is the hash of the access token sent with it.
  if (options.accessToken !== undefined && payload.ath !== accessTokenHash(options.accessToken)) {
    throw new DpopProofError('ERR_DPOP_ATH_MISMATCH', 'ath is not the hash of the access token');
  }
  // Check 12 (and ID-JAG cnf at a RAS): the key is the one the token is bound to.
  const jkt = await calculateJwkThumbprint(jwk as JWK, 'sha256');
  if (options.jkt !== undefined && jkt !== options.jkt) {
    throw new DpopProofError('ERR_DPOP_KEY_MISMATCH', 'the proof key is not the bound key');
  }
  // §11.1, last: a proof is accepted once. It stays recorded until its iat leaves the window.
  const fresh = await options.replay.consume({ jkt, jti: claims.jti, exp: claims.iat + maxAge + tolerance }, nowMs);
  if (!fresh) throw new DpopProofError('ERR_DPOP_REPLAYED', 'this proof was already used');
  return { jkt, jwk: jwk as JWK, claims: payload };
}

function readHeader(proof: string): Record<string, unknown> {
  try {
    return decodeProtectedHeader(proof);
  } catch (error) {
    throw new DpopProofError('ERR_DPOP_MALFORMED', 'the header is not JSON', { cause: error });
  }
}

async function verifySignature(proof: string, algorithms: readonly string[]): Promise<JWTVerifyResult> {
  try {
    return await jwtVerify(proof, EmbeddedJWK, { algorithms: [...algorithms] });
  } catch (error) {
    // jose also refuses a payload that is not a JSON object, or an exp/nbf that has passed: not authentic as sent.
    throw new DpopProofError('ERR_DPOP_SIGNATURE_INVALID', 'the proof signature does not verify', { cause: error });
  }
}

interface ProofClaims {
  jti: string;
  htm: string;
  htu: string;
  iat: number;
}

// RFC 9449 §4.2: jti, htm, htu and iat are required; ath and nonce are checked where they apply.
function requireClaims(payload: JWTPayload): ProofClaims {
  const { jti, htm, htu, iat } = payload;
  // The jti is stored to refuse replays: a control character in it means nothing (and PostgreSQL text cannot hold U+0000).
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_LENGTH || hasControlCharacter(jti)) {
    throw new DpopProofError('ERR_DPOP_MALFORMED', 'jti is missing or malformed');
  }
  if (typeof htm !== 'string' || typeof htu !== 'string') {
    throw new DpopProofError('ERR_DPOP_MALFORMED', 'htm or htu is missing');
  }
  if (typeof iat !== 'number' || !Number.isInteger(iat)) {
    throw new DpopProofError('ERR_DPOP_MALFORMED', 'iat is missing or not a NumericDate');
  }
  return { jti, htm, htu, iat };
}
