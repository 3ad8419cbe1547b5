/** Starts the RAS: environment -> configuration -> app -> listen. The only file that calls `listen`. */
import { warnInsecureOptOut } from '@ema/oauth-server';
import { buildApp } from './app.js';
import { DEV_ADMIN_API_TOKEN, loadRasConfig } from './config.js';
import { configFromEnv } from './env.js';

const config = loadRasConfig(configFromEnv());
const app = await buildApp(config);

if (config.allowInsecureLoopback) warnInsecureOptOut(app.log, 'authorization-server');
if (config.adminApiToken === DEV_ADMIN_API_TOKEN) {
  app.log.warn(
    `authorization-server: RAS_ADMIN_API_TOKEN is not set; the admin API uses the development token "${DEV_ADMIN_API_TOKEN}" ` +
      'because the insecure loopback opt-out is on. Never run like this in production.',
  );
} else if (config.adminApiToken === null) {
  app.log.info('authorization-server: RAS_ADMIN_API_TOKEN is not set; the admin API and page are disabled');
}

let closing = false;
const shutdown = (signal: string) => {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  app.close().then(
    () => process.exit(0),
    (error: unknown) => {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));

await app.listen({ port: config.port, host: config.host });
