/**
 * An authentication context class an IdP knows (OIDC Core §2 `acr`), and the RFC 8176 `amr` values that every
 * sign-in satisfying the class carries, so that a rule's required methods can be asked for by class.
 */
export interface AcrClass {
  /** The `acr` value, as in `acr_values` and the `acr` claim. */
  readonly acr: string;
  /** The `amr` values every sign-in that satisfies this class carries (empty: it guarantees none). */
  readonly guarantees: readonly string[];
}

/**
 * The `acr_values` that ask a sign-in for every one of `methods` (RFC 8176 `amr` values): the classes of the IdP's
 * vocabulary whose sign-ins always carry all of them, space-separated, in the vocabulary's order. `acr_values`
 * lists alternatives (OIDC Core §3.1.2.1, RFC 9470 §3: any one of them suffices), so each listed class must on its
 * own guarantee every method. Undefined when no class does: such a requirement cannot be asked for by class, and
 * an IdP should refuse a rule that needs it.
 */
export function acrValuesFor(methods: readonly string[], classes: readonly AcrClass[]): string | undefined {
  const wanted = [...new Set(methods)];
  if (wanted.length === 0) return undefined;
  const fitting = classes.filter((candidate) => wanted.every((method) => candidate.guarantees.includes(method)));
  return fitting.length === 0 ? undefined : fitting.map((candidate) => candidate.acr).join(' ');
}
