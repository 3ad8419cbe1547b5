import type { ResourceForClient } from '@ema/oauth-server';
import { formatScope, parseScope } from '@ema/protocol';
import type { SqlDatabase } from '@ema/storage';
import { readAuthorizationDetailTypes, writeAuthorizationDetailTypes } from './authorization-detail-types-column.js';
import type { ClientResourceGrant, RasClient, RegistryStorage, Resource, TrustedIdp } from './registry.js';

interface TrustedIdpRow {
  issuer: string;
  jwks_uri: string;
  algorithms: string;
  tenants: string;
  created_at: number;
}
interface ResourceRow {
  resource: string;
  name: string;
  scopes: string;
  authorization_detail_types: string;
  created_at: number;
}
interface ClientRow {
  client_id: string;
  name: string;
  secret_hash: string | null;
  created_at: number;
}
interface GrantRow {
  client_id: string;
  resource: string;
  scopes: string;
}
interface ResourceForClientRow {
  resource: string;
  resource_scopes: string;
  client_scopes: string | null;
  authorization_detail_types: string;
}

const toTrustedIdp = (row: TrustedIdpRow): TrustedIdp => ({
  issuer: row.issuer,
  jwksUri: row.jwks_uri,
  algorithms: parseScope(row.algorithms),
  // Tenants are opaque strings (OpenID Enterprise `tenant`) but never contain a space: one per word, like scopes.
  tenants: parseScope(row.tenants),
  createdAt: row.created_at,
});
const toResource = (row: ResourceRow): Resource => ({
  resource: row.resource,
  name: row.name,
  scopes: parseScope(row.scopes),
  authorizationDetailTypes: readAuthorizationDetailTypes(row.authorization_detail_types),
  createdAt: row.created_at,
});
const toClient = (row: ClientRow): RasClient => ({
  clientId: row.client_id,
  name: row.name,
  secretHash: row.secret_hash,
  createdAt: row.created_at,
});
const toGrant = (row: GrantRow): ClientResourceGrant => ({
  clientId: row.client_id,
  resource: row.resource,
  scopes: parseScope(row.scopes),
});

