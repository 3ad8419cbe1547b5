import type { FastifyInstance } from 'fastify';
import { ConfigError } from '../config/config-error.js';
import { warnInsecureOptOut } from '../config/transport-security.js';

/** What {@link runServer} needs from an app's validated configuration. */
export interface ListenConfig {
  readonly host: string;
  readonly port: number;
  readonly allowInsecureLoopback: boolean;
}

/** The parts of the Node process {@link runServer} uses (injectable so tests send no real signals and do not exit). */
export interface ServerProcess {
  once(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  exit(code: number): void;
  writeError(text: string): void;
}

/** Options of {@link runServer}. */
export interface RunServerOptions<C extends ListenConfig, A extends FastifyInstance> {
  /** The app's name, prefixing its boot and shutdown messages (e.g. `idp`). */
  readonly name: string;
  /** Reads the environment and validates it; a {@link ConfigError} is reported as an invalid configuration. */
  readonly loadConfig: () => C;
  /** The app's `buildApp` (it must not listen). */
  readonly buildApp: (config: C) => Promise<A>;
  /** App-specific boot warnings, logged after the insecure-loopback warning and before listening. */
  readonly warn?: (app: A, config: C) => void;
  /** Runs once the app listens (e.g. to log where it is reachable). */
  readonly onListening?: (app: A, config: C) => void;
  /** Defaults to the real process. */
  readonly process?: ServerProcess;
}

const nodeProcess: ServerProcess = {
  once: (signal, listener) => process.once(signal, listener),
  exit: (code) => process.exit(code),
  writeError: (text) => process.stderr.write(text),
};

/**
 * Starts an app: configuration -> `buildApp` -> boot warnings -> listen, and closes it cleanly (then exits) on the
 * first SIGINT or SIGTERM. A failure to start is written to stderr (a {@link ConfigError} as its message, which names
 * the option) and exits 1. Each app's `server.ts` calls this and is the only file that listens.
 */
export async function runServer<C extends ListenConfig, A extends FastifyInstance>(
  options: RunServerOptions<C, A>,
): Promise<void> {
  const proc = options.process ?? nodeProcess;
  const { name } = options;
  try {
    const config = options.loadConfig();
    const app = await options.buildApp(config);
    if (config.allowInsecureLoopback) warnInsecureOptOut(app.log, name);
    options.warn?.(app, config);
    closeOnSignals(app, name, proc);
    await app.listen({ host: config.host, port: config.port });
    options.onListening?.(app, config);
  } catch (error: unknown) {
    proc.writeError(`${name}: ${describeStartFailure(error)}\n`);
    proc.exit(1);
  }
}

function closeOnSignals(app: FastifyInstance, name: string, proc: ServerProcess): void {
  let closing = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    proc.once(signal, () => {
      if (closing) return;
      closing = true;
      app.log.info({ signal }, `${name}: shutting down`);
      app.close().then(
        () => proc.exit(0),
        (error: unknown) => {
          app.log.error({ err: error }, `${name}: shutdown failed`);
          proc.exit(1);
        },
      );
    });
  }
}

function describeStartFailure(error: unknown): string {
  if (error instanceof ConfigError) return `invalid configuration: ${error.message}`;
  if (error instanceof Error) return `failed to start: ${error.stack ?? error.message}`;
  return `failed to start: ${String(error)}`;
}
