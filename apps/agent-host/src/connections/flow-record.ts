/**
 * The flow inspector's record of the last connection: the exchanges of the connect (discovery, token exchange,
 * jwt-bearer grant, first MCP calls) and those of later actions on the same server (tool calls, silent re-mints).
 * Already redacted by the flow recorder: tokens decoded without signatures, secrets replaced.
 */
import type { RecordedExchange } from '../inspector/flow-recorder.js';

/** See the module comment. */
export interface FlowRecord {
  serverId: string;
  serverName: string;
  serverUrl: string;
  startedAt: number;
  outcome: { ok: boolean; summary: string };
  exchanges: RecordedExchange[];
  later: RecordedExchange[];
}

const MAX_LATER = 40;

/** Appends the exchanges of a later action, keeping the most recent. */
export function appendLater(record: FlowRecord, exchanges: readonly RecordedExchange[]): FlowRecord {
  return { ...record, later: [...record.later, ...exchanges].slice(-MAX_LATER) };
}

/** Parses a stored record. */
export function parseFlowRecord(json: string | undefined): FlowRecord | undefined {
  return json === undefined ? undefined : (JSON.parse(json) as FlowRecord);
}
