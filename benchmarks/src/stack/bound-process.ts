import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, SignJWT } from 'jose';
import { type AppProcess, startAppProcess } from './app-process.js';
import { type LaunchOptions, launchCommand } from './launch.js';

/** The running bound, and a way to make subject tokens it accepts. */
export interface BoundServer {
  process: AppProcess;
  url: string;
  /** Signs `claims` (typically a copy of a real ID token's) with the bound's key, so the bound verifies the same size. */
  subjectToken(claims: JWTPayload): Promise<string>;
}

/** Generates a fresh ES256 key pair (the key type the apps sign with) and starts the bound process with it. */
export async function startBound(port: number, launch: LaunchOptions): Promise<BoundServer> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'ES256' };
  const url = `http://localhost:${port}`;
  const process = await startAppProcess({
    name: 'bound',
    ...launchCommand('benchmarks', launch, { dist: 'dist/bound/server.js', source: 'src/bound/server.ts' }),
    env: {
      NODE_ENV: 'production',
      BENCH_BOUND_PORT: String(port),
      BENCH_BOUND_PRIVATE_JWK: JSON.stringify(privateJwk),
    },
    healthUrl: `${url}/healthz`,
  });
  const signingKey = await importJWK(privateJwk, 'ES256');
  return {
    process,
    url,
    subjectToken: (claims) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid ?? '', typ: 'JWT' }).sign(signingKey),
  };
}
