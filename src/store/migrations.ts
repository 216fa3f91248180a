/**
 * The database schema as numbered steps, each written for SQLite and for
 * Postgres so that a version number means the same tables in both. A
 * database records the steps it ran (SQLite: `PRAGMA user_version`;
 * Postgres: the `schema_migrations` table); on start every later step runs.
 * A change is a new step at the end: never edit a step that has shipped,
 * since databases in use already ran it. Keying the digest tables by
 * workspace was one step that added `team_id` to their primary keys
 * (SQLite rebuilds a table to change its key; Postgres alters it).
 */

/** One schema step. */
export interface Migration {
  /** 1, 2, 3…: the order in which steps run, and the version a database has after this one. */
  version: number;
  /** What the step does, for logs and errors. */
  name: string;
  sqlite: string;
  postgres: string;
}

/** Every schema step, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'claims and feedback',
    sqlite: `
      CREATE TABLE claims (
        key        TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX claims_expiry ON claims (expires_at);

      CREATE TABLE feedback (
        user_id     TEXT    NOT NULL,
        question    TEXT    NOT NULL,
        fact_offset INTEGER NOT NULL,
        team_id     TEXT,
        channel_id  TEXT,
        helpful     INTEGER NOT NULL CHECK (helpful IN (0, 1)),
        recorded_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, question, fact_offset)
      );
    `,
    postgres: `
      CREATE TABLE claims (
        key        TEXT PRIMARY KEY,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX claims_expiry ON claims (expires_at);

      CREATE TABLE feedback (
        user_id     TEXT    NOT NULL,
        question    TEXT    NOT NULL,
        fact_offset INTEGER NOT NULL,
        team_id     TEXT,
        channel_id  TEXT,
        helpful     BOOLEAN NOT NULL,
        recorded_at BIGINT  NOT NULL,
        PRIMARY KEY (user_id, question, fact_offset)
      );
    `,
  },
  {
    version: 2,
    name: 'daily digest',
    sqlite: `
      CREATE TABLE digest_subscriptions (
        channel_id    TEXT PRIMARY KEY,
        time          TEXT    NOT NULL,
        time_zone     TEXT    NOT NULL,
        source        TEXT    NOT NULL CHECK (source IN ('env', 'command')),
        subscribed_by TEXT,
        status        TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'failing')),
        last_error    TEXT,
        updated_at    INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE digest_ledger (
        channel_id  TEXT    NOT NULL,
        local_date  TEXT    NOT NULL,
        state       TEXT    NOT NULL CHECK (state IN ('claimed', 'posted', 'skipped', 'failed', 'uncertain')),
        owner       TEXT    NOT NULL,
        claimed_at  INTEGER NOT NULL,
        attempts    INTEGER NOT NULL,
        message_ts  TEXT,
        error       TEXT,
        snapshot    TEXT,
        finished_at INTEGER,
        PRIMARY KEY (channel_id, local_date)
      ) WITHOUT ROWID;
    `,
    postgres: `
      CREATE TABLE digest_subscriptions (
        channel_id    TEXT PRIMARY KEY,
        time          TEXT   NOT NULL,
        time_zone     TEXT   NOT NULL,
        source        TEXT   NOT NULL CHECK (source IN ('env', 'command')),
        subscribed_by TEXT,
        status        TEXT   NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'failing')),
        last_error    TEXT,
        updated_at    BIGINT NOT NULL
      );

      CREATE TABLE digest_ledger (
        channel_id  TEXT    NOT NULL,
        local_date  TEXT    NOT NULL,
        state       TEXT    NOT NULL CHECK (state IN ('claimed', 'posted', 'skipped', 'failed', 'uncertain')),
        owner       TEXT    NOT NULL,
        claimed_at  BIGINT  NOT NULL,
        attempts    INTEGER NOT NULL,
        message_ts  TEXT,
        error       TEXT,
        snapshot    JSONB,
        finished_at BIGINT,
        PRIMARY KEY (channel_id, local_date)
      );
    `,
  },
  {
    // An installation is kept twice: as its workspace's latest (user_id '') and as its installer's latest
    // (user_id = installed_by), as Bolt's stores do. Absent ids are '': a primary key column cannot be NULL in
    // Postgres, and in SQLite NULLs are never equal, so a workspace could be stored twice.
    version: 3,
    name: 'installations and locks',
    sqlite: `
      CREATE TABLE installations (
        enterprise_id TEXT    NOT NULL,
        team_id       TEXT    NOT NULL,
        user_id       TEXT    NOT NULL,
        installed_by  TEXT    NOT NULL,
        data          TEXT    NOT NULL,
        updated_at    INTEGER NOT NULL,
        PRIMARY KEY (enterprise_id, team_id, user_id)
      ) WITHOUT ROWID;
      CREATE INDEX installations_team ON installations (team_id);

      ALTER TABLE feedback ADD COLUMN enterprise_id TEXT;
      CREATE INDEX feedback_team ON feedback (team_id);
      CREATE INDEX feedback_enterprise ON feedback (enterprise_id);

      CREATE TABLE leases (
        name       TEXT    PRIMARY KEY,
        owner      TEXT    NOT NULL,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
    // Postgres needs no lease table: its locks are advisory locks.
    postgres: `
      CREATE TABLE installations (
        enterprise_id TEXT   NOT NULL,
        team_id       TEXT   NOT NULL,
        user_id       TEXT   NOT NULL,
        installed_by  TEXT   NOT NULL,
        data          JSONB  NOT NULL,
        updated_at    BIGINT NOT NULL,
        PRIMARY KEY (enterprise_id, team_id, user_id)
      );
      CREATE INDEX installations_team ON installations (team_id);

      ALTER TABLE feedback ADD COLUMN enterprise_id TEXT;
      CREATE INDEX feedback_team ON feedback (team_id);
      CREATE INDEX feedback_enterprise ON feedback (enterprise_id);
    `,
  },
  {
    // The digest's rows belong to a workspace: a Slack Connect channel has the same id in every workspace that
    // shares it, and each gets its own digest. Rows from before get team '' until the workspace of the single
    // bot token adopts them (`adoptDigests`). The org id (NULL outside Enterprise Grid) lets an org's uninstall
    // find the rows of all its workspaces. SQLite cannot change a primary key, so it rebuilds both tables.
    version: 4,
    name: 'digest per workspace',
    sqlite: `
      CREATE TABLE digest_subscriptions_by_team (
        team_id       TEXT    NOT NULL,
        channel_id    TEXT    NOT NULL,
        enterprise_id TEXT,
        time          TEXT    NOT NULL,
        time_zone     TEXT    NOT NULL,
        source        TEXT    NOT NULL CHECK (source IN ('env', 'command')),
        subscribed_by TEXT,
        status        TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'failing')),
        last_error    TEXT,
        updated_at    INTEGER NOT NULL,
        PRIMARY KEY (team_id, channel_id)
      ) WITHOUT ROWID;
      INSERT INTO digest_subscriptions_by_team (team_id, channel_id, time, time_zone, source, subscribed_by, status,
                                                last_error, updated_at)
        SELECT '', channel_id, time, time_zone, source, subscribed_by, status, last_error, updated_at
        FROM digest_subscriptions;
      DROP TABLE digest_subscriptions;
      ALTER TABLE digest_subscriptions_by_team RENAME TO digest_subscriptions;
      CREATE INDEX digest_subscriptions_enterprise ON digest_subscriptions (enterprise_id);

      CREATE TABLE digest_ledger_by_team (
        team_id       TEXT    NOT NULL,
        channel_id    TEXT    NOT NULL,
        local_date    TEXT    NOT NULL,
        enterprise_id TEXT,
        state         TEXT    NOT NULL CHECK (state IN ('claimed', 'posted', 'skipped', 'failed', 'uncertain')),
        owner         TEXT    NOT NULL,
        claimed_at    INTEGER NOT NULL,
        attempts      INTEGER NOT NULL,
        message_ts    TEXT,
        error         TEXT,
        snapshot      TEXT,
        finished_at   INTEGER,
        PRIMARY KEY (team_id, channel_id, local_date)
      ) WITHOUT ROWID;
      INSERT INTO digest_ledger_by_team (team_id, channel_id, local_date, state, owner, claimed_at, attempts,
                                         message_ts, error, snapshot, finished_at)
        SELECT '', channel_id, local_date, state, owner, claimed_at, attempts, message_ts, error, snapshot,
               finished_at
        FROM digest_ledger;
      DROP TABLE digest_ledger;
      ALTER TABLE digest_ledger_by_team RENAME TO digest_ledger;
      CREATE INDEX digest_ledger_enterprise ON digest_ledger (enterprise_id);
    `,
    // The default fills the existing rows; dropped afterwards, so that every new row must name its workspace.
    postgres: `
      ALTER TABLE digest_subscriptions
        ADD COLUMN team_id TEXT NOT NULL DEFAULT '',
        ADD COLUMN enterprise_id TEXT,
        DROP CONSTRAINT digest_subscriptions_pkey,
        ADD PRIMARY KEY (team_id, channel_id);
      ALTER TABLE digest_subscriptions ALTER COLUMN team_id DROP DEFAULT;
      CREATE INDEX digest_subscriptions_enterprise ON digest_subscriptions (enterprise_id);

      ALTER TABLE digest_ledger
        ADD COLUMN team_id TEXT NOT NULL DEFAULT '',
        ADD COLUMN enterprise_id TEXT,
        DROP CONSTRAINT digest_ledger_pkey,
        ADD PRIMARY KEY (team_id, channel_id, local_date);
      ALTER TABLE digest_ledger ALTER COLUMN team_id DROP DEFAULT;
      CREATE INDEX digest_ledger_enterprise ON digest_ledger (enterprise_id);
    `,
  },
  {
    // Questions the articles served badly, for editors; no user id, by design. Purged by age, so indexed by it.
    version: 5,
    name: 'questions the articles did not answer',
    sqlite: `
      CREATE TABLE gaps (
        id            INTEGER PRIMARY KEY,
        kind          TEXT    NOT NULL CHECK (kind IN ('unanswered', 'disliked')),
        question      TEXT    NOT NULL,
        surface       TEXT    NOT NULL CHECK (surface IN ('command', 'mention', 'dm')),
        team_id       TEXT,
        enterprise_id TEXT,
        recorded_at   INTEGER NOT NULL
      );
      CREATE INDEX gaps_recorded ON gaps (recorded_at);
      CREATE INDEX gaps_team ON gaps (team_id);
      CREATE INDEX gaps_enterprise ON gaps (enterprise_id);
    `,
    postgres: `
      CREATE TABLE gaps (
        id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind          TEXT   NOT NULL CHECK (kind IN ('unanswered', 'disliked')),
        question      TEXT   NOT NULL,
        surface       TEXT   NOT NULL CHECK (surface IN ('command', 'mention', 'dm')),
        team_id       TEXT,
        enterprise_id TEXT,
        recorded_at   BIGINT NOT NULL
      );
      CREATE INDEX gaps_recorded ON gaps (recorded_at);
      CREATE INDEX gaps_team ON gaps (team_id);
      CREATE INDEX gaps_enterprise ON gaps (enterprise_id);
    `,
  },
];
