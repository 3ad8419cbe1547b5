/**
 * The authorization code and refresh token grants over in-memory seams (codes, refresh tokens, token families, audit),
 * behind the real token endpoint pipeline, with a clock and a public and a confidential client.
 */
import { localJwks, verifyAccessToken } from '@ema/jwt';
import { MEDIA_TYPE_FORM } from '@ema/protocol';
import type { AuditEvent } from '@ema/storage';
import {
  type AuthorizationGrant,
  authorizationCodeGrant,
  handleTokenRequest,
  hashClientSecret,
  type InteractiveTokenOptions,
  type Reauthorization,
  type RegisteredClient,
  refreshTokenGrant,
  type StoredAuthorizationCode,
  s256CodeChallenge,
  type TokenRequestResult,
} from '../../../src/index.js';
import { generateKey, START_MS } from '../jwt-bearer/redemption-rig.js';

export const ISSUER = 'https://ras.example';
export const RESOURCE = 'https://mcp.example/mcp';
export const PUBLIC_CLIENT = 'https://app.example/client.json';
export const CONFIDENTIAL_CLIENT = 'dcr_confidential';
export const CONFIDENTIAL_SECRET = 'confidential-secret';
export const REDIRECT_URI = 'http://127.0.0.1:51000/callback';
export const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

/** The rig's state, exposed for assertions. */
export interface GrantRig {
  clock: { ms: number };
  audit: AuditEvent[];
  revokedGrants: Map<string, string>;
  revokedAccessTokens: Set<string>;
  /** Issues a code for `grant` (defaults: Alice, tickets.read, the public client). */
  issueCode(
    options?: Partial<StoredAuthorizationCode> & { code?: string; grant?: Partial<AuthorizationGrant> },
  ): string;
  token(params: Record<string, string>, authorization?: string): Promise<TokenRequestResult>;
  /** Verifies an access token the rig issued, returning its claims. */
  verify(token: string): Promise<Record<string, unknown>>;
  /** What `reauthorize` answers next (default: the grant's scope still holds). */
  reauthorization: Reauthorization | undefined;
}

const clients: RegisteredClient[] = [
  { clientId: PUBLIC_CLIENT, secretHash: null },
  { clientId: CONFIDENTIAL_CLIENT, secretHash: hashClientSecret(CONFIDENTIAL_SECRET) },
];

export async function grantRig(options: { reauthorize?: boolean } = {}): Promise<GrantRig> {
  const key = await generateKey();
  const clock = { ms: START_MS };
  const audit: AuditEvent[] = [];
  const codes = new Map<string, StoredAuthorizationCode>();
  const refresh = new Map<string, { grantId: string; expiresAt: number; rotated: boolean }>();
  const grants = new Map<string, AuthorizationGrant>();
  const revokedGrants = new Map<string, string>();
  const familyTokens = new Map<string, string[]>();
  const revokedAccessTokens = new Set<string>();
  let grantCount = 0;

  const base: InteractiveTokenOptions = {
    issuer: ISSUER,
    accessTokenTtlSeconds: 300,
    refreshTokenTtlSeconds: 3600,
    signer: () => key.signer,
    grants: {
      isRevoked: (grantId) => revokedGrants.has(grantId),
      revoke: (grantId, reason) => {
        revokedGrants.set(grantId, reason);
        for (const jti of familyTokens.get(grantId) ?? []) revokedAccessTokens.add(jti);
      },
      recordAccessToken: (grantId, token) =>
        familyTokens.set(grantId, [...(familyTokens.get(grantId) ?? []), token.jti]),
    },
    refreshTokens: {
      find: (token) => {
        const stored = refresh.get(token);
        const grant = stored && grants.get(stored.grantId);
        return stored && grant && { grant, expiresAt: stored.expiresAt, rotated: stored.rotated };
      },
      rotate: (token) => {
        const stored = refresh.get(token);
        if (stored === undefined || stored.rotated) return false;
        stored.rotated = true;
        return true;
      },
      issue: (token, grantId, expiresAt) => refresh.set(token, { grantId, expiresAt, rotated: false }),
    },
  };
  const shared = {
    ...base,
    audit: { record: (event: AuditEvent) => audit.push(event) },
    commit: { submit: async <T>(work: () => T) => work() },
    now: () => clock.ms,
  };
  const rig: GrantRig = {
    clock,
    audit,
    revokedGrants,
    revokedAccessTokens,
    reauthorization: undefined,
    issueCode(overrides = {}) {
      grantCount += 1;
      const grant: AuthorizationGrant = {
        grantId: `grant-${grantCount}`,
        clientId: PUBLIC_CLIENT,
        account: { accountId: 'acct-alice', email: 'alice@acme.example', name: 'Alice' },
        resource: RESOURCE,
        scope: 'tickets.read tickets.write',
        authorization: { iss: 'https://idp.example', jti: `jag-${grantCount}`, auth_time: 1, amr: ['pwd'] },
        ...overrides.grant,
      };
      grants.set(grant.grantId, grant);
      const code = overrides.code ?? `code-${grantCount}`;
      codes.set(code, {
        grant,
        redirectUri: REDIRECT_URI,
        codeChallenge: s256CodeChallenge(VERIFIER),
        expiresAt: Math.floor(clock.ms / 1000) + 60,
        consumed: false,
        issueRefreshToken: true,
        ...overrides,
      });
      return code;
    },
    token: (params, authorization) =>
      handleTokenRequest(
        { contentType: MEDIA_TYPE_FORM, authorization, body: new URLSearchParams(params).toString() },
        {
          grants: [
            authorizationCodeGrant({
              ...shared,
              codes: {
                find: (code) => codes.get(code),
                consume: (code) => {
                  const stored = codes.get(code);
                  if (stored === undefined || stored.consumed) return false;
                  stored.consumed = true;
                  return true;
                },
              },
            }),
            refreshTokenGrant({
              ...shared,
              ...(options.reauthorize
                ? {
                    reauthorize: async (grant: AuthorizationGrant, scope: string) =>
                      rig.reauthorization ?? { ok: true, scope, authorization: grant.authorization },
                  }
                : {}),
            }),
          ],
          findClient: (clientId) => clients.find((client) => client.clientId === clientId),
          publicClientGrants: ['authorization_code', 'refresh_token'],
        },
      ),
    async verify(token) {
      const { claims } = await verifyAccessToken(token, {
        issuer: ISSUER,
        audience: RESOURCE,
        keys: localJwks({ keys: [key.publicJwk] }),
        algorithms: ['ES256'],
        currentDate: new Date(clock.ms),
      });
      return claims;
    },
  };
  return rig;
}

/** The token request of a code, as the public client sends it. */
export function codeRequest(code: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: VERIFIER,
    client_id: PUBLIC_CLIENT,
    ...extra,
  };
}

/** The tokens of a successful answer (throws on a refusal). */
export function issued(result: TokenRequestResult): { access_token: string; refresh_token: string; scope: string } {
  const body = result.body;
  if (!('access_token' in body)) throw new Error(`refused: ${JSON.stringify(body)}`);
  return { access_token: body.access_token, refresh_token: body.refresh_token ?? '', scope: body.scope ?? '' };
}
