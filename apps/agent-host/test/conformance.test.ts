/**
 * Runs the official MCP conformance scenario `auth/cross-app-access-complete-flow` (SEP-990, ID-JAG) of
 * `@modelcontextprotocol/conformance` 0.1.16 against `conformance/client.ts`, which drives the agent host's real
 * client core. The conformance tool needs Node 22, fetched by npx (network or npm cache required).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const tsxLoader = join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'esm', 'index.mjs');
const clientCommand = `node --conditions=@ema/source --import ${tsxLoader} ${join(appDir, 'conformance', 'client.ts')}`;

describe('MCP conformance', () => {
  it('[AGENT-CONFORMANCE-XAA] passes auth/cross-app-access-complete-flow of @modelcontextprotocol/conformance 0.1.16', () => {
    const run = spawnSync(
      'npx',
      [
        '-y',
        '-p',
        'node@22',
        '-p',
        '@modelcontextprotocol/conformance@0.1.16',
        'conformance',
        'client',
        '--scenario',
        'auth/cross-app-access-complete-flow',
        '--command',
        clientCommand,
      ],
      { cwd: appDir, encoding: 'utf8', timeout: 170_000 },
    );
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.error, output).toBeUndefined();
    expect(output).toMatch(/Passed: (\d+)\/\1, 0 failed/);
    expect(output).toContain('OVERALL: PASSED');
    expect(run.status, output).toBe(0);
  }, 180_000);
});
