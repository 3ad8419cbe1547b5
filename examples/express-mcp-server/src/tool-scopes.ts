import type { ToolScopes } from '@ema/resource-server';

/**
 * The scopes of "Team Notes" and which tool needs which: the one table behind `scopes_supported` in the metadata,
 * the `403 insufficient_scope` challenge at the HTTP layer and the check inside each tool.
 */
export const NOTES_TOOL_SCOPES = {
  scopesSupported: ['notes.read', 'notes.write'],
  tools: {
    list_notes: ['notes.read'],
    add_note: ['notes.write'],
  },
} as const satisfies ToolScopes;

/** A tool of this server. */
export type NotesTool = keyof typeof NOTES_TOOL_SCOPES.tools;
