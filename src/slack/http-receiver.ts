/**
 * HTTP mode: Bolt's own `HTTPReceiver` does the routing, behind a server
 * that refuses what it should not see. Bolt checks the signature and that
 * the timestamp is not more than 5 minutes old; this receiver also refuses
 * timestamps more than 5 minutes in the future (a replay window Bolt leaves
 * open), answers malformed bodies with 400 instead of letting them reach
 * code that assumes Slack's shapes, serves `GET /healthz`, and stops taking
 * requests when the bot shuts down. Every request is answered at once: a
 * body of no kind Slack sends gets 400, and one that no listener takes (a
 * button of an older version, say) an empty 200, where Bolt would hold it
 * for 3 seconds and then answer 404.
 *
 * Serving many workspaces, it also serves Bolt's OAuth pages: `GET
 * /slack/install` (the Add to Slack page) and `GET /slack/oauth_redirect`
 * (where Slack sends the installer back with a code to exchange for the
 * workspace's token). The install's `state` is signed with the state secret
 * and travels with the browser (a cookie and the redirect), not in memory,
 * so an install started on one process can finish on another.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type App,
  type Authorize,
  type BufferedIncomingMessage,
  defaultBodyLimit,
  HTTPModuleFunctions,
  HTTPReceiver,
  type HTTPReceiverOptions,
  type InstallationStore,
  type Logger,
  type Receiver,
  type ReceiverProcessEventErrorHandlerArgs,
  type webApi,
} from '@slack/bolt';
import type { OAuthConfig } from '../config.js';
import { acknowledgingUnhandled } from './acknowledge-unhandled.js';
import { INSTALL_SCOPES } from './scopes.js';

/** Where Slack sends events, commands and interactions. */
export const EVENTS_PATH = '/slack/events';
/** The Add to Slack page (many workspaces). */
export const INSTALL_PATH = '/slack/install';
/** Where Slack sends whoever installs back: the OAuth redirect URL to set in the app's settings. */
export const REDIRECT_PATH = '/slack/oauth_redirect';
/** Liveness and readiness probe. */
const HEALTH_PATH = '/healthz';
/** How far a request's timestamp may be from now, either way (Slack's rule). */
const MAX_CLOCK_SKEW_SECONDS = 5 * 60;
/** `type`s of the interaction payloads Slack posts (events carry `event`, slash commands `command`). */
const PAYLOAD_TYPES = new Set([
  'url_verification',
  'block_actions',
  'block_suggestion',
  'interactive_message',
  'dialog_submission',
  'dialog_suggestion',
  'shortcut',
  'message_action',
  'view_submission',
  'view_closed',
]);

/** Options of the HTTP receiver. */
export interface HttpReceiverOptions {
  signingSecret: string;
  port: number;
  /** Interface to listen on (default: all). Tests use 127.0.0.1. */
  host?: string;
  logger: Logger;
  /** Body of `GET /healthz` while the bot runs. */
  health: () => Record<string, unknown>;
  /** Why the bot cannot serve now (e.g. its database is lost), or null: `GET /healthz` then answers 503. */
  unavailable?: () => Promise<string | null>;
  /** Many workspaces: the install pages, and where installations are kept. */
  oauth?: HttpOAuthOptions;
}

/** What the install pages need. */
export interface HttpOAuthOptions extends OAuthConfig {
  installationStore: InstallationStore;
  /** Web API client options for `oauth.v2.access` and `auth.test` (made with `slackClientOptions`). */
  clientOptions: webApi.WebClientOptions;
}

/** Bolt's HTTP receiver behind a stricter, crash-proof front. */
export class SlackHttpReceiver implements Receiver {
  private readonly bolt: HTTPReceiver;
  private server: Server | undefined;
  private stopping = false;

