import { InvalidRequestError } from '../errors/token-errors.js';
import { formUrlDecode } from '../lib/form-url-decode.js';

/** Options of {@link parseFormBody}. */
export interface ParseFormBodyOptions {
  /** More parameters than this is refused as `invalid_request` (default 64). */
  maxParameters?: number;
}

const DEFAULT_MAX_PARAMETERS = 64;

/**
 * Parses an `application/x-www-form-urlencoded` body into a map. RFC 6749 §3.2: a parameter MUST NOT be
 * included more than once (`invalid_request`), and a parameter sent without a value is treated as omitted.
 * Malformed percent-encoding and too many parameters are `invalid_request` too.
 */
export function parseFormBody(body: string, options: ParseFormBodyOptions = {}): Map<string, string> {
  const maxParameters = options.maxParameters ?? DEFAULT_MAX_PARAMETERS;
  const params = new Map<string, string>();
  // Names seen with an empty value: omitted from the result, but still count as "included" for repetition.
  let empty: Set<string> | undefined;
  let count = 0;
  let start = 0;
  const length = body.length;
  while (start <= length) {
    let end = body.indexOf('&', start);
    if (end === -1) end = length;
    if (end > start) {
      count += 1;
      if (count > maxParameters) throw new InvalidRequestError('too many parameters');
      const pair = body.slice(start, end);
      const eq = pair.indexOf('=');
      const name = formUrlDecode(eq === -1 ? pair : pair.slice(0, eq));
      const value = eq === -1 ? '' : formUrlDecode(pair.slice(eq + 1));
      if (name === undefined || value === undefined) throw new InvalidRequestError('malformed form body');
      if (params.has(name) || empty?.has(name)) {
        // The name is client input: OAuthError confines it to RFC 6749 §5.2's error_description charset.
        throw new InvalidRequestError(`parameter '${name.slice(0, 64)}' is repeated`);
      }
      if (value !== '') params.set(name, value);
      else {
        empty ??= new Set();
        empty.add(name);
      }
    }
    start = end + 1;
  }
  return params;
}
