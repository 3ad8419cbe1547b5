/**
 * Registering a passkey (WebAuthn L3 §7.1) for a signed-in user: a discoverable credential (so it can also be the
 * first factor), user verification required, no attestation asked for (the IdP trusts the user's choice of
 * authenticator; `none` keeps the authenticator's make and model private).
 */

import { randomBytes } from 'node:crypto';
import {
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { decodeAttestationObject, isoBase64URL, parseAuthenticatorData } from '@simplewebauthn/server/helpers';
import { type IdpContext, nowSeconds } from '../idp-context.js';
import type { User } from '../storage/directory-types.js';
import type { Passkey } from '../storage/passkey-types.js';
import { type ClientDataProblem, clientDataProblem } from './client-data.js';
import { CEREMONY_TIMEOUT_SECONDS, relyingPartyOf, SUPPORTED_ALGORITHM_IDS } from './relying-party.js';
import { AttestationResponse, readCredential } from './webauthn-wire.js';

/** Why a registration is refused (the audit log's reason). */
export type RegistrationProblem =
  | ClientDataProblem
  | 'challenge_missing'
  | 'attestation_invalid'
  | 'user_not_verified'
  /** The credential is registered already (WebAuthn L3 §7.1 step 25: for any user). */
  | 'already_registered';

/** The outcome of {@link verifyPasskeyRegistration}. */
export type RegistrationOutcome =
  | { readonly ok: true; readonly passkey: Passkey }
  | { readonly ok: false; readonly problem: RegistrationProblem };

/**
 * The user's WebAuthn user handle (WebAuthn L3 §14.6.1: random, no personal data, at most 64 bytes): made once, at
 * the first registration, and kept, so every passkey of the user carries the same one.
 */
function userHandleOf(context: IdpContext, user: User): string {
  return context.storage.passkeyUserHandle(user.id, randomBytes(32).toString('base64url'));
}

/** Whether the attestation's authenticator data says the user was verified (WebAuthn L3 §7.1 step 15). */
function userVerified(attestationObject: string): boolean | undefined {
  try {
    const authData = decodeAttestationObject(isoBase64URL.toBuffer(attestationObject)).get('authData');
    return parseAuthenticatorData(authData).flags.uv;
  } catch {
    return undefined;
  }
}

/**
 * Issues the registration challenge bound to `binding` (the session: replacing any earlier one) and returns the
 * options for `navigator.credentials.create()`, excluding the user's existing passkeys (no second copy on one
 * authenticator).
 */
export async function registrationOptions(
  context: IdpContext,
  user: User,
  binding: string,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const rp = relyingPartyOf(context.config.issuer);
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.username,
    userDisplayName: user.name,
    userID: isoBase64URL.toBuffer(userHandleOf(context, user)),
    timeout: CEREMONY_TIMEOUT_SECONDS * 1000,
    attestationType: 'none',
    excludeCredentials: context.storage
      .listPasskeys(user.id)
      .map((passkey) => ({ id: passkey.credentialId, transports: [...passkey.transports] })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    supportedAlgorithmIDs: [...SUPPORTED_ALGORITHM_IDS],
  });
  context.storage.issueChallenge({
    binding,
    ceremony: 'registration',
    challenge: options.challenge,
    userId: user.id,
    expiresAt: nowSeconds(context) + CEREMONY_TIMEOUT_SECONDS,
  });
  return options;
}

/**
 * Verifies a posted registration against the challenge of `binding` (taken: it answers once) for `user`, in the order
 * of WebAuthn L3 §7.1 (client data, then the attestation object: RP ID hash, user present and verified, algorithm),
 * then stores the passkey under `name`. Nothing is stored on any refusal.
 */
export async function verifyPasskeyRegistration(
  context: IdpContext,
  options: { user: User; binding: string; posted: string | undefined; name: string },
): Promise<RegistrationOutcome> {
  const now = nowSeconds(context);
  const challenge = context.storage.takeChallenge(options.binding, 'registration', now);
  const credential = readCredential(AttestationResponse, options.posted);
  if (credential === undefined) return { ok: false, problem: 'malformed' };
  if (challenge === undefined || challenge.userId !== options.user.id)
    return { ok: false, problem: 'challenge_missing' };
  const rp = relyingPartyOf(context.config.issuer);
  const expected = { type: 'webauthn.create' as const, challenge: challenge.challenge, origin: rp.origin };
  const dataProblem = clientDataProblem(credential.response.clientDataJSON, expected);
  if (dataProblem !== undefined) return { ok: false, problem: dataProblem };
  const verifiedUser = userVerified(credential.response.attestationObject);
  if (verifiedUser === undefined) return { ok: false, problem: 'malformed' };
  if (!verifiedUser) return { ok: false, problem: 'user_not_verified' };

  const response: RegistrationResponseJSON = {
    id: credential.id,
    rawId: credential.rawId,
    type: credential.type,
    response: {
      clientDataJSON: credential.response.clientDataJSON,
      attestationObject: credential.response.attestationObject,
      ...(credential.response.transports === undefined ? {} : { transports: credential.response.transports }),
    },
    clientExtensionResults: {},
  };
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      expectedType: 'webauthn.create',
      requireUserPresence: true,
      requireUserVerification: true,
      supportedAlgorithmIDs: [...SUPPORTED_ALGORITHM_IDS],
    });
  } catch {
    return { ok: false, problem: 'attestation_invalid' };
  }
  if (!verified.verified) return { ok: false, problem: 'attestation_invalid' };
  const { credential: created, credentialDeviceType, credentialBackedUp } = verified.registrationInfo;
  if (context.storage.findPasskey(created.id) !== undefined) return { ok: false, problem: 'already_registered' };
  const passkey: Passkey = {
    credentialId: created.id,
    userId: options.user.id,
    userHandle: userHandleOf(context, options.user),
    publicKey: created.publicKey,
    counter: created.counter,
    transports: credential.response.transports ?? [],
    deviceType: credentialDeviceType,
    backedUp: credentialBackedUp,
    name: options.name,
    createdAt: now,
    lastUsedAt: null,
  };
  context.storage.insertPasskey(passkey);
  return { ok: true, passkey };
}
