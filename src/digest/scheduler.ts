/**
 * Runs the daily digest: one croner job per subscribed channel at its local
 * time (croner handles time zones and daylight-saving changes), a catch-up
 * on start for channels whose time passed while the bot was down (same
 * local day only), and retries later the same day when a post failed.
 */
import { Cron } from 'croner';
import type { DigestSubscription } from '../store/store.js';
import { type DeliveryDeps, deliverDigest, STALE_CLAIM_MS } from './deliver.js';
import { dailyPattern, isDueToday } from './schedule.js';

/** Waits before retrying a failed post: growing, so a long outage costs few calls. */
export const RETRY_DELAYS_MS: readonly number[] = [60_000, 5 * 60_000, 15 * 60_000, 30 * 60_000, 60 * 60_000];

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
  private stopped = false;

  constructor(
    private readonly deps: DeliveryDeps,
    private readonly retryDelaysMs: readonly number[] = RETRY_DELAYS_MS,
  ) {}

  /**
   * Schedules every subscription, then starts posting the digests already
   * due today (a catch-up after downtime) without holding up the caller.
   */
  async start(): Promise<void> {
    await this.refresh();
    for (const job of this.jobs.values()) void this.runIfDue(job);
  }

  /** Resolves when no delivery is in progress (tests; shutdown before closing the store). */
  async settled(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  /** Re-reads subscriptions: new ones are scheduled, changed ones rescheduled, removed ones stopped. */
  async refresh(): Promise<void> {
    const subscriptions = await this.deps.store.digestSubscriptions();
    const live = new Set(subscriptions.map((s) => s.channelId));
    for (const [channelId, job] of this.jobs) {
      if (!live.has(channelId)) this.drop(channelId, job);
    }
    for (const subscription of subscriptions) {
      const job = this.jobs.get(subscription.channelId);
      if (
        job &&
        job.subscription.time === subscription.time &&
        job.subscription.timeZone === subscription.timeZone
      ) {
        job.subscription = subscription;
        continue;
      }
      if (job) this.drop(subscription.channelId, job);
      this.schedule(subscription);
    }
  }

  /** The next scheduled run of a channel's digest, if it is subscribed. */
  nextRun(channelId: string): Date | null {
    return this.jobs.get(channelId)?.daily.nextRun() ?? null;
  }

  /** Stops every job and waits for deliveries in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const [channelId, job] of this.jobs) this.drop(channelId, job);
    await this.settled();
  }

  private schedule(subscription: DigestSubscription): void {
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
    this.jobs.set(subscription.channelId, job);
  }

  private drop(channelId: string, job: ChannelJob): void {
    job.daily.stop();
    job.retry?.stop();
    this.jobs.delete(channelId);
  }

  /** Runs `deliver` for a job, tracked so that `settled` and `stop` can wait for it. */
  private runIfDue(job: ChannelJob): Promise<void> {
    const run = this.deliverIfDue(job).finally(() => this.running.delete(run));
    this.running.add(run);
    return run;
  }

  /** Delivers today's digest when its time has come, then arranges a retry if it did not go out. */
  private async deliverIfDue(job: ChannelJob): Promise<void> {
    const { channelId, time, timeZone } = job.subscription;
    if (this.stopped || !isDueToday(this.deps.now?.() ?? new Date(), time, timeZone)) return;
    const delivery = await deliverDigest(this.deps, channelId, timeZone);
    if (this.stopped) return;
    job.retry?.stop();
    job.retry = undefined;
    // A channel the bot cannot post in, or a token or scope Slack refuses, needs a person: trying again today is no use.
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
    this.deps.logger.error(`Digest job for ${subscription.channelId} failed: ${String(error)}`);
  }
}
