import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDataDir } from '../src/index.js';

describe('resolveDataDir', () => {
  it('defaults to <repository root>/data/<app>', () => {
    const dir = resolveDataDir('idp');
    expect(dir.endsWith(join('data', 'idp'))).toBe(true);
    expect(existsSync(join(dirname(dirname(dir)), 'pnpm-workspace.yaml'))).toBe(true);
  });

  it('uses the configured directory, resolved to an absolute path', () => {
    expect(resolveDataDir('idp', '/var/lib/idp')).toBe('/var/lib/idp');
    expect(resolveDataDir('idp', 'relative/dir')).toBe(resolve('relative/dir'));
  });
});
