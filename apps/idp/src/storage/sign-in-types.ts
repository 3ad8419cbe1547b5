/**
 * What a sign-in must achieve before the IdP answers the request that started it (OIDC Core §3.1.2.1 `prompt`,
 * `max_age` and `acr_values`, or the account page's own requirement).
 */
export interface SignInRequirement {
  /** The authentication context class the session must satisfy (`acr_values`), or null for any. */
  readonly acr: string | null;
  /** The sign-in may be at most this old (`max_age`), or null for any age. */
  readonly maxAgeSeconds: number | null;
  /** Only a sign-in made for this very request counts (`prompt=login`, `prompt=select_account`). */
  readonly reauthenticate: boolean;
}

/** What to do once the sign-in is complete: answer an authorization request, or go back to an IdP page. */
export type SignInTarget =
  | { readonly kind: 'authorization'; readonly parameters: Readonly<Record<string, string>> }
  | { readonly kind: 'return'; readonly path: string };

/**
 * A pending sign-in (an "interaction"): the validated request the sign-in pages work for, kept server-side so the
 * forms carry only its id. The sign-in form's CSRF token is derived for this id, so a token from one request's form
 * is worthless on another's.
 */
export interface SignInRequest {
  /** Unguessable (128 bits or more): it is in the pages' forms. */
  readonly id: string;
  readonly target: SignInTarget;
  readonly requirement: SignInRequirement;
  /** The session a sign-in made for this request started (what `reauthenticate` asks for), if any yet. */
  readonly sessionId: string | null;
  readonly createdAt: number;
  readonly expiresAt: number;
}
