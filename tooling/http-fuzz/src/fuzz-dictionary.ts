/**
 * What a fuzz run knows about the app under test, so that random requests reach past its first checks: its public
 * origin (the `Host` and `Origin` it accepts), the parameter names and values its routes read, credentials that
 * authenticate (a client's Basic header, an admin token, a bearer token, a session cookie), and the headers it looks
 * at. Every entry is mixed with random and malformed values; none is required.
 */
export interface FuzzDictionary {
  /** The app's public origin, e.g. `http://localhost:3100`: most requests carry its host and origin. */
  readonly origin: string;
  /** Query, form and JSON member names the app reads (`grant_type`, `client_id`, ...). */
  readonly parameterNames?: readonly string[];
  /** Values worth trying (grant types, tokens, ids, URLs of the stack). */
  readonly values?: readonly string[];
  /** Whole `Authorization` header values that authenticate. */
  readonly authorizations?: readonly string[];
  /** Cookies the app reads, by name, with values worth trying (valid sessions among them). */
  readonly cookies?: Readonly<Record<string, readonly string[]>>;
  /** Other request headers the app reads, by lower-case name, with values worth trying. */
  readonly headers?: Readonly<Record<string, readonly string[]>>;
  /**
   * Whole bodies worth trying as they are (JSON-RPC messages, signed Security Events), each with its content type:
   * for a protocol whose messages random members would rarely form.
   */
  readonly bodies?: readonly FuzzBody[];
  /** Values for path parameters (`:id`, `:clientId`): ids that exist, and some that do not. */
  readonly pathValues?: readonly string[];
}

/** A whole request body and its `Content-Type`. */
export interface FuzzBody {
  readonly contentType: string;
  readonly payload: string;
}
