/**
 * Posting digests to Slack, and finding a digest Slack may already have
 * posted. One client serves every workspace: each call carries the bot
 * token of the conversation's workspace. Every digest message carries metadata naming its date, so after
 * a post whose outcome is unknown (a timeout, a dropped connection, a 5xx)
 * the channel's recent history says whether it went out, instead of a
 * second post guessing. Calls follow the client policy (client-policy.ts)
 * with the patience of work nobody waits on, and fail with a classified
 * `SlackCallError` for the digest to branch on.
 */
import { type Logger, webApi } from '@slack/bolt';
import type { DigestPoster, PostTarget, SubscriptionNotice } from '../digest/poster.js';
import type { Digest } from '../digest-types.js';
import { SlackCallError } from '../errors.js';
import type { SlackMessage } from '../render/blocks.js';
import { renderDigest, renderSubscriptionNotice } from '../render/blocks-digest.js';
import {
  IN_BACKGROUND,
  NO_UNFURL,
  retryRateLimited,
  slackCallError,
  slackClientOptions,
} from './client-policy.js';

/** Message metadata type of digest posts. */
export const DIGEST_EVENT_TYPE = 'ceasefire_digest';

/** Messages per page of channel history (Slack's recommended most). */
const HISTORY_PAGE_SIZE = 200;

/** Pages of history read at most when looking for a digest: a day of a very busy channel. */
const HISTORY_PAGES = 10;

/** Options of `SlackDigestPoster`. */
export interface PosterOptions {
  logger: Logger;
  /** How to wait out a rate limit (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
}

/** The digest poster over a Web API client made with `slackClientOptions` (and no token of its own). */
export class SlackDigestPoster implements DigestPoster {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly options: PosterOptions,
  ) {}

  async post(to: PostTarget, digest: Digest): Promise<string> {
    const result = await this.postMessage(to, renderDigest(digest), {
      event_type: DIGEST_EVENT_TYPE,
      event_payload: { date: digest.date },
    });
    return result.ts ?? '';
  }

  async announce(to: PostTarget, notice: SubscriptionNotice): Promise<void> {
    await this.postMessage(to, renderSubscriptionNotice(notice));
  }

  async findPosted({ channelId, token }: PostTarget, date: string, sinceMs: number): Promise<string | null> {
    let cursor: string | undefined;
    for (let page = 0; page < HISTORY_PAGES; page++) {
      const result = await this.call('conversations.history', () =>
        this.client.conversations.history({
          token,
          channel: channelId,
          // A minute of slack for clock differences between this machine and Slack.
          oldest: String(Math.floor(sinceMs / 1000) - 60),
          include_all_metadata: true,
          limit: HISTORY_PAGE_SIZE,
          ...(cursor ? { cursor } : {}),
        }),
      );
      const found = result.messages?.find(
        (m) =>
          m.metadata?.event_type === DIGEST_EVENT_TYPE &&
          (m.metadata.event_payload as Record<string, unknown> | undefined)?.date === date,
      );
      if (found?.ts) return found.ts;
      cursor = result.response_metadata?.next_cursor;
      // Only history read to its end proves the digest absent.
      if (!result.has_more || !cursor) return null;
    }
    throw new SlackCallError(
      'conversations.history',
      'history_too_long',
      `more than ${HISTORY_PAGES * HISTORY_PAGE_SIZE} messages since the day began: the digest cannot be proved absent`,
      { code: 'SLACK_REFUSED' },
    );
  }

  private postMessage(
    { channelId, token }: PostTarget,
    message: SlackMessage,
    metadata?: webApi.ChatPostMessageArguments['metadata'],
  ): Promise<webApi.ChatPostMessageResponse> {
    return this.call('chat.postMessage', () =>
      this.client.chat.postMessage({
        token,
        channel: channelId,
        text: message.text,
        blocks: message.blocks,
        ...NO_UNFURL,
        ...(metadata ? { metadata } : {}),
      }),
    );
  }

  /** Runs a call within the rate-limit patience of background work; a failure is thrown classified. */
  private async call<T>(method: string, run: () => Promise<T>): Promise<T> {
    try {
      return await retryRateLimited(run, { ...this.options, method, patience: IN_BACKGROUND });
    } catch (error) {
      throw slackCallError(method, error);
    }
  }
}

/** The digest poster with its own client, on the Web API at `apiUrl` (null: Slack's own). */
export function createDigestPoster(apiUrl: string | null, logger: Logger): SlackDigestPoster {
  return new SlackDigestPoster(new webApi.WebClient(undefined, { ...slackClientOptions(apiUrl), logger }), {
    logger,
  });
}
