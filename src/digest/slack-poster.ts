/**
 * Posting digests to Slack, and finding a digest Slack may already have
 * posted. Every digest message carries metadata naming its date, so after
 * a post whose outcome is unknown (a timeout, a dropped connection, a 5xx)
 * the channel's recent history says whether it went out, instead of a
 * second post guessing.
 */
import type { webApi } from '@slack/bolt';
import type { SlackMessage } from '../render/blocks.js';

/** Message metadata type of digest posts. */
export const DIGEST_EVENT_TYPE = 'ceasefire_digest';

/** What delivery needs from Slack. */
export interface DigestPoster {
  /** Posts a digest message; resolves to its ts. */
  post(channelId: string, message: SlackMessage, date: string): Promise<string>;
  /** The ts of the digest for `date` posted in the channel since `sinceMs`, or null. */
  findPosted(channelId: string, date: string, sinceMs: number): Promise<string | null>;
  /** Posts a notice about the digest (e.g. that someone subscribed the channel). */
  notify(channelId: string, message: SlackMessage): Promise<void>;
}

/** Options of `SlackDigestPoster`. */
export interface PosterOptions {
  /** How many times a rate-limited call waits `Retry-After` and tries again. */
  rateLimitRetries?: number;
  /** Longest `Retry-After` waited, in seconds; a longer one fails the call (it is retried later). */
  maxRetryAfterSeconds?: number;
  /** How to wait (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Web API client options for digest posting. The client must never retry
 * a post by itself: a retry after a timeout could post the digest twice.
 * Rate limits are handled here instead, where waiting is safe (a 429 means
 * Slack did not post).
 */
export function digestClientOptions(apiUrl: string | null): webApi.WebClientOptions {
  return {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 15_000,
  };
}

/** The digest poster over a Web API client. */
export class SlackDigestPoster implements DigestPoster {
  private readonly retries: number;
  private readonly maxRetryAfter: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly client: webApi.WebClient,
    options: PosterOptions = {},
  ) {
    this.retries = options.rateLimitRetries ?? 3;
    this.maxRetryAfter = options.maxRetryAfterSeconds ?? 120;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async post(channelId: string, message: SlackMessage, date: string): Promise<string> {
    const result = await this.withRateLimit(() =>
      this.client.chat.postMessage({
        channel: channelId,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
        metadata: { event_type: DIGEST_EVENT_TYPE, event_payload: { date } },
      }),
    );
    return result.ts ?? '';
  }

  async notify(channelId: string, message: SlackMessage): Promise<void> {
    await this.withRateLimit(() =>
      this.client.chat.postMessage({
        channel: channelId,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
      }),
    );
  }

  async findPosted(channelId: string, date: string, sinceMs: number): Promise<string | null> {
    const result = await this.withRateLimit(() =>
      this.client.conversations.history({
        channel: channelId,
        // A minute of slack for clock differences between this machine and Slack.
        oldest: String(Math.floor(sinceMs / 1000) - 60),
        include_all_metadata: true,
        limit: 200,
      }),
    );
    const found = result.messages?.find(
      (m) =>
        m.metadata?.event_type === DIGEST_EVENT_TYPE &&
        (m.metadata.event_payload as Record<string, unknown> | undefined)?.date === date,
    );
    return found?.ts ?? null;
  }

  private async withRateLimit<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const retryAfter = (error as { retryAfter?: unknown }).retryAfter;
        if (typeof retryAfter !== 'number' || attempt >= this.retries || retryAfter > this.maxRetryAfter)
          throw error;
        await this.sleep(retryAfter * 1000);
      }
    }
  }
}
