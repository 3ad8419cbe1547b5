import type { FastifyInstance } from 'fastify';

/** How often a closing server looks for connections that have become idle (milliseconds). */
const DRAIN_INTERVAL_MS = 50;

/**
 * Lets `app.close()` finish as soon as the last response in flight is sent. Node's `server.close()` closes the
 * keep-alive connections that are idle at that moment and then waits for the others; a connection whose response was
 * still being written becomes idle a moment later and is kept open until its keep-alive timeout (72 s in Fastify), so
 * one request that happened to be in flight at shutdown (a Security Event delivery, a token request) held the whole
 * process up for over a minute. Here, from `preClose` until the server has closed, idle connections are closed as
 * they appear: no response is cut short and no connection outlives its last response.
 */
export function drainOnClose(app: FastifyInstance): void {
  let timer: NodeJS.Timeout | undefined;
  app.addHook('preClose', (done) => {
    timer = setInterval(() => app.server.closeIdleConnections(), DRAIN_INTERVAL_MS);
    timer.unref();
    done();
  });
  app.addHook('onClose', (_instance, done) => {
    clearInterval(timer);
    done();
  });
}
