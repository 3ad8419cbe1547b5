/**
 * Starts the MCP server: environment -> configuration -> app -> listen. The only file that listens; it closes the
 * app cleanly (ending MCP sessions and their streams) on SIGINT and SIGTERM.
 */
import { ConfigError, warnInsecureOptOut } from '@ema/oauth-server';
import { buildApp } from './app.js';
import { resolveConfig } from './config.js';
import { configFromEnv } from './env.js';
import { protectedResourceMetadataUrl } from './metadata/protected-resource-metadata.js';

async function main(): Promise<void> {
  const config = resolveConfig(configFromEnv());
  const app = await buildApp(config);
  if (config.allowInsecureLoopback) warnInsecureOptOut(app.log, 'mcp-server');
  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    { resource: config.resource, metadata: protectedResourceMetadataUrl(config.resource) },
    'Acme Tickets MCP server ready',
  );

  let closing = false;
  const shutdown = (signal: string): void => {
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
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`mcp-server: invalid configuration: ${error.message}`);
  } else {
    console.error('mcp-server: failed to start', error);
  }
  process.exit(1);
});
