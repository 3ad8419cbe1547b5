/**
 * Keeps this RAS's event stream at its IdP in place (SSF 1.0 §8, through `registerPushStream`): at boot, and again
 * after each failure with backoff (1 s doubling to 60 s) until it succeeds (the IdP may start later, or be down).
 * Each success puts this RAS's push endpoint and credential in the stream (creating it the first time) and asks for
 * a verification event, which the receiver records.
 */
import { randomBytes } from 'node:crypto';
import {
  EVENT_NAME_GRANT_REVOKED,
  EVENT_TYPE_ACCOUNT_DISABLED,
  EVENT_TYPE_ACCOUNT_PURGED,
  EVENT_TYPE_SESSION_REVOKED,
  issuerEventType,
} from '@ema/protocol';
import { registerPushStream, requestVerification } from '@ema/shared-signals';
import type { SsfSubscriptionStorage } from './ssf-subscriptions.js';

/** What keeping the stream needs. */
export interface StreamRegistrationOptions {
  /** This RAS's issuer: the `aud` of its stream. */
  issuer: string;
  /** The IdP and the Receiver credential it issued to this RAS. */
  transmitter: { issuer: string; token: string };
  /** Where the IdP must push (this RAS's `/ssf/events`). */
  endpointUrl: string;
  subscriptions: SsfSubscriptionStorage;
  allowInsecureLoopback: boolean;
  fetch?: typeof fetch;
  now: () => number;
  log: { info(object: object, message: string): void; warn(object: object, message: string): void };
}

/** A running registration; `registered` settles at the first success (tests wait for it). */
export interface StreamRegistration {
  readonly registered: Promise<void>;
  stop(): void;
}

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 60_000;

/** Starts registering; retries until it succeeds or is stopped. */
export function startStreamRegistration(options: StreamRegistrationOptions): StreamRegistration {
  const { transmitter, subscriptions } = options;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let succeed: () => void = () => {};
  const registered = new Promise<void>((resolve) => {
    succeed = resolve;
  });

  const attempt = async (delayMs: number): Promise<void> => {
    if (stopped) return;
    const subscription = subscriptions.ensure(transmitter.issuer, options.endpointUrl, options.now());
    const registration = {
      transmitter: transmitter.issuer,
      managementAuthorization: `Bearer ${transmitter.token}`,
      audience: options.issuer,
      endpointUrl: options.endpointUrl,
      pushAuthorization: `Bearer ${subscription.pushToken}`,
      // The events this RAS acts on (SSF 1.0 §8.1.1: a Receiver requests only what it understands).
      eventsRequested: [
        EVENT_TYPE_SESSION_REVOKED,
        EVENT_TYPE_ACCOUNT_DISABLED,
        EVENT_TYPE_ACCOUNT_PURGED,
        issuerEventType(transmitter.issuer, EVENT_NAME_GRANT_REVOKED),
      ],
      description: `Resource authorization server ${options.issuer}`,
      allowInsecureLoopback: options.allowInsecureLoopback,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    };
    try {
      const stream = await registerPushStream(registration);
      if (stopped) return;
      subscriptions.registered(transmitter.issuer, stream.stream.stream_id, options.now());
      options.log.info(
        { transmitter: transmitter.issuer, stream_id: stream.stream.stream_id },
        'SSF stream registered',
      );
      succeed();
      await requestVerification(stream, registration, randomBytes(16).toString('base64url'));
    } catch (error) {
      if (stopped) return;
      const reason = error instanceof Error ? error.message : String(error);
      subscriptions.failed(transmitter.issuer, reason, options.now());
      options.log.warn(
        { transmitter: transmitter.issuer, reason, retry_in_ms: delayMs },
        'SSF stream not registered yet',
      );
      timer = setTimeout(() => void attempt(Math.min(delayMs * 2, MAX_RETRY_MS)), delayMs);
      timer.unref();
    }
  };
  void attempt(FIRST_RETRY_MS);
  return {
    registered,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
