/**
 * Signing in with a passkey (WebAuthn L3 §7.2), as a first factor (any of the user's discoverable credentials) or as
 * the second factor of a signed-in user (one of theirs). User verification is required.
 */
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
  verifyAuthenticationResponse,
} from '@simplewebauthn/server';
import { isoBase64URL, parseAuthenticatorData } from '@simplewebauthn/server/helpers';
import { type IdpContext, nowSeconds } from '../idp-context.js';
import type { Passkey } from '../storage/passkey-types.js';
import { type ClientDataProblem, clientDataProblem } from './client-data.js';
import { CEREMONY_TIMEOUT_SECONDS, relyingPartyOf } from './relying-party.js';
import { AssertionResponse, readCredential } from './webauthn-wire.js';

/** Why an assertion is refused (the audit log's reason, `passkey_<reason>`). */
export type AssertionProblem =
  | ClientDataProblem
  /** No live challenge for this sign-in: already answered (a replay) or expired. */
  | 'challenge_missing'
  /** A credential this IdP never registered (or since removed). */
  | 'unknown_credential'
  /** Another user's passkey where this user's is expected. */
  | 'foreign_credential'
  | 'user_handle_mismatch'
  | 'user_not_verified'
  /** The signature counter did not move forward (WebAuthn L3 §6.1.1: a possible clone). */
  | 'counter_regressed'
  | 'signature_invalid';

/** The outcome of {@link verifyPasskeyAssertion}. */
export type AssertionOutcome =
  | { readonly ok: true; readonly passkey: Passkey }
  | { readonly ok: false; readonly problem: AssertionProblem; readonly credentialId?: string };

/**
 * Issues the challenge of an assertion bound to `binding` (replacing any earlier one), and returns the options for
 * `navigator.credentials.get()`: for a known user their passkeys (a second factor), otherwise none (a discoverable
 * credential, the first factor).
 */
export async function assertionOptions(
  context: IdpContext,
  binding: string,
  userId: string | null,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const rp = relyingPartyOf(context.config.issuer);
  const allowCredentials =
    userId === null
      ? []
      : context.storage
          .listPasskeys(userId)
          .map((passkey) => ({ id: passkey.credentialId, transports: [...passkey.transports] }));
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials,
    userVerification: 'required',
    timeout: CEREMONY_TIMEOUT_SECONDS * 1000,
  });
  context.storage.issueChallenge({
    binding,
    ceremony: 'authentication',
    challenge: options.challenge,
    userId,
    expiresAt: nowSeconds(context) + CEREMONY_TIMEOUT_SECONDS,
  });
  return options;
}

/**
 * Verifies a posted assertion against the challenge of `binding` (taken, so it answers once), in the order of
 * WebAuthn L3 §7.2: client data (type, challenge, origin), the credential (registered, the expected user's, the
 * user handle its own), the authenticator data (user verified, counter moving forward), then the signature with the
 * stored public key. On success the new counter is stored (compare-and-set) and the passkey returned; on any
 * refusal nothing but the challenge changes.
 */
export async function verifyPasskeyAssertion(
  context: IdpContext,
  binding: string,
  posted: string | undefined,
): Promise<AssertionOutcome> {
  const now = nowSeconds(context);
  const challenge = context.storage.takeChallenge(binding, 'authentication', now);
  const credential = readCredential(AssertionResponse, posted);
  if (credential === undefined) return { ok: false, problem: 'malformed' };
  const refuse = (problem: AssertionProblem): AssertionOutcome => ({ ok: false, problem, credentialId: credential.id });
  if (challenge === undefined) return refuse('challenge_missing');
  const rp = relyingPartyOf(context.config.issuer);
  const expected = { type: 'webauthn.get' as const, challenge: challenge.challenge, origin: rp.origin };
  const dataProblem = clientDataProblem(credential.response.clientDataJSON, expected);
  if (dataProblem !== undefined) return refuse(dataProblem);

  // §7.2 steps 5-6: the credential is one of ours, of the expected user, and the user handle names its owner.
  const passkey = context.storage.findPasskey(credential.id);
  if (passkey === undefined || credential.rawId !== credential.id) return refuse('unknown_credential');
  if (challenge.userId !== null && passkey.userId !== challenge.userId) return refuse('foreign_credential');
  const userHandle = credential.response.userHandle;
  if (userHandle !== undefined && userHandle !== passkey.userHandle) return refuse('user_handle_mismatch');

  let authenticatorData: ReturnType<typeof parseAuthenticatorData>;
  try {
    authenticatorData = parseAuthenticatorData(isoBase64URL.toBuffer(credential.response.authenticatorData));
  } catch {
    return refuse('malformed');
  }
  // §7.2 step 17: the IdP asked for user verification; without it the passkey is one factor, not a sign-in here.
  if (!authenticatorData.flags.uv) return refuse('user_not_verified');
  // §7.2 step 22 / §6.1.1: a counter that does not move forward (when either side keeps one) may be a cloned key.
  const counter = authenticatorData.counter;
  if ((counter > 0 || passkey.counter > 0) && counter <= passkey.counter) return refuse('counter_regressed');

  const response: AuthenticationResponseJSON = {
    id: credential.id,
    rawId: credential.rawId,
    type: credential.type,
    response: { ...credential.response },
    clientExtensionResults: {},
  };
  let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      expectedType: 'webauthn.get',
      credential: { id: passkey.credentialId, publicKey: passkey.publicKey, counter: passkey.counter },
      requireUserVerification: true,
    });
  } catch {
    return refuse('signature_invalid');
  }
  if (!verified.verified) return refuse('signature_invalid');
  const info = verified.authenticationInfo;
  const stored = context.storage.recordPasskeyUse(passkey.credentialId, {
    previousCounter: passkey.counter,
    counter: info.newCounter,
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
    at: now,
  });
  // Another use moved the counter between the read and this write: this one is not the newest, refuse it.
  if (!stored) return refuse('counter_regressed');
  return {
    ok: true,
    passkey: {
      ...passkey,
      counter: info.newCounter,
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      lastUsedAt: now,
    },
  };
}
