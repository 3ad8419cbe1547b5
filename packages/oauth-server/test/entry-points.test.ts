import { fileURLToPath } from 'node:url';
import { loadedPackages } from '@ema/vitest-config/loaded-packages';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('..', import.meta.url));

describe('subpath exports', () => {
  it('[ARCH-ENTRY-POINTS-LOAD-WHAT-THEY-NAME] the neutral core loads neither Fastify nor a database driver', () => {
    const loaded = loadedPackages('@ema/oauth-server', here);
    expect(loaded).not.toContain('fastify');
    expect(loaded).not.toContain('fastify-plugin');
    expect(loaded).not.toContain('better-sqlite3');
    expect(loaded).not.toContain('pino');
    expect(loaded).toContain('jose');
  });

  it('[ARCH-ENTRY-POINTS-LOAD-WHAT-THEY-NAME] the runtime subpath loads no database driver; the Fastify one its plugin helper', () => {
    const runtime = loadedPackages('@ema/oauth-server/runtime', here);
    expect(runtime).not.toContain('better-sqlite3');
    // The log prettifier is loaded only when a terminal asks for it.
    expect(runtime).not.toContain('pino-pretty');
    expect(loadedPackages('@ema/oauth-server/fastify', here)).toContain('fastify-plugin');
  });
});
