/**
 * Entry point of the bound process: reads its key and port from the environment the harness sets, listens on
 * loopback, closes on SIGTERM. The harness runs it from `dist/bound/server.js` like the apps run from `dist/`.
 */
import type { JWK } from 'jose';
import { buildBoundApp } from './bound-app.js';

const port = Number(process.env.BENCH_BOUND_PORT ?? '4400');
const privateJwk = JSON.parse(process.env.BENCH_BOUND_PRIVATE_JWK ?? 'null') as JWK | null;
if (privateJwk === null) throw new Error('BENCH_BOUND_PRIVATE_JWK: must be an ES256 private JWK');

const app = await buildBoundApp({ privateJwk, issuer: `http://localhost:${port}` });
await app.listen({ port, host: process.env.BENCH_BOUND_HOST ?? 'localhost' });

const close = (): void => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', close);
process.on('SIGINT', close);
