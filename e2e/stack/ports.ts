import { connect } from 'node:net';

/** True when something already accepts connections on the port, on IPv4 or IPv6 loopback. */
export async function portInUse(port: number): Promise<boolean> {
  const probe = (host: string) =>
    new Promise<boolean>((resolve) => {
      const socket = connect({ host, port });
      socket.setTimeout(500);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(false));
    });
  const answers = await Promise.all([probe('127.0.0.1'), probe('::1')]);
  return answers.includes(true);
}
