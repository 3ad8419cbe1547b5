/**
 * `@ema/html`: server-rendered pages for the apps: a tagged template that escapes every interpolation by default, and
 * the one way to send a page with its security headers.
 */
export { CSRF_FIELD, CSRF_HEADER, csrfToken, verifyCsrfToken } from './csrf.js';
export { escapeHtml, html, type Interpolation, SafeHtml } from './html.js';
export { PAGE_HEADERS, SCRIPTED_PAGE_HEADERS, sendDocument, sendPage, sendScriptedDocument } from './send-page.js';
