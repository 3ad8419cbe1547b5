import {
  isInitializeRequest,
  isJSONRPCErrorResponse,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  JSONRPCMessageSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { isErrorResponse, isInitialize, isRequest, isResponse } from '../../src/mcp/jsonrpc-kind.js';

// Every kind of message, valid and not quite: after `JSONRPCMessageSchema`, the cheap checks must answer exactly as
// the SDK's full parses do.
const CANDIDATES: unknown[] = [
  { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_tickets', arguments: {} } },
  { jsonrpc: '2.0', id: 'a', method: 'tools/list' },
  { jsonrpc: '2.0', id: 0, method: 'ping' },
  {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'c', version: '1' } },
  },
  { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18' } },
  { jsonrpc: '2.0', id: 1, method: 'initialize' },
  { jsonrpc: '2.0', method: 'initialize' },
  { jsonrpc: '2.0', method: 'notifications/initialized' },
  { jsonrpc: '2.0', id: 2, result: {} },
  { jsonrpc: '2.0', id: 2, result: { content: [] } },
  { jsonrpc: '2.0', id: 3, error: { code: -32602, message: 'Invalid params' } },
  { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' } },
  { jsonrpc: '2.0', id: 4, method: 'tools/call', result: {} },
  { jsonrpc: '2.0', id: 5, result: {}, error: { code: 1, message: 'x' } },
  { jsonrpc: '1.0', id: 6, method: 'ping' },
  { id: 7, method: 'ping' },
  { jsonrpc: '2.0', id: null, method: 'ping' },
];

describe('the kind of a parsed JSON-RPC message', () => {
  const parsed = CANDIDATES.flatMap((candidate) => {
    const result = JSONRPCMessageSchema.safeParse(candidate);
    return result.success ? [result.data as JSONRPCMessage] : [];
  });

  it('covers requests, notifications, results and errors', () => {
    expect(parsed.length).toBeGreaterThanOrEqual(10);
    expect(parsed.length).toBeLessThan(CANDIDATES.length);
  });

  it.each(parsed.map((message) => [JSON.stringify(message), message] as const))(
    'agrees with the SDK on %s',
    (_, message) => {
      expect(isRequest(message)).toBe(isJSONRPCRequest(message));
      expect(isResponse(message)).toBe(isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message));
      expect(isErrorResponse(message)).toBe(isJSONRPCErrorResponse(message));
      expect(isInitialize(message)).toBe(isInitializeRequest(message));
    },
  );
});
