/**
 * Set up before every test file (vitest `setupFiles`): no secret may reach a
 * log line or the terminal. Every logger made with `createLogger` also hands
 * each entry, at debug level whatever its own level, to a checker (the same
 * redaction, a different writer), and everything written to the console,
 * stdout or stderr is checked as well. A line that holds a Slack token
 * (`xoxb-…`, `xapp-…`, unredacted), the tests' bot or app token, their
 * signing secret, OAuth client and state secrets, the verification token of
 * their payloads or their database password fails the test during which it
 * was written.
 */
import type { Logger } from '@slack/bolt';
import { afterAll, afterEach, vi } from 'vitest';
import type { LoggerOptions } from '../../src/log.js';
import {
  APP_TOKEN,
  BOT_TOKEN,
  CLIENT_SECRET,
  DATABASE_PASSWORD,
  SIGNING_SECRET,
  STATE_SECRET,
  VERIFICATION_TOKEN,
} from './credentials.js';

/**
 * Lines written since the last check. Test files may share a process
 * (vitest.config.ts): the list is the process's, and the streams and the
 * console are wrapped once, by the first file, so that each line is checked
 * once, by the file during which it was written.
 */
const check = vi.hoisted(() => {
  const shared = globalThis as { secretCheck?: { written: string[]; wrapped: boolean } };
  shared.secretCheck ??= { written: [], wrapped: false };
  return shared.secretCheck;
});
const { written } = check;

vi.mock('../../src/log.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/log.js')>();
  const createLogger = (options: LoggerOptions): Logger => {
    const logger = real.createLogger(options);
    const checked = real.createLogger({
      ...options,
      level: 'debug',
      write: (_level, line) => written.push(line),
    });
    const both =
      (method: 'debug' | 'info' | 'warn' | 'error') =>
      (...args: unknown[]) => {
        checked[method](...args);
        logger[method](...args);
      };
    return {
      ...logger,
      debug: both('debug'),
      info: both('info'),
      warn: both('warn'),
      error: both('error'),
      setName: (name: string) => {
        checked.setName(name);
        logger.setName(name);
      },
    };
  };
  return { ...real, createLogger };
});

if (!check.wrapped) {
  check.wrapped = true;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      written.push(String(chunk));
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      written.push(args.map(describe).join(' '));
      original(...args);
    };
  }
}

/** The fake secrets the tests configure, and any Slack token shape not already redacted. */
const SECRETS = [
  BOT_TOKEN,
  APP_TOKEN,
  SIGNING_SECRET,
  VERIFICATION_TOKEN,
  DATABASE_PASSWORD,
  CLIENT_SECRET,
  STATE_SECRET,
];
const TOKEN_SHAPE = /\b(xox[a-z]|xapp)-(?!\[redacted\])[A-Za-z0-9]/;

afterEach(expectNoLeaks);
// Lines written after a file's last test (while its bot stops) are checked too.
afterAll(expectNoLeaks);

function expectNoLeaks(): void {
  const leaks = written.filter((line) => TOKEN_SHAPE.test(line) || SECRETS.some((s) => line.includes(s)));
  written.length = 0;
  if (leaks.length) {
    const shown = leaks.map((l) =>
      SECRETS.reduce((line, s) => line.split(s).join('<SECRET>'), l).slice(0, 300),
    );
    throw new Error(`A secret reached a log line or the terminal:\n${shown.join('\n')}`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
