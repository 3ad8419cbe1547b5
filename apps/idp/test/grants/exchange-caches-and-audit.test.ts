import { join } from 'node:path';
import Database from 'better-sqlite3';
import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IdpApp } from '../../src/app.js';
import { tokensFor } from '../support/browser.js';
import { AGENT, idJagRequest, postToken, RAS, startIdp, tempDataDir } from '../support/test-app.js';

const ADMIN = { authorization: 'Bearer test-admin-api-token-0123456789abcdef' };

let app: IdpApp;
let dataDir: string;
beforeEach(async () => {
  dataDir = tempDataDir();
  ({ app } = await startIdp({ dataDir }));
});
afterEach(async () => {
  await app.close();
});

const exchange = (params: Record<string, string>) => postToken(app, params);

async function aliceParams() {
  const { id_token } = await tokensFor(app, 'alice');
  return idJagRequest(String(id_token));
}

/**
 * Alice's exchange parameters, after two successful exchanges with them: the second one was served from the caches
 * (client, resource, rules, user and the presented ID token's record), which the test then has to see dropped.
 */
async function aliceParamsServedFromCaches() {
  const params = await aliceParams();
  expect((await exchange(params)).statusCode).toBe(200);
  expect((await exchange(params)).statusCode).toBe(200);
  return params;
}

/** The `jti` of the ID token the parameters present. */
const idTokenJti = (params: { subject_token: string }) => String(decodeJwt(params.subject_token).jti);

/** A second connection to the IdP's database file, as another IdP process sharing it would hold. */
function otherProcess() {
  const db = new Database(join(dataDir, 'idp.sqlite'));
  db.pragma('busy_timeout = 5000');
  return db;
}

describe('token exchange: cached admin data', () => {
  it('[IDP-POLICY-LIVE] an admin API change of the client or the user takes effect at the next exchange', async () => {
    const params = await aliceParamsServedFromCaches();
    const patched = await app.inject({
      method: 'PATCH',
      url: `/admin/api/clients/${AGENT.id}`,
      headers: ADMIN,
      payload: { mayRequestIdJag: false },
    });
    expect(patched.statusCode).toBe(200);
    expect((await exchange(params)).json().error).toBe('unauthorized_client');
    app.idp.storage.replaceClient({ ...(app.idp.storage.findClient(AGENT.id) ?? fail()), mayRequestIdJag: true });
    expect((await exchange(params)).statusCode).toBe(200);
    // Straight in storage (no grant revoked): the cached user must not outlive the change.
    app.idp.storage.updateUser('usr_alice', { disabled: true });
    expect((await exchange(params)).json().error).toBe('invalid_grant');
  });

  it('[IDP-POLICY-LIVE-SHARED-FILE] a change committed by another process sharing the database takes effect at the next exchange', async () => {
    const params = await aliceParamsServedFromCaches();
    const other = otherProcess();
    try {
      // Policy rules: a deny rule for alice.
      other
        .prepare(
          `INSERT INTO policy_rules (id, description, effect, subject_type, subject, client_id, resource_id, scopes,
             max_auth_age_seconds, required_amr, created_at)
           VALUES ('alice-out', 'Alice is on leave', 'deny', 'user', 'alice', NULL, 'acme-tickets', '[]', NULL, NULL, 0)`,
        )
        .run();
      expect((await exchange(params)).json().error).toBe('invalid_target');
      other.prepare("DELETE FROM policy_rules WHERE id = 'alice-out'").run();
      expect((await exchange(params)).statusCode).toBe(200);
      // The resource: served by another authorization server now.
      other.prepare("UPDATE resources SET audience = 'https://elsewhere.example' WHERE id = 'acme-tickets'").run();
      expect((await exchange(params)).json().error).toBe('invalid_target');
      other.prepare('UPDATE resources SET audience = ? WHERE id = ?').run(RAS, 'acme-tickets');
      expect((await exchange(params)).statusCode).toBe(200);
      // The client.
      other.prepare('UPDATE clients SET may_request_id_jag = 0 WHERE client_id = ?').run(AGENT.id);
      expect((await exchange(params)).json().error).toBe('unauthorized_client');
      other.prepare('UPDATE clients SET may_request_id_jag = 1 WHERE client_id = ?').run(AGENT.id);
      expect((await exchange(params)).statusCode).toBe(200);
      // The user.
      other.prepare("UPDATE users SET disabled = 1 WHERE id = 'usr_alice'").run();
      expect((await exchange(params)).json().error).toBe('invalid_grant');
    } finally {
      other.close();
    }
  });

  it('[IDP-ID-TOKEN-REVOKED-CACHED] a cached ID token record does not outlive the revocation of its grant', async () => {
    const params = await aliceParamsServedFromCaches();
    const record = app.idp.storage.findIdToken(idTokenJti(params)) ?? fail();
    expect(app.idp.storage.revokeGrant(record.grantId, Date.now(), 'authorization code reused')).toBe(true);
    const refused = await exchange(params);
    expect(refused.json().error).toBe('invalid_grant');
  });

  it('[IDP-ID-TOKEN-REVOKED-CACHED] a revocation committed by another process sharing the database applies at the next exchange', async () => {
    const params = await aliceParamsServedFromCaches();
    const other = otherProcess();
    try {
      other
        .prepare("UPDATE id_tokens SET revoked_at = 1, revoked_reason = 'grant revoked' WHERE jti = ?")
        .run(idTokenJti(params));
    } finally {
      other.close();
    }
    expect((await exchange(params)).json().error).toBe('invalid_grant');
  });
});

describe('token exchange: audit group commit', () => {
  it('[IDP-AUDIT-BEFORE-RESPONSE] the audit record of an exchange is committed before its response is sent', async () => {
    const params = await aliceParams();
    const other = otherProcess();
    try {
      const responses = await Promise.all([exchange(params), exchange(params), exchange({ ...params, audience: 'x' })]);
      expect(responses.map((response) => response.statusCode)).toEqual([200, 200, 400]);
      // Every answered request's record is already visible to another connection.
      const rows = other.prepare("SELECT outcome FROM audit_log WHERE type = 'id_jag.exchange' ORDER BY id").all() as {
        outcome: string;
      }[];
      expect(rows.map((row) => row.outcome).sort()).toEqual(['allow', 'allow', 'deny']);
    } finally {
      other.close();
    }
  });

  it('[IDP-AUDIT-BEFORE-RESPONSE] answers server_error and sends no ID-JAG when its audit record cannot be committed', async () => {
    const params = await aliceParams();
    vi.spyOn(app.idp.audit, 'recordCommitted').mockRejectedValue(new Error('disk I/O error'));
    const response = await exchange(params);
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: 'server_error' });
    expect(response.body).not.toContain('access_token');
  });
});

function fail(): never {
  throw new Error('expected a value');
}
