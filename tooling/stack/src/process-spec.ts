import type { Environment } from './environment.js';

/** A system account a process runs as (PostgreSQL refuses to run as root). */
export interface RunAs {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/**
 * One process to launch, fully resolved: what to run, where, with which environment, and how to tell it is up. An
 * app's spec comes from its role ({@link appProcess}); anything else (a load balancer, a database server) is a spec
 * written directly, and the launcher treats it the same.
 */
export interface ProcessSpec {
  /** Unique within a stack: prefixes its log lines, names it in outcomes (`idp`, `idp-2`, `postgres`). */
  readonly name: string;
  /** How messages name it ("the IdP"). */
  readonly title: string;
  /** The executable (`process.execPath` for the apps). */
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** The complete environment of the process: nothing is added to it. */
  readonly env: Environment;
  /** Where it answers on this machine; its port must be free before it starts. */
  readonly url: string;
  /** Polled until it answers 200, unless {@link ProcessSpec.healthCheck} is given. */
  readonly healthUrl: string;
  /**
   * A readiness check other than an HTTP health URL (PostgreSQL speaks its own protocol): polled until it resolves
   * `true`. It may also finish the process's setup (create the databases the apps need) before saying so.
   */
  readonly healthCheck?: () => Promise<boolean>;
  /** Run as this account (the launcher must be root). Default: as this process. */
  readonly runAs?: RunAs;
  /**
   * The signal that asks it to stop. Default `SIGTERM`. PostgreSQL takes SIGTERM as a "smart" shutdown that waits
   * for every client to leave; SIGINT is its "fast" one.
   */
  readonly stopSignal?: NodeJS.Signals;
  /**
   * Stopped only once every other process of its stack has exited (a database server outlives the apps writing to
   * it, so their last writes land). Default `false`: all stop at once.
   */
  readonly stopLast?: boolean;
}
