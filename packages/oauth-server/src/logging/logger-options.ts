import type { FastifyServerOptions } from 'fastify';

/** Pino options as Fastify's `logger` option accepts them (never the boolean form). */
export type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;

/** Options of {@link loggerOptions}. */
export interface LoggerOptionsInput {
  level?: string;
  /** The app's name, on every log line. */
  name: string;
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

/**
 * Pino options for an app: structured JSON named after the app, the sensitive headers and fields redacted,
 * and request URLs logged without their query string.
 */
export function loggerOptions(options: LoggerOptionsInput): LoggerOptions {
  return {
    name: options.name,
    level: options.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { req: serializeRequest },
  };
}
