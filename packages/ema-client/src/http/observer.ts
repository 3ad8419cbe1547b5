/**
 * The optional observer of the client's HTTP exchanges: each request it sends (discovery, both token endpoints, the
 * MCP server) is reported once, labelled in the flow's words. A flow inspector, a trace exporter or a test plugs in
 * here; the package itself keeps no record and knows nothing of how one is shown.
 *
 * The observer sees the wire as it is: `Authorization` headers, client secrets, subject tokens, ID-JAGs and access
 * tokens included. Redact before showing or storing anything.
 */
import type { FlowParty } from '../errors.js';

/** The fetch signature the client uses (a subset of the global one). */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** The four steps of the flow: discovery (401, RFC 9728, RFC 8414), token exchange, jwt-bearer grant, MCP calls. */
export type FlowStep = 'discovery' | 'token-exchange' | 'jwt-bearer' | 'mcp';

/** What an exchange is, in the flow's words. */
export interface ExchangeLabel {
  step: FlowStep;
  /** Who answered: the IdP, the resource authorization server or the MCP server. */
  party: FlowParty;
  /** A human title, e.g. "Token exchange at the IdP (RFC 8693)". */
  title: string;
}

/** The request of an observed exchange. */
export interface ObservedRequest {
  method: string;
  url: string;
  /** A copy of every header sent. */
  headers: Headers;
  /** The body as sent (form bodies as their urlencoded text); undefined when there was none or it was a stream. */
  body: string | undefined;
}

/** The response of an observed exchange. */
export interface ObservedResponse {
  status: number;
  /** A copy of every header received. */
  headers: Headers;
  /**
   * The body text, read from a copy of the response while the caller reads the original. Present only when the
   * observer asked for bodies ({@link ExchangeObserver.responseBodies}) and the response has one, except the
   * long-lived GET event stream (it may never end). Resolves to undefined when the body could not be read (larger
   * than the client's bound, or the connection failed); never rejects.
   */
  body?: Promise<string | undefined>;
}

/** One request and its answer (or failure). */
export interface ObservedExchange {
  label: ExchangeLabel;
  /** When the request was sent, epoch milliseconds (wall clock). */
  startedAt: number;
  /** Until the response head arrived, or until the request failed. */
  durationMs: number;
  request: ObservedRequest;
  /** Absent when no response arrived. */
  response?: ObservedResponse;
  /** Why no response arrived: `timed out`, or the network error with its cause. */
  failure?: string;
}

/** Receives the client's HTTP exchanges. */
export interface ExchangeObserver {
  /**
   * Whether {@link ObservedResponse.body} is wanted. Reading a body for the observer means copying (teeing) the
   * response stream, so it is done only when asked for.
   */
  readonly responseBodies?: boolean;
  /**
   * Called once per exchange, when its response head has arrived or the request has failed, before the caller
   * sees the outcome. It must not throw; what it throws is ignored, so an observer can never change the flow.
   */
  exchange(exchange: ObservedExchange): void;
}
