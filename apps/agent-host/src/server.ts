/** Starts the agent host: environment -> configuration -> app -> listen. Closes cleanly on SIGINT/SIGTERM. */
import { runServer } from '@ema/oauth-server/runtime';
import { buildApp } from './app.js';
import { loadAgentHostConfig } from './config.js';
import { readAgentHostEnv } from './env.js';

await runServer({
  name: 'agent-host',
  loadConfig: () => loadAgentHostConfig(readAgentHostEnv()),
  buildApp,
  warn: (app, config) => {
    if (config.usingDevelopmentSecrets) {
      app.log.warn('agent-host: using the development session secret; set AGENT_SESSION_SECRET outside development');
    }
  },
});