  constructor(private readonly options: HttpReceiverOptions) {
    this.bolt = new HTTPReceiver({
      signingSecret: options.signingSecret,
      endpoints: EVENTS_PATH,
      logger: options.logger,
      processEventErrorHandler: (args) => refuseUnprocessable(args),
      ...(options.oauth ? installerOptions(options.oauth) : {}),
    });
  }

  /**
   * Many workspaces: Bolt's look-up of a request's installation (its
   * workspace's token), for the app's `authorize`; null otherwise.
   */
  get authorize(): Authorize<boolean> | null {
    const installer = this.bolt.installer;
    return installer ? (source) => installer.authorize(source) : null;
  }

  /** Called by Bolt's `App` with itself. */
  init(app: App): void {
    this.bolt.init(acknowledgingUnhandled(app));
  }

  /** Starts listening; resolves once the port is open. */
  start(): Promise<Server> {
    const server = createServer((req, res) => this.handle(req, res));
    this.server = server;
    this.stopping = false;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        server.on('error', (error) => this.options.logger.error(`HTTP server error: ${error.message}`));
        resolve(server);
      });
    });
  }

  /** Stops taking requests; resolves when every open request has been answered. */
  async stop(): Promise<void> {
    this.stopping = true;
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeIdleConnections();
    });
    this.server = undefined;
  }

  /** The port in use (useful when started on port 0), or null when not listening. */
  get port(): number | null {
    const address = this.server?.address();
    return address && typeof address === 'object' ? (address as AddressInfo).port : null;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.route(req, res).catch((error: unknown) => {
      this.options.logger.error(`Request to ${EVENTS_PATH} failed: ${String(error)}`);
      respond(res, 500);
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = pathOf(req.url);
    if (path === HEALTH_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
      const reason = this.stopping ? null : await this.options.unavailable?.();
      const status = this.stopping ? 'stopping' : reason ? 'unavailable' : 'ok';
      respond(res, status === 'ok' ? 200 : 503, {
        status,
        ...(reason ? { reason } : {}),
        ...this.options.health(),
      });
      return;
    }
    if (this.options.oauth && (path === INSTALL_PATH || path === REDIRECT_PATH)) {
      if (req.method !== 'GET') return respond(res, 405);
      if (this.stopping) return respond(res, 503);
      // Bolt's installer renders the page, or checks the state and exchanges the code, and answers.
      this.bolt.requestListener(req, res);
      return;
    }
    if (path !== EVENTS_PATH) return respond(res, path === null ? 400 : 404);
    if (req.method !== 'POST') return respond(res, 405);
    if (this.stopping) return respond(res, 503);
    const status = await this.screen(req);
    if (status) return respond(res, status);
    // The body is buffered on `req` now; Bolt reuses it, verifies it again and routes it to the listeners.
    this.bolt.requestListener(req, res);
  }

  /** The status to answer a request with at once (mostly a refusal), or null when Bolt may process it. */
  private async screen(req: IncomingMessage): Promise<number | null> {
    const { logger, signingSecret } = this.options;
    let buffered: BufferedIncomingMessage;
    try {
      buffered = await HTTPModuleFunctions.parseAndVerifyHTTPRequest(
        { enabled: true, signingSecret, bodyLimit: defaultBodyLimit },
        req,
      );
    } catch (error) {
      if (HTTPModuleFunctions.isRawBodyError(error) && error.statusCode === 413) return 413;
      logger.warn(`Refused a request: ${error instanceof Error ? error.message : String(error)}`);
      return 401;
    }
    // Checked before the body is read: a request from the future is refused whatever it holds.
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    if (timestamp - Date.now() / 1000 > MAX_CLOCK_SKEW_SECONDS) {
      logger.warn('Refused a request whose timestamp is more than 5 minutes in the future');
      return 401;
    }
    let body: unknown;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    } catch {
      logger.warn('Refused a signed request whose body is not valid JSON or form data');
      return 400;
    }
    if (!isObject(body)) return 400;
    // Slack's reachability check carries no signature; Bolt answers it.
    if (body.ssl_check === '1') return null;
    if (body.type === 'app_rate_limited') {
      // Slack's notice that it is dropping this workspace's events for the rest of the minute.
      logger.warn(
        `Slack is not delivering events (app_rate_limited, minute ${String(body.minute_rate_limited)})`,
      );
      return 200;
    }
    const problem = shapeProblem(body);
    if (problem) {
      logger.warn(`Refused a signed request: ${problem}`);
      return 400;
    }
    return null;
  }
}

