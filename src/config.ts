/**
 * Configuration: the only module that reads the environment (`.env` via
 * dotenv, then `process.env`). Everything else receives a typed `Config`.
 * Every problem is reported at once, by variable name, never with its value:
 * a mistyped token must not end up in a log.
 */
import dotenv from 'dotenv';
import { z } from 'zod';
import { ConfigError, type ConfigIssue } from './errors.js';

/** Log levels, least to most verbose. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** How the bot talks to Slack. */
export type SlackMode = 'socket' | 'http';

/** The validated configuration. Secrets are present only when the command needs them. */
export interface Config {
  knowledgeDir: string;
  dataDir: string;
  /** Postgres connection URL; null keeps the state in SQLite in `dataDir`. Holds a password: never log it. */
  databaseUrl: string | null;
  logLevel: LogLevel;
  port: number;
  slack: {
    botToken: string | null;
    appToken: string | null;
    signingSecret: string | null;
    /** Web API base URL (ends with `/`), or null for Slack's own. */
    apiUrl: string | null;
    mode: SlackMode | null;
    /** Many workspaces: the app's OAuth credentials (HTTP mode, no bot token); null for one workspace. */
    oauth: OAuthConfig | null;
  };
  digest: {
    channels: string[];
    /** HH:MM, 24-hour. */
    time: string;
    /** IANA time zone. */
    timeZone: string;
    skipUnchanged: boolean;
  };
  gaps: {
    /** Days a question the articles did not answer is kept for `npm run gaps`; 0 keeps none. */
    retentionDays: number;
  };
}

/** The app's OAuth credentials, from its Basic Information page (the state secret is the bot's own). */
export interface OAuthConfig {
  clientId: string;
  clientSecret: string;
  /** Signs the OAuth `state`, so an install started on one process can finish on another. */
  stateSecret: string;
}

/** What the caller is about to do, which decides the variables it needs. */
export type ConfigPurpose = 'offline' | 'bot' | 'post';

const HINT =
  'See "Connect to Slack" in README.md, or copy .env.example to .env and fill it in. ' +
  'To ask questions without Slack, run: npm run ask -- "your question"';

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

/** Whether a time zone name is one the runtime knows (IANA, e.g. Europe/Kyiv). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Whether a string is a 24-hour HH:MM time. */
export function isClockTime(time: string): boolean {
  return /^([01]\d|2[0-3]):[0-5]\d$/.test(time);
}

/** Whether a string is a URL that node-postgres can connect with (postgres:// or postgresql://). */
export function isPostgresUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'postgres:' || protocol === 'postgresql:';
  } catch {
    return false;
  }
}

const RETENTION_RULE = 'must be a whole number of days from 0 (keeps none) to 36500';

