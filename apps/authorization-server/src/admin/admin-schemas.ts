import { oauthErrorResponseSchema } from '@ema/oauth-server/fastify';
import { NO_CONTROL_CHARACTERS_PATTERN } from '@ema/protocol';
import { Type } from '@sinclair/typebox';

/** Error bodies the admin API answers with (RFC 6749 §5.2 shape, like every other endpoint). */
export const adminErrors = {
  400: oauthErrorResponseSchema,
  401: oauthErrorResponseSchema,
} as const;

/** A display name an administrator gives (a client's, a resource's): no control character (`@ema/protocol`). */
export const DisplayName = Type.String({ maxLength: 200, pattern: NO_CONTROL_CHARACTERS_PATTERN });

export const Deleted = Type.Object({ deleted: Type.Boolean() });

export const Scopes = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100 });

export const TrustedIdpView = Type.Object({
  issuer: Type.String(),
  jwks_uri: Type.String(),
  algorithms: Type.Array(Type.String()),
  /** ID-JAG §6.1: the tenants of a multi-tenant issuer this RAS trusts; empty for a single-tenant issuer. */
  tenants: Type.Array(Type.String()),
  created_at: Type.Integer(),
});

/** RFC 9396: one authorization details type a resource understands (docs/protocol.md). */
export const AuthorizationDetailTypeView = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 200 }),
    actions: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 50 }),
    identifiers: Type.Boolean(),
  },
  { additionalProperties: false },
);

/** The tenant identifiers of a trusted IdP (printable, no spaces). */
export const Tenants = Type.Array(Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7E]+$' }), {
  maxItems: 100,
});

export const ResourceView = Type.Object({
  resource: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  authorization_detail_types: Type.Array(AuthorizationDetailTypeView),
  created_at: Type.Integer(),
});

export const GrantView = Type.Object({ resource: Type.String(), scopes: Type.Array(Type.String()) });

export const ClientView = Type.Object({
  client_id: Type.String(),
  name: Type.String(),
  public: Type.Boolean(),
  created_at: Type.Integer(),
  grants: Type.Array(GrantView),
});

export const ClientSecretView = Type.Object({ client_id: Type.String(), client_secret: Type.String() });

export const SubjectView = Type.Object({
  account_id: Type.String(),
  iss: Type.String(),
  tenant: Type.Union([Type.String(), Type.Null()]),
  sub: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  name: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.Integer(),
  last_seen_at: Type.Integer(),
});
