import { ConfigError } from './config-error.js';

/** The one named development opt-out: the environment variable that allows `http://` for loopback hosts. */
export const INSECURE_LOOPBACK_OPT_OUT = 'EMA_DEV_ALLOW_INSECURE_LOOPBACK';

function isLoopbackHost(hostname: string): boolean {
  // RFC 8252 §8.3 / RFC 6761 §6.3: localhost names and the loopback address ranges.
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return true;
  if (hostname === '[::1]') return true;
  return /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Fails fast (with {@link ConfigError}) unless `url` is `https:`, or `http:` on a loopback host while the
 * insecure-loopback opt-out is on (RFC 9700 §2.6 / profile "Transport security").
 */
export function checkTransportSecurity(url: string, path: string, options: { allowInsecureLoopback: boolean }): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`${path}: must be a URL`);
  }
  if (parsed.protocol === 'https:') return;
  if (parsed.protocol !== 'http:') throw new ConfigError(`${path}: must be an https URL`);
  if (!isLoopbackHost(parsed.hostname)) throw new ConfigError(`${path}: must use https (http is loopback-only)`);
  if (!options.allowInsecureLoopback) {
    throw new ConfigError(`${path}: http is allowed only for loopback hosts with ${INSECURE_LOOPBACK_OPT_OUT}=1`);
  }
}

/** Logs the loud boot warning that the insecure-loopback development opt-out is on. */
export function warnInsecureOptOut(log: { warn(msg: string): void }, app: string): void {
  log.warn(
    `${app}: ${INSECURE_LOOPBACK_OPT_OUT} is set: plain http is accepted for loopback hosts. ` +
      'This is a development setting; never use it in production.',
  );
}
