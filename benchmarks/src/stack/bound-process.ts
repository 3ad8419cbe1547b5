import { randomUUID } from 'node:crypto';
import { TYP_ACCESS_TOKEN } from '@ema/protocol';
import { appProcess, type LaunchMode, type Role, type RunningProcess, type Stack } from '@ema/stack';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, SignJWT } from 'jose';

/** The bound as a role of the launcher: a server of this package, configured by its `BENCH_BOUND_*` variables. */
export const BOUND_ROLE: Role = {
  name: 'bound',
  title: 'the bound',
  packageDir: 'benchmarks',
  entry: { dist: 'dist/bound/server.js', source: 'src/bound/server.ts' },
  url: { default: 'http://localhost:4400' },
  portEnv: 'BENCH_BOUND_PORT',
  healthPath: '/healthz',
};

/** The running bound, and a way to make subject tokens it accepts. */
export interface BoundServer {
  process: RunningProcess;
  url: string;
  /** Signs `claims` (typically a copy of a real ID token's) with the bound's key, so the bound verifies the same size. */
  subjectToken(claims: JWTPayload): Promise<string>;
  /** Signs `claims` (a copy of a real access token's) as an `at+jwt` for the floor of a tool call. */
  accessToken(claims: JWTPayload): Promise<string>;
}

/** Generates a fresh ES256 key pair (the key type the apps sign with) and starts the bound with it in the stack. */
export async function startBound(
  stack: Stack,
  port: number,
  launch: { mode: LaunchMode; nodeArgs: readonly string[] },
): Promise<BoundServer> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: 'ES256' };
  const url = `http://localhost:${port}`;
  const launched = await stack.launch(
    appProcess(BOUND_ROLE, {
      ...launch,
      url,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        [BOUND_ROLE.portEnv]: String(port),
        BENCH_BOUND_PRIVATE_JWK: JSON.stringify(privateJwk),
      },
    }),
  );
  const signingKey = await importJWK(privateJwk, 'ES256');
  return {
    process: launched,
    url,
    subjectToken: (claims) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid ?? '', typ: 'JWT' }).sign(signingKey),
    accessToken: (claims) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid ?? '', typ: TYP_ACCESS_TOKEN })
        .sign(signingKey),
  };
}
