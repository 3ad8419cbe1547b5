/** What a session remembers about one MCP server: connected or not, its tools, the last call and the last problem. */
import type { HumanMessage } from '../pages/messages.js';
import type { ToolView } from '../pages/tool-form.js';

/** The result of the last tool call. */
export interface ToolCallView {
  tool: string;
  arguments: Record<string, unknown>;
  isError: boolean;
  content: unknown[];
  structuredContent?: unknown;
  at: number;
}

/** See the module comment. */
export interface ServerView {
  connected: boolean;
  connectedAt?: number;
  grantedScopes?: string[];
  tools: ToolView[];
  message?: HumanMessage;
  /** The tool the message is about, when it came from a call. */
  messageTool?: string;
  lastCall?: ToolCallView;
}

/** Parses a stored view (stored by this app, so the shape is trusted). */
export function parseServerView(json: string | undefined): ServerView {
  if (json === undefined) return { connected: false, tools: [] };
  return JSON.parse(json) as ServerView;
}
