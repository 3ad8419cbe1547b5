/** How a wait for a health check ended. */
export type HealthWait = 'healthy' | 'timeout' | 'aborted';

const POLL_MS = 100;
const REQUEST_TIMEOUT_MS = 1000;

/**
 * Polls `GET url` until it answers 200 (or the check until it resolves `true`), the time-out passes, or the signal
 * aborts the wait.
 */
export async function waitHealthy(
  target: string | (() => Promise<boolean>),
  timeoutMs: number,
  signal: AbortSignal,
): Promise<HealthWait> {
  const deadline = Date.now() + timeoutMs;
  while (!signal.aborted) {
    if (typeof target === 'function') {
      if (await target().catch(() => false)) return 'healthy';
      if (Date.now() >= deadline) return 'timeout';
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      continue;
    }
    const url = target;
    try {
      const response = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) });
      await response.body?.cancel();
      if (response.ok) return 'healthy';
    } catch {
      // Not listening yet, or the wait was aborted (checked by the loop).
    }
    if (Date.now() >= deadline) return 'timeout';
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return 'aborted';
}
