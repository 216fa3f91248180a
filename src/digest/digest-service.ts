/**
 * The digest as Slack commands and App Home see it: a channel's status and
 * preview, subscribing and unsubscribing. Subscribing first posts a notice
 * in the channel, so a channel the bot cannot post in is refused with a
 * way to fix it instead of being subscribed to digests that would fail.
 */
import type { Config } from '../config.js';
import { isClockTime, isTimeZone } from '../config.js';
import type { Article } from '../knowledge/types.js';
import { message, SLASH_COMMAND, section } from '../render/blocks.js';
import { escapeText } from '../render/escape.js';
import { isNotAMember, slackErrorCode } from '../slack/slack-errors.js';
import type { DigestEntry, DigestSubscription, Store } from '../store/store.js';
import { buildDigest, type Digest } from './build-digest.js';
import { localDate } from './schedule.js';
import type { DigestScheduler } from './scheduler.js';
import type { DigestPoster } from './slack-poster.js';

/** A channel's digest, as `/ceasefire digest` shows it. */
export interface ChannelDigestStatus {
  channelId: string;
  subscription: DigestSubscription | null;
  /** Today's ledger entry in the channel's zone (or the default zone). */
  today: DigestEntry | null;
  /** The last digest the channel received. */
  last: DigestEntry | null;
  nextRun: Date | null;
}

/** The result of `/ceasefire digest on …`. */
export type SubscribeResult = { ok: true; subscription: DigestSubscription } | { ok: false; problem: string };

/** What the service works with. */
export interface DigestServiceDeps {
  store: Store;
  poster: DigestPoster;
  articles: () => readonly Article[];
  defaults: Config['digest'];
  scheduler?: DigestScheduler;
  now?: () => Date;
}

const EXAMPLE = `\`${SLASH_COMMAND} digest on 08:30 Europe/Kyiv\``;

/** Reads `[HH:MM] [zone]` (either, both, or neither, in any order). */
export function parseSchedule(
  args: string,
  defaults: Pick<Config['digest'], 'time' | 'timeZone'>,
): { time: string; timeZone: string } | { problem: string } {
  let { time, timeZone } = defaults;
  for (const word of args.split(/\s+/).filter(Boolean)) {
    if (/^\d{1,2}[:.h]\d{2}$/.test(word)) {
      const [h = '', m = ''] = word.split(/[:.h]/);
      time = `${h.padStart(2, '0')}:${m}`;
      if (!isClockTime(time))
        return { problem: `“${word}” is not a time of day: use 24-hour HH:MM, e.g. ${EXAMPLE}.` };
    } else if (isTimeZone(word)) {
      // The runtime's spelling fixes the case ("europe/paris"); an alias the runtime maps elsewhere
      // (Europe/Kyiv → Europe/Kiev in older time zone data) stays as the person wrote it.
      const resolved = new Intl.DateTimeFormat('en-US', { timeZone: word }).resolvedOptions().timeZone;
      timeZone = resolved.toLowerCase() === word.toLowerCase() ? resolved : word;
    } else {
      return {
        problem: `“${word}” is neither a time (HH:MM) nor a time zone I know: use an IANA zone such as Europe/Kyiv, America/New_York or UTC, e.g. ${EXAMPLE}.`,
      };
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

  async status(channelId: string): Promise<ChannelDigestStatus> {
    const { store, scheduler, defaults } = this.deps;
    const subscription = (await store.digestSubscriptions()).find((s) => s.channelId === channelId) ?? null;
    const date = localDate(this.now(), subscription?.timeZone ?? defaults.timeZone);
    return {
      channelId,
      subscription,
      today: await store.digestEntry(channelId, date),
      last: (await store.lastDigest(channelId))?.entry ?? null,
      nextRun: scheduler?.nextRun(channelId) ?? null,
    };
  }

  /** Today's digest as this channel would get it. */
  async preview(channelId: string): Promise<Digest> {
    const { store, defaults } = this.deps;
    const subscription = (await store.digestSubscriptions()).find((s) => s.channelId === channelId);
    const last = await store.lastDigest(channelId);
    return buildDigest(
      this.deps.articles(),
      last?.snapshot ?? null,
      localDate(this.now(), subscription?.timeZone ?? defaults.timeZone),
    );
  }

  async subscribe(channelId: string, userId: string, args: string): Promise<SubscribeResult> {
    const schedule = parseSchedule(args, this.deps.defaults);
    if ('problem' in schedule) return { ok: false, problem: schedule.problem };
    const notice = `<@${userId}> subscribed this conversation to the daily ceasefire digest at ${schedule.time} (${escapeText(schedule.timeZone)}). Stop it with \`${SLASH_COMMAND} digest off\`.`;
    try {
      await this.deps.poster.notify(channelId, message(notice, [section(notice)]));
    } catch (error) {
      const code = slackErrorCode(error);
      return {
        ok: false,
        problem: isNotAMember(code)
          ? `I can't post in this channel (${code}), so I did not subscribe it. Invite me first with \`/invite @ceasefire\`, then run the command again.`
          : `Slack did not let me post here (${code}), so I did not subscribe this channel. Please try again in a moment.`,
      };
    }
    const subscription = {
      channelId,
      time: schedule.time,
      timeZone: schedule.timeZone,
      source: 'command' as const,
      subscribedBy: userId,
    };
    await this.deps.store.saveDigestSubscription(subscription);
    await this.deps.scheduler?.refresh();
    return { ok: true, subscription: { ...subscription, status: 'active', lastError: null } };
  }

  /** Unsubscribes a channel. A channel listed in DIGEST_CHANNELS stays: only the configuration removes it. */
  async unsubscribe(channelId: string): Promise<'removed' | 'not-subscribed' | 'configured'> {
    if (this.deps.defaults.channels.includes(channelId)) return 'configured';
    const removed = await this.deps.store.removeDigestSubscription(channelId);
    await this.deps.scheduler?.refresh();
    return removed ? 'removed' : 'not-subscribed';
  }

  /** Every subscription, for App Home. */
  subscriptions(): Promise<DigestSubscription[]> {
    return this.deps.store.digestSubscriptions();
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}
