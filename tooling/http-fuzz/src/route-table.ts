import type { FastifyInstance } from 'fastify';

/** One route of an app: its path pattern (`/admin/api/users/:id`) and the methods it answers. */
export interface Route {
  readonly path: string;
  readonly methods: readonly string[];
}

// One line of `printRoutes({ commonPrefix: false })`: tree drawing, a path segment, then `(GET, HEAD)` when the node
// is a route. A child's segment continues its parent's path.
const LINE = /^((?:│ {3}| {4})*)(?:├── |└── )(\S.*?)(?: \(([^)]*)\))?$/;

/**
 * Every route of a ready app, from its own route tree (`printRoutes`), so a fuzz run reaches each endpoint the app
 * registers, including those added after the test was written. Call after `app.ready()`.
 */
export function routeTable(app: FastifyInstance): Route[] {
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = LINE.exec(line);
    if (match === null) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = `${stack[depth - 1] ?? ''}${match[2] ?? ''}`;
    stack[depth] = path;
    stack.length = depth + 1;
    const methods = match[3]?.split(', ').filter((method) => method.length > 0);
    if (methods !== undefined && methods.length > 0) routes.push({ path, methods });
  }
  return routes;
}
