/** Why the launcher refused or failed; stable, so callers can `switch (error.code)`. */
export type StackErrorCode =
  /** A role's URL or port variable holds something unusable; the message names the variable. */
  | 'INVALID_SETTING'
  /** The built entry point (`dist/server.js`) is missing: run the build first. */
  | 'NOT_BUILT'
  /** Something already accepts connections on a port a process is about to listen on. */
  | 'PORT_TAKEN'
  /** A program the stack runs (PostgreSQL, HAProxy) is not installed; the message says how to install it. */
  | 'MISSING_PROGRAM'
  /** PostgreSQL's `initdb` failed to create the cluster. */
  | 'INITDB_FAILED'
  /** The operating system could not start the command. */
  | 'SPAWN_FAILED'
  /** A process exited before it answered its health check. */
  | 'EXITED_DURING_START'
  /** A process did not answer its health check in time (it has been stopped). */
  | 'HEALTH_TIMEOUT'
  /** The stack was being stopped while this process was starting (it has been stopped). */
  | 'STOPPED_DURING_START';

/** A refusal or failure of the launcher. The message names the process and where it should have answered. */
export class StackError extends Error {
  override readonly name = 'StackError';
  readonly code: StackErrorCode;

  constructor(code: StackErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
