/**
 * Slack failing on every surface the bot answers on. Each fault has one
 * defined behaviour: a refused call (429) with a short `Retry-After` is
 * tried once more; a call Slack may have carried out (a timeout, a reset
 * connection, a 5xx) is never repeated, and the person is told; a refused
 * token or a conversation the bot is not in is logged; anything else is
 * explained. Every failure is logged with its code, nothing crashes, and no
 * answer is posted twice.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { encodeAnswerRef } from '../../src/render/blocks-answer.js';
import { VERIFICATION_TOKEN } from '../helpers/credentials.js';
import { buttonClickBody, commandBody, eventBody, type SlackBody, send } from '../helpers/signed-request.js';
import { BOT_USER_ID, type CannedReply } from '../helpers/slack-stand-in.js';
import { useTestBot } from '../helpers/test-bot.js';

/**
 * The client gives up after this long; a "slow" Slack answers after twice as
 * long. It also bounds the bot's first call at startup, which on a busy
 * machine, sharing it with other test files, can take a few hundred ms.
 */
const CLIENT_TIMEOUT_MS = 1000;
const QUESTION = "Who leads Russia's delegation?";
const BUTTON_VALUE = encodeAnswerRef({ question: QUESTION, offset: 0 }) ?? '';

const t = useTestBot({ clientOptions: { timeout: CLIENT_TIMEOUT_MS } });
let n = 0;
/** Faults injected in this file, by kind (reported with the suite's figures). */
const injected = new Map<string, number>();

afterEach(() => {
  for (const method of ['chat.postMessage', 'views.publish']) t.bot.slack.off(method);
});

afterAll(() => {
  const total = [...injected.values()].reduce((a, b) => a + b, 0);
  console.info(`slack-faults: ${total} faults injected`, Object.fromEntries(injected));
});

/** A fault as Slack (or the network) produces it, and what the bot must do about it. */
interface Fault {
  name: string;
  reply: () => CannedReply;
  /** The code the failure is logged with. */
  code: string;
  /** Whether a post goes out after all: tried once more after the wait Slack asked for. */
  recovers: boolean;
  /** What the person is told, or null when nothing can be posted to them (or nothing needs to be). */
  told: RegExp | null;
  /** The same when it goes back through a response_url (which needs no token or membership). */
  toldByResponseUrl: RegExp | null;
}

const notConfirmed = /did not confirm that my message was posted/;

/** Web API faults. `shortRateLimit` refuses only the first call, as Slack does once the wait is over. */
function webApiFaults(): Fault[] {
  let refused = 0;
  const refuse =
    (error: string): (() => CannedReply) =>
    () => ({ body: { ok: false, error } });
  return [
    {
      name: 'rate limited with Retry-After: 1',
      reply: () =>
        refused++ % 2 === 0
          ? { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } }
          : { body: { ok: true, ts: '1700000000.000001' } },
      code: 'ratelimited',
      recovers: true,
      told: null,
      toldByResponseUrl: null,
    },
    {
      name: 'rate limited with Retry-After: 30',
      reply: () => ({
        status: 429,
        headers: { 'retry-after': '30' },
        body: { ok: false, error: 'ratelimited' },
      }),
      code: 'ratelimited',
      recovers: false,
      told: /limiting how fast I can post/,
      toldByResponseUrl: /limiting how fast I can post/,
    },
    {
      name: 'HTTP 503',
      reply: () => ({ status: 503, body: { ok: false } }),
      code: 'http_503',
      recovers: false,
      told: notConfirmed,
      toldByResponseUrl: notConfirmed,
    },
    {
      name: 'a timeout (Slack posts, but answers too late)',
      reply: () => ({ delayMs: CLIENT_TIMEOUT_MS * 2, body: { ok: true, ts: '1700000000.000002' } }),
      code: 'network_error',
      recovers: false,
      told: notConfirmed,
      toldByResponseUrl: notConfirmed,
    },
    {
      name: 'a reset connection',
      reply: () => ({ reset: true, body: {} }),
      code: 'network_error',
      recovers: false,
      told: notConfirmed,
      toldByResponseUrl: notConfirmed,
    },
    {
      name: 'invalid_auth',
      reply: refuse('invalid_auth'),
      code: 'invalid_auth',
      recovers: false,
      told: null,
      toldByResponseUrl: /refused my credentials \(invalid_auth\)/,
    },
    ...['not_in_channel', 'channel_not_found'].map((code) => ({
      name: code,
      reply: refuse(code),
      code,
      recovers: false,
      told: null,
      toldByResponseUrl: /I'm not a member of it\. Invite me/,
    })),
    {
      name: 'msg_too_long',
      reply: refuse('msg_too_long'),
      code: 'msg_too_long',
      recovers: false,
      told: /did not accept my reply \(msg_too_long\)/,
      toldByResponseUrl: /did not accept my reply \(msg_too_long\)/,
    },
  ];
}

