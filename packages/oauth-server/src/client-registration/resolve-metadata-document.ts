/**
 * Clients identified by a Client ID Metadata Document (MCP-AUTH 2025-11-25, draft-ietf-oauth-client-id-metadata-document
 * §4): the `client_id` is an HTTPS URL; the server fetches the document there (or takes it from its cache while the
 * document's HTTP caching allows), checks that the document's `client_id` is exactly that URL, and validates the
 * metadata. The result stands in for a registration.
 */

import { parseClientIdUrl } from './client-id-url.js';
import { ClientMetadataError, type ValidatedClientMetadata, validateClientMetadata } from './client-metadata.js';
import {
  type FetchedMetadataDocument,
  type FetchMetadataDocumentOptions,
  fetchMetadataDocument,
} from './fetch-metadata-document.js';
import { MetadataDocumentError } from './metadata-document-error.js';

/** A client known by its metadata document. */
export interface MetadataDocumentClient {
  clientId: string;
  metadata: ValidatedClientMetadata;
  /** Until when (epoch milliseconds) the document may be used without fetching it again. */
  freshUntil: number;
}

/** Where fetched documents are kept (a table, a map). */
export interface MetadataDocumentCache {
  /** The last accepted document for this `client_id`, fresh or not. */
  find(clientId: string): MetadataDocumentClient | undefined;
  save(client: MetadataDocumentClient): void;
}

/** Options of {@link createMetadataDocumentResolver}. */
export interface MetadataDocumentResolverOptions extends FetchMetadataDocumentOptions {
  cache: MetadataDocumentCache;
  /** Epoch milliseconds. */
  now: () => number;
  /** Replaces the network fetch (tests); receives the checked URL. */
  fetchDocument?: (url: URL) => Promise<FetchedMetadataDocument>;
}

/** Resolves a URL `client_id` to its validated metadata, or throws a {@link MetadataDocumentError}. */
export type MetadataDocumentResolver = (clientId: string) => Promise<MetadataDocumentClient>;

/** Builds the resolver. Concurrent resolutions of one URL share a single fetch. */
export function createMetadataDocumentResolver(options: MetadataDocumentResolverOptions): MetadataDocumentResolver {
  const fetchDocument = options.fetchDocument ?? ((url: URL) => fetchMetadataDocument(url, options));
  const inFlight = new Map<string, Promise<MetadataDocumentClient>>();

  const load = async (clientId: string): Promise<MetadataDocumentClient> => {
    const url = parseClientIdUrl(clientId);
    const { document, cacheSeconds } = await fetchDocument(url);
    // draft-ietf-oauth-client-id-metadata-document §4.1 / MCP-AUTH: the document's client_id MUST equal the URL,
    // compared as strings (RFC 3986 §6.2.1), so a document cannot speak for another client.
    const claimed = typeof document === 'object' && document !== null ? Reflect.get(document, 'client_id') : undefined;
    if (claimed !== clientId) {
      throw new MetadataDocumentError(
        'ERR_CIMD_CLIENT_ID_MISMATCH',
        'The client metadata document names another client_id than its URL.',
      );
    }
    let metadata: ValidatedClientMetadata;
    try {
      metadata = validateClientMetadata(document, 'document');
    } catch (error) {
      if (!(error instanceof ClientMetadataError)) throw error;
      throw new MetadataDocumentError('ERR_CIMD_METADATA_INVALID', `The client metadata document: ${error.message}.`);
    }
    const client = { clientId, metadata, freshUntil: options.now() + cacheSeconds * 1000 };
    options.cache.save(client);
    return client;
  };

  return async (clientId) => {
    const cached = options.cache.find(clientId);
    if (cached !== undefined && cached.freshUntil > options.now()) return cached;
    const pending = inFlight.get(clientId);
    if (pending !== undefined) return pending;
    const loading = load(clientId).finally(() => inFlight.delete(clientId));
    inFlight.set(clientId, loading);
    return loading;
  };
}
