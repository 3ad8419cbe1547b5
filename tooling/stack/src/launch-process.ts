import { type ChildProcess, spawn } from 'node:child_process';
import { StackError } from './errors.js';
import { waitHealthy } from './health.js';
import { collectOutput, type OutputMode, stdioFor } from './output.js';
import { portInUse } from './ports.js';
import type { ProcessSpec } from './process-spec.js';
import { portOf } from './role-address.js';

/** How processes are started and stopped. */
export interface LaunchOptions {
  /** Default `capture`. */
  readonly output?: OutputMode;
  /** How long a process may take to answer its health check. Default 60 s. */
  readonly healthTimeoutMs?: number;
  /** How long a process may take to exit after SIGTERM before it gets SIGKILL. Default 10 s. */
  readonly stopTimeoutMs?: number;
  /**
   * Start each process in its own process group, so a terminal's Ctrl-C reaches only this process, which then stops
   * each child exactly once and can tell a requested stop from an exit of its own (the CLI). Default `false`: the
   * children share this process's group, so a Ctrl-C that ends a harness ends them too.
   */
  readonly ownProcessGroup?: boolean;
  /** Aborting it gives up a start in progress: the process is stopped and the launch rejects. */
  readonly signal?: AbortSignal;
}

/** How a process ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** `stop()` or `kill()` had been called before it exited; otherwise it exited on its own. */
  readonly requested: boolean;
  /** The launcher had to SIGKILL it. */
  readonly killed: boolean;
}

/** A process that answered its health check. */
export interface RunningProcess {
  readonly name: string;
  readonly title: string;
  /** Its process id (the benchmarks read `/proc/<pid>` for its CPU time and memory). */
  readonly pid: number;
  /** Where it answers. */
  readonly url: string;
  /** The last lines it wrote (empty with `inherit` output). */
  output(): string[];
  /** Settles when it has exited, for whatever reason, and its output has been written out. */
  readonly exited: Promise<ProcessExit>;
  /** SIGTERM (or the spec's stop signal), then SIGKILL if it is still running after the stop time-out. Settles when it has exited. */
  stop(): Promise<ProcessExit>;
  /** SIGKILL now. */
  kill(): void;
}

/** A process's exit in a few words: `code 1`, `SIGKILL`. */
export function describeExit(exit: Pick<ProcessExit, 'code' | 'signal'>): string {
  return exit.signal ?? `code ${exit.code}`;
}

const DEFAULT_HEALTH_TIMEOUT_MS = 60_000;
const DEFAULT_STOP_TIMEOUT_MS = 10_000;

// Children started here and not yet seen to exit. Should this process end without stopping them (an uncaught error,
// a test worker ended on a time-out), they die with it instead of outliving it on their ports.
const live = new Set<ChildProcess>();
let killOnExitInstalled = false;
function killOnExit(child: ChildProcess): void {
  live.add(child);
  if (killOnExitInstalled) return;
  killOnExitInstalled = true;
  process.once('exit', () => {
    for (const orphan of live) orphan.kill('SIGKILL');
  });
}

/**
 * Starts one process and resolves once its health URL answers 200. Refuses with `PORT_TAKEN` when its port is
 * already in use; rejects with `EXITED_DURING_START`, `HEALTH_TIMEOUT` (after stopping it) or
 * `STOPPED_DURING_START` (the signal aborted) otherwise.
 */
export async function launchProcess(spec: ProcessSpec, options: LaunchOptions = {}): Promise<RunningProcess> {
  const label = `${spec.title} (${spec.name})`;
  if (options.signal?.aborted) throw new StackError('STOPPED_DURING_START', `${label}: the stack is stopping`);
  const port = portOf(spec.url);
  if (await portInUse(port)) {
    throw new StackError('PORT_TAKEN', `${label} cannot start: ${spec.url} (port ${port}) is already in use`);
  }

  const output = options.output ?? 'capture';
  const child = spawn(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env: { ...spec.env },
    stdio: stdioFor(output),
    detached: options.ownProcessGroup ?? false,
    ...(spec.runAs === undefined ? {} : { uid: spec.runAs.uid, gid: spec.runAs.gid }),
  });
  const { pid } = child;
  if (pid === undefined) {
    const error = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new StackError('SPAWN_FAILED', `${label} could not start ${spec.command}: ${error.message}`);
  }
  const handle = watch(child, pid, spec, output, options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);

  // The health wait ends early when the process exits or the caller gives up.
  const starting = new AbortController();
  const abort = (): void => starting.abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  child.once('exit', abort);
  const healthTimeoutMs = options.healthTimeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  const wait = await waitHealthy(spec.healthCheck ?? spec.healthUrl, healthTimeoutMs, starting.signal);
  options.signal?.removeEventListener('abort', abort);

  if (!live.has(child) && !handle.stopRequested()) return failStart(handle, spec, output, await handle.exited);
  if (wait === 'healthy' && !options.signal?.aborted) return handle;
  await handle.stop();
  if (wait === 'timeout') {
    throw new StackError(
      'HEALTH_TIMEOUT',
      `${label} did not answer ${healthTarget(spec)} within ${healthTimeoutMs / 1000} s; stopped it${tailOf(handle, output)}`,
    );
  }
  throw new StackError('STOPPED_DURING_START', `${label}: the stack stopped while it was starting`);
}

/** The handle of a spawned child: its output collected, its exit recorded, SIGTERM then SIGKILL on `stop()`. */
function watch(
  child: ChildProcess,
  pid: number,
  spec: ProcessSpec,
  output: OutputMode,
  stopTimeoutMs: number,
): RunningProcess & { stopRequested(): boolean } {
  killOnExit(child);
  const tail = collectOutput(child, spec.name, output);
  let requested = false;
  let killed = false;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      void tail.drained.then(() => resolve({ code, signal, requested, killed }));
    });
  });
  return {
    name: spec.name,
    title: spec.title,
    pid,
    url: spec.url,
    output: tail.lines,
    exited,
    stop: () => {
      if (!requested && live.has(child)) {
        requested = true;
        const force = setTimeout(() => {
          if (!live.has(child)) return;
          killed = true;
          child.kill('SIGKILL');
        }, stopTimeoutMs);
        void exited.then(() => clearTimeout(force));
        child.kill(spec.stopSignal ?? 'SIGTERM');
      }
      return exited;
    },
    kill: () => {
      requested = true;
      if (!live.has(child)) return;
      killed = true;
      child.kill('SIGKILL');
    },
    stopRequested: () => requested,
  };
}

function failStart(started: RunningProcess, spec: ProcessSpec, output: OutputMode, exit: ProcessExit): never {
  throw new StackError(
    'EXITED_DURING_START',
    `${spec.title} (${spec.name}) exited during start-up (${describeExit(exit)}) before answering ${healthTarget(spec)}${tailOf(started, output)}`,
  );
}

/** What the health wait polls, for messages. */
function healthTarget(spec: ProcessSpec): string {
  return spec.healthCheck === undefined ? spec.healthUrl : 'its readiness check';
}

/** With `capture` output nobody has seen the process's lines: the error carries the last of them. */
function tailOf(started: RunningProcess, output: OutputMode): string {
  if (output !== 'capture') return '';
  const lines = started.output().slice(-40);
  return lines.length === 0 ? '' : `\n${lines.join('\n')}`;
}
