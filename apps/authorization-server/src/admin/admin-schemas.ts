import { oauthErrorResponseSchema } from '@ema/oauth-server/fastify';
import { Type } from '@sinclair/typebox';

/** Error bodies the admin API answers with (RFC 6749 §5.2 shape, like every other endpoint). */
export const adminErrors = {
  400: oauthErrorResponseSchema,
  401: oauthErrorResponseSchema,
} as const;

export const Deleted = Type.Object({ deleted: Type.Boolean() });

export const Scopes = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100 });

export const TrustedIdpView = Type.Object({
  issuer: Type.String(),
  jwks_uri: Type.String(),
  algorithms: Type.Array(Type.String()),
  created_at: Type.Integer(),
});

export const ResourceView = Type.Object({
  resource: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
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
  sub: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  name: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.Integer(),
  last_seen_at: Type.Integer(),
});
