/**
 * Free text a server keeps (a display name, a nonce it echoes) holds no control character: none is meaningful in
 * them, pages would show them, and PostgreSQL text cannot hold U+0000 at all. Checked where the text comes in, so
 * that both stores refuse it alike, with the error of the endpoint that received it.
 */
export function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** The same rule as a JSON Schema `pattern` (for TypeBox and Ajv, which compile it with the `u` flag). */
export const NO_CONTROL_CHARACTERS_PATTERN = '^[^\\u0000-\\u001F\\u007F]*$';
