/**
 * Server-provided DPoP nonces (RFC 9449 §8 at an authorization server, §9 at a resource server), stateless: a nonce
 * names a time step and carries an HMAC of it, so any instance holding the same secret accepts it and nothing is
 * stored. A nonce is accepted during its own step and the next one, so a client that has one always has at least
 * one full step to use it; a proof carrying an accepted nonce was made recently (§11.2: no pre-generated proofs).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Options of {@link createDpopNonces}. */
export interface DpopNonceOptions {
  /**
   * The HMAC key (at least 32 bytes). Instances serving the same endpoint must share it; default: random, so the
   * nonces of this process are refused after a restart (the client then gets a new one: one extra round trip).
   */
  secret?: Uint8Array;
  /** Length of a time step in seconds (default 300). */
  stepSeconds?: number;
  /** The clock, epoch milliseconds (default `Date.now`). */
  now?: () => number;
}

/** Issues and checks the nonces of one server. */
export interface DpopNonces {
  /** The nonce to hand out now (`DPoP-Nonce` header). */
  current(): string;
  /** Whether `nonce` is one this server issued in the current or the previous step. */
  isValid(nonce: string): boolean;
}

const NONCE = /^([0-9]{1,15})\.([A-Za-z0-9_-]{43})$/;

/** Builds the nonce source of one server. */
export function createDpopNonces(options: DpopNonceOptions = {}): DpopNonces {
  const secret = options.secret ?? randomBytes(32);
  if (secret.length < 32) throw new RangeError('a DPoP nonce secret needs at least 32 bytes');
  const stepMs = (options.stepSeconds ?? 300) * 1000;
  if (!Number.isInteger(stepMs) || stepMs <= 0) throw new RangeError('stepSeconds must be a positive number');
  const now = options.now ?? Date.now;
  const mac = (step: number) => createHmac('sha256', secret).update(`dpop-nonce.${step}`).digest();
  return {
    current() {
      const step = Math.floor(now() / stepMs);
      return `${step}.${mac(step).toString('base64url')}`;
    },
    isValid(nonce) {
      const match = NONCE.exec(nonce);
      if (match === null) return false;
      const step = Number(match[1]);
      const current = Math.floor(now() / stepMs);
      if (step !== current && step !== current - 1) return false;
      return timingSafeEqual(Buffer.from(match[2] ?? '', 'base64url'), mac(step));
    },
  };
}
