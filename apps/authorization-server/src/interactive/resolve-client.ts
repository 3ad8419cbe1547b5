/**
 * Which client an authorization request names: a `client_id` that is an HTTPS URL names a Client ID Metadata
 * Document (fetched, or taken from its cache while fresh); any other is a client registered here by RFC 7591. The EMA
 * clients of the registry are neither: they redeem ID-JAGs and never sign users in here.
 */
import {
  createMetadataDocumentResolver,
  isClientIdMetadataDocumentUrl,
  MetadataDocumentError,
} from '@ema/oauth-server';
import type { RasContext } from '../context.js';
import type { ClientResolution } from './interactive-context.js';

/** Options of {@link createClientResolver}. */
export interface ClientResolverOptions {
  /** Extra trusted CA certificates (PEM) for metadata documents; production uses the system store and NODE_EXTRA_CA_CERTS. */
  metadataDocumentCa?: string;
}

/** Builds the resolver once (its metadata document cache is the `interactive_clients` table). */
export function createClientResolver(
  ctx: RasContext,
  options: ClientResolverOptions = {},
): (clientId: string) => Promise<ClientResolution> {
  const { config, storage, now } = ctx;
  const documents = config.interactive.clientIdMetadataDocuments;
  const resolveDocument = createMetadataDocumentResolver({
    cache: storage.interactive.clients,
    now,
    // The development opt-out also lets a document live on this machine (loopback); never a private address.
    allowLoopback: config.allowInsecureLoopback,
    timeoutMs: documents.timeoutMs,
    maxBytes: documents.maxBytes,
    maxCacheSeconds: documents.maxCacheSeconds,
    ...(options.metadataDocumentCa === undefined ? {} : { ca: options.metadataDocumentCa }),
  });
  return async (clientId) => {
    if (isClientIdMetadataDocumentUrl(clientId)) {
      if (!documents.enabled) {
        return {
          ok: false,
          reason: 'ERR_CIMD_DISABLED',
          description: 'This server does not accept client metadata documents.',
        };
      }
      try {
        const { metadata } = await resolveDocument(clientId);
        return { ok: true, client: { clientId, kind: 'metadata_document', secretHash: null, metadata } };
      } catch (error) {
        if (error instanceof MetadataDocumentError)
          return { ok: false, reason: error.code, description: error.message };
        throw error;
      }
    }
    const client = storage.interactive.clients.findDynamicClient(clientId);
    if (client === undefined) {
      return {
        ok: false,
        reason: 'ERR_CLIENT_UNKNOWN',
        description: 'The application (client_id) is not registered at this server.',
      };
    }
    return { ok: true, client };
  };
}
