import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, parseConfig, secretsOf } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

const BOT = 'xoxb-1234-5678-abcdefghijkl';
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5'.replace(/[yz]/g, 'a');

function issuesOf(env: Record<string, string>, purpose: 'offline' | 'bot' | 'post') {
  try {
    parseConfig(env, purpose);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return {
      issues: (error as ConfigError).issues.map((i) => i.variable),
      message: (error as Error).message,
    };
  }
  return { issues: [], message: '' };
}

describe('configuration', () => {
  it('needs nothing for offline use and fills in defaults', () => {
    const config = parseConfig({}, 'offline');
    expect(config).toMatchObject({
      knowledgeDir: './knowledge',
      dataDir: './data',
      databaseUrl: null,
      logLevel: 'info',
      port: 3000,
      slack: { botToken: null, mode: null },
      digest: { channels: [], time: '09:00', timeZone: 'UTC', skipUnchanged: false },
    });
  });

  it('chooses Socket Mode when an app token is set and HTTP mode with only a signing secret', () => {
    expect(parseConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: 'xapp-1-A-1-b' }, 'bot').slack.mode).toBe(
      'socket',
    );
    expect(parseConfig({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET }, 'bot').slack.mode).toBe(
      'http',
    );
  });

  it('lists every missing or invalid variable at once, by name, pointing to the README and offline use', () => {
    const { issues, message } = issuesOf(
      { PORT: 'eighty', LOG_LEVEL: 'loud', DIGEST_TZ: 'Mars/Olympus', DIGEST_TIME: '25:00' },
      'bot',
    );
    expect(issues.sort()).toEqual([
      'DIGEST_TIME',
      'DIGEST_TZ',
      'LOG_LEVEL',
      'PORT',
      'SLACK_APP_TOKEN',
      'SLACK_BOT_TOKEN',
    ]);
    expect(message).toContain('Connect to Slack');
    expect(message).toContain('npm run ask');
  });

  it('never repeats a secret value in its messages', () => {
    const wrong = 'xoxp-user-token-that-must-not-leak';
    const { issues, message } = issuesOf(
      { SLACK_BOT_TOKEN: wrong, SLACK_SIGNING_SECRET: 'not-hex-secret-value' },
      'bot',
    );
    expect(issues).toEqual(expect.arrayContaining(['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']));
    expect(message).not.toContain(wrong);
    expect(message).not.toContain('not-hex-secret-value');
  });

  it('validates digest channels and normalises the API URL', () => {
    expect(issuesOf({ DIGEST_CHANNELS: 'C0123ABCD, general' }, 'offline').issues).toEqual([
      'DIGEST_CHANNELS',
    ]);
    const config = parseConfig(
      { DIGEST_CHANNELS: 'C0123ABCD, C0456EFGH,C0123ABCD', SLACK_API_URL: 'http://127.0.0.1:9/api' },
      'offline',
    );
    expect(config.digest.channels).toEqual(['C0123ABCD', 'C0456EFGH']);
    expect(config.slack.apiUrl).toBe('http://127.0.0.1:9/api/');
  });

  it('keeps the state in SQLite unless DATABASE_URL names a Postgres database', () => {
    expect(parseConfig({}, 'offline').databaseUrl).toBeNull();
    expect(parseConfig({ DATABASE_URL: '  ' }, 'offline').databaseUrl).toBeNull();
    for (const url of [
      'postgres://bot:pw@db.example.com:5432/ceasefire',
      'postgresql://db.example.com/ceasefire',
    ]) {
      expect(parseConfig({ DATABASE_URL: ` ${url} ` }, 'offline').databaseUrl).toBe(url);
    }
  });

  it('refuses a DATABASE_URL that is not a Postgres URL without repeating it or its password', () => {
    for (const wrong of ['mysql://bot:hunter2-secret@db/ceasefire', 'bot:hunter2-secret@db/ceasefire']) {
      const { issues, message } = issuesOf({ DATABASE_URL: wrong }, 'offline');
      expect(issues).toEqual(['DATABASE_URL']);
      expect(message).toContain('must be a Postgres URL like postgres://');
      expect(message).not.toContain('hunter2-secret');
    }
  });

  it('keeps unanswered questions 30 days unless GAPS_RETENTION_DAYS says otherwise, 0 meaning none', () => {
    expect(parseConfig({}, 'offline').gaps).toEqual({ retentionDays: 30 });
    expect(parseConfig({ GAPS_RETENTION_DAYS: ' 7 ' }, 'offline').gaps).toEqual({ retentionDays: 7 });
    expect(parseConfig({ GAPS_RETENTION_DAYS: '0' }, 'offline').gaps).toEqual({ retentionDays: 0 });
    for (const wrong of ['-1', '1.5', 'week', '1e3', '36501']) {
      const { issues, message } = issuesOf({ GAPS_RETENTION_DAYS: wrong }, 'offline');
      expect(issues).toEqual(['GAPS_RETENTION_DAYS']);
      expect(message).toContain('GAPS_RETENTION_DAYS');
      expect(message).toContain('must be a whole number of days');
    }
  });

  it('documents exactly the variables it reads in .env.example, each under a comment', () => {
    const example = readFileSync('.env.example', 'utf8');
    const documented = [...example.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...CONFIG_KEYS].sort());
    const lines = example.split('\n');
    const uncommented = lines
      .filter((line, i) => /^[A-Z_]+=/.test(line) && !lines[i - 1]?.startsWith('#'))
      .map((line) => line.split('=')[0]);
    expect(uncommented).toEqual([]);
  });
});

