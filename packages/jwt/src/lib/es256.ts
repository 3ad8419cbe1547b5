import { KeyObject, sign, verify } from 'node:crypto';
import type { CryptoKey, KeyObject as JoseKeyObject } from 'jose';

/**
 * ES256 (ECDSA on P-256 with SHA-256, RFC 7518 §3.4), the profile's algorithm, through node:crypto's callback API:
 * the same OpenSSL operation on the libuv thread pool as WebCrypto, without WebCrypto's per-call WebIDL
 * normalization and jose's JWS assembly. Those measured about 16 µs of CPU per signature or verification on this
 * project's hardware (issue 19's profile), on an operation of 35 µs (sign) or 75 µs (verify). Every other algorithm
 * stays with jose.
 */
export const ES256 = 'ES256';

/** The signature of ES256: R and S, 32 bytes each (RFC 7518 §3.4), never DER. */
const SIGNATURE_BYTES = 64;
const P256 = 'prime256v1';

const keyObjects = new WeakMap<CryptoKey, KeyObject>();

/**
 * The key as a node:crypto `KeyObject` if it is a P-256 key of the given type that may be used for `use`, or
 * `undefined`: a symmetric secret (RFC 8725 §2.1 algorithm confusion), another curve, another key type or a
 * CryptoKey without the usage never verifies or signs under ES256. CryptoKeys are converted once.
 */
export function p256KeyObject(
  key: CryptoKey | JoseKeyObject | Uint8Array,
  type: 'public' | 'private',
  use: 'sign' | 'verify',
): KeyObject | undefined {
  let keyObject: KeyObject;
  if (key instanceof KeyObject) {
    keyObject = key;
  } else if ('usages' in key && key.usages.includes(use)) {
    keyObject = keyObjects.get(key) ?? convert(key);
  } else {
    // A secret (`Uint8Array`), or a CryptoKey without the usage.
    return undefined;
  }
  // Only an EC key has a named curve, and P-256 is OpenSSL's prime256v1.
  return keyObject.type === type && keyObject.asymmetricKeyDetails?.namedCurve === P256 ? keyObject : undefined;
}

/** The CryptoKey as a KeyObject, remembered for its next use. */
function convert(key: CryptoKey): KeyObject {
  const keyObject = KeyObject.from(key);
  keyObjects.set(key, keyObject);
  return keyObject;
}

/** Signs `signingInput` (the ASCII `header.payload` of a compact JWS) and answers its base64url signature. */
export function signEs256(signingInput: string, privateKey: KeyObject): Promise<string> {
  return new Promise((resolve, reject) => {
    sign('sha256', Buffer.from(signingInput, 'latin1'), { key: privateKey, dsaEncoding: 'ieee-p1363' }, (error, sig) =>
      error ? reject(error) : resolve(sig.toString('base64url')),
    );
  });
}

/**
 * Whether `signature` (base64url, already checked to be base64url) is an ES256 signature of `signingInput` under
 * `publicKey`. A signature of any other length is false without any cryptography.
 */
export function verifyEs256(signingInput: string, signature: string, publicKey: KeyObject): Promise<boolean> {
  const bytes = Buffer.from(signature, 'base64url');
  if (bytes.length !== SIGNATURE_BYTES) return Promise.resolve(false);
  return new Promise((resolve, reject) => {
    verify(
      'sha256',
      Buffer.from(signingInput, 'latin1'),
      { key: publicKey, dsaEncoding: 'ieee-p1363' },
      bytes,
      (error, valid) => (error ? reject(error) : resolve(valid)),
    );
  });
}
