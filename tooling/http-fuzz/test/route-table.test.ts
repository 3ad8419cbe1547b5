import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { routeTable } from '../src/index.js';

describe('routeTable', () => {
  it("lists every route of an app with its methods, nested paths and parameters included, from the app's own tree", async () => {
    const app = Fastify();
    app.get('/healthz', async () => 'ok');
    app.post('/token', async () => 'ok');
    app.route({ method: ['GET', 'PUT'], url: '/admin/api/users/:id', handler: async () => 'ok' });
    await app.register(
      async (scope) => {
        scope.delete('/clients/:clientId/secret', async () => 'ok');
        scope.get('/clients', async () => 'ok');
      },
      { prefix: '/admin/api' },
    );
    await app.ready();
    const routes = routeTable(app);
    expect(routes).toEqual(
      expect.arrayContaining([
        { path: '/healthz', methods: ['GET', 'HEAD'] },
        { path: '/token', methods: ['POST'] },
        { path: '/admin/api/users/:id', methods: ['GET', 'PUT', 'HEAD'] },
        { path: '/admin/api/clients', methods: ['GET', 'HEAD'] },
        { path: '/admin/api/clients/:clientId/secret', methods: ['DELETE'] },
      ]),
    );
    expect(routes).toHaveLength(5);
    await app.close();
  });
});
