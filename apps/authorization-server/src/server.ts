/** Starts the RAS: environment -> configuration -> app -> listen. The only file that calls `listen`. */
import { runServer } from '@ema/oauth-server/runtime';
import { buildApp } from './app.js';
import { DEV_ADMIN_API_TOKEN, loadRasConfig } from './config.js';
import { configFromEnv } from './env.js';

await runServer({
  name: 'authorization-server',
  loadConfig: () => loadRasConfig(configFromEnv()),
  buildApp,
  warn: (app, config) => {
    if (config.adminApiToken === DEV_ADMIN_API_TOKEN) {
      app.log.warn(
        `authorization-server: RAS_ADMIN_API_TOKEN is not set; the admin API uses the development token "${DEV_ADMIN_API_TOKEN}" ` +
          'because the insecure loopback opt-out is on. Never run like this in production.',
      );
    } else if (config.adminApiToken === null) {
      app.log.info('authorization-server: RAS_ADMIN_API_TOKEN is not set; the admin API and page are disabled');
    }
  },
});
