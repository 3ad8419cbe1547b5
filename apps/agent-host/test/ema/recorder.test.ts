import { describe, expect, it } from 'vitest';
import { InsecureUrlError, ResponseTooLargeError, TokenResponseError } from '../../src/ema/errors.js';
import { withMcpClient } from '../../src/ema/mcp-session.js';
import { FlowRecorder } from '../../src/ema/recorder.js';
import { fakeWorldPerTest } from '../support/ema-fixture.js';

const setUp = fakeWorldPerTest();

describe('outbound calls (recorder)', () => {
  it('[AGENT-NO-REDIRECT] never follows a token endpoint redirect, so the subject token is not re-posted elsewhere', async () => {
    const redirects: Record<string, string> = {};
    const { world, ema, user } = await setUp({ redirects });
    // Another origin (localhost vs 127.0.0.1): a followed 307 would re-POST the form, ID token included.
    redirects['/idp/token'] = `${world.origin.replace('127.0.0.1', 'localhost')}/idp/token-moved`;
    const failure = await withMcpClient(ema.authorization(user, world.mcpUrl), (client) => client.listTools()).catch(
      (caught: unknown) => caught,
    );
    expect(failure).toBeInstanceOf(TokenResponseError);
    expect(world.requests.filter((request) => request.includes('/idp/token-moved'))).toEqual([]);
    expect(world.grants).toHaveLength(0);
  });

  it('[AGENT-NO-REDIRECT] never follows a metadata redirect out of the URL it checked', async () => {
    const redirects: Record<string, string> = {};
    const { world, ema, user } = await setUp({ redirects });
    redirects['/.well-known/oauth-authorization-server/ras'] = 'http://localhost:9/metadata';
    const failure = await withMcpClient(ema.authorization(user, world.mcpUrl), (client) => client.listTools()).catch(
      (caught: unknown) => caught,
    );
    expect((failure as Error).message).toMatch(/HTTP 307/);
    expect(world.exchanges).toHaveLength(0);
  });

  it('[AGENT-RESPONSE-BOUNDED] refuses an answer larger than the bound instead of buffering it', async () => {
    const { world, ema, user } = await setUp({ prm: () => ({ padding: 'x'.repeat(2 * 1024 * 1024) }) });
    const failure = await withMcpClient(ema.authorization(user, world.mcpUrl), (client) => client.listTools()).catch(
      (caught: unknown) => caught,
    );
    expect(failure).toBeInstanceOf(ResponseTooLargeError);
    expect((failure as ResponseTooLargeError).party).toBe('mcp');
    expect(world.exchanges).toHaveLength(0);
  });

  it('[AGENT-RESPONSE-BOUNDED] bounds a chunked answer without content-length too', async () => {
    const recorder = new FlowRecorder();
    let sent = 0;
    const chunked: typeof fetch = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            // 2 MiB in 64 KiB chunks: finite, so a missing bound fails the test instead of exhausting memory.
            if (sent >= 32) return controller.close();
            sent += 1;
            controller.enqueue(new Uint8Array(64 * 1024));
          },
        }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      );
    const bounded = recorder.fetch(chunked, { step: 'discovery', party: 'ras', title: 't' }, 5000, 256 * 1024);
    const response = await bounded('https://ras.example/.well-known/oauth-authorization-server');
    await expect(response.text()).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it('[AGENT-TIMEOUT] gives up on a party that does not answer in time', async () => {
    const recorder = new FlowRecorder();
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const timed = recorder.fetch(hanging, { step: 'token-exchange', party: 'idp', title: 't' }, 50);
    await expect(timed('https://idp.example/token', { method: 'POST' })).rejects.toMatchObject({
      code: 'ERR_UNREACHABLE',
      party: 'idp',
    });
    expect(recorder.exchanges[0]?.error).toBe('timed out');
  });

  it('[AGENT-TRANSPORT-HTTPS] sends the subject token only to an https IdP token endpoint (or loopback under the opt-out)', async () => {
    const { world, ema, user } = await setUp();
    ema.options.idp.tokenEndpoint = async () => 'http://idp.example/token';
    const failure = await withMcpClient(ema.authorization(user, world.mcpUrl), (client) => client.listTools()).catch(
      (caught: unknown) => caught,
    );
    expect(failure).toBeInstanceOf(InsecureUrlError);
    expect(world.grants).toHaveLength(0);
  });
});
