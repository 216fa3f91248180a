/**
 * A load balancer for the load test: a loopback HTTP proxy that hands each
 * request to the next of its targets in turn, as a round-robin balancer in
 * front of bot replicas does. Bodies stream through unchanged (Slack's
 * signature covers them); a target that cannot be reached answers 502.
 */
import { Agent, createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running proxy. */
export interface RoundRobinProxy {
  /** `http://127.0.0.1:<port>`. */
  baseUrl: string;
  /** Requests handed to each target so far, in the order of `targetPorts`. */
  forwarded: number[];
  stop(): Promise<void>;
}

/** Headers of one connection, not of the request: the proxy keeps its own connections to the targets. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade']);

/** Starts a proxy on 127.0.0.1 (a free port) in front of servers on 127.0.0.1 at `targetPorts`. */
export async function startRoundRobinProxy(targetPorts: readonly number[]): Promise<RoundRobinProxy> {
  if (targetPorts.length === 0) throw new Error('the proxy needs at least one target');
  // Connections to the targets are kept open and reused, as a balancer's upstream pool does.
  const agent = new Agent({ keepAlive: true });
  const forwarded = targetPorts.map(() => 0);
  let next = 0;
  const server: Server = createServer((req, res) => {
    const index = next++ % targetPorts.length;
    forwarded[index] = (forwarded[index] ?? 0) + 1;
    const upstream = request(
      {
        host: '127.0.0.1',
        port: targetPorts[index],
        method: req.method,
        path: req.url,
        headers: endToEnd(req.headers),
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    forwarded,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

/** The headers without the hop-by-hop ones. */
function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}
