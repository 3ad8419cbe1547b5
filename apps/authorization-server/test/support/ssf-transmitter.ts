/**
 * A stand-in SSF Transmitter for the RAS tests, on the test IdP's issuer behind the injected fetch: its configuration
 * document and the stream management API (`createStreamManagement` of `@ema/shared-signals`), so the RAS registers
 * its stream for real, and whatever the RAS forwards to the MCP server's receiver is captured.
 */
import { mintSecurityEventToken } from '@ema/jwt';
import type { SecurityEventTokenClaims } from '@ema/protocol';
import {
  createStreamManagement,
  type ManagementAnswer,
  type SecurityEvent,
  type SsfStream,
  unsignedClaims,
} from '@ema/shared-signals';
import { createSqliteStreamStorage, streamsMigration } from '@ema/shared-signals/sqlite';
import { openDatabase } from '@ema/storage/sqlite';
import { IDP_ISSUER, RAS_ISSUER, type TestIdp } from './test-idp.js';

export const TRANSMITTER_TOKEN = 'test-ssf-receiver-token-0123456789abcdef';
export const MCP_EVENTS = 'http://localhost:3300/ssf/events';

/** The transmitter side and the captured forwards. */
export interface TestTransmitter {
  fetch: typeof fetch;
  /** SETs the RAS pushed to the MCP server's receiver. */
  forwarded: string[];
  /** The MCP receiver's answer status (default 202). */
  mcpStatus: number;
  stream(): SsfStream | undefined;
  /** A SET from the test IdP, signed with its current key, for the RAS. */
  set(event: SecurityEvent, jti: string, iat: number, overrides?: Partial<SecurityEventTokenClaims>): Promise<string>;
}

/** Builds the transmitter over the test IdP (its JWKS keeps being served). */
export function testTransmitter(idp: TestIdp, now: () => number): TestTransmitter {
  const storage = createSqliteStreamStorage(openDatabase({ file: ':memory:', migrations: [streamsMigration] }));
  const management = createStreamManagement({
    issuer: IDP_ISSUER,
    eventsSupported: [
      'https://schemas.openid.net/secevent/caep/event-type/session-revoked',
      'https://schemas.openid.net/secevent/risc/event-type/account-disabled',
      'https://schemas.openid.net/secevent/risc/event-type/account-purged',
      `${IDP_ISSUER}/secevent/event-type/grant-revoked`,
    ],
    authenticateReceiver: (authorization) =>
      authorization === `Bearer ${TRANSMITTER_TOKEN}` ? { receiverId: 'ras', audience: RAS_ISSUER } : undefined,
    storage,
    newStreamId: () => 'stream-1',
    requestVerification: () => {},
    allowInsecureLoopback: true,
    now,
  });
  const json = (answer: ManagementAnswer) =>
    new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status });
  const transmitter: TestTransmitter = {
    forwarded: [],
    mcpStatus: 202,
    stream: () => storage.findStreamOfReceiver('ras'),
    fetch: async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const authorization = new Headers(init?.headers).get('authorization') ?? undefined;
      const body = typeof init?.body === 'string' ? init.body : undefined;
      if (url.href === MCP_EVENTS) {
        transmitter.forwarded.push(body ?? '');
        return new Response(null, { status: transmitter.mcpStatus });
      }
      if (url.origin !== IDP_ISSUER) return new Response(null, { status: 404 });
      switch (url.pathname) {
        case '/.well-known/ssf-configuration':
          return Response.json({
            issuer: IDP_ISSUER,
            jwks_uri: `${IDP_ISSUER}/jwks`,
            delivery_methods_supported: ['urn:ietf:rfc:8935'],
            configuration_endpoint: `${IDP_ISSUER}/ssf/stream`,
          });
        case '/ssf/stream': {
          const parsed = body === undefined ? undefined : JSON.parse(body);
          if (init?.method === 'POST') return json(management.create(authorization, parsed));
          if (init?.method === 'PUT') return json(management.update(authorization, parsed, false));
          return json(management.read(authorization, url.searchParams.get('stream_id') ?? undefined));
        }
        default:
          return idp.fetch(input, init);
      }
    },
    set: (event, jti, iat, overrides = {}) =>
      mintSecurityEventToken(
        { ...unsignedClaims(event, { issuer: IDP_ISSUER, audience: RAS_ISSUER, jti, txn: jti }), iat, ...overrides },
        idp.current.signer,
      ),
  };
  return transmitter;
}
