/**
 * What the digest needs from Slack, as an interface: the digest code decides
 * when to post and what to record, the implementation in `slack/` renders
 * and posts. Every call names its conversation and the bot token of the
 * conversation's workspace. Every failure is a `SlackCallError` whose `code`
 * says what it means for trying again: refused, not a member, access
 * denied, or uncertain (Slack may have posted it).
 */
import type { Digest } from '../digest-types.js';

/** Where a call goes: a conversation, and the bot token of its workspace. */
export interface PostTarget {
  channelId: string;
  token: string;
}

/** A subscription notice: who subscribed the conversation, to which time. */
export interface SubscriptionNotice {
  userId: string;
  time: string;
  timeZone: string;
}

/** Posting digests, and finding one Slack may already have posted. */
export interface DigestPoster {
  /** Renders and posts a digest; resolves to the message's ts. */
  post(to: PostTarget, digest: Digest): Promise<string>;
  /**
   * The ts of the digest for `date` posted in the conversation since
   * `sinceMs`, or null when its history since then holds none: only null
   * proves the digest absent. Throws when the history cannot be read.
   */
  findPosted(to: PostTarget, date: string, sinceMs: number): Promise<string | null>;
  /** Posts the notice that someone subscribed the conversation. */
  announce(to: PostTarget, notice: SubscriptionNotice): Promise<void>;
}
