/**
 * Startup and shutdown: the program as `npm start` runs it (a child
 * process), and `startBot` with parts that fail.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { SlackCallError, StoreError } from '../src/errors.js';
import { startBot, startupMessage } from '../src/main.js';
import { DATABASE_FILE } from '../src/store/sqlite-store.js';
import { freePort } from './helpers/loopback.js';
import { commandBody, SIGNING_SECRET, send } from './helpers/signed-request.js';
import { SlackStandIn } from './helpers/slack-stand-in.js';
import { BOT_TOKEN, startTestBot } from './helpers/test-bot.js';

const MAIN = path.resolve('src/main.ts');
/** tsx's loader, by absolute URL: the child runs in an empty folder where `tsx` cannot be resolved. */
const TSX = pathToFileURL(path.resolve('node_modules/tsx/dist/loader.mjs')).href;
const KNOWLEDGE = path.resolve('knowledge');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ceasefire-main-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Runs `src/main.ts` as `npm start` does, in an empty folder (so no `.env` is read), with only `env`. */
function runMain(env: Record<string, string>): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ['--import', TSX, MAIN], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += String(d);
  });
  child.stderr?.on('data', (d) => {
    output += String(d);
  });
  return Object.assign(child, { output: () => output });
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function waitForOutput(child: ReturnType<typeof runMain>, text: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!child.output().includes(text)) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`no "${text}" in:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('configuration errors', () => {
  it('exits 1 listing every missing variable, pointing to the README and to npm run ask', async () => {
    const child = runMain({});
    expect(await exitCode(child)).toBe(1);
    const output = child.output();
    expect(output).toContain('SLACK_BOT_TOKEN: is required');
    expect(output).toContain('SLACK_APP_TOKEN: is required for Socket Mode');
    expect(output).toContain('"Connect to Slack" in README.md');
    expect(output).toContain('npm run ask');
  });

  it('names each malformed variable without echoing its value', async () => {
    const child = runMain({
      SLACK_BOT_TOKEN: 'xoxp-user-token-not-a-bot-9999',
      SLACK_SIGNING_SECRET: 'not-hex-secret-value',
      PORT: 'eighty',
    });
    expect(await exitCode(child)).toBe(1);
    const output = child.output();
    for (const variable of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'PORT'])
      expect(output).toContain(variable);
    expect(output).not.toContain('xoxp-user-token-not-a-bot-9999');
    expect(output).not.toContain('not-hex-secret-value');
  });
});

describe('npm start in HTTP mode', () => {
  it('serves, then on SIGTERM finishes the answer in flight, closes the database and exits 0', async () => {
    const slack = new SlackStandIn();
    await slack.start();
    // Keep the answer in flight: the response_url takes a while to accept it.
    slack.on('respond:slow', { body: { ok: true }, delayMs: 700 });
    const port = await freePort();
    const child = runMain({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
      DATA_DIR: path.join(dir, 'data'),
      KNOWLEDGE_DIR: KNOWLEDGE,
    });
    try {
      await waitForOutput(child, 'Listening for Slack requests on port');
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(await health.json()).toMatchObject({ status: 'ok', articles: 1 });
      const ack = await send(
        `http://127.0.0.1:${port}/slack/events`,
        commandBody("Who leads Russia's delegation?", slack.responseUrl('slow')),
      );
      expect(ack.status).toBe(200);
      await slack.waitFor('respond:slow');
      child.kill('SIGTERM');
      expect(await exitCode(child)).toBe(0);
      expect(slack.callsOf('respond:slow')[0]?.answered).toBe(true);
      expect(child.output()).toContain('SIGTERM: finishing work in flight');
      expect(child.output()).toContain('Stopped');
      expect(child.output()).not.toContain(BOT_TOKEN);
    } finally {
      child.kill('SIGKILL');
      await slack.stop();
    }
  });
});

describe('startBot failures', () => {
  const config = (slack: SlackStandIn, overrides: Record<string, string> = {}) => ({
    ...parseConfig(
      {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        DATA_DIR: path.join(dir, 'data'),
        KNOWLEDGE_DIR: KNOWLEDGE,
        LOG_LEVEL: 'error',
        ...overrides,
      },
      'bot',
    ),
    port: 0,
  });

  async function withStandIn(test: (slack: SlackStandIn) => Promise<void>): Promise<void> {
    const slack = new SlackStandIn();
    await slack.start();
    try {
      await test(slack);
    } finally {
      await slack.stop();
    }
  }

  it('reports a bot token Slack rejects, naming the variable', () =>
    withStandIn(async (slack) => {
      slack.on('auth.test', { body: { ok: false, error: 'invalid_auth' } });
      const error = await startBot({ config: config(slack), host: '127.0.0.1' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SlackCallError);
      expect(startupMessage(error)).toMatch(
        /^Cannot start: auth\.test failed \(invalid_auth\): .*SLACK_BOT_TOKEN/,
      );
    }));

  it('reports a damaged database and leaves it as it was', () =>
    withStandIn(async (slack) => {
      const dataDir = path.join(dir, 'data');
      await rm(dataDir, { recursive: true, force: true });
      await import('node:fs/promises').then((fs) => fs.mkdir(dataDir));
      await writeFile(path.join(dataDir, DATABASE_FILE), 'not a database '.repeat(100));
      const error = await startBot({ config: config(slack), host: '127.0.0.1' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect(startupMessage(error)).toContain('is damaged or is not a database');
      expect(slack.calls).toEqual([]);
    }));

  it('reports a port in use', async () => {
    const first = await startTestBot();
    try {
      const port = first.running.bot.port ?? 0;
      const error = await startBot({
        config: { ...config(first.slack, { DATA_DIR: path.join(dir, 'second') }), port },
        host: '127.0.0.1',
      }).catch((e: unknown) => e);
      expect(startupMessage(error)).toContain(`listen failed (EADDRINUSE)`);
      expect(startupMessage(error)).toContain(`PORT ${port}`);
    } finally {
      await first.close();
    }
  });
});

describe('the running bot and its knowledge folder', () => {
  it('answers from an article added while it runs, without a restart', async () => {
    const knowledge = path.join(dir, 'knowledge');
    await mkdir(knowledge);
    await writeFile(
      path.join(knowledge, 'port.md'),
      '---\ntitle: Port report\n---\nShips returned to the harbour.\n',
    );
    const bot = await startTestBot({ knowledgeDir: knowledge });
    try {
      const ask = async (id: string) => {
        await send(
          `${bot.baseUrl}/slack/events`,
          commandBody('Who chairs the grain commission?', bot.slack.responseUrl(id)),
        );
        const [reply] = await bot.slack.waitFor(`respond:${id}`);
        return JSON.stringify(reply?.body);
      };
      expect(await ask('before')).toContain('I found nothing in the articles about that.');
      await writeFile(
        path.join(knowledge, 'grain.md'),
        '---\ntitle: Grain commission\n---\nThe grain commission is chaired by Olena Marchenko.\n',
      );
      // Usually well within a second (see the benchmark); the test allows for a busy machine.
      let answer = '';
      for (let i = 0; i < 50 && !answer.includes('Olena Marchenko'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        answer = await ask(`after${i}`);
      }
      expect(answer).toContain('The grain commission is chaired by Olena Marchenko.');
    } finally {
      await bot.close();
    }
  });
});
