import { afterEach, describe, expect, it, vi } from 'vitest';
import { ResponseTooLargeError, UnreachableError } from '../../src/errors.js';
import { httpSettings, observedFetch } from '../../src/http/observed-fetch.js';
import type { ExchangeLabel, ExchangeObserver, FetchLike, ObservedExchange } from '../../src/http/observer.js';

const LABEL: ExchangeLabel = { step: 'token-exchange', party: 'idp', title: 'Token exchange at the IdP (RFC 8693)' };

/** An observer that keeps what it is told. */
function observing(responseBodies = false): ExchangeObserver & { seen: ObservedExchange[] } {
  const seen: ObservedExchange[] = [];
  return { responseBodies, seen, exchange: (exchange) => seen.push(exchange) };
}

const answering =
  (body: string, init: ResponseInit = {}): FetchLike =>
  async () =>
    new Response(body, { status: 200, headers: { 'content-type': 'application/json' }, ...init });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('observedFetch: the bounds of every outbound call', () => {
  it('[AGENT-NO-REDIRECT] asks the underlying fetch never to follow a redirect', async () => {
    let asked: RequestInit['redirect'];
    const base: FetchLike = async (_input, init) => {
      asked = init?.redirect;
      return new Response(null, { status: 307, headers: { location: 'https://elsewhere.example/token' } });
    };
    const response = await observedFetch(
      httpSettings({ fetch: base }),
      'idp',
      () => LABEL,
    )('https://idp.example/t', {
      method: 'POST',
      redirect: 'follow',
    });
    expect(asked).toBe('manual');
    expect(response.status).toBe(307);
  });

  it('[AGENT-RESPONSE-BOUNDED] bounds a chunked answer without content-length', async () => {
    let sent = 0;
    const chunked: FetchLike = async () =>
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
    const bounded = observedFetch(httpSettings({ fetch: chunked, maxResponseBytes: 256 * 1024 }), 'ras', () => LABEL);
    const response = await bounded('https://ras.example/.well-known/oauth-authorization-server');
    await expect(response.text()).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it('[AGENT-TIMEOUT] gives up on a party that does not answer in time, and reports the failure', async () => {
    const hanging: FetchLike = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const observer = observing();
    const timed = observedFetch(httpSettings({ fetch: hanging, timeoutMs: 50 }), 'idp', () => LABEL, observer);
    const failure = await timed('https://idp.example/token', { method: 'POST' }).catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(UnreachableError);
    expect(failure).toMatchObject({ code: 'ERR_UNREACHABLE', party: 'idp', url: 'https://idp.example' });
    expect(observer.seen).toHaveLength(1);
    expect(observer.seen[0]).toMatchObject({ label: LABEL, failure: 'timed out' });
    expect(observer.seen[0]?.response).toBeUndefined();
  });
});

describe('observedFetch: the observer', () => {
  it('[AGENT-INSPECTOR-STEPS] reports an exchange once, with its label, request, response and timing', async () => {
    const observer = observing(true);
    const call = observedFetch(
      httpSettings({ fetch: answering('{"access_token":"jag"}') }),
      'idp',
      () => LABEL,
      observer,
    );
    const response = await call('https://idp.example/token', {
      method: 'POST',
      headers: { authorization: 'Basic aWQ6c2VjcmV0', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'g', subject_token: 'st' }),
    });
    // The caller reads the whole body although the observer has a copy.
    expect(await response.json()).toEqual({ access_token: 'jag' });
    expect(observer.seen).toHaveLength(1);
    const [exchange] = observer.seen;
    expect(exchange?.label).toEqual(LABEL);
    expect(exchange?.request).toMatchObject({
      method: 'POST',
      url: 'https://idp.example/token',
      body: 'grant_type=g&subject_token=st',
    });
    expect(exchange?.request.headers.get('authorization')).toBe('Basic aWQ6c2VjcmV0');
    expect(exchange?.response?.status).toBe(200);
    expect(exchange?.response?.headers.get('content-type')).toBe('application/json');
    expect(await exchange?.response?.body).toBe('{"access_token":"jag"}');
    expect(exchange?.durationMs).toBeGreaterThanOrEqual(0);
    expect(exchange?.startedAt).toBeGreaterThan(0);
    expect(exchange?.failure).toBeUndefined();
  });

  it('[AGENT-UNREACHABLE] reports a network failure, then throws it as the party being unreachable', async () => {
    const refused: FetchLike = async () => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
    };
    const observer = observing();
    const call = observedFetch(httpSettings({ fetch: refused }), 'ras', () => LABEL, observer);
    await expect(call('https://ras.example/token')).rejects.toMatchObject({ party: 'ras', code: 'ERR_UNREACHABLE' });
    expect(observer.seen.map((exchange) => exchange.failure)).toEqual([
      'fetch failed: connect ECONNREFUSED 127.0.0.1:9',
    ]);
  });

  it('[AGENT-INSPECTOR-STEPS] does no observer work without an observer: no label, no header copy, no body copy', async () => {
    const clone = vi.spyOn(Response.prototype, 'clone');
    const label = vi.fn(() => LABEL);
    const call = observedFetch(httpSettings({ fetch: answering('{"a":1}') }), 'idp', label);
    expect(await (await call('https://idp.example/token')).json()).toEqual({ a: 1 });
    expect(label).not.toHaveBeenCalled();
    expect(clone).not.toHaveBeenCalled();
  });

  it('[AGENT-INSPECTOR-STEPS] copies no body for an observer that does not ask for bodies', async () => {
    const clone = vi.spyOn(Response.prototype, 'clone');
    const observer = observing(false);
    await observedFetch(
      httpSettings({ fetch: answering('{"a":1}') }),
      'idp',
      () => LABEL,
      observer,
    )('https://x.example');
    expect(clone).not.toHaveBeenCalled();
    expect(observer.seen[0]?.response).not.toHaveProperty('body');
  });

  it('[AGENT-INSPECTOR-STEPS] never reads the long-lived GET event stream for the observer', async () => {
    const observer = observing(true);
    const stream = answering('', { headers: { 'content-type': 'text/event-stream' } });
    await observedFetch(httpSettings({ fetch: stream }), 'mcp', () => LABEL, observer)('https://mcp.example/mcp');
    expect(observer.seen[0]?.response?.status).toBe(200);
    expect(observer.seen[0]?.response).not.toHaveProperty('body');
  });

  it('[AGENT-INSPECTOR-STEPS] is not disturbed by an observer that throws', async () => {
    const observer: ExchangeObserver = {
      exchange: () => {
        throw new Error('broken observer');
      },
    };
    const call = observedFetch(httpSettings({ fetch: answering('{"a":1}') }), 'idp', () => LABEL, observer);
    expect(await (await call('https://idp.example/token')).json()).toEqual({ a: 1 });
  });
});
