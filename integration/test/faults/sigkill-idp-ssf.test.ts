/**
 * SIGKILL of the IdP while administrators disable users (16 at a time), with the RAS's event stream configured and its
 * receiver down, then a restart on the same data directory. Every disable answered 200 before the crash is durable,
 * and so is its RISC account-disabled Security Event in the SSF outbox: the restarted IdP delivers it once the receiver
 * is back. A disable the crash cut may have happened or not; a disabled user without an event never exists.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrashableApp, startCrashableApp } from '../../src/faults/crashable-app.js';
import { type EventSink, startEventSink } from '../../src/faults/event-sink.js';
import { crashPoint, loadUntilCrash } from '../../src/faults/load.js';
import { openReadOnly } from '../../src/faults/read-only-database.js';
import { freePort } from '../../src/free-port.js';

const ADMIN = `Bearer ${randomBytes(24).toString('base64url')}`;
const RECEIVER_TOKEN = randomBytes(24).toString('base64url');
// Each user costs a production scrypt at creation: enough for the crash point and the 16 requests in flight.
const USERS = 40;

describe('SIGKILL of the IdP with Security Events pending', () => {
  let idp: CrashableApp;
  let ras: EventSink;
  let dataDir: string;

  beforeAll(async () => {
    ras = await startEventSink();
    dataDir = mkdtempSync(join(tmpdir(), 'ema-fault-idp-ssf-'));
    const port = await freePort();
    idp = await startCrashableApp('idp', {
      port,
      env: {
        IDP_HOST: '127.0.0.1',
        IDP_ISSUER: `http://127.0.0.1:${port}`,
        IDP_DATA_DIR: dataDir,
        IDP_LOG_LEVEL: 'warn',
        IDP_ADMIN_API_TOKEN: ADMIN.slice('Bearer '.length),
        IDP_ADMIN_RATE_LIMIT_PER_ADDRESS: String(1_000_000),
        IDP_DEMO_SSF_RECEIVER_TOKEN: RECEIVER_TOKEN,
        IDP_SSF_RETRY_MAX_DELAY_MS: '500',
      },
    });
  }, 90_000);
  afterAll(async () => {
    await idp?.stop();
    await ras?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const admin = (method: string, path: string, body: unknown) =>
    fetch(`${idp.url}/admin/api${path}`, {
      method,
      headers: { authorization: ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('[FAULT-SIGKILL-DURABLE] every disable answered before the crash is stored, and its Security Event reaches the RAS after the restart', async () => {
    // The RAS's stream (as the RAS opens it at boot), pushing to a receiver that is down for now.
    const stream = await fetch(`${idp.url}/ssf/stream`, {
      method: 'POST',
      headers: { authorization: `Bearer ${RECEIVER_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: ras.endpoint, authorization_header: 'Bearer push' },
      }),
    });
    expect(stream.status).toBe(201);
    const users: string[] = [];
    for (let index = 0; index < USERS; index += 1) {
      const created = await admin('POST', '/users', {
        username: `fault-${index}`,
        password: `fault-password-${index}`,
        name: `Fault ${index}`,
        email: `fault-${index}@acme.example`,
      });
      expect(created.status).toBe(201);
      users.push(((await created.json()) as { id: string }).id);
    }

    const load = await loadUntilCrash<string>({
      concurrency: 16,
      crashAfter: crashPoint('idp disables', 5, 20),
      crash: () => idp.crash(),
      request: async () => {
        const id = users.pop();
        if (id === undefined) throw new Error('no user left to disable');
        const response = await admin('PATCH', `/users/${id}`, { disabled: true });
        return response.status === 200 ? id : undefined;
      },
    });
    expect(load.refused).toBe(0);
    expect(load.succeeded.length).toBeGreaterThan(0);

    await idp.restart();
    const db = openReadOnly(join(dataDir, 'idp.sqlite'));
    try {
      const disabled = db.prepare<[string], { disabled: number }>('SELECT disabled FROM users WHERE id = ?');
      for (const id of load.succeeded) expect(disabled.get(id)?.disabled, `user ${id} disabled`).toBe(1);
    } finally {
      db.close();
    }
    // The receiver comes back: every answered disable's account-disabled event arrives from the outbox.
    ras.accepting = true;
    const missing = () =>
      load.succeeded.filter(
        (id) => !ras.accepted.some((claims) => JSON.stringify(claims.sub_id ?? claims).includes(id)),
      );
    const deadline = Date.now() + 30_000;
    while (missing().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(missing()).toEqual([]);
    const disabledEvents = ras.accepted.filter((claims) => JSON.stringify(claims.events).includes('account-disabled'));
    expect(disabledEvents.length).toBeGreaterThanOrEqual(load.succeeded.length);
  }, 300_000);
});
