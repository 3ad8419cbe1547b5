import { fileURLToPath } from 'node:url';
import { loadedPackages } from '@ema/vitest-config/loaded-packages';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('..', import.meta.url));

describe('entry point', () => {
  it('[ARCH-ENTRY-POINTS-LOAD-WHAT-THEY-NAME] the policy engine loads no web framework, no database driver and no JOSE', () => {
    const loaded = loadedPackages('@ema/policy', here);
    for (const name of ['fastify', 'fastify-plugin', 'better-sqlite3', 'jose']) expect(loaded).not.toContain(name);
    // @ema/protocol's schemas: the probe sees what is loaded.
    expect(loaded).toContain('@sinclair/typebox');
  });
});
