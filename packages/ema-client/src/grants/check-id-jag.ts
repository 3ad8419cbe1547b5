/**
 * What the agent checks on the ID-JAG the IdP issued, before it forwards it to the RAS. The host cannot verify the
 * IdP's signature for the RAS (that is the RAS's job, ID-JAG §4.4.1), but it must not forward something that is not
 * what it asked for: an ID-JAG for another RAS, another resource or another client would at best be refused there,
 * and at worst be a token the IdP meant for someone else.
 */
import { TYP_ID_JAG } from '@ema/protocol';
import { IdJagMismatchError } from '../errors.js';

/** What the host asked the IdP for. */
export interface AskedIdJag {
  /** The RAS issuer sent as `audience`. */
  audience: string;
  /** The MCP server's resource identifier sent as `resource`. */
  resource: string;
  /** The host's client id at that RAS. */
  rasClientId: string;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The JSON object of one base64url segment of a compact JWS, or undefined. */
function decodeSegment(segment: string | undefined): object | undefined {
  if (segment === undefined || !/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  try {
    const base64 = segment.replaceAll('-', '+').replaceAll('_', '/');
    const bytes = Uint8Array.from(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '=')), (c) => c.charCodeAt(0));
    const value: unknown = JSON.parse(decoder.decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A string claim equal to `expected`, or an array of claims containing it (`only`: and nothing else). */
function names(value: unknown, expected: string, only: boolean): boolean {
  if (typeof value === 'string') return value === expected;
  if (!Array.isArray(value)) return false;
  return only ? value.length === 1 && value[0] === expected : value.includes(expected);
}

/**
 * Decodes the ID-JAG without verifying it and checks it is the one asked for: `typ` `oauth-id-jag+jwt` (ID-JAG §3),
 * `aud` exactly the RAS issuer (a string or a one-element array, as the RAS requires), `resource` naming the MCP
 * server, `client_id` the host's client id at that RAS. Compares exactly, no normalisation.
 *
 * @throws IdJagMismatchError naming the first check that failed.
 */
export function checkIssuedIdJag(idJag: string, asked: AskedIdJag): void {
  const segments = idJag.split('.');
  const header = segments.length === 3 ? decodeSegment(segments[0]) : undefined;
  const claims = segments.length === 3 ? decodeSegment(segments[1]) : undefined;
  if (header === undefined || claims === undefined) throw new IdJagMismatchError('format');
  if (Reflect.get(header, 'typ') !== TYP_ID_JAG) throw new IdJagMismatchError('typ');
  if (!names(Reflect.get(claims, 'aud'), asked.audience, true)) throw new IdJagMismatchError('aud');
  if (!names(Reflect.get(claims, 'resource'), asked.resource, false)) throw new IdJagMismatchError('resource');
  if (Reflect.get(claims, 'client_id') !== asked.rasClientId) throw new IdJagMismatchError('client_id');
}
