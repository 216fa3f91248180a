/**
 * HTTP mode's front door: what is refused before any listener runs, and
 * that no body, however malformed, takes the server down.
 */
import { describe, expect, it } from 'vitest';
import { commandBody, eventBody, SIGNING_SECRET, send, signature } from '../helpers/signed-request.js';
import { useTestBot } from '../helpers/test-bot.js';

const t = useTestBot();
let n = 0;

const now = () => Math.floor(Date.now() / 1000);
const question = () => commandBody("Who leads Russia's delegation?", t.bot.slack.responseUrl(`r${++n}`));

/** Asserts the request reached no listener: nothing was sent to Slack. */
async function expectNoHandlerRan(): Promise<void> {
  await t.bot.settle();
  expect(t.bot.slack.calls).toEqual([]);
}

describe('the mode', () => {
  it('is logged with the reason: HTTP mode, because only SLACK_SIGNING_SECRET is set', () => {
    expect(t.bot.running.bot.mode).toBe('http');
    expect(
      t.bot.logs.some((l) =>
        l.includes('HTTP mode, because SLACK_SIGNING_SECRET is set and SLACK_APP_TOKEN is not'),
      ),
    ).toBe(true);
  });
});

describe('request signatures and timestamps', () => {
  it.each([
    ['no signature', { signature: null }],
    ['a signature made with another secret', { secret: 'ffffffffffffffffffffffffffffffff' }],
    ['a malformed signature', { signature: 'v1=abc' }],
    ['a timestamp 6 minutes old', { timestamp: now() - 360 }],
    ['a timestamp 6 minutes ahead', { timestamp: now() + 360 }],
    ['a timestamp a day ahead', { timestamp: now() + 86_400 }],
  ])('refuses a request with %s: 401, no handler', async (_what, options) => {
    expect((await send(t.events, question(), options)).status).toBe(401);
    await expectNoHandlerRan();
  });

  it('refuses a body changed after signing', async () => {
    const genuine = question();
    const timestamp = now();
    const tampered = { ...genuine, body: genuine.body.replace('delegation', 'army') };
    const response = await send(t.events, tampered, {
      signature: signature(genuine.body, timestamp),
      timestamp,
    });
    expect(response.status).toBe(401);
    await expectNoHandlerRan();
  });

  it('refuses a request without a timestamp', async () => {
    const { body, contentType } = question();
    const response = await fetch(t.events, {
      method: 'POST',
      headers: { 'content-type': contentType, 'x-slack-signature': signature(body, now(), SIGNING_SECRET) },
      body,
    });
    expect(response.status).toBe(401);
    await expectNoHandlerRan();
  });

  it.each([
    ['4 minutes old', -240],
    ['4 minutes ahead', 240],
  ])('accepts a timestamp %s', async (_what, skew) => {
    const body = question();
    expect((await send(t.events, body, { timestamp: now() + skew })).status).toBe(200);
    await t.bot.slack.waitFor(`respond:r${n}`);
  });
});

describe('malformed bodies', () => {
  const json = (body: string) => ({ body, contentType: 'application/json' });
  const form = (body: string) => ({ body, contentType: 'application/x-www-form-urlencoded' });

  it.each([
    ['invalid JSON', json('{"type": ')],
    ['JSON null', json('null')],
    ['a JSON array', json('[1,2]')],
    ['a JSON string', json('"event_callback"')],
    ['an event that is not an object', json('{"type":"event_callback","event":5}')],
    ['an event without a type', json('{"type":"event_callback","event":{}}')],
    ['a form payload that is not JSON', form('payload=%7Bnope')],
    [
      'an action without a user',
      form(`payload=${encodeURIComponent('{"type":"block_actions","actions":[{}]}')}`),
    ],
    ['binary noise', { body: '\u0000\u00ff\u0001garbage', contentType: 'application/octet-stream' }],
  ])('answers a signed request with %s with 400', async (_what, body) => {
    expect((await send(t.events, body)).status).toBe(400);
    await expectNoHandlerRan();
  });

  it('answers a signed body of no known kind with a 4xx', async () => {
    const status = (await send(t.events, json('{"type":"no_such_thing"}'))).status;
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
  });

  it('answers a body over 4 MB with 413', async () => {
    expect((await send(t.events, json(`{"pad":"${'x'.repeat(4 * 1024 * 1024)}"}`))).status).toBe(413);
  });

  it('still serves after all of the above', async () => {
    const health = await fetch(`${t.bot.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', articles: 1, sentences: 52 });
    expect((await send(t.events, question())).status).toBe(200);
    await t.bot.slack.waitFor(`respond:r${n}`);
  });
});

describe('routes', () => {
  it('answers Slack’s URL verification with its challenge', async () => {
    const response = await send(
      t.events,
      json('{"type":"url_verification","challenge":"c-123","token":"t"}'),
    );
    expect(await response.json()).toEqual({ challenge: 'c-123' });
  });

  it('answers GET /slack/events with 405 and unknown paths with 404', async () => {
    expect((await fetch(t.events)).status).toBe(405);
    expect((await fetch(`${t.bot.baseUrl}/nope`)).status).toBe(404);
  });

  it('never logs a secret, even at debug level', async () => {
    await send(t.events, eventBody({ type: 'app_home_opened', user: 'U0001', tab: 'home' }));
    await t.bot.settle();
    const logs = t.bot.logs.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [t.bot.config.slack.botToken, SIGNING_SECRET, 'verification-token']) {
      expect(logs).not.toContain(secret);
    }
  });
});

function json(body: string) {
  return { body, contentType: 'application/json' };
}
