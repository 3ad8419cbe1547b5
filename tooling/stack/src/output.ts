import type { ChildProcess, StdioOptions } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';

/**
 * Where a process's stdout and stderr go.
 * - `inherit`: straight to this process's own stdout and stderr, untouched.
 * - `capture`: kept in memory only (the last lines, for error messages and {@link RunningProcess.output}).
 * - `{ file }`: appended to that file, each line prefixed with `[name] `, so several processes can share one log.
 * - `{ lines }`: each complete line handed to the callback with the process's name (the CLI prints them).
 * Every mode but `inherit` also keeps the last lines in memory.
 */
export type OutputMode =
  | 'inherit'
  | 'capture'
  | { readonly file: string }
  | { readonly lines: (line: string, name: string) => void };

/** The output of one process, as far as it has been read. */
export interface OutputTail {
  /** The last lines written (at most {@link TAIL_LINES}); empty in `inherit` mode. */
  lines(): string[];
  /** Settles once everything read has been written where it goes (the log file flushed and closed). */
  readonly drained: Promise<void>;
}

/** How many of the last output lines are kept. */
export const TAIL_LINES = 200;

/** The `stdio` option of `spawn` for a mode: stdin is never used. */
export function stdioFor(mode: OutputMode): StdioOptions {
  return mode === 'inherit' ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'];
}

/** Reads the child's output line by line into the mode's destination and the tail. */
export function collectOutput(child: ChildProcess, name: string, mode: OutputMode): OutputTail {
  const tail: string[] = [];
  const streams = [child.stdout, child.stderr].filter((stream): stream is Readable => stream !== null);
  if (mode === 'inherit' || streams.length === 0) return { lines: () => [], drained: Promise.resolve() };
  const file = typeof mode === 'object' && 'file' in mode ? createWriteStream(mode.file, { flags: 'a' }) : undefined;
  const emit = (line: string): void => {
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.splice(0, tail.length - TAIL_LINES);
    // One write per line: with O_APPEND, lines of processes sharing the file never interleave within a line.
    if (file !== undefined) file.write(`[${name}] ${line}\n`);
    else if (typeof mode === 'object' && 'lines' in mode) mode.lines(line, name);
  };
  const ended = streams.map(
    (stream) =>
      new Promise<void>((resolve) => {
        let pending = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => {
          pending += chunk;
          const complete = pending.split('\n');
          pending = complete.pop() ?? '';
          for (const line of complete) emit(line);
        });
        stream.once('close', () => {
          if (pending) emit(pending);
          pending = '';
          resolve();
        });
      }),
  );
  const drained = Promise.all(ended).then(
    () => new Promise<void>((resolve) => (file === undefined ? resolve() : file.end(resolve))),
  );
  return { lines: () => [...tail], drained };
}
