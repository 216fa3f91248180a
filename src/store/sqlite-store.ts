/**
 * The store in an embedded SQLite file (better-sqlite3). Opening checks the
 * file and brings its schema up to date; a file that is not a database, is
 * damaged, is from a newer version, or cannot be written is refused with a
 * `StoreError` that says what to do, and is never replaced or emptied.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { StoreError } from '../errors.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import {
  adoptingWorkspace,
  claimKeys,
  ENTRY_COLUMNS,
  fromInstallationRow,
  type InstallationRow,
  installationRow,
  KeyedQueue,
  LATEST_INSTALLATION,
  LOCK_WAIT_MS,
  reclaimDigest,
  SUBSCRIPTION_COLUMNS,
  WORKSPACE_COLUMNS,
  WORKSPACE_TABLES,
  workspaceFilter,
} from './semantics.js';
import type {
  DigestChannel,
  DigestClaim,
  DigestEntry,
  DigestSubscription,
  DigestWorkspace,
  Feedback,
  FeedbackTotals,
  Gap,
  InstallationKey,
  LockOptions,
  ReceivedSnapshot,
  Store,
  StoredInstallation,
  Workspace,
} from './store.js';

/** The database file's name inside `DATA_DIR`. */
export const DATABASE_FILE = 'ceasefire.db';

/** Expired claims are deleted at most this often, so the table stays small without work on every call. */
const PURGE_INTERVAL_MS = 60_000;

/**
 * How long a lock stays taken when its holder's process dies without letting
 * go. Work done under a lock (a token refresh) takes seconds; a holder still
 * busy after this long may find the lock taken over.
 */
export const LOCK_LEASE_MS = 60_000;

/** How often a caller waiting for a lock held by another process looks again. */
const LOCK_POLL_MS = 25;

/** Options for opening a store. */
export interface SqliteStoreOptions {
  /** Clock in milliseconds; tests pass their own. */
  now?: () => number;
  /** Schema steps to apply (default: all of `MIGRATIONS`). */
  migrations?: readonly Migration[];
}

/** The store in one SQLite file. */
export class SqliteStore implements Store {
  private lastPurge = 0;
  private readonly statements;
  private readonly lockQueue = new KeyedQueue();

