import type { CommitWatch } from '../commit-watch.js';
import type { Database } from './database.js';

/**
 * A check for in-memory caches of database rows: calls `onChange` when another connection (another process sharing
 * the file, a CLI) has committed since the last check. SQLite's `PRAGMA data_version` moves exactly then; this
 * connection's own commits do not move it. The returned function reads it at most once per event-loop turn, so a
 * hot path may call it on every request: a request that arrives after another process's commit is read from its
 * socket in a later turn, so it sees the change.
 */
export function watchOtherConnectionCommits(db: Database, onChange: () => void): () => void {
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  let seenVersion = dataVersion.get();
  let checkedThisTurn = false;
  const nextTurn = (): void => {
    checkedThisTurn = false;
  };
  return () => {
    if (checkedThisTurn) return;
    checkedThisTurn = true;
    setImmediate(nextTurn);
    const version = dataVersion.get();
    if (version === seenVersion) return;
    seenVersion = version;
    onChange();
  };
}

/** The {@link CommitWatch} of a SQLite connection: `PRAGMA data_version`. */
export function sqliteCommitWatch(db: Database): CommitWatch {
  return (onChange) => watchOtherConnectionCommits(db, onChange);
}
