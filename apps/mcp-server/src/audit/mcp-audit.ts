import type { AccessTokenPrincipal } from '@ema/resource-server';
import type { AuditEvent, AuditLog, GroupCommit } from '@ema/storage';

/** How a tool call ended. */
export type ToolCallOutcome = 'success' | 'failure' | 'deny';

/** One tool call, as the audit trail records it. */
export interface ToolCallRecord {
  tool: string;
  caller: AccessTokenPrincipal | undefined;
  outcome: ToolCallOutcome;
  /** A stable reason code for anything but success (`insufficient_scope`, `invalid_input`, `not_found`, ...). */
  reason?: string;
  sessionId?: string;
  details?: Record<string, unknown>;
}

/** A structured logger (pino / Fastify's). */
export interface AuditLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

/** The audit trail of the MCP server: the persisted audit log plus a structured log line per event. */
export interface McpAudit {
  /**
   * Records a tool call: who (subject, client), with which token (`jti`), on which ID-JAG, and the outcome. The
   * record joins the group commit of this event-loop turn; the promise settles once it is committed (or failed).
   */
  toolCall(record: ToolCallRecord): Promise<void>;
  /**
   * Runs a tool's statements (`work`) and inserts the record `describe` makes of its result in ONE item of the group
   * commit: both are committed, or neither is. Resolves with the result once committed; rejects when `work` throws,
   * when the record cannot be inserted or when the COMMIT fails, and then nothing of the call was written.
   */
  toolCallWith<T>(work: () => T, describe: (result: T) => ToolCallRecord): Promise<T>;
  /** Records a request refused on a session that belongs to someone else. */
  sessionRefused(caller: AccessTokenPrincipal, sessionId: string): void;
}

/** Event types written to the audit log. */
export const AUDIT_TOOL_CALL = 'mcp.tool_call';
export const AUDIT_SESSION_REFUSED = 'mcp.session_refused';

/** What the audit trail writes to. */
export interface McpAuditOptions {
  /** The audit log; it shares its database with the tickets, so one transaction can hold a change and its record. */
  audit: AuditLog;
  /** The group commit of that database: tool-call records and tool writes of one event-loop turn, one COMMIT. */
  commit: GroupCommit;
  log: AuditLogger;
  resource: string;
}

/**
 * Creates the audit trail. Tokens are identified by their `jti` only, never by value (profile: Logs).
 */
export function createMcpAudit(options: McpAuditOptions): McpAudit {
  const { audit, commit, log, resource } = options;

  function identity(
    caller: AccessTokenPrincipal | undefined,
  ): Partial<AuditEvent> & { details: Record<string, unknown> } {
    if (caller === undefined) return { details: {} };
    return {
      subject: caller.subject,
      clientId: caller.clientId,
      jti: caller.jti,
      details: {
        iss: caller.issuer,
        // The ID-JAG reference the RAS copied into the access token: links this call to the IdP's policy decision.
        id_jag_jti: caller.idJagJti ?? null,
        id_jag_iss: caller.idJagIss ?? null,
      },
    };
  }

  function toolCallEvent(record: ToolCallRecord): AuditEvent {
    const who = identity(record.caller);
    return {
      ...who,
      type: AUDIT_TOOL_CALL,
      outcome: record.outcome,
      resource,
      details: { ...who.details, tool: record.tool, session_id: record.sessionId ?? null, ...record.details },
      ...(record.reason === undefined ? {} : { reason: record.reason }),
    };
  }

  function logToolCall(record: ToolCallRecord, event: AuditEvent): void {
    const line = { audit: AUDIT_TOOL_CALL, ...event };
    if (record.outcome === 'success') log.info(line, `tool call ${record.tool}: ${record.outcome}`);
    else log.warn(line, `tool call ${record.tool}: ${record.outcome} (${record.reason ?? 'unspecified'})`);
  }

  return {
    toolCall(record) {
      const event = toolCallEvent(record);
      logToolCall(record, event);
      // Inside the group commit's transaction, `record` inserts and shares the item's fate.
      return commit.submit(() => audit.record(event));
    },
    async toolCallWith(work, describe) {
      let record: ToolCallRecord | undefined;
      let event: AuditEvent | undefined;
      const result = await commit.submit(() => {
        const done = work();
        record = describe(done);
        event = toolCallEvent(record);
        audit.record(event);
        return done;
      });
      if (record !== undefined && event !== undefined) logToolCall(record, event);
      return result;
    },
    sessionRefused(caller, sessionId) {
      const who = identity(caller);
      const event: AuditEvent = {
        ...who,
        type: AUDIT_SESSION_REFUSED,
        outcome: 'deny',
        reason: 'session_owner_mismatch',
        resource,
        details: { ...who.details, session_id: sessionId },
      };
      audit.record(event);
      log.warn(
        { audit: AUDIT_SESSION_REFUSED, ...event },
        'request refused on a session owned by another user or client',
      );
    },
  };
}
