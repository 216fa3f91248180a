/**
 * Many workspaces: two bot processes ("replicas") on one Postgres database,
 * behind which a Slack stand-in plays Slack's side of the OAuth install.
 * Installs start on one replica and finish on the other; then each
 * workspace's requests, on either replica, use that workspace's own token.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLIENT_ID } from '../helpers/credentials.js';
import {
  finishInstall,
  installedToken,
  OAUTH_ENV,
  startInstall,
  startInstallingSlack,
} from '../helpers/oauth.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { eventBody, type FromTeam, send } from '../helpers/signed-request.js';
import type { SlackStandIn } from '../helpers/slack-stand-in.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

let database: TestDatabase;
let slack: SlackStandIn;
let a: TestBot;
let b: TestBot;

beforeAll(async () => {
  database = await createTestDatabase();
  slack = await startInstallingSlack();
  const env = { ...OAUTH_ENV, DATABASE_URL: database.url };
  [a, b] = await Promise.all([startTestBot({ env, slack }), startTestBot({ env, slack })]);
});
beforeEach(() => {
  slack.calls.length = 0;
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await slack?.stop();
  await database?.drop();
});

let n = 0;

/** A mention of the bot with a question, in a channel of workspace `teamId`. */
function mentionEvent(teamId: string): Record<string, unknown> {
  return {
    type: 'app_mention',
    user: 'U0001',
    channel: `C${teamId}`,
    ts: `1700000000.${String(++n).padStart(6, '0')}`,
    text: "<@UBOT0001> Who leads Russia's delegation?",
  };
}

/** Mentions the bot from a workspace on one replica, and returns the `authorization` of the answer's post. */
async function mention(bot: TestBot, from: FromTeam): Promise<string | undefined> {
  const body = eventBody(mentionEvent(from.teamId), undefined, from);
  expect((await send(`${bot.baseUrl}/slack/events`, body)).status).toBe(200);
  const [post] = await slack.waitFor('chat.postMessage');
  return post?.authorization;
}

describe('the mode', () => {
  it('is logged with the reason and the install paths', () => {
    expect(a.running.bot.mode).toBe('http');
    expect(a.logs.join('\n')).toContain(
      'HTTP mode for many workspaces (OAuth), because SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET are set: ' +
        'each workspace installs through /slack/install and Slack sends it back to /slack/oauth_redirect',
    );
  });
});

describe('the Add to Slack page', () => {
  it("links to the authorize page on SLACK_API_URL's host, asking for the manifest's scopes, with a signed state", async () => {
    const { authorizeUrl, cookie } = await startInstall(a.baseUrl);
    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(
      `http://127.0.0.1:${slack.port}/oauth/v2/authorize`,
    );
    const manifest = parse(readFileSync('manifest.yml', 'utf8'));
    const scopes = [...manifest.oauth_config.scopes.bot, ...manifest.oauth_config.scopes.bot_optional];
    expect(authorizeUrl.searchParams.get('scope')?.split(',').sort()).toEqual(scopes.sort());
    expect(authorizeUrl.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(authorizeUrl.searchParams.get('user_scope')).toBeNull();
    const state = authorizeUrl.searchParams.get('state');
    expect(state).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(cookie).toBe(`slack-app-oauth-state=${state}`);
  });

  it('takes only GET', async () => {
    for (const path of ['/slack/install', '/slack/oauth_redirect']) {
      expect((await fetch(`${a.baseUrl}${path}`, { method: 'POST' })).status).toBe(405);
    }
  });
});

describe('installs across replicas', () => {
  it('finishes on one replica an install started on the other, and then every request of the workspace uses its token', async () => {
    const start = await startInstall(a.baseUrl);
    const finish = await finishInstall(b.baseUrl, start, 'code-T1');
    expect(finish.status).toBe(200);
    expect(await finish.text()).toContain('Thank you!');
    const [exchange] = slack.callsOf('oauth.v2.access');
    expect(exchange?.body).toMatchObject({ code: 'code-T1', client_id: CLIENT_ID });
    expect(b.logs.join('\n')).toContain('Installed in workspace T1 by U_INSTALLER');

    const other = await startInstall(b.baseUrl);
    expect((await finishInstall(a.baseUrl, other, 'code-T2')).status).toBe(200);

    for (const [bot, teamId] of [
      [a, 'T1'],
      [b, 'T1'],
      [a, 'T2'],
      [b, 'T2'],
    ] as const) {
      slack.calls.length = 0;
      expect(await mention(bot, { teamId })).toBe(`Bearer ${installedToken(teamId)}`);
    }
  });

  it("serves every workspace of an org from the org-wide install, with the org's token", async () => {
    const start = await startInstall(b.baseUrl);
    expect((await finishInstall(a.baseUrl, start, 'org-E1')).status).toBe(200);
    expect(a.logs.join('\n')).toContain('Installed in org E1 by U_INSTALLER');
    const from = { teamId: 'T5', enterpriseId: 'E1', isEnterpriseInstall: true };
    expect(await mention(b, from)).toBe(`Bearer ${installedToken('E1')}`);
  });

  it('refuses a redirect whose state the bot did not sign, or that comes without the browser’s state cookie', async () => {
    const start = await startInstall(a.baseUrl);
    const state = start.authorizeUrl.searchParams.get('state') ?? '';
    const forged = new URL(start.authorizeUrl);
    forged.searchParams.set('state', `${state.slice(0, -4)}AAAA`);
    const forgedStart = {
      authorizeUrl: forged,
      cookie: `slack-app-oauth-state=${forged.searchParams.get('state')}`,
    };
    expect((await finishInstall(b.baseUrl, forgedStart, 'code-T3')).status).toBe(400);
    expect((await finishInstall(b.baseUrl, { ...start, cookie: '' }, 'code-T3')).status).toBe(400);
    expect(slack.callsOf('oauth.v2.access')).toEqual([]);
  });

  it('answers nothing in a workspace where the app is not installed, and logs why', async () => {
    const body = eventBody(mentionEvent('T404'), undefined, { teamId: 'T404' });
    expect((await send(`${a.baseUrl}/slack/events`, body)).status).toBe(200);
    await a.settle();
    expect(slack.callsOf('chat.postMessage')).toEqual([]);
    expect(a.logs.join('\n')).toMatch(
      /Ignored a request: .*not installed in workspace T404: install it there through \/slack\/install/,
    );
  });
});
