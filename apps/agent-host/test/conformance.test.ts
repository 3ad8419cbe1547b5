/**
 * Runs official MCP conformance client scenarios of `@modelcontextprotocol/conformance` against this project's
 * client code: `auth/cross-app-access-complete-flow` (SEP-990, ID-JAG; 0.1.16) against `conformance/client.ts`, which
 * drives the agent host's real client core, and `auth/dpop` and `auth/dpop-nonce` (SEP-1932, RFC 9449;
 * 0.2.0-alpha.12) against `conformance/dpop-client.ts`, whose every proof is made by `@ema/ema-client`'s DPoP
 * support. The conformance tool needs Node 22, fetched by npx (network or npm cache required).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const tsxLoader = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'esm', 'index.mjs');

function runScenario(version: string, scenario: string, script: string): void {
  const command = `node --conditions=@ema/source --import ${tsxLoader} ${join(appDir, 'conformance', script)}`;
  const run = spawnSync(
    'npx',
    [
      '-y',
      '-p',
      'node@22',
      '-p',
      `@modelcontextprotocol/conformance@${version}`,
      'conformance',
      'client',
      '--scenario',
      scenario,
      '--command',
      command,
    ],
    { cwd: appDir, encoding: 'utf8', timeout: 170_000 },
  );
  const output = `${run.stdout}\n${run.stderr}`;
  expect(run.error, output).toBeUndefined();
  expect(output).toMatch(/Passed: (\d+)\/\1, 0 failed/);
  expect(output).toContain('OVERALL: PASSED');
  expect(run.status, output).toBe(0);
}

describe('MCP conformance', () => {
  it('[AGENT-CONFORMANCE-XAA] passes auth/cross-app-access-complete-flow of @modelcontextprotocol/conformance 0.1.16', () => {
    runScenario('0.1.16', 'auth/cross-app-access-complete-flow', 'client.ts');
  }, 180_000);

  it('[AGENT-CONFORMANCE-DPOP] passes auth/dpop of @modelcontextprotocol/conformance 0.2.0-alpha.12', () => {
    runScenario('0.2.0-alpha.12', 'auth/dpop', 'dpop-client.ts');
  }, 180_000);

  it('[AGENT-CONFORMANCE-DPOP] [AGENT-DPOP-NONCE-RETRY] passes auth/dpop-nonce of @modelcontextprotocol/conformance 0.2.0-alpha.12', () => {
    runScenario('0.2.0-alpha.12', 'auth/dpop-nonce', 'dpop-client.ts');
  }, 180_000);
});
