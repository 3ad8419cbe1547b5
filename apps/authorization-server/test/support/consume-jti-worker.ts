/**
 * One instance of the RAS in a thread of its own, for the concurrency test: opens its own connection to the shared
 * PostgreSQL database, waits at the start line with the others, then tries to consume one `jti` `attempts` times
 * through the RAS's consumed-jti store and reports how many of its attempts won.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openPostgresDatabase } from '@ema/storage/postgres';
import { createSqliteConsumedJtiStorage } from '../../src/storage/consumed-jtis.js';

/** What the test gives each thread. */
export interface ConsumeJtiTask {
  url: string;
  schema: string;
  attempts: number;
  /** Int32 flag: 0 until the test starts every thread at once. */
  startLine: SharedArrayBuffer;
}

const task = workerData as ConsumeJtiTask;
// Migrations already ran (the test opened the store first): none to apply here.
const db = openPostgresDatabase({ url: task.url, schema: task.schema, migrations: [] });
const consumedJtis = createSqliteConsumedJtiStorage(db);
const start = new Int32Array(task.startLine);
parentPort?.postMessage('ready');
Atomics.wait(start, 0, 0);
let won = 0;
const entry = { iss: 'https://idp.example', jti: 'contested', exp: 4_000_000_000, clientId: 'agent' };
for (let attempt = 0; attempt < task.attempts; attempt += 1) {
  if (consumedJtis.consume(entry, Date.now())) won += 1;
}
db.close();
parentPort?.postMessage(won);
