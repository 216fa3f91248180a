/**
 * How the bot calls Slack, one policy for answers and the digest alike: the
 * Web API client's options (a time limit, no retries of its own), when a
 * failed call is tried again, and what a failure is called in logs, in
 * replies and in the errors the digest branches on. Listeners log and
 * explain a failure rather than throw it: a bot that cannot post one message
 * keeps serving the next.
 *
 * What is tried again, and what is not: a rate-limited call was refused, so
 * it is repeated after Slack's `Retry-After` when the caller can wait that
 * long (a person a few seconds, the digest minutes); a call that timed out,
 * lost its connection or met a 5xx may have been carried out, so it is never
 * repeated (a second post could show an answer, or a digest, twice).
 */
import type { Logger, webApi } from '@slack/bolt';
import { SlackCallError, type SlackFailureCode } from '../errors.js';

/** How long a call to Slack (Web API or response_url) may take before the bot gives up on it. */
export const SLACK_TIMEOUT_MS = 10_000;

/** Posting options of every message with sources: their links are citations, not previews to unfold. */
export const NO_UNFURL = { unfurl_links: false, unfurl_media: false } as const;

/**
 * Web API client options, with `overrides` (tests shorten the timeout). The
 * client repeats no call by itself: its retries would repeat a post that
 * timed out or met a 5xx, which Slack may have carried out. A rate-limited
 * call fails at once with Slack's `Retry-After`, for `retryRateLimited` to
 * decide, rather than pausing every other call for as long as Slack asks.
 */
export function slackClientOptions(
  apiUrl: string | null,
  overrides: webApi.WebClientOptions = {},
): webApi.WebClientOptions {
  const options: webApi.WebClientOptions = {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: SLACK_TIMEOUT_MS,
    ...overrides,
  };
  return { ...options, fetch: options.fetch ?? fetchWithin(options.timeout || SLACK_TIMEOUT_MS) };
}

/**
 * `fetch` with a time limit for requests that bring none: Bolt's `respond()`
 * (a command's or a click's response_url) uses the client's `fetch` without
 * one, and a response_url that never answers must not hold a request open.
 */
function fetchWithin(timeoutMs: number): typeof fetch {
  return (input, init) => fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) });
}

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

/** Codes meaning the app may not make the call: a scope it lacks, or a token of the wrong kind. */
const NOT_PERMITTED = new Set(['missing_scope', 'no_permission', 'not_allowed_token_type', 'access_denied']);

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
  // An error of no known kind may have come after the request went out: counted as one that may have.
  return code === 'network_error' || code === 'unknown_error' || /^(http|response_url)_5\d\d$/.test(code);
}

/** The meanings a failed call is classified by (see `SlackFailureCode`). */
type CallFailure = Exclude<SlackFailureCode, 'SLACK_CALL_FAILED'>;

/** What a failed call's Slack code means for what comes next. */
function failureCode(code: string): CallFailure {
  if (isUncertain(code)) return 'SLACK_UNCERTAIN';
  if (isNotAMember(code)) return 'SLACK_NOT_A_MEMBER';
  if (isTokenRefused(code) || NOT_PERMITTED.has(code)) return 'SLACK_ACCESS_DENIED';
  return 'SLACK_REFUSED';
}

/** Where the bot token of a call comes from, in either way of serving Slack. */
const BOT_TOKEN_SOURCE = 'SLACK_BOT_TOKEN (with many workspaces: the workspace’s installation)';

const ADVICE: Record<CallFailure, string> = {
  SLACK_REFUSED: 'Slack did not carry it out; it may work later',
  SLACK_NOT_A_MEMBER: 'invite the bot to the conversation (/invite @ceasefire), or stop using it there',
  SLACK_ACCESS_DENIED: `check ${BOT_TOKEN_SOURCE}, and that the app has the scopes in manifest.yml`,
  SLACK_UNCERTAIN: 'Slack may have carried it out',
};

/** The failure of `method` as a `SlackCallError` whose `code` says what it means for trying again. */
export function slackCallError(method: string, error: unknown): SlackCallError {
  const slackCode = slackErrorCode(error);
  const code = failureCode(slackCode);
  return new SlackCallError(method, slackCode, ADVICE[code], { cause: error, code });
}

/** The seconds Slack asked to wait before calling again, or null when the call was not rate limited. */
function retryAfterSeconds(error: unknown): number | null {
  const e = (error ?? {}) as { code?: unknown; retryAfter?: unknown };
  return e.code === 'slack_webapi_rate_limited_error' && typeof e.retryAfter === 'number'
    ? e.retryAfter
    : null;
}

/** How long a caller can wait out Slack's rate limit. */
export interface RateLimitPatience {
  /** How many times a refused call is tried again. */
  retries: number;
  /** The longest `Retry-After` waited, in seconds; a longer one fails the call. */
  maxRetryAfterSeconds: number;
}

/** Someone is waiting for the reply: one more try, after at most 5 seconds. */
export const PERSON_WAITING: RateLimitPatience = { retries: 1, maxRetryAfterSeconds: 5 };

/** Nobody is waiting (the digest): up to three more tries, each after at most 2 minutes. */
export const IN_BACKGROUND: RateLimitPatience = { retries: 3, maxRetryAfterSeconds: 120 };

/** How `retryRateLimited` runs: what to log and how to wait. */
export interface RateLimitOptions {
  logger: Logger;
  /** The call's name, for the log. */
  method: string;
  patience: RateLimitPatience;
  /** How to wait (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs a Slack call; while Slack refuses it for its rate limit and asks for
 * a wait within `patience`, waits that long and runs it again. A refused
 * call was not carried out, so running it again cannot post twice.
 */
export async function retryRateLimited<T>(call: () => Promise<T>, options: RateLimitOptions): Promise<T> {
  const { logger, method, patience, sleep = wait } = options;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const seconds = retryAfterSeconds(error);
      if (seconds === null || attempt >= patience.retries || seconds > patience.maxRetryAfterSeconds)
        throw error;
      logger.info(`${method} was rate limited: trying again in ${seconds} s`);
      await sleep(seconds * 1000);
    }
  }
}

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A short explanation of a failure for the person who asked. */
export function explainFailure(code: string): string {
  if (isNotAMember(code)) {
    return "I can't post in this conversation because I'm not a member of it. Invite me (`/invite` and pick me), then try again.";
  }
  if (code === 'ratelimited') return 'Slack is limiting how fast I can post. Please try again in a minute.';
  if (code === 'response_url_404') {
    return 'Slack no longer takes replies to this message (it allows 30 minutes). Ask again, then share the new answer.';
  }
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
      new SlackCallError(method, code, `check ${BOT_TOKEN_SOURCE}: Slack no longer accepts it`).message,
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
