/**
 * The one Slack client policy: what a failed call is classified as, and how
 * long a person or the digest waits out a rate limit.
 */
import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import {
  IN_BACKGROUND,
  PERSON_WAITING,
  type RateLimitPatience,
  retryRateLimited,
  SLACK_TIMEOUT_MS,
  slackCallError,
  slackClientOptions,
} from '../../src/slack/client-policy.js';
import { SlackStandIn } from '../helpers/slack-stand-in.js';

const platformError = (error: string) =>
  Object.assign(new Error(error), { code: 'slack_webapi_platform_error', data: { error } });
const rateLimited = (seconds: number) =>
  Object.assign(new Error('rate limited'), { code: 'slack_webapi_rate_limited_error', retryAfter: seconds });

describe('slackCallError', () => {
  it.each([
    [platformError('not_in_channel'), 'not_in_channel', 'SLACK_NOT_A_MEMBER'],
    [platformError('channel_not_found'), 'channel_not_found', 'SLACK_NOT_A_MEMBER'],
    [platformError('missing_scope'), 'missing_scope', 'SLACK_ACCESS_DENIED'],
    [platformError('invalid_auth'), 'invalid_auth', 'SLACK_ACCESS_DENIED'],
    [platformError('msg_too_long'), 'msg_too_long', 'SLACK_REFUSED'],
    [rateLimited(30), 'ratelimited', 'SLACK_REFUSED'],
    [
      Object.assign(new Error('503'), { code: 'slack_webapi_http_error', statusCode: 503 }),
      'http_503',
      'SLACK_UNCERTAIN',
    ],
    [
      Object.assign(new Error('socket'), { code: 'slack_webapi_request_error' }),
      'network_error',
      'SLACK_UNCERTAIN',
    ],
    [new Error('something else'), 'unknown_error', 'SLACK_UNCERTAIN'],
  ])('classifies %s as %s: %s', (error, slackCode, code) => {
    const classified = slackCallError('chat.postMessage', error);
    expect(classified).toMatchObject({ slackCode, code, cause: error });
    expect(classified.message).toContain(`chat.postMessage failed (${slackCode})`);
  });
});

describe('retryRateLimited', () => {
  async function waitsOf(patience: RateLimitPatience, retryAfter: number[]) {
    const waits: number[] = [];
    let calls = 0;
    const run = () => {
      const seconds = retryAfter[calls++];
      return seconds === undefined ? Promise.resolve('done') : Promise.reject(rateLimited(seconds));
    };
    const logger = createLogger({ level: 'error', write: () => {} });
    const outcome = await retryRateLimited(run, {
      logger,
      method: 'chat.postMessage',
      patience,
      sleep: async (ms) => void waits.push(ms),
    }).catch((error: unknown) => error);
    return { outcome, waits, calls };
  }

  it('lets a person wait once, for at most 5 seconds', async () => {
    expect(await waitsOf(PERSON_WAITING, [5])).toEqual({ outcome: 'done', waits: [5000], calls: 2 });
    expect((await waitsOf(PERSON_WAITING, [6])).waits).toEqual([]);
    const twice = await waitsOf(PERSON_WAITING, [1, 1]);
    expect([twice.waits, twice.calls]).toEqual([[1000], 2]);
    expect(twice.outcome).toMatchObject({ retryAfter: 1 });
  });

  it('lets the digest wait up to three times, each for at most 2 minutes', async () => {
    expect(await waitsOf(IN_BACKGROUND, [120, 60, 1])).toEqual({
      outcome: 'done',
      waits: [120_000, 60_000, 1000],
      calls: 4,
    });
    expect((await waitsOf(IN_BACKGROUND, [121])).waits).toEqual([]);
    expect((await waitsOf(IN_BACKGROUND, [1, 1, 1, 1])).calls).toBe(4);
  });

  it('never repeats a call that failed otherwise', async () => {
    let calls = 0;
    const logger = createLogger({ level: 'error', write: () => {} });
    await expect(
      retryRateLimited(
        () => {
          calls++;
          return Promise.reject(platformError('internal_error'));
        },
        { logger, method: 'chat.postMessage', patience: IN_BACKGROUND },
      ),
    ).rejects.toThrow('internal_error');
    expect(calls).toBe(1);
  });
});

describe('slackClientOptions', () => {
  it('gives the client no retries of its own and a time limit, also for response_url replies', async () => {
    const options = slackClientOptions('http://127.0.0.1:1/api/');
    expect(options).toMatchObject({
      slackApiUrl: 'http://127.0.0.1:1/api/',
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: SLACK_TIMEOUT_MS,
    });
    const slack = new SlackStandIn();
    await slack.start();
    try {
      slack.on('respond:slow', { delayMs: 1000, body: { ok: true } });
      const { fetch } = slackClientOptions(slack.apiUrl, { timeout: 100 });
      await expect(fetch?.(slack.responseUrl('slow'), { method: 'POST' })).rejects.toThrow(/abort|timeout/i);
      // The Web API client made from them gives up as quickly.
      slack.on('chat.postMessage', { delayMs: 1000, body: { ok: true } });
      const client = new webApi.WebClient(
        'xoxb-policy-test',
        slackClientOptions(slack.apiUrl, { timeout: 100 }),
      );
      const error = await client.chat.postMessage({ channel: 'C1', text: 'x' }).catch((e: unknown) => e);
      expect(slackCallError('chat.postMessage', error).code).toBe('SLACK_UNCERTAIN');
      expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
    } finally {
      await slack.stop();
    }
  });
});
