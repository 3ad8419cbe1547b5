/**
 * The official MCP conformance tool, `@modelcontextprotocol/conformance` at a pinned release, run by npx on the
 * Node 22 it requires (fetched once into the npm cache, as the agent host's conformance test does). Its
 * `authorization` command prints an authorization URL and waits for the browser to come back to its own callback
 * server, so a run is watched while it goes: the test reads the URL from its output, drives the browser, then awaits
 * the exit.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** The release the suite pins (the agent host's and the integration tests' runs use the same). */
export const CONFORMANCE_RELEASE = '0.2.0-alpha.12';

/** A run in progress. */
export interface ConformanceRun {
  /** Resolves with the first match of `pattern` in the output so far or to come; rejects if the tool exits first. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves when the tool exits, with everything it printed (colours stripped) and its status. */
  exited: Promise<{ output: string; status: number | null }>;
}

// ECMA-48 SGR sequences: the tool colours its report.
const COLOURS = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** Starts `conformance <args>`; killed at `timeoutMs`. */
export function startConformance(args: readonly string[], timeoutMs = 120_000): ConformanceRun {
  const child = spawn(
    'npx',
    ['-y', '-p', 'node@22', '-p', `@modelcontextprotocol/conformance@${CONFORMANCE_RELEASE}`, 'conformance', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs },
  );
  let output = '';
  const watchers: Array<() => void> = [];
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8').replace(COLOURS, '');
    for (const watcher of [...watchers]) watcher();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = new Promise<{ output: string; status: number | null }>((resolve) => {
    child.on('error', (error) => resolve({ output: `${output}\n${error.message}`, status: null }));
    child.on('close', (status) => resolve({ output, status }));
  });
  return {
    exited,
    waitFor(pattern) {
      return new Promise((resolve, reject) => {
        const watcher = () => {
          const match = pattern.exec(output);
          if (!match) return;
          watchers.splice(watchers.indexOf(watcher), 1);
          resolve(match);
        };
        watchers.push(watcher);
        watcher();
        void exited.then(({ output: all }) => reject(new Error(`the tool exited before printing ${pattern}:\n${all}`)));
      });
    },
  };
}

/** A loopback port free at the time of the call, for the tool's own callback server. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
