/**
 * Every claim an ID-JAG may carry (ID-JAG §3.1, the `IdJagClaims` schema of `@ema/protocol`) and what the redemption
 * does with it: the one place to read, and the one place to change when a claim gains meaning. A claim this server
 * cannot honour is refused (`invalid_grant`), never dropped: dropping it could make the access token broader or less
 * bound than the IdP intended (the claim set is the IdP's decision). Claims that are not in the schema at all are
 * ignored, as RFC 7519 §4 lets a recipient ignore claims it does not understand: an unregistered claim cannot be a
 * limit an ID-JAG issuer may rely on this server enforcing.
 */
import type { IdJagClaims } from '@ema/protocol';
import { RedemptionRefusal, type RefusalReason } from './refusal.js';

/** How the redemption treats one claim. */
export type IdJagClaimHandling =
  /** Checked by `verifyIdJag` (steps 2-7); a failure is `invalid_grant`. */
  | 'verified'
  /** Bounds what is granted (steps 8-9 and RFC 9396): the access token carries at most what it allows. */
  | 'granted'
  /** Part of the local account's key, or checked against it (step 10). */
  | 'subject'
  /** Copied into the access token (or the account) as information, bounding nothing. */
  | 'passed'
  /** Refused when present: this server does not implement what the claim asks of it. */
  | 'refused';

/** One row of {@link ID_JAG_CLAIMS}. */
export interface IdJagClaimRule {
  handling: IdJagClaimHandling;
  /** What happens, with the clause it implements. */
  rule: string;
  /** The audit reason of the refusal, for the `refused` claims. */
  refusal?: RefusalReason;
}

/** Every ID-JAG claim of the schema, and what the redemption does with it (docs/protocol.md has the same table). */
export const ID_JAG_CLAIMS: Readonly<Record<keyof IdJagClaims, IdJagClaimRule>> = {
  iss: { handling: 'verified', rule: 'step 3: an explicitly configured trusted issuer, never this server' },
  sub: { handling: 'subject', rule: 'step 10: with iss and tenant, the key of the local account' },
  aud: { handling: 'verified', rule: 'step 5: exactly this issuer (a string, or an array of one)' },
  client_id: { handling: 'verified', rule: 'step 6: the authenticated client' },
  jti: { handling: 'verified', rule: 'step 11: consumed once per issuer, last' },
  iat: { handling: 'verified', rule: 'step 7: not in the future; exp - iat at most the lifetime cap' },
  exp: { handling: 'verified', rule: 'step 7: in the future (re-checked when the jti is consumed)' },
  nbf: { handling: 'verified', rule: 'step 7: honoured when present' },
  resource: { handling: 'granted', rule: 'step 8 (RFC 8707): the one resource the access token is for' },
  scope: { handling: 'granted', rule: 'step 9 (RFC 6749 §3.3): the upper bound of the granted scopes' },
  authorization_details: {
    handling: 'granted',
    rule: 'RFC 9396: each object of a type known at the resource, else invalid_grant; the access token carries at most these',
  },
  act: {
    handling: 'refused',
    rule: 'RFC 8693 §4.1 actor: ID-JAG §8.5 leaves its processing to extensions this server does not implement',
    refusal: 'ERR_ID_JAG_ACT_UNSUPPORTED',
  },
  auth_time: { handling: 'passed', rule: 'into the access token (RFC 9470 step-up); cut-offs compare against it' },
  acr: { handling: 'passed', rule: 'into the access token (RFC 9470 step-up)' },
  amr: { handling: 'passed', rule: 'into the access token (RFC 9470 step-up)' },
  email: { handling: 'passed', rule: 'stored on the account and put in the access token; never a key' },
  name: { handling: 'passed', rule: 'stored on the account and put in the access token; never a key' },
  sid: { handling: 'passed', rule: 'into the access token, so a revoked IdP session reaches it' },
  tenant: {
    handling: 'subject',
    rule: 'ID-JAG §6.1, §6.3: pinned per trusted issuer (verifyIdJag), and part of the account key (iss, tenant, sub)',
  },
  aud_tenant: {
    handling: 'refused',
    rule: 'ID-JAG §3.1: only for a multi-tenant RAS; this server is one tenant, named by its issuer alone',
    refusal: 'ERR_ID_JAG_AUD_TENANT_UNSUPPORTED',
  },
  aud_sub: {
    handling: 'subject',
    rule: "ID-JAG §3.1: this server's id for the user; must equal the account (iss, tenant, sub) resolves to",
  },
  cnf: {
    handling: 'verified',
    rule: 'ID-JAG §3, RFC 9449 §6.1: redeemed only with a DPoP proof by the key of cnf.jkt (proof-of-possession.ts), and the access token is bound to it',
  },
};

const REFUSED = Object.entries(ID_JAG_CLAIMS).flatMap(([claim, rule]) =>
  rule.handling === 'refused' && rule.refusal !== undefined ? [{ claim, refusal: rule.refusal }] : [],
);

/**
 * Refuses an ID-JAG that carries a claim this server cannot honour ({@link ID_JAG_CLAIMS} `refused`).
 *
 * @throws RedemptionRefusal `invalid_grant`.
 */
export function refuseUnsupportedClaims(claims: IdJagClaims): void {
  for (const { claim, refusal } of REFUSED) {
    if (Object.hasOwn(claims, claim)) throw new RedemptionRefusal('invalid_grant', refusal);
  }
}
