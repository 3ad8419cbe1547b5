/**
 * One app as a real process that a test can kill with SIGKILL and start again on the same data directory and port,
 * through the repository's launcher (`@ema/stack`) from its TypeScript source (tsx), so no build is needed.
 */
import {
  appProcess,
  type DemoRoleName,
  demoRole,
  launchProcess,
  type ProcessExit,
  type RunningProcess,
} from '@ema/stack';

/** An app process that can be crashed and restarted. */
export interface CrashableApp {
  /** Where it answers: `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Its current process id. */
  pid(): number;
  /** SIGKILL: no shutdown hook, no last flush, no closing of the database. Settles once the process is gone. */
  crash(): Promise<ProcessExit>;
  /** Starts it again with the same environment (same port, same data directory); resolves once it is healthy. */
  restart(): Promise<void>;
  /** SIGTERM (a clean stop), for the end of the test. */
  stop(): Promise<void>;
}

/** Options of {@link startCrashableApp}. */
export interface CrashableAppOptions {
  /** The app's port on 127.0.0.1 (its role's port variable is set to it). */
  readonly port: number;
  /** The app's own variables (issuer or resource, data directory, ...); `PATH`, the loopback opt-out are added. */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * Starts the role's app on 127.0.0.1 at `port` with exactly `env` plus `PATH`, `NODE_ENV=production` and the
 * loopback opt-out (nothing else from the test's environment leaks in), and waits for its `/healthz`.
 */
export async function startCrashableApp(role: DemoRoleName, options: CrashableAppOptions): Promise<CrashableApp> {
  const url = `http://127.0.0.1:${options.port}`;
  const spec = appProcess(demoRole(role), {
    mode: 'source',
    url,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      EMA_DEV_ALLOW_INSECURE_LOOPBACK: '1',
      [demoRole(role).portEnv]: String(options.port),
      ...options.env,
    },
  });
  const launch = (): Promise<RunningProcess> => launchProcess(spec, { healthTimeoutMs: 60_000, stopTimeoutMs: 5_000 });
  let running = await launch();
  return {
    url,
    pid: () => running.pid,
    crash: async () => {
      running.kill();
      return running.exited;
    },
    restart: async () => {
      running = await launch();
    },
    stop: async () => {
      await running.stop();
    },
  };
}
