import type { SqlDatabase } from '@ema/storage';
import type { IdpClient } from '../directory-types.js';
import type { ClientStorage } from '../idp-storage.js';
import { readStringArray, readStringRecord } from './json-columns.js';
import { isStorableText } from './text-keys.js';

interface ClientRow {
  client_id: string;
  secret_hash: string | null;
  name: string;
  redirect_uris: string;
  post_logout_redirect_uris: string;
  may_request_id_jag: number;
  ras_client_ids: string;
  created_at: number;
}

function toClient(row: ClientRow): IdpClient {
  return {
    clientId: row.client_id,
    secretHash: row.secret_hash,
    name: row.name,
    redirectUris: readStringArray(row.redirect_uris),
    postLogoutRedirectUris: readStringArray(row.post_logout_redirect_uris),
    mayRequestIdJag: row.may_request_id_jag === 1,
    rasClientIds: readStringRecord(row.ras_client_ids),
    createdAt: row.created_at,
  };
}

function toRow(client: IdpClient): ClientRow {
  return {
    client_id: client.clientId,
    secret_hash: client.secretHash,
    name: client.name,
    redirect_uris: JSON.stringify(client.redirectUris),
    post_logout_redirect_uris: JSON.stringify(client.postLogoutRedirectUris),
    may_request_id_jag: client.mayRequestIdJag ? 1 : 0,
    ras_client_ids: JSON.stringify(client.rasClientIds),
    created_at: client.createdAt,
  };
}

/** Registered clients (SQLite or PostgreSQL: the same queries). */
export function createSqliteClientStorage(db: SqlDatabase): ClientStorage {
  const byId = db.prepare<[string], ClientRow>('SELECT * FROM clients WHERE client_id = ?');
  const all = db.prepare<[], ClientRow>('SELECT * FROM clients ORDER BY client_id');
  const insert = db.prepare<[ClientRow]>(
    `INSERT INTO clients (client_id, secret_hash, name, redirect_uris, post_logout_redirect_uris, may_request_id_jag,
       ras_client_ids, created_at)
     VALUES (@client_id, @secret_hash, @name, @redirect_uris, @post_logout_redirect_uris, @may_request_id_jag,
       @ras_client_ids, @created_at)`,
  );
  const replace = db.prepare<[ClientRow]>(
    `UPDATE clients SET secret_hash = @secret_hash, name = @name, redirect_uris = @redirect_uris,
       post_logout_redirect_uris = @post_logout_redirect_uris, may_request_id_jag = @may_request_id_jag,
       ras_client_ids = @ras_client_ids
     WHERE client_id = @client_id`,
  );
  const remove = db.prepare<[string]>('DELETE FROM clients WHERE client_id = ?');
  return {
    listClients: () => all.all().map(toClient),
    findClient: (clientId) => {
      const row = isStorableText(clientId) ? byId.get(clientId) : undefined;
      return row === undefined ? undefined : toClient(row);
    },
    insertClient: (client) => {
      insert.run(toRow(client));
    },
    replaceClient: (client) => replace.run(toRow(client)).changes === 1,
    deleteClient: (clientId) => remove.run(clientId).changes === 1,
  };
}
