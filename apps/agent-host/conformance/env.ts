/**
 * The one place the conformance entry script reads the environment (house style: `process.env` only in env files).
 * The conformance runner passes the scenario's context as JSON in `MCP_CONFORMANCE_CONTEXT`.
 */

/** The raw JSON of the conformance context, when the runner set it. */
export function conformanceContextJson(): string | undefined {
  return process.env.MCP_CONFORMANCE_CONTEXT;
}
