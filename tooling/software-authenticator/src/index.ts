/**
 * `@ema/software-authenticator`: test support only. A WebAuthn authenticator in software that registers and signs
 * like a real one, and answers wrongly on request, so a relying party's checks can be tested without a browser.
 */
export { type CborValue, encodeCbor } from './cbor.js';
export { readCreationOptions, readRequestOptions } from './ceremony-options.js';
export {
  type AuthenticationResponse,
  type CreationOptions,
  type RegistrationResponse,
  type RequestOptions,
  SoftwareAuthenticator,
  type Tampering,
} from './software-authenticator.js';
