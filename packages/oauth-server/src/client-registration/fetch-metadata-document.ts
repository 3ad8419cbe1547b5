/**
 * Fetches a Client ID Metadata Document the way a server must fetch a URL that anyone can choose
 * (draft-ietf-oauth-client-id-metadata-document §6, MCP-AUTH 2025-11-25 "Authorization Server Abuse Protection"):
 * the host name is resolved first and every address checked (public unicast only), then the connection goes to the
 * checked address (pinned, so a second DNS answer cannot swap it for an internal one), with TLS verified against the
 * host name; one GET, no redirects followed, a deadline for the whole exchange and a size limit on the body.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import CachePolicy from 'http-cache-semantics';
import { type AddressPolicy, isPermittedAddress } from './address-policy.js';
import { MetadataDocumentError } from './metadata-document-error.js';

/** Resolves a host name to all its addresses (default: the system resolver, `dns.lookup` with `all`). */
export type ResolveHost = (hostname: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;

/** Limits and trust of {@link fetchMetadataDocument}. */
export interface FetchMetadataDocumentOptions extends AddressPolicy {
  /** Deadline for resolving, connecting, and reading the whole body (default 5000 ms). */
  timeoutMs?: number;
  /** Largest body accepted, in bytes (default 5120: a metadata document is a few hundred bytes). */
  maxBytes?: number;
  /** Upper bound on how long a fetched document is cached, whatever its headers say (default 86400 s). */
  maxCacheSeconds?: number;
  /** Extra trusted CA certificates (PEM); without it the system store plus `NODE_EXTRA_CA_CERTS`. */
  ca?: string | readonly string[];
  resolveHost?: ResolveHost;
}

/** A fetched document: its JSON value and how long it may be cached (RFC 9111 freshness, bounded). */
export interface FetchedMetadataDocument {
  document: unknown;
  cacheSeconds: number;
}

const DEFAULTS = { timeoutMs: 5000, maxBytes: 5120, maxCacheSeconds: 86_400 } as const;

const systemResolver: ResolveHost = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * GETs `url` (already checked by `parseClientIdUrl`) and returns its JSON body.
 *
 * @throws MetadataDocumentError `ERR_CIMD_ADDRESS_REFUSED`, `ERR_CIMD_UNREACHABLE`, `ERR_CIMD_TIMEOUT`,
 * `ERR_CIMD_REDIRECTED`, `ERR_CIMD_STATUS`, `ERR_CIMD_TOO_LARGE`, `ERR_CIMD_NOT_JSON`.
 */
export async function fetchMetadataDocument(
  url: URL,
  options: FetchMetadataDocumentOptions,
): Promise<FetchedMetadataDocument> {
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const deadline = AbortSignal.timeout(timeoutMs);
  const timedOut = () => new MetadataDocumentError('ERR_CIMD_TIMEOUT', 'The client metadata document took too long.');
  const addresses = await withDeadline(checkedAddresses(url, options), deadline, timedOut);
  return withDeadline(get(url, addresses, options, deadline), deadline, timedOut);
}

async function checkedAddresses(
  url: URL,
  options: FetchMetadataDocumentOptions,
): Promise<ReadonlyArray<{ address: string; family: number }>> {
  // URL hostnames of IPv6 literals keep their brackets.
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: ReadonlyArray<{ address: string; family: number }>;
  if (isIP(hostname) !== 0) addresses = [{ address: hostname, family: isIP(hostname) }];
  else {
    try {
      addresses = await (options.resolveHost ?? systemResolver)(hostname);
    } catch (error) {
      throw new MetadataDocumentError('ERR_CIMD_UNREACHABLE', 'The client metadata document host does not resolve.', {
        cause: error,
      });
    }
  }
  // Every address must pass, not just the one picked: a mixed answer is a rebinding attempt or a misconfiguration.
  if (addresses.length === 0 || !addresses.every((entry) => isPermittedAddress(entry.address, options))) {
    throw new MetadataDocumentError(
      'ERR_CIMD_ADDRESS_REFUSED',
      'The client metadata document is on an address this server does not fetch from (private, loopback or link-local).',
    );
  }
  return addresses;
}

function get(
  url: URL,
  checked: ReadonlyArray<{ address: string; family: number }>,
  options: FetchMetadataDocumentOptions,
  deadline: AbortSignal,
): Promise<FetchedMetadataDocument> {
  const maxBytes = options.maxBytes ?? DEFAULTS.maxBytes;
  // Pinned: the connection goes only to addresses checked above, never to a second DNS answer. Node asks for all of
  // them when it races address families (autoSelectFamily), else for one.
  const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
    const [first] = checked;
    if (lookupOptions.all) callback(null, [...checked]);
    else if (first !== undefined) callback(null, first.address, first.family);
  };
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        headers: { accept: 'application/json' },
        lookup,
        agent: false,
        signal: deadline,
        ...(options.ca === undefined ? {} : { ca: [...[options.ca].flat()] }),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const fail = (error: MetadataDocumentError) => {
          res.destroy();
          reject(error);
        };
        // draft-ietf-oauth-client-id-metadata-document §6 / project decision: a redirect is not followed (it could
        // lead to an internal address, and the document's client_id must equal the URL fetched anyway).
        if (status >= 300 && status < 400) {
          return fail(new MetadataDocumentError('ERR_CIMD_REDIRECTED', 'The client metadata document URL redirects.'));
        }
        if (status !== 200) {
          return fail(
            new MetadataDocumentError('ERR_CIMD_STATUS', `The client metadata document answered HTTP ${status}.`),
          );
        }
        if (!isJsonMediaType(res.headers['content-type'])) {
          return fail(new MetadataDocumentError('ERR_CIMD_NOT_JSON', 'The client metadata document is not JSON.'));
        }
        const tooLarge = () =>
          new MetadataDocumentError('ERR_CIMD_TOO_LARGE', `The client metadata document exceeds ${maxBytes} bytes.`);
        if (Number(res.headers['content-length'] ?? 0) > maxBytes) return fail(tooLarge());
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) return fail(tooLarge());
          chunks.push(chunk);
        });
        res.on('error', (error) => reject(unreachable(error)));
        res.on('end', () => {
          if (size > maxBytes) return;
          let document: unknown;
          try {
            document = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            return reject(new MetadataDocumentError('ERR_CIMD_NOT_JSON', 'The client metadata document is not JSON.'));
          }
          resolve({ document, cacheSeconds: cacheSeconds(url, status, res.headers, options) });
        });
      },
    );
    req.on('error', (error) => reject(unreachable(error)));
    req.end();
  });
}

