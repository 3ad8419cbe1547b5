/**
 * Entry point of the MCP peer process (`sdk-mcp-app.ts`): configured by the `PEER_MCP_*` variables the harness sets,
 * listens on loopback, closes on SIGTERM.
 */
import { buildSdkMcpPeer } from './sdk-mcp-app.js';
import { openTicketReader } from './ticket-reader.js';

const required = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
};

const port = Number(required('PEER_MCP_PORT'));
const app = buildSdkMcpPeer({
  issuer: required('PEER_MCP_ISSUER'),
  jwksUri: required('PEER_MCP_JWKS_URI'),
  resource: required('PEER_MCP_RESOURCE'),
  tickets: openTicketReader(required('PEER_MCP_TICKETS_DATABASE')),
});
const server = app.listen(port, 'localhost');

const close = (): void => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', close);
process.on('SIGINT', close);
