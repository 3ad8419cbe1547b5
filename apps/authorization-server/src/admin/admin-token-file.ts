import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeSecretFile } from '@ema/oauth-server/runtime';
import { ADMIN_API_TOKEN_FILE, type RasConfig } from '../config.js';

/**
 * Keeps `<dataDir>/admin-api-token` true at boot: the token generated for this boot (mode 0600, for the launcher's
 * banner and the operator's shell), or no file at all when the token is configured or the admin API disabled. The
 * token is never logged: a log line travels further than a file only its owner may read.
 */
export function syncAdminTokenFile(config: RasConfig): void {
  const file = join(config.dataDir, ADMIN_API_TOKEN_FILE);
  if (config.adminApiTokenGenerated && config.adminApiToken !== null) writeSecretFile(file, config.adminApiToken);
  else rmSync(file, { force: true });
}
