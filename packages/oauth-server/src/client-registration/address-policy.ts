/**
 * Which addresses this server may connect to when it fetches a URL a client chose (MCP-AUTH 2025-11-25 "Authorization
 * Server Abuse Protection", draft-ietf-oauth-client-id-metadata-document §6 SSRF): public unicast only. Private,
 * loopback, link-local (cloud metadata services), carrier-grade NAT, multicast, reserved, unspecified and the
 * IPv4-embedding IPv6 ranges are refused; loopback only under the named development opt-out.
 */
import ipaddr from 'ipaddr.js';

/** Options of {@link isPermittedAddress}. */
export interface AddressPolicy {
  /** The development opt-out: loopback addresses (127.0.0.0/8, ::1) are permitted too. */
  allowLoopback: boolean;
}

// IPv6 ranges that carry an IPv4 address (NAT64, 6to4, Teredo, translated): their IPv4 part is checked instead.
const EMBEDDING_RANGES = new Set(['ipv4Mapped', 'rfc6145', 'rfc6052', '6to4', 'teredo']);

/** Whether an IP address (as a resolver returns it) may be connected to. A string that is no address is refused. */
export function isPermittedAddress(address: string, policy: AddressPolicy): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = ipaddr.IPv6.parse(address);
    if (v6.isIPv4MappedAddress()) parsed = v6.toIPv4Address();
    else if (EMBEDDING_RANGES.has(v6.range())) return false;
  }
  const range = parsed.range();
  if (range === 'unicast') return true;
  return policy.allowLoopback && range === 'loopback';
}
