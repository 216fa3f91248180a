/**
 * The bot's state, behind one interface: which Slack deliveries were already
 * handled (so a retried event is answered once), readers' feedback, the
 * questions the articles did not answer, the daily digest's subscriptions and
 * ledger, and the app's installations. The
 * embedded SQLite implementation serves one process (or a few on one
 * machine); the Postgres one serves any number of replicas. Every method is
 * asynchronous, and every claim is a single atomic step in the database, so
 * two processes never both win one.
 */

/** A reader's rating of one answer. */
export interface Feedback {
  /** Slack user id of the reader. */
  userId: string;
  /** Workspace id, when Slack sent one. */
  teamId: string | null;
  /** Enterprise Grid org id, when Slack sent one: lets an org's uninstall remove its feedback. */
  enterpriseId?: string | null;
  /** Conversation where the answer was shown, when known. */
  channelId: string | null;
  question: string;
  /** Position of the first fact of the rated answer (0 for a first answer, 3 after "More facts"). */
  offset: number;
  helpful: boolean;
}

/** Totals of all feedback. */
export interface FeedbackTotals {
  helpful: number;
  unhelpful: number;
}

/**
 * A conversation in a workspace: the key of the digest's subscriptions and
 * ledger. A Slack Connect channel has one id in every workspace that shares
 * it, so the channel id alone does not say whose digest it is.
 */
export interface DigestChannel {
  /** The workspace (team id); '' only on rows from before workspaces, until `adoptDigests`. */
  teamId: string;
  channelId: string;
}

/** Where a question was asked: the slash command, a mention, or a direct message. */
export type GapSurface = 'command' | 'mention' | 'dm';

/**
 * Why a question is kept for editors: nothing in the articles answered it
 * (`unanswered`), or a reader marked its answer not helpful (`disliked`).
 */
export type GapKind = 'unanswered' | 'disliked';

/**
 * A question the articles served badly. Deliberately without the reader's
 * user id: it tells editors what to add, not who asked. The workspace is
 * kept so that an uninstall deletes its questions too.
 */
export interface Gap {
  kind: GapKind;
  question: string;
  surface: GapSurface;
  /** Workspace id, when Slack sent one. */
  teamId: string | null;
  /** Enterprise Grid org id, when known: lets an org's uninstall remove its questions. */
  enterpriseId?: string | null;
  /** When it was asked (or the answer rated), in milliseconds since the epoch. */
  at: number;
}

/** A workspace as the digest records it: an Enterprise Grid org's uninstall finds its rows by `enterpriseId`. */
export interface DigestWorkspace {
  teamId: string;
  /** The workspace's Enterprise Grid org, when it belongs to one. */
  enterpriseId: string | null;
}

/** A conversation that gets the daily digest. */
export interface DigestSubscription extends DigestChannel {
  /** The workspace's Enterprise Grid org, when it belongs to one. */
  enterpriseId: string | null;
  /** Local time, HH:MM. */
  time: string;
  /** IANA time zone. */
  timeZone: string;
  /** `env`: listed in DIGEST_CHANNELS; `command`: subscribed with `/ceasefire digest on`. */
  source: 'env' | 'command';
  subscribedBy: string | null;
  /** `failing`: the last post was refused for a reason that needs someone to act (e.g. not invited). */
  status: 'active' | 'failing';
  lastError: string | null;
}

/**
 * The ledger entry of one channel's digest for one local day:
 * - `claimed`: a process is posting it (or died while doing so: see `staleAfterMs` of `claimDigest`);
 * - `posted`: done, `messageTs` says which message;
 * - `skipped`: nothing new that day and skipping unchanged digests is on;
 * - `failed`: Slack refused it, so it was not posted and may be tried again;
 * - `uncertain`: Slack may have posted it (a post timed out, or a refused forced post followed one
 *   that went out) and no check proved otherwise: it is checked before any new attempt.
 */
export type DigestState = 'claimed' | 'posted' | 'skipped' | 'failed' | 'uncertain';

/** One ledger entry. */
export interface DigestEntry extends DigestChannel {
  /** The channel's local date, YYYY-MM-DD. */
  date: string;
  state: DigestState;
  claimedAt: number;
  attempts: number;
  messageTs: string | null;
  error: string | null;
}

/**
 * The outcome of claiming a day's digest. `claimed`: the caller posts it;
 * `verify` is true when Slack may already have the day's digest (an earlier
 * attempt was uncertain, its process died mid-post, or the day was posted
 * and is claimed again with `force`): the caller then does not post it on
 * its own unless a check of the channel proves it absent. Otherwise `entry`
 * says why there is nothing to do.
 */
export type DigestClaim = { claimed: true; verify: boolean } | { claimed: false; entry: DigestEntry };

/** What a channel received in its last posted digest: article slug → content hash. */
export type ReceivedSnapshot = Record<string, string>;

/**
 * Where an installation belongs. An org-wide (Enterprise Grid) install has
 * `enterpriseId` and no `teamId`; a workspace install has `teamId`, and
 * `enterpriseId` too when the workspace belongs to an org.
 */
export interface InstallationKey {
  enterpriseId: string | null;
  teamId: string | null;
}

/** A stored installation: the object as it was saved (Bolt's `Installation`), and where it belongs. */
export interface StoredInstallation extends InstallationKey {
  /** Who installed it. */
  userId: string;
  data: object;
  updatedAt: number;
}

/** A workspace (by team id) or a whole Enterprise Grid org (by enterprise id). */
export type Workspace = { teamId: string; enterpriseId?: never } | { enterpriseId: string; teamId?: never };

/** Options of `Store.withLock`. */
export interface LockOptions {
  /** How long to wait for another holder before giving up with a `StoreError` (default 30 s). */
  waitMs?: number;
}

