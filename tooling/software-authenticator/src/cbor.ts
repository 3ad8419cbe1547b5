/**
 * The little CBOR (RFC 8949) an authenticator writes: unsigned and negative integers, byte and text strings, and
 * maps, in definite lengths (the attestation object and the COSE key of WebAuthn L3 §6.5).
 */

/** A value this encoder writes. */
export type CborValue = number | string | Uint8Array | ReadonlyMap<number | string, CborValue>;

function head(major: number, length: number): number[] {
  if (length < 24) return [(major << 5) | length];
  if (length < 0x100) return [(major << 5) | 24, length];
  if (length < 0x10000) return [(major << 5) | 25, length >> 8, length & 0xff];
  return [(major << 5) | 26, (length >>> 24) & 0xff, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff];
}

/** Encodes `value` as CBOR. */
export function encodeCbor(value: CborValue): Uint8Array {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new TypeError('only integers');
    return Uint8Array.from(value >= 0 ? head(0, value) : head(1, -1 - value));
  }
  if (typeof value === 'string') {
    const bytes = new TextEncoder().encode(value);
    return Uint8Array.from([...head(3, bytes.length), ...bytes]);
  }
  if (value instanceof Uint8Array) return Uint8Array.from([...head(2, value.length), ...value]);
  const parts: number[] = head(5, value.size);
  for (const [key, item] of value) parts.push(...encodeCbor(key), ...encodeCbor(item));
  return Uint8Array.from(parts);
}
