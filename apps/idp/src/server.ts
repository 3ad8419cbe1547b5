import { warnInsecureOptOut } from '@ema/oauth-server';
import { buildApp } from './app.js';
import { loadIdpConfig } from './config.js';
import { readIdpEnv } from './env.js';

// The only file that listens: environment -> validated configuration -> app -> listen.
const config = loadIdpConfig(readIdpEnv());
const app = await buildApp(config);
if (config.allowInsecureLoopback) warnInsecureOptOut(app.log, 'idp');
if (config.seedDemo) {
  app.log.warn('idp: the demo world (DEMO.md) is seeded with development passwords and secrets: loopback use only');
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'idp: shutting down');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'idp: shutdown failed');
        process.exit(1);
      },
    );
  });
}

await app.listen({ host: config.host, port: config.port });
app.log.info({ issuer: config.issuer }, 'idp: listening');
