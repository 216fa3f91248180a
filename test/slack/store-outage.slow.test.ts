/**
 * The database lost while the bot runs, and back: a Postgres server of this
 * file's own is stopped and started again under two bots, one serving many
 * workspaces and one serving a single workspace. While it is down `/healthz`
 * answers 503, every request is acknowledged, people get a short apology or
 * their answer where no state is needed, and nothing crashes; once it is
 * back, both bots serve as before without a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAnswerRef } from '../../src/render/blocks-answer.js';
import { DATABASE_LOST, STORE_OUTAGE_APOLOGY } from '../../src/slack/store-outage.js';
import { DATABASE_PASSWORD } from '../helpers/credentials.js';
import { install, OAUTH_ENV, startInstallingSlack } from '../helpers/oauth.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres-server.js';
import { buttonClickBody, commandBody, eventBody, type SlackBody, send } from '../helpers/signed-request.js';
import type { SlackStandIn } from '../helpers/slack-stand-in.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

let server: TestPostgres;
let slack: SlackStandIn;
let many: TestBot;
let one: TestBot;

beforeAll(async () => {
  server = await startTestPostgres();
  const database = await createTestDatabase({ server });
  slack = await startInstallingSlack();
  many = await startTestBot({ env: { ...OAUTH_ENV, DATABASE_URL: database.url }, slack });
  one = await startTestBot({ env: { DATABASE_URL: database.url }, slack });
  await install(many.baseUrl, 'code-T1');
}, 60_000);
afterAll(async () => {
  await Promise.all([many?.close(), one?.close()]);
  await slack?.stop();
  await server?.destroy();
});

const QUESTION = "Who leads Russia's delegation?";
/** A sentence of the answer to `QUESTION` from the articles in knowledge/. */
const ANSWER = 'Russia’s delegation led by Vladimir Medinsky';
let n = 0;

/** Sends a request to a bot (acknowledged with 200 whatever happens) and returns the replies to its response_url. */
async function ask(bot: TestBot, make: (responseUrl: string) => SlackBody): Promise<string[]> {
  const id = `r${++n}`;
  expect((await send(`${bot.baseUrl}/slack/events`, make(slack.responseUrl(id)))).status).toBe(200);
  await bot.settle();
  return slack.callsOf(`respond:${id}`).map((call) => JSON.stringify(call.body));
}

const command = (teamId: string) => (url: string) => commandBody(QUESTION, url, { team_id: teamId });
const rating = (teamId: string) => (url: string) =>
  buttonClickBody('feedback_up', encodeAnswerRef({ question: QUESTION, offset: 0 }) ?? '', url, { teamId });

async function health(bot: TestBot): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${bot.baseUrl}/healthz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Mentions a bot in a workspace and reports whether it posted anything. */
async function mentionPosts(bot: TestBot, teamId: string): Promise<boolean> {
  slack.calls.length = 0;
  const event = {
    type: 'app_mention',
    user: 'U1',
    channel: 'C1',
    ts: `1700000000.00000${++n}`,
    text: QUESTION,
  };
  expect((await send(`${bot.baseUrl}/slack/events`, eventBody(event, undefined, { teamId }))).status).toBe(
    200,
  );
  await bot.settle();
  return slack.callsOf('chat.postMessage').length > 0;
}

describe('a database lost and back', () => {
  it('is healthy while the database answers', async () => {
    for (const bot of [many, one]) expect((await health(bot)).body.status).toBe('ok');
  });

  describe('while it is down', () => {
    beforeAll(() => server.pause());

    it('answers /healthz with 503 and a reason that names no host or password, and logs the loss once', async () => {
      for (const bot of [many, one]) {
        for (let i = 0; i < 2; i++) {
          const { status, body } = await health(bot);
          expect(status).toBe(503);
          expect(body).toMatchObject({ status: 'unavailable', reason: DATABASE_LOST });
          expect(JSON.stringify(body)).not.toMatch(new RegExp(`127\\.0\\.0\\.1|${DATABASE_PASSWORD}`));
        }
        expect(
          bot.logs.filter((l) => l.includes('The database is lost, so /healthz answers 503')),
        ).toHaveLength(1);
      }
    });

    it('many workspaces: a command or a click gets a short apology, a mention nothing; each is logged', async () => {
      expect(await ask(many, command('T1'))).toEqual([expect.stringContaining(STORE_OUTAGE_APOLOGY)]);
      expect(await ask(many, rating('T1'))).toEqual([expect.stringContaining(STORE_OUTAGE_APOLOGY)]);
      expect(await mentionPosts(many, 'T1')).toBe(false);
      expect(many.logs.join('\n')).toContain('Not handling a request: its installation cannot be read');
    });

    it('one workspace: a question is answered, a rating gets an apology, a mention waits (never answered twice)', async () => {
      expect(await ask(one, command('T0001'))).toEqual([expect.stringContaining(ANSWER)]);
      expect(await ask(one, rating('T0001'))).toEqual([
        expect.stringContaining('Sorry, I could not record your rating just now.'),
      ]);
      expect(await mentionPosts(one, 'T0001')).toBe(false);
      expect(one.logs.join('\n')).toMatch(/Not answering message:C1:/);
    });

    it('logs an uninstall it cannot record', async () => {
      expect(
        (
          await send(
            `${many.baseUrl}/slack/events`,
            eventBody({ type: 'app_uninstalled' }, undefined, { teamId: 'T1' }),
          )
        ).status,
      ).toBe(200);
      await many.settle();
      expect(many.logs.join('\n')).toMatch(
        /Could not forget workspace T1 after app_uninstalled, so its installation and data are kept/,
      );
    });
  });

  describe('once it is back', () => {
    beforeAll(() => server.start());

    it('is healthy again and says so in the log', async () => {
      for (const bot of [many, one]) {
        expect(await health(bot)).toMatchObject({ status: 200, body: { status: 'ok' } });
        expect(bot.logs.join('\n')).toContain('The database answers again: serving');
      }
    });

    it('serves every request as before', async () => {
      for (const bot of [many, one]) {
        const teamId = bot === many ? 'T1' : 'T0001';
        expect(await ask(bot, command(teamId))).toEqual([expect.stringContaining(ANSWER)]);
        expect(await ask(bot, rating(teamId))).toEqual([
          expect.stringContaining('Thanks, your rating is recorded.'),
        ]);
        expect(await mentionPosts(bot, teamId)).toBe(true);
      }
    });
  });
});