/** Sends one delivery (acknowledged with 200) and waits until the bot has finished with it. */
async function deliver(body: SlackBody, retryNum?: number): Promise<void> {
  const response = await send(t.events, body, retryNum === undefined ? {} : { retryNum });
  expect(response.status).toBe(200);
  await t.bot.settle();
}

/** Log lines written while `run` ran. */
async function logsOf(run: () => Promise<void>): Promise<string[]> {
  const from = t.bot.logs.length;
  await run();
  return t.bot.logs.slice(from);
}

function count(kind: string): void {
  injected.set(kind, (injected.get(kind) ?? 0) + 1);
}

/** Asserts the failure was logged with its code at the level its kind calls for. */
function expectLogged(logs: string[], method: string, code: string): void {
  const line = logs.find((l) => l.includes(`${method} failed (${code})`));
  expect(line, logs.join('\n')).toBeDefined();
  expect(line).toContain(code === 'invalid_auth' ? ' ERROR ' : ' WARN ');
}

/** A mention in a channel or a direct message: answered with chat.postMessage in the conversation. */
const messageSurfaces = [
  {
    name: 'mention',
    event: (ts: string) => ({
      type: 'app_mention',
      user: 'U0001',
      channel: 'C0001',
      text: `<@${BOT_USER_ID}> ${QUESTION}`,
      ts,
    }),
  },
  {
    name: 'direct message',
    event: (ts: string) => ({
      type: 'message',
      channel_type: 'im',
      user: 'U0001',
      channel: 'D0001',
      text: QUESTION,
      ts,
    }),
  },
];

describe.each(messageSurfaces)('$name answered while chat.postMessage fails', ({ event }) => {
  it.each(webApiFaults())('$name', async (fault) => {
    count(fault.name);
    t.bot.slack.on('chat.postMessage', fault.reply);
    const delivery = eventBody(event(`${1_700_000_000 + ++n}.000100`));
    const logs = await logsOf(async () => {
      await deliver(delivery);
      // Slack redelivers an event it thinks went unanswered; the answer still goes out at most once.
      await deliver(delivery, 1);
    });
    expect(t.bot.slack.callsOf('chat.postMessage')).toHaveLength(fault.recovers ? 2 : 1);
    if (fault.recovers)
      expect(logs.join('\n')).toContain('chat.postMessage was rate limited: trying again in 1 s');
    else expectLogged(logs, 'chat.postMessage', fault.code);
    const told = t.bot.slack.callsOf('chat.postEphemeral');
    if (fault.told) {
      expect(told).toHaveLength(1);
      expect(told[0]?.body.user).toBe('U0001');
      expect(String(told[0]?.body.text)).toMatch(fault.told);
    } else {
      expect(told).toEqual([]);
    }
  });

  it('names a timeout as such in the log', async () => {
    t.bot.slack.on('chat.postMessage', { delayMs: CLIENT_TIMEOUT_MS * 2, body: { ok: true } });
    const logs = await logsOf(() => deliver(eventBody(event(`${1_700_000_000 + ++n}.000100`))));
    expect(logs.find((l) => l.includes('chat.postMessage failed (network_error)'))).toContain('timed out');
  });
});

describe('Share in channel while chat.postMessage fails', () => {
  it.each(webApiFaults())('$name', async (fault) => {
    count(fault.name);
    t.bot.slack.on('chat.postMessage', fault.reply);
    const id = `share${++n}`;
    const click = buttonClickBody('answer_share', BUTTON_VALUE, t.bot.slack.responseUrl(id), {
      channel: 'C0SHARE',
    });
    const logs = await logsOf(() => deliver(click));
    expect(t.bot.slack.callsOf('chat.postMessage')).toHaveLength(fault.recovers ? 2 : 1);
    const [reply, ...more] = t.bot.slack.callsOf(`respond:${id}`);
    expect(more).toEqual([]);
    if (fault.toldByResponseUrl) {
      expectLogged(logs, 'chat.postMessage', fault.code);
      // Told privately, and the private answer stays, so sharing again is possible.
      expect(reply?.body.response_type).toBe('ephemeral');
      expect(reply?.body.replace_original).toBe(false);
      expect(String(reply?.body.text)).toMatch(fault.toldByResponseUrl);
    } else {
      expect(reply?.body).toEqual({ delete_original: true });
    }
  });
});

