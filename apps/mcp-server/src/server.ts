/**
 * Starts the MCP server: environment -> configuration -> app -> listen. The only file that listens; it closes the
 * app cleanly (ending MCP sessions and their streams) on SIGINT and SIGTERM.
 */
import { runServer } from '@ema/oauth-server/runtime';
import { protectedResourceMetadataUrl } from '@ema/resource-server';
import { buildApp } from './app.js';
import { resolveConfig } from './config.js';
import { configFromEnv } from './env.js';

await runServer({
  name: 'mcp-server',
  loadConfig: () => resolveConfig(configFromEnv()),
  buildApp,
  onListening: (app, config) =>
    app.log.info(
      { resource: config.resource, metadata: protectedResourceMetadataUrl(config.resource) },
      'Acme Tickets MCP server ready',
    ),
});
