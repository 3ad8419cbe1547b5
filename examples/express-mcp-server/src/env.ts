/** The only reader of `process.env`: the NOTES_* variables and the shared development opt-out. */
import type { NotesServerConfigInput } from './config.js';

/** The name of the development opt-out every app of this repository reads. */
export const INSECURE_LOOPBACK_OPT_OUT = 'EMA_DEV_ALLOW_INSECURE_LOOPBACK';

/** Reads the configuration overrides from the environment; unset variables keep the defaults of `config.ts`. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): NotesServerConfigInput {
  const port = env.NOTES_PORT;
  return {
    port: port === undefined || port === '' ? undefined : Number(port),
    host: env.NOTES_HOST || undefined,
    resource: env.NOTES_RESOURCE || undefined,
    authorizationServer: env.NOTES_AUTHORIZATION_SERVER || undefined,
    rasJwksUri: env.NOTES_RAS_JWKS_URI || undefined,
    allowInsecureLoopback: env[INSECURE_LOOPBACK_OPT_OUT] === '1',
  };
}
