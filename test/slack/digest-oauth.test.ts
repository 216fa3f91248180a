/**
 * The digest of a bot serving many workspaces (OAuth, on Postgres), through
 * Bolt's routing with signed requests: `/ceasefire digest on` subscribes the
 * asking workspace's channel and posts its notice with that workspace's
 * installed token (an org's workspace with the org-wide one), App Home shows
 * a workspace its own, `digest --post` posts each with its own token, and an
 * uninstalled workspace's digest is gone and never posted again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postDigests } from '../../src/digest/post-digests.js';
import { createLogger } from '../../src/log.js';
import { createDigestPoster } from '../../src/slack/digest-poster.js';
import { allText } from '../helpers/block-limits.js';
import { install, installedToken, OAUTH_ENV, startInstallingSlack } from '../helpers/oauth.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { commandBody, eventBody, type FromTeam, send } from '../helpers/signed-request.js';
import type { SlackStandIn } from '../helpers/slack-stand-in.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

let database: TestDatabase;
let slack: SlackStandIn;
let bot: TestBot;
let n = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  slack = await startInstallingSlack();
  bot = await startTestBot({ env: { ...OAUTH_ENV, DATABASE_URL: database.url }, slack });
  for (const code of ['code-T1', 'code-T2', 'org-E1']) await install(bot.baseUrl, code);
});
afterAll(async () => {
  await bot?.close();
  await slack?.stop();
  await database?.drop();
});

/** `/ceasefire <text>` typed in `channel` of a workspace; resolves the private reply. */
async function command(text: string, channel: string, from: FromTeam) {
  const id = `oauth-digest${++n}`;
  const org: Record<string, string> = from.enterpriseId
    ? { enterprise_id: from.enterpriseId, is_enterprise_install: String(from.isEnterpriseInstall ?? false) }
    : {};
  await send(
    `${bot.baseUrl}/slack/events`,
    commandBody(text, slack.responseUrl(id), { channel_id: channel, team_id: from.teamId, ...org }),
  );
  const [reply] = await slack.waitFor(`respond:${id}`);
  return allText(reply?.body);
}

/** The authorization of each post to `channel`, oldest first. */
const postsTo = (channel: string) =>
  slack
    .callsOf('chat.postMessage')
    .filter((c) => c.body.channel === channel)
    .map((c) => c.authorization);

const T5_IN_E1: FromTeam = { teamId: 'T5', enterpriseId: 'E1', isEnterpriseInstall: true };

describe('the digest of many workspaces', () => {
  it('subscribes the asking workspace, posting its notice with that workspace’s token', async () => {
    for (const teamId of ['T1', 'T2']) {
      expect(await command('digest on 00:00 Europe/London', 'CSHARED', { teamId })).toContain('Done:');
    }
    expect(await command('digest on 00:00 Europe/London', 'C5', T5_IN_E1)).toContain('Done:');
    expect(postsTo('CSHARED')).toEqual([`Bearer ${installedToken('T1')}`, `Bearer ${installedToken('T2')}`]);
    expect(postsTo('C5')).toEqual([`Bearer ${installedToken('E1')}`]);
    const subscriptions = await bot.running.store.allDigestSubscriptions();
    expect(subscriptions.map((s) => [s.teamId, s.channelId, s.enterpriseId])).toEqual([
      ['T1', 'CSHARED', null],
      ['T2', 'CSHARED', null],
      ['T5', 'C5', 'E1'],
    ]);
  });

  it('shows each workspace its own subscriptions in App Home', async () => {
    await send(
      `${bot.baseUrl}/slack/events`,
      eventBody({ type: 'app_home_opened', user: 'U1', channel: 'D1', tab: 'home' }, undefined, T5_IN_E1),
    );
    const [publish] = await slack.waitFor('views.publish');
    expect(publish?.authorization).toBe(`Bearer ${installedToken('E1')}`);
    const shown = allText(publish?.body.view);
    expect(shown).toContain('<#C5> at 00:00 (Europe/London)');
    expect(shown).not.toContain('CSHARED');
  });

  it('after an uninstall has no digest there, and digest --post posts nothing there, forced or not', async () => {
    await send(
      `${bot.baseUrl}/slack/events`,
      eventBody({ type: 'app_uninstalled' }, undefined, { teamId: 'T1' }),
    );
    await bot.settle();
    expect((await bot.running.store.allDigestSubscriptions()).map((s) => s.teamId)).toEqual(['T2', 'T5']);
    const installations = bot.running.installations;
    if (!installations) throw new Error('the bot serves many workspaces: it has installations');
    slack.calls.length = 0;
    const logger = createLogger({ level: 'error', write: () => {} });
    const deliveries = await postDigests(
      {
        store: bot.running.store,
        poster: createDigestPoster(slack.apiUrl, logger),
        installations,
        articles: () => bot.running.knowledge.articles,
        logger,
        owner: 'digest-post',
        skipUnchanged: false,
      },
      { force: true },
    );
    expect(deliveries.map((d) => [d.teamId, d.channelId, d.status])).toEqual([
      ['T2', 'CSHARED', 'posted'],
      ['T5', 'C5', 'posted'],
    ]);
    expect(postsTo('CSHARED')).toEqual([`Bearer ${installedToken('T2')}`]);
    expect(postsTo('C5')).toEqual([`Bearer ${installedToken('E1')}`]);
  });
});
