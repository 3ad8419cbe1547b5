import { join } from 'node:path';
import { openDatabase } from '@ema/storage/sqlite';
import { describe, expect, it } from 'vitest';
import { DEMO_WORLD_STEP_UP } from '../../src/seed/demo-world.js';
import { tokensFor } from '../support/browser.js';
import { startIdp, tempDataDir, testClock } from '../support/test-app.js';

describe('demo world and persistence', () => {
  it('[IDP-SEED-IDEMPOTENT] seeds DEMO.md on the first start and adds nothing on later starts', async () => {
    const dataDir = tempDataDir();
    const first = await startIdp({ dataDir });
    const world = {
      users: first.app.idp.storage.listUsers().map((user) => [user.username, user.groups]),
      clients: first.app.idp.storage.listClients().map((client) => [client.clientId, client.rasClientIds]),
      resources: first.app.idp.storage.listResources(),
      rules: first.app.idp.storage.listPolicyRules().map((rule) => rule.id),
    };
    expect(world.users).toEqual([
      ['admin', ['it-admins']],
      ['alice', ['engineering']],
      ['bob', ['sales']],
      ['carol', ['contractors']],
    ]);
    expect(world.clients).toEqual([
      ['acme-ras', { 'http://localhost:3200': 'acme-ras' }],
      ['agent-host', { 'http://localhost:3200': 'acme-agent-host' }],
    ]);
    expect(first.app.idp.storage.findClient('acme-ras')).toMatchObject({
      redirectUris: ['http://localhost:3200/authorize/callback'],
      mayRequestIdJag: true,
    });
    expect(world.resources).toEqual([
      {
        id: 'acme-tickets',
        name: 'Acme Tickets',
        audience: 'http://localhost:3200',
        resource: 'http://localhost:3300/mcp',
        scopes: ['tickets.read', 'tickets.write'],
      },
    ]);
    // Engineering reads tickets with any sign-in, and writes them only after a second factor.
    expect(
      first.app.idp.storage
        .listPolicyRules()
        .filter((rule) => rule.subject === 'engineering')
        .map((rule) => [rule.scopes, rule.requiredAmr]),
    ).toEqual([
      [['tickets.read'], null],
      [['tickets.write'], ['mfa']],
    ]);
    // An admin change must survive restarts: the seed never runs twice.
    first.app.idp.storage.deletePolicyRule('sales-tickets');
    await first.app.close();
    const second = await startIdp({ dataDir });
    expect(second.app.idp.storage.listUsers()).toHaveLength(4);
    expect(second.app.idp.storage.listPolicyRules().map((rule) => rule.id)).toEqual([
      'contractors-no-tickets',
      'engineering-tickets-read',
      'engineering-tickets-write',
    ]);
    expect(second.app.idp.audit.query({ type: 'seed.demo_world' })).toHaveLength(1);
    await second.app.close();
  });

  it("[IDP-SEED-STEP-UP-UPGRADE] turns the first world's engineering rule into the step-up rules once, unless an admin changed it", async () => {
    for (const changed of [false, true]) {
      const dataDir = tempDataDir();
      const first = await startIdp({ dataDir });
      await first.app.close();
      // The world as the first seed left it: one rule for reading and writing, and no step-up marker.
      const db = openDatabase({ file: join(dataDir, 'idp.sqlite'), migrations: [] });
      db.prepare("DELETE FROM policy_rules WHERE subject = 'engineering'").run();
      db.prepare(
        `INSERT INTO policy_rules (id, description, effect, subject_type, subject, client_id, resource_id, scopes,
           max_auth_age_seconds, required_amr, created_at)
         VALUES ('engineering-tickets', 'Engineering may read and write tickets', 'allow', 'group', 'engineering',
           NULL, 'acme-tickets', ?, NULL, NULL, 0)`,
      ).run(JSON.stringify(changed ? ['tickets.write'] : ['tickets.read', 'tickets.write']));
      db.prepare('DELETE FROM seed_runs WHERE name = ?').run(DEMO_WORLD_STEP_UP);
      db.close();
      const second = await startIdp({ dataDir });
      const ids = second.app.idp.storage.listPolicyRules().map((rule) => rule.id);
      expect(ids.filter((id) => id.startsWith('engineering'))).toEqual(
        changed ? ['engineering-tickets'] : ['engineering-tickets-read', 'engineering-tickets-write'],
      );
      expect(second.app.idp.storage.hasRun(DEMO_WORLD_STEP_UP)).toBe(true);
      await second.app.close();
    }
  });

  it('[IDP-KEYS-PERSISTED] keeps data and the signing key across restarts; a rotated-out kid stays published until its tokens expire', async () => {
    const dataDir = tempDataDir();
    const clock = testClock();
    const first = await startIdp({ dataDir, clock });
    const kid = first.app.idp.keyStore.signer().kid;
    await tokensFor(first.app, 'alice');
    const { retiredKid, kid: newKid } = await first.app.idp.keyStore.rotate();
    expect(retiredKid).toBe(kid);
    await first.app.close();

    const second = await startIdp({ dataDir, clock });
    expect(second.app.idp.keyStore.signer().kid).toBe(newKid);
    const kids = () => second.app.idp.keyStore.jwks().keys.map((key) => key.kid);
    expect(kids()).toEqual(expect.arrayContaining([kid, newKid]));
    expect(second.app.idp.audit.query({ type: 'sign_in' })).toHaveLength(1);
    // Retention = longest JWT lifetime (ID token, 600 s) + 60 s: then the retired key is pruned.
    clock.advance(661);
    expect(kids().sort()).toEqual([newKid, second.app.idp.keyStore.nextKid()].sort());
    await second.app.close();
  });
});
