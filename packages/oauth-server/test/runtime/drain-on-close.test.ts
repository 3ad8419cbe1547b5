import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { drainOnClose } from '../../src/runtime.js';

describe('drainOnClose', () => {
  it('[KIT-DRAIN-ON-CLOSE] finishes the response in flight, then closes its keep-alive connection and the server', async () => {
    const app = Fastify();
    drainOnClose(app);
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    app.get('/slow', async () => {
      arrived();
      await released;
      return { done: true };
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;

    // A keep-alive client, as undici and every HTTP client pool is: it would hold the connection open for as long as
    // the server's Keep-Alive timeout (72 s).
    const agent = new Agent({ keepAlive: true });
    let socketClosed!: Promise<void>;
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/slow', agent }, (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('socket', (socket) => {
        socketClosed = new Promise((resolve) => socket.once('close', () => resolve()));
      });
      req.on('error', reject);
      req.end();
    });
    await requestArrived;
    const closed = app.close();
    // The response is sent only after the server stopped listening: Node closed the connections idle at that moment,
    // and this one was busy.
    while (app.server.listening) await new Promise((resolve) => setImmediate(resolve));
    release();

    expect(await response).toEqual({ status: 200, body: '{"done":true}' });
    // The server, not the client, ended the connection, and the close did not wait for the keep-alive timeout.
    await Promise.all([closed, socketClosed]);
    agent.destroy();
  });
});
