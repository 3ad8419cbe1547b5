/**
 * An ID-JAG redemption over in-memory seams that record every call, an IdP key to mint ID-JAGs with, and a clock:
 * enough to watch the order of the steps and what reaches storage.
 */
import { randomUUID } from 'node:crypto';
import { localJwks, mintIdJag, type Signer } from '@ema/jwt';
import type { IdJagClaims } from '@ema/protocol';
import type { AuditEvent } from '@ema/storage';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import {
  createIdJagAcceptance,
  createIdJagRedemption,
  type IdJagAcceptance,
  type IdJagRedemption,
  type IdJagRedemptionOptions,
  type LocalAccount,
  type ResourceForClient,
} from '../../../src/index.js';

export const IDP = 'https://idp.example';
export const ISSUER = 'https://ras.example';
export const RESOURCE = 'https://mcp.example/mcp';
export const CLIENT = 'agent';
export const SCOPES = ['tickets.read', 'tickets.write'];
export const TTL = 300;
export const TOLERANCE = 30;
/** The audit type of the rig's {@link RedemptionRig.accept}, as the interactive path would name its own. */
export const ACCEPTANCE_AUDIT_TYPE = 'identity_chaining.acceptance';
/** Where the rig's clock starts (epoch milliseconds). */
export const START_MS = Date.UTC(2026, 0, 15, 9, 0, 0);

/** An ES256 key with its public JWK (`kid` = RFC 7638 thumbprint). */
export async function generateKey(): Promise<{ signer: Signer; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return { signer: { kid, alg: 'ES256', privateKey }, publicJwk: { ...publicJwk, kid, alg: 'ES256' } };
}

/** The rig: the redemption, the seams' call log, what they hold, and the clock. */
export interface RedemptionRig {
  redeem: IdJagRedemption;
  /** The acceptance alone (no access token) over the same seams, auditing as {@link ACCEPTANCE_AUDIT_TYPE}. */
  accept: IdJagAcceptance;
  /** Seam calls in order: `commit`, `resolveSubject`, `consume`, `record:<outcome>:<reason>`. */
  calls: string[];
  audit: AuditEvent[];
  consumed: Set<string>;
  clock: { ms: number };
  accessTokenKey: { signer: Signer; publicJwk: JWK };
  /** The trusted IdP's key. */
  idpKey: { signer: Signer; publicJwk: JWK };
  /** The claims of a valid ID-JAG at the rig's clock, as {@link RedemptionRig.mint} signs them. */
  claims(overrides?: Partial<IdJagClaims>): IdJagClaims;
  /** Mints an ID-JAG at the rig's clock, valid for this server unless overridden. */
  mint(overrides?: Partial<IdJagClaims>): Promise<string>;
}

/** Seams to replace, e.g. a `commit` that fails. */
export type RigOverrides = Partial<IdJagRedemptionOptions<LocalAccount>> & { knownSubjects?: readonly string[] };

export async function redemptionRig(overrides: RigOverrides = {}): Promise<RedemptionRig> {
  const { knownSubjects, ...optionOverrides } = overrides;
  const idpKey = await generateKey();
  const accessTokenKey = await generateKey();
  const clock = { ms: START_MS };
  const calls: string[] = [];
  const audit: AuditEvent[] = [];
  const consumed = new Set<string>();
  const resources = new Map<string, ResourceForClient>([
    [RESOURCE, { resource: RESOURCE, resourceScopes: SCOPES, clientScopes: SCOPES }],
  ]);
  const options: IdJagRedemptionOptions<LocalAccount> = {
    issuer: ISSUER,
    algorithms: ['ES256'],
    accessTokenTtlSeconds: TTL,
    maxIdJagLifetimeSeconds: 900,
    clockToleranceSeconds: TOLERANCE,
    trustedIssuers: (iss) =>
      iss === IDP ? { issuer: IDP, keys: localJwks({ keys: [idpKey.publicJwk] }), algorithms: ['ES256'] } : undefined,
    resources: {
      findResourceForClient: (resource, clientId) => (clientId === CLIENT ? resources.get(resource) : undefined),
    },
    subjects: {
      resolveSubject: (identity) => {
        calls.push('resolveSubject');
        const known = knownSubjects ?? [identity.sub];
        if (!known.includes(identity.sub)) return undefined;
        return { accountId: `acct-${identity.sub}`, email: identity.email ?? null, name: null };
      },
    },
    consumedJtis: {
      consume: (entry) => {
        calls.push('consume');
        const key = JSON.stringify([entry.iss, entry.jti]);
        if (consumed.has(key)) return false;
        consumed.add(key);
        return true;
      },
    },
    audit: {
      record: (event) => {
        calls.push(`record:${event.outcome}:${event.reason ?? ''}`);
        audit.push(event);
      },
    },
    commit: {
      submit: async (work) => {
        calls.push('commit');
        return work();
      },
    },
    signer: () => accessTokenKey.signer,
    now: () => clock.ms,
    ...optionOverrides,
  };
  return {
    redeem: createIdJagRedemption<LocalAccount>(options),
    accept: createIdJagAcceptance<LocalAccount>({ ...options, auditType: ACCEPTANCE_AUDIT_TYPE }),
    calls,
    audit,
    consumed,
    clock,
    accessTokenKey,
    idpKey,
    claims: (claimOverrides = {}) => validClaims(clock.ms, claimOverrides),
    mint: (claimOverrides = {}) => mintIdJag(validClaims(clock.ms, claimOverrides), idpKey.signer),
  };
}

function validClaims(nowMs: number, overrides: Partial<IdJagClaims>): IdJagClaims {
  const now = Math.floor(nowMs / 1000);
  return {
    iss: IDP,
    sub: 'alice',
    aud: ISSUER,
    client_id: CLIENT,
    jti: randomUUID(),
    iat: now,
    exp: now + 300,
    resource: RESOURCE,
    scope: 'tickets.read tickets.write',
    email: 'alice@example.com',
    ...overrides,
  };
}

/** A redemption request of the rig's client. */
export function request(assertion: string, extra: { scope?: string; resource?: string } = {}) {
  return { assertion, clientId: CLIENT, scope: extra.scope, resource: extra.resource };
}
