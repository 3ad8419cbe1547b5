import { afterEach, describe, expect, it } from 'vitest';
import { accountDisabled, createDeliveryLoop, type DeliveryLoop, unsignedClaims } from '../../src/index.js';
import { IDP } from '../support/keys.js';
import { memoryOutbox } from '../support/memory-stores.js';

const alice = { iss: IDP, sub: 'usr_alice' };

function enqueue(
  outbox: ReturnType<typeof memoryOutbox>,
  destination: string,
  jti: string,
  createdAt = Date.now(),
): void {
  const claims = unsignedClaims(accountDisabled({ user: alice, occurredAt: 1 }), {
    issuer: IDP,
    audience: `aud-${destination}`,
    jti,
    txn: jti,
  });
  outbox.enqueue({ destination, jti, claims, createdAt });
}

/** A receiver per endpoint whose answers the test scripts; it records the jtis it saw. */
function receivers(script: (url: string, jti: string, attempt: number) => number) {
  const seen: { url: string; jti: string }[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const jti = String(init?.body);
    const url = String(input);
    const attempt = seen.filter((call) => call.url === url && call.jti === jti).length + 1;
    seen.push({ url, jti });
    return new Response(null, { status: script(url, jti, attempt) });
  };
  return { fetchImpl, seen };
}

const loops: DeliveryLoop[] = [];
afterEach(async () => {
  await Promise.all(loops.splice(0).map((loop) => loop.stop()));
});

function start(outbox: ReturnType<typeof memoryOutbox>, fetchImpl: typeof fetch, options: { maxAgeMs?: number } = {}) {
  const loop = createDeliveryLoop({
    outbox,
    destinations: (destination) =>
      destination === 'gone' ? undefined : { endpointUrl: `https://${destination}.example.com/events` },
    // The "SET" is its jti: the fake receivers read it back from the body.
    sign: async (claims) => claims.jti,
    fetch: fetchImpl,
    retry: {
      initialDelayMs: 10,
      maxDelayMs: 40,
      ...(options.maxAgeMs === undefined ? {} : { maxAgeMs: options.maxAgeMs }),
    },
  });
  loops.push(loop);
  return loop;
}

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('createDeliveryLoop', () => {
  it('[SSF-DELIVERY-DURABLE] delivers what the outbox holds at start, in order per destination', async () => {
    const outbox = memoryOutbox();
    enqueue(outbox, 'ras', 'a');
    enqueue(outbox, 'ras', 'b');
    enqueue(outbox, 'other', 'c');
    const { fetchImpl, seen } = receivers(() => 202);
    const loop = start(outbox, fetchImpl);
    await loop.idle();
    expect(outbox.entries.map((entry) => entry.outcome)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(seen.filter((call) => call.url.includes('ras')).map((call) => call.jti)).toEqual(['a', 'b']);
  });

  it('[SSF-DELIVERY-RETRY] retries with backoff until acknowledged, holding back later entries of that destination', async () => {
    const outbox = memoryOutbox();
    enqueue(outbox, 'ras', 'a');
    enqueue(outbox, 'ras', 'b');
    enqueue(outbox, 'mcp', 'c');
    // The RAS is down for its first three requests; the other receiver is up.
    let rasRequests = 0;
    const { fetchImpl, seen } = receivers((url) => {
      if (!url.includes('ras')) return 202;
      rasRequests += 1;
      return rasRequests <= 3 ? 503 : 202;
    });
    start(outbox, fetchImpl);
    await until(() => outbox.entries.every((entry) => entry.outcome === 'delivered'));
    const ras = seen.filter((call) => call.url.includes('ras')).map((call) => call.jti);
    // b waited for a: never sent while a was failing.
    expect(ras).toEqual(['a', 'a', 'a', 'a', 'b']);
    expect(outbox.entries[0]?.attempts).toBe(3);
    expect(seen.filter((call) => call.url.includes('mcp'))).toHaveLength(1);
  });

  it('[SSF-DELIVERY-WAKE] a wake-up after a commit delivers a new entry at once', async () => {
    const outbox = memoryOutbox();
    const { fetchImpl } = receivers(() => 202);
    const loop = start(outbox, fetchImpl);
    await loop.idle();
    enqueue(outbox, 'ras', 'late');
    loop.wake();
    await loop.idle();
    expect(outbox.entries[0]?.outcome).toBe('delivered');
  });

  it('[SSF-DELIVERY-OUTCOMES] a refusal is final; a vanished destination and an entry past the age bound are dropped', async () => {
    const outbox = memoryOutbox();
    enqueue(outbox, 'ras', 'refused');
    enqueue(outbox, 'gone', 'orphan');
    enqueue(outbox, 'old', 'stale', Date.now() - 10_000);
    const fetchImpl: typeof fetch = async () =>
      new Response(JSON.stringify({ err: 'invalid_request', description: 'no' }), { status: 400 });
    const loop = start(outbox, fetchImpl, { maxAgeMs: 5000 });
    await loop.idle();
    expect(outbox.entries.map((entry) => entry.outcome)).toEqual(['rejected', 'dropped', 'expired']);
  });

  it('[SSF-DELIVERY-RETRY] stops cleanly: an aborted attempt is neither marked delivered nor retried after stop', async () => {
    const outbox = memoryOutbox();
    enqueue(outbox, 'ras', 'a');
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    const loop = start(outbox, hanging);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await loop.stop();
    expect(outbox.entries[0]?.outcome).toBeUndefined();
    expect(outbox.entries[0]?.attempts).toBe(0);
  });
});
