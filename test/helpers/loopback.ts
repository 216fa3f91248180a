/** Servers on 127.0.0.1: a free port to start one on, and waiting until a bot on one is idle. */
import { createServer } from 'node:net';

/** A port free on 127.0.0.1 right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once the bot at `baseUrl` (HTTP mode) handles no request, per its `/healthz`. */
export async function untilIdle(baseUrl: string): Promise<void> {
  // Two idle readings in a row: a request acknowledged a moment ago may not have reached its listener yet.
  for (let idle = 0; idle < 2; ) {
    await new Promise((r) => setTimeout(r, 20));
    const health = (await (await fetch(`${baseUrl}/healthz`)).json()) as { inFlight: number };
    idle = health.inFlight === 0 ? idle + 1 : 0;
  }
}
