import { readFileSync } from 'node:fs';
import { PostgresServerError } from './errors.js';

/** A system account to run the server as. */
export interface RunAsUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** Accounts tried in order: the Debian package's own, then the account every Unix has. */
const CANDIDATES = ['postgres', 'nobody'];

/**
 * The account to run PostgreSQL as, or `undefined` when this process is not root. PostgreSQL refuses to run as
 * root (`"root" execution of the PostgreSQL server is not permitted`), and CI runs as root.
 */
export function unprivilegedUser(passwd = '/etc/passwd'): RunAsUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const entries = new Map<string, RunAsUser>();
  for (const line of readFileSync(passwd, 'utf8').split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name === undefined || uid === undefined || gid === undefined) continue;
    entries.set(name, { name, uid: Number(uid), gid: Number(gid) });
  }
  for (const name of CANDIDATES) {
    const user = entries.get(name);
    if (user !== undefined && user.uid !== 0) return user;
  }
  throw new PostgresServerError(
    'POSTGRES_NO_UNPRIVILEGED_USER',
    `running as root and none of ${CANDIDATES.join(', ')} exists to run PostgreSQL as`,
  );
}
