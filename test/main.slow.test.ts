/**
 * The program as `npm start` runs it: built with `npm run build`, then
 * `node dist/main.js` in a child process, with no TypeScript at run time.
 * A bad configuration or an unreachable database is one clear message and
 * exit 1; in HTTP mode it
 * serves, and on SIGTERM finishes the answer in flight and exits 0.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_SECRET, DATABASE_PASSWORD, STATE_SECRET } from './helpers/credentials.js';
import { freePort } from './helpers/loopback.js';
import { install, installedToken, OAUTH_ENV, startInstallingSlack } from './helpers/oauth.js';
import { createTestDatabase } from './helpers/postgres.js';
import { MAIN, type Program, runProgram, waitForOutput } from './helpers/program.js';
import { commandBody, SIGNING_SECRET, send } from './helpers/signed-request.js';
import { SlackStandIn } from './helpers/slack-stand-in.js';
import { BOT_TOKEN } from './helpers/test-bot.js';

const KNOWLEDGE = path.resolve('knowledge');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ceasefire-main-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Runs `node dist/main.js` as `npm start` does, in an empty folder (so no `.env` is read), with only `env`. */
function runMain(env: Record<string, string>): Program {
  return runProgram(MAIN, [], { cwd: dir, env });
}

describe('configuration errors', () => {
  it('exits 1 listing every missing variable, pointing to the README and to npm run ask', async () => {
    const program = runMain({});
    expect(await program.exited).toBe(1);
    const output = program.output();
    expect(output).toMatch(/^Cannot start: Invalid configuration:/);
    expect(output).toContain('SLACK_BOT_TOKEN: is required');
    expect(output).toContain('SLACK_APP_TOKEN: is required for Socket Mode');
    expect(output).toContain('"Connect to Slack" in README.md');
    expect(output).toContain('npm run ask');
  });

  it('names each malformed variable without echoing its value', async () => {
    const program = runMain({
      SLACK_BOT_TOKEN: 'xoxp-user-token-not-a-bot-9999',
      SLACK_SIGNING_SECRET: 'not-hex-secret-value',
      PORT: 'eighty',
    });
    expect(await program.exited).toBe(1);
    const output = program.output();
    for (const variable of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'PORT'])
      expect(output).toContain(variable);
    expect(output).not.toContain('xoxp-user-token-not-a-bot-9999');
    expect(output).not.toContain('not-hex-secret-value');
  });
});

describe('an unreachable database', () => {
  it('exits 1 naming DATABASE_URL and its host, never the password', async () => {
    const port = await freePort();
    const program = runMain({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      KNOWLEDGE_DIR: KNOWLEDGE,
      DATABASE_URL: `postgres://bot:${DATABASE_PASSWORD}@127.0.0.1:${port}/ceasefire`,
    });
    expect(await program.exited).toBe(1);
    const output = program.output();
    expect(output).toContain(
      `Cannot start: The database 127.0.0.1:${port}/ceasefire (DATABASE_URL) cannot be reached`,
    );
    expect(output).not.toContain(DATABASE_PASSWORD);
  });
});

describe('npm start in HTTP mode', () => {
  it('serves, then on SIGTERM finishes the answer in flight, closes the database and exits 0', async () => {
    const slack = new SlackStandIn();
    await slack.start();
    // Keep the answer in flight: the response_url takes a while to accept it.
    slack.on('respond:slow', { body: { ok: true }, delayMs: 700 });
    const port = await freePort();
    const program = runMain({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
      DATA_DIR: path.join(dir, 'data'),
      KNOWLEDGE_DIR: KNOWLEDGE,
    });
    try {
      await waitForOutput(program, 'Listening for Slack requests on port');
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', articles: 1 });
      const ack = await send(
        `http://127.0.0.1:${port}/slack/events`,
        commandBody("Who leads Russia's delegation?", slack.responseUrl('slow')),
      );
      expect(ack.status).toBe(200);
      await slack.waitFor('respond:slow');
      program.child.kill('SIGTERM');
      expect(await program.exited).toBe(0);
      expect(slack.callsOf('respond:slow')[0]?.answered).toBe(true);
      expect(program.output()).toContain('SIGTERM: finishing work in flight');
      expect(program.output()).toContain('Stopped');
      expect(program.output()).not.toContain(BOT_TOKEN);
    } finally {
      program.child.kill('SIGKILL');
      await slack.stop();
    }
  });
});

describe('npm start serving many workspaces on Postgres', () => {
  it('says so with the install path, installs, and logs none of its secrets, at LOG_LEVEL=debug too', async () => {
    const database = await createTestDatabase();
    const slack = await startInstallingSlack();
    const port = await freePort();
    const program = runMain({
      ...OAUTH_ENV,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      DATABASE_URL: database.url,
      PORT: String(port),
      KNOWLEDGE_DIR: KNOWLEDGE,
      LOG_LEVEL: 'debug',
    });
    try {
      await waitForOutput(program, 'Listening for Slack requests on port');
      expect(program.output()).toContain('HTTP mode for many workspaces (OAuth)');
      expect(program.output()).toContain(
        `on port ${port} at /slack/events (HTTP mode); installs start at /slack/install`,
      );
      await install(`http://127.0.0.1:${port}`, 'code-T1');
      program.child.kill('SIGTERM');
      expect(await program.exited).toBe(0);
      expect(program.output()).toContain('Installed in workspace T1 by U_INSTALLER');
      // LOG_LEVEL=debug holds after start: the code's exchange is logged (its client secret removed).
      expect(program.output()).toContain("apiCall('oauth.v2.access') start");
      expect(program.output()).toMatch(/http request body: .*"client_secret":"\[redacted\]"/);
      for (const secret of [CLIENT_SECRET, STATE_SECRET, DATABASE_PASSWORD, installedToken('T1')]) {
        expect(program.output()).not.toContain(secret);
      }
    } finally {
      program.child.kill('SIGKILL');
      await slack.stop();
      await database.drop();
    }
  });
});
