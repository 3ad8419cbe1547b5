import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_API_TOKEN_FILE } from '../../src/config.js';
import { startRas, tempDataDir } from '../support/ras.js';

describe('the development admin token in the data directory', () => {
  it('[DEV-SECRETS-GENERATED] writes the token generated at boot to <dataDir>/admin-api-token (mode 0600), new at each boot', async () => {
    const dataDir = tempDataDir();
    const tokens: string[] = [];
    for (let boot = 0; boot < 2; boot++) {
      // No adminApiToken given: the loopback opt-out generates one.
      const rig = await startRas({ dataDir, adminApiToken: undefined });
      try {
        const file = join(dataDir, ADMIN_API_TOKEN_FILE);
        expect(statSync(file).mode & 0o777).toBe(0o600);
        const token = readFileSync(file, 'utf8').trim();
        expect(token).toBe(rig.config.adminApiToken);
        const api = await rig.app.inject({
          method: 'GET',
          url: '/admin/api/clients',
          headers: { authorization: `Bearer ${token}` },
        });
        expect(api.statusCode).toBe(200);
        const old = await rig.app.inject({
          method: 'GET',
          url: '/admin/api/clients',
          headers: { authorization: 'Bearer ras-admin-dev-token-for-loopback-only' },
        });
        expect(old.statusCode).toBe(401);
        tokens.push(token);
      } finally {
        await rig.app.close();
      }
    }
    expect(tokens[1]).not.toBe(tokens[0]);
  });

  it('removes a stale token file when the token is configured or the admin API disabled', async () => {
    for (const adminApiToken of [null, 'configured-admin-token-0123456789abcdef']) {
      const dataDir = tempDataDir();
      writeFileSync(join(dataDir, ADMIN_API_TOKEN_FILE), 'stale-token-of-an-earlier-boot\n');
      const rig = await startRas({ dataDir, adminApiToken });
      await rig.app.close();
      expect(existsSync(join(dataDir, ADMIN_API_TOKEN_FILE))).toBe(false);
    }
  });
});
