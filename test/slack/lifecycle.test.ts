/**
 * The app leaving a workspace, through Bolt's routing with signed events:
 * `app_uninstalled`, and `tokens_revoked` naming bot tokens, delete the
 * workspace's (or org's) installations and readers' feedback, and only
 * theirs; its requests then go unanswered. One workspace's bot (SQLite)
 * forgets its feedback the same way.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Feedback } from '../../src/store/store.js';
import { install, OAUTH_ENV, startInstallingSlack } from '../helpers/oauth.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { eventBody, type FromTeam, send } from '../helpers/signed-request.js';
import type { SlackStandIn } from '../helpers/slack-stand-in.js';
import { startTestBot, type TestBot, useTestBot } from '../helpers/test-bot.js';

/** A rating from a reader of a workspace (or of a workspace of an org), one reader per workspace. */
function rating(teamId: string, helpful: boolean, enterpriseId: string | null = null): Feedback {
  return {
    userId: `U_${teamId}`,
    teamId,
    enterpriseId,
    channelId: 'C1',
    question: 'who?',
    offset: 0,
    helpful,
  };
}

/** Delivers a lifecycle event to the bot and waits until it is handled. */
async function deliver(bot: TestBot, event: Record<string, unknown>, from: FromTeam): Promise<void> {
  expect((await send(`${bot.baseUrl}/slack/events`, eventBody(event, undefined, from))).status).toBe(200);
  await bot.settle();
}

describe('many workspaces, on Postgres', () => {
  let database: TestDatabase;
  let slack: SlackStandIn;
  let bot: TestBot;

  beforeAll(async () => {
    database = await createTestDatabase();
    slack = await startInstallingSlack();
    bot = await startTestBot({ env: { ...OAUTH_ENV, DATABASE_URL: database.url }, slack });
  });
  afterAll(async () => {
    await bot?.close();
    await slack?.stop();
    await database?.drop();
  });
  beforeEach(async () => {
    for (const code of ['code-T1', 'code-T2', 'org-E1']) await install(bot.baseUrl, code);
    const { store } = bot.running;
    await store.recordFeedback(rating('T1', true));
    await store.recordFeedback(rating('T2', false));
    await store.recordFeedback(rating('T5', true, 'E1'));
  });

  const installed = async () =>
    (await bot.running.store.installations()).map((i) => i.teamId ?? i.enterpriseId).sort();

  it("forgets an uninstalled workspace: its installation and feedback, and no one else's", async () => {
    await deliver(bot, { type: 'app_uninstalled' }, { teamId: 'T1' });
    expect(await installed()).toEqual(['E1', 'T2']);
    expect(await bot.running.store.feedbackTotals()).toEqual({ helpful: 1, unhelpful: 1 });
    expect(bot.logs.join('\n')).toContain(
      "Forgot workspace T1 after app_uninstalled: its installations, readers' feedback, and digest subscriptions and ledger are deleted",
    );
    // Its requests find no installation any more.
    slack.calls.length = 0;
    const mention = { type: 'app_mention', user: 'U1', channel: 'C1', ts: '1700000000.000001', text: 'hi' };
    await deliver(bot, mention, { teamId: 'T1' });
    expect(slack.callsOf('chat.postMessage')).toEqual([]);
    expect(bot.logs.join('\n')).toMatch(/Ignored a request: .*not installed in workspace T1/);
  });

  it('forgets a whole org when its org-wide install is removed', async () => {
    await deliver(
      bot,
      { type: 'app_uninstalled' },
      { teamId: 'T5', enterpriseId: 'E1', isEnterpriseInstall: true },
    );
    expect(await installed()).toEqual(['T1', 'T2']);
    expect(await bot.running.store.feedbackTotals()).toEqual({ helpful: 1, unhelpful: 1 });
  });

  it('forgets a workspace whose bot token was revoked, but not one whose user tokens alone were', async () => {
    await deliver(bot, { type: 'tokens_revoked', tokens: { oauth: ['U1'] } }, { teamId: 'T1' });
    expect(await installed()).toEqual(['E1', 'T1', 'T2']);
    expect(bot.logs.join('\n')).toContain('Slack revoked user tokens only: nothing to forget');
    await deliver(bot, { type: 'tokens_revoked', tokens: { oauth: [], bot: ['UBOTT2'] } }, { teamId: 'T2' });
    expect(await installed()).toEqual(['E1', 'T1']);
    expect(await bot.running.store.feedbackTotals()).toEqual({ helpful: 2, unhelpful: 0 });
    expect(bot.logs.join('\n')).toContain('Forgot workspace T2 after tokens_revoked');
  });
});

describe('one workspace, on SQLite', () => {
  const t = useTestBot();

  it("forgets the workspace's feedback when the app is uninstalled", async () => {
    const { store } = t.bot.running;
    await store.recordFeedback(rating('T0001', true));
    await store.recordFeedback(rating('T0002', false));
    await deliver(t.bot, { type: 'app_uninstalled' }, { teamId: 'T0001' });
    expect(await store.feedbackTotals()).toEqual({ helpful: 0, unhelpful: 1 });
  });

  it('forgets the questions kept from the workspace for editors when the app is uninstalled', async () => {
    const { store } = t.bot.running;
    for (const teamId of ['T0001', 'T0002']) {
      await store.recordGap({ kind: 'unanswered', question: `asked in ${teamId}`, surface: 'dm', teamId });
    }
    await deliver(t.bot, { type: 'app_uninstalled' }, { teamId: 'T0001' });
    expect((await store.gaps(0)).map((g) => g.question)).toEqual(['asked in T0002']);
  });
});