describe('many workspaces (OAuth)', () => {
  const OAUTH = {
    SLACK_CLIENT_ID: '1234567890.0987654321',
    SLACK_CLIENT_SECRET: 'c0ffee00c0ffee00c0ffee00c0ffee00',
    SLACK_STATE_SECRET: 'state-secret-of-at-least-32-characters',
    SLACK_SIGNING_SECRET: SECRET,
  };

  it('turns on with the client ID, client secret and state secret, in HTTP mode, without a bot token', () => {
    const config = parseConfig(OAUTH, 'bot');
    expect(config.slack).toMatchObject({
      mode: 'http',
      botToken: null,
      oauth: {
        clientId: OAUTH.SLACK_CLIENT_ID,
        clientSecret: OAUTH.SLACK_CLIENT_SECRET,
        stateSecret: OAUTH.SLACK_STATE_SECRET,
      },
    });
  });

  it('stays off in the single-workspace modes', () => {
    expect(parseConfig({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET }, 'bot').slack.oauth).toBeNull();
    expect(
      parseConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: 'xapp-1-A-1-b' }, 'bot').slack.oauth,
    ).toBeNull();
  });

  it.each([
    ['SLACK_CLIENT_ID', ['SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET']],
    ['SLACK_CLIENT_SECRET', ['SLACK_CLIENT_ID', 'SLACK_STATE_SECRET']],
    ['SLACK_STATE_SECRET', ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET']],
  ])('names the missing variables when only %s is set', (only, missing) => {
    const { issues, message } = issuesOf(
      { SLACK_SIGNING_SECRET: SECRET, [only]: OAUTH[only as keyof typeof OAUTH] },
      'bot',
    );
    expect(issues.sort()).toEqual(missing);
    expect(message).toContain(`is required with ${only} to serve many workspaces`);
  });

  it('names the one missing variable of a partial set', () => {
    const { SLACK_STATE_SECRET: _, ...partial } = OAUTH;
    expect(issuesOf(partial, 'bot').issues).toEqual(['SLACK_STATE_SECRET']);
  });

  it('refuses a bot token or an app token alongside them, by variable name', () => {
    const { issues, message } = issuesOf(
      { ...OAUTH, SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: 'xapp-1-A-1-b' },
      'bot',
    );
    expect(issues.sort()).toEqual(['SLACK_APP_TOKEN', 'SLACK_BOT_TOKEN']);
    expect(message).toMatch(/SLACK_BOT_TOKEN: must be empty when SLACK_CLIENT_ID .* installation/);
    expect(message).not.toContain(BOT);
  });

  it('needs the signing secret to run the bot, since it runs in HTTP mode', () => {
    const { SLACK_SIGNING_SECRET: _, ...withoutSigning } = OAUTH;
    expect(issuesOf(withoutSigning, 'bot').issues).toEqual(['SLACK_SIGNING_SECRET']);
    expect(parseConfig(withoutSigning, 'post').slack.oauth).not.toBeNull();
  });

  it('refuses DIGEST_CHANNELS: it names channels of the one workspace a bot token belongs to', () => {
    const { issues, message } = issuesOf({ ...OAUTH, DIGEST_CHANNELS: 'C0123ABCD' }, 'bot');
    expect(issues).toEqual(['DIGEST_CHANNELS']);
    expect(message).toContain('/ceasefire digest on');
  });

  it('checks the form of each value without repeating it', () => {
    const wrong = {
      SLACK_CLIENT_ID: 'client-id-of-another-kind',
      SLACK_CLIENT_SECRET: 'not-a-hex-client-secret',
      SLACK_STATE_SECRET: 'too-short-secret',
    };
    const { issues, message } = issuesOf({ ...wrong, SLACK_SIGNING_SECRET: SECRET }, 'bot');
    expect(issues.sort()).toEqual(['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET']);
    for (const value of Object.values(wrong)) expect(message).not.toContain(value);
  });

  it('is not checked for offline use', () => {
    expect(parseConfig({ SLACK_CLIENT_ID: OAUTH.SLACK_CLIENT_ID }, 'offline').slack.oauth).toBeNull();
  });
});

describe('secretsOf', () => {
  it('lists every secret for the logger: tokens, signing, client and state secrets, the database password', () => {
    const single = parseConfig(
      {
        SLACK_BOT_TOKEN: BOT,
        SLACK_APP_TOKEN: 'xapp-1-A-1-b',
        SLACK_SIGNING_SECRET: SECRET,
        DATABASE_URL: 'postgres://bot:p%40ss-word-123@db.example.com/ceasefire',
      },
      'bot',
    );
    expect(secretsOf(single).sort()).toEqual(
      [BOT, 'xapp-1-A-1-b', SECRET, 'p%40ss-word-123', 'p@ss-word-123'].sort(),
    );
    const many = parseConfig(
      {
        SLACK_CLIENT_ID: '1.2',
        SLACK_CLIENT_SECRET: 'c0ffee00c0ffee00c0ffee00c0ffee00',
        SLACK_STATE_SECRET: 'state-secret-of-at-least-32-characters',
        SLACK_SIGNING_SECRET: SECRET,
      },
      'bot',
    );
    expect(secretsOf(many).sort()).toEqual(
      [SECRET, 'c0ffee00c0ffee00c0ffee00c0ffee00', 'state-secret-of-at-least-32-characters'].sort(),
    );
  });
});
