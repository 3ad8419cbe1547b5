/**
 * Starts "Team Notes": environment -> configuration -> app -> listen; closes cleanly on SIGINT and SIGTERM.
 */
import { protectedResourceMetadataUrl } from '@ema/resource-server';
import { createApp } from './app.js';
import { ConfigError, type NotesServerConfig, resolveConfig } from './config.js';
import { configFromEnv, INSECURE_LOOPBACK_OPT_OUT } from './env.js';

let config: NotesServerConfig;
try {
  config = resolveConfig(configFromEnv());
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`Team Notes: configuration refused: ${error.message}`);
  process.exit(1);
}
if (config.allowInsecureLoopback) {
  console.warn(`${INSECURE_LOOPBACK_OPT_OUT} is set: plain http is accepted for loopback hosts (development only).`);
}
const server = createApp(config).listen(config.port, config.host, () => {
  console.info(`Team Notes: ${config.resource}, metadata at ${protectedResourceMetadataUrl(config.resource)}`);
});
server.on('error', (error) => {
  console.error(`Team Notes could not listen on ${config.host}:${config.port}: ${error.message}`);
  process.exit(1);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
