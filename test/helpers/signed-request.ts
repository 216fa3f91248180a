/**
 * Requests as Slack sends them: bodies of slash commands, events and
 * interactions, signed with a real HMAC (`v0=` + SHA-256 of
 * `v0:<timestamp>:<body>` under the signing secret).
 */
import { createHmac } from 'node:crypto';
import { SIGNING_SECRET, VERIFICATION_TOKEN } from './credentials.js';

export { SIGNING_SECRET } from './credentials.js';

/** A request body and its content type. */
export interface SlackBody {
  body: string;
  contentType: string;
}

/** How to sign (or mis-sign) a request. */
export interface SignOptions {
  /** Seconds since the epoch (default: now). */
  timestamp?: number;
  secret?: string;
  /** Replace the signature header (or drop it with null). */
  signature?: string | null;
  /** Adds `x-slack-retry-num`, as Slack does when it retries a delivery. */
  retryNum?: number;
}

/** The `x-slack-signature` value for a body. */
export function signature(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** Sends a body to the bot, signed unless told otherwise. */
export async function send(
  url: string,
  { body, contentType }: SlackBody,
  options: SignOptions = {},
): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
  };
  const sig =
    options.signature === undefined ? signature(body, timestamp, options.secret) : options.signature;
  if (sig !== null) headers['x-slack-signature'] = sig;
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  return fetch(url, { method: 'POST', headers, body });
}

const FORM = 'application/x-www-form-urlencoded';

/** A `/ceasefire` command as Slack posts it. */
export function commandBody(
  text: string,
  responseUrl: string,
  overrides: Record<string, string> = {},
): SlackBody {
  const fields = {
    token: VERIFICATION_TOKEN,
    team_id: 'T0001',
    channel_id: 'C0001',
    channel_name: 'general',
    user_id: 'U0001',
    user_name: 'ann',
    command: '/ceasefire',
    text,
    response_url: responseUrl,
    trigger_id: '1.2.3',
    api_app_id: 'A0001',
    ...overrides,
  };
  return { body: new URLSearchParams(fields).toString(), contentType: FORM };
}

/** The workspace a request comes from: a team, in an org (Enterprise Grid) or not, installed org-wide or not. */
export interface FromTeam {
  teamId: string;
  enterpriseId?: string;
  /** The app is installed org-wide (Slack then names the org's installation, not the workspace's). */
  isEnterpriseInstall?: boolean;
}

/** An Events API delivery of one event (from workspace T0001 unless `from` says otherwise). */
export function eventBody(
  event: Record<string, unknown>,
  eventId = `Ev${Math.random().toString(36).slice(2, 10)}`,
  from: FromTeam = { teamId: 'T0001' },
): SlackBody {
  const isEnterpriseInstall = from.isEnterpriseInstall ?? false;
  return {
    body: JSON.stringify({
      token: VERIFICATION_TOKEN,
      team_id: from.teamId,
      ...(from.enterpriseId ? { enterprise_id: from.enterpriseId } : {}),
      api_app_id: 'A0001',
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [
        {
          team_id: isEnterpriseInstall ? null : from.teamId,
          enterprise_id: from.enterpriseId ?? null,
          user_id: 'UBOT0001',
          is_bot: true,
          is_enterprise_install: isEnterpriseInstall,
        },
      ],
      is_ext_shared_channel: false,
      event,
    }),
    contentType: 'application/json',
  };
}

/** A block_actions interaction: one button clicked. */
export function buttonClickBody(
  actionId: string,
  value: string,
  responseUrl: string,
  options: { ephemeral?: boolean; channel?: string; user?: string; teamId?: string } = {},
): SlackBody {
  const channel = options.channel ?? 'C0001';
  const teamId = options.teamId ?? 'T0001';
  const payload = {
    type: 'block_actions',
    team: { id: teamId, domain: 'example' },
    user: { id: options.user ?? 'U0001', username: 'ann', team_id: teamId },
    api_app_id: 'A0001',
    token: VERIFICATION_TOKEN,
    container: {
      type: 'message',
      message_ts: '1700000000.000100',
      channel_id: channel,
      is_ephemeral: options.ephemeral ?? true,
    },
    trigger_id: '1.2.3',
    channel: { id: channel, name: 'general' },
    response_url: responseUrl,
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: 'b1',
        value,
        text: { type: 'plain_text', text: 'x' },
        action_ts: '1700000001.000200',
      },
    ],
  };
  return { body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), contentType: FORM };
}
