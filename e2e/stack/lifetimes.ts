/**
 * The lifetimes the suite shortens by configuration, so that one test can outlive an access token and an ID-JAG
 * (plus the clock tolerance of the parties that check them) within seconds. The stack is started with these, and
 * the tests that wait for expiry read them from here.
 */
export const SHORT_LIFETIMES = {
  /** IdP: lifetime of the ID-JAGs it issues (profile default 300 s). */
  idJagSeconds: 5,
  /** RAS: lifetime of the access tokens it issues (profile default 900 s). */
  accessTokenSeconds: 5,
  /** RAS and MCP server: clock tolerance when checking `exp` / `iat` (profile default 30 s). */
  clockToleranceSeconds: 1,
} as const;

/** The environment overrides, by each app's variable names (`src/env.ts` of each app). */
export function shortLifetimeEnvironment(): Record<string, string> {
  return {
    IDP_ID_JAG_TTL_SECONDS: String(SHORT_LIFETIMES.idJagSeconds),
    RAS_ACCESS_TOKEN_TTL_SECONDS: String(SHORT_LIFETIMES.accessTokenSeconds),
    RAS_CLOCK_TOLERANCE_SECONDS: String(SHORT_LIFETIMES.clockToleranceSeconds),
    MCP_CLOCK_TOLERANCE_SECONDS: String(SHORT_LIFETIMES.clockToleranceSeconds),
  };
}

/** How long to wait so that every token minted before the wait has expired for every party that checks it. */
export function outlivedAfterMs(): number {
  const longest = Math.max(SHORT_LIFETIMES.idJagSeconds, SHORT_LIFETIMES.accessTokenSeconds);
  return (longest + SHORT_LIFETIMES.clockToleranceSeconds + 1) * 1000;
}
