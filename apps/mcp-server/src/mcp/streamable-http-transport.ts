/**
 * The server side of MCP's Streamable HTTP transport (MCP "Transports") for one session, on Node's own request and
 * response objects. It does what the SDK's `StreamableHTTPServerTransport` does for a session without an event
 * store, with the same checks and the same answers, but without converting every request into a WHATWG `Request`
 * and every answer into a `Response` and a `ReadableStream` (the SDK's Node class wraps its web-standard one through
 * `@hono/node-server`): that conversion, its abort signals and stream bookkeeping were half of the server's own work
 * per tool call. A POST with requests is answered by one JSON body (the spec lets the server pick JSON or SSE; the
 * client must accept both), a GET opens the stream for server-initiated messages, a DELETE ends the session.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  type JSONRPCMessage,
  JSONRPCMessageSchema,
  type RequestId,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/sdk/types.js';
import {
  JSON_RPC_INVALID_REQUEST,
  JSON_RPC_PARSE_ERROR,
  JSON_RPC_SERVER_ERROR,
  JSON_RPC_SESSION_NOT_FOUND,
  jsonRpcError,
} from './json-rpc-error.js';
import { isInitialize, isRequest, isResponse } from './jsonrpc-kind.js';

/** How the session id is made, and who hears of it. */
export interface StreamableHttpTransportOptions {
  /** MCP "Session Management": a globally unique, cryptographically secure id. */
  sessionIdGenerator: () => string;
  /** Called once the `initialize` request was accepted, with the new session id (before it is answered). */
  onsessioninitialized?: (sessionId: string) => void;
  /** Interval of the `: keepalive` comment on the GET stream, in ms (default 15 s, as the SDK). */
  keepAliveMs?: number;
}

/** The requests of one POST, answered together once every one of them has its response. */
interface PendingPost {
  res: ServerResponse;
  responses: Map<RequestId, JSONRPCMessage | undefined>;
}

type NodeRequest = IncomingMessage & { auth?: AuthInfo };

/** One session's Streamable HTTP transport (see the module comment). */
export class StreamableHttpTransport implements Transport {
  sessionId?: string;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport['onmessage'];
  readonly #options: StreamableHttpTransportOptions;
  readonly #pending = new Map<RequestId, PendingPost>();
  #stream: { res: ServerResponse; keepAlive: NodeJS.Timeout } | undefined;
  #closed = false;

  /** Creates the transport of a session that is not initialized yet. */
  constructor(options: StreamableHttpTransportOptions) {
    this.#options = options;
  }

  /** Nothing to start: connections come with requests. */
  async start(): Promise<void> {}

  /** How many requests wait for their response (0 between requests: nothing outlives an answer). */
  get pendingRequests(): number {
    return this.#pending.size;
  }

