import { prettyFactory } from 'pino-pretty';
import type { Environment } from './environment.js';
import { StackError } from './errors.js';

/**
 * Whether the launcher shows its apps' JSON log lines through pino-pretty: `EMA_LOG_FORMAT` (`pretty` or `json`)
 * when set, else whether the launcher's own stdout is a terminal. The apps cannot decide this themselves: the
 * launcher reads their output through pipes, so their stdout is never a terminal and they always write JSON, which
 * also keeps `EMA_QUIET` filtering on the JSON level and `{ file }` logs machine-readable.
 *
 * @throws StackError `INVALID_SETTING` naming the variable.
 */
export function prettyLogs(env: Environment, stdoutIsTerminal: boolean): boolean {
  const format = env.EMA_LOG_FORMAT;
  if (format === undefined || format === '') return stdoutIsTerminal;
  if (format === 'pretty' || format === 'json') return format === 'pretty';
  throw new StackError('INVALID_SETTING', `EMA_LOG_FORMAT: must be pretty or json, not ${JSON.stringify(format)}`);
}

/**
 * Formats one JSON log line as pino-pretty does (the apps' own settings: time of day, level, name, message, then
 * the other fields), as the lines of text to print. A line that is not a JSON log comes back as it is.
 */
export function prettyLogLine(colorize: boolean): (line: string) => string[] {
  const prettify = prettyFactory({ colorize, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  return (line) => {
    if (!line.startsWith('{')) return [line];
    return prettify(line).replace(/\n+$/, '').split('\n');
  };
}
