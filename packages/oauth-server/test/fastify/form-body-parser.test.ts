import { MEDIA_TYPE_FORM } from '@ema/protocol';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { formBodyParser } from '../../src/fastify.js';
import { oauthErrorBoundary } from '../../src/runtime.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function build(): Promise<FastifyInstance> {
  app = Fastify();
  await app.register(oauthErrorBoundary);
  await app.register(formBodyParser, { bodyLimit: 256 });
  app.post('/introspect', async (request) => ({ body: request.body }));
  return app;
}

describe('formBodyParser', () => {
  it('parses a form body into a plain object', async () => {
    const response = await (await build()).inject({
      method: 'POST',
      url: '/introspect',
      headers: { 'content-type': `${MEDIA_TYPE_FORM}; charset=utf-8` },
      payload: 'token=abc&token_type_hint=access_token&empty=',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ body: { token: 'abc', token_type_hint: 'access_token' } });
  });

  it('[KIT-RFC6749-3.2-NO-REPEAT] refuses a repeated parameter on any form endpoint', async () => {
    const response = await (await build()).inject({
      method: 'POST',
      url: '/introspect',
      headers: { 'content-type': MEDIA_TYPE_FORM },
      payload: 'token=a&token=b',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'invalid_request', error_description: "parameter 'token' is repeated" });
  });

  it('refuses an oversize form body as invalid_request', async () => {
    const response = await (await build()).inject({
      method: 'POST',
      url: '/introspect',
      headers: { 'content-type': MEDIA_TYPE_FORM },
      payload: `token=${'a'.repeat(1000)}`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_request');
  });
});
