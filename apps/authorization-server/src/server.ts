/** Starts the RAS: environment -> configuration -> app -> listen. The only file that calls `listen`. */

import { join } from 'node:path';
import { runServer } from '@ema/oauth-server/runtime';
import { buildApp } from './app.js';
import { ADMIN_API_TOKEN_FILE, loadRasConfig } from './config.js';
import { configFromEnv } from './env.js';

await runServer({
  name: 'authorization-server',
  loadConfig: () => loadRasConfig(configFromEnv()),
  buildApp,
  warn: (app, config) => {
    if (config.adminApiTokenGenerated) {
      app.log.warn(
        'authorization-server: RAS_ADMIN_API_TOKEN is not set; because the insecure loopback opt-out is on, the admin ' +
          `API uses a token generated for this boot, in ${join(config.dataDir, ADMIN_API_TOKEN_FILE)} (mode 0600). ` +
          'Never run like this in production.',
      );
    } else if (config.adminApiToken === null) {
      app.log.info('authorization-server: RAS_ADMIN_API_TOKEN is not set; the admin API and page are disabled');
    }
  },
});
