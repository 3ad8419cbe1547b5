/** Limits of {@link createSignInThrottle}. */
export interface SignInThrottleLimits {
  /** Failed sign-ins allowed per (username, client IP) within the window. Default 5. */
  readonly perAccountAndAddress: number;
  /** Failed sign-ins allowed per client IP (any username, so password spraying) within the window. Default 30. */
  readonly perAddress: number;
  /** Length of the window, seconds; a blocked key is released when its window ends. Default 900. */
  readonly windowSeconds: number;
}

/** Counts failed sign-ins and says when the next attempt must wait (in-memory, per process). */
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

// Bounds memory under a flood of distinct usernames or addresses: past this, expired windows are dropped, then
// the oldest ones.
const MAX_TRACKED_KEYS = 10_000;

interface Window {
  readonly start: number;
  failures: number;
}

/**
 * A fixed-window failure counter for the sign-in form (RFC 9700 §4.1 leaves password guessing to the AS;
 * OWASP Authentication Cheat Sheet: throttle per account and per source). Keyed on the (username, IP) pair, so a
 * stranger cannot lock a user out from elsewhere, and on the IP alone, so one source cannot spray many accounts.
 */
export function createSignInThrottle(limits: SignInThrottleLimits = SIGN_IN_THROTTLE_DEFAULTS): SignInThrottle {
  const windows = new Map<string, Window>();
  const pairKey = (username: string, address: string) => `u:${username.toLowerCase()}\u0000${address}`;
  const addressKey = (address: string) => `a:${address}`;

  const live = (key: string, now: number): Window | undefined => {
    const window = windows.get(key);
    if (window === undefined) return undefined;
    if (now - window.start < limits.windowSeconds) return window;
    windows.delete(key);
    return undefined;
  };
  const wait = (key: string, limit: number, now: number): number => {
    const window = live(key, now);
    return window === undefined || window.failures < limit ? 0 : window.start + limits.windowSeconds - now;
  };
  const count = (key: string, now: number): void => {
    const window = live(key, now);
    if (window !== undefined) {
      window.failures += 1;
      return;
    }
    if (windows.size >= MAX_TRACKED_KEYS) prune(now);
    windows.set(key, { start: now, failures: 1 });
  };
  const prune = (now: number): void => {
    for (const [key, window] of windows) if (now - window.start >= limits.windowSeconds) windows.delete(key);
    // Map iteration is insertion order: the first keys are the oldest windows.
    for (const key of windows.keys()) {
      if (windows.size < MAX_TRACKED_KEYS) break;
      windows.delete(key);
    }
  };

  return {
    retryAfter: (username, address, now) =>
      Math.max(
        wait(pairKey(username, address), limits.perAccountAndAddress, now),
        wait(addressKey(address), limits.perAddress, now),
      ),
    recordFailure: (username, address, now) => {
      count(pairKey(username, address), now);
      count(addressKey(address), now);
    },
    recordSuccess: (username, address) => {
      windows.delete(pairKey(username, address));
    },
  };
}
