/**
 * Runs the official MCP conformance client scenarios of Enterprise-Managed Authorization (SEP-990, ID-JAG) against
 * `conformance/client.ts`, which drives the agent host's real client core: `auth/cross-app-access-complete-flow` of
 * `@modelcontextprotocol/conformance` 0.1.16 and its successor `auth/enterprise-managed-authorization` of
 * 0.2.0-alpha.12. The conformance tool needs Node 22, fetched by npx (network or npm cache required).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const tsxLoader = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'esm', 'index.mjs');
const clientCommand = `node --conditions=@ema/source --import ${tsxLoader} ${join(appDir, 'conformance', 'client.ts')}`;

/** Runs one client scenario of the given conformance release against `conformance/client.ts`; returns its output. */
function runClientScenario(
  release: string,
  scenario: string,
): { output: string; status: number | null; error?: Error } {
  const run = spawnSync(
    'npx',
    [
      '-y',
      '-p',
      'node@22',
      '-p',
      `@modelcontextprotocol/conformance@${release}`,
      'conformance',
      'client',
      '--scenario',
      scenario,
      '--command',
      clientCommand,
    ],
    { cwd: appDir, encoding: 'utf8', timeout: 170_000 },
  );
  return { output: `${run.stdout}\n${run.stderr}`, status: run.status, ...(run.error ? { error: run.error } : {}) };
}

describe('MCP conformance', () => {
  it('[AGENT-CONFORMANCE-XAA] passes auth/cross-app-access-complete-flow of @modelcontextprotocol/conformance 0.1.16', () => {
    const { output, status, error } = runClientScenario('0.1.16', 'auth/cross-app-access-complete-flow');
    expect(error, output).toBeUndefined();
    expect(output).toMatch(/Passed: (\d+)\/\1, 0 failed/);
    expect(output).toContain('OVERALL: PASSED');
    expect(status, output).toBe(0);
  }, 180_000);

  it('[CONFORMANCE-CLIENT-EMA] passes auth/enterprise-managed-authorization of @modelcontextprotocol/conformance 0.2.0-alpha.12', () => {
    const { output, status, error } = runClientScenario('0.2.0-alpha.12', 'auth/enterprise-managed-authorization');
    expect(error, output).toBeUndefined();
    // Both grants checked by the scenario's own IdP and RAS, then every MCP request with a valid token.
    expect(output).toMatch(/\[complete-flow-token-exchange *\] .*SUCCESS/);
    expect(output).toMatch(/\[complete-flow-jwt-bearer *\] .*SUCCESS/);
    expect(output).toMatch(/Passed: (\d+)\/\1, 0 failed, 0 warnings/);
    expect(output).toContain('OVERALL: PASSED');
    expect(status, output).toBe(0);
  }, 180_000);
});
