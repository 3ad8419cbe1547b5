import { decodeJwt, decodeProtectedHeader } from 'jose';

/**
 * Decodes a compact JWT WITHOUT verifying anything, for display only (the flow inspector). Never base a decision on
 * the result. Returns `undefined` when the input is not a decodable JWS.
 */
export function decodeUnverified(
  token: string,
): { header: Record<string, unknown>; claims: Record<string, unknown> } | undefined {
  try {
    const header: Record<string, unknown> = { ...decodeProtectedHeader(token) };
    const claims: Record<string, unknown> = { ...decodeJwt(token) };
    return { header, claims };
  } catch {
    return undefined;
  }
}
