/**
 * Failed Slack calls: Slack's own error code, a log line that names it, and
 * a short explanation for the person who asked. No failure here is thrown
 * on: a bot that cannot post one message keeps serving the next.
 */
import type { Logger } from '@slack/bolt';
import { SlackCallError } from '../errors.js';

/** Codes meaning the bot is not allowed to post in that conversation. */
const NOT_A_MEMBER = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

/**
 * Slack's code for a failed call: the Web API's `error` (e.g. `not_in_channel`),
 * `ratelimited`, `http_<status>`, `network_error`, or `response_url_<status>`.
 */
export function slackErrorCode(error: unknown): string {
  const e = (error ?? {}) as { code?: unknown; data?: { error?: unknown }; statusCode?: unknown };
  switch (e.code) {
    case 'slack_webapi_platform_error':
      return typeof e.data?.error === 'string' ? e.data.error : 'platform_error';
    case 'slack_webapi_rate_limited_error':
      return 'ratelimited';
    case 'slack_webapi_http_error':
      return `http_${String(e.statusCode)}`;
    case 'slack_webapi_request_error':
      return 'network_error';
    case 'slack_bolt_respond_error':
      return `response_url_${String(e.statusCode)}`;
  }
  // Bolt's respond() uses fetch, which fails with a TypeError when the network does.
  if (error instanceof TypeError && /fetch failed/i.test(error.message)) return 'network_error';
  if (error instanceof Error && /rate limit/i.test(error.message)) return 'ratelimited';
  return 'unknown_error';
}

/** Whether the code means the bot must be invited to the conversation first. */
export function isNotAMember(code: string): boolean {
  return NOT_A_MEMBER.has(code);
}

/** A short explanation of a failure for the person who asked. */
export function explainFailure(code: string): string {
  if (isNotAMember(code)) {
    return "I can't post in this conversation because I'm not a member of it. Invite me (`/invite` and pick me), then try again.";
  }
  if (code === 'ratelimited') return 'Slack is limiting how fast I can post. Please try again in a minute.';
  if (code === 'network_error' || code.startsWith('http_')) {
    return "I couldn't reach Slack just now. Please try again in a moment.";
  }
  return `Slack did not accept my reply (${code}). Please try again; if it keeps failing, tell whoever runs this bot.`;
}

/** Logs a failed call with its code and returns the code. */
export function logSlackFailure(logger: Logger, method: string, error: unknown): string {
  const code = slackErrorCode(error);
  logger.warn(new SlackCallError(method, code, explainFailure(code)).message);
  return code;
}
