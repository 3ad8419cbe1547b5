/** Transport security of the URLs the client follows (RFC 9700 §2.6, MCP-AUTH "Communication Security"). */
import { InsecureUrlError } from '../errors.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** How strict the client is about plain-http URLs. */
export interface TransportSecurityOptions {
  /** The named development opt-out: plain http is allowed for loopback hosts only. */
  allowInsecureLoopback: boolean;
}

/**
 * Refuses any URL that is not https, except loopback URLs under the named development opt-out. Applied to every
 * URL discovery hands us, since a metadata document could otherwise send credentials in clear text.
 */
export function requireSecureUrl(url: string, options: TransportSecurityOptions): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InsecureUrlError(url);
  }
  if (parsed.protocol === 'https:') return parsed;
  if (parsed.protocol === 'http:' && options.allowInsecureLoopback && LOOPBACK_HOSTS.has(parsed.hostname))
    return parsed;
  throw new InsecureUrlError(url);
}
