import { localJwks, mintIdToken, type Signer } from '@ema/jwt';
import { TOKEN_TYPE_ID_JAG, TOKEN_TYPE_ID_TOKEN, type TokenExchangeResponse } from '@ema/protocol';
import type { AuditEvent } from '@ema/storage';
import { exportJWK, generateKeyPair } from 'jose';
import {
  type ExchangePolicyDecision,
  type IdTokenRecord,
  OAuthError,
  type RefreshTokenProblem,
  type RefreshTokenSubject,
  type RegisteredClient,
  type TokenExchangeGrantOptions,
  tokenExchangeGrant,
} from '../../../src/index.js';

export const ISSUER = 'https://idp.example.com';
export const RAS = 'https://ras.example.com';
export const MCP = 'https://mcp.example.com/mcp';
/** Frozen clock (ms). */
export const NOW_MS = Date.UTC(2030, 0, 1, 9, 0, 0);
export const NOW = NOW_MS / 1000;

export interface ExchangeClient extends RegisteredClient {
  readonly mayRequestIdJag: boolean;
  readonly rasClientIds: Readonly<Record<string, string>>;
}
export interface ExchangeTestUser {
  readonly id: string;
  readonly email: string;
  readonly disabled: boolean;
}
export interface ExchangeTestResource {
  readonly id: string;
  readonly audience: string;
  readonly resource: string;
}

export const agent: ExchangeClient = {
  clientId: 'agent',
  secretHash: null,
  mayRequestIdJag: true,
  rasClientIds: { [RAS]: 'agent-at-ras' },
};
export const alice: ExchangeTestUser = { id: 'usr_alice', email: 'alice@example.com', disabled: false };
export const tickets: ExchangeTestResource = { id: 'tickets', audience: RAS, resource: MCP };

const signing = await generateKeyPair('ES256', { extractable: true });
/** The IdP's key: it signs ID tokens and ID-JAGs. */
export const signer: Signer = { kid: 'idp-1', alg: 'ES256', privateKey: signing.privateKey };
export const idpKeys = localJwks({
  keys: [{ ...(await exportJWK(signing.publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' }],
});
const foreign = await generateKeyPair('ES256');
/** Another party's key, claiming our kid. */
export const forgedSigner: Signer = { kid: 'idp-1', alg: 'ES256', privateKey: foreign.privateKey };

/** An ID token of the IdP for `clientId` (aud), signed by `by`. */
export function idToken(overrides: Record<string, unknown> = {}, by: Signer = signer): Promise<string> {
  return mintIdToken(
    {
      iss: ISSUER,
      sub: alice.id,
      aud: agent.clientId,
      azp: agent.clientId,
      jti: 'idt_1',
      iat: NOW - 60,
      exp: NOW + 540,
      auth_time: NOW - 120,
      amr: ['pwd'],
      acr: 'urn:example:acr:pwd',
      ...overrides,
    },
    by,
  );
}

export const allow: ExchangePolicyDecision = {
  decision: 'allow',
  grantedScopes: ['tickets.read'],
  matchedRules: [{ id: 'engineering-read' }],
  droppedScopes: [{ scope: 'tickets.write', reason: 'not_granted_by_any_rule' }],
  explanation: ['Allowed with scopes: tickets.read.'],
};

/** The seams of one test IdP, each overridable, and what the grant wrote to its audit log. */
export function exchangeSetup(
  overrides: Partial<TokenExchangeGrantOptions<ExchangeClient, ExchangeTestUser, ExchangeTestResource>> = {},
) {
  const audited: AuditEvent[] = [];
  const idTokens = new Map<string, IdTokenRecord>([
    ['idt_1', { userId: alice.id, grantId: 'grt_1', revokedAt: null, revokedReason: null }],
  ]);
  const refreshTokens = new Map<string, RefreshTokenSubject | RefreshTokenProblem>([
    [
      'rt-live',
      {
        tokenId: 'rt_1',
        userId: alice.id,
        scope: 'openid offline_access',
        authTime: NOW - 3600,
        amr: ['pwd', 'hwk', 'user', 'mfa'],
        acr: 'urn:example:acr:mfa',
      },
    ],
    ['rt-online', { tokenId: 'rt_2', userId: alice.id, scope: 'openid', authTime: NOW - 3600, amr: ['pwd'] }],
  ]);
  const users = new Map([[alice.id, alice]]);
  const options: TokenExchangeGrantOptions<ExchangeClient, ExchangeTestUser, ExchangeTestResource> = {
    issuer: ISSUER,
    idJagTtlSeconds: 300,
    mayRequestIdJag: (client) => client.mayRequestIdJag,
    idTokenKeys: idpKeys,
    findIdTokenRecord: (jti) => idTokens.get(jti),
    checkRefreshToken: (token) => refreshTokens.get(token) ?? 'unknown',
    findUser: (userId) => users.get(userId),
    findResource: (resource) => (resource === tickets.resource ? tickets : undefined),
    clientIdAtAudience: (client, audience) => client.rasClientIds[audience],
    policy: () => allow,
    acrValues: (methods) => [...methods].sort().join('+'),
    signer: () => signer,
    newJti: () => 'jag_1',
    audit: {
      recordCommitted: async (event) => {
        audited.push(event);
      },
    },
    now: () => NOW_MS,
    ...overrides,
  };
  return { options, audited, idTokens, refreshTokens, users };
}

/** The options, the audit records and the records of a test IdP ({@link exchangeSetup}). */
export type ExchangeSetup = ReturnType<typeof exchangeSetup>;

/** A valid exchange request for alice's ID token (a parameter set to undefined is left out). */
export async function exchangeParams(overrides: Record<string, string | undefined> = {}): Promise<Map<string, string>> {
  const all: Record<string, string | undefined> = {
    requested_token_type: TOKEN_TYPE_ID_JAG,
    subject_token: await idToken(),
    subject_token_type: TOKEN_TYPE_ID_TOKEN,
    audience: RAS,
    resource: MCP,
    scope: 'tickets.read tickets.write',
    ...overrides,
  };
  return new Map(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** Runs the grant's handler for `client`; a refusal comes back as the OAuthError it throws. */
export async function exchange(
  setup: ExchangeSetup,
  params: ReadonlyMap<string, string>,
  client: ExchangeClient = agent,
): Promise<TokenExchangeResponse | OAuthError> {
  const grant = tokenExchangeGrant(setup.options);
  try {
    return await grant.handler({ params, client, clientAuthMethod: 'client_secret_basic' });
  } catch (error) {
    if (error instanceof OAuthError) return error;
    throw error;
  }
}

/** The refusal as the client sees it (status and body) and as the audit log records it (reason and details). */
export async function refusal(setup: ExchangeSetup, params: ReadonlyMap<string, string>, client?: ExchangeClient) {
  const answer = await exchange(setup, params, client);
  if (!(answer instanceof OAuthError)) throw new Error('expected a refusal, got an ID-JAG');
  const record = setup.audited.at(-1);
  return {
    status: answer.status,
    body: answer.toResponseBody(),
    reason: record?.reason,
    details: record?.details,
    record,
  };
}
