import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, openRasStorage, type RasStorage } from '../../src/storage/ras-storage.js';

describe('WAL checkpoints off the request thread', () => {
  let storage: RasStorage | undefined;
  let dir: string | undefined;
  afterEach(() => {
    storage?.close();
    storage = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('copies committed pages into the database file without the request connection checkpointing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ras-checkpoint-'));
    storage = openRasStorage(dir);
    const store = storage;
    const file = join(dir, DATABASE_FILE);
    const before = statSync(file).size;
    for (let i = 0; i < 300; i += 1) {
      await store.groupCommit.submit(() =>
        store.consumedJtis.consume(
          { iss: 'https://idp.example', jti: `jti-${i}-${'x'.repeat(200)}`, exp: 2e9, clientId: 'c' },
          0,
        ),
      );
    }
    const deadline = Date.now() + 5000;
    while (statSync(file).size <= before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(statSync(file).size).toBeGreaterThan(before);
    expect(store.consumedJtis.isConsumed('https://idp.example', `jti-299-${'x'.repeat(200)}`)).toBe(true);
  });
});