  private constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    private readonly now: () => number,
  ) {
    this.statements = {
      expireKey: db.prepare('DELETE FROM claims WHERE key = ? AND expires_at <= ?'),
      insertKey: db.prepare('INSERT OR IGNORE INTO claims (key, expires_at) VALUES (?, ?)'),
      purge: db.prepare('DELETE FROM claims WHERE expires_at <= ?'),
      feedback: db.prepare(
        `INSERT INTO feedback (user_id, question, fact_offset, team_id, enterprise_id, channel_id, helpful,
                               recorded_at)
         VALUES (@userId, @question, @offset, @teamId, @enterpriseId, @channelId, @helpful, @at)
         ON CONFLICT (user_id, question, fact_offset) DO UPDATE SET
           helpful = excluded.helpful, recorded_at = excluded.recorded_at, team_id = excluded.team_id,
           enterprise_id = excluded.enterprise_id, channel_id = excluded.channel_id`,
      ),
      rating: db.prepare(
        'SELECT helpful FROM feedback WHERE user_id = ? AND question = ? AND fact_offset = ?',
      ),
      totals: db.prepare(
        'SELECT COALESCE(SUM(helpful), 0) AS helpful, COALESCE(SUM(1 - helpful), 0) AS unhelpful FROM feedback',
      ),
      insertGap: db.prepare(
        `INSERT INTO gaps (kind, question, surface, team_id, enterprise_id, recorded_at)
         VALUES (@kind, @question, @surface, @teamId, @enterpriseId, @at)`,
      ),
      gaps: db.prepare(
        `SELECT kind, question, surface, team_id AS teamId, enterprise_id AS enterpriseId, recorded_at AS at
         FROM gaps WHERE recorded_at >= ? ORDER BY recorded_at, id`,
      ),
      teamGaps: db.prepare(
        `SELECT kind, question, surface, team_id AS teamId, enterprise_id AS enterpriseId, recorded_at AS at
         FROM gaps WHERE recorded_at >= ? AND team_id = ? ORDER BY recorded_at, id`,
      ),
      purgeGaps: db.prepare('DELETE FROM gaps WHERE recorded_at < ?'),
      subscriptions: db.prepare(
        `SELECT ${SUBSCRIPTION_COLUMNS} FROM digest_subscriptions WHERE team_id = ? ORDER BY channel_id`,
      ),
      allSubscriptions: db.prepare(
        `SELECT ${SUBSCRIPTION_COLUMNS} FROM digest_subscriptions ORDER BY team_id, channel_id`,
      ),
      subscription: db.prepare(
        `SELECT ${SUBSCRIPTION_COLUMNS} FROM digest_subscriptions WHERE team_id = ? AND channel_id = ?`,
      ),
      saveSubscription: db.prepare(
        `INSERT INTO digest_subscriptions (team_id, channel_id, enterprise_id, time, time_zone, source, subscribed_by,
                                          status, updated_at)
         VALUES (@teamId, @channelId, @enterpriseId, @time, @timeZone, @source, @subscribedBy, 'active', @at)
         ON CONFLICT (team_id, channel_id) DO UPDATE SET
           enterprise_id = excluded.enterprise_id, time = excluded.time, time_zone = excluded.time_zone,
           source = excluded.source, subscribed_by = excluded.subscribed_by, status = 'active', last_error = NULL,
           updated_at = excluded.updated_at`,
      ),
      removeSubscription: db.prepare('DELETE FROM digest_subscriptions WHERE team_id = ? AND channel_id = ?'),
      markSubscription: db.prepare(
        `UPDATE digest_subscriptions SET status = @status, last_error = @error, updated_at = @at
         WHERE team_id = @teamId AND channel_id = @channelId`,
      ),
      entry: db.prepare(
        `SELECT ${ENTRY_COLUMNS} FROM digest_ledger WHERE team_id = ? AND channel_id = ? AND local_date = ?`,
      ),
      lastDigest: db.prepare(
        `SELECT ${ENTRY_COLUMNS}, snapshot
         FROM digest_ledger WHERE team_id = ? AND channel_id = ? AND state IN ('posted', 'skipped')
         ORDER BY local_date DESC LIMIT 1`,
      ),
      insertClaim: db.prepare(
        `INSERT INTO digest_ledger (team_id, channel_id, local_date, enterprise_id, state, owner, claimed_at, attempts)
         VALUES (?, ?, ?, ?, 'claimed', ?, ?, 1)`,
      ),
      renewClaim: db.prepare(
        `UPDATE digest_ledger SET state = 'claimed', owner = ?, claimed_at = ?, attempts = attempts + 1,
                error = NULL, finished_at = NULL
         WHERE team_id = ? AND channel_id = ? AND local_date = ?`,
      ),
      finish: db.prepare(
        `UPDATE digest_ledger SET state = @state, message_ts = @messageTs, snapshot = @snapshot, error = NULL,
                finished_at = @at
         WHERE team_id = @teamId AND channel_id = @channelId AND local_date = @date`,
      ),
      abandon: db.prepare(
        `UPDATE digest_ledger SET state = @state, error = @error, finished_at = @at
         WHERE team_id = @teamId AND channel_id = @channelId AND local_date = @date`,
      ),
      // A row the workspace already has for the same key stays (OR IGNORE); the old one goes either way.
      adoptSubscriptions: db.prepare(
        `INSERT OR IGNORE INTO digest_subscriptions (team_id, channel_id, enterprise_id, time, time_zone, source,
                                                    subscribed_by, status, last_error, updated_at)
         SELECT @teamId, channel_id, @enterpriseId, time, time_zone, source, subscribed_by, status, last_error,
                updated_at
         FROM digest_subscriptions WHERE team_id = ''`,
      ),
      adoptLedger: db.prepare(
        `INSERT OR IGNORE INTO digest_ledger (team_id, channel_id, local_date, enterprise_id, state, owner, claimed_at,
                                             attempts, message_ts, error, snapshot, finished_at)
         SELECT @teamId, channel_id, local_date, @enterpriseId, state, owner, claimed_at, attempts, message_ts, error,
                snapshot, finished_at
         FROM digest_ledger WHERE team_id = ''`,
      ),
      dropUnowned: [
        db.prepare("DELETE FROM digest_subscriptions WHERE team_id = ''"),
        db.prepare("DELETE FROM digest_ledger WHERE team_id = ''"),
      ],
      saveInstallation: db.prepare(
        `INSERT INTO installations (enterprise_id, team_id, user_id, installed_by, data, updated_at)
         VALUES (@enterpriseId, @teamId, @userId, @installedBy, @data, @at)
         ON CONFLICT (enterprise_id, team_id, user_id) DO UPDATE SET
           installed_by = excluded.installed_by, data = excluded.data, updated_at = excluded.updated_at`,
      ),
      findInstallation: db.prepare(
        `SELECT enterprise_id, team_id, installed_by, data, updated_at FROM installations
         WHERE enterprise_id = ? AND team_id = ? AND user_id = ?`,
      ),
      deleteInstallations: db.prepare('DELETE FROM installations WHERE enterprise_id = ? AND team_id = ?'),
      deleteUserInstallation: db.prepare(
        'DELETE FROM installations WHERE enterprise_id = ? AND team_id = ? AND user_id = ?',
      ),
      installations: db.prepare(
        `SELECT enterprise_id, team_id, installed_by, data, updated_at FROM installations
         WHERE user_id = '${LATEST_INSTALLATION}' ORDER BY enterprise_id, team_id`,
      ),
      deleteWorkspaceInstallations: {
        team_id: db.prepare('DELETE FROM installations WHERE team_id = ?'),
        enterprise_id: db.prepare('DELETE FROM installations WHERE enterprise_id = ?'),
      },
      // Everything a workspace (team_id) or an org (enterprise_id) leaves behind, installations aside.
      deleteWorkspaceRows: Object.fromEntries(
        WORKSPACE_COLUMNS.map((column) => [
          column,
          WORKSPACE_TABLES.map((table) => db.prepare(`DELETE FROM ${table} WHERE ${column} = ?`)),
        ]),
      ) as Record<(typeof WORKSPACE_COLUMNS)[number], Database.Statement[]>,
      expireLease: db.prepare('DELETE FROM leases WHERE name = ? AND expires_at <= ?'),
      takeLease: db.prepare('INSERT OR IGNORE INTO leases (name, owner, expires_at) VALUES (?, ?, ?)'),
      releaseLease: db.prepare('DELETE FROM leases WHERE name = ? AND owner = ?'),
      ping: db.prepare('SELECT 1'),
    };
  }

  /**
   * Opens (creating when absent) the database in `dataDir` and migrates it.
   * Throws `StoreError` when the folder or file cannot be used.
   */
  static open(dataDir: string, options: SqliteStoreOptions = {}): SqliteStore {
    const file = path.join(dataDir, DATABASE_FILE);
    try {
      mkdirSync(dataDir, { recursive: true });
    } catch (error) {
      throw new StoreError(
        `The data folder ${dataDir} cannot be created (${codeOf(error)}): set DATA_DIR to a writable folder.`,
        { cause: error },
      );
    }
    let db: Database.Database | undefined;
    try {
      db = new Database(file, { fileMustExist: false });
      db.pragma('busy_timeout = 5000');
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new StoreError(damaged(file, String(check)));
      db.pragma('journal_mode = WAL');
      migrate(db, file, options.migrations ?? MIGRATIONS);
      const store = new SqliteStore(db, file, options.now ?? Date.now);
      // A write at startup: an unwritable file is reported now, not at the first event.
      store.purgeExpired();
      return store;
    } catch (error) {
      db?.close();
      throw error instanceof StoreError ? error : storeError(file, error);
    }
  }

  async claim(keys: readonly string[], ttlMs: number): Promise<boolean> {
    const now = this.now();
    const unique = claimKeys(keys);
    return this.run(() => {
      if (now - this.lastPurge > PURGE_INTERVAL_MS) this.purgeExpired();
      return this.db.transaction(() => {
        let fresh = 0;
        for (const key of unique) {
          this.statements.expireKey.run(key, now);
          fresh += this.statements.insertKey.run(key, now + ttlMs).changes;
        }
        return fresh === unique.length;
      })();
    });
  }

  async recordFeedback(feedback: Feedback): Promise<boolean> {
    const helpful = feedback.helpful ? 1 : 0;
    return this.run(() =>
      this.db
        .transaction(() => {
          const before = this.statements.rating.get(feedback.userId, feedback.question, feedback.offset) as
            | { helpful: number }
            | undefined;
          this.statements.feedback.run({
            ...feedback,
            enterpriseId: feedback.enterpriseId ?? null,
            helpful,
            at: this.now(),
          });
          return before?.helpful !== helpful;
        })
        .immediate(),
    );
  }

  async feedbackTotals(): Promise<FeedbackTotals> {
    return this.run(() => this.statements.totals.get() as FeedbackTotals);
  }

  async digestSubscriptions(teamId: string): Promise<DigestSubscription[]> {
    return this.run(() => this.statements.subscriptions.all(teamId) as DigestSubscription[]);
  }

  async allDigestSubscriptions(): Promise<DigestSubscription[]> {
    return this.run(() => this.statements.allSubscriptions.all() as DigestSubscription[]);
  }

  async digestSubscription({ teamId, channelId }: DigestChannel): Promise<DigestSubscription | null> {
    return this.run(
      () => (this.statements.subscription.get(teamId, channelId) as DigestSubscription | undefined) ?? null,
    );
  }

  async recordGap(gap: Omit<Gap, 'at'>): Promise<void> {
    this.run(() =>
      this.statements.insertGap.run({ ...gap, enterpriseId: gap.enterpriseId ?? null, at: this.now() }),
    );
  }

  async gaps(sinceMs: number, teamId?: string): Promise<Gap[]> {
    return this.run(
      () =>
        (teamId === undefined
          ? this.statements.gaps.all(sinceMs)
          : this.statements.teamGaps.all(sinceMs, teamId)) as Gap[],
    );
  }

  async purgeGaps(beforeMs: number): Promise<number> {
    return this.run(() => this.statements.purgeGaps.run(beforeMs).changes);
  }

  async saveDigestSubscription(
    subscription: Omit<DigestSubscription, 'status' | 'lastError'>,
  ): Promise<void> {
    const { teamId, channelId, enterpriseId, time, timeZone, source, subscribedBy } = subscription;
    this.run(() =>
      this.statements.saveSubscription.run({
        teamId,
        channelId,
        enterpriseId,
        time,
        timeZone,
        source,
        subscribedBy,
        at: this.now(),
      }),
    );
  }

  async removeDigestSubscription({ teamId, channelId }: DigestChannel): Promise<boolean> {
    return this.run(() => this.statements.removeSubscription.run(teamId, channelId).changes > 0);
  }

  async markDigestSubscription({ teamId, channelId }: DigestChannel, error: string | null): Promise<void> {
    this.run(() =>
      this.statements.markSubscription.run({
        teamId,
        channelId,
        status: error === null ? 'active' : 'failing',
        error,
        at: this.now(),
      }),
    );
  }

  async claimDigest(
    { teamId, channelId, enterpriseId }: DigestChannel & Pick<DigestWorkspace, 'enterpriseId'>,
    date: string,
    owner: string,
    staleAfterMs: number,
    force = false,
  ): Promise<DigestClaim> {
    const now = this.now();
    // IMMEDIATE takes the write lock before reading, so two processes cannot both see the day as free.
    return this.run(() =>
      this.db
        .transaction((): DigestClaim => {
          const entry = this.statements.entry.get(teamId, channelId, date) as DigestEntry | undefined;
          if (!entry) {
            this.statements.insertClaim.run(teamId, channelId, date, enterpriseId, owner, now);
            return { claimed: true, verify: false };
          }
          const claim = reclaimDigest(entry, now, staleAfterMs, force);
          if (claim.claimed) this.statements.renewClaim.run(owner, now, teamId, channelId, date);
          return claim;
        })
        .immediate(),
    );
  }

  async finishDigest(
    { teamId, channelId }: DigestChannel,
    date: string,
    outcome: { state: 'posted'; messageTs: string } | { state: 'skipped' },
    snapshot: ReceivedSnapshot,
  ): Promise<void> {
    this.run(() =>
      this.statements.finish.run({
        teamId,
        channelId,
        date,
        state: outcome.state,
        messageTs: outcome.state === 'posted' ? outcome.messageTs : null,
        snapshot: JSON.stringify(snapshot),
        at: this.now(),
      }),
    );
  }

  async abandonDigest(
    { teamId, channelId }: DigestChannel,
    date: string,
    state: 'failed' | 'uncertain',
    error: string,
  ): Promise<void> {
    this.run(() => this.statements.abandon.run({ teamId, channelId, date, state, error, at: this.now() }));
  }

  async digestEntry({ teamId, channelId }: DigestChannel, date: string): Promise<DigestEntry | null> {
    return this.run(
      () => (this.statements.entry.get(teamId, channelId, date) as DigestEntry | undefined) ?? null,
    );
  }

  async lastDigest({
    teamId,
    channelId,
  }: DigestChannel): Promise<{ entry: DigestEntry; snapshot: ReceivedSnapshot } | null> {
    return this.run(() => {
      const row = this.statements.lastDigest.get(teamId, channelId) as
        | (DigestEntry & { snapshot: string | null })
        | undefined;
      if (!row) return null;
      const { snapshot, ...entry } = row;
      return { entry, snapshot: snapshot ? (JSON.parse(snapshot) as ReceivedSnapshot) : {} };
    });
  }

  async adoptDigests(workspace: DigestWorkspace): Promise<number> {
    const owner = adoptingWorkspace(workspace);
    return this.run(() =>
      this.db
        .transaction(() => {
          const adopted =
            this.statements.adoptSubscriptions.run(owner).changes +
            this.statements.adoptLedger.run(owner).changes;
          for (const statement of this.statements.dropUnowned) statement.run();
          return adopted;
        })
        .immediate(),
    );
  }

  async saveInstallation(key: InstallationKey, userId: string, data: object): Promise<void> {
    const row = { ...installationRow(key), installedBy: userId, data: JSON.stringify(data), at: this.now() };
    this.run(() =>
      this.db.transaction(() => {
        this.statements.saveInstallation.run({ ...row, userId: LATEST_INSTALLATION });
        this.statements.saveInstallation.run({ ...row, userId });
      })(),
    );
  }

  async findInstallation(key: InstallationKey, userId?: string): Promise<StoredInstallation | null> {
    const { enterpriseId, teamId } = installationRow(key);
    return this.run(() => {
      const row = this.statements.findInstallation.get(enterpriseId, teamId, userId ?? LATEST_INSTALLATION) as
        | InstallationRow
        | undefined;
      return row ? fromInstallationRow(row) : null;
    });
  }

  async deleteInstallation(key: InstallationKey, userId?: string): Promise<number> {
    const { enterpriseId, teamId } = installationRow(key);
    return this.run(
      () =>
        (userId === undefined
          ? this.statements.deleteInstallations.run(enterpriseId, teamId)
          : this.statements.deleteUserInstallation.run(enterpriseId, teamId, userId)
        ).changes,
    );
  }

  async installations(): Promise<StoredInstallation[]> {
    return this.run(() =>
      (this.statements.installations.all() as InstallationRow[]).map(fromInstallationRow),
    );
  }

  async deleteWorkspace(workspace: Workspace): Promise<void> {
    const { column, id } = workspaceFilter(workspace);
    this.run(() =>
      this.db.transaction(() => {
        this.statements.deleteWorkspaceInstallations[column].run(id);
        for (const statement of this.statements.deleteWorkspaceRows[column]) statement.run(id);
      })(),
    );
  }

  /**
   * The lock is a lease row that other processes on the same file can see:
   * taking it is one IMMEDIATE transaction (expire a dead holder's lease,
   * insert ours unless one is there), so two processes cannot both take it.
   * Waiting callers of this process queue in memory; other processes look
   * again every few milliseconds.
   */
  async withLock<T>(name: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
    const waitMs = options.waitMs ?? LOCK_WAIT_MS;
    return this.lockQueue.run(name, async () => {
      const owner = randomUUID();
      const giveUpAt = performance.now() + waitMs;
      while (!this.takeLease(name, owner)) {
        if (performance.now() >= giveUpAt) {
          throw new StoreError(
            `The lock "${name}" in ${this.file} was still held by another process after ${waitMs} ms: ` +
              'try again later; a process that died holding it lets go within a minute.',
          );
        }
        await sleep(LOCK_POLL_MS);
      }
      try {
        return await work();
      } finally {
        // A release that fails (the file went away) leaves the lease to expire on its own.
        try {
          this.statements.releaseLease.run(name, owner);
        } catch {}
      }
    });
  }

  async ping(): Promise<void> {
    this.run(() => this.statements.ping.get());
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private takeLease(name: string, owner: string): boolean {
    const now = this.now();
    return this.run(() =>
      this.db
        .transaction(() => {
          this.statements.expireLease.run(name, now);
          return this.statements.takeLease.run(name, owner, now + LOCK_LEASE_MS).changes === 1;
        })
        .immediate(),
    );
  }

  private purgeExpired(): void {
    this.lastPurge = this.now();
    this.statements.purge.run(this.lastPurge);
  }

  /** Runs a database step, turning SQLite's errors into a `StoreError` naming the file. */
  private run<T>(step: () => T): T {
    try {
      return step();
    } catch (error) {
      throw storeError(this.file, error);
    }
  }
}

