/**
 * The Receiver's side of SSF stream management (SSF 1.0 §7-8), over `fetch`: discover the Transmitter's
 * configuration (its `issuer` must be exactly the one asked for), then create the Receiver's push stream, or, when
 * the Transmitter already has one for this Receiver, replace its delivery (push endpoint and `Authorization` header),
 * and check that the stream's `iss` and `aud` are the expected ones. Then ask for a verification event.
 */
import {
  DELIVERY_METHOD_PUSH,
  MEDIA_TYPE_JSON,
  SsfConfiguration,
  StreamConfiguration,
  WELL_KNOWN_SSF_CONFIGURATION,
} from '@ema/protocol';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** A failed registration step; `message` names it (for the Receiver's log, never for a client). */
export class StreamRegistrationError extends Error {
  /** Stable code of this class. */
  static readonly code = 'ERR_STREAM_REGISTRATION';
  /** Always {@link StreamRegistrationError.code}. */
  readonly code = StreamRegistrationError.code;
  override readonly name = 'StreamRegistrationError';
}

/** What {@link registerPushStream} needs. */
export interface PushStreamRegistration {
  /** The Transmitter's issuer (its configuration is at `<issuer>/.well-known/ssf-configuration`). */
  transmitter: string;
  /** The Receiver's credential at the stream management API (`Authorization` header value). */
  managementAuthorization: string;
  /** This Receiver's identifier: the `aud` its stream must carry. */
  audience: string;
  /** Where the Transmitter pushes, and the header it must send with each push. */
  endpointUrl: string;
  pushAuthorization: string;
  eventsRequested: readonly string[];
  description: string;
  /** Whether a URL of the Transmitter may be http on loopback (the development opt-out). */
  allowInsecureLoopback: boolean;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** The registered stream and the Transmitter configuration it came from. */
export interface RegisteredStream {
  stream: StreamConfiguration;
  configuration: SsfConfiguration;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function secureUrl(value: string | undefined, what: string, allowInsecureLoopback: boolean): string {
  if (value === undefined || !URL.canParse(value)) throw new StreamRegistrationError(`${what} is missing or not a URL`);
  const url = new URL(value);
  const loopback = allowInsecureLoopback && url.protocol === 'http:' && LOOPBACK.has(url.hostname);
  // SSF 1.0 §7.1: the endpoints use TLS.
  if (url.protocol !== 'https:' && !loopback) throw new StreamRegistrationError(`${what} is not https`);
  return value;
}

/** Creates or updates this Receiver's push stream at the Transmitter; throws {@link StreamRegistrationError}. */
export async function registerPushStream(registration: PushStreamRegistration): Promise<RegisteredStream> {
  const fetchImpl = registration.fetch ?? globalThis.fetch;
  const timeoutMs = registration.timeoutMs ?? 5000;
  const call = async (method: string, url: string, body?: unknown): Promise<unknown> => {
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method,
        headers: {
          accept: MEDIA_TYPE_JSON,
          ...(body === undefined ? {} : { 'content-type': MEDIA_TYPE_JSON }),
          ...(method === 'GET' && url.includes(WELL_KNOWN_SSF_CONFIGURATION)
            ? {}
            : { authorization: registration.managementAuthorization }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      throw new StreamRegistrationError(`${method} ${url} failed`, { cause });
    }
    const text = await response.text();
    if (response.status >= 300) throw new StreamRegistrationError(`${method} ${url} answered ${response.status}`);
    let value: unknown;
    try {
      value = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new StreamRegistrationError(`${method} ${url} answered no JSON`);
    }
    return value;
  };

  const transmitter = secureUrl(registration.transmitter, 'the transmitter issuer', registration.allowInsecureLoopback);
  const configuration = await call('GET', `${transmitter}${WELL_KNOWN_SSF_CONFIGURATION}`);
  if (!Value.Check(SsfConfiguration, configuration)) throw new StreamRegistrationError('no SSF configuration');
  // SSF 1.0 §7.2.4: the issuer is exactly the one the configuration was fetched for.
  if (configuration.issuer !== registration.transmitter) throw new StreamRegistrationError('issuer mismatch');
  if (!(configuration.delivery_methods_supported ?? []).includes(DELIVERY_METHOD_PUSH)) {
    throw new StreamRegistrationError('the transmitter does not offer push delivery');
  }
  const endpoint = secureUrl(
    configuration.configuration_endpoint,
    'configuration_endpoint',
    registration.allowInsecureLoopback,
  );
  const wanted = {
    delivery: {
      method: DELIVERY_METHOD_PUSH,
      endpoint_url: registration.endpointUrl,
      authorization_header: registration.pushAuthorization,
    },
    events_requested: [...registration.eventsRequested],
    description: registration.description,
  };
  const listed = await call('GET', endpoint);
  if (!Value.Check(StreamList, listed)) throw new StreamRegistrationError('the stream list is not a list of streams');
  const existing = listed[0];
  // One stream per Receiver at this Transmitter: replace its delivery (SSF 1.0 §8.1.1), or create it.
  const stream =
    existing === undefined
      ? await call('POST', endpoint, wanted)
      : await call('PUT', endpoint, { stream_id: existing.stream_id, ...wanted });
  if (!Value.Check(StreamConfiguration, stream)) throw new StreamRegistrationError('no stream configuration');
  // SSF 1.0 §8.1.1.1: the stream's iss is the Transmitter's; its aud is this Receiver.
  if (stream.iss !== registration.transmitter) throw new StreamRegistrationError('the stream has another iss');
  if (stream.aud !== registration.audience) throw new StreamRegistrationError('the stream has another aud');
  return { stream, configuration };
}

const StreamList = Type.Array(StreamConfiguration);

/** SSF 1.0 §8.1.4: asks the Transmitter for a verification event carrying `state`; false when it refused. */
export async function requestVerification(
  registered: RegisteredStream,
  registration: Pick<
    PushStreamRegistration,
    'managementAuthorization' | 'allowInsecureLoopback' | 'fetch' | 'timeoutMs'
  >,
  state: string,
): Promise<boolean> {
  const endpoint = registered.configuration.verification_endpoint;
  if (endpoint === undefined) return false;
  const url = secureUrl(endpoint, 'verification_endpoint', registration.allowInsecureLoopback);
  try {
    const response = await (registration.fetch ?? globalThis.fetch)(url, {
      method: 'POST',
      headers: { 'content-type': MEDIA_TYPE_JSON, authorization: registration.managementAuthorization },
      body: JSON.stringify({ stream_id: registered.stream.stream_id, state }),
      redirect: 'manual',
      signal: AbortSignal.timeout(registration.timeoutMs ?? 5000),
    });
    await response.body?.cancel();
    return response.status === 204 || response.status === 200;
  } catch {
    return false;
  }
}
