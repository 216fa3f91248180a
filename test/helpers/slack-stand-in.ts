/**
 * A stand-in for Slack's side of the conversation, on 127.0.0.1: the Web API
 * (`/api/<method>`) and `response_url`s (`/respond/<id>`). It records every
 * call and answers like Slack does; a test can make any method fail.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made. */
export interface RecordedCall {
  /** Web API method (`chat.postMessage`), or `respond:<id>` for a response_url. */
  method: string;
  /** Whether the stand-in's answer reached the caller (false when the caller hung up first). */
  answered: boolean;
  /** Parsed body (form fields holding JSON, such as `blocks`, are parsed too). */
  body: Record<string, unknown>;
  authorization: string | undefined;
  at: number;
}

/** What a method answers: a Slack JSON body, and optionally an HTTP status and headers. */
export interface CannedReply {
  status?: number;
  headers?: Record<string, string>;
  body: Record<string, unknown>;
  /** Answer only after this long (to keep a call in flight). */
  delayMs?: number;
  /** Drop the connection instead of answering (the call is recorded: Slack may have acted on it). */
  reset?: boolean;
}

/** The bot user the stand-in's `auth.test` reports. */
export const BOT_USER_ID = 'UBOT0001';

export class SlackStandIn {
  readonly calls: RecordedCall[] = [];
  private readonly replies = new Map<string, (body: Record<string, unknown>) => CannedReply>();
  private server: Server | undefined;
  private ts = 1_700_000_000;

  /** Makes `method` answer with `reply` from now on. */
  on(method: string, reply: CannedReply | ((body: Record<string, unknown>) => CannedReply)): void {
    this.replies.set(method, typeof reply === 'function' ? reply : () => reply);
  }

  /** Makes `method` answer as Slack does when all is well again. */
  off(method: string): void {
    this.replies.delete(method);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      readBody(req).then((raw) => {
        const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
        const method = path.startsWith('/api/')
          ? path.slice('/api/'.length)
          : `respond:${path.slice('/respond/'.length)}`;
        const body = parseBody(raw, req.headers['content-type']);
        const call = {
          method,
          body,
          authorization: req.headers.authorization,
          at: Date.now(),
          answered: false,
        };
        this.calls.push(call);
        const reply = this.replies.get(method)?.(body) ?? this.defaultReply(method, body);
        res.on('finish', () => {
          call.answered = true;
        });
        setTimeout(() => {
          if (res.destroyed) return;
          if (reply.reset) {
            req.socket.destroy();
            return;
          }
          res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
          res.end(JSON.stringify(reply.body));
        }, reply.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get port(): number {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('the stand-in is not started');
    return address.port;
  }

  /** Web API base URL for the bot's client. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A response_url whose calls are recorded as `respond:<id>`. */
  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/respond/${id}`;
  }

  /** Calls of one method (or response_url id, as `respond:<id>`). */
  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Waits until `count` calls of `method` were recorded, and returns them. */
  async waitFor(method: string, count = 1, timeoutMs = 5000): Promise<RecordedCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.callsOf(method).length < count) {
      if (Date.now() > deadline) {
        throw new Error(
          `expected ${count} call(s) of ${method}; got: ${this.calls.map((c) => c.method).join(', ')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.callsOf(method);
  }

  private defaultReply(method: string, body: Record<string, unknown>): CannedReply {
    if (method === 'auth.test') {
      return {
        body: { ok: true, user_id: BOT_USER_ID, bot_id: 'BBOT0001', team_id: 'T0001', user: 'ceasefire' },
      };
    }
    if (method === 'chat.postMessage') {
      this.ts += 1;
      return { body: { ok: true, channel: body.channel, ts: `${this.ts}.000100` } };
    }
    if (method.startsWith('respond:')) return { body: { ok: true } };
    return { body: { ok: true } };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    fields[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return fields;
}