/** Runs every step newer than the database's version, each in a transaction with its version bump. */
function migrate(db: Database.Database, file: string, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new StoreError(
      `${file} has schema version ${current}, newer than this version of the bot knows (${latest}): ` +
        'run the newer version, or set DATA_DIR to another folder.',
    );
  }
  for (const step of migrations) {
    if (step.version <= current) continue;
    // The version is read again under the write lock: another process starting at the same moment may
    // have run this step since, and running it twice would fail on tables that already exist.
    db.transaction(() => {
      if ((db.pragma('user_version', { simple: true }) as number) >= step.version) return;
      db.exec(step.sqlite);
      db.pragma(`user_version = ${step.version}`);
    }).immediate();
  }
}

function storeError(file: string, error: unknown): StoreError {
  const code = codeOf(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new StoreError(damaged(file, detail), { cause: error });
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM') {
    return new StoreError(
      `The database ${file} cannot be opened for writing (${code}: ${detail}): ` +
        'make the file and its folder writable, or set DATA_DIR to a writable folder.',
      { cause: error },
    );
  }
  return new StoreError(`The database ${file} failed (${code}: ${detail}).`, { cause: error });
}

function damaged(file: string, detail: string): string {
  return (
    `The database ${file} is damaged or is not a database (${detail}). It was left untouched: ` +
    'restore it from a backup, or move it aside to start with an empty one.'
  );
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'error';
}
