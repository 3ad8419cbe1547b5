import { hashClientSecret } from '@ema/oauth-server';
import type { RasConfig } from '../config.js';
import type { RegistryStorage } from './registry.js';

/**
 * Applies the configured registries (the demo world of docs/demo-world.md by default) where absent. Entries that already
 * exist are left alone, so what an administrator changed through the admin API survives a restart.
 */
export function seedRegistry(
  registry: RegistryStorage,
  config: Pick<RasConfig, 'trustedIdps' | 'resources' | 'clients'>,
  now: number,
): void {
  for (const idp of config.trustedIdps) {
    registry.insertTrustedIdpIfAbsent(
      { issuer: idp.issuer, jwksUri: idp.jwksUri, algorithms: [...idp.algorithms], tenants: [...(idp.tenants ?? [])] },
      now,
    );
  }
  for (const resource of config.resources) {
    registry.insertResourceIfAbsent(
      {
        ...resource,
        scopes: [...resource.scopes],
        authorizationDetailTypes: (resource.authorizationDetailTypes ?? []).map((type) => ({ ...type })),
      },
      now,
    );
  }
  for (const client of config.clients) {
    const secretHash = client.secret === null ? null : hashClientSecret(client.secret);
    const created = registry.insertClient({ clientId: client.clientId, name: client.name, secretHash }, now);
    if (!created) continue;
    for (const grant of client.grants) {
      registry.insertClientGrantIfAbsent({
        clientId: client.clientId,
        resource: grant.resource,
        scopes: [...grant.scopes],
      });
    }
  }
}
