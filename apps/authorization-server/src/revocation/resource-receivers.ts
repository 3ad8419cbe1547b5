/**
 * Where each MCP server (resource) this RAS issues tokens for receives its Security Events (RFC 8935 push): the
 * RAS registry per resource, table `resource_receivers`. A resource without one is not told of revocations; its
 * tokens then stay valid at a locally validating server until they expire.
 */
import type { SqlDatabase } from '@ema/storage';

/** A resource's receiver. */
export interface ResourceReceiver {
  resource: string;
  endpointUrl: string;
  updatedAt: number;
}

/** The receivers, per resource. */
export interface ResourceReceiverStorage {
  find(resource: string): ResourceReceiver | undefined;
  list(): ResourceReceiver[];
  /** Sets (or replaces) a resource's receiver; false when the resource is not registered. */
  upsert(receiver: ResourceReceiver): boolean;
  /** Sets it only when the resource has none (seeds). */
  insertIfAbsent(receiver: ResourceReceiver): void;
  delete(resource: string): boolean;
}

interface Row {
  resource: string;
  endpoint_url: string;
  updated_at: number;
}

const toReceiver = (row: Row): ResourceReceiver => ({
  resource: row.resource,
  endpointUrl: row.endpoint_url,
  updatedAt: row.updated_at,
});

/** The receivers on SQLite or PostgreSQL (one set of queries). */
export function createSqliteResourceReceiverStorage(db: SqlDatabase): ResourceReceiverStorage {
  const find = db.prepare<[string], Row>('SELECT * FROM resource_receivers WHERE resource = ?');
  const all = db.prepare<[], Row>('SELECT * FROM resource_receivers ORDER BY resource');
  const known = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM resources WHERE resource = ?');
  const upsert = db.prepare<[string, string, number]>(
    `INSERT INTO resource_receivers (resource, endpoint_url, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (resource) DO UPDATE SET endpoint_url = excluded.endpoint_url, updated_at = excluded.updated_at`,
  );
  const insertIfAbsent = db.prepare<[{ resource: string; endpointUrl: string; updatedAt: number }]>(
    `INSERT INTO resource_receivers (resource, endpoint_url, updated_at)
     SELECT CAST(@resource AS TEXT), CAST(@endpointUrl AS TEXT), CAST(@updatedAt AS BIGINT)
     WHERE EXISTS (SELECT 1 FROM resources WHERE resource = @resource)
     ON CONFLICT DO NOTHING`,
  );
  const remove = db.prepare<[string]>('DELETE FROM resource_receivers WHERE resource = ?');
  return {
    find: (resource) => {
      const row = find.get(resource);
      return row === undefined ? undefined : toReceiver(row);
    },
    list: () => all.all().map(toReceiver),
    upsert: (receiver) => {
      if (known.get(receiver.resource) === undefined) return false;
      upsert.run(receiver.resource, receiver.endpointUrl, receiver.updatedAt);
      return true;
    },
    insertIfAbsent: (receiver) => {
      insertIfAbsent.run({ ...receiver });
    },
    delete: (resource) => remove.run(resource).changes === 1,
  };
}
