/**
 * The Transmitter's Event Stream Management API (SSF 1.0 §8), neutral to framework and storage: each operation takes
 * the request's `Authorization` header (SSF 1.0 §8: every endpoint is authenticated and a Receiver reaches only its
 * own stream) and its input, and returns the status and body to answer. One stream per Receiver: a second creation
 * is `409` (SSF 1.0 §8.1.1.1), and the Receiver reads and updates the one it has.
 */
import { DELIVERY_METHOD_PUSH, type StreamConfiguration, type StreamStatus } from '@ema/protocol';
import type { SsfReceiver, SsfStream, SsfStreamStorage } from './stream.js';
import { readStreamRequest, StreamRequestError, type StreamRequestRules } from './stream-request.js';

/** An answer of the management API. `body` is JSON; `undefined` for `204`. */
export interface ManagementAnswer {
  status: number;
  body?: StreamConfiguration | StreamConfiguration[] | StreamStatus | { error: string; error_description: string };
  /** Set on a `401`: the RFC 6750 §3 challenge. */
  wwwAuthenticate?: string;
}

/** Configuration of {@link createStreamManagement}. */
export interface StreamManagementOptions extends StreamRequestRules {
  /** The Transmitter's issuer: the `iss` of every stream (SSF 1.0 §8.1.1). */
  issuer: string;
  /** The event types this Transmitter can send. */
  eventsSupported: readonly string[];
  /** The Receiver a bearer credential belongs to, or `undefined` (RFC 6750 §2.1 `Authorization: Bearer`). */
  authenticateReceiver: (authorization: string | undefined) => SsfReceiver | undefined;
  storage: SsfStreamStorage;
  /** A fresh, unguessable stream id (SSF 1.0 §8.1.1: unreserved characters). */
  newStreamId: () => string;
  /** Asked to send a verification event on the stream (SSF 1.0 §8.1.4). */
  requestVerification: (stream: SsfStream, state: string | undefined) => void;
  /** SSF 1.0 §8.1.1 `min_verification_interval`, seconds (default 10): closer requests get `429`. */
  minVerificationIntervalSeconds?: number;
  /** Epoch milliseconds. */
  now: () => number;
}

/** The operations of the management API. */
export interface StreamManagement {
  create(authorization: string | undefined, body: unknown): ManagementAnswer;
  read(authorization: string | undefined, streamId: string | undefined): ManagementAnswer;
  /** `PUT` replaces the Receiver-supplied values, `PATCH` (`partial`) changes those given. */
  update(authorization: string | undefined, body: unknown, partial: boolean): ManagementAnswer;
  remove(authorization: string | undefined, streamId: string | undefined): ManagementAnswer;
  status(authorization: string | undefined, streamId: string | undefined): ManagementAnswer;
  verify(authorization: string | undefined, body: unknown): ManagementAnswer;
}

const CHALLENGE = 'Bearer realm="ssf"';

