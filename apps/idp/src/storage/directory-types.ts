import type { PolicyRule as PolicyRuleModel } from '@ema/policy';

/** A person in the enterprise directory. `id` is the stable subject identifier (`sub`) used in every token. */
export interface User {
  readonly id: string;
  readonly username: string;
  readonly name: string;
  readonly email: string;
  readonly disabled: boolean;
  readonly groups: string[];
  readonly createdAt: number;
}

/** A user together with the stored scrypt hash of their password (never leaves the storage and login code). */
export interface UserWithPassword extends User {
  readonly passwordHash: string;
}

/** A directory group; policy rules name groups. */
export interface Group {
  readonly name: string;
  readonly description: string;
  readonly members: string[];
}

/** A client registered at the IdP (the agent host), with its client id at each RAS it may reach. */
export interface IdpClient {
  readonly clientId: string;
  /** `sha256:<base64url>` of the client secret, or null for a public client. */
  readonly secretHash: string | null;
  readonly name: string;
  readonly redirectUris: string[];
  readonly postLogoutRedirectUris: string[];
  /** Whether this client may obtain ID-JAGs by token exchange (ID-JAG §4.3). */
  readonly mayRequestIdJag: boolean;
  /** RAS issuer -> the client's id at that RAS (ID-JAG §3 `client_id`). */
  readonly rasClientIds: Record<string, string>;
  readonly createdAt: number;
}

/** A protected resource (an MCP server) the IdP knows, and the RAS that serves it (EMA §7.6.1). */
export interface ProtectedResource {
  /** Short stable id used in URLs of the admin console. */
  readonly id: string;
  readonly name: string;
  /** The RAS issuer identifier: the only `audience` accepted for this resource. */
  readonly audience: string;
  /** The resource identifier (RFC 8707 / RFC 9728 `resource`). */
  readonly resource: string;
  readonly scopes: string[];
}

/** A stored admin policy rule: the rule model of `@ema/policy`, and when it was created. */
export interface PolicyRule extends PolicyRuleModel {
  readonly createdAt: number;
}
