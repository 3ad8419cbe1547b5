/** The `tools/call` requests of a JSON-RPC request body (MCP "Tools"), as the checks of a resource server see them. */

function calledTool(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { method, params } = message as { method?: unknown; params?: unknown };
  if (method !== 'tools/call' || typeof params !== 'object' || params === null) return undefined;
  const { name } = params as { name?: unknown };
  return typeof name === 'string' ? name : undefined;
}

/** The tool names of the `tools/call` requests in a body (one message or a batch), in order; other methods skipped. */
export function calledTools(body: unknown): string[] {
  return (Array.isArray(body) ? body : [body]).flatMap((message) => {
    const tool = calledTool(message);
    return tool === undefined ? [] : [tool];
  });
}