describe('App Home while views.publish fails', () => {
  it.each(webApiFaults())('$name: logged, published again on the next opening', async (fault) => {
    count(fault.name);
    t.bot.slack.on('views.publish', fault.reply);
    const open = eventBody({ type: 'app_home_opened', user: 'U0001', channel: 'D0001', tab: 'home' });
    const logs = await logsOf(() => deliver(open));
    expect(t.bot.slack.callsOf('views.publish')).toHaveLength(1);
    expectLogged(logs, 'views.publish', fault.code);
    t.bot.slack.off('views.publish');
    await deliver(eventBody({ type: 'app_home_opened', user: 'U0001', channel: 'D0001', tab: 'home' }));
    expect(t.bot.slack.callsOf('views.publish')).toHaveLength(2);
  });
});

/** response_url faults: the reply is never sent twice (an ephemeral message may already show). */
const responseUrlFaults: { name: string; reply: CannedReply; code: string }[] = [
  { name: 'HTTP 429', reply: { status: 429, body: { ok: false } }, code: 'response_url_429' },
  { name: 'HTTP 500', reply: { status: 500, body: { ok: false } }, code: 'response_url_500' },
  { name: 'HTTP 404 (expired)', reply: { status: 404, body: { ok: false } }, code: 'response_url_404' },
  {
    name: 'a timeout',
    reply: { delayMs: CLIENT_TIMEOUT_MS * 2, body: { ok: true } },
    code: 'network_error',
  },
  { name: 'a reset connection', reply: { reset: true, body: {} }, code: 'network_error' },
];

const responseUrlSurfaces: { name: string; body: (responseUrl: string) => SlackBody }[] = [
  { name: '/ceasefire', body: (url) => commandBody(QUESTION, url) },
  { name: 'More facts', body: (url) => buttonClickBody('answer_more', BUTTON_VALUE, url) },
  { name: '👍 Helpful', body: (url) => buttonClickBody('feedback_up', BUTTON_VALUE, url) },
];

describe.each(responseUrlSurfaces)('$name while its response_url fails', ({ body }) => {
  it.each(responseUrlFaults)('$name: logged with $code, not repeated', async (fault) => {
    count(`response_url ${fault.name}`);
    const id = `r${++n}`;
    t.bot.slack.on(`respond:${id}`, fault.reply);
    const logs = await logsOf(() => deliver(body(t.bot.slack.responseUrl(id))));
    expect(t.bot.slack.callsOf(`respond:${id}`)).toHaveLength(1);
    expectLogged(logs, 'response_url', fault.code);
  });
});

describe('Share in channel of a /ceasefire answer while its response_url fails', () => {
  const shareValue = encodeAnswerRef({ question: QUESTION, offset: 0, viaCommand: true }) ?? '';
  const told: Record<string, RegExp> = {
    response_url_429: /did not accept my reply \(response_url_429\)/,
    response_url_500: notConfirmed,
    response_url_404: /no longer takes replies to this message/,
    network_error: notConfirmed,
  };

  it.each(responseUrlFaults)('$name: logged with $code, not shared again, the reader told', async (fault) => {
    count(`share response_url ${fault.name}`);
    const id = `share-url${++n}`;
    t.bot.slack.on(`respond:${id}`, fault.reply);
    const logs = await logsOf(() =>
      deliver(buttonClickBody('answer_share', shareValue, t.bot.slack.responseUrl(id))),
    );
    const [shared, ...rest] = t.bot.slack.callsOf(`respond:${id}`);
    expect(shared?.body.response_type).toBe('in_channel');
    // One more call, a private note: the share itself is never sent twice.
    expect(rest.map((c) => c.body.response_type)).toEqual(['ephemeral']);
    expect(String(rest[0]?.body.text)).toMatch(told[fault.code] ?? /^$/);
    expectLogged(logs, 'response_url', fault.code);
    expect(t.bot.slack.callsOf('chat.postMessage')).toEqual([]);
  });
});

describe('after every fault', () => {
  it('Slack’s app_rate_limited notice is acknowledged and logged', async () => {
    count('app_rate_limited');
    const notice = {
      body: JSON.stringify({
        token: VERIFICATION_TOKEN,
        type: 'app_rate_limited',
        minute_rate_limited: 1518467820,
      }),
      contentType: 'application/json',
    };
    const logs = await logsOf(() => deliver(notice));
    expect(logs.some((l) => l.includes('app_rate_limited'))).toBe(true);
    expect(t.bot.slack.calls).toEqual([]);
  });

  it('the bot still answers, with nothing left in flight', async () => {
    const health = await (await fetch(`${t.bot.baseUrl}/healthz`)).json();
    expect(health).toMatchObject({ status: 'ok', inFlight: 0 });
    await deliver(commandBody(QUESTION, t.bot.slack.responseUrl('after')));
    const [reply] = await t.bot.slack.waitFor('respond:after');
    expect(JSON.stringify(reply?.body)).toContain('Vladimir Medinsky');
    expect(t.bot.logs.filter((l) => l.includes('Unhandled'))).toEqual([]);
  });
});
