import pg from 'pg';

/** What the database server went through during one window: where contention starts shows here first. */
export interface Contention {
  /** Seconds between the first and the last reading. */
  seconds: number;
  /** Transactions committed per second, in the databases of the apps. */
  commitsPerSecond: number;
  /** Rows inserted per second into the RAS's replay table (`consumed_jtis`: one per redeemed ID-JAG). */
  replayInsertsPerSecond: number;
  /** Rows inserted per second into every table of the apps' databases (audit records included). */
  insertsPerSecond: number;
  /** The most sessions seen waiting on a lock at once (`pg_stat_activity.wait_event_type = 'Lock'`). */
  maxLockWaits: number;
  /** Share of the samples in which some session waited on a lock. */
  lockWaitShare: number;
  /** The most lock requests seen not granted at once (`pg_locks.granted = false`). */
  maxUngrantedLocks: number;
  /** Samples taken (every 200 ms). */
  samples: number;
}

/** A probe started before a window and stopped after it. */
export interface ContentionProbe {
  stop(): Promise<Contention>;
}

const SAMPLE_MS = 200;
/**
 * How long a backend may hold its statistics after its last transaction. Since PostgreSQL 15 a backend publishes them
 * when it goes idle, but at most once a second: what its last second of work left pending waits for the idle timer,
 * `PGSTAT_IDLE_INTERVAL` (10 s). Reading sooner undercounts the window's end (a smoke window, shorter than a second,
 * then counts nothing).
 */
const PUBLISH_MS = 10_500;

/** Waits until every backend has published the statistics of the work done so far (see `PUBLISH_MS`). */
export function statisticsPublished(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, PUBLISH_MS));
}
const REPLAY_TABLE = 'consumed_jtis';

interface Counters {
  at: number;
  commits: number;
  inserts: number;
  replayInserts: number;
}

/**
 * Starts watching the PostgreSQL server through `adminUrl` (its `postgres` database) and, for the insert counters,
 * through each of `databaseUrls` (`pg_stat_user_tables` is per database). The counters are the server's own
 * statistics, which backends publish late (see `PUBLISH_MS`): `stop` waits for them before its last reading, and
 * whoever starts a probe after other database work must await `statisticsPublished()` first, or that work counts in
 * the window.
 */
export async function startContentionProbe(
  adminUrl: string,
  databaseUrls: readonly string[],
): Promise<ContentionProbe> {
  const admin = new pg.Client({ connectionString: adminUrl, application_name: 'ema-bench-probe' });
  const databases = databaseUrls.map(
    (connectionString) => new pg.Client({ connectionString, application_name: 'ema-bench-probe' }),
  );
  // A server that goes away (the stack stopping because a process of it failed) ends the probe's reads with an error
  // the run reports; an unhandled 'error' event would end the whole benchmark process instead, hiding the cause.
  for (const client of [admin, ...databases]) client.on('error', () => undefined);
  await Promise.all([admin.connect(), ...databases.map((client) => client.connect())]);
  const names = databaseUrls.map((url) => new URL(url).pathname.slice(1));

  const counters = async (): Promise<Counters> => {
    // A transaction's own statistics snapshot would freeze the counters: read each outside any transaction.
    await admin.query('SELECT pg_stat_clear_snapshot()');
    const commits = await admin.query<{ commits: string }>(
      'SELECT coalesce(sum(xact_commit), 0) AS commits FROM pg_stat_database WHERE datname = ANY($1)',
      [names],
    );
    let inserts = 0;
    let replayInserts = 0;
    for (const client of databases) {
      await client.query('SELECT pg_stat_clear_snapshot()');
      const { rows } = await client.query<{ relname: string; n_tup_ins: string }>(
        'SELECT relname, n_tup_ins FROM pg_stat_user_tables',
      );
      for (const row of rows) {
        inserts += Number(row.n_tup_ins);
        if (row.relname === REPLAY_TABLE) replayInserts += Number(row.n_tup_ins);
      }
    }
    return { at: Date.now(), commits: Number(commits.rows[0]?.commits ?? 0), inserts, replayInserts };
  };

  const start = await counters();
  let samples = 0;
  let waitingSamples = 0;
  let maxLockWaits = 0;
  let maxUngrantedLocks = 0;
  let sampling = Promise.resolve();
  const sample = async (): Promise<void> => {
    const { rows } = await admin.query<{ waiting: string; ungranted: string }>(
      `SELECT (SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock') AS waiting,
              (SELECT count(*) FROM pg_locks WHERE NOT granted) AS ungranted`,
    );
    const waiting = Number(rows[0]?.waiting ?? 0);
    samples += 1;
    if (waiting > 0) waitingSamples += 1;
    maxLockWaits = Math.max(maxLockWaits, waiting);
    maxUngrantedLocks = Math.max(maxUngrantedLocks, Number(rows[0]?.ungranted ?? 0));
  };
  const timer = setInterval(() => {
    sampling = sampling.then(sample).catch(() => {});
  }, SAMPLE_MS);

  return {
    async stop() {
      clearInterval(timer);
      await sampling;
      const ended = Date.now();
      await statisticsPublished();
      const end = await counters();
      await Promise.all([admin.end(), ...databases.map((client) => client.end())]);
      const seconds = Math.max(0.001, (ended - start.at) / 1000);
      const rate = (from: number, to: number) => Math.round(((to - from) / seconds) * 10) / 10;
      return {
        seconds: Math.round(seconds * 10) / 10,
        commitsPerSecond: rate(start.commits, end.commits),
        replayInsertsPerSecond: rate(start.replayInserts, end.replayInserts),
        insertsPerSecond: rate(start.inserts, end.inserts),
        maxLockWaits,
        lockWaitShare: samples === 0 ? 0 : Math.round((waitingSamples / samples) * 1000) / 1000,
        maxUngrantedLocks,
        samples,
      };
    },
  };
}