/** The registries on SQLite or PostgreSQL (one set of queries), with every statement prepared once. */
export function createSqliteRegistry(db: SqlDatabase): RegistryStorage {
  const idpFind = db.prepare<[string], TrustedIdpRow>('SELECT * FROM trusted_idps WHERE issuer = ?');
  const idpList = db.prepare<[], TrustedIdpRow>('SELECT * FROM trusted_idps ORDER BY issuer');
  const idpUpsert = db.prepare(
    `INSERT INTO trusted_idps (issuer, jwks_uri, algorithms, tenants, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (issuer) DO UPDATE SET jwks_uri = excluded.jwks_uri, algorithms = excluded.algorithms,
       tenants = excluded.tenants`,
  );
  const idpInsert = db.prepare(
    `INSERT INTO trusted_idps (issuer, jwks_uri, algorithms, tenants, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  );
  const idpDelete = db.prepare('DELETE FROM trusted_idps WHERE issuer = ?');

  const resourceFind = db.prepare<[string], ResourceRow>('SELECT * FROM resources WHERE resource = ?');
  const resourceForClient = db.prepare<[string, string], ResourceForClientRow>(
    `SELECT r.resource AS resource, r.scopes AS resource_scopes, g.scopes AS client_scopes,
       r.authorization_detail_types AS authorization_detail_types
     FROM resources r LEFT JOIN client_resources g ON g.resource = r.resource AND g.client_id = ?
     WHERE r.resource = ?`,
  );
  const resourceList = db.prepare<[], ResourceRow>('SELECT * FROM resources ORDER BY resource');
  const resourceUpsert = db.prepare(
    `INSERT INTO resources (resource, name, scopes, authorization_detail_types, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (resource) DO UPDATE SET name = excluded.name, scopes = excluded.scopes,
       authorization_detail_types = excluded.authorization_detail_types`,
  );
  const resourceInsert = db.prepare(
    `INSERT INTO resources (resource, name, scopes, authorization_detail_types, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT DO NOTHING`,
  );
  const resourceDelete = db.prepare('DELETE FROM resources WHERE resource = ?');

  const clientFind = db.prepare<[string], ClientRow>('SELECT * FROM clients WHERE client_id = ?');
  const clientList = db.prepare<[], ClientRow>('SELECT * FROM clients ORDER BY client_id');
  const clientInsert = db.prepare(
    'INSERT INTO clients (client_id, name, secret_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const clientSecret = db.prepare('UPDATE clients SET secret_hash = ? WHERE client_id = ?');
  const clientDelete = db.prepare('DELETE FROM clients WHERE client_id = ?');

  const grantList = db.prepare<[], GrantRow>('SELECT * FROM client_resources ORDER BY client_id, resource');
  const grantListFor = db.prepare<[string], GrantRow>(
    'SELECT * FROM client_resources WHERE client_id = ? ORDER BY resource',
  );
  const grantUpsert = db.prepare(
    `INSERT INTO client_resources (client_id, resource, scopes) VALUES (?, ?, ?)
     ON CONFLICT (client_id, resource) DO UPDATE SET scopes = excluded.scopes`,
  );
  const grantInsert = db.prepare(
    'INSERT INTO client_resources (client_id, resource, scopes) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const grantDelete = db.prepare('DELETE FROM client_resources WHERE client_id = ? AND resource = ?');

  return {
    findTrustedIdp: (issuer) => {
      const row = idpFind.get(issuer);
      return row && toTrustedIdp(row);
    },
    listTrustedIdps: () => idpList.all().map(toTrustedIdp),
    upsertTrustedIdp: (idp, now) => {
      idpUpsert.run(idp.issuer, idp.jwksUri, formatScope(idp.algorithms), formatScope(idp.tenants ?? []), now);
    },
    insertTrustedIdpIfAbsent: (idp, now) => {
      idpInsert.run(idp.issuer, idp.jwksUri, formatScope(idp.algorithms), formatScope(idp.tenants ?? []), now);
    },
    deleteTrustedIdp: (issuer) => idpDelete.run(issuer).changes === 1,

    findResource: (resource) => {
      const row = resourceFind.get(resource);
      return row && toResource(row);
    },
    findResourceForClient: (resource, clientId): ResourceForClient | undefined => {
      const row = resourceForClient.get(clientId, resource);
      if (!row) return undefined;
      return {
        resource: row.resource,
        resourceScopes: parseScope(row.resource_scopes),
        clientScopes: row.client_scopes === null ? undefined : parseScope(row.client_scopes),
        authorizationDetailTypes: readAuthorizationDetailTypes(row.authorization_detail_types),
      };
    },
    listResources: () => resourceList.all().map(toResource),
    upsertResource: (resource, now) => {
      const types = writeAuthorizationDetailTypes(resource.authorizationDetailTypes);
      resourceUpsert.run(resource.resource, resource.name, formatScope(resource.scopes), types, now);
    },
    insertResourceIfAbsent: (resource, now) => {
      const types = writeAuthorizationDetailTypes(resource.authorizationDetailTypes);
      resourceInsert.run(resource.resource, resource.name, formatScope(resource.scopes), types, now);
    },
    deleteResource: (resource) => resourceDelete.run(resource).changes === 1,

    findClient: (clientId) => {
      const row = clientFind.get(clientId);
      return row && toClient(row);
    },
    listClients: () => clientList.all().map(toClient),
    insertClient: (client, now) => clientInsert.run(client.clientId, client.name, client.secretHash, now).changes === 1,
    setClientSecretHash: (clientId, secretHash) => clientSecret.run(secretHash, clientId).changes === 1,
    deleteClient: (clientId) => clientDelete.run(clientId).changes === 1,

    listClientGrants: (clientId) =>
      (clientId === undefined ? grantList.all() : grantListFor.all(clientId)).map(toGrant),
    upsertClientGrant: (grant) => {
      grantUpsert.run(grant.clientId, grant.resource, formatScope(grant.scopes));
    },
    insertClientGrantIfAbsent: (grant) => {
      grantInsert.run(grant.clientId, grant.resource, formatScope(grant.scopes));
    },
    deleteClientGrant: (clientId, resource) => grantDelete.run(clientId, resource).changes === 1,
  };
}
