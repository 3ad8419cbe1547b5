import type { SignInFailureStorage } from '../session/sign-in-failure-windows.js';
import type { Group, IdpClient, PolicyRule, ProtectedResource, User, UserWithPassword } from './directory-types.js';
import type { Passkey, PasskeyUse, WebAuthnCeremony, WebAuthnChallenge } from './passkey-types.js';
import type { SignInRequest } from './sign-in-types.js';
import type { AuthorizationCode, Grant, IdpAccessToken, IssuedIdToken, RefreshToken, Session } from './token-types.js';

/** New user, as the admin console or the seed creates it. */
export interface NewUser {
  readonly id: string;
  readonly username: string;
  readonly passwordHash: string;
  readonly name: string;
  readonly email: string;
  readonly createdAt: number;
}

/** Fields of a user an admin may change. */
export interface UserChanges {
  readonly name?: string;
  readonly email?: string;
  readonly disabled?: boolean;
  readonly passwordHash?: string;
}

/** Users and groups. */
export interface DirectoryStorage {
  listUsers(): User[];
  findUserById(id: string): User | undefined;
  findUserByUsername(username: string): UserWithPassword | undefined;
  insertUser(user: NewUser): void;
  updateUser(id: string, changes: UserChanges): boolean;
  deleteUser(id: string): boolean;
  listGroups(): Group[];
  findGroup(name: string): Group | undefined;
  insertGroup(name: string, description: string): void;
  deleteGroup(name: string): boolean;
  addMember(groupName: string, userId: string): void;
  removeMember(groupName: string, userId: string): boolean;
}

/** Registered clients. */
export interface ClientStorage {
  listClients(): IdpClient[];
  /** Hot path (every token request): one prepared statement. */
  findClient(clientId: string): IdpClient | undefined;
  insertClient(client: IdpClient): void;
  /** Replaces every field but the id and creation time. */
  replaceClient(client: IdpClient): boolean;
  deleteClient(clientId: string): boolean;
}

/** Protected resources and policy rules. */
export interface PolicyStorage {
  listResources(): ProtectedResource[];
  findResourceById(id: string): ProtectedResource | undefined;
  /** Hot path: look a resource up by its resource identifier (the `resource` parameter). */
  findResourceByIdentifier(resource: string): ProtectedResource | undefined;
  insertResource(resource: ProtectedResource): void;
  replaceResource(resource: ProtectedResource): boolean;
  deleteResource(id: string): boolean;
  listPolicyRules(): PolicyRule[];
  /** Hot path: the rules about one resource (cached; no cache outlives a change, see `dropStaleCaches`). */
  policyRulesForResource(resourceId: string): PolicyRule[];
  findPolicyRule(id: string): PolicyRule | undefined;
  insertPolicyRule(rule: PolicyRule): void;
  replacePolicyRule(rule: PolicyRule): boolean;
  deletePolicyRule(id: string): boolean;
}

/** Sessions, grants, codes and tokens. Secrets are passed in already hashed. */
export interface TokenStorage {
  insertSession(session: Session & { tokenHash: string; createdAt: number }): void;
  /** A live session (not ended, not expired at `now`). */
  findSession(tokenHash: string, now: number): Session | undefined;
  endSession(id: string, at: number): void;
  /**
   * Raises a live session after a further factor (a step-up): its new methods, authentication time and secret
   * (a new cookie value, so a session id planted before the step-up is worthless after it). False when it ended.
   */
  upgradeSession(id: string, upgrade: { tokenHash: string; authTime: number; amr: readonly string[] }): boolean;
  insertGrant(grant: Grant & { createdAt: number }): void;
  findGrant(id: string): Grant | undefined;
  /**
   * Revokes a grant and with it every code and token of its family, recorded ID tokens included (one
   * transaction). Returns false when already revoked.
   */
  revokeGrant(id: string, at: number, reason: string): boolean;
  /**
   * Revokes every unrevoked grant of a user (so their codes, access and refresh tokens) and every recorded ID
   * token of theirs (one transaction); returns how many of each.
   */
  revokeUserGrants(userId: string, at: number, reason: string): { grants: number; idTokens: number };
  /** Ends every live SSO session of a user; returns how many. */
  endUserSessions(userId: string, at: number): number;
  /** The live SSO sessions of a user (not ended, not expired at `now`), newest first. */
  listUserSessions(userId: string, now: number): Session[];
  /** A session by its public id (`sid`), live or not; undefined when unknown. */
  findSessionById(id: string): (Session & { endedAt: number | null }) | undefined;
  /**
   * Revokes every unrevoked grant that came from one SSO session (its codes, access and refresh tokens) and their
   * recorded ID tokens (one transaction): signing out ends what the session issued. Returns how many of each.
   */
  revokeSessionGrants(sessionId: string, at: number, reason: string): { grants: number; idTokens: number };
  insertAuthorizationCode(codeHash: string, code: AuthorizationCode): void;
  findAuthorizationCode(codeHash: string): AuthorizationCode | undefined;
  /** Marks a code used; false when it was used already (atomic, so two redemptions cannot both win). */
  consumeAuthorizationCode(codeHash: string, at: number): boolean;
  insertRefreshToken(tokenHash: string, token: RefreshToken & { createdAt: number }): void;
  findRefreshToken(tokenHash: string): RefreshToken | undefined;
  /** Marks a refresh token rotated; false when it was rotated already (atomic). */
  rotateRefreshToken(tokenHash: string, at: number): boolean;
  insertAccessToken(tokenHash: string, token: IdpAccessToken): void;
  findAccessToken(tokenHash: string): IdpAccessToken | undefined;
}

