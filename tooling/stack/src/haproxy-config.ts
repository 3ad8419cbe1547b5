/**
 * The HAProxy configuration of the scaled stack, generated: one frontend per balanced role on its public port, one
 * backend holding the role's instances, health checks on each instance's health path.
 */

/**
 * The address the balancer reaches its instances from: it connects to them on IPv4 loopback, so this is the peer
 * address every instance sees, the one its `<ROLE>_TRUSTED_PROXIES` must name for `X-Forwarded-For` to be believed.
 */
export const BALANCER_ADDRESS = '127.0.0.1';

/** One instance behind a balancer. */
export interface BalancedInstance {
  /** Its process name (`idp-1`): the server name in HAProxy's logs and statistics. */
  readonly name: string;
  /** Where it listens on 127.0.0.1 ({@link BALANCER_ADDRESS}). */
  readonly port: number;
}

/** A role served by several instances behind one public port. */
export interface BalancedService {
  /** The frontend and backend name (`idp`). */
  readonly name: string;
  /** The public port the balancer listens on (the role's demo port). */
  readonly port: number;
  readonly instances: readonly BalancedInstance[];
  /** `GET` of this path answers 200 on a healthy instance (`/healthz`). */
  readonly healthPath: string;
  /**
   * A response header that names state kept in one instance's memory (`Mcp-Session-Id`): the balancer learns each
   * value from the response that created it and sends requests carrying it back to that instance while it is up. A
   * value no instance answered with (made up by a client) is never stored, so it pins nothing.
   */
  readonly stickyHeader?: string;
}

/** Where the balancer listens. */
export interface HaproxyListen {
  /** Also listen on IPv6 loopback: `localhost` resolves to `::1` first on many machines. */
  readonly ipv6: boolean;
}

/**
 * The configuration text. Choices, each for the scaled stack's tests and demo:
 * - round robin, with an instance taken out after two failed checks 1 s apart and back after one success;
 * - a request that could not reach an instance (connection refused: it was killed) is sent to another one
 *   (`retry-on conn-failure`, `option redispatch`); a request an instance received is never sent twice, since a
 *   token request is not idempotent;
 * - `X-Forwarded-For` added, so an app that trusts the balancer ({@link BALANCER_ADDRESS} in its
 *   `<ROLE>_TRUSTED_PROXIES`) sees the client's address;
 * - only abnormal requests logged (`dontlog-normal`), to stderr, which the launcher prefixes with `[balancer]`.
 */
export function haproxyConfig(services: readonly BalancedService[], listen: HaproxyListen): string {
  const lines = [
    'global',
    '  log stderr format raw local0 info',
    '  maxconn 4096',
    '',
    'defaults',
    '  mode http',
    '  log global',
    '  option httplog',
    '  option dontlog-normal',
    '  option dontlognull',
    '  option forwardfor',
    '  option redispatch',
    '  retries 3',
    '  retry-on conn-failure',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  timeout http-request 10s',
    '  default-server inter 1s fastinter 500ms fall 2 rise 1',
  ];
  for (const service of services) {
    lines.push(
      '',
      `frontend ${service.name}`,
      `  bind 127.0.0.1:${service.port}`,
      ...(listen.ipv6 ? [`  bind [::1]:${service.port}`] : []),
      `  default_backend ${service.name}`,
      '',
      `backend ${service.name}`,
      '  balance roundrobin',
      '  option httpchk',
      // Each app checks Host; a loopback app accepts every loopback name (check-host-and-origin.ts).
      `  http-check send meth GET uri ${service.healthPath} ver HTTP/1.1 hdr Host localhost`,
      '  http-check expect status 200',
    );
    if (service.stickyHeader !== undefined) {
      const header = service.stickyHeader.toLowerCase();
      lines.push(
        '  stick-table type string len 128 size 100k expire 1h',
        `  stick match req.hdr(${header})`,
        `  stick store-response res.hdr(${header})`,
      );
    }
    for (const instance of service.instances)
      lines.push(`  server ${instance.name} ${BALANCER_ADDRESS}:${instance.port} check`);
  }
  return `${lines.join('\n')}\n`;
}
