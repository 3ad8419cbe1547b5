import { StackError } from './errors.js';
import {
  describeExit,
  type LaunchOptions,
  launchProcess,
  type ProcessExit,
  type RunningProcess,
} from './launch-process.js';
import { refuseTakenPorts } from './ports.js';
import type { ProcessSpec } from './process-spec.js';

/** Why a stack stopped, and which of its processes had to be killed. */
export type StackOutcome =
  | { readonly reason: 'stopped'; readonly killed: readonly string[] }
  | {
      readonly reason: 'exited';
      /** The process that exited on its own, which made the stack stop the others. */
      readonly process: string;
      readonly title: string;
      readonly exit: ProcessExit;
      readonly killed: readonly string[];
    };

/**
 * Processes that run and stop together: when one exits on its own, the stack stops all the others, and
 * {@link Stack.stopped} says which one it was.
 */
export interface Stack {
  /** The processes that answered their health check, in the order they did. */
  readonly processes: readonly RunningProcess[];
  /** Starts one more process (see {@link launchProcess}) and watches it. Several may start at once. */
  launch(spec: ProcessSpec): Promise<RunningProcess>;
  /**
   * Stops every process (SIGTERM, then SIGKILL after the stop time-out), starting ones included; those marked
   * `stopLast` once all the others have exited.
   */
  stop(): Promise<StackOutcome>;
  /** SIGKILL every running process now (a second Ctrl-C), and stop the stack. */
  kill(): void;
  /** Settles once the stack has stopped, because it was asked to or because a process exited on its own. */
  readonly stopped: Promise<StackOutcome>;
}

type FirstExit = Omit<Extract<StackOutcome, { reason: 'exited' }>, 'killed'>;

/** An empty stack; its options apply to every process it launches. */
export function createStack(options: Omit<LaunchOptions, 'signal'> = {}): Stack {
  const running: RunningProcess[] = [];
  const stoppedLast = new WeakSet<RunningProcess>();
  const starting = new Set<Promise<unknown>>();
  const stopping = new AbortController();
  let settle: (outcome: StackOutcome) => void = () => {};
  const stopped = new Promise<StackOutcome>((resolve) => {
    settle = resolve;
  });
  let outcome: Promise<StackOutcome> | undefined;

  const stopAll = (first: FirstExit | undefined): Promise<StackOutcome> => {
    if (outcome !== undefined) return outcome;
    // Starts in progress stop their own process on this abort; wait for them so that none is left running.
    stopping.abort();
    outcome = (async () => {
      await Promise.allSettled([...starting]);
      // The apps first, all at once; then what they write to (a database server), so their last writes land.
      const stopGroup = async (group: readonly RunningProcess[]): Promise<string[]> => {
        const exits = await Promise.all(group.map((started) => started.stop()));
        return group.filter((_, index) => exits[index]?.killed === true).map((started) => started.name);
      };
      const killed = [
        ...(await stopGroup(running.filter((started) => !stoppedLast.has(started)))),
        ...(await stopGroup(running.filter((started) => stoppedLast.has(started)))),
      ];
      const result: StackOutcome = first === undefined ? { reason: 'stopped', killed } : { ...first, killed };
      settle(result);
      return result;
    })();
    return outcome;
  };

  const launch = (spec: ProcessSpec): Promise<RunningProcess> => {
    const started = (async () => {
      const launched = await launchProcess(spec, { ...options, signal: stopping.signal });
      if (stopping.signal.aborted) {
        await launched.stop();
        throw new StackError(
          'STOPPED_DURING_START',
          `${spec.title} (${spec.name}): the stack stopped while it was starting`,
        );
      }
      running.push(launched);
      if (spec.stopLast === true) stoppedLast.add(launched);
      void launched.exited.then((exit) => {
        if (!exit.requested) void stopAll({ reason: 'exited', process: launched.name, title: launched.title, exit });
      });
      return launched;
    })();
    starting.add(started);
    const untrack = (): void => {
      starting.delete(started);
    };
    started.then(untrack, untrack);
    return started;
  };

  return {
    processes: running,
    launch,
    stop: () => stopAll(undefined),
    kill: () => {
      void stopAll(undefined);
      for (const launched of running) launched.kill();
    },
    stopped,
  };
}

/**
 * Starts the processes one after the other, each once the one before answers its health check. Refuses with
 * `PORT_TAKEN` before starting anything when a port is taken (naming every such process). When a start fails, or
 * the signal aborts, it stops what it started and rejects (`EXITED_DURING_START` names a process that exited on its
 * own while a later one was starting).
 */
export async function launchStack(processes: readonly ProcessSpec[], options: LaunchOptions = {}): Promise<Stack> {
  await refuseTakenPorts(processes);
  const { signal, ...launchOptions } = options;
  const stack = createStack(launchOptions);
  const stop = (): void => {
    void stack.stop();
  };
  signal?.addEventListener('abort', stop, { once: true });
  try {
    if (signal?.aborted) stop();
    for (const spec of processes) await stack.launch(spec);
    return stack;
  } catch (error) {
    const outcome = await stack.stop();
    if (outcome.reason === 'exited') {
      throw new StackError(
        'EXITED_DURING_START',
        `${outcome.title} (${outcome.process}) exited during start-up (${describeExit(outcome.exit)}); stopped the others`,
      );
    }
    throw error;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}
