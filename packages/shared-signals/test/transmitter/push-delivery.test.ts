import { describe, expect, it } from 'vitest';
import { pushSecurityEvent } from '../../src/index.js';

type Answer = { status: number; body?: string; headers?: Record<string, string> } | Error;

function fakeFetch(answer: Answer) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    calls.push({ url: String(input), init });
    if (answer instanceof Error) throw answer;
    return new Response(answer.body ?? null, { status: answer.status, headers: answer.headers ?? {} });
  };
  return { fetchImpl, calls };
}

const destination = { endpointUrl: 'https://ras.example.com/ssf/events', authorization: 'Bearer abc' };

describe('pushSecurityEvent (RFC 8935 §2)', () => {
  it('[RFC8935-PUSH-REQUEST] POSTs the SET as application/secevent+jwt with the receiver’s Authorization header', async () => {
    const { fetchImpl, calls } = fakeFetch({ status: 202 });
    expect(await pushSecurityEvent(destination, 'a.b.c', { fetch: fetchImpl, timeoutMs: 1000 })).toEqual({
      kind: 'delivered',
      status: 202,
    });
    expect(calls).toHaveLength(1);
    const init = calls[0]?.init;
    expect(calls[0]?.url).toBe(destination.endpointUrl);
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe('a.b.c');
    expect(init?.redirect).toBe('manual');
    expect(init?.headers).toMatchObject({
      'content-type': 'application/secevent+jwt',
      accept: 'application/json',
      authorization: 'Bearer abc',
    });
  });

  it('[RFC8935-PUSH-REQUEST] sends no Authorization header when the receiver asked for none', async () => {
    const { fetchImpl, calls } = fakeFetch({ status: 202 });
    await pushSecurityEvent({ endpointUrl: destination.endpointUrl }, 'a.b.c', { fetch: fetchImpl, timeoutMs: 1000 });
    expect(calls[0]?.init?.headers).not.toHaveProperty('authorization');
  });

  it('[RFC8935-PUSH-OUTCOME] a 400 with an RFC 8935 body is a refusal of that SET; anything else is retried', async () => {
    const refused = fakeFetch({ status: 400, body: JSON.stringify({ err: 'invalid_key', description: 'bad key' }) });
    expect(await pushSecurityEvent(destination, 'x', { fetch: refused.fetchImpl, timeoutMs: 1000 })).toEqual({
      kind: 'rejected',
      status: 400,
      err: 'invalid_key',
      description: 'bad key',
    });
    const answers: Answer[] = [
      { status: 400, body: '{"error":"invalid_request"}' },
      { status: 400, body: '{"err":"something_else"}' },
      { status: 400, body: 'not json' },
      { status: 401 },
      { status: 429 },
      { status: 500 },
      { status: 503 },
      { status: 307, headers: { location: 'https://elsewhere.example.com/' } },
      new TypeError('fetch failed'),
    ];
    for (const answer of answers) {
      const { fetchImpl } = fakeFetch(answer);
      const outcome = await pushSecurityEvent(destination, 'x', { fetch: fetchImpl, timeoutMs: 1000 });
      expect(outcome.kind, JSON.stringify(answer)).toBe('retry');
    }
  });

  it('[RFC8935-PUSH-OUTCOME] a receiver that does not answer in time is retried', async () => {
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    expect(await pushSecurityEvent(destination, 'x', { fetch: hanging, timeoutMs: 20 })).toMatchObject({
      kind: 'retry',
    });
  });
});
