import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * A successful tool result: the data as structured content, and the same JSON as text for clients that show text
 * (MCP "Tools", structured content: a tool returning it SHOULD also return it serialized in a text block). Compact:
 * the text goes to a model, and indentation made every `list_tickets` answer a third longer to build and to send.
 */
export function toolResult(data: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(data) }], structuredContent: data };
}

/**
 * A tool error (MCP "Tools" error handling: `isError: true` with a message the model can act on). The message is
 * ours, never an exception's text.
 */
export function toolError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}
