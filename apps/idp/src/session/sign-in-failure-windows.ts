/** A fixed window of failed sign-ins under one key (a (username, address) pair, or an address alone). */
export interface FailureWindow {
  /** When the window opened (epoch seconds). */
  readonly start: number;
  readonly failures: number;
}

/**
 * Where the sign-in throttle keeps its failure windows. In the database (`createSqliteSignInFailureStorage`), so
 * that every instance of the IdP sharing it sees one count: a throttle tripped through one holds on the others. In
 * memory ({@link memoryFailureWindows}) for a lone process that shares nothing.
 */
export interface SignInFailureStorage {
  /** The window of `key` still open at `now` (opened less than `windowSeconds` ago), if any. */
  signInFailureWindow(key: string, now: number, windowSeconds: number): FailureWindow | undefined;
  /**
   * Counts one failure: in the open window, or in a new one opened at `now` when none is open. One statement in a
   * database, so that two instances counting at once both count.
   */
  recordSignInFailure(key: string, now: number, windowSeconds: number): void;
  /** Forgets the window of `key` (after a successful sign-in). */
  forgetSignInFailures(key: string): void;
}

// Bounds memory under a flood of distinct usernames or addresses: past this, expired windows are dropped, then
// the oldest ones.
const MAX_TRACKED_KEYS = 10_000;

/** Failure windows in this process's memory, bounded to {@link MAX_TRACKED_KEYS} keys. */
export function memoryFailureWindows(): SignInFailureStorage {
  const windows = new Map<string, { start: number; failures: number }>();
  const live = (key: string, now: number, windowSeconds: number) => {
    const window = windows.get(key);
    if (window === undefined) return undefined;
    if (now - window.start < windowSeconds) return window;
    windows.delete(key);
    return undefined;
  };
  const prune = (now: number, windowSeconds: number): void => {
    for (const [key, window] of windows) if (now - window.start >= windowSeconds) windows.delete(key);
    // Map iteration is insertion order: the first keys are the oldest windows.
    for (const key of windows.keys()) {
      if (windows.size < MAX_TRACKED_KEYS) break;
      windows.delete(key);
    }
  };
  return {
    signInFailureWindow: (key, now, windowSeconds) => {
      const window = live(key, now, windowSeconds);
      return window === undefined ? undefined : { ...window };
    },
    recordSignInFailure: (key, now, windowSeconds) => {
      const window = live(key, now, windowSeconds);
      if (window !== undefined) {
        window.failures += 1;
        return;
      }
      if (windows.size >= MAX_TRACKED_KEYS) prune(now, windowSeconds);
      windows.set(key, { start: now, failures: 1 });
    },
    forgetSignInFailures: (key) => {
      windows.delete(key);
    },
  };
}
