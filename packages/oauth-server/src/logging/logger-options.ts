import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';
import type PinoPretty from 'pino-pretty';

/** Pino options as Fastify's `logger` option accepts them (never the boolean form). */
export type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;

/** Options of {@link loggerOptions}. */
export interface LoggerOptionsInput {
  level?: string;
  /** The app's name, on every log line. */
  name: string;
  /**
   * Human-readable lines (pino-pretty) instead of JSON. Default: only when stdout is a terminal, so a person running
   * the app sees readable lines while a pipe, a file or a log collector gets JSON (the launcher of `pnpm start` reads
   * its apps through pipes and prettifies their JSON itself when its own stdout is a terminal).
   */
  pretty?: boolean;
  /** Where pretty lines go (default stdout); JSON lines go to Fastify's default destination or its `stream`. */
  destination?: NodeJS.WritableStream;
}

// Profile "Logs": tokens, assertions, secrets, cookies and Authorization headers never reach a log line.
const SENSITIVE_FIELDS = [
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'subject_token',
  'actor_token',
  'assertion',
  'client_assertion',
  'client_secret',
  'secret',
  'password',
  'code_verifier',
];
// `code` (an authorization code) only where request parameters appear: a wildcard would also hide `err.code`.
const CODE_PATHS = ['code', 'body.code', 'query.code', 'params.code', 'req.query.code', 'req.body.code'];
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  ...SENSITIVE_FIELDS,
  ...SENSITIVE_FIELDS.map((field) => `*.${field}`),
  ...CODE_PATHS,
];

interface SerializableRequest {
  method: string;
  url: string;
  hostname?: string;
  ip?: string;
  id?: string;
}

/** Fastify's request serializer, minus the query string: it can carry authorization codes and tokens. */
function serializeRequest(request: SerializableRequest): Record<string, unknown> {
  const query = request.url.indexOf('?');
  return {
    method: request.method,
    url: query === -1 ? request.url : request.url.slice(0, query),
    host: request.hostname,
    remoteAddress: request.ip,
  };
}

// How a line reads to a person: the launcher of `pnpm start` (tooling/stack) uses the same settings.
const PRETTY_OPTIONS = {
  colorize: true,
  translateTime: 'SYS:HH:MM:ss.l',
  ignore: 'pid,hostname',
} as const;

// Loaded on first use only: a server writing JSON to a pipe never loads the prettifier.
function prettyStream(destination: NodeJS.WritableStream | undefined): NodeJS.WritableStream {
  const pretty: typeof PinoPretty = createRequire(import.meta.url)('pino-pretty');
  return pretty({
    ...PRETTY_OPTIONS,
    colorize: destination === undefined && pretty.isColorSupported,
    ...(destination === undefined ? {} : { destination }),
  });
}

/**
 * Pino options for an app: named after the app, the sensitive headers and fields redacted (before any formatting),
 * request URLs logged without their query string; JSON lines, or pino-pretty lines when `pretty` (by default, when
 * stdout is a terminal).
 */
export function loggerOptions(options: LoggerOptionsInput): LoggerOptions {
  const base: LoggerOptions = {
    name: options.name,
    level: options.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { req: serializeRequest },
  };
  const pretty = options.pretty ?? process.stdout.isTTY === true;
  return pretty ? { ...base, stream: prettyStream(options.destination) } : base;
}
