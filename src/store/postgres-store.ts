/**
 * The store in Postgres (node-postgres), for any number of bot processes on
 * one database. Opening connects, then creates or migrates the schema under
 * a lock, so replicas starting together migrate once. A database that cannot
 * be reached, refuses the login or is missing is reported with a
 * `StoreError` naming DATABASE_URL's host and database, never its password.
 * While running, a failing query raises `StoreError` and a lost connection is
 * replaced on the next query, so the store recovers when the database does.
 *
 * Every claim is decided by the database, not by the process: see `claim`,
 * `claimDigest` and `withLock` for why two replicas cannot both win one.
 * Times are the processes' own clocks in milliseconds, as in SQLite, so
 * replicas' clocks must agree to well within the claims' lifetimes
 * (minutes to a day), which NTP gives.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
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

/** Expired claims are deleted at most this often by each process. */
const PURGE_INTERVAL_MS = 60_000;

/**
 * The first key of the bot's advisory locks: one number for the schema
 * lock, one for `withLock`, so neither waits for the other, and both apart
 * from locks another application may take in the same database.
 */
const ADVISORY = { schema: 0x63660001, named: 0x63660002 } as const;

/**
 * Longest an everyday statement may run on the server, and a query may wait
 * for its answer (a dead network). Schema steps have no server limit and the
 * longer client one: on a big database a step may take minutes.
 */
const STATEMENT_TIMEOUT_MS = 15_000;
const QUERY_TIMEOUT_MS = 20_000;
const SCHEMA_QUERY_TIMEOUT_MS = 30 * 60_000;

/** Where problems are reported: a Bolt logger fits. */
export interface StoreLogger {
  warn(message: string): void;
}

/** Options for opening a store. */
export interface PostgresStoreOptions {
  /** Clock in milliseconds; tests pass their own. */
  now?: () => number;
  /** Schema steps to apply (default: all of `MIGRATIONS`). */
  migrations?: readonly Migration[];
  /** Told about connections that fail while idle (they are replaced). */
  logger?: StoreLogger;
  /** Connections this process keeps at most (default 10; at least 2, since work under `withLock` needs one). */
  maxConnections?: number;
  /** How long to wait for a new connection before failing (default 5 s). */
  connectTimeoutMs?: number;
  /** Longest an everyday statement may run on the server (default 15 s). */
  statementTimeoutMs?: number;
}

/**
 * BIGINT columns hold millisecond times and counts, well within a double's
 * exact range; node-postgres would return them as strings. Per pool, so the
 * driver's global parsers stay untouched.
 */
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/** The store in a Postgres database. */
export class PostgresStore implements Store {
  private lastPurge = 0;
  private closed = false;
  private readonly lockQueue = new KeyedQueue();

  private constructor(
    private readonly pool: pg.Pool,
    private readonly database: DatabaseName,
    private readonly now: () => number,
    private readonly logger: StoreLogger | undefined,
  ) {}

