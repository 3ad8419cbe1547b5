/**
 * The IdP's authentication context: which `amr` values (RFC 8176) a sign-in records, and which `acr` class
 * (OIDC Core §2) it satisfies. Two classes, ordered: `ACR_PASSWORD` (any sign-in here) and `ACR_MULTI_FACTOR`
 * (a sign-in that used a passkey with user verification, as a second factor after the password or on its own).
 */
import type { AcrClass } from '@ema/policy';
import {
  ACR_MULTI_FACTOR,
  ACR_PASSWORD,
  AMR_HARDWARE_KEY,
  AMR_MULTI_FACTOR,
  AMR_PASSWORD,
  AMR_SOFTWARE_KEY,
  AMR_USER_PRESENCE,
} from '@ema/protocol';
import type { PasskeyDeviceType } from '../storage/passkey-types.js';

/**
 * The classes, weakest first (OIDC Discovery `acr_values_supported`), each with the `amr` values every sign-in
 * satisfying it carries. A passkey sign-in always carries `mfa` and `user`; whether `hwk` or `swk` depends on the
 * passkey, and `pwd` on whether the password came first, so neither is guaranteed by a class.
 */
export const ACR_CLASSES: readonly AcrClass[] = [
  { acr: ACR_PASSWORD, guarantees: [] },
  { acr: ACR_MULTI_FACTOR, guarantees: [AMR_MULTI_FACTOR, AMR_USER_PRESENCE] },
];

/** `acr_values_supported`, in order of strength. */
export const ACR_VALUES_SUPPORTED: readonly string[] = ACR_CLASSES.map((entry) => entry.acr);

/**
 * The `amr` values a policy rule may require: those some class guarantees, since the step-up asks for classes
 * (`acr_values`) and the IdP could not ask a sign-in for anything else.
 */
export const REQUIRABLE_AMR: readonly string[] = [...new Set(ACR_CLASSES.flatMap((entry) => entry.guarantees))];

/** The class a sign-in with these methods satisfies (the `acr` claim). */
export function acrOfMethods(amr: readonly string[]): string {
  return amr.includes(AMR_MULTI_FACTOR) ? ACR_MULTI_FACTOR : ACR_PASSWORD;
}

/** Whether a sign-in with these methods satisfies `acr` (a stronger class satisfies a weaker one). */
export function satisfiesAcr(amr: readonly string[], acr: string): boolean {
  return ACR_VALUES_SUPPORTED.indexOf(acrOfMethods(amr)) >= ACR_VALUES_SUPPORTED.indexOf(acr);
}

/** The methods of a password sign-in. */
export const PASSWORD_METHODS: readonly string[] = [AMR_PASSWORD];

/**
 * The methods a passkey assertion adds (RFC 8176 §2): `hwk` for a device-bound key, `swk` for a synced one, `user`
 * for the presence test, and `mfa`: the IdP requires user verification (a PIN or biometric on the authenticator),
 * which makes the passkey a multi-factor authenticator on its own (WebAuthn L3 §6.2.3).
 */
export function passkeyMethods(deviceType: PasskeyDeviceType): string[] {
  return [deviceType === 'singleDevice' ? AMR_HARDWARE_KEY : AMR_SOFTWARE_KEY, AMR_USER_PRESENCE, AMR_MULTI_FACTOR];
}

/** The methods of a session after a further factor: what it had, then what the factor adds, each once. */
export function combineMethods(before: readonly string[], added: readonly string[]): string[] {
  return [...new Set([...before, ...added])];
}
