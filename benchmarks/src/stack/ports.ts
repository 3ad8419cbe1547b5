import { freePorts, PORT_OFFSET_ENV, portOffsetOf } from '@ema/stack';

/** Where the three apps and the bound listen (all on loopback): what every benchmark stack has. */
export interface AppPorts {
  idp: number;
  ras: number;
  mcp: number;
  bound: number;
}

/** Where each server of the benchmark's stack listens: the apps, the bound and the peers. */
export interface StackPorts extends AppPorts {
  /** The peers: the MCP SDK's README server and the oidc-provider RAS. */
  peerMcp: number;
  peerRas: number;
}

/** The benchmark's fixed ports: distinct from the demo's 3100/3200/3300 so both can run side by side. */
export const BENCH_PORTS: StackPorts = { idp: 4100, ras: 4200, mcp: 4300, bound: 4400, peerMcp: 4500, peerRas: 4600 };

/**
 * The fixed ports moved by `EMA_PORT_OFFSET` (as `pnpm start` and the browser suite are), so that a second copy of
 * the repository can run its benchmark beside the first one.
 */
export function benchPorts(env: NodeJS.ProcessEnv): StackPorts {
  const offset = portOffsetOf(env);
  const last = Math.max(...Object.values(BENCH_PORTS));
  if (offset + last > 65535) throw new Error(`${PORT_OFFSET_ENV}: ${offset} moves the benchmark past port 65535`);
  return {
    idp: BENCH_PORTS.idp + offset,
    ras: BENCH_PORTS.ras + offset,
    mcp: BENCH_PORTS.mcp + offset,
    bound: BENCH_PORTS.bound + offset,
    peerMcp: BENCH_PORTS.peerMcp + offset,
    peerRas: BENCH_PORTS.peerRas + offset,
  };
}

/**
 * Ports that were free a moment ago. The smoke test uses these so that it never collides with a benchmark or demo
 * running on the same machine.
 */
export async function freeStackPorts(): Promise<StackPorts> {
  const [idp, ras, mcp, bound, peerMcp, peerRas] = await freePorts(6);
  if (!idp || !ras || !mcp || !bound || !peerMcp || !peerRas) throw new Error('could not find six free ports');
  return { idp, ras, mcp, bound, peerMcp, peerRas };
}
