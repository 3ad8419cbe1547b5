import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/storage/ras-storage.js';
import { type Rig, redeem, startRas } from '../support/ras.js';

describe('jwt-bearer redemptions sharing one group commit', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    await rig?.app.close();
    rig = undefined;
  });

  it('[STORAGE-GROUP-COMMIT-ITEM-ALONE] concurrent redemptions are unaffected by one whose write fails in the same batch', async () => {
    rig = await startRas();
    const { app, idp, clock } = rig;
    // One request's write fails in the database (as a constraint or a full disk would refuse it), through a trigger
    // added by a second connection to the RAS's own file.
    const admin = new BetterSqlite3(join(rig.config.dataDir, DATABASE_FILE));
    admin.exec(`CREATE TRIGGER poison BEFORE INSERT ON consumed_jtis WHEN NEW.jti = 'poison'
      BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    admin.close();
    const jtis = ['a', 'b', 'c', 'poison', 'd', 'e', 'f'];
    const assertions = await Promise.all(jtis.map((jti) => idp.mint(clock.seconds, { jti })));
    const responses = await Promise.all(assertions.map((assertion) => redeem(app, assertion)));
    const outcomes = responses.map((response, index) => [jtis[index], response.statusCode]);
    expect(outcomes).toEqual([
      ['a', 200],
      ['b', 200],
      ['c', 200],
      ['poison', 500],
      ['d', 200],
      ['e', 200],
      ['f', 200],
    ]);
    expect(responses[3]?.json()).toEqual({ error: 'server_error' });
  });
});
