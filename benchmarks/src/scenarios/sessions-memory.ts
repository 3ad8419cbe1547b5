import type { RunningProcess } from '@ema/stack';
import { createHttpClient } from '../client/http-client.js';
import { openMcpSession } from '../client/mcp-client.js';
import { currentRssBytes } from '../stack/peak-rss.js';
import type { Stack } from '../stack/stack.js';
import type { BenchContext } from './context.js';

/** One reading: a server's resident memory with this many idle MCP sessions open. */
export interface SessionMemoryReading {
  /** `mcp` (ours) or `peer-mcp` (the MCP SDK's README server). */
  server: string;
  sessions: number;
  rssBytes: number;
}

/** Parallel `initialize` requests while opening sessions (set-up, not measured). */
const OPENERS = 8;
/** Pause before each reading, so that the collector can run and the reading is not of garbage in flight. */
const SETTLE_MS = 1500;

/**
 * Memory against idle sessions (issue 19): for our MCP server and the SDK peer, opens sessions (one `initialize` and
 * `notifications/initialized` each, as agents do) up to each count of `settings.sessionCounts` and reads the
 * process's RSS there. Sessions stay open to the end of the run, so this runs last among the load scenarios.
 */
export async function measureSessionsMemory(context: BenchContext<Stack>): Promise<SessionMemoryReading[]> {
  const { stack, settings } = context;
  const servers: { name: string; endpoint: string; process: RunningProcess }[] = [
    { name: 'mcp', endpoint: stack.urls.mcpEndpoint, process: stack.mcp },
    { name: 'peer-mcp', endpoint: stack.peers.mcpEndpoint, process: stack.peers.mcp },
  ];
  const counts = [...settings.sessionCounts].sort((a, b) => a - b);
  const readings: SessionMemoryReading[] = [];
  const http = createHttpClient({ maxSockets: OPENERS });
  try {
    for (const server of servers) {
      let open = 0;
      for (const count of counts) {
        const missing = count - open;
        let next = 0;
        await Promise.all(
          Array.from({ length: Math.min(OPENERS, missing) }, async () => {
            while (next < missing) {
              next += 1;
              await openMcpSession(http, server.endpoint, context.inputs.accessToken);
            }
          }),
        );
        open = count;
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        const rssBytes = currentRssBytes(server.process.pid);
        if (rssBytes !== undefined) readings.push({ server: server.name, sessions: count, rssBytes });
        context.log(`  ${server.name}: ${count} idle sessions, RSS ${((rssBytes ?? 0) / 2 ** 20).toFixed(0)} MB`);
      }
    }
    return readings;
  } finally {
    http.close();
  }
}
