import type { Environment } from './environment.js';

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
  /** Polled until it answers 200. */
  readonly healthUrl: string;
}
