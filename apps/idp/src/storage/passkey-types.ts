/**
 * A passkey: a WebAuthn public key credential registered by a user (WebAuthn L3 §7.1), with what the IdP keeps to
 * verify its assertions (§7.2): the public key, the signature counter, and the user handle the authenticator
 * returns with discoverable credentials.
 */
export interface Passkey {
  /** The credential id, base64url (the primary key: a credential belongs to exactly one user). */
  readonly credentialId: string;
  readonly userId: string;
  /**
   * The WebAuthn user handle (`user.id`) the credential was created with, base64url: random, one per user, never the
   * username or the stable user id (WebAuthn L3 §14.6.1: no personally identifying information).
   */
  readonly userHandle: string;
  /** The COSE public key (WebAuthn L3 §6.5.1.1). */
  readonly publicKey: Uint8Array<ArrayBuffer>;
  /** The last signature counter seen (WebAuthn L3 §6.1.1); 0 for authenticators that keep none. */
  readonly counter: number;
  readonly transports: readonly string[];
  /** `singleDevice` (device-bound: `amr` `hwk`) or `multiDevice` (synced, backup eligible: `amr` `swk`). */
  readonly deviceType: PasskeyDeviceType;
  readonly backedUp: boolean;
  /** What the user called it ("Work laptop"). */
  readonly name: string;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
}

/** Whether a passkey can leave the device it was created on (WebAuthn L3 §6.1.3, the BE flag). */
export type PasskeyDeviceType = 'singleDevice' | 'multiDevice';

/** What a verified assertion changes on its passkey. */
export interface PasskeyUse {
  /** The counter stored before this use: the update applies only if it is still the stored one. */
  readonly previousCounter: number;
  readonly counter: number;
  readonly deviceType: PasskeyDeviceType;
  readonly backedUp: boolean;
  readonly at: number;
}

/** The two WebAuthn ceremonies (WebAuthn L3 §7.1 registration, §7.2 authentication). */
export type WebAuthnCeremony = 'registration' | 'authentication';

/**
 * A challenge the IdP issued for one ceremony (WebAuthn L3 §13.4.3: random, from the relying party, used once),
 * bound to what it is for: a sign-in request (`request:<id>`) or a session (`session:<id>`).
 */
export interface WebAuthnChallenge {
  readonly binding: string;
  readonly ceremony: WebAuthnCeremony;
  /** base64url, as in the options handed to the browser. */
  readonly challenge: string;
  /** The user the ceremony is for (registration, second factor); null for a sign-in with any passkey. */
  readonly userId: string | null;
  readonly expiresAt: number;
}
