/**
 * The RAS's jwt-bearer grant (RFC 7523, ID-JAG §4.4): the ID-JAG redemption of `@ema/oauth-server`
 * (`packages/oauth-server/src/grants/jwt-bearer/`: every check of ID-JAG §4.4.1, in order) plugged into this RAS's
 * configuration, signing keys and SQLite storage. Steps 10-11 and the audit record of each redemption run in the
 * storage's group commit: one `BEGIN IMMEDIATE … COMMIT` for the requests of an event-loop turn.
 */
import {
  ASYMMETRIC_JWS_ALGORITHMS,
  createIdJagRedemption,
  createTrustedIssuerLookup,
  type GrantModule,
  jwtBearerGrant,
  type RegisteredClient,
  type SubjectResolver,
} from '@ema/oauth-server';
import type { AccessTokenResponse } from '@ema/protocol';
import type { RasContext } from '../context.js';
import type { Account, SubjectStorage } from '../storage/subjects.js';

/** Options of {@link rasJwtBearerGrant}. */
export interface RasJwtBearerGrantOptions {
  /** Used to fetch the trusted IdPs' JWKS (tests route it to an in-process IdP). */
  fetch?: typeof fetch;
  /** Told about an unexpected failure while verifying an ID-JAG (the client gets `invalid_grant`). */
  onUnexpectedError: (error: unknown) => void;
}

/** Builds the grant module once; the redemption prepares its statements and caches here, not per request. */
export function rasJwtBearerGrant(
  ctx: RasContext,
  options: RasJwtBearerGrantOptions,
): GrantModule<RegisteredClient, AccessTokenResponse> {
  const { config, storage, keyStore, now } = ctx;
  const redeem = createIdJagRedemption<Account>({
    issuer: config.issuer,
    algorithms: ASYMMETRIC_JWS_ALGORITHMS,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    maxIdJagLifetimeSeconds: config.maxIdJagLifetimeSeconds,
    clockToleranceSeconds: config.clockToleranceSeconds,
    trustedIssuers: createTrustedIssuerLookup(storage.registry, {
      ownIssuer: config.issuer,
      staleIfErrorSeconds: config.jwksStaleIfErrorSeconds,
      now,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    }),
    resources: storage.registry,
    subjects: subjectResolver(storage.subjects, config.jitProvisioning),
    consumedJtis: storage.consumedJtis,
    // Revocation announced by the IdP (Security Events): one indexed read inside the commit.
    cutOffs: ctx.signals.cutOffs,
    audit: storage.audit,
    commit: storage.groupCommit,
    signer: () => keyStore.signer(),
    now,
    onUnexpectedError: options.onUnexpectedError,
  });
  return jwtBearerGrant<RegisteredClient>({ redeem });
}

/**
 * ID-JAG §4.4.1 step 10: with just-in-time provisioning an unknown `(iss, tenant, sub)` gets an account (and `email` / `name`
 * are refreshed); without it only accounts an admin provisioned resolve.
 */
function subjectResolver(subjects: SubjectStorage, jitProvisioning: boolean): SubjectResolver<Account> {
  return jitProvisioning
    ? { resolveSubject: (identity, nowMs) => subjects.provision(identity, nowMs) }
    : { resolveSubject: (identity, nowMs) => subjects.resolve(identity, nowMs) };
}