  /** Answers one HTTP request of this session; `parsedBody` is the JSON body the framework already parsed. */
  async handleRequest(req: NodeRequest, res: ServerResponse, parsedBody?: unknown): Promise<void> {
    if (this.#closed) return refuse(res, 404, JSON_RPC_SESSION_NOT_FOUND, 'Session not found');
    switch (req.method) {
      case 'POST':
        return this.#post(req, res, parsedBody);
      case 'GET':
        return this.#get(req, res);
      case 'DELETE':
        if (this.#refusedSession(req, res)) return;
        await this.close();
        res.writeHead(200).end();
        return;
      default:
        res.setHeader('allow', 'GET, POST, DELETE');
        return refuse(res, 405, JSON_RPC_SERVER_ERROR, 'Method not allowed.');
    }
  }

  async #post(req: NodeRequest, res: ServerResponse, body: unknown): Promise<void> {
    const accept = req.headers.accept ?? '';
    // MCP "Transports": the client MUST list both application/json and text/event-stream.
    if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
      const message = 'Not Acceptable: Client must accept both application/json and text/event-stream';
      return refuse(res, 406, JSON_RPC_SERVER_ERROR, message);
    }
    const messages = parseMessages(body);
    if (messages === undefined) {
      return refuse(res, 400, JSON_RPC_PARSE_ERROR, 'Parse error: Invalid JSON-RPC message');
    }
    if (messages.some(isInitialize)) {
      if (this.sessionId !== undefined) {
        return refuse(res, 400, JSON_RPC_INVALID_REQUEST, 'Invalid Request: Server already initialized');
      }
      if (messages.length > 1) {
        return refuse(
          res,
          400,
          JSON_RPC_INVALID_REQUEST,
          'Invalid Request: Only one initialization request is allowed',
        );
      }
      this.sessionId = this.#options.sessionIdGenerator();
      this.#options.onsessioninitialized?.(this.sessionId);
    } else if (this.#refusedSession(req, res)) {
      return;
    }
    const extra = {
      requestInfo: { headers: req.headers },
      // The endpoint set `req.auth` from the verified token; the SDK hands it to tool handlers as `extra.authInfo`.
      ...(req.auth === undefined ? {} : { authInfo: req.auth }),
    };
    const requests = messages.filter(isRequest);
    if (requests.length === 0) {
      // Only notifications or responses: 202 Accepted, no body.
      for (const message of messages) this.onmessage?.(message, extra);
      res.writeHead(202).end();
      return;
    }
    const post: PendingPost = { res, responses: new Map(requests.map((request) => [request.id, undefined])) };
    for (const request of requests) this.#pending.set(request.id, post);
    // A client that goes away before its answer leaves nothing behind.
    res.once('close', () => {
      for (const id of post.responses.keys()) if (this.#pending.get(id) === post) this.#pending.delete(id);
    });
    for (const message of messages) this.onmessage?.(message, extra);
  }

  #get(req: NodeRequest, res: ServerResponse): void {
    if (!(req.headers.accept ?? '').includes('text/event-stream')) {
      refuse(res, 406, JSON_RPC_SERVER_ERROR, 'Not Acceptable: Client must accept text/event-stream');
      return;
    }
    if (this.#refusedSession(req, res)) return;
    if (this.#stream !== undefined) {
      refuse(res, 409, JSON_RPC_SERVER_ERROR, 'Conflict: Only one SSE stream is allowed per session');
      return;
    }
    res.writeHead(200, { ...sseHeaders(), ...this.#sessionHeader() });
    res.flushHeaders();
    const keepAlive = setInterval(() => res.write(': keepalive\n\n'), this.#options.keepAliveMs ?? 15_000);
    keepAlive.unref();
    const stream = { res, keepAlive };
    this.#stream = stream;
    res.once('close', () => {
      clearInterval(keepAlive);
      if (this.#stream === stream) this.#stream = undefined;
    });
  }

  /** Sends a message: a response completes its POST; anything unrelated to a request goes on the GET stream. */
  async send(message: JSONRPCMessage, options?: { relatedRequestId?: RequestId }): Promise<void> {
    const response = isResponse(message);
    const requestId = response ? message.id : options?.relatedRequestId;
    if (requestId === undefined) {
      if (response) throw new Error('Cannot send a response on the standalone SSE stream');
      this.#stream?.res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
      return;
    }
    const post = this.#pending.get(requestId);
    if (post === undefined) throw new Error(`No connection established for request ID: ${String(requestId)}`);
    // A notification about a request in progress has no place in a JSON answer; the SDK drops it too.
    if (!response) return;
    post.responses.set(requestId, message);
    const answers = [...post.responses.values()];
    if (answers.some((answer) => answer === undefined)) return;
    for (const id of post.responses.keys()) this.#pending.delete(id);
    const body = JSON.stringify(answers.length === 1 ? answers[0] : answers);
    post.res.writeHead(200, { 'content-type': 'application/json', ...this.#sessionHeader() }).end(body);
  }

  /** Ends the session: the GET stream and any unanswered POST are closed; `onclose` is called once. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#stream !== undefined) {
      clearInterval(this.#stream.keepAlive);
      this.#stream.res.end();
      this.#stream = undefined;
    }
    for (const post of new Set(this.#pending.values())) {
      if (post.res.headersSent) post.res.end();
      else refuse(post.res, 404, JSON_RPC_SESSION_NOT_FOUND, 'Session not found');
    }
    this.#pending.clear();
    this.onclose?.();
  }

  /**
   * MCP "Session Management" and "Protocol Version Header", after initialization: the session id is required and
   * must be this one (404 otherwise: the client starts a new session); an `MCP-Protocol-Version` this server does not
   * support is refused with 400. Answers the refusal and returns true, or returns false.
   */
  #refusedSession(req: NodeRequest, res: ServerResponse): boolean {
    if (this.sessionId === undefined) {
      refuse(res, 400, JSON_RPC_SERVER_ERROR, 'Bad Request: Server not initialized');
      return true;
    }
    const sessionId = req.headers['mcp-session-id'];
    if (sessionId === undefined || sessionId === '') {
      refuse(res, 400, JSON_RPC_SERVER_ERROR, 'Bad Request: Mcp-Session-Id header is required');
      return true;
    }
    if (sessionId !== this.sessionId) {
      refuse(res, 404, JSON_RPC_SESSION_NOT_FOUND, 'Session not found');
      return true;
    }
    const version = req.headers['mcp-protocol-version'];
    if (typeof version === 'string' && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      const supported = SUPPORTED_PROTOCOL_VERSIONS.join(', ');
      const message = `Bad Request: Unsupported protocol version: ${version} (supported versions: ${supported})`;
      refuse(res, 400, JSON_RPC_SERVER_ERROR, message);
      return true;
    }
    return false;
  }

  #sessionHeader(): Record<string, string> {
    return this.sessionId === undefined ? {} : { 'mcp-session-id': this.sessionId };
  }
}

/** The JSON-RPC messages of a body (one message or a batch), or `undefined` when one is not a JSON-RPC message. */
function parseMessages(body: unknown): JSONRPCMessage[] | undefined {
  const items = Array.isArray(body) ? body : [body];
  const messages: JSONRPCMessage[] = [];
  for (const item of items) {
    const parsed = JSONRPCMessageSchema.safeParse(item);
    if (!parsed.success) return undefined;
    messages.push(parsed.data);
  }
  return messages;
}

function sseHeaders(): Record<string, string> {
  return {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  };
}

function refuse(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(jsonRpcError(code, message)));
}
