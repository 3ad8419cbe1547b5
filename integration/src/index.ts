/**
 * `@ema/integration`: what the cross-app tests share. The four apps in one process on free loopback ports, a minimal
 * browser (cookies per origin, manual redirects, form scraping), the EMA client steps with plain `fetch`, and free
 * ports. Test support only: no app depends on
 * another app, and the tests that run several together live here and in `examples/`.
 */
export { type ClientCredentials, redeemIdJag, requestIdJag, signIn } from './ema-flow.js';
export { freePort } from './free-port.js';
export {
  answerConsent,
  authorizeAndSignIn,
  type CallbackServer,
  pkcePair,
  publicTokenRequest,
  registerPublicClient,
  type SignedInAtRas,
  startCallbackServer,
} from './interactive-client.js';
export { webauthnOptions } from './passkey-pages.js';
export { STACK_IDP_ADMIN_TOKEN, type Stack, type StackOptions, startStack } from './stack.js';
export { formFields, TestBrowser } from './test-browser.js';
