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
    if (config.sessionSecret === undefined) {
      app.log.info(
        'agent-host: AGENT_SESSION_SECRET is not set; the session secret generated for this install is kept in the ' +
          'data directory (session-secret, mode 0600). Set AGENT_SESSION_SECRET when several instances share sessions.',
      );
    }
  },
});
