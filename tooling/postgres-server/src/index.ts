export { findPostgresBinaries } from './binaries.js';
export { PostgresServerError, type PostgresServerErrorCode } from './errors.js';
export { freePort } from './free-port.js';
export { type PostgresServer, type PostgresServerOptions, startPostgresServer } from './postgres-server.js';
export { type RunAsUser, unprivilegedUser } from './unprivileged-user.js';
