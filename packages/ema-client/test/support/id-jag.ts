/**
 * ID-JAGs as an IdP would issue them, for tests. Unsigned (the signature segment is a placeholder): the agent side
 * decodes what it forwards but cannot verify the IdP's signature, which is the RAS's job.
 */
import { TYP_ID_JAG } from '@ema/protocol';

const segment = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The claims the tests' requests ask for: RAS `https://ras.example`, MCP server `https://mcp.example/mcp`. */
export const ASKED = {
  audience: 'https://ras.example',
  resource: 'https://mcp.example/mcp',
  rasClientId: 'host-at-ras',
} as const;

/** A compact JWS with the given claims and header members (defaults: what {@link ASKED} asked for). */
export function idJag(
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
  asked: { audience: string; resource: string; rasClientId: string } = ASKED,
): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: 'https://idp.example',
    sub: 'alice',
    aud: asked.audience,
    resource: asked.resource,
    client_id: asked.rasClientId,
    jti: crypto.randomUUID(),
    iat: now,
    exp: now + 300,
    scope: 'tickets.read',
    ...claims,
  };
  return `${segment({ alg: 'ES256', kid: 'k1', typ: TYP_ID_JAG, ...header })}.${segment(payload)}.c2lnbmF0dXJl`;
}

/** The `jti` of an ID-JAG (the fake IdP numbers them `idjag-<n>`), or undefined when there is none. */
export function jtiOf(token: string | null | undefined): unknown {
  const payload = token?.split('.')[1];
  if (payload === undefined) return undefined;
  const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  return typeof claims === 'object' && claims !== null ? Reflect.get(claims, 'jti') : undefined;
}
