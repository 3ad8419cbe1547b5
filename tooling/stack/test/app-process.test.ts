import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_HEAP_FLAGS, appProcess } from '../src/app-process.js';
import { REPOSITORY_ROOT } from '../src/repository-root.js';
import { demoRole } from '../src/roles.js';
import { FAKE_ROLE } from './fake-app.js';

describe('appProcess', () => {
  it('runs the built entry point under plain Node in the package directory, with the heap flags and then the node flags before it', () => {
    const root = join(import.meta.dirname, 'fixtures');
    const spec = appProcess(FAKE_ROLE, {
      repositoryRoot: root,
      url: 'http://localhost:4100',
      env: { A: '1' },
      nodeArgs: ['--cpu-prof'],
    });
    expect(spec).toEqual({
      name: 'fake',
      title: 'the fake app',
      command: process.execPath,
      args: ['--max-semi-space-size=4', '--heap-growing-percent=100', '--cpu-prof', 'fake-app.mjs'],
      cwd: join(root, '.'),
      env: { A: '1' },
      url: 'http://localhost:4100',
      healthUrl: 'http://localhost:4100/healthz',
    });
  });

  it('runs the TypeScript source through tsx with the workspace source condition in source mode', () => {
    const spec = appProcess(demoRole('mcp-server'), {
      mode: 'source',
      name: 'mcp',
      url: 'http://localhost:4300',
      env: {},
      nodeArgs: ['--cpu-prof'],
    });
    expect(spec).toMatchObject({
      name: 'mcp',
      args: ['--conditions=@ema/source', '--import', 'tsx', ...APP_HEAP_FLAGS, '--cpu-prof', 'src/server.ts'],
      cwd: join(REPOSITORY_ROOT, 'apps/mcp-server'),
      healthUrl: 'http://localhost:4300/healthz',
    });
  });

  it('refuses an app that is not built, naming the missing file and the build command', () => {
    const root = mkdtempSync(join(tmpdir(), 'ema-stack-unbuilt-'));
    try {
      expect(() =>
        appProcess(demoRole('idp'), { repositoryRoot: root, url: 'http://localhost:3100', env: {} }),
      ).toThrow(
        expect.objectContaining({
          code: 'NOT_BUILT',
          message: `idp is not built (${join(root, 'apps/idp/dist/server.js')} is missing): run \`npx -y pnpm@12.4.2 build\` first.`,
        }),
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
