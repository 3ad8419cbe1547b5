/**
 * The two actions on an MCP server, run for a session and remembered in its view of the server: connect and call a
 * tool. A refusal becomes a message on the page, except a request for a stronger sign-in (RFC 9470), which the
 * caller answers with a step-up, once: an action tried again after the step-up shows that refusal as a message.
 */
import { InsufficientUserAuthenticationError } from '@ema/ema-client';
import type { FastifyBaseLogger } from 'fastify';
import type { McpServerEntry } from '../config.js';
import { type AgentHostContext, emaUser } from '../context.js';
import { explain } from '../pages/messages.js';
import type { PendingAction } from '../storage/pending-step-up.js';
import type { AgentSession } from '../storage/session-store.js';
import { appendLater, type FlowRecord, parseFlowRecord } from './flow-record.js';
import { callTool, connect } from './operations.js';
import { parseServerView, type ServerView } from './server-view.js';

/** How an action ended, for the route to answer. */
export type ActionResult =
  /** The view is saved (success or a message): show the server page. */
  | { kind: 'done'; anchor: string }
  /** The message asks to sign in again: the route ends the session. */
  | { kind: 'sign-in-again' }
  /** A stronger or more recent sign-in is asked for: the route starts a step-up, then tries the action again. */
  | { kind: 'step-up'; error: InsufficientUserAuthenticationError };

/** Options of an action. */
export interface ActionOptions {
  /** The action runs again after a step-up: a new request for a stronger sign-in is shown, not answered (no loop). */
  readonly afterStepUp: boolean;
  readonly log: FastifyBaseLogger;
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unknown';
}

/** The session's view of a server. */
export function serverView(context: AgentHostContext, session: AgentSession, serverId: string): ServerView {
  return parseServerView(context.sessions.serverView(session.idHash, serverId));
}

/** Saves the session's view of a server. */
export function saveServerView(context: AgentHostContext, session: AgentSession, serverId: string, view: ServerView) {
  context.sessions.saveServerView(session.idHash, serverId, JSON.stringify(view));
}

/** Connects afresh (the whole flow, recorded for the inspector) and remembers the tools and granted scopes. */
export async function connectAction(
  context: AgentHostContext,
  session: AgentSession,
  server: McpServerEntry,
  options: ActionOptions,
): Promise<ActionResult> {
  const outcome = await connect(context.ema, emaUser(context, session), server);
  const stepUp = outcome.ok ? undefined : asStepUp(outcome.error, options);
  const message = outcome.ok || stepUp !== undefined ? undefined : explain(outcome.error, server.name);
  const record: FlowRecord = {
    serverId: server.id,
    serverName: server.name,
    serverUrl: server.url,
    startedAt: outcome.exchanges[0]?.at ?? context.now(),
    outcome: outcome.ok
      ? { ok: true, summary: `Connected: ${outcome.value.tools.length} tools` }
      : { ok: false, summary: message?.title ?? 'A stronger sign-in is needed' },
    exchanges: outcome.exchanges,
    later: [],
  };
  context.sessions.saveLastFlow(session.idHash, JSON.stringify(record));
  if (!outcome.ok) options.log.info({ server: server.id, code: errorCode(outcome.error) }, 'connection refused');
  if (stepUp !== undefined) return { kind: 'step-up', error: stepUp };
  if (message?.signInAgain) return { kind: 'sign-in-again' };
  saveServerView(
    context,
    session,
    server.id,
    outcome.ok
      ? {
          connected: true,
          connectedAt: context.now(),
          grantedScopes: outcome.value.grantedScopes,
          tools: outcome.value.tools,
        }
      : { connected: false, tools: [], ...(message ? { message } : {}) },
  );
  return { kind: 'done', anchor: '' };
}

/** Calls a tool with the cached token and remembers the result (or the message) on the server's view. */
export async function toolAction(
  context: AgentHostContext,
  session: AgentSession,
  server: McpServerEntry,
  tool: string,
  args: Record<string, unknown>,
  options: ActionOptions,
): Promise<ActionResult> {
  const outcome = await callTool(context.ema, emaUser(context, session), server, tool, args);
  const record = parseFlowRecord(context.sessions.lastFlow(session.idHash));
  if (record?.serverId === server.id) {
    context.sessions.saveLastFlow(session.idHash, JSON.stringify(appendLater(record, outcome.exchanges)));
  }
  const {
    message: _previous,
    messageTool: _previousTool,
    lastCall: _lastCall,
    ...rest
  } = serverView(context, session, server.id);
  if (outcome.ok) {
    saveServerView(context, session, server.id, {
      ...rest,
      grantedScopes: context.ema.cache.last(session.userKey, server.url)?.scopes ?? rest.grantedScopes ?? [],
      lastCall: {
        tool,
        arguments: args,
        isError: outcome.value.isError === true,
        content: outcome.value.content,
        ...(outcome.value.structuredContent !== undefined
          ? { structuredContent: outcome.value.structuredContent }
          : {}),
        at: context.now(),
      },
    });
    return { kind: 'done', anchor: '#result' };
  }
  options.log.info({ server: server.id, tool, code: errorCode(outcome.error) }, 'tool call refused');
  const stepUp = asStepUp(outcome.error, options);
  if (stepUp !== undefined) return { kind: 'step-up', error: stepUp };
  const message = explain(outcome.error, server.name, tool);
  if (message.signInAgain) return { kind: 'sign-in-again' };
  if (message.kind === 'access-revoked') {
    // Cut off: the connection ends here (no token kept, no tools shown), and nothing retries on its own.
    context.ema.forget(session.userKey, server.url);
    saveServerView(context, session, server.id, { connected: false, tools: [], message, messageTool: tool });
    return { kind: 'done', anchor: '' };
  }
  saveServerView(context, session, server.id, { ...rest, message, messageTool: tool });
  return { kind: 'done', anchor: '' };
}

/** Runs a pending action again (after a step-up), without starting another step-up. */
export function retryAction(
  context: AgentHostContext,
  session: AgentSession,
  server: McpServerEntry,
  action: PendingAction,
  log: FastifyBaseLogger,
): Promise<ActionResult> {
  const options = { afterStepUp: true, log };
  return action.kind === 'connect'
    ? connectAction(context, session, server, options)
    : toolAction(context, session, server, action.tool, action.arguments, options);
}

function asStepUp(error: unknown, options: ActionOptions): InsufficientUserAuthenticationError | undefined {
  return error instanceof InsufficientUserAuthenticationError && !options.afterStepUp ? error : undefined;
}
