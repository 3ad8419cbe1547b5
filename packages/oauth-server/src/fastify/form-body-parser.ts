import { MEDIA_TYPE_FORM } from '@ema/protocol';
import type { FastifyInstance } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { parseFormBody } from '../token-endpoint/parse-form-body.js';

/** Options of {@link formBodyParser}. */
export interface FormBodyParserOptions {
  /** Maximum body size in bytes (default: the instance's `bodyLimit`). */
  bodyLimit?: number;
  /** Maximum number of parameters (default 64). */
  maxParameters?: number;
}

async function registerFormBodyParser(fastify: FastifyInstance, options: FormBodyParserOptions): Promise<void> {
  const parseOptions = options.maxParameters === undefined ? {} : { maxParameters: options.maxParameters };
  fastify.addContentTypeParser(
    MEDIA_TYPE_FORM,
    options.bodyLimit === undefined ? { parseAs: 'string' } : { parseAs: 'string', bodyLimit: options.bodyLimit },
    (_request, body, done) => {
      try {
        // RFC 6749 §3.2 rules for every form endpoint: repeated parameters refused, empty values omitted.
        done(null, Object.fromEntries(parseFormBody(String(body), parseOptions)));
      } catch (error) {
        done(error instanceof Error ? error : new Error('form body parse failed'), undefined);
      }
    },
  );
}

/**
 * Registers the token endpoint's form parser for other form endpoints (introspection, revocation, login
 * forms): `request.body` becomes a plain object of string values; a repeated or malformed parameter is an
 * `invalid_request` thrown to the error boundary. Cross-cutting, so registered with `fastify-plugin`.
 */
export const formBodyParser = fastifyPlugin(registerFormBodyParser, {
  name: '@ema/oauth-server/form-body-parser',
  fastify: '5.x',
});
