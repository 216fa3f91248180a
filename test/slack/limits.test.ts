/**
 * Slack's limits hold for real answers from unusual articles: a sentence of
 * many thousand characters with Slack's control characters in it, served
 * through the command and a mention.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { allText, limitViolations } from '../helpers/block-limits.js';
import { commandBody, eventBody, send } from '../helpers/signed-request.js';
import { BOT_USER_ID } from '../helpers/slack-stand-in.js';
import { startTestBot, type TestBot } from '../helpers/test-bot.js';

let bot: TestBot;
let knowledgeDir: string;

const HUGE = `The negotiators ${'and mediators (x < 5 & y) '.repeat(500)}finally met the envoys in Ankara.`;

beforeAll(async () => {
  knowledgeDir = await mkdtemp(path.join(tmpdir(), 'ceasefire-knowledge-'));
  await writeFile(
    path.join(knowledgeDir, 'long.md'),
    [
      '---',
      'title: A very long report',
      'url: https://news.example/long-report',
      'published: 2025-05-17',
      '---',
      '',
      '## The meeting',
      '',
      HUGE,
      '',
    ].join('\n'),
  );
  bot = await startTestBot({ knowledgeDir });
});
afterAll(async () => {
  await bot.close();
  await rm(knowledgeDir, { recursive: true, force: true });
});

it('keeps a command answer with a huge sentence within Slack’s limits, with its link and date', async () => {
  expect(HUGE.length).toBeGreaterThan(12_000);
  await send(
    `${bot.baseUrl}/slack/events`,
    commandBody('Who met the envoys in Ankara?', bot.slack.responseUrl('huge')),
  );
  const [reply] = await bot.slack.waitFor('respond:huge');
  expect(limitViolations(reply?.body ?? {})).toEqual([]);
  const shown = allText(reply?.body);
  expect(shown).toMatch(/^>The negotiators and mediators \(x &lt; 5 &amp; y\) .*…$/m);
  expect(shown).toContain(
    '_A very long report › The meeting_ · <https://news.example/long-report|article> · 2025-05-17',
  );
});

it('keeps a thread answer with a huge sentence within Slack’s limits', async () => {
  const event = { type: 'app_mention', user: 'U0001', channel: 'C0001', ts: '1700000200.000100' };
  await send(
    `${bot.baseUrl}/slack/events`,
    eventBody({ ...event, text: `<@${BOT_USER_ID}> Who met the envoys in Ankara?` }),
  );
  const [post] = await bot.slack.waitFor('chat.postMessage');
  expect(limitViolations(post?.body ?? {})).toEqual([]);
  expect(allText(post?.body)).toContain('The negotiators and mediators (x &lt; 5 &amp; y)');
});
