/** Helpers for the interactive path's endpoint tests: registration, authorization requests, the audit log. */
import type { AuditRecordView } from '@ema/protocol';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { ADMIN_TOKEN } from '../support/ras.js';

export const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
export const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
export const REDIRECT_URI = 'http://127.0.0.1/callback';
export const RESOURCE = 'http://localhost:3300/mcp';

/** Registers a client by RFC 7591 and returns its id (and secret, when confidential). */
export async function register(
  app: FastifyInstance,
  metadata: Record<string, unknown> = {},
): Promise<{ clientId: string; secret: string | undefined }> {
  const response = await app.inject({
    method: 'POST',
    url: '/register',
    payload: {
      redirect_uris: [REDIRECT_URI],
      client_name: 'Test MCP client',
      token_endpoint_auth_method: 'none',
      ...metadata,
    },
  });
  if (response.statusCode !== 201) throw new Error(`registration refused: ${response.body}`);
  const body = response.json<{ client_id: string; client_secret?: string }>();
  return { clientId: body.client_id, secret: body.client_secret };
}

/** A complete authorization request's parameters, with overrides (`undefined` removes one). */
export function authorizationQuery(clientId: string, overrides: Record<string, string | undefined> = {}): string {
  const parameters: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: 'http://127.0.0.1:49152/callback',
    state: 'state-123',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    resource: RESOURCE,
    scope: 'tickets.read',
    ...overrides,
  };
  const defined = Object.entries(parameters).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return new URLSearchParams(defined).toString();
}

/** GET /authorize with the query. */
export function authorize(app: FastifyInstance, query: string, cookie?: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url: `/authorize?${query}`, ...(cookie ? { headers: { cookie } } : {}) });
}

/** The audit records of a type, newest first. */
export async function auditOf(app: FastifyInstance, type: string): Promise<AuditRecordView[]> {
  const response = await app.inject({
    method: 'GET',
    url: `/admin/api/audit?type=${encodeURIComponent(type)}&limit=100`,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  return response.json<{ events: AuditRecordView[] }>().events;
}
