/** The pending step-up of a sign-in attempt: what it raises and what it tries again, and how it is read back. */

/** The action a step-up sign-in is for, tried again once it succeeds. */
export type PendingAction = { kind: 'connect' } | { kind: 'tool'; tool: string; arguments: Record<string, unknown> };

/**
 * A step-up sign-in (RFC 9470: the IdP or the MCP server asked for a stronger or more recent sign-in): the session
 * it raises, the server and action to try again, and what was asked for (checked in the new ID token).
 */
export interface PendingStepUp {
  sessionIdHash: string;
  serverId: string;
  action: PendingAction;
  acrValues?: string;
  maxAge?: number;
}

/** Reads a sealed step-up written by this app; undefined when absent or not of the expected shape. */
export function readStepUp(json: string | undefined): PendingStepUp | undefined {
  if (json === undefined) return undefined;
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { sessionIdHash, serverId, action, acrValues, maxAge } = parsed as Record<string, unknown>;
  if (typeof sessionIdHash !== 'string' || typeof serverId !== 'string') return undefined;
  if (typeof action !== 'object' || action === null) return undefined;
  const { kind, tool, arguments: args } = action as Record<string, unknown>;
  let pending: PendingAction;
  if (kind === 'connect') pending = { kind };
  else if (kind === 'tool' && typeof tool === 'string' && typeof args === 'object' && args !== null) {
    pending = { kind, tool, arguments: { ...args } };
  } else return undefined;
  return {
    sessionIdHash,
    serverId,
    action: pending,
    ...(typeof acrValues === 'string' ? { acrValues } : {}),
    ...(typeof maxAge === 'number' ? { maxAge } : {}),
  };
}
