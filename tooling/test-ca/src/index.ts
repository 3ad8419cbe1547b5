/**
 * `@ema/test-ca`: test support only. A certificate authority made at test time (never a committed key) and a local
 * HTTPS server whose answers a test scripts, to serve Client ID Metadata Documents over real TLS.
 */
export { type DocumentServer, type ScriptedResponse, startDocumentServer } from './document-server.js';
export { createTestCertificates, type TestCertificates } from './test-ca.js';