/** Builds the management API over the stream storage. */
export function createStreamManagement(options: StreamManagementOptions): StreamManagement {
  const minInterval = (options.minVerificationIntervalSeconds ?? 10) * 1000;
  const lastVerification = new Map<string, number>();

  const configuration = (stream: SsfStream): StreamConfiguration => ({
    stream_id: stream.streamId,
    iss: options.issuer,
    aud: stream.audience,
    events_supported: [...options.eventsSupported],
    events_requested: [...stream.eventsRequested],
    events_delivered: [...stream.eventsDelivered],
    // The Authorization header value is the Receiver's secret: never echoed back.
    delivery: { method: DELIVERY_METHOD_PUSH, endpoint_url: stream.endpointUrl },
    ...(stream.description === null ? {} : { description: stream.description }),
    min_verification_interval: minInterval / 1000,
  });

  const delivered = (requested: readonly string[] | undefined): string[] =>
    requested === undefined
      ? [...options.eventsSupported]
      : options.eventsSupported.filter((type) => requested.includes(type));

  // Runs an operation for an authenticated Receiver; refusals become their answers.
  const guarded =
    <A extends unknown[]>(operation: (receiver: SsfReceiver, ...args: A) => ManagementAnswer) =>
    (authorization: string | undefined, ...args: A): ManagementAnswer => {
      const receiver = options.authenticateReceiver(authorization);
      if (receiver === undefined) {
        // RFC 6750 §3.1: no credential gets the bare challenge, a wrong one invalid_token.
        const challenge = authorization === undefined ? CHALLENGE : `${CHALLENGE}, error="invalid_token"`;
        return { status: 401, wwwAuthenticate: challenge };
      }
      try {
        return operation(receiver, ...args);
      } catch (error) {
        if (!(error instanceof StreamRequestError)) throw error;
        return { status: error.status, body: { error: error.error, error_description: error.message } };
      }
    };

  // The Receiver's own stream, by id; another Receiver's stream is answered as unknown.
  const ownStream = (receiver: SsfReceiver, streamId: unknown): SsfStream => {
    const stream = typeof streamId === 'string' ? options.storage.findStream(streamId) : undefined;
    if (stream === undefined || stream.receiverId !== receiver.receiverId) {
      throw new StreamRequestError(404, 'invalid_request', 'no such stream');
    }
    return stream;
  };

  return {
    create: guarded((receiver, body: unknown) => {
      if (options.storage.findStreamOfReceiver(receiver.receiverId) !== undefined) {
        return { status: 409, body: { error: 'invalid_request', error_description: 'this receiver has a stream' } };
      }
      const request = readStreamRequest(body, options);
      const at = options.now();
      const stream: SsfStream = {
        streamId: options.newStreamId(),
        receiverId: receiver.receiverId,
        audience: receiver.audience,
        endpointUrl: request.endpointUrl,
        authorization: request.authorization,
        eventsRequested: request.eventsRequested ?? [...options.eventsSupported],
        eventsDelivered: delivered(request.eventsRequested),
        description: request.description,
        status: 'enabled',
        createdAt: at,
        updatedAt: at,
      };
      options.storage.insertStream(stream);
      return { status: 201, body: configuration(stream) };
    }),
    read: guarded((receiver, streamId: string | undefined) => {
      // SSF 1.0 §8.1.1.2: without stream_id, the list of this Receiver's streams.
      if (streamId === undefined) {
        const stream = options.storage.findStreamOfReceiver(receiver.receiverId);
        return { status: 200, body: stream === undefined ? [] : [configuration(stream)] };
      }
      return { status: 200, body: configuration(ownStream(receiver, streamId)) };
    }),
    update: guarded((receiver, body: unknown, partial: boolean) => {
      const streamId = typeof body === 'object' && body !== null ? Reflect.get(body, 'stream_id') : undefined;
      const stream = ownStream(receiver, streamId);
      const current = {
        endpointUrl: stream.endpointUrl,
        authorization: stream.authorization,
        eventsRequested: stream.eventsRequested,
        description: stream.description,
      };
      const request = readStreamRequest(body, options, partial ? current : undefined);
      const eventsRequested = request.eventsRequested ?? [...options.eventsSupported];
      const updated: SsfStream = {
        ...stream,
        endpointUrl: request.endpointUrl,
        authorization: request.authorization,
        eventsRequested,
        eventsDelivered: delivered(eventsRequested),
        description: request.description,
        updatedAt: options.now(),
      };
      options.storage.replaceStream(updated);
      return { status: 200, body: configuration(updated) };
    }),
    remove: guarded((receiver, streamId: string | undefined) => {
      options.storage.deleteStream(ownStream(receiver, streamId).streamId);
      lastVerification.delete(streamId ?? '');
      return { status: 204 };
    }),
    status: guarded((receiver, streamId: string | undefined) => {
      const stream = ownStream(receiver, streamId);
      return { status: 200, body: { stream_id: stream.streamId, status: stream.status } };
    }),
    verify: guarded((receiver, body: unknown) => {
      const streamId = typeof body === 'object' && body !== null ? Reflect.get(body, 'stream_id') : undefined;
      const stream = ownStream(receiver, streamId);
      const state = Reflect.get(body ?? {}, 'state');
      if (state !== undefined && (typeof state !== 'string' || state.length > 256)) {
        throw new StreamRequestError(400, 'invalid_request', 'state must be a string of at most 256 characters');
      }
      const at = options.now();
      const last = lastVerification.get(stream.streamId);
      // SSF 1.0 §8.1.1 min_verification_interval: closer requests may be answered 429.
      if (last !== undefined && at - last < minInterval) {
        return {
          status: 429,
          body: { error: 'invalid_request', error_description: 'verification requested too often' },
        };
      }
      lastVerification.set(stream.streamId, at);
      options.requestVerification(stream, state);
      return { status: 204 };
    }),
  };
}
