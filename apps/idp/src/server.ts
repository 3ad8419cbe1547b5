/** Starts the IdP: environment -> validated configuration -> app -> listen. The only file that listens. */
import { runServer } from '@ema/oauth-server/runtime';
import { buildApp } from './app.js';
import { loadIdpConfig } from './config.js';
import { readIdpEnv } from './env.js';

await runServer({
  name: 'idp',
  loadConfig: () => loadIdpConfig(readIdpEnv()),
  buildApp,
  warn: (app, config) => {
    if (config.seedDemo) {
      app.log.warn(
        'idp: the demo world (docs/demo-world.md) is seeded with development passwords and secrets: loopback use only',
      );
    }
  },
  onListening: (app, config) => app.log.info({ issuer: config.issuer }, 'idp: listening'),
});