const schema = z.object({
  KNOWLEDGE_DIR: optionalText.default('./knowledge'),
  DATA_DIR: optionalText.default('./data'),
  // The URL holds the database password: its problems are described without repeating any of it.
  DATABASE_URL: optionalText.refine(
    (v) => v === undefined || isPostgresUrl(v),
    'must be a Postgres URL like postgres://user:password@host:5432/database',
  ),
  LOG_LEVEL: optionalText
    .default('info')
    .pipe(z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })),
  PORT: optionalText
    .default('3000')
    .pipe(z.string().regex(/^\d+$/, 'must be a port number from 1 to 65535'))
    .transform(Number)
    .pipe(
      z
        .number()
        .min(1, 'must be a port number from 1 to 65535')
        .max(65535, 'must be a port number from 1 to 65535'),
    ),
  SLACK_BOT_TOKEN: optionalText.pipe(
    z
      .string()
      .startsWith('xoxb-', 'must be a bot token starting with xoxb- (OAuth & Permissions page)')
      .optional(),
  ),
  SLACK_APP_TOKEN: optionalText.pipe(
    z
      .string()
      .startsWith('xapp-', 'must be an app-level token starting with xapp- (Basic Information page)')
      .optional(),
  ),
  SLACK_SIGNING_SECRET: optionalText.pipe(
    z
      .string()
      .regex(/^[0-9a-f]{16,}$/i, 'must be the hex signing secret (Basic Information page)')
      .optional(),
  ),
  SLACK_CLIENT_ID: optionalText.pipe(
    z
      .string()
      .regex(/^\d+\.\d+$/, 'must be the client ID like 1234567890.1234567890 (Basic Information page)')
      .optional(),
  ),
  SLACK_CLIENT_SECRET: optionalText.pipe(
    z
      .string()
      .regex(/^[0-9a-f]{16,}$/i, 'must be the hex client secret (Basic Information page)')
      .optional(),
  ),
  SLACK_STATE_SECRET: optionalText.pipe(
    z
      .string()
      .min(32, 'must be a random text of at least 32 characters, e.g. from: openssl rand -hex 32')
      .optional(),
  ),
  SLACK_API_URL: optionalText.pipe(
    z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL such as https://slack.com/api/' })
      .transform((u) => (u.endsWith('/') ? u : `${u}/`))
      .optional(),
  ),
  DIGEST_CHANNELS: optionalText.default('').transform((v, ctx) => {
    const ids = v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = ids.filter((id) => !/^[CGD][A-Z0-9]{6,}$/.test(id));
    if (bad.length) {
      ctx.addIssue({
        code: 'custom',
        message: `must be channel IDs like C0123ABCD, comma-separated (not: ${bad.join(', ')})`,
      });
    }
    return [...new Set(ids)];
  }),
  DIGEST_TIME: optionalText.default('09:00').refine(isClockTime, 'must be a 24-hour time like 09:00'),
  DIGEST_TZ: optionalText
    .default('UTC')
    .refine(isTimeZone, 'must be an IANA time zone like Europe/Kyiv or UTC'),
  DIGEST_SKIP_UNCHANGED: optionalText
    .default('false')
    .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' }))
    .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  GAPS_RETENTION_DAYS: optionalText
    .default('30')
    .pipe(z.string().regex(/^\d+$/, RETENTION_RULE))
    .transform(Number)
    .pipe(z.number().max(36_500, RETENTION_RULE)),
});

/** Every environment variable the bot reads. `.env.example` documents exactly these. */
export const CONFIG_KEYS = Object.keys(schema.shape);

/**
 * Validates an environment for a purpose. Pure: pass any object (tests do).
 * Throws `ConfigError` listing every missing or invalid variable.
 */
export function parseConfig(env: Record<string, string | undefined>, purpose: ConfigPurpose): Config {
  const parsed = schema.safeParse(env);
  const issues: ConfigIssue[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({ variable: String(i.path[0]), problem: i.message }));
  const v = parsed.success ? parsed.data : null;
  const present = (key: string) => Boolean(env[key]?.trim());
  const manyWorkspaces = OAUTH_KEYS.some(present);
  if (purpose !== 'offline') {
    issues.push(
      ...(manyWorkspaces ? oauthIssues(present, purpose) : singleWorkspaceIssues(present, purpose)),
    );
  }
  if (issues.length || !v) throw new ConfigError(dedupe(issues), HINT);
  const mode: SlackMode | null = v.SLACK_APP_TOKEN ? 'socket' : v.SLACK_SIGNING_SECRET ? 'http' : null;
  const { SLACK_CLIENT_ID: clientId, SLACK_CLIENT_SECRET: clientSecret, SLACK_STATE_SECRET: stateSecret } = v;
  return {
    knowledgeDir: v.KNOWLEDGE_DIR,
    dataDir: v.DATA_DIR,
    databaseUrl: v.DATABASE_URL ?? null,
    logLevel: v.LOG_LEVEL,
    port: v.PORT,
    slack: {
      botToken: v.SLACK_BOT_TOKEN ?? null,
      appToken: v.SLACK_APP_TOKEN ?? null,
      signingSecret: v.SLACK_SIGNING_SECRET ?? null,
      apiUrl: v.SLACK_API_URL ?? null,
      mode,
      oauth: clientId && clientSecret && stateSecret ? { clientId, clientSecret, stateSecret } : null,
    },
    digest: {
      channels: v.DIGEST_CHANNELS,
      time: v.DIGEST_TIME,
      timeZone: v.DIGEST_TZ,
      skipUnchanged: v.DIGEST_SKIP_UNCHANGED,
    },
    gaps: { retentionDays: v.GAPS_RETENTION_DAYS },
  };
}

