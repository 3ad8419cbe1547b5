import { hashClientSecret } from '@ema/oauth-server';
import { AMR_MULTI_FACTOR } from '@ema/protocol';
import type { DemoWorldUrls } from '../config.js';
import type { IdpContext } from '../idp-context.js';
import { hashPassword } from '../password/password-hash.js';

/** Marker of the demo seed in `seed_runs`: once recorded, later starts never seed again (admin edits survive). */
export const DEMO_WORLD_SEED = 'demo-world-v1';
/** Marker of the step-up change to a world seeded before it (see {@link upgradeDemoWorld}). */
export const DEMO_WORLD_STEP_UP = 'demo-world-step-up';
/** The rule of the first demo world that granted engineering writing without a second factor. */
const FIRST_ENGINEERING_RULE = 'engineering-tickets';

/** docs/demo-world.md "People": development passwords, loopback only. */
export const DEMO_USERS = [
  {
    id: 'usr_alice',
    username: 'alice',
    password: 'alice-password',
    name: 'Alice Anders',
    email: 'alice@acme.example',
    groups: ['engineering'],
  },
  {
    id: 'usr_bob',
    username: 'bob',
    password: 'bob-password',
    name: 'Bob Brown',
    email: 'bob@acme.example',
    groups: ['sales'],
  },
  {
    id: 'usr_carol',
    username: 'carol',
    password: 'carol-password',
    name: 'Carol Chen',
    email: 'carol@acme.example',
    groups: ['contractors'],
  },
  {
    id: 'usr_admin',
    username: 'admin',
    password: 'admin-password',
    name: 'Ada Admin',
    email: 'admin@acme.example',
    groups: ['it-admins'],
  },
] as const;

/** The group whose members may use the admin console. */
export const ADMIN_GROUP = 'it-admins';

const DEMO_GROUPS = [
  ['engineering', 'Engineering'],
  ['sales', 'Sales'],
  ['contractors', 'External contractors'],
  [ADMIN_GROUP, 'IT administrators (admin console)'],
] as const;

/** docs/demo-world.md "Clients": the agent host's registration at the IdP. */
export const DEMO_CLIENT = {
  clientId: 'agent-host',
  secret: 'agent-host-dev-secret',
  rasClientId: 'acme-agent-host',
} as const;

/**
 * docs/demo-world.md "Clients": the authorization server's registration at the IdP, for its interactive path. It signs users in
 * here (OIDC relying party, redirect URI on the authorization server) and asks, by token exchange, for ID-JAGs
 * addressed to itself (identity chaining): `rasClientId` is its own id at itself, what it expects in those ID-JAGs'
 * `client_id`.
 */
export const DEMO_RAS_CLIENT = {
  clientId: 'acme-ras',
  secret: 'acme-ras-dev-secret',
  rasClientId: 'acme-ras',
} as const;

/** Marker of the authorization server's client in `seed_runs` (added after the first demo world, so seeded apart). */
export const DEMO_RAS_CLIENT_SEED = 'demo-world-ras-client-v1';

/** The seeded resource's id. */
export const DEMO_RESOURCE_ID = 'acme-tickets';

function demoClient(urls: DemoWorldUrls, createdAt: number) {
  return {
    clientId: DEMO_CLIENT.clientId,
    secretHash: hashClientSecret(DEMO_CLIENT.secret),
    name: 'Acme Agent Host',
    redirectUris: [`${urls.agentHostUrl}/auth/callback`],
    postLogoutRedirectUris: [`${urls.agentHostUrl}/`],
    mayRequestIdJag: true,
    rasClientIds: { [urls.rasIssuer]: DEMO_CLIENT.rasClientId },
    createdAt,
  };
}

function demoRasClient(urls: DemoWorldUrls, createdAt: number) {
  return {
    clientId: DEMO_RAS_CLIENT.clientId,
    secretHash: hashClientSecret(DEMO_RAS_CLIENT.secret),
    name: 'Acme Tickets authorization server',
    redirectUris: [`${urls.rasIssuer}/authorize/callback`],
    postLogoutRedirectUris: [],
    mayRequestIdJag: true,
    rasClientIds: { [urls.rasIssuer]: DEMO_RAS_CLIENT.rasClientId },
    createdAt,
  };
}

