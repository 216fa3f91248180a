/**
 * Runs the daily digest: one croner job per subscribed conversation of
 * every workspace, at its local time (croner handles time zones and
 * daylight-saving changes), a catch-up on start for conversations whose
 * time passed while the bot was down (same local day only), and retries
 * later the same day when a post failed.
 *
 * Every replica runs one. Each reloads the subscriptions from the store
 * every minute, so one made or removed on another replica is scheduled or
 * stopped here too, and looks a subscription up again just before it
 * delivers, so one removed a moment ago is not posted. Which replica posts a
 * day's digest is decided by the ledger's claim, not here.
 */
import { Cron } from 'croner';
import type { DigestChannel, DigestSubscription } from '../store/store.js';
import { type DeliveryDeps, deliverDigest, STALE_CLAIM_MS } from './deliver.js';
import { dailyPattern, isDueToday } from './schedule.js';
import { channelLabel } from './workspaces.js';

/** Waits before retrying a failed post: growing, so a long outage costs few calls. */
export const RETRY_DELAYS_MS: readonly number[] = [60_000, 5 * 60_000, 15 * 60_000, 30 * 60_000, 60 * 60_000];

/** How often the subscriptions are read again from the store: one query a minute per replica. */
export const RELOAD_INTERVAL_MS = 60_000;

/** Options of the scheduler beyond delivery's. */
export interface SchedulerOptions {
  retryDelaysMs?: readonly number[];
  reloadIntervalMs?: number;
}

interface ChannelJob {
  subscription: DigestSubscription;
  daily: Cron;
  retry?: Cron;
  failures: number;
}

