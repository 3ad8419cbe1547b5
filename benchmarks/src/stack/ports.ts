import { freePorts } from '@ema/stack';

/** Where each server listens (all on loopback). */
export interface StackPorts {
  idp: number;
  ras: number;
  mcp: number;
  bound: number;
}

/** The benchmark's fixed ports: distinct from the demo's 3100/3200/3300 so both can run side by side. */
export const BENCH_PORTS: StackPorts = { idp: 4100, ras: 4200, mcp: 4300, bound: 4400 };

/**
 * Four ports that were free a moment ago. The smoke test uses these so that it never collides with a benchmark or
 * demo running on the same machine.
 */
export async function freeStackPorts(): Promise<StackPorts> {
  const [idp, ras, mcp, bound] = await freePorts(4);
  if (!idp || !ras || !mcp || !bound) throw new Error('could not find four free ports');
  return { idp, ras, mcp, bound };
}