/** Records of issued ID tokens, so that revocation reaches them (RFC 6749 §4.1.2, RFC 9700 §4.14.2). */
export interface IdTokenStorage {
  /**
   * Records an issued ID token of a grant. The row copies the grant's revocation (and the user's disabled state)
   * in the same statement, so a token minted while its grant is being revoked is born revoked. False when the
   * grant does not exist.
   */
  insertIdToken(token: { jti: string; grantId: string; expiresAt: number }, at: number): boolean;
  /** Hot path (token exchange): one primary-key lookup. */
  findIdToken(jti: string): IssuedIdToken | undefined;
  /** Deletes ID token records that expired before `before` (seconds); returns how many. */
  purgeIdTokens(before: number): number;
}

/** Passkeys (WebAuthn credentials) and the challenges of their ceremonies. */
export interface PasskeyStorage {
  listPasskeys(userId: string): Passkey[];
  /** How many passkeys each user has (users without any are absent). */
  countPasskeysByUser(): Map<string, number>;
  findPasskey(credentialId: string): Passkey | undefined;
  insertPasskey(passkey: Passkey): void;
  /**
   * Records a verified use (WebAuthn L3 §7.2 step 22): the new counter, backup state and time, only if the stored
   * counter is still `previousCounter` (a compare-and-set: two uses cannot both move it from the same value).
   */
  recordPasskeyUse(credentialId: string, use: PasskeyUse): boolean;
  deletePasskey(userId: string, credentialId: string): boolean;
  /** Removes every passkey of a user, and their pending ceremonies; returns how many passkeys. */
  deleteUserPasskeys(userId: string): number;
  /** The user's WebAuthn user handle: the stored one, or `candidate`, stored now, when they have none yet. */
  passkeyUserHandle(userId: string, candidate: string): string;
  /** Stores a ceremony's challenge, replacing any earlier one for the same binding and ceremony. */
  issueChallenge(challenge: WebAuthnChallenge): void;
  /** Takes (deletes and returns) the live challenge of a binding and ceremony: each challenge is used once. */
  takeChallenge(binding: string, ceremony: WebAuthnCeremony, now: number): WebAuthnChallenge | undefined;
}

/** Pending sign-ins (see {@link SignInRequest}). */
export interface SignInRequestStorage {
  insertSignInRequest(request: SignInRequest): void;
  /** A pending request that has not expired at `now`. */
  findSignInRequest(id: string, now: number): SignInRequest | undefined;
  /** Records the session a sign-in made for this request started. */
  setSignInRequestSession(id: string, sessionId: string): void;
  /** Ends a request once answered; false when it was already gone (answered or expired). */
  deleteSignInRequest(id: string): boolean;
  /** Deletes requests and challenges that expired before `before`; returns how many requests. */
  purgeSignInRequests(before: number): number;
}

/** Marks one-off jobs (the demo seed) as done, so a restart does not repeat them. */
export interface SeedStorage {
  hasRun(name: string): boolean;
  /** Records that `name` ran; false when it had been recorded already (one statement: one caller wins). */
  markRun(name: string, at: number): boolean;
}

/** Everything the IdP persists, behind narrow interfaces (the SQLite implementation is one adapter). */
export interface IdpStorage
  extends DirectoryStorage,
    ClientStorage,
    PolicyStorage,
    TokenStorage,
    IdTokenStorage,
    PasskeyStorage,
    SignInRequestStorage,
    SignInFailureStorage,
    SeedStorage {
  /** Runs `work` in one transaction. */
  transaction<T>(work: () => T): T;
  /**
   * Drops the in-memory caches of admin data (clients, resources, policy rules, users) when another connection or
   * process has committed to the database since the last call. Called once per request, before any read.
   */
  dropStaleCaches(): void;
}
