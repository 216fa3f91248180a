/**
 * The database schema as numbered steps. A database records the last step
 * it ran (`PRAGMA user_version`); on start every later step runs, each in
 * its own transaction. A new table is a new step at the end: never edit a
 * step that has shipped, since databases in use already ran it.
 */

/** One schema step. */
export interface Migration {
  /** 1, 2, 3…: the order in which steps run, and the version a database has after this one. */
  version: number;
  /** What the step does, for logs and errors. */
  name: string;
  sql: string;
}

/** Every schema step, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'claims and feedback',
    sql: `
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
  },
  {
    version: 2,
    name: 'daily digest',
    sql: `
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
  },
];
