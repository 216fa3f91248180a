/**
 * Slack's side of Socket Mode on 127.0.0.1: a WebSocket server that says
 * `hello` to each connection, delivers envelopes, records the bot's
 * acknowledgements, and can ask the bot to reconnect (`disconnect`) or drop
 * the connection without a word. The Slack stand-in hands out its URL from
 * `apps.connections.open`.
 */
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/** An acknowledgement the bot sent for an envelope. */
export interface Ack {
  envelope_id: string;
  payload?: unknown;
}

export class SocketModeServer {
  readonly acks: Ack[] = [];
  /** Connections opened so far. */
  connections = 0;
  private server: WebSocketServer | undefined;
  private socket: WebSocket | undefined;

  async start(): Promise<void> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.server = server;
    await new Promise((resolve) => server.once('listening', resolve));
    server.on('connection', (ws) => {
      this.connections += 1;
      this.socket = ws;
      ws.on('message', (data) => this.acks.push(JSON.parse(String(data)) as Ack));
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0001' } }));
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    for (const client of server.clients) client.terminate();
    await new Promise((resolve) => server.close(resolve));
  }

  /** The URL `apps.connections.open` returns. */
  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('the Socket Mode server is not started');
    return `ws://127.0.0.1:${address.port}/link`;
  }

  /** Sends an envelope on the open connection and waits until the bot acknowledges it. */
  async deliver(envelope: { envelope_id: string } & Record<string, unknown>): Promise<void> {
    this.socket?.send(JSON.stringify(envelope));
    await until(
      () => this.acks.some((a) => a.envelope_id === envelope.envelope_id),
      `envelope ${envelope.envelope_id} was not acknowledged`,
    );
  }

  /** Asks the bot to reconnect, as Slack does before it recycles a connection. */
  requestReconnect(reason: 'warning' | 'refresh_requested'): void {
    this.socket?.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'loopback' } }));
  }

  /** Drops the connection without closing it properly, after sending `envelope` when given. */
  drop(envelope?: Record<string, unknown>): void {
    const socket = this.socket;
    if (!socket) return;
    if (envelope) socket.send(JSON.stringify(envelope), () => socket.terminate());
    else socket.terminate();
  }

  /** Waits until the bot has opened `count` connections in all (it says hello before each is usable). */
  async waitForConnections(count: number, timeoutMs = 15_000): Promise<void> {
    await until(() => this.connections >= count, `the bot did not connect ${count} time(s)`, timeoutMs);
  }
}

async function until(done: () => boolean, failure: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((r) => setTimeout(r, 10));
  }
}
