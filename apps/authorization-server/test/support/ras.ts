/** Builds a RAS for tests: a temporary data directory, a frozen clock, the test IdP's JWKS behind an injected fetch. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GRANT_TYPE_JWT_BEARER, MEDIA_TYPE_FORM } from '@ema/protocol';
import type { AuditRecord } from '@ema/storage';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadRasConfig, type RasConfig, type RasConfigInput } from '../../src/config.js';
import { CLIENT_ID, CLIENT_SECRET, IDP_ISSUER, TestIdp } from './test-idp.js';

/** A mutable clock in epoch milliseconds. */
export class TestClock {
  constructor(public ms: number = Date.UTC(2026, 0, 15, 9, 0, 0)) {}
  readonly now = (): number => this.ms;
  get seconds(): number {
    return Math.floor(this.ms / 1000);
  }
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef0123';

/** A fresh temporary data directory. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'ras-test-'));
}

/** A RAS test rig. */
export interface Rig {
  app: FastifyInstance;
  idp: TestIdp;
  clock: TestClock;
  config: RasConfig;
  /** Rebuilds the app on the same data directory (a restart). */
  restart(): Promise<FastifyInstance>;
}

/**
 * Starts a RAS with the demo world of docs/demo-world.md seeded. Its fetch answers the test IdP's URLs; `network: true` sends
 * every other URL to the real network (an outside IdP on an ephemeral port), instead of the test IdP's 404.
 */
export async function startRas(
  overrides: RasConfigInput = {},
  idp?: TestIdp,
  clock = new TestClock(),
  network = false,
): Promise<Rig> {
  const testIdp = idp ?? (await TestIdp.create());
  const config = loadRasConfig({
    dataDir: tempDataDir(),
    allowInsecureLoopback: true,
    logLevel: 'silent',
    adminApiToken: ADMIN_TOKEN,
    // No stream registration at an IdP unless a test asks for one (it would reach the network).
    ssfTransmitterToken: null,
    ...overrides,
  });
  const routed: typeof fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    return network && !url.startsWith(IDP_ISSUER) ? fetch(input, init) : testIdp.fetch(input, init);
  };
  const deps = { fetch: routed, now: clock.now };
  const rig: Rig = {
    app: await buildApp(config, deps),
    idp: testIdp,
    clock,
    config,
    restart: async () => {
      await rig.app.close();
      rig.app = await buildApp(config, deps);
      return rig.app;
    },
  };
  return rig;
}

/** Client credentials for the token request. */
export type ClientAuth =
  | { method: 'basic'; clientId: string; secret: string }
  | { method: 'post'; clientId: string; secret: string }
  | { method: 'none'; clientId?: string };

export const DEMO_CLIENT: ClientAuth = { method: 'basic', clientId: CLIENT_ID, secret: CLIENT_SECRET };

/** Encodes form parameters, keeping repeated names (for the repeated-parameter test). */
export function form(params: ReadonlyArray<readonly [string, string]>): string {
  return params.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
}

/** Basic credentials per RFC 6749 §2.3.1 (form-urlencoded, then base64). */
export function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/** POSTs a form to the app, authenticated as `auth`. */
export function postForm(
  app: FastifyInstance,
  url: string,
  params: Array<readonly [string, string]>,
  auth: ClientAuth = DEMO_CLIENT,
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { 'content-type': MEDIA_TYPE_FORM };
  const all = [...params];
  if (auth.method === 'basic') headers.authorization = basic(auth.clientId, auth.secret);
  if (auth.method === 'post') all.push(['client_id', auth.clientId], ['client_secret', auth.secret]);
  if (auth.method === 'none' && auth.clientId !== undefined) all.push(['client_id', auth.clientId]);
  return app.inject({ method: 'POST', url, headers, payload: form(all) });
}

/** The jwt-bearer token request (RFC 7523 §2.1). */
export function redeem(
  app: FastifyInstance,
  assertion: string | undefined,
  extra: Array<readonly [string, string]> = [],
  auth: ClientAuth = DEMO_CLIENT,
): Promise<LightMyRequestResponse> {
  const params: Array<readonly [string, string]> = [['grant_type', GRANT_TYPE_JWT_BEARER]];
  if (assertion !== undefined) params.push(['assertion', assertion]);
  return postForm(app, '/token', [...params, ...extra], auth);
}

/** The audit records of jwt-bearer redemptions, newest first, through the admin API. */
export async function redemptionAudit(app: FastifyInstance): Promise<AuditRecord[]> {
  const response = await app.inject({
    method: 'GET',
    url: '/admin/api/audit?type=jwt_bearer.redemption&limit=1000',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  const body = response.json<{ events: Array<AuditRecord & { client_id?: string }> }>();
  return body.events;
}
