import { type Static, Type } from '@sinclair/typebox';

const Strings = Type.Array(Type.String());

/**
 * RFC 7591 §2 client metadata, as a client sends it to the registration endpoint and as a Client ID Metadata
 * Document (MCP-AUTH 2025-11-25, draft-ietf-oauth-client-id-metadata-document §4) publishes it. Members this project
 * does not use are kept (`additionalProperties`): RFC 7591 §2 lets a server ignore them.
 */
export const ClientMetadata = Type.Object(
  {
    /** Client ID Metadata Documents only: the document's own URL. */
    client_id: Type.Optional(Type.String()),
    redirect_uris: Type.Optional(Strings),
    token_endpoint_auth_method: Type.Optional(Type.String()),
    grant_types: Type.Optional(Strings),
    response_types: Type.Optional(Strings),
    client_name: Type.Optional(Type.String()),
    client_uri: Type.Optional(Type.String()),
    logo_uri: Type.Optional(Type.String()),
    scope: Type.Optional(Type.String()),
    contacts: Type.Optional(Strings),
    tos_uri: Type.Optional(Type.String()),
    policy_uri: Type.Optional(Type.String()),
    software_id: Type.Optional(Type.String()),
    software_version: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
export type ClientMetadata = Static<typeof ClientMetadata>;

/** RFC 7591 §3.2.1 client information response: the registered metadata plus the issued identifier (and secret). */
export const ClientRegistrationResponse = Type.Object(
  {
    client_id: Type.String(),
    client_id_issued_at: Type.Integer(),
    client_secret: Type.Optional(Type.String()),
    /** RFC 7591 §3.2.1: 0 means the secret does not expire. */
    client_secret_expires_at: Type.Optional(Type.Integer()),
    redirect_uris: Strings,
    token_endpoint_auth_method: Type.String(),
    grant_types: Strings,
    response_types: Strings,
    client_name: Type.Optional(Type.String()),
    client_uri: Type.Optional(Type.String()),
    logo_uri: Type.Optional(Type.String()),
    scope: Type.Optional(Type.String()),
    contacts: Type.Optional(Strings),
    tos_uri: Type.Optional(Type.String()),
    policy_uri: Type.Optional(Type.String()),
    software_id: Type.Optional(Type.String()),
    software_version: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type ClientRegistrationResponse = Static<typeof ClientRegistrationResponse>;