/** The digest's clockwork for one process. Several processes may run it on one database. */
export class DigestScheduler {
  private readonly jobs = new Map<string, ChannelJob>();
  private readonly running = new Set<Promise<void>>();
  private readonly retryDelaysMs: readonly number[];
  private readonly reloadIntervalMs: number;
  private reloader: ReturnType<typeof setInterval> | undefined;
  /** The refresh in progress, if any: refreshes run one at a time, or two could schedule one subscription twice. */
  private refreshing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly deps: DeliveryDeps,
    options: SchedulerOptions = {},
  ) {
    this.retryDelaysMs = options.retryDelaysMs ?? RETRY_DELAYS_MS;
    this.reloadIntervalMs = options.reloadIntervalMs ?? RELOAD_INTERVAL_MS;
  }

  /**
   * Schedules every subscription, starts posting the digests already due
   * today (a catch-up after downtime) without holding up the caller, and
   * reloads the subscriptions every minute from then on.
   */
  async start(): Promise<void> {
    await this.refresh();
    for (const job of this.jobs.values()) void this.runIfDue(job);
    this.reloader = setInterval(() => void this.reload(), this.reloadIntervalMs);
    // The reload alone never keeps a process running.
    this.reloader.unref?.();
  }

  /** Resolves when no delivery is in progress (tests; shutdown before closing the store). */
  async settled(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  /** Re-reads subscriptions: new ones are scheduled, changed ones rescheduled, removed ones stopped. */
  refresh(): Promise<void> {
    const next = this.refreshing.then(() => this.applySubscriptions());
    // A failed refresh does not stop the next one.
    this.refreshing = next.catch(() => undefined);
    return next;
  }

  /** The next scheduled run of a conversation's digest, if it is subscribed. */
  nextRun(channel: DigestChannel): Date | null {
    return this.jobs.get(channelLabel(channel))?.daily.nextRun() ?? null;
  }

  /** Stops every job and waits for deliveries in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.reloader);
    await this.refreshing;
    for (const [key, job] of this.jobs) this.drop(key, job);
    await this.settled();
  }

  private async applySubscriptions(): Promise<void> {
    if (this.stopped) return;
    const subscriptions = await this.deps.store.allDigestSubscriptions();
    const live = new Set(subscriptions.map(channelLabel));
    for (const [key, job] of this.jobs) {
      if (!live.has(key)) this.drop(key, job);
    }
    for (const subscription of subscriptions) {
      const key = channelLabel(subscription);
      const job = this.jobs.get(key);
      if (job && sameSchedule(job.subscription, subscription)) {
        job.subscription = subscription;
        continue;
      }
      if (job) this.drop(key, job);
      this.schedule(key, subscription);
    }
  }

  /** The periodic reload: a store that fails now is logged and tried again at the next one. */
  private async reload(): Promise<void> {
    try {
      await this.refresh();
    } catch (error) {
      this.deps.logger.warn(`Digest subscriptions not reloaded (tried again in a minute): ${String(error)}`);
    }
  }

  private schedule(key: string, subscription: DigestSubscription): void {
    const job: ChannelJob = {
      subscription,
      failures: 0,
      daily: new Cron(
        dailyPattern(subscription.time),
        {
          timezone: subscription.timeZone,
          protect: true,
          catch: (error) => this.logError(subscription, error),
        },
        () => this.runIfDue(job),
      ),
    };
    this.jobs.set(key, job);
  }

  private drop(key: string, job: ChannelJob): void {
    job.daily.stop();
    job.retry?.stop();
    if (this.jobs.get(key) === job) this.jobs.delete(key);
  }

  /** Runs `deliver` for a job, tracked so that `settled` and `stop` can wait for it. */
  private runIfDue(job: ChannelJob): Promise<void> {
    const run = this.deliverIfDue(job).finally(() => this.running.delete(run));
    this.running.add(run);
    return run;
  }

  /**
   * The subscription as the store has it now: null when another replica
   * removed it (or its workspace uninstalled) since the last reload. A store
   * that cannot say leaves the decision to the claim, which needs it too.
   */
  private async current(job: ChannelJob): Promise<DigestSubscription | null> {
    try {
      return await this.deps.store.digestSubscription(job.subscription);
    } catch {
      return job.subscription;
    }
  }

  /** Delivers today's digest when its time has come, then arranges a retry if it did not go out. */
  private async deliverIfDue(job: ChannelJob): Promise<void> {
    const { time, timeZone } = job.subscription;
    if (this.stopped || !isDueToday(this.deps.now?.() ?? new Date(), time, timeZone)) return;
    const subscription = await this.current(job);
    if (this.stopped) return;
    if (!subscription || !sameSchedule(subscription, job.subscription)) {
      // Removed or moved to another time elsewhere: the reload brings this process in line.
      await this.reload();
      return;
    }
    job.subscription = subscription;
    const delivery = await deliverDigest(this.deps, subscription);
    if (this.stopped) return;
    job.retry?.stop();
    job.retry = undefined;
    // A channel the bot cannot post in, or a token or scope Slack refuses, needs a person: trying again today is
    // no use (nor for a workspace without the app, which is neither failed nor uncertain).
    const hopeless = delivery.code === 'SLACK_NOT_A_MEMBER' || delivery.code === 'SLACK_ACCESS_DENIED';
    // An uncertain day is tried again too: the next attempt only checks the channel, and posts if that proves it absent.
    const again = delivery.status === 'failed' || delivery.status === 'uncertain';
    if ((again && !hopeless) || delivery.status === 'in-progress') {
      const delay =
        delivery.status === 'in-progress'
          ? (this.deps.staleAfterMs ?? STALE_CLAIM_MS)
          : (this.retryDelaysMs[Math.min(job.failures, this.retryDelaysMs.length - 1)] ?? 60_000);
      job.failures++;
      // A retry past midnight finds the day over (isDueToday) and posts nothing: no stale digests.
      const at = new Date((this.deps.now?.() ?? new Date()).getTime() + delay);
      job.retry = new Cron(at, { catch: (error) => this.logError(job.subscription, error) }, () =>
        this.runIfDue(job),
      );
    } else {
      job.failures = 0;
    }
  }

  private logError(subscription: DigestSubscription, error: unknown): void {
    this.deps.logger.error(`Digest job for ${channelLabel(subscription)} failed: ${String(error)}`);
  }
}

function sameSchedule(a: DigestSubscription, b: DigestSubscription): boolean {
  return a.time === b.time && a.timeZone === b.timeZone;
}
