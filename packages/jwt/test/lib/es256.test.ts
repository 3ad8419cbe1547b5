import { generateKeyPairSync, sign } from 'node:crypto';
import { CompactSign, compactVerify, exportJWK, generateKeyPair, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { p256KeyObject, signEs256, verifyEs256 } from '../../src/lib/es256.js';
import { mintAccessToken } from '../../src/sign.js';

const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const INPUT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9';

describe('ES256 through node:crypto', () => {
  it('[JWT-ES256-KEY] signs tokens that jose verifies, and verifies tokens that jose signs', async () => {
    const privateKey = await importJWK(await exportJWK(p256.privateKey), 'ES256');
    const publicKey = await importJWK(await exportJWK(p256.publicKey), 'ES256');
    if (privateKey instanceof Uint8Array) throw new TypeError('an EC JWK imports as a CryptoKey');
    const token = await mintAccessToken(
      { iss: 'https://ras.example.com', sub: 'alice', aud: 'x', iat: 1, exp: 2, client_id: 'c', jti: 'j' },
      { kid: 'k', alg: 'ES256', privateKey },
    );
    expect((await compactVerify(token, publicKey, { algorithms: ['ES256'] })).protectedHeader.kid).toBe('k');

    const joseToken = await new CompactSign(new TextEncoder().encode('{"a":1}'))
      .setProtectedHeader({ alg: 'ES256' })
      .sign(privateKey);
    const [header, payload, signature = ''] = joseToken.split('.');
    const key = p256KeyObject(publicKey, 'public', 'verify');
    expect(key).toBeDefined();
    if (key) expect(await verifyEs256(`${header}.${payload}`, signature, key)).toBe(true);
  });

  it('[JWT-ES256-KEY] refuses a signature made over other bytes or by another key', async () => {
    const signature = await signEs256(INPUT, p256.privateKey);
    expect(await verifyEs256(INPUT, signature, p256.publicKey)).toBe(true);
    expect(await verifyEs256(`${INPUT}x`, signature, p256.publicKey)).toBe(false);
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(await verifyEs256(INPUT, signature, other.publicKey)).toBe(false);
  });

  it('[JWT-ES256-KEY] refuses a DER signature of the same bytes (ES256 is R||S, 64 bytes)', async () => {
    const der = sign('sha256', Buffer.from(INPUT), p256.privateKey).toString('base64url');
    expect(await verifyEs256(INPUT, der, p256.publicKey)).toBe(false);
  });

  it('[JWT-ES256-KEY] takes no key of another curve, type or kind, and no CryptoKey without the usage', async () => {
    expect(p256KeyObject(p256.publicKey, 'public', 'verify')).toBe(p256.publicKey);
    expect(p256KeyObject(p256.privateKey, 'private', 'sign')).toBe(p256.privateKey);
    expect(p256KeyObject(p384.publicKey, 'public', 'verify')).toBeUndefined();
    expect(p256KeyObject(p256.privateKey, 'public', 'verify')).toBeUndefined();
    expect(p256KeyObject(p256.publicKey, 'private', 'sign')).toBeUndefined();
    expect(p256KeyObject(new Uint8Array(32), 'public', 'verify')).toBeUndefined();
    const ed = await generateKeyPair('Ed25519');
    expect(p256KeyObject(ed.publicKey, 'public', 'verify')).toBeUndefined();
    const verifyOnly = await importJWK(await exportJWK(p256.publicKey), 'ES256');
    expect(p256KeyObject(verifyOnly, 'public', 'sign')).toBeUndefined();
  });

  it('[JWT-ES256-KEY] will not sign ES256 with a key of another curve', async () => {
    await expect(
      mintAccessToken(
        { iss: 'i', sub: 's', aud: 'a', iat: 1, exp: 2, client_id: 'c', jti: 'j' },
        { kid: 'k', alg: 'ES256', privateKey: p384.privateKey },
      ),
    ).rejects.toThrow(/P-256 private key/);
  });
});