/** The events the listeners take, and the fields of each they read as text (as Slack always sends them). */
const EVENT_TEXT_FIELDS: ReadonlyMap<string, readonly string[]> = new Map([
  ['app_mention', ['user', 'channel', 'ts', 'thread_ts', 'text']],
  ['message', ['user', 'channel', 'channel_type', 'ts', 'thread_ts', 'text']],
  ['app_home_opened', ['user', 'tab']],
]);

/**
 * What makes a body one the listeners cannot take, or null: no kind Slack
 * sends, or a field Slack always sends as text missing, empty or of another type
 * (a command without its response_url, an event whose `text` is a number,
 * a click without its user).
 */
function shapeProblem(body: Record<string, unknown>): string | null {
  const missing = (o: Record<string, unknown>, fields: readonly string[]) =>
    fields.find((f) => typeof o[f] !== 'string' || o[f] === '');
  const notText = (o: Record<string, unknown>, fields: readonly string[]) =>
    fields.find((f) => f in o && typeof o[f] !== 'string');
  if ('event' in body) {
    if (!isObject(body.event)) return 'its event is not an object';
    const field =
      missing(body.event, ['type']) ??
      notText(body.event, EVENT_TEXT_FIELDS.get(String(body.event.type)) ?? []);
    return field ? `event.${field} is missing or not text` : null;
  }
  if ('command' in body) {
    const field = missing(body, ['command', 'user_id', 'response_url']) ?? notText(body, ['text']);
    return field ? `the command's ${field} is missing or not text` : null;
  }
  if (!PAYLOAD_TYPES.has(String(body.type))) return 'it is of no kind Slack sends';
  if (body.type !== 'url_verification' && !(isObject(body.user) && typeof body.user.id === 'string')) {
    return 'the interaction has no user';
  }
  if ('actions' in body && !(Array.isArray(body.actions) && body.actions.every(isObject))) {
    return 'its actions are not a list of objects';
  }
  return null;
}

/**
 * Bolt's installer options: the install link asks for the scopes of
 * scopes.ts, and every call (`oauth.v2.access`, `auth.test`) and the page
 * the link leads to are on SLACK_API_URL's host when it is set.
 */
function installerOptions(oauth: HttpOAuthOptions): Partial<HTTPReceiverOptions> {
  const apiUrl = oauth.clientOptions.slackApiUrl;
  return {
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    installationStore: oauth.installationStore,
    scopes: [...INSTALL_SCOPES],
    installerOptions: {
      installPath: INSTALL_PATH,
      redirectUriPath: REDIRECT_PATH,
      clientOptions: oauth.clientOptions,
      ...(apiUrl ? { authorizationUrl: new URL('../oauth/v2/authorize', apiUrl).toString() } : {}),
    },
  };
}

/**
 * Bolt calls this when it cannot process a verified request (a body that is
 * not one of Slack's shapes). The listeners never throw, so an error here is
 * about the request: answer 400 unless a response has already gone out.
 */
async function refuseUnprocessable(args: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> {
  args.logger.warn(`Could not process a request: ${args.error.message}`);
  if (args.response.headersSent) return false;
  respond(args.response, 400);
  return true;
}

function respond(res: ServerResponse, status: number, body?: Record<string, unknown>): void {
  if (res.headersSent) return;
  if (body) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  } else {
    res.writeHead(status);
    res.end();
  }
}

function pathOf(url: string | undefined): string | null {
  try {
    return new URL(url ?? '', 'http://localhost').pathname;
  } catch {
    return null;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
