/**
 * The one process launcher of this repository: `pnpm start`, the browser suite and the benchmarks start and stop
 * their processes through it. Roles are data ({@link Role}); a role becomes a {@link ProcessSpec}
 * ({@link appProcess}); specs are launched one by one ({@link launchProcess}) or as a supervised
 * {@link Stack} ({@link createStack}, {@link launchStack}).
 */
export { APP_HEAP_FLAGS, type AppProcessOptions, appProcess, type LaunchMode } from './app-process.js';
export { type BalancerProcessOptions, balancerProcess, haproxyExecutable } from './balancer-process.js';
export { type BannerOptions, demoBanner } from './banner.js';
export { type DemoProcess, type DemoStackOptions, demoStack } from './demo-stack.js';
export {
  type DemoWorldPorts,
  demoWorldEnvironment,
  demoWorldUrls,
  PORT_OFFSET_ENV,
  portOffsetOf,
} from './demo-world-environment.js';
export type { Environment } from './environment.js';
export { StackError, type StackErrorCode } from './errors.js';
export { type ForegroundOptions, runInForeground, type SignalSource } from './foreground.js';
export {
  type BalancedInstance,
  type BalancedService,
  type HaproxyListen,
  haproxyConfig,
} from './haproxy-config.js';
export {
  describeExit,
  type LaunchOptions,
  launchProcess,
  type ProcessExit,
  type RunningProcess,
} from './launch-process.js';
export { prettyLogLine, prettyLogs } from './log-format.js';
export { type OutputMode, TAIL_LINES } from './output.js';
export { freePorts, portInUse, refuseTakenPorts } from './ports.js';
export {
  initPostgresCluster,
  POSTGRES_SUPERUSER,
  postgresAccount,
  postgresBinaries,
} from './postgres-cluster.js';
export { type PostgresProcessOptions, postgresProcess, postgresUrl } from './postgres-process.js';
export type { ProcessSpec, RunAs } from './process-spec.js';
export { REPOSITORY_ROOT } from './repository-root.js';
export { portOf, type RoleAddress, roleAddress } from './role-address.js';
export { DEMO_ROLES, type DemoRoleName, demoRole, type Role } from './roles.js';
export {
  POSTGRES_PORT_ENV,
  type ScaledInstance,
  type ScaledStack,
  type ScaledStackOptions,
  scaledStack,
} from './scaled-stack.js';
export { SSF_LINK_TOKEN_FILE, ssfLinkToken } from './ssf-link-token.js';
export { createStack, launchStack, type Stack, type StackOutcome } from './stack.js';
