import { Type } from '@sinclair/typebox';

const Strings = Type.Array(Type.String());

/** A user as the admin API shows it (never the password hash). */
export const UserView = Type.Object({
  id: Type.String(),
  username: Type.String(),
  name: Type.String(),
  email: Type.String(),
  disabled: Type.Boolean(),
  groups: Strings,
  createdAt: Type.Integer(),
});

/** A user's passkey as the admin API shows it (never the public key or the counter). */
export const PasskeyView = Type.Object({
  credentialId: Type.String(),
  name: Type.String(),
  deviceType: Type.Union([Type.Literal('singleDevice'), Type.Literal('multiDevice')]),
  backedUp: Type.Boolean(),
  createdAt: Type.Integer(),
  lastUsedAt: Type.Union([Type.Integer(), Type.Null()]),
});

/** What resetting a user's passkeys removed and revoked. */
export const PasskeyResetView = Type.Object({
  passkeysRemoved: Type.Integer(),
  grantsRevoked: Type.Integer(),
  idTokensRevoked: Type.Integer(),
  sessionsEnded: Type.Integer(),
});

/** A group and its members' user ids. */
export const GroupView = Type.Object({ name: Type.String(), description: Type.String(), members: Strings });

/** A client registration (never the secret or its hash). */
export const ClientView = Type.Object({
  clientId: Type.String(),
  name: Type.String(),
  confidential: Type.Boolean(),
  redirectUris: Strings,
  postLogoutRedirectUris: Strings,
  mayRequestIdJag: Type.Boolean(),
  rasClientIds: Type.Record(Type.String(), Type.String()),
  createdAt: Type.Integer(),
});

/** A new client, with its secret (shown once). */
export const ClientWithSecretView = Type.Object({ client: ClientView, clientSecret: Type.String() });

/** A protected resource. */
export const ResourceView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  audience: Type.String(),
  resource: Type.String(),
  scopes: Strings,
});

/** A policy rule. */
export const PolicyRuleView = Type.Object({
  id: Type.String(),
  description: Type.String(),
  effect: Type.String(),
  subjectType: Type.String(),
  subject: Type.String(),
  clientId: Type.Union([Type.String(), Type.Null()]),
  resourceId: Type.String(),
  scopes: Strings,
  maxAuthAgeSeconds: Type.Union([Type.Integer(), Type.Null()]),
  requiredAmr: Type.Union([Strings, Type.Null()]),
  createdAt: Type.Integer(),
});

/** The answer of `POST /admin/api/what-if`. */
export const WhatIfView = Type.Object({
  decision: Type.String(),
  wouldRespondWith: Type.Union([Type.String(), Type.Null()]),
  rasClientId: Type.Union([Type.String(), Type.Null()]),
  grantedScopes: Strings,
  droppedScopes: Type.Array(
    Type.Object({ scope: Type.String(), reason: Type.String(), ruleId: Type.Optional(Type.String()) }),
  ),
  matchedRules: Type.Array(
    Type.Object({
      id: Type.String(),
      description: Type.String(),
      effect: Type.String(),
      scopes: Strings,
      outcome: Type.String(),
      unmetConditions: Strings,
    }),
  ),
  stepUp: Type.Optional(
    Type.Object({ maxAgeSeconds: Type.Optional(Type.Integer()), requiredAmr: Type.Optional(Strings) }),
  ),
  stepUpRequest: Type.Optional(
    Type.Object({ acrValues: Type.Optional(Type.String()), maxAge: Type.Optional(Type.Integer()) }),
  ),
  explanation: Strings,
});

/** The signing keys: the current `kid` and the published JWKS. */
export const SigningKeysView = Type.Object({
  currentKid: Type.String(),
  /** Published ahead of the next rotation (key pre-publication), never used to sign until then. */
  nextKid: Type.String(),
  jwks: Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown())) }),
});

/** The result of a rotation. */
export const RotationView = Type.Object({ kid: Type.String(), retiredKid: Type.String() });
