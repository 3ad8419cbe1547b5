import { VERIFY_FLOOR_PATH } from '../bound/bound-app.js';
import { mcpHeaders, toolsCallBody } from '../client/mcp-client.js';
import type { BenchContext } from './context.js';
import { measureAutocannon } from './measurement.js';
import type { Measurement } from './records.js';
import { BENCH_TOOL } from './tools-call.js';

/**
 * The floor of a tool call: the same POST as scenario 3 (headers, JSON body, a bearer token of the same claims signed
 * by the bound's key) against the bound's one-verify endpoint. Scenario 3 and the MCP peer are divided by it.
 */
export function measureVerifyFloor(context: BenchContext, concurrency: number): Promise<Measurement> {
  const { bound } = context.stack;
  return measureAutocannon(context, 'verify-floor', concurrency, [bound.process], {
    url: `${bound.url}${VERIFY_FLOOR_PATH}`,
    method: 'POST',
    headers: mcpHeaders(context.inputs.floorAccessToken),
    body: toolsCallBody(1, BENCH_TOOL),
  });
}
