/** Starts the agent host: environment -> configuration -> app -> listen. Closes cleanly on SIGINT/SIGTERM. */
import { ConfigError, warnInsecureOptOut } from '@ema/oauth-server';
import { buildApp } from './app.js';
import { loadAgentHostConfig } from './config.js';
import { readAgentHostEnv } from './env.js';

async function main(): Promise<void> {
  const config = loadAgentHostConfig(readAgentHostEnv());
  const app = await buildApp(config);
  if (config.allowInsecureLoopback) warnInsecureOptOut(app.log, 'agent-host');
  if (config.usingDevelopmentSecrets) {
    app.log.warn('agent-host: using the development session secret; set AGENT_SESSION_SECRET outside development');
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
  await app.listen({ host: config.host, port: config.port });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `agent-host: ${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
