/**
 * The last nonce each server handed out (RFC 9449 §8.2, §9: in the `DPoP-Nonce` header of any response), by origin,
 * so the next proof to that server carries it and needs no extra round trip.
 */
export class DpopNonceMemory {
  readonly #nonces = new Map<string, string>();

  /** The nonce to put in the next proof for `origin`, if one was received. */
  get(origin: string): string | undefined {
    return this.#nonces.get(origin);
  }

  /** Remembers the `DPoP-Nonce` of a response from `origin`, when it carries one; returns it. */
  noteResponse(origin: string, response: Response): string | undefined {
    const nonce = response.headers.get('dpop-nonce') ?? undefined;
    // RFC 9449 §8.1: a nonce is a non-empty string of unreserved characters.
    if (nonce !== undefined && /^[\x21\x23-\x5B\x5D-\x7E]+$/.test(nonce)) this.#nonces.set(origin, nonce);
    return nonce;
  }
}