/** The variables that turn on many workspaces (OAuth); all three or none. */
const OAUTH_KEYS = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;

/** One workspace: its bot token, and for the bot a way to reach Slack (Socket Mode or HTTP). */
function singleWorkspaceIssues(present: (key: string) => boolean, purpose: ConfigPurpose): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (!present('SLACK_BOT_TOKEN')) {
    issues.push({
      variable: 'SLACK_BOT_TOKEN',
      problem:
        'is required (xoxb-…, from OAuth & Permissions after installing the app); ' +
        'or set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET to serve many workspaces',
    });
  }
  if (purpose === 'bot' && !present('SLACK_APP_TOKEN') && !present('SLACK_SIGNING_SECRET')) {
    issues.push({
      variable: 'SLACK_APP_TOKEN',
      problem:
        'is required for Socket Mode (xapp-…); or set SLACK_SIGNING_SECRET to run in HTTP mode instead',
    });
  }
  return issues;
}

/**
 * Many workspaces: the three OAuth variables together, in HTTP mode, with
 * each workspace's token from its installation. Bolt takes either one token
 * or installations, never both, and DIGEST_CHANNELS names channels of the
 * one workspace a bot token belongs to.
 */
function oauthIssues(present: (key: string) => boolean, purpose: ConfigPurpose): ConfigIssue[] {
  const set = OAUTH_KEYS.filter(present).join(', ');
  const issues: ConfigIssue[] = OAUTH_KEYS.filter((key) => !present(key)).map((variable) => ({
    variable,
    problem: `is required with ${set} to serve many workspaces (OAuth); or leave all three empty for one workspace`,
  }));
  const unwanted: [string, string][] = [
    ['SLACK_BOT_TOKEN', 'each workspace’s token comes from its installation'],
    ['SLACK_APP_TOKEN', 'many workspaces are served in HTTP mode, not Socket Mode'],
    ['DIGEST_CHANNELS', 'it names channels of one workspace; channels subscribe with /ceasefire digest on'],
  ];
  for (const [variable, why] of unwanted) {
    if (present(variable)) {
      issues.push({
        variable,
        problem: `must be empty when SLACK_CLIENT_ID and the other OAuth variables are set: ${why}`,
      });
    }
  }
  if (purpose === 'bot' && !present('SLACK_SIGNING_SECRET')) {
    issues.push({
      variable: 'SLACK_SIGNING_SECRET',
      problem:
        'is required to serve many workspaces (OAuth), which runs in HTTP mode (Basic Information page)',
    });
  }
  return issues;
}

/**
 * Every secret value in a configuration, for the logger to remove wherever
 * it appears: tokens, the signing, client and state secrets, and the
 * database password (as written in DATABASE_URL and decoded).
 */
export function secretsOf(config: Config): string[] {
  const { botToken, appToken, signingSecret, oauth } = config.slack;
  const secrets = [botToken, appToken, signingSecret, oauth?.clientSecret, oauth?.stateSecret];
  if (config.databaseUrl) {
    const { password } = new URL(config.databaseUrl);
    secrets.push(password, decodedOrNull(password));
  }
  return [...new Set(secrets.filter((s): s is string => Boolean(s)))];
}

function decodedOrNull(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => !seen.has(i.variable) && seen.add(i.variable));
}

/**
 * Reads `.env` (if present; it never overrides variables already set) and
 * the process environment, and validates them for `purpose`.
 */
export function loadConfig(purpose: ConfigPurpose): Config {
  dotenv.config({ quiet: true });
  return parseConfig(process.env, purpose);
}
