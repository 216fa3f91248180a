/**
 * The digest as Slack commands and App Home see it: a conversation's status
 * and preview, subscribing and unsubscribing, each in the workspace the
 * request came from. Subscribing first posts a notice in the conversation
 * (with that workspace's bot token), so a channel the bot cannot post in is
 * refused with a way to fix it instead of being subscribed to digests that
 * would fail.
 */

import type { Article } from '../article.js';
import type { Config } from '../config.js';
import { isClockTime, isTimeZone } from '../config.js';
import type {
  ChannelDigestStatus,
  Digest,
  SubscribeProblem,
  SubscribeResult,
  SubscriptionStatus,
  UnsubscribeResult,
} from '../digest-types.js';
import { SlackCallError } from '../errors.js';
import type { DigestSubscription, DigestWorkspace, Store } from '../store/store.js';
import { buildDigest } from './build-digest.js';
import type { DigestPoster } from './poster.js';
import { localDate } from './schedule.js';
import type { DigestScheduler } from './scheduler.js';
import { type DigestInstallations, digestToken } from './workspaces.js';

/** What the service works with. */
export interface DigestServiceDeps {
  store: Store;
  poster: DigestPoster;
  /** Where the digest may post, and each workspace's bot token. */
  installations: DigestInstallations;
  articles: () => readonly Article[];
  defaults: Config['digest'];
  scheduler?: DigestScheduler;
  now?: () => Date;
}

/** Reads `[HH:MM] [zone]` (either, both, or neither, in any order). */
export function parseSchedule(
  args: string,
  defaults: Pick<Config['digest'], 'time' | 'timeZone'>,
): { time: string; timeZone: string } | { problem: SubscribeProblem } {
  let { time, timeZone } = defaults;
  for (const word of args.split(/\s+/).filter(Boolean)) {
    if (/^\d{1,2}[:.h]\d{2}$/.test(word)) {
      const [h = '', m = ''] = word.split(/[:.h]/);
      time = `${h.padStart(2, '0')}:${m}`;
      if (!isClockTime(time)) return { problem: { kind: 'not-a-time', word } };
    } else if (isTimeZone(word)) {
      // The runtime's spelling fixes the case ("europe/paris"); an alias the runtime maps elsewhere
      // (Europe/Kyiv → Europe/Kiev in older time zone data) stays as the person wrote it.
      const resolved = new Intl.DateTimeFormat('en-US', { timeZone: word }).resolvedOptions().timeZone;
      timeZone = resolved.toLowerCase() === word.toLowerCase() ? resolved : word;
    } else {
      return { problem: { kind: 'not-a-time-or-zone', word } };
    }
  }
  return { time, timeZone };
}

/** The digest's commands and status. */
export class DigestService {
  constructor(private readonly deps: DigestServiceDeps) {}

  /** The configured defaults (for help texts). */
  get defaults(): Config['digest'] {
    return this.deps.defaults;
  }

  /** A conversation's subscription in `workspace`, today's and its last digest, and its next run here. */
  async status(workspace: DigestWorkspace, channelId: string): Promise<ChannelDigestStatus> {
    const { store, scheduler, defaults } = this.deps;
    const channel = { teamId: workspace.teamId, channelId };
    const subscription = await store.digestSubscription(channel);
    const date = localDate(this.now(), subscription?.timeZone ?? defaults.timeZone);
    return {
      ...channel,
      subscription,
      today: await store.digestEntry(channel, date),
      last: (await store.lastDigest(channel))?.entry ?? null,
      nextRun: scheduler?.nextRun(channel) ?? null,
    };
  }

  /** Today's digest as this conversation of `workspace` would get it. */
  async preview(workspace: DigestWorkspace, channelId: string): Promise<Digest> {
    const { store, defaults } = this.deps;
    const channel = { teamId: workspace.teamId, channelId };
    const subscription = await store.digestSubscription(channel);
    const last = await store.lastDigest(channel);
    return buildDigest(
      this.deps.articles(),
      last?.snapshot ?? null,
      localDate(this.now(), subscription?.timeZone ?? defaults.timeZone),
    );
  }

  /** Subscribes a conversation of `workspace`, once a notice in it went out with that workspace's token. */
  async subscribe(
    workspace: DigestWorkspace,
    channelId: string,
    userId: string,
    args: string,
  ): Promise<SubscribeResult> {
    const schedule = parseSchedule(args, this.deps.defaults);
    if ('problem' in schedule) return { ok: false, problem: schedule.problem };
    const token = await digestToken(this.deps.installations, workspace);
    if (token === null) return { ok: false, problem: { kind: 'not-installed' } };
    try {
      await this.deps.poster.announce({ channelId, token }, { userId, ...schedule });
    } catch (error) {
      // A channel the bot cannot post in would never get its digest either: nothing is subscribed.
      const slackCode = error instanceof SlackCallError ? error.slackCode : 'unknown_error';
      const notAMember = error instanceof SlackCallError && error.code === 'SLACK_NOT_A_MEMBER';
      return { ok: false, problem: { kind: 'cannot-post', slackCode, notAMember } };
    }
    const subscription: Omit<DigestSubscription, 'status' | 'lastError'> = {
      teamId: workspace.teamId,
      channelId,
      enterpriseId: workspace.enterpriseId,
      time: schedule.time,
      timeZone: schedule.timeZone,
      source: 'command',
      subscribedBy: userId,
    };
    await this.deps.store.saveDigestSubscription(subscription);
    await this.deps.scheduler?.refresh();
    return { ok: true, subscription: { ...subscription, status: 'active', lastError: null } };
  }

  /**
   * Unsubscribes a conversation. A channel listed in DIGEST_CHANNELS stays:
   * only the configuration removes it. (The list exists only with a single
   * bot token, whose workspace is the only one installed.)
   */
  async unsubscribe(workspace: DigestWorkspace, channelId: string): Promise<UnsubscribeResult> {
    if (this.deps.defaults.channels.includes(channelId)) return 'configured';
    const removed = await this.deps.store.removeDigestSubscription({ teamId: workspace.teamId, channelId });
    await this.deps.scheduler?.refresh();
    return removed ? 'removed' : 'not-subscribed';
  }

  /** Every subscription of `workspace` with its ledger entry for today in its own zone, for App Home. */
  async overview(workspace: DigestWorkspace): Promise<SubscriptionStatus[]> {
    const now = this.now();
    const subscriptions = await this.deps.store.digestSubscriptions(workspace.teamId);
    return Promise.all(
      subscriptions.map(async (subscription) => ({
        subscription,
        today: await this.deps.store.digestEntry(subscription, localDate(now, subscription.timeZone)),
      })),
    );
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}