/** Persistent state of the bot. */
export interface Store {
  /**
   * Claims every key at once, for `ttlMs` milliseconds. Resolves true only
   * when none of the keys was claimed before (and is still unexpired): the
   * caller then handles the delivery; false means someone already did.
   */
  claim(keys: readonly string[], ttlMs: number): Promise<boolean>;
  /**
   * Records a rating; a reader rating the same answer again replaces their
   * earlier rating. Resolves true when the rating is new or differs from the
   * reader's earlier one, false when it repeats it.
   */
  recordFeedback(feedback: Feedback): Promise<boolean>;
  /** Totals of all ratings. */
  feedbackTotals(): Promise<FeedbackTotals>;
  /** A workspace's digest subscriptions, by channel id. */
  digestSubscriptions(teamId: string): Promise<DigestSubscription[]>;
  /** Every workspace's digest subscriptions, by team id then channel id (the scheduler's list). */
  allDigestSubscriptions(): Promise<DigestSubscription[]>;
  /** One conversation's subscription, or null. */
  digestSubscription(channel: DigestChannel): Promise<DigestSubscription | null>;
  /** Keeps a question the articles served badly, timed now. */
  recordGap(gap: Omit<Gap, 'at'>): Promise<void>;
  /** The questions kept since `sinceMs` (inclusive), oldest first; with `teamId`, only that workspace's. */
  gaps(sinceMs: number, teamId?: string): Promise<Gap[]>;
  /** Deletes the questions kept before `beforeMs`; resolves how many were deleted. */
  purgeGaps(beforeMs: number): Promise<number>;
  /** Adds or replaces a subscription (its status starts `active`). */
  saveDigestSubscription(subscription: Omit<DigestSubscription, 'status' | 'lastError'>): Promise<void>;
  /** Removes a subscription; resolves false when there was none. */
  removeDigestSubscription(channel: DigestChannel): Promise<boolean>;
  /** Marks a subscription working again (`error` null) or failing with Slack's error code. */
  markDigestSubscription(channel: DigestChannel, error: string | null): Promise<void>;
  /**
   * Atomically claims `(team, channel, date)` for `owner`. Succeeds when the
   * day has no entry, its last attempt failed or was uncertain, its claim is
   * older than `staleAfterMs` (the claimant died), or `force` is set and it
   * was already posted or skipped. A new entry records the workspace's org.
   */
  claimDigest(
    channel: DigestChannel & Pick<DigestWorkspace, 'enterpriseId'>,
    date: string,
    owner: string,
    staleAfterMs: number,
    force?: boolean,
  ): Promise<DigestClaim>;
  /** Records the outcome of a claimed day: posted (with its message ts) or skipped, and what was delivered. */
  finishDigest(
    channel: DigestChannel,
    date: string,
    outcome: { state: 'posted'; messageTs: string } | { state: 'skipped' },
    snapshot: ReceivedSnapshot,
  ): Promise<void>;
  /** Records that a claimed day was not posted (`failed`) or may have been (`uncertain`), with the error code. */
  abandonDigest(
    channel: DigestChannel,
    date: string,
    state: 'failed' | 'uncertain',
    error: string,
  ): Promise<void>;
  /** A day's ledger entry, or null. */
  digestEntry(channel: DigestChannel, date: string): Promise<DigestEntry | null>;
  /** The latest posted or skipped entry of a conversation and what it delivered, or null before its first digest. */
  lastDigest(channel: DigestChannel): Promise<{ entry: DigestEntry; snapshot: ReceivedSnapshot } | null>;
  /**
   * Gives the subscriptions and ledger entries kept before the digest knew
   * workspaces (team '') to `workspace`, the one the single bot token serves,
   * in one atomic step that any number of processes may run at once. Where
   * the workspace already has its own row for the same key, its own row
   * stays and the old one goes. Resolves how many rows were adopted.
   */
  adoptDigests(workspace: DigestWorkspace): Promise<number>;
  /**
   * Saves an installation as its workspace's (or org's) latest, and as the
   * latest of the user who installed it there, in one step.
   */
  saveInstallation(key: InstallationKey, userId: string, data: object): Promise<void>;
  /** The latest installation of a workspace or org, or with `userId` that user's latest there; null when none. */
  findInstallation(key: InstallationKey, userId?: string): Promise<StoredInstallation | null>;
  /**
   * Deletes every installation of a workspace or org, or with `userId` only
   * that user's (the workspace's latest stays). Resolves how many were deleted.
   */
  deleteInstallation(key: InstallationKey, userId?: string): Promise<number>;
  /** The latest installation of every workspace and org, ordered by enterprise id then team id. */
  installations(): Promise<StoredInstallation[]>;
  /**
   * Forgets a workspace that uninstalled the app: its installations, its
   * readers' feedback, its kept questions, and its digest subscriptions and
   * ledger. For an org, every installation in the org, and the feedback,
   * questions and digest rows recorded with its enterprise id (those of every
   * workspace in the org).
   */
  deleteWorkspace(workspace: Workspace): Promise<void>;
  /**
   * Runs `work` while holding the lock `name`, which no other caller, in this
   * process or another one on the same database, holds at the same time.
   * Waits for a holder to finish (up to `waitMs`, then `StoreError`). Not
   * reentrant: `work` must not take the same lock again. `work`'s own errors
   * pass through unchanged.
   */
  withLock<T>(name: string, work: () => Promise<T>, options?: LockOptions): Promise<T>;
  /** Resolves when the database answers; rejects with `StoreError` otherwise (health checks). */
  ping(): Promise<void>;
  /** Releases the database. Further calls fail. */
  close(): Promise<void>;
}
