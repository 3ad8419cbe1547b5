import type { JWTHeaderParameters } from 'jose';

/** The verified protected header of a token. */
export type ProtectedHeader = JWTHeaderParameters;

/** Options every validator takes. */
export interface VerifyCommonOptions {
  /** RFC 8725 §3.1: the explicit allow-list of `alg` values. `none` and `HS*` are refused even when listed. */
  algorithms: readonly string[];
  /** Leeway for `exp`, `nbf`, `iat` and `auth_time` (seconds, default 30: the profile's decision). */
  clockToleranceSeconds?: number;
  /** "Now", for tests and replays (default: the current time). */
  currentDate?: Date;
}

/** The profile's default clock tolerance (docs/protocol.md "Decisions this project made": 30 s). */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;

/** Resolves "now" (whole seconds) and the tolerance from the common options. */
export function clockOf(options: VerifyCommonOptions): { now: number; tolerance: number } {
  const nowMs = options.currentDate?.getTime() ?? Date.now();
  const tolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  return { now: Math.floor(nowMs / 1000), tolerance };
}
