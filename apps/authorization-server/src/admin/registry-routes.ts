import { InvalidRequestError } from '@ema/oauth-server';
import { ConfigError, checkTransportSecurity } from '@ema/oauth-server/runtime';
import { DEFAULT_ALGORITHMS } from '@ema/protocol';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { validateResource, validateTrustedIdp } from '../config.js';
import type { RasContext } from '../context.js';
import type { Resource, TrustedIdp } from '../storage/registry.js';
import {
  AuthorizationDetailTypeView,
  adminErrors,
  Deleted,
  DisplayName,
  ResourceView,
  Scopes,
  Tenants,
  TrustedIdpView,
} from './admin-schemas.js';

const trustedIdpView = (idp: TrustedIdp) => ({
  issuer: idp.issuer,
  jwks_uri: idp.jwksUri,
  algorithms: idp.algorithms,
  tenants: idp.tenants,
  created_at: idp.createdAt,
});
const resourceView = (resource: Resource) => ({
  resource: resource.resource,
  name: resource.name,
  scopes: resource.scopes,
  authorization_detail_types: resource.authorizationDetailTypes.map(({ type, actions, identifiers }) => ({
    type,
    actions: [...actions],
    identifiers,
  })),
  created_at: resource.createdAt,
});

/** Turns a validation failure of `config.ts` into a 400 naming the field. */
export function validated(check: () => void): void {
  try {
    check();
  } catch (error) {
    if (error instanceof ConfigError) throw new InvalidRequestError(error.message);
    throw error;
  }
}

/** Admin API: the trusted IdP and resource registries. */
export const registryRoutes: FastifyPluginAsyncTypebox<{ ctx: RasContext }> = async (app, { ctx }) => {
  const { registry, audit } = ctx.storage;

  app.get(
    '/trusted-idps',
    { schema: { response: { 200: Type.Object({ trusted_idps: Type.Array(TrustedIdpView) }), ...adminErrors } } },
    async () => ({ trusted_idps: registry.listTrustedIdps().map(trustedIdpView) }),
  );

  app.put(
    '/trusted-idps',
    {
      schema: {
        body: Type.Object(
          {
            issuer: Type.String({ maxLength: 2000 }),
            jwks_uri: Type.String({ maxLength: 2000 }),
            algorithms: Type.Optional(Type.Array(Type.String(), { minItems: 1, maxItems: 10 })),
            tenants: Type.Optional(Tenants),
          },
          { additionalProperties: false },
        ),
        response: { 200: TrustedIdpView, ...adminErrors },
      },
    },
    async (request) => {
      const idp = {
        issuer: request.body.issuer,
        jwksUri: request.body.jwks_uri,
        algorithms: request.body.algorithms ?? [...DEFAULT_ALGORITHMS],
        tenants: request.body.tenants ?? [],
      };
      validated(() => {
        validateTrustedIdp(idp, 'trusted_idp', ctx.config.issuer);
        // The same transport rule as for configured IdPs: https, or loopback http behind the named opt-out.
        for (const [path, url] of [
          ['trusted_idp.issuer', idp.issuer],
          ['trusted_idp.jwks_uri', idp.jwksUri],
        ] as const) {
          checkTransportSecurity(url, path, { allowInsecureLoopback: ctx.config.allowInsecureLoopback });
        }
      });
      registry.upsertTrustedIdp(idp, ctx.now());
      audit.record({ type: 'admin.trusted_idp.upsert', outcome: 'info', actor: 'admin-api', details: { ...idp } });
      const stored = registry.findTrustedIdp(idp.issuer);
      if (!stored) throw new Error('trusted IdP vanished after upsert');
      return trustedIdpView(stored);
    },
  );

  app.delete(
    '/trusted-idps',
    {
      schema: {
        querystring: Type.Object({ issuer: Type.String() }),
        response: { 200: Deleted, ...adminErrors },
      },
    },
    async (request) => {
      const deleted = registry.deleteTrustedIdp(request.query.issuer);
      audit.record({
        type: 'admin.trusted_idp.delete',
        outcome: 'info',
        actor: 'admin-api',
        details: { issuer: request.query.issuer, deleted },
      });
      return { deleted };
    },
  );

  app.get(
    '/resources',
    { schema: { response: { 200: Type.Object({ resources: Type.Array(ResourceView) }), ...adminErrors } } },
    async () => ({ resources: registry.listResources().map(resourceView) }),
  );

  app.put(
    '/resources',
    {
      schema: {
        body: Type.Object(
          {
            resource: Type.String({ maxLength: 2000 }),
            name: DisplayName,
            scopes: Scopes,
            authorization_detail_types: Type.Optional(Type.Array(AuthorizationDetailTypeView, { maxItems: 20 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ResourceView, ...adminErrors },
      },
    },
    async (request) => {
      const resource = {
        resource: request.body.resource,
        name: request.body.name,
        scopes: request.body.scopes,
        authorizationDetailTypes: request.body.authorization_detail_types ?? [],
      };
      validated(() => validateResource(resource, 'resource'));
      registry.upsertResource(resource, ctx.now());
      audit.record({
        type: 'admin.resource.upsert',
        outcome: 'info',
        actor: 'admin-api',
        resource: resource.resource,
        details: { ...resource },
      });
      const stored = registry.findResource(resource.resource);
      if (!stored) throw new Error('resource vanished after upsert');
      return resourceView(stored);
    },
  );

  app.delete(
    '/resources',
    {
      schema: {
        querystring: Type.Object({ resource: Type.String() }),
        response: { 200: Deleted, ...adminErrors },
      },
    },
    async (request) => {
      const deleted = registry.deleteResource(request.query.resource);
      audit.record({
        type: 'admin.resource.delete',
        outcome: 'info',
        actor: 'admin-api',
        resource: request.query.resource,
        details: { deleted },
      });
      return { deleted };
    },
  );
};
