/**
 * `@ema/integration`: what the cross-app tests share. The four apps in one process on free loopback ports, a minimal
 * browser (cookies per origin, manual redirects, form scraping), and free ports. Test support only: no app depends on
 * another app, and the tests that run several together live here and in `examples/`.
 */
export { freePort } from './free-port.js';
export { webauthnOptions } from './passkey-pages.js';
export { IDP_ADMIN_TOKEN, type Stack, startStack } from './stack.js';
export { formFields, TestBrowser } from './test-browser.js';