function unreachable(error: Error): MetadataDocumentError {
  return new MetadataDocumentError('ERR_CIMD_UNREACHABLE', 'The client metadata document could not be fetched.', {
    cause: error,
  });
}

function isJsonMediaType(contentType: string | undefined): boolean {
  const essence = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return essence === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(essence);
}

/**
 * MCP-AUTH 2025-11-25: metadata is cached respecting HTTP cache headers (RFC 9111 freshness, as a private cache),
 * bounded by `maxCacheSeconds`; `no-store`, `no-cache` or no freshness information means not cached at all.
 */
function cacheSeconds(
  url: URL,
  status: number,
  headers: IncomingHttpHeaders,
  options: FetchMetadataDocumentOptions,
): number {
  const policy = new CachePolicy(
    { url: url.pathname + url.search, method: 'GET', headers: { host: url.host } },
    { status, headers },
    { shared: false },
  );
  if (!policy.storable()) return 0;
  // Rounded: the policy measures the time since the response by the wall clock, a few milliseconds already.
  const seconds = Math.round(policy.timeToLive() / 1000);
  return Math.max(0, Math.min(seconds, options.maxCacheSeconds ?? DEFAULTS.maxCacheSeconds));
}

async function withDeadline<T>(work: Promise<T>, deadline: AbortSignal, timedOut: () => Error): Promise<T> {
  if (deadline.aborted) throw timedOut();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(timedOut());
    deadline.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    if (onAbort) deadline.removeEventListener('abort', onAbort);
    // The losing promise may still reject (an aborted request): nobody awaits it.
    work.catch(() => undefined);
    aborted.catch(() => undefined);
  }
}
