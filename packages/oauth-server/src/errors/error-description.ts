// RFC 6749 §5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E (printable ASCII without `"` and `\`).
const OUTSIDE_CHARSET = /[^\x20-\x21\x23-\x5b\x5d-\x7e]/g;

/**
 * Brings a description within RFC 6749 §5.2's `error_description` charset: a quote becomes an apostrophe, any
 * other character outside it (backslash, control, non-ASCII) becomes `?`. Descriptions can quote client input
 * (a repeated parameter's name, say), so every OAuth error passes through here.
 */
export function toErrorDescriptionCharset(description: string): string {
  return description.replaceAll('"', "'").replace(OUTSIDE_CHARSET, '?');
}
