/** A configuration error; the message starts with the option's path, e.g. `"issuer: must be a URL"`. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
