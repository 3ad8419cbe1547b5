import { describeExit } from './launch-process.js';
import { prettyLogLine } from './log-format.js';
import { refuseTakenPorts } from './ports.js';
import type { ProcessSpec } from './process-spec.js';
import { createStack, type StackOutcome } from './stack.js';

/** Where the foreground run hears signals: `process`, or an event emitter in tests. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

/** What {@link runInForeground} runs, and where it talks. */
export interface ForegroundOptions {
  /** Started in this order, each once the one before is healthy. */
  readonly processes: readonly ProcessSpec[];
  /** Printed once every process is healthy; a function is called then (to read what the apps wrote at boot). */
  readonly banner: string | (() => string);
  /** Print only the processes' warnings and errors (pino levels 40-60) and lines that are not JSON logs. */
  readonly quiet: boolean;
  /** Show the processes' JSON log lines through pino-pretty (see `prettyLogs`); default: as they are. */
  readonly pretty?: boolean;
  /** Colours in pretty lines (default: when pretty). */
  readonly colorize?: boolean;
  readonly print: (text: string) => void;
  readonly printError: (text: string) => void;
  readonly signals: SignalSource;
  readonly healthTimeoutMs?: number;
  readonly stopTimeoutMs?: number;
}

/**
 * Runs the processes in the foreground, each in its own process group with its lines printed as `[name] line`, until
 * a signal asks it to stop (SIGINT, SIGTERM, SIGHUP; a second SIGINT kills at once) or one of them exits on its own.
 * Resolves with the exit status: 0 after a requested stop; 1 when a port is taken, a process fails to become healthy,
 * a process exits on its own, or one had to be killed.
 */
export async function runInForeground(options: ForegroundOptions): Promise<number> {
  const { print, printError, signals } = options;
  try {
    await refuseTakenPorts(options.processes);
  } catch (error) {
    printError(`Cannot start the stack: ${messageOf(error)}. Is another stack still running? Stop it first.`);
    return 1;
  }
  const format = options.pretty === true ? prettyLogLine(options.colorize ?? true) : (line: string) => [line];
  const stack = createStack({
    output: {
      lines: (line, name) => {
        if (options.quiet && /^\{/.test(line) && !/"level":(40|50|60)/.test(line)) return;
        for (const text of format(line)) print(`[${name}] ${text}`);
      },
    },
    ownProcessGroup: true,
    ...(options.healthTimeoutMs === undefined ? {} : { healthTimeoutMs: options.healthTimeoutMs }),
    ...(options.stopTimeoutMs === undefined ? {} : { stopTimeoutMs: options.stopTimeoutMs }),
  });

  let requested = false;
  const requestStop = (): void => {
    if (requested) return;
    requested = true;
    const names = stack.processes.map((started) => started.name);
    print(names.length > 0 ? `Stopping the stack (${names.join(', ')})…` : 'Stopping…');
    void stack.stop();
  };
  // A supervisor's SIGTERM only ever stops gracefully, even right after a terminal's SIGINT; Ctrl-C twice kills.
  const interrupt = (): void => (requested ? stack.kill() : requestStop());
  signals.on('SIGINT', interrupt);
  signals.on('SIGTERM', requestStop);
  signals.on('SIGHUP', requestStop);
  try {
    try {
      for (const spec of options.processes) await stack.launch(spec);
    } catch (error) {
      const outcome = await stack.stop();
      if (requested || outcome.reason === 'exited') return finish(outcome, options);
      printError(messageOf(error));
      finish(outcome, options);
      return 1;
    }
    print(typeof options.banner === 'string' ? options.banner : options.banner());
    return finish(await stack.stopped, options);
  } finally {
    signals.off('SIGINT', interrupt);
    signals.off('SIGTERM', requestStop);
    signals.off('SIGHUP', requestStop);
  }
}

/** Reports how the stack stopped, and turns it into the exit status. */
function finish(outcome: StackOutcome, options: ForegroundOptions): number {
  let status = 0;
  if (outcome.reason === 'exited') {
    options.printError(
      `[${outcome.process}] exited on its own (${describeExit(outcome.exit)}); stopped the rest of the stack.`,
    );
    status = 1;
  }
  for (const name of outcome.killed) {
    options.printError(`[${name}] did not stop in time; killed it.`);
    status = 1;
  }
  if (status === 0) options.print('Stopped.');
  return status;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
