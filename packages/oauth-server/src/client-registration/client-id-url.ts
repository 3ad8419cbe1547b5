/**
 * Client identifiers that are URLs (MCP-AUTH 2025-11-25 "Client ID Metadata Documents",
 * draft-ietf-oauth-client-id-metadata-document §3): which `client_id` values name a metadata document, and which of
 * those are acceptable.
 */
import { MetadataDocumentError } from './metadata-document-error.js';

/** Whether `clientId` is URL-formatted, i.e. names a Client ID Metadata Document rather than a registered client. */
export function isClientIdMetadataDocumentUrl(clientId: string): boolean {
  return clientId.startsWith('https://') || clientId.startsWith('http://');
}

/** The longest client identifier URL accepted (a URL this server will fetch). */
export const MAX_CLIENT_ID_URL_LENGTH = 2000;

/**
 * Checks a client identifier URL (draft-ietf-oauth-client-id-metadata-document §3): the `https` scheme, a path
 * component other than `/`, no single- or double-dot path segment, no fragment, no user name or password.
 *
 * @throws MetadataDocumentError `ERR_CIMD_URL_INVALID`.
 */
export function parseClientIdUrl(clientId: string): URL {
  const refuse = (why: string) => new MetadataDocumentError('ERR_CIMD_URL_INVALID', `The client_id URL ${why}.`);
  if (clientId.length > MAX_CLIENT_ID_URL_LENGTH) throw refuse('is too long');
  if (!URL.canParse(clientId)) throw refuse('is not a URL');
  const url = new URL(clientId);
  if (url.protocol !== 'https:') throw refuse('must use https');
  if (url.username !== '' || url.password !== '') throw refuse('must not contain a user name or password');
  if (clientId.includes('#')) throw refuse('must not contain a fragment');
  // Checked on the raw string: the URL parser has already resolved dot segments away.
  const rawPath = clientId.slice(url.origin.length).split(/[?#]/)[0] ?? '';
  if (rawPath === '' || rawPath === '/') throw refuse('must contain a path');
  if (rawPath.split('/').some((segment) => segment === '.' || segment === '..' || /^%2e(%2e)?$/i.test(segment))) {
    throw refuse('must not contain . or .. path segments');
  }
  return url;
}
