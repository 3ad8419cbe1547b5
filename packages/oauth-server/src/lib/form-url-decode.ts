const NEEDS_DECODING = /[+%]/;

/**
 * Decodes one `application/x-www-form-urlencoded` component (WHATWG URL §5.1): `+` is a space, then
 * percent-decoding as UTF-8. Returns `undefined` for a malformed percent sequence or invalid UTF-8.
 */
export function formUrlDecode(value: string): string | undefined {
  // Hot path: most token-endpoint values (JWTs, URLs without query strings) contain neither `+` nor `%`: one scan.
  if (!NEEDS_DECODING.test(value)) return value;
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}
