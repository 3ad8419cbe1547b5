/**
 * A WebAuthn authenticator in software, for tests of a relying party: it creates ES256 credentials with `none`
 * attestation (WebAuthn L3 §8.7) and signs assertions (§6.3.3), producing exactly what a browser posts
 * (`RegistrationResponseJSON`, `AuthenticationResponseJSON`). Every field can be made wrong on request (another
 * origin, challenge, counter, no user verification), so the refusals can be tested as carefully as the success.
 */
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { type CborValue, encodeCbor } from './cbor.js';

/** What the relying party's registration options say (the fields this authenticator reads). */
export interface CreationOptions {
  readonly challenge: string;
  readonly rp: { readonly id?: string };
  readonly user: { readonly id: string };
}

/** What the relying party's authentication options say (the fields this authenticator reads). */
export interface RequestOptions {
  readonly challenge: string;
  readonly rpId?: string;
  readonly allowCredentials?: readonly { readonly id: string }[];
}

/** Deviations from a correct answer, to test refusals. */
export interface Tampering {
  readonly origin?: string;
  readonly challenge?: string;
  readonly type?: string;
  readonly rpId?: string;
  /** Clear the UV flag (the user was not verified). */
  readonly userVerified?: boolean;
  /** Use this signature counter instead of the next one. */
  readonly counter?: number;
  /** Answer with this credential (by id) instead of the first allowed one. */
  readonly credentialId?: string;
  /** Send this user handle instead of the credential's. */
  readonly userHandle?: string;
}

/** A registration as a browser posts it. */
export interface RegistrationResponse {
  readonly id: string;
  readonly rawId: string;
  readonly type: 'public-key';
  readonly response: {
    readonly clientDataJSON: string;
    readonly attestationObject: string;
    readonly transports: string[];
  };
  readonly clientExtensionResults: Record<string, never>;
}

/** An assertion as a browser posts it. */
export interface AuthenticationResponse {
  readonly id: string;
  readonly rawId: string;
  readonly type: 'public-key';
  readonly response: {
    readonly clientDataJSON: string;
    readonly authenticatorData: string;
    readonly signature: string;
    readonly userHandle: string;
  };
  readonly clientExtensionResults: Record<string, never>;
}

interface Credential {
  readonly id: Uint8Array;
  readonly privateKey: KeyObject;
  readonly userHandle: string;
  readonly rpId: string;
  counter: number;
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string): Uint8Array => createHash('sha256').update(data).digest();

/** See the module comment. */
export class SoftwareAuthenticator {
  readonly #origin: string;
  readonly #synced: boolean;
  readonly #credentials = new Map<string, Credential>();

  /**
   * @param origin the origin this authenticator's "browser" is on (the relying party's, unless tampered).
   * @param options.synced create backup-eligible, backed-up credentials (a synced passkey: BE and BS set).
   */
  constructor(origin: string, options: { synced?: boolean } = {}) {
    this.#origin = origin;
    this.#synced = options.synced === true;
  }

  /** The ids of the credentials created so far. */
  get credentialIds(): string[] {
    return [...this.#credentials.keys()];
  }

  /** Creates a credential for `options` (`navigator.credentials.create()`). */
  register(options: CreationOptions, tampering: Tampering = {}): RegistrationResponse {
    const rpId = options.rp.id ?? new URL(this.#origin).hostname;
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const coseKey = encodeCbor(
      new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x ?? '', 'base64url')],
        [-3, Buffer.from(jwk.y ?? '', 'base64url')],
      ]),
    );
    const id = randomBytes(16);
    const credential: Credential = { id, privateKey, userHandle: options.user.id, rpId, counter: 0 };
    this.#credentials.set(b64url(id), credential);
    const attested = Buffer.concat([Buffer.alloc(16), Buffer.from([0, id.length]), id, coseKey]);
    const authData = this.#authenticatorData(tampering.rpId ?? rpId, tampering, FLAG_AT, 0, attested);
    const clientData = this.#clientData('webauthn.create', options.challenge, tampering);
    const noStatement: ReadonlyMap<string, CborValue> = new Map();
    const attestationObject = encodeCbor(
      new Map<string, CborValue>([
        ['fmt', 'none'],
        ['attStmt', noStatement],
        ['authData', authData],
      ]),
    );
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientData),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
    };
  }

  /** Signs an assertion for `options` (`navigator.credentials.get()`) with an allowed credential, or any of its own. */
  assert(options: RequestOptions, tampering: Tampering = {}): AuthenticationResponse {
    const allowed = (options.allowCredentials ?? []).map((entry) => entry.id);
    const id =
      tampering.credentialId ?? allowed.find((candidate) => this.#credentials.has(candidate)) ?? this.credentialIds[0];
    const credential = id === undefined ? undefined : this.#credentials.get(id);
    if (id === undefined || credential === undefined) throw new Error('no credential for these options');
    const counter = tampering.counter ?? credential.counter + 1;
    credential.counter = Math.max(credential.counter, counter);
    const authData = this.#authenticatorData(tampering.rpId ?? options.rpId ?? credential.rpId, tampering, 0, counter);
    const clientData = this.#clientData('webauthn.get', options.challenge, tampering);
    // WebAuthn L3 §6.3.3: the signature covers the authenticator data and the hash of the client data (DER, ES256).
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), credential.privateKey);
    return {
      id,
      rawId: id,
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientData),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: tampering.userHandle ?? credential.userHandle,
      },
      clientExtensionResults: {},
    };
  }

  #clientData(type: string, challenge: string, tampering: Tampering): Uint8Array {
    const data = {
      type: tampering.type ?? type,
      challenge: tampering.challenge ?? challenge,
      origin: tampering.origin ?? this.#origin,
      crossOrigin: false,
    };
    return new TextEncoder().encode(JSON.stringify(data));
  }

  // WebAuthn L3 §6.1: rpIdHash (32) | flags (1) | signCount (4, big-endian) | attested credential data.
  #authenticatorData(
    rpId: string,
    tampering: Tampering,
    extraFlags: number,
    counter: number,
    attested: Uint8Array = new Uint8Array(),
  ): Buffer {
    let flags = FLAG_UP | extraFlags;
    if (tampering.userVerified !== false) flags |= FLAG_UV;
    if (this.#synced) flags |= FLAG_BE | FLAG_BS;
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, attested]);
  }
}
