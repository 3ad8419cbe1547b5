/**
 * The DPoP keys of the client (RFC 9449 §2): one ES256 key per connection, that is per (user, MCP server). The same
 * key signs the proof of the token exchange (the ID-JAG is bound to it), of the jwt-bearer grant (the access token
 * is bound to it) and of every MCP request. A host keeps them where it keeps its tokens (the agent host: sealed in
 * its database); {@link createMemoryDpopKeys} keeps them in memory.
 */
import { generateKeyPair, type KeyPair } from 'dpop';

/** A DPoP key pair (WebCrypto keys; the private key need not be extractable). */
export type DpopKeyPair = KeyPair;

/** Where the client finds the DPoP key of a connection. */
export interface DpopKeys {
  /** The key of (user, server), created on first use. */
  keyFor(userKey: string, serverUrl: string): Promise<DpopKeyPair>;
  /** Drops the key of (user, server), or every key of the user: the next connection gets a new key. */
  forget(userKey: string, serverUrl?: string): void;
}

/** A new ES256 DPoP key pair (RFC 9449 §11.6: an asymmetric algorithm; ES256 is what every server here accepts). */
export function generateDpopKeyPair(options: { extractable?: boolean } = {}): Promise<DpopKeyPair> {
  return generateKeyPair('ES256', { extractable: options.extractable === true });
}

/** DPoP keys in memory (non-extractable), for one process. */
export function createMemoryDpopKeys(): DpopKeys {
  const keys = new Map<string, Promise<DpopKeyPair>>();
  return {
    keyFor(userKey, serverUrl) {
      const id = `${userKey}\n${serverUrl}`;
      let key = keys.get(id);
      if (key === undefined) {
        key = generateDpopKeyPair();
        keys.set(id, key);
      }
      return key;
    },
    forget(userKey, serverUrl) {
      if (serverUrl !== undefined) keys.delete(`${userKey}\n${serverUrl}`);
      else for (const id of keys.keys()) if (id.startsWith(`${userKey}\n`)) keys.delete(id);
    },
  };
}
