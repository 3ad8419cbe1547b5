/**
 * A synchronous PostgreSQL connection. The stores' seams are synchronous (better-sqlite3's shape: a group commit
 * runs many requests' statements inside one transaction, with no `await` between them), so the PostgreSQL store
 * needs a connection that answers a query before the next line runs. node-postgres runs in a worker thread; the
 * request thread posts a query and sleeps on `Atomics.wait` until the worker has posted the answer, which it then
 * takes with `receiveMessageOnPort` (the technique of `synckit`).
 *
 * The cost: each statement holds this process's event loop for one round trip to the server (tens of microseconds
 * on the same machine, a millisecond across a network). A transaction never spans an `await`, so it holds its row
 * locks only for the time of its own statements.
 */
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { PostgresQueryError } from './postgres-query-error.js';

/** What one query returns. */
export interface SyncQueryResult {
  rows: Record<string, unknown>[];
  rowCount: number;
  /** The command tag (`COMMIT`, or `ROLLBACK` for a COMMIT of a transaction a failed statement had aborted). */
  command: string;
}

/** A connection whose `query` returns only once the server answered. */
export interface SyncConnection {
  /**
   * Runs one statement. `mayReconnect`: the statement runs outside any transaction (an autocommit statement, or the
   * `BEGIN` of one), so when the connection was lost it may run on a new one. Never for a statement inside a
   * transaction, nor its `COMMIT`: on a new connection those would run outside the transaction the server dropped.
   */
  query(sql: string, params?: readonly unknown[], mayReconnect?: boolean): SyncQueryResult;
  /** Ends the connection and the worker. */
  close(): void;
}

/** How long one statement may take before the request thread gives up on the worker (a lock wait included). */
const QUERY_TIMEOUT_MS = 30_000;

/** How long opening a connection may take (the first one, and each that replaces a lost one). */
const CONNECT_TIMEOUT_MS = 5_000;

// CommonJS, evaluated in the worker: the driver is loaded by absolute path, so no resolution depends on the cwd.
// int8 (count(*), BIGINT epoch milliseconds) and numeric arrive as numbers, as SQLite gives them.
const WORKER_SOURCE = `
const CONNECT_TIMEOUT_MS = ${CONNECT_TIMEOUT_MS};
const { workerData } = require('node:worker_threads');
const flag = new Int32Array(workerData.signal);
const port = workerData.port;
const pg = require(workerData.driver);
const types = new pg.TypeOverrides();
types.setTypeParser(20, (value) => Number(value));
types.setTypeParser(1700, (value) => Number(value));
// The connection in use. One that failed (the server restarted, a balancer dropped it, the first connect found no
// server) is replaced only when the request thread says the statement may run on a new one: outside a transaction.
let client;
let ready;
let broken;
const connect = () => {
  const next = new pg.Client({
    connectionString: workerData.url,
    types,
    application_name: workerData.name,
    // A host that does not answer (down, or a failover in progress) costs a request 5 s, not the OS's minutes.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  const fail = (error) => { if (client === next) broken ??= error; };
  next.on('error', fail);
  next.on('end', () => fail(new Error('the connection ended')));
  client = next;
  broken = undefined;
  ready = next.connect().then(() => next.query(workerData.setup));
  ready.catch(fail);
};
connect();
// The answer is queued before the counter moves, so a reader that sees the counter move finds the answer queued.
const answer = (message) => {
  port.postMessage(message);
  Atomics.add(flag, 0, 1);
  Atomics.notify(flag, 0);
};
// A SQLSTATE is five digits or capitals; anything else from a connection that failed (ECONNREFUSED, "Connection
// terminated unexpectedly") is the connection lost, which the request thread can tell from a bad statement.
const codeOf = (error) => {
  const code = error && error.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  return broken !== undefined ? 'EMA_CONNECTION_LOST' : undefined;
};
port.on('message', async (message) => {
  if (message.close) {
    await client.end().catch(() => {});
    answer({ seq: message.seq, ok: true, rows: [], rowCount: 0, command: '' });
    process.exit(0);
  }
  try {
    if (broken !== undefined && message.mayReconnect) {
      client.end().catch(() => {});
      connect();
    }
    await ready;
    if (broken !== undefined) throw broken;
    const result = await client.query({ text: message.sql, values: message.params });
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    answer({ seq: message.seq, ok: true, rows: last ? last.rows : [], rowCount: last ? last.rowCount ?? 0 : 0, command: last ? last.command ?? '' : '' });
  } catch (error) {
    answer({ seq: message.seq, ok: false, message: String(error && error.message), code: codeOf(error), detail: error && error.detail });
  }
});
`;

interface Answer {
  /** The number of the query it answers. */
  seq: number;
  ok: boolean;
  rows: Record<string, unknown>[];
  rowCount: number;
  command: string;
  message: string;
  code?: string;
  detail?: string;
}

/**
 * Opens a synchronous connection to `url`. `setup` runs once on connect (e.g. `SET search_path …`);
 * `synchronous_commit` is set `on` there too, so a COMMIT returns only once the server has flushed it.
 */
export function openSyncConnection(url: string, setup = '', name = 'ema'): SyncConnection {
  const driver = createRequire(import.meta.url).resolve('pg');
  const signal = new SharedArrayBuffer(4);
  const flag = new Int32Array(signal);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver, url, signal, port: port2, name, setup: `SET synchronous_commit = on; ${setup}` },
    transferList: [port2],
  });
  // The worker and its port must not keep the process alive: `close` ends them, and so does the process's exit.
  worker.unref();
  port1.unref();

  // Every query is numbered and every answer carries its number. A query that timed out is still answered later, by
  // the worker; that late answer is dropped here when it turns up, so a query never takes another's answer (a
  // statement reading the row count of the one before it would, for one, accept a consumed jti as fresh).
  let seq = 0;
  let answersRead = 0;
  const roundTrip = (message: object): Answer => {
    seq += 1;
    port1.postMessage({ ...message, seq });
    const deadline = Date.now() + QUERY_TIMEOUT_MS;
    for (;;) {
      const received = receiveMessageOnPort(port1);
      if (received !== undefined) {
        // Int32 like the shared counter, which wraps after 2^31 answers.
        answersRead = (answersRead + 1) | 0;
        const answer = received.message as Answer;
        if (answer.seq === seq) return answer;
        continue;
      }
      const answered = Atomics.load(flag, 0);
      if (answered !== answersRead) continue;
      const remaining = deadline - Date.now();
      if (remaining <= 0 || Atomics.wait(flag, 0, answered, remaining) === 'timed-out') {
        throw new PostgresQueryError('no answer from PostgreSQL in 30 s', 'EMA_TIMEOUT');
      }
    }
  };

  let closed = false;
  return {
    query(sql, params = [], mayReconnect = false) {
      if (closed) throw new PostgresQueryError('the connection is closed', 'EMA_CLOSED');
      const answer = roundTrip({ sql, params, mayReconnect });
      if (!answer.ok) throw new PostgresQueryError(answer.message, answer.code ?? 'EMA_UNKNOWN', answer.detail);
      return { rows: answer.rows, rowCount: answer.rowCount, command: answer.command };
    },
    close() {
      if (closed) return;
      closed = true;
      roundTrip({ close: true });
      port1.close();
    },
  };
}
