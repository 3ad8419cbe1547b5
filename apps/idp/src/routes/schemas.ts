import { AuthorizationServerMetadata } from '@ema/protocol';
import { Type } from '@sinclair/typebox';

/** Response schema of the discovery document (the shared schema, open to the OIDC extras). */
export const authorizationServerMetadataSchema = Type.Object(
  {
    ...AuthorizationServerMetadata.properties,
    prompt_values_supported: Type.Array(Type.String()),
    authorization_response_iss_parameter_supported: Type.Boolean(),
  },
  { additionalProperties: false },
);

/** A JWK Set (RFC 7517 §5): public keys only. */
export const jwksSchema = Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown())) });

/** An HTML page. */
export const htmlSchema = Type.String();

/** Query or form parameters as Fastify parses them: a repeated parameter becomes an array. */
export const rawParametersSchema = Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]));

/** OIDC Core §5.3.2 userinfo response. */
export const userinfoSchema = Type.Object({
  sub: Type.String(),
  name: Type.Optional(Type.String()),
  preferred_username: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
  email_verified: Type.Optional(Type.Boolean()),
  groups: Type.Optional(Type.Array(Type.String())),
});
