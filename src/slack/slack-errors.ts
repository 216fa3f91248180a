/**
 * Failed Slack calls: Slack's own error code, a log line that names it, and
 * a short explanation for the person who asked. No failure here is thrown
 * on: a bot that cannot post one message keeps serving the next.
 *
 * What is tried again, and what is not: a rate-limited call was refused, so
 * it is repeated once after a short `Retry-After`; a call that timed out,
 * lost its connection or met a 5xx may have been carried out, so it is never
 * repeated (a second post could show the answer twice).
 */
import type { Logger } from '@slack/bolt';
import { SlackCallError } from '../errors.js';

/** Codes meaning the bot is not allowed to post in that conversation. */
const NOT_A_MEMBER = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

/** Codes meaning Slack refuses the bot token itself: every call fails until someone fixes it. */
const TOKEN_REFUSED = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
]);

/** Longest `Retry-After` (seconds) waited out before trying a refused call again: someone is waiting. */
const MAX_RETRY_AFTER_SECONDS = 5;

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
  // Bolt's respond() uses fetch, which fails with a TypeError when the network does, or times out.
  if ((error instanceof TypeError && /fetch failed/i.test(error.message)) || isTimeout(error)) {
    return 'network_error';
  }
  if (error instanceof Error && /rate limit/i.test(error.message)) return 'ratelimited';
  return 'unknown_error';
}

/** Whether the code means the bot must be invited to the conversation first. */
export function isNotAMember(code: string): boolean {
  return NOT_A_MEMBER.has(code);
}

/** Whether the code means Slack refused the bot token (revoked, wrong, or its workspace gone). */
export function isTokenRefused(code: string): boolean {
  return TOKEN_REFUSED.has(code);
}

/** Whether the code leaves it unknown if Slack carried the call out (a timeout, a dropped connection, a 5xx). */
export function isUncertain(code: string): boolean {
  return code === 'network_error' || /^http_5\d\d$/.test(code);
}

/** The seconds Slack asked to wait before calling again, or null when the call was not rate limited. */
function retryAfterSeconds(error: unknown): number | null {
  const e = (error ?? {}) as { code?: unknown; retryAfter?: unknown };
  return e.code === 'slack_webapi_rate_limited_error' && typeof e.retryAfter === 'number'
    ? e.retryAfter
    : null;
}

/**
 * Runs a Slack call; when Slack refuses it for its rate limit and asks for at
 * most `MAX_RETRY_AFTER_SECONDS`, waits that long and runs it once more. A
 * refused call was not carried out, so running it again cannot post twice.
 */
export async function afterShortRateLimit<T>(
  logger: Logger,
  method: string,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const wait = retryAfterSeconds(error);
    if (wait === null || wait > MAX_RETRY_AFTER_SECONDS) throw error;
    logger.info(`${method} was rate limited: trying again in ${wait} s`);
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    return call();
  }
}

/** A short explanation of a failure for the person who asked. */
export function explainFailure(code: string): string {
  if (isNotAMember(code)) {
    return "I can't post in this conversation because I'm not a member of it. Invite me (`/invite` and pick me), then try again.";
  }
  if (code === 'ratelimited') return 'Slack is limiting how fast I can post. Please try again in a minute.';
  if (isUncertain(code)) {
    return `Slack did not confirm that my message was posted (${code}). If you don't see it, please try again.`;
  }
  if (isTokenRefused(code)) {
    return `Slack refused my credentials (${code}), so I can't post. Please tell whoever runs this bot.`;
  }
  if (code.startsWith('http_')) return "I couldn't reach Slack just now. Please try again in a moment.";
  return `Slack did not accept my reply (${code}). Please try again; if it keeps failing, tell whoever runs this bot.`;
}

/**
 * Logs a failed call with its code (and, for a network failure, what
 * happened: a timeout, a reset connection) and returns the code. A refused
 * token is an error: nothing works until the bot token is replaced.
 */
export function logSlackFailure(logger: Logger, method: string, error: unknown): string {
  const code = slackErrorCode(error);
  const cause = code === 'network_error' ? networkCause(error) : null;
  if (isTokenRefused(code)) {
    logger.error(
      new SlackCallError(method, code, 'check SLACK_BOT_TOKEN: Slack no longer accepts it').message,
    );
  } else {
    logger.warn(
      new SlackCallError(method, code, `${cause ? `${cause}. ` : ''}${explainFailure(code)}`).message,
    );
  }
  return code;
}

function isTimeout(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'TimeoutError';
}

/** What went wrong on the network: `timed out`, or the socket error's code (`ECONNRESET`, `UND_ERR_SOCKET`). */
function networkCause(error: unknown): string | null {
  // The Web API client wraps the fetch error as `original`; fetch puts the socket's error in `cause`.
  const original = (error as { original?: unknown }).original ?? error;
  if (isTimeout(original)) return 'timed out';
  const code = (original as { cause?: { code?: unknown } }).cause?.code;
  return typeof code === 'string' ? code : null;
}
