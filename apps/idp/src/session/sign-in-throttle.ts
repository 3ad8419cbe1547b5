import { memoryFailureWindows, type SignInFailureStorage } from './sign-in-failure-windows.js';

/** Limits of {@link createSignInThrottle}. */
export interface SignInThrottleLimits {
  /** Failed sign-ins allowed per (username, client IP) within the window. Default 5. */
  readonly perAccountAndAddress: number;
  /** Failed sign-ins allowed per client IP (any username, so password spraying) within the window. Default 30. */
  readonly perAddress: number;
  /** Length of the window, seconds; a blocked key is released when its window ends. Default 900. */
  readonly windowSeconds: number;
}

/** Counts failed sign-ins and says when the next attempt must wait (in its {@link SignInFailureStorage}). */
export interface SignInThrottle {
  /** Seconds until `username` may try again from `address`; 0 when an attempt is allowed now. */
  retryAfter(username: string, address: string, now: number): number;
  /** Records a failed attempt. */
  recordFailure(username: string, address: string, now: number): void;
  /** Forgets the failures of this (username, address) pair after a successful sign-in. */
  recordSuccess(username: string, address: string): void;
}

/** The default limits. */
export const SIGN_IN_THROTTLE_DEFAULTS: SignInThrottleLimits = {
  perAccountAndAddress: 5,
  perAddress: 30,
  windowSeconds: 900,
};

/**
 * A fixed-window failure counter for the sign-in form (RFC 9700 §4.1 leaves password guessing to the AS;
 * OWASP Authentication Cheat Sheet: throttle per account and per source). Keyed on the (username, IP) pair, so a
 * stranger cannot lock a user out from elsewhere, and on the IP alone, so one source cannot spray many accounts.
 * The windows live in `windows`: the IdP's database, so that every instance sharing it counts together (a
 * throttle tripped through one instance holds on the others), or this process's memory by default.
 */
export function createSignInThrottle(
  limits: SignInThrottleLimits = SIGN_IN_THROTTLE_DEFAULTS,
  windows: SignInFailureStorage = memoryFailureWindows(),
): SignInThrottle {
  const pairKey = (username: string, address: string) => `u:${username.toLowerCase()}\u0000${address}`;
  const addressKey = (address: string) => `a:${address}`;

  const wait = (key: string, limit: number, now: number): number => {
    const window = windows.signInFailureWindow(key, now, limits.windowSeconds);
    return window === undefined || window.failures < limit ? 0 : window.start + limits.windowSeconds - now;
  };

  return {
    retryAfter: (username, address, now) =>
      Math.max(
        wait(pairKey(username, address), limits.perAccountAndAddress, now),
        wait(addressKey(address), limits.perAddress, now),
      ),
    recordFailure: (username, address, now) => {
      windows.recordSignInFailure(pairKey(username, address), now, limits.windowSeconds);
      windows.recordSignInFailure(addressKey(address), now, limits.windowSeconds);
    },
    recordSuccess: (username, address) => {
      windows.forgetSignInFailures(pairKey(username, address));
    },
  };
}