  /**
   * Connects to `url` (DATABASE_URL) and brings the schema up to date.
   * Throws `StoreError` when the database cannot be reached or used.
   */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const database = describeDatabase(url);
    const pool = new pg.Pool({
      connectionString: url,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      statement_timeout: options.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS,
      query_timeout: QUERY_TIMEOUT_MS,
      application_name: 'ceasefire-bot',
      types: TYPES,
    });
    // An idle connection that breaks (the server restarted, a network blip) is reported here. Without a
    // listener the pool would rethrow it and end the process; with one, the pool drops the connection and
    // the next query opens a new one.
    pool.on('error', (error) => {
      options.logger?.warn(
        `An idle connection to the database ${database.where} failed (${describeError(error, database)}); ` +
          'it is replaced on the next query.',
      );
    });
    const store = new PostgresStore(pool, database, options.now ?? Date.now, options.logger);
    try {
      await store.migrate(options.migrations ?? MIGRATIONS);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw store.failure(error);
    }
    return store;
  }

  /**
   * One statement per call. Of several processes inserting the same new key,
   * Postgres lets one insert and makes the others wait for its transaction,
   * then sends them to ON CONFLICT; there the row is locked and the WHERE
   * re-read on its latest version, so an expired claim is renewed by exactly
   * one of them and a live one by none. Keys go in sorted order so two calls
   * sharing keys lock them in the same order and cannot deadlock.
   */
  async claim(keys: readonly string[], ttlMs: number): Promise<boolean> {
    const now = this.now();
    const unique = claimKeys(keys);
    if (now - this.lastPurge > PURGE_INTERVAL_MS) {
      this.lastPurge = now;
      await this.query('DELETE FROM claims WHERE expires_at <= $1', [now]);
    }
    const { rowCount } = await this.query(
      `INSERT INTO claims (key, expires_at)
       SELECT key, $2 FROM unnest($1::text[]) WITH ORDINALITY AS input (key, position) ORDER BY position
       ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE claims.expires_at <= $3`,
      [unique, now + ttlMs, now],
    );
    return rowCount === unique.length;
  }

  /**
   * One statement: the WITH reads the reader's earlier rating from the
   * statement's snapshot, before the upsert replaces it. Of two clicks racing
   * on a new rating, the second waits at ON CONFLICT and still sees no
   * earlier rating: both count as new, which only the same reader's double
   * click can cause.
   */
  async recordFeedback(feedback: Feedback): Promise<boolean> {
    const { rows } = await this.query<{ changed: boolean }>(
      `WITH earlier AS (
         SELECT helpful FROM feedback WHERE user_id = $1 AND question = $2 AND fact_offset = $3
       )
       INSERT INTO feedback (user_id, question, fact_offset, team_id, enterprise_id, channel_id, helpful,
                             recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (user_id, question, fact_offset) DO UPDATE SET
         helpful = excluded.helpful, recorded_at = excluded.recorded_at, team_id = excluded.team_id,
         enterprise_id = excluded.enterprise_id, channel_id = excluded.channel_id
       RETURNING (SELECT helpful FROM earlier) IS DISTINCT FROM $7 AS changed`,
      [
        feedback.userId,
        feedback.question,
        feedback.offset,
        feedback.teamId,
        feedback.enterpriseId ?? null,
        feedback.channelId,
        feedback.helpful,
        this.now(),
      ],
    );
    return rows[0]?.changed ?? true;
  }

  async recordGap(gap: Omit<Gap, 'at'>): Promise<void> {
    await this.query(
      `INSERT INTO gaps (kind, question, surface, team_id, enterprise_id, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [gap.kind, gap.question, gap.surface, gap.teamId, gap.enterpriseId ?? null, this.now()],
    );
  }

  async gaps(sinceMs: number, teamId?: string): Promise<Gap[]> {
    const { rows } = await this.query<Gap>(
      `SELECT kind, question, surface, team_id AS "teamId", enterprise_id AS "enterpriseId", recorded_at AS at
       FROM gaps WHERE recorded_at >= $1 AND ($2::text IS NULL OR team_id = $2)
       ORDER BY recorded_at, id`,
      [sinceMs, teamId ?? null],
    );
    return rows;
  }

  async purgeGaps(beforeMs: number): Promise<number> {
    const { rowCount } = await this.query('DELETE FROM gaps WHERE recorded_at < $1', [beforeMs]);
    return rowCount ?? 0;
  }

  async feedbackTotals(): Promise<FeedbackTotals> {
    const { rows } = await this.query<FeedbackTotals>(
      `SELECT count(*) FILTER (WHERE helpful) AS helpful, count(*) FILTER (WHERE NOT helpful) AS unhelpful
       FROM feedback`,
    );
    return rows[0] ?? { helpful: 0, unhelpful: 0 };
  }

  async digestSubscriptions(teamId: string): Promise<DigestSubscription[]> {
    // COLLATE "C" here and in `installations`: byte order, as SQLite sorts, whatever the database's locale.
    const { rows } = await this.query<DigestSubscription>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM digest_subscriptions WHERE team_id = $1 ORDER BY channel_id COLLATE "C"`,
      [teamId],
    );
    return rows;
  }

  async allDigestSubscriptions(): Promise<DigestSubscription[]> {
    const { rows } = await this.query<DigestSubscription>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM digest_subscriptions
       ORDER BY team_id COLLATE "C", channel_id COLLATE "C"`,
    );
    return rows;
  }

  async digestSubscription({ teamId, channelId }: DigestChannel): Promise<DigestSubscription | null> {
    const { rows } = await this.query<DigestSubscription>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM digest_subscriptions WHERE team_id = $1 AND channel_id = $2`,
      [teamId, channelId],
    );
    return rows[0] ?? null;
  }

  async saveDigestSubscription(
    subscription: Omit<DigestSubscription, 'status' | 'lastError'>,
  ): Promise<void> {
    await this.query(
      `INSERT INTO digest_subscriptions (team_id, channel_id, enterprise_id, time, time_zone, source, subscribed_by,
                                        status, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8)
       ON CONFLICT (team_id, channel_id) DO UPDATE SET
         enterprise_id = excluded.enterprise_id, time = excluded.time, time_zone = excluded.time_zone,
         source = excluded.source, subscribed_by = excluded.subscribed_by, status = 'active', last_error = NULL,
         updated_at = excluded.updated_at`,
      [
        subscription.teamId,
        subscription.channelId,
        subscription.enterpriseId,
        subscription.time,
        subscription.timeZone,
        subscription.source,
        subscription.subscribedBy,
        this.now(),
      ],
    );
  }

  async removeDigestSubscription({ teamId, channelId }: DigestChannel): Promise<boolean> {
    const { rowCount } = await this.query(
      'DELETE FROM digest_subscriptions WHERE team_id = $1 AND channel_id = $2',
      [teamId, channelId],
    );
    return (rowCount ?? 0) > 0;
  }

  async markDigestSubscription({ teamId, channelId }: DigestChannel, error: string | null): Promise<void> {
    await this.query(
      `UPDATE digest_subscriptions SET status = $3, last_error = $4, updated_at = $5
       WHERE team_id = $1 AND channel_id = $2`,
      [teamId, channelId, error === null ? 'active' : 'failing', error, this.now()],
    );
  }

  /**
   * One transaction in two steps. First an insert that does nothing when the
   * day has an entry: of processes inserting the same new day, one succeeds
   * and the others wait for its commit, then find the entry. Otherwise the
   * entry is read FOR UPDATE: processes that all found it take turns, and
   * each sees the entry as the one before it left it (READ COMMITTED re-reads
   * a row it had to wait for), so a day freed by failure or a stale claim is
   * taken by one of them only.
   */
  async claimDigest(
    { teamId, channelId, enterpriseId }: DigestChannel & Pick<DigestWorkspace, 'enterpriseId'>,
    date: string,
    owner: string,
    staleAfterMs: number,
    force = false,
  ): Promise<DigestClaim> {
    const now = this.now();
    return this.transaction(async (client) => {
      for (;;) {
        const inserted = await client.query(
          `INSERT INTO digest_ledger (team_id, channel_id, local_date, enterprise_id, state, owner, claimed_at,
                                     attempts)
           VALUES ($1, $2, $3, $4, 'claimed', $5, $6, 1) ON CONFLICT DO NOTHING`,
          [teamId, channelId, date, enterpriseId, owner, now],
        );
        if (inserted.rowCount === 1) return { claimed: true, verify: false };
        const { rows } = await client.query<DigestEntry>(
          `SELECT ${ENTRY_COLUMNS} FROM digest_ledger
           WHERE team_id = $1 AND channel_id = $2 AND local_date = $3 FOR UPDATE`,
          [teamId, channelId, date],
        );
        const entry = rows[0];
        // Deleted between the two statements (its workspace was removed): the day is free again.
        if (!entry) continue;
        const claim = reclaimDigest(entry, now, staleAfterMs, force);
        if (claim.claimed) {
          await client.query(
            `UPDATE digest_ledger SET state = 'claimed', owner = $4, claimed_at = $5, attempts = attempts + 1,
                    error = NULL, finished_at = NULL
             WHERE team_id = $1 AND channel_id = $2 AND local_date = $3`,
            [teamId, channelId, date, owner, now],
          );
        }
        return claim;
      }
    });
  }

  async finishDigest(
    { teamId, channelId }: DigestChannel,
    date: string,
    outcome: { state: 'posted'; messageTs: string } | { state: 'skipped' },
    snapshot: ReceivedSnapshot,
  ): Promise<void> {
    await this.query(
      `UPDATE digest_ledger SET state = $4, message_ts = $5, snapshot = $6::jsonb, error = NULL, finished_at = $7
       WHERE team_id = $1 AND channel_id = $2 AND local_date = $3`,
      [
        teamId,
        channelId,
        date,
        outcome.state,
        outcome.state === 'posted' ? outcome.messageTs : null,
        JSON.stringify(snapshot),
        this.now(),
      ],
    );
  }

  async abandonDigest(
    { teamId, channelId }: DigestChannel,
    date: string,
    state: 'failed' | 'uncertain',
    error: string,
  ): Promise<void> {
    await this.query(
      `UPDATE digest_ledger SET state = $4, error = $5, finished_at = $6
       WHERE team_id = $1 AND channel_id = $2 AND local_date = $3`,
      [teamId, channelId, date, state, error, this.now()],
    );
  }

  async digestEntry({ teamId, channelId }: DigestChannel, date: string): Promise<DigestEntry | null> {
    const { rows } = await this.query<DigestEntry>(
      `SELECT ${ENTRY_COLUMNS} FROM digest_ledger WHERE team_id = $1 AND channel_id = $2 AND local_date = $3`,
      [teamId, channelId, date],
    );
    return rows[0] ?? null;
  }

  async lastDigest({
    teamId,
    channelId,
  }: DigestChannel): Promise<{ entry: DigestEntry; snapshot: ReceivedSnapshot } | null> {
    const { rows } = await this.query<DigestEntry & { snapshot: ReceivedSnapshot | null }>(
      `SELECT ${ENTRY_COLUMNS}, snapshot FROM digest_ledger
       WHERE team_id = $1 AND channel_id = $2 AND state IN ('posted', 'skipped')
       ORDER BY local_date DESC LIMIT 1`,
      [teamId, channelId],
    );
    const row = rows[0];
    if (!row) return null;
    const { snapshot, ...entry } = row;
    return { entry, snapshot: snapshot ?? {} };
  }

  /**
   * One statement: the old rows are deleted and inserted again under the
   * workspace. Of processes adopting at once, the first deletes the rows and
   * the others wait for its commit, then find none; ON CONFLICT keeps a row
   * the workspace already has, also one another process inserts meanwhile.
   */
  async adoptDigests(workspace: DigestWorkspace): Promise<number> {
    const { teamId, enterpriseId } = adoptingWorkspace(workspace);
    const { rows } = await this.query<{ adopted: number }>(
      `WITH old_subscriptions AS (DELETE FROM digest_subscriptions WHERE team_id = '' RETURNING *),
            subscriptions AS (
              INSERT INTO digest_subscriptions (team_id, channel_id, enterprise_id, time, time_zone, source,
                                                subscribed_by, status, last_error, updated_at)
              SELECT $1, channel_id, $2, time, time_zone, source, subscribed_by, status, last_error, updated_at
              FROM old_subscriptions
              ON CONFLICT DO NOTHING RETURNING 1),
            old_entries AS (DELETE FROM digest_ledger WHERE team_id = '' RETURNING *),
            entries AS (
              INSERT INTO digest_ledger (team_id, channel_id, local_date, enterprise_id, state, owner, claimed_at,
                                         attempts, message_ts, error, snapshot, finished_at)
              SELECT $1, channel_id, local_date, $2, state, owner, claimed_at, attempts, message_ts, error, snapshot,
                     finished_at
              FROM old_entries
              ON CONFLICT DO NOTHING RETURNING 1)
       SELECT (SELECT count(*) FROM subscriptions) + (SELECT count(*) FROM entries) AS adopted`,
      [teamId, enterpriseId],
    );
    return rows[0]?.adopted ?? 0;
  }

  /** Both rows in one statement, so a reader never sees one without the other. */
  async saveInstallation(key: InstallationKey, userId: string, data: object): Promise<void> {
    const { enterpriseId, teamId } = installationRow(key);
    await this.query(
      `INSERT INTO installations (enterprise_id, team_id, user_id, installed_by, data, updated_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6), ($1, $2, $4, $4, $5::jsonb, $6)
       ON CONFLICT (enterprise_id, team_id, user_id) DO UPDATE SET
         installed_by = excluded.installed_by, data = excluded.data, updated_at = excluded.updated_at`,
      [enterpriseId, teamId, LATEST_INSTALLATION, userId, JSON.stringify(data), this.now()],
    );
  }

  async findInstallation(key: InstallationKey, userId?: string): Promise<StoredInstallation | null> {
    const { enterpriseId, teamId } = installationRow(key);
    const { rows } = await this.query<InstallationRow>(
      `SELECT enterprise_id, team_id, installed_by, data, updated_at FROM installations
       WHERE enterprise_id = $1 AND team_id = $2 AND user_id = $3`,
      [enterpriseId, teamId, userId ?? LATEST_INSTALLATION],
    );
    return rows[0] ? fromInstallationRow(rows[0]) : null;
  }

  async deleteInstallation(key: InstallationKey, userId?: string): Promise<number> {
    const { enterpriseId, teamId } = installationRow(key);
    const { rowCount } =
      userId === undefined
        ? await this.query('DELETE FROM installations WHERE enterprise_id = $1 AND team_id = $2', [
            enterpriseId,
            teamId,
          ])
        : await this.query(
            'DELETE FROM installations WHERE enterprise_id = $1 AND team_id = $2 AND user_id = $3',
            [enterpriseId, teamId, userId],
          );
    return rowCount ?? 0;
  }

  async installations(): Promise<StoredInstallation[]> {
    const { rows } = await this.query<InstallationRow>(
      `SELECT enterprise_id, team_id, installed_by, data, updated_at FROM installations
       WHERE user_id = $1 ORDER BY enterprise_id COLLATE "C", team_id COLLATE "C"`,
      [LATEST_INSTALLATION],
    );
    return rows.map(fromInstallationRow);
  }

  async deleteWorkspace(workspace: Workspace): Promise<void> {
    const { column, id } = workspaceFilter(workspace);
    await this.transaction(async (client) => {
      await client.query(`DELETE FROM installations WHERE ${column} = $1`, [id]);
      for (const table of WORKSPACE_TABLES)
        await client.query(`DELETE FROM ${table} WHERE ${column} = $1`, [id]);
    });
  }

  /**
   * A transaction-scoped advisory lock on the name's hash, held by one
   * connection while `work` runs: Postgres grants it to one session at a
   * time across every replica, and frees it when the transaction ends or the
   * connection dies, so a crashed holder never blocks the others. (If the
   * connection is lost while `work` runs, the lock is freed early: that is
   * logged when the transaction then cannot be ended.) Callers in this process
   * queue in memory first, so waiting never ties up more than one pool
   * connection per name.
   */
  async withLock<T>(name: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
    const waitMs = options.waitMs ?? LOCK_WAIT_MS;
    return this.lockQueue.run(name, () =>
      this.session(async (client, discard) => {
        try {
          await client.query('BEGIN');
          await client.query(
            "SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true)",
            [`${waitMs}ms`, `${waitMs + QUERY_TIMEOUT_MS}ms`],
          );
          await client.query(
            within(waitMs + QUERY_TIMEOUT_MS, 'SELECT pg_advisory_xact_lock($1, $2)', [
              ADVISORY.named,
              lockNumber(name),
            ]),
          );
        } catch (error) {
          await client.query('ROLLBACK').catch(discard);
          if ((error as { code?: unknown }).code === '55P03') {
            throw new StoreError(
              `The lock "${name}" in the database ${this.database.where} was still held after ${waitMs} ms: ` +
                'try again later.',
              { cause: error },
            );
          }
          throw this.failure(error);
        }
        try {
          return await work();
        } finally {
          await client.query('COMMIT').catch((error: unknown) => {
            discard();
            this.logger?.warn(
              `The lock "${name}" was lost while its work ran (${describeError(error, this.database)}): ` +
                'another process may have done the same work meanwhile.',
            );
          });
        }
      }),
    );
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  /**
   * Runs every step newer than the database's version, all in one
   * transaction that first takes the schema lock. Replicas starting together
   * queue at the lock; each reads the version only once it holds the lock
   * (READ COMMITTED reads afresh per statement), so it sees what the one
   * before it committed and runs no step twice. Postgres changes tables
   * transactionally: a step that fails leaves the schema as it was.
   */
  private async migrate(migrations: readonly Migration[]): Promise<void> {
    const latest = migrations.at(-1)?.version ?? 0;
    await this.transaction(async (client) => {
      const run = (text: string, values?: unknown[]) =>
        client.query(within(SCHEMA_QUERY_TIMEOUT_MS, text, values));
      await run("SELECT set_config('statement_timeout', '0', true)");
      await run('SELECT pg_advisory_xact_lock($1, 0)', [ADVISORY.schema]);
      await run(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
           version    INTEGER PRIMARY KEY,
           name       TEXT NOT NULL,
           applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
         )`,
      );
      const { rows } = await run('SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations');
      const current = (rows[0] as { version: number } | undefined)?.version ?? 0;
      if (current > latest) {
        throw new StoreError(
          `The database ${this.database.where} has schema version ${current}, newer than this version of the ` +
            `bot knows (${latest}): run the newer version, or set DATABASE_URL to another database.`,
        );
      }
      for (const step of migrations) {
        if (step.version <= current) continue;
        await run(step.postgres);
        await run('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [step.version, step.name]);
      }
    });
  }

  private async query<R extends pg.QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(text, values);
    } catch (error) {
      throw this.failure(error);
    }
  }

  /** Runs `work` in a transaction on one connection; any failure rolls it back. */
  private transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.session(async (client, discard) => {
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(discard);
        throw this.failure(error);
      }
    });
  }

  /**
   * Lends `use` a connection of its own. `discard` marks it unfit for reuse
   * (a transaction could not be ended); the pool then closes it, as it does
   * a connection that failed or timed out, whose replies may be out of step.
   */
  private async session<T>(use: (client: pg.PoolClient, discard: () => void) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.failure(error);
    }
    let broken = false;
    const discard = () => {
      broken = true;
    };
    // A connection that breaks while lent out emits 'error' on its client; unheard, that ends the process.
    client.on('error', discard);
    try {
      return await use(client, discard);
    } catch (error) {
      if (connectionFailed(error instanceof StoreError ? error.cause : error)) discard();
      throw error;
    } finally {
      client.removeListener('error', discard);
      client.release(broken);
    }
  }

  /** A `StoreError` for a failure, saying what to check; store errors pass through. */
  private failure(error: unknown): StoreError {
    if (error instanceof StoreError) return error;
    return new StoreError(explain(error, this.database), { cause: error });
  }
}

/** A database as errors name it: host, port and database, never the password. */
interface DatabaseName {
  where: string;
  /** The password, to be cut from driver messages should one ever repeat it. */
  password: string;
}

function describeDatabase(url: string): DatabaseName {
  try {
    const parsed = new URL(url);
    const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost';
    const database = decodeURIComponent(parsed.pathname.slice(1)) || decodeURIComponent(parsed.username);
    return {
      where: `${host}:${parsed.port || '5432'}/${database} (DATABASE_URL)`,
      password: decodeURIComponent(parsed.password),
    };
  } catch {
    return { where: '(DATABASE_URL)', password: '' };
  }
}

/** Node's codes for a server that cannot be reached at all. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** A message that says what failed and what to check. */
function explain(error: unknown, database: DatabaseName): string {
  const code = codeOf(error);
  const detail = describeError(error, database);
  const at = `The database ${database.where}`;
  if (code === '28P01' || code === '28000') {
    return `${at} refused the login (${detail}): check the user name and password in DATABASE_URL.`;
  }
  if (code === '3D000') {
    return `${at} does not exist (${detail}): create it, or correct the database name in DATABASE_URL.`;
  }
  if (code === '42501') {
    return (
      `${at} refused an operation (${detail}): the user in DATABASE_URL needs to own the database, or ` +
      'to have the right to create tables in its schema.'
    );
  }
  if (code === '57014') {
    return `${at} did not answer in time (${detail}): it may be overloaded or waiting for a lock.`;
  }
  if (connectionFailed(error)) {
    return (
      `${at} cannot be reached (${detail}): check that Postgres is running and that DATABASE_URL names its ` +
      'host and port. A running bot carries on once the database is back.'
    );
  }
  return `${at} failed (${detail}).`;
}

/** Whether an error means the connection, or the server behind it, is gone or not answering. */
function connectionFailed(error: unknown): boolean {
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : '';
  return (
    UNREACHABLE.has(code) ||
    code.startsWith('08') ||
    code.startsWith('57P') ||
    /Connection terminated|timeout exceeded when trying to connect|Query read timeout/i.test(message)
  );
}

/** A query that may wait for its answer up to `ms` (node-postgres reads `query_timeout` per query too). */
function within(ms: number, text: string, values?: unknown[]): pg.QueryConfig {
  const config: pg.QueryConfig & { query_timeout: number } = { text, values, query_timeout: ms };
  return config;
}

function describeError(error: unknown, database: DatabaseName): string {
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const text = code && !message.includes(code) ? `${code}: ${message}` : message;
  // Driver messages do not repeat the password; this makes sure none ever reaches a log.
  return database.password.length >= 4 ? text.split(database.password).join('[redacted]') : text;
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** A lock name as the 32-bit number advisory locks take; the same in every process. */
function lockNumber(name: string): number {
  return createHash('sha256').update(name).digest().readInt32BE(0);
}
