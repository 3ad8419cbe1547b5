import type { AuditEvent, RedemptionAuditLog } from '@ema/oauth-server';

/**
 * The audit seam as JSON Lines written to `write` (stdout by default): every redemption, allowed or refused, with its
 * precise reason, which the client never sees. A token is named by its `jti`, never by its value. A deployment sends
 * these records to durable, append-only storage, committed with the consumed `jti` (the RAS: one SQLite transaction).
 */
export function createJsonLinesAuditLog(
  write: (line: string) => void,
  now: () => number = Date.now,
): RedemptionAuditLog {
  return {
    record(event: AuditEvent) {
      write(`${JSON.stringify({ at: new Date(now()).toISOString(), ...event })}\n`);
    },
  };
}
