/**
 * Runs the official MCP conformance tool, `@modelcontextprotocol/conformance` at a pinned release, on a Node 22 that
 * npx fetches (the tool requires it; network or npm cache needed). Asynchronous, so that apps running in the test's
 * own process keep answering while the tool talks to them.
 */
import { spawn } from 'node:child_process';

/** The release the suite pins. */
export const CONFORMANCE_RELEASE = '0.2.0-alpha.12';

/** What a run printed, and how it ended. */
export interface ConformanceRun {
  /** stdout then stderr, colours stripped. */
  output: string;
  status: number | null;
}

// ECMA-48 SGR sequences: the tool colours its report.
const COLOURS = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/**
 * Runs `conformance <args>` and resolves when it exits (or is killed at `timeoutMs`). It never rejects: a tool that
 * cannot start is a run with no status and the reason in its output, so that runs started together can be awaited
 * one by one.
 */
export function runConformance(args: readonly string[], timeoutMs = 170_000): Promise<ConformanceRun> {
  return new Promise((resolve) => {
    const child = spawn(
      'npx',
      ['-y', '-p', 'node@22', '-p', `@modelcontextprotocol/conformance@${CONFORMANCE_RELEASE}`, 'conformance', ...args],
      { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => resolve({ output: `${stdout}\n${stderr}\n${error.message}`, status: null }));
    child.on('close', (status) => resolve({ output: `${stdout}\n${stderr}`.replace(COLOURS, ''), status }));
  });
}
