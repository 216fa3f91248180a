/**
 * The bot's logger: Bolt's `Logger` interface, one line per entry, and every
 * token or secret removed before a line is written. Slack libraries log
 * request payloads at debug level, and payloads carry a `token` field, so
 * redaction happens here, once, for every source.
 */
import { type Logger, LogLevel } from '@slack/bolt';
import type { LogLevel as ConfigLogLevel } from './config.js';

const ORDER: readonly LogLevel[] = [LogLevel.ERROR, LogLevel.WARN, LogLevel.INFO, LogLevel.DEBUG];

/** Slack token shapes: bot, user, app-level, config and refresh tokens. */
const TOKEN_SHAPE = /\b(xox[a-z]|xapp)-[A-Za-z0-9-]+/g;

/** Token fields of payloads (JSON and form-encoded); Slack still sends a verification token in them. */
const TOKEN_FIELDS: readonly RegExp[] = [/("token"\s*:\s*")[^"]*(")/g, /(\btoken=)[^&\s]+()/g];

/** Longest entry written; a payload logged at debug level can be large. */
const MAX_ENTRY_CHARS = 4000;

/** Options of `createLogger`. */
export interface LoggerOptions {
  level: ConfigLogLevel;
  /** Exact secret values (tokens, signing secret) to remove wherever they appear. */
  secrets?: readonly (string | null | undefined)[];
  /** Where lines go (default: stderr for warnings and errors, stdout otherwise). */
  write?: (level: LogLevel, line: string) => void;
}

/** Removes secrets from a line: known values and anything shaped like a Slack token. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('[redacted]');
  out = out.replace(TOKEN_SHAPE, '$1-[redacted]');
  for (const field of TOKEN_FIELDS) out = out.replace(field, '$1[redacted]$2');
  return out;
}

/** A Bolt-compatible logger that redacts secrets. */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 8);
  const write = options.write ?? defaultWrite;
  let level = options.level as LogLevel;
  let name = 'ceasefire';
  const log =
    (at: LogLevel) =>
    (...args: unknown[]) => {
      if (ORDER.indexOf(at) > ORDER.indexOf(level)) return;
      const text = redact(args.map(describe).join(' '), secrets);
      const entry = text.length > MAX_ENTRY_CHARS ? `${text.slice(0, MAX_ENTRY_CHARS)}…` : text;
      write(at, `${new Date().toISOString()} ${at.toUpperCase()} ${name}: ${entry}`);
    };
  return {
    debug: log(LogLevel.DEBUG),
    info: log(LogLevel.INFO),
    warn: log(LogLevel.WARN),
    error: log(LogLevel.ERROR),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: (next: string) => {
      name = next;
    },
  };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return `${value.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${value.message}`;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function defaultWrite(level: LogLevel, line: string): void {
  const stream = level === LogLevel.ERROR || level === LogLevel.WARN ? process.stderr : process.stdout;
  stream.write(`${line}\n`);
}
