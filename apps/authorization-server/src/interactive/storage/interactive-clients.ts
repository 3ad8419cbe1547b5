/**
 * Clients of the interactive path (SQLite or PostgreSQL): dynamically registered ones (RFC 7591) and the last accepted copy of each
 * Client ID Metadata Document. The registry of EMA clients (`clients`) is separate: an EMA client never signs users in
 * here, and a client registered here never redeems ID-JAGs.
 */
import type {
  DynamicClient,
  DynamicClientStore,
  MetadataDocumentCache,
  MetadataDocumentClient,
  RegisteredClient,
  ValidatedClientMetadata,
} from '@ema/oauth-server';
import type { SqlDatabase } from '@ema/storage';

/** A client of the interactive path, however it registered. */
export interface InteractiveClient extends RegisteredClient {
  kind: 'dynamic' | 'metadata_document';
  metadata: ValidatedClientMetadata;
}

/** The storage of interactive clients. */
export interface InteractiveClientStorage extends DynamicClientStore, MetadataDocumentCache {
  /** A client of either kind (a metadata document client whatever the freshness of its copy). */
  findClient(clientId: string): InteractiveClient | undefined;
  /** A dynamically registered client. */
  findDynamicClient(clientId: string): InteractiveClient | undefined;
}

interface ClientRow {
  client_id: string;
  kind: 'dynamic' | 'metadata_document';
  secret_hash: string | null;
  metadata: string;
  fresh_until: number | null;
}

/** Interactive clients on SQLite or PostgreSQL (one set of queries). */
export function createInteractiveClientStorage(db: SqlDatabase, now: () => number): InteractiveClientStorage {
  const find = db.prepare<[string], ClientRow>('SELECT * FROM interactive_clients WHERE client_id = ?');
  const insert = db.prepare(
    `INSERT INTO interactive_clients (client_id, kind, secret_hash, metadata, fresh_until, created_at, updated_at)
     VALUES (?, 'dynamic', ?, ?, NULL, ?, ?)`,
  );
  const saveDocument = db.prepare(
    `INSERT INTO interactive_clients (client_id, kind, secret_hash, metadata, fresh_until, created_at, updated_at)
     VALUES (?, 'metadata_document', NULL, ?, ?, ?, ?)
     ON CONFLICT (client_id) DO UPDATE SET metadata = excluded.metadata, fresh_until = excluded.fresh_until,
       updated_at = excluded.updated_at WHERE interactive_clients.kind = 'metadata_document'`,
  );
  // Written by this server only, from validated metadata; read back as such.
  const parse = (row: ClientRow): InteractiveClient => ({
    clientId: row.client_id,
    kind: row.kind,
    secretHash: row.secret_hash,
    metadata: JSON.parse(row.metadata) as ValidatedClientMetadata,
  });
  return {
    insert: (client: DynamicClient) => {
      insert.run(client.clientId, client.secretHash, JSON.stringify(client.metadata), now(), now());
    },
    save: (client: MetadataDocumentClient) => {
      saveDocument.run(client.clientId, JSON.stringify(client.metadata), client.freshUntil, now(), now());
    },
    find: (clientId): MetadataDocumentClient | undefined => {
      const row = find.get(clientId);
      if (row === undefined || row.kind !== 'metadata_document') return undefined;
      return { clientId, metadata: parse(row).metadata, freshUntil: row.fresh_until ?? 0 };
    },
    findClient: (clientId) => {
      const row = find.get(clientId);
      return row && parse(row);
    },
    findDynamicClient: (clientId) => {
      const row = find.get(clientId);
      return row?.kind === 'dynamic' ? parse(row) : undefined;
    },
  };
}
