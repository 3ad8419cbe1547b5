import { join } from 'node:path';
import { appProcess, type LaunchMode } from './app-process.js';
import { demoWorldEnvironment, portOffsetOf } from './demo-world-environment.js';
import type { Environment } from './environment.js';
import type { ProcessSpec } from './process-spec.js';
import { type RoleAddress, roleAddress } from './role-address.js';
import { DEMO_ROLES, type Role } from './roles.js';

/** How to run the demo stack. */
export interface DemoStackOptions {
  /** The environment the apps inherit (usually `process.env` plus overrides); role addresses are read from it. */
  readonly env: Environment;
  /** Each app keeps its data in `<dataRoot>/<role name>`, unless its data directory variable is set. */
  readonly dataRoot: string;
  /** Default `dist`. */
  readonly mode?: LaunchMode;
  /** Default: this repository. */
  readonly repositoryRoot?: string;
  /** Default: the four demo roles. */
  readonly roles?: readonly Role[];
  /**
   * The token linking the demo RAS's event stream to the IdP ({@link ssfLinkToken}), given to both unless the
   * environment sets `IDP_DEMO_SSF_RECEIVER_TOKEN` / `RAS_SSF_TRANSMITTER_TOKEN`. Without it the RAS receives no
   * revocation events.
   */
  readonly ssfLinkToken?: string;
}

/** One app of the demo stack: its role, where it is reached, and the process that runs it. */
export interface DemoProcess {
  readonly role: Role;
  readonly address: RoleAddress;
  readonly spec: ProcessSpec;
}

/**
 * The demo stack's processes, in start order, at the ports `EMA_PORT_OFFSET` asks for (default: the demo ports).
 * Each app gets the environment, plus defaults for what it is not given:
 * `NODE_ENV=production`, its data directory under the data root, and the named development opt-out
 * `EMA_DEV_ALLOW_INSECURE_LOOPBACK=1`, since the demo runs on http://localhost, which the apps refuse otherwise (each
 * app warns about it at boot). Throws `NOT_BUILT` or `INVALID_SETTING` before anything starts.
 */
export function demoStack(options: DemoStackOptions): DemoProcess[] {
  // EMA_PORT_OFFSET moves the whole world (each role's URL and every reference between roles); explicit variables win.
  const link = options.ssfLinkToken;
  const env: Environment = {
    ...demoWorldEnvironment(portOffsetOf(options.env)),
    ...(link === undefined ? {} : { IDP_DEMO_SSF_RECEIVER_TOKEN: link, RAS_SSF_TRANSMITTER_TOKEN: link }),
    ...options.env,
  };
  return (options.roles ?? DEMO_ROLES).map((role) => {
    const address = roleAddress(role, env);
    const appEnv: Record<string, string | undefined> = {
      ...env,
      NODE_ENV: env.NODE_ENV ?? 'production',
      EMA_DEV_ALLOW_INSECURE_LOOPBACK: env.EMA_DEV_ALLOW_INSECURE_LOOPBACK ?? '1',
    };
    if (role.dataDirEnv !== undefined)
      appEnv[role.dataDirEnv] = env[role.dataDirEnv] ?? join(options.dataRoot, role.name);
    const spec = appProcess(role, {
      env: appEnv,
      url: address.localUrl,
      ...(options.mode === undefined ? {} : { mode: options.mode }),
      ...(options.repositoryRoot === undefined ? {} : { repositoryRoot: options.repositoryRoot }),
    });
    return { role, address, spec };
  });
}
