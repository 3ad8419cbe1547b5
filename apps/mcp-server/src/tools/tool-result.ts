import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** A successful tool result: the data as structured content, and the same JSON as text for clients that show text. */
export function toolResult(data: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(data, null, 2) }], structuredContent: data };
}

/**
 * A tool error (MCP "Tools" error handling: `isError: true` with a message the model can act on). The message is
 * ours, never an exception's text.
 */
export function toolError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}
