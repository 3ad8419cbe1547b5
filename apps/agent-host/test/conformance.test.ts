/**
 * Runs the official MCP conformance client scenarios of `@modelcontextprotocol/conformance` against this project's
 * client code: `auth/cross-app-access-complete-flow` (SEP-990, ID-JAG; 0.1.16) and its successor
 * `auth/enterprise-managed-authorization` (0.2.0-alpha.12) against `conformance/client.ts`, which drives the agent
 * host's real client core, and `auth/dpop` and `auth/dpop-nonce` (SEP-1932, RFC 9449; 0.2.0-alpha.12) against
 * `conformance/dpop-client.ts`, whose every proof is made by `@ema/ema-client`'s DPoP support. The conformance tool
 * needs Node 22, fetched by npx (network or npm cache required).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const tsxLoader = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'esm', 'index.mjs');

/** Runs one client scenario against `conformance/<script>`; the tool's output, exit status and spawn error. */
function runClientScenario(
  release: string,
  scenario: string,
  script = 'client.ts',
): { output: string; status: number | null; error?: Error } {
  const command = `node --conditions=@ema/source --import ${tsxLoader} ${join(appDir, 'conformance', script)}`;
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
      command,
    ],
    { cwd: appDir, encoding: 'utf8', timeout: 170_000 },
  );
  return { output: `${run.stdout}\n${run.stderr}`, status: run.status, ...(run.error ? { error: run.error } : {}) };
}

/** Runs a scenario and expects every check passed. */
function runScenario(release: string, scenario: string, script: string): void {
  const { output, status, error } = runClientScenario(release, scenario, script);
  expect(error, output).toBeUndefined();
  expect(output).toMatch(/Passed: (\d+)\/\1, 0 failed/);
  expect(output).toContain('OVERALL: PASSED');
  expect(status, output).toBe(0);
}

describe('MCP conformance', () => {
  it('[AGENT-CONFORMANCE-XAA] passes auth/cross-app-access-complete-flow of @modelcontextprotocol/conformance 0.1.16', () => {
    runScenario('0.1.16', 'auth/cross-app-access-complete-flow', 'client.ts');
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

  it('[AGENT-CONFORMANCE-DPOP] passes auth/dpop of @modelcontextprotocol/conformance 0.2.0-alpha.12', () => {
    runScenario('0.2.0-alpha.12', 'auth/dpop', 'dpop-client.ts');
  }, 180_000);

  it('[AGENT-CONFORMANCE-DPOP] [AGENT-DPOP-NONCE-RETRY] passes auth/dpop-nonce of @modelcontextprotocol/conformance 0.2.0-alpha.12', () => {
    runScenario('0.2.0-alpha.12', 'auth/dpop-nonce', 'dpop-client.ts');
  }, 180_000);
});
