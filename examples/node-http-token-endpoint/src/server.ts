/** Starts the example: environment -> configuration -> request listener -> `listen`. */
import { createServer } from 'node:http';
import { ConfigError, warnInsecureOptOut } from '@ema/oauth-server/runtime';
import { createAuthorizationServer } from './authorization-server.js';
import { type ExampleConfig, loadConfig } from './config.js';

const NAME = 'node-http-token-endpoint';

let config: ExampleConfig;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${NAME}: invalid configuration: ${error.message}\n`);
  process.exit(1);
}
if (config.allowInsecureLoopback) warnInsecureOptOut(console, NAME);

const server = createServer(await createAuthorizationServer(config));
server.listen(config.port, config.host, () => {
  const address = server.address();
  const where = typeof address === 'object' && address !== null ? `${address.address}:${address.port}` : address;
  console.info(`${NAME}: issuer ${config.issuer}, token endpoint ${config.issuer}/token; listening on ${where}`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
