/**
 * The authentication context class reference (OIDC Core §2 `acr`) this IdP names for a sign-in that used every one
 * of `methods` (RFC 8176 `amr` values). OIDC leaves ACR values to the parties to agree on; this IdP's vocabulary is
 * the required methods, sorted, joined with `+` (`mfa`, `hwk+mfa`). One value stands for the whole set because
 * `acr_values` lists alternatives (RFC 9470 §3: any one of them suffices), while a rule requires all its methods.
 */
export function acrForMethods(methods: readonly string[]): string {
  return [...new Set(methods)].sort().join('+');
}
