import { fileURLToPath } from 'node:url';
import { loadedPackages } from '@ema/vitest-config/loaded-packages';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('..', import.meta.url));

describe('subpath exports', () => {
  it('[ARCH-ENTRY-POINTS-LOAD-WHAT-THEY-NAME] the root loads no database driver; the SQLite subpath loads better-sqlite3', () => {
    expect(loadedPackages('@ema/storage', here)).toEqual([]);
    expect(loadedPackages('@ema/storage/sqlite', here)).toEqual(['better-sqlite3']);
  });
});
