import type { Migration, SqlDatabase } from '@ema/storage';
import type { SsfStream, SsfStreamStorage, StreamStatusValue } from '../streams/stream.js';

/**
 * The `ssf_streams` table of a Transmitter: one row per stream, at most one per Receiver. `authorization` is the
 * header value the Receiver asked to be sent: kept as given (it must be sent), like the Transmitter's signing keys.
 * PostgreSQL reserves the word `authorization`, so the column is always written quoted, `"authorization"` (SQLite
 * reads the quotes the same way: the column of a database created before they were added is the same column).
 */
export const streamsMigration: Migration = {
  id: 1203,
  name: 'shared-signals: ssf_streams',
  sql: `CREATE TABLE ssf_streams (
    stream_id TEXT PRIMARY KEY,
    receiver_id TEXT NOT NULL UNIQUE,
    audience TEXT NOT NULL,
    endpoint_url TEXT NOT NULL,
    "authorization" TEXT,
    events_requested TEXT NOT NULL,
    events_delivered TEXT NOT NULL,
    description TEXT,
    status TEXT NOT NULL CHECK (status IN ('enabled', 'paused', 'disabled')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  )`,
};

interface StreamRow {
  stream_id: string;
  receiver_id: string;
  audience: string;
  endpoint_url: string;
  authorization: string | null;
  events_requested: string;
  events_delivered: string;
  description: string | null;
  status: StreamStatusValue;
  created_at: number;
  updated_at: number;
}

function strings(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

const toStream = (row: StreamRow): SsfStream => ({
  streamId: row.stream_id,
  receiverId: row.receiver_id,
  audience: row.audience,
  endpointUrl: row.endpoint_url,
  authorization: row.authorization,
  eventsRequested: strings(row.events_requested),
  eventsDelivered: strings(row.events_delivered),
  description: row.description,
  status: row.status,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toRow = (stream: SsfStream): StreamRow => ({
  stream_id: stream.streamId,
  receiver_id: stream.receiverId,
  audience: stream.audience,
  endpoint_url: stream.endpointUrl,
  authorization: stream.authorization,
  events_requested: JSON.stringify(stream.eventsRequested),
  events_delivered: JSON.stringify(stream.eventsDelivered),
  description: stream.description,
  status: stream.status,
  created_at: Math.floor(stream.createdAt),
  updated_at: Math.floor(stream.updatedAt),
});

/**
 * Streams (apply {@link streamsMigration} first), on either store: a better-sqlite3 connection or a
 * `PostgresDatabase`. `listStreams` is read on every change that emits events: one scan of a table with one row per
 * Receiver.
 */
export function createSqliteStreamStorage(db: SqlDatabase): SsfStreamStorage {
  const byId = db.prepare<[string], StreamRow>('SELECT * FROM ssf_streams WHERE stream_id = ?');
  const byReceiver = db.prepare<[string], StreamRow>('SELECT * FROM ssf_streams WHERE receiver_id = ?');
  const all = db.prepare<[], StreamRow>('SELECT * FROM ssf_streams ORDER BY created_at, stream_id');
  const insert = db.prepare<[StreamRow]>(
    `INSERT INTO ssf_streams (stream_id, receiver_id, audience, endpoint_url, "authorization", events_requested,
       events_delivered, description, status, created_at, updated_at)
     VALUES (@stream_id, @receiver_id, @audience, @endpoint_url, @authorization, @events_requested,
       @events_delivered, @description, @status, @created_at, @updated_at)`,
  );
  const replace = db.prepare<[StreamRow]>(
    `UPDATE ssf_streams SET endpoint_url = @endpoint_url, "authorization" = @authorization,
       events_requested = @events_requested, events_delivered = @events_delivered, description = @description,
       status = @status, updated_at = @updated_at
     WHERE stream_id = @stream_id`,
  );
  const remove = db.prepare<[string]>('DELETE FROM ssf_streams WHERE stream_id = ?');
  return {
    findStream: (streamId) => {
      const row = byId.get(streamId);
      return row === undefined ? undefined : toStream(row);
    },
    findStreamOfReceiver: (receiverId) => {
      const row = byReceiver.get(receiverId);
      return row === undefined ? undefined : toStream(row);
    },
    insertStream: (stream) => {
      insert.run(toRow(stream));
    },
    replaceStream: (stream) => {
      replace.run(toRow(stream));
    },
    deleteStream: (streamId) => remove.run(streamId).changes === 1,
    listStreams: () => all.all().map(toStream),
  };
}