function demoRules(createdAt: number) {
  const base = { clientId: null, resourceId: DEMO_RESOURCE_ID, maxAuthAgeSeconds: null, requiredAmr: null, createdAt };
  return [
    {
      ...base,
      id: 'engineering-tickets-read',
      description: 'Engineering may read tickets',
      effect: 'allow' as const,
      subjectType: 'group' as const,
      subject: 'engineering',
      scopes: ['tickets.read'],
    },
    {
      ...base,
      id: 'engineering-tickets-write',
      description: 'Engineering may write tickets after a second factor',
      effect: 'allow' as const,
      subjectType: 'group' as const,
      subject: 'engineering',
      scopes: ['tickets.write'],
      // Write access asks for a passkey (RFC 8176 `mfa`); reading needs only the sign-in.
      requiredAmr: [AMR_MULTI_FACTOR],
    },
    {
      ...base,
      id: 'sales-tickets',
      description: 'Sales may read tickets',
      effect: 'allow' as const,
      subjectType: 'group' as const,
      subject: 'sales',
      scopes: ['tickets.read'],
    },
    {
      ...base,
      id: 'contractors-no-tickets',
      description: 'Contractors have no access to Acme Tickets',
      effect: 'deny' as const,
      subjectType: 'group' as const,
      subject: 'contractors',
      scopes: [],
    },
  ];
}

/**
 * Seeds the demo world of docs/demo-world.md on the first start: people, groups, the agent host client, the Acme Tickets
 * resource and its policy. Idempotent: recorded in `seed_runs`, so later starts (and concurrent ones) add nothing.
 * Returns whether it seeded.
 */
export async function seedDemoWorld(context: IdpContext): Promise<boolean> {
  const { storage, config } = context;
  if (storage.hasRun(DEMO_WORLD_SEED)) return false;
  const hashes = await Promise.all(DEMO_USERS.map((user) => hashPassword(user.password, config.passwordHashCost)));
  const createdAt = Math.floor(context.now() / 1000);
  const seeded = storage.transaction(() => {
    // Claimed first, by one statement on its key: of instances seeding at once, one seeds, the others wait for its
    // commit and find the claim taken.
    if (!storage.markRun(DEMO_WORLD_SEED, createdAt)) return false;
    // A new world has the step-up rules already.
    storage.markRun(DEMO_WORLD_STEP_UP, createdAt);
    for (const [name, description] of DEMO_GROUPS) storage.insertGroup(name, description);
    DEMO_USERS.forEach((user, index) => {
      storage.insertUser({ ...user, passwordHash: hashes[index] ?? '', createdAt });
      for (const group of user.groups) storage.addMember(group, user.id);
    });
    storage.insertClient(demoClient(config.demo, createdAt));
    storage.insertResource({
      id: DEMO_RESOURCE_ID,
      name: 'Acme Tickets',
      audience: config.demo.rasIssuer,
      resource: config.demo.mcpResource,
      scopes: ['tickets.read', 'tickets.write'],
    });
    for (const rule of demoRules(createdAt)) storage.insertPolicyRule(rule);
    return true;
  });
  if (seeded) context.audit.record({ type: 'seed.demo_world', outcome: 'info', actor: 'system' });
  seedDemoRasClient(context, createdAt);
  return seeded;
}

/** Adds the authorization server's client once (also to a demo world seeded before it existed). */
function seedDemoRasClient(context: IdpContext, createdAt: number): void {
  const { storage, config } = context;
  storage.transaction(() => {
    if (!storage.markRun(DEMO_RAS_CLIENT_SEED, createdAt)) return;
    if (storage.findClient(DEMO_RAS_CLIENT.clientId) === undefined) {
      storage.insertClient(demoRasClient(config.demo, createdAt));
    }
  });
}

/**
 * Brings a demo world seeded before step-up existed up to date, once: its rule letting engineering read and write
 * tickets becomes the two rules of today's world (reading as before, writing after a second factor), but only if an
 * administrator has not changed it since. Returns whether it changed anything.
 */
export function upgradeDemoWorld(context: IdpContext): boolean {
  const { storage } = context;
  if (!storage.hasRun(DEMO_WORLD_SEED) || storage.hasRun(DEMO_WORLD_STEP_UP)) return false;
  const now = Math.floor(context.now() / 1000);
  const upgraded = storage.transaction(() => {
    if (!storage.markRun(DEMO_WORLD_STEP_UP, now)) return false;
    const old = storage.findPolicyRule(FIRST_ENGINEERING_RULE);
    const untouched =
      old !== undefined &&
      old.requiredAmr === null &&
      old.maxAuthAgeSeconds === null &&
      old.scopes.join(' ') === 'tickets.read tickets.write';
    if (!untouched) return false;
    storage.deletePolicyRule(FIRST_ENGINEERING_RULE);
    for (const rule of demoRules(now).filter((candidate) => candidate.subject === 'engineering')) {
      storage.insertPolicyRule(rule);
    }
    return true;
  });
  if (upgraded) {
    context.audit.record({
      type: 'seed.demo_world',
      outcome: 'info',
      actor: 'system',
      details: { upgrade: 'step-up' },
    });
  }
  return upgraded;
}
