import type { LoadScenarioId } from '../settings.js';

/**
 * The floors, each a bare Fastify endpoint in the bound's process: `bound` does the signature work of a token
 * exchange (one ES256 verify and one ES256 sign), `verify-floor` that of a tool call (one ES256 verify), and
 * `bound-dpop` the bound plus one DPoP proof verification (the floor of the DPoP variants).
 */
export type FloorId = 'bound' | 'verify-floor' | 'bound-dpop';

/** The floors, in the order they are measured at each concurrency (before every other scenario). */
export const FLOORS: readonly FloorId[] = ['bound', 'verify-floor', 'bound-dpop'];

/** Whether a scenario is itself a floor. */
export function isFloor(scenario: LoadScenarioId): scenario is FloorId {
  return FLOORS.some((floor) => floor === scenario);
}

/**
 * The floor a scenario is divided by: the least cryptography its request needs. A tool call (ours or the MCP peer's)
 * needs one verify; an exchange or a redemption one verify and one sign; the whole flow is read against the bound, as
 * before (its floor is 0.4 of it: five signature operations where the bound does two).
 */
export function floorOf(scenario: LoadScenarioId): FloorId {
  if (scenario.endsWith('-dpop')) return 'bound-dpop';
  return scenario === 'tools-call' || scenario === 'peer-mcp' || scenario === 'verify-floor' ? 'verify-floor' : 'bound';
}

/** The peer a scenario is compared with ("× peer"): what an implementer would otherwise use for the same request. */
export const PEER_OF: Partial<Record<LoadScenarioId, LoadScenarioId>> = {
  'jwt-bearer': 'peer-ras',
  'tools-call': 'peer-mcp',
};
