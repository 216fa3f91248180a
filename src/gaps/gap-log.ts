/**
 * The questions readers asked that the articles did not answer, and the
 * answers they marked not helpful, kept for `GAPS_RETENTION_DAYS` days so
 * that editors see which article to add (`npm run gaps`). What is kept is
 * the question, where it was asked, the workspace and the time: never who
 * asked, and a user id written into the question is blanked out. Keeping
 * is bookkeeping: a failure is logged and never reaches the reader.
 */
import { MAX_QUESTION_CHARS } from '../search/rank.js';
import type { Answer } from '../search/types.js';
import type { Gap, Store } from '../store/store.js';

/** One day in milliseconds. */
export const DAY_MS = 24 * 60 * 60 * 1000;

/** Writing a question also deletes the expired ones at most this often: retention is counted in days. */
const PURGE_ON_WRITE_EVERY_MS = 60 * 60 * 1000;

/** A user id as Slack writes it in text, once `<@U…>` is made readable (`@U0123ABCD`; `W` in Enterprise Grid). */
const USER_ID = /@[UW][A-Z0-9]{6,}\b/g;

/** Where failures are reported: a Bolt logger fits. */
export interface GapLogger {
  error(message: string): void;
}

/** What a `GapLog` works with. */
export interface GapLogOptions {
  store: Store;
  /** Days a question is kept; 0 keeps none. */
  retentionDays: number;
  logger: GapLogger;
  /** Clock in milliseconds; tests pass their own. */
  now?: () => number;
}

/**
 * Whether an answer leaves the question unanswered: no facts and no
 * overview. An answer with a notice (an empty question, or one of only
 * words like "what is it") is not: the question, not the articles, fell short.
 */
export function isUnanswered(answer: Answer): boolean {
  return answer.kind === 'facts' && answer.facts.length === 0 && answer.notice === undefined;
}

/** A question as it is kept: user ids blanked, cut to the length the search reads. */
export function keptQuestion(question: string): string {
  return question.replace(USER_ID, '@someone').trim().slice(0, MAX_QUESTION_CHARS);
}

/** Keeps questions for their retention period and deletes them after it. */
export class GapLog {
  private readonly store: Store;
  private readonly logger: GapLogger;
  private readonly now: () => number;
  private lastPurge = Number.NEGATIVE_INFINITY;
  private purging: Promise<unknown> = Promise.resolve();

  /** Days a question is kept; 0: none is. */
  readonly retentionDays: number;

  constructor(options: GapLogOptions) {
    this.store = options.store;
    this.retentionDays = options.retentionDays;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
  }

  /**
   * The earliest time a question still kept may have: one is past its
   * retention once it is a whole retention period old (with 0, at once).
   */
  keptSince(): number {
    return this.now() - this.retentionDays * DAY_MS + 1;
  }

  /**
   * Keeps a question (nothing when retention is 0), and now and then deletes
   * the expired ones. Never rejects: a failure is logged.
   */
  async record(gap: Omit<Gap, 'at'>): Promise<void> {
    if (this.retentionDays === 0) return;
    try {
      await this.store.recordGap({ ...gap, question: keptQuestion(gap.question) });
    } catch (error) {
      this.logger.error(`A question (${gap.kind}) was not kept for npm run gaps: ${String(error)}`);
      return;
    }
    if (this.now() - this.lastPurge >= PURGE_ON_WRITE_EVERY_MS) await this.purgeLogged();
  }

  /** Deletes every question past its retention (with retention 0, every one); resolves how many. */
  purge(): Promise<number> {
    this.lastPurge = this.now();
    const purged = this.store.purgeGaps(this.keptSince());
    this.purging = purged.catch(() => undefined);
    return purged;
  }

  private purgeLogged(): Promise<void> {
    return this.purge().then(
      () => undefined,
      (error: unknown) => this.logger.error(`Expired questions were not deleted: ${String(error)}`),
    );
  }

  /**
   * Purges now and then once a day, so questions go when their time is up
   * even when none is written. Failures are logged. The returned function
   * stops it and waits for a purge in progress, so the store can be closed.
   */
  purgeDaily(): () => Promise<void> {
    const run = () => void this.purgeLogged();
    run();
    const timer = setInterval(run, DAY_MS);
    // The daily purge alone never keeps the process alive.
    timer.unref();
    return async () => {
      clearInterval(timer);
      await this.purging;
    };
  }
}
