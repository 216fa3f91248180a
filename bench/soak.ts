/**
 * Soak: the bot in HTTP mode, in a process of its own on 127.0.0.1, against
 * a loopback Slack stand-in. Sends signed `/ceasefire` commands and
 * `app_mention` events with questions of the shared question sets, a few at
 * a time; one request in a hundred is a delivery Slack retries (the same
 * event id again, with `x-slack-retry-num`). Every answer is counted at the
 * stand-in, per request. Reports errors, lost and doubled answers, and the
 * bot's memory after the first 1,000 requests against the end, and
 * exits 1 when a floor is missed: any error, any lost or doubled answer, or
 * RSS growing more than 20%.
 *
 *   npm run soak                                  10,000 requests
 *   npm run soak -- --requests 1000 --concurrency 8
 */
import { parseArgs } from 'node:util';
import { readQuestionSet } from '../test/helpers/eval.js';
import { untilIdle } from '../test/helpers/loopback.js';
import { commandBody, eventBody, type SlackBody, send } from '../test/helpers/signed-request.js';
import { BOT_USER_ID } from '../test/helpers/slack-stand-in.js';
import { nextMessage, startLoopbackBot } from './bot-process.js';

/** Most the bot's RSS may grow from the first 1,000 requests (half the run, when shorter) to its end. */
const MAX_RSS_GROWTH = 0.2;
const BASELINE_REQUESTS = 1000;
/** One request in this many is a retried delivery. */
const RETRY_EVERY = 100;

/** One request of the run: a new command or mention, or a mention delivered again. */
interface Planned {
  body: SlackBody;
  retryNum?: number;
  /** Where its answer shows at the stand-in (a response_url id, or the thread of a mention); none for a retry. */
  answer?: { method: 'respond'; id: string } | { method: 'thread'; ts: string };
}

/** The run's requests, in order. */
function plan(requests: number, questions: string[], responseUrl: (id: string) => string): Planned[] {
  const planned: Planned[] = [];
  for (let i = 0; i < requests; i++) {
    const question = questions[i % questions.length] ?? 'help';
    // A retry redelivers a recent mention, perhaps while the bot is still answering it.
    const earlier = [...planned].reverse().find((p) => p.answer?.method === 'thread');
    if (i % RETRY_EVERY === RETRY_EVERY - 1 && earlier) {
      planned.push({ body: earlier.body, retryNum: 1 + (i % 3) });
    } else if (i % 2 === 0) {
      const id = `soak-${i}`;
      planned.push({ body: commandBody(question, responseUrl(id)), answer: { method: 'respond', id } });
    } else {
      const ts = `${1_700_000_000 + i}.000100`;
      const event = {
        type: 'app_mention',
        user: 'U0001',
        channel: 'C0001',
        text: `<@${BOT_USER_ID}> ${question}`,
        ts,
      };
      planned.push({ body: eventBody(event, `EvSOAK${i}`), answer: { method: 'thread', ts } });
    }
  }
  return planned;
}

/** Acknowledgement latencies and failures of the requests sent so far. */
interface Sent {
  latencies: number[];
  failures: string[];
}

/** Sends `requests[from, to)` with at most `concurrency` in flight. */
async function sendAll(
  url: string,
  requests: Planned[],
  from: number,
  to: number,
  concurrency: number,
  sent: Sent,
) {
  let next = from;
  const worker = async () => {
    while (next < to) {
      const request = requests[next++];
      if (!request) break;
      const started = performance.now();
      try {
        const response = await send(
          url,
          request.body,
          request.retryNum ? { retryNum: request.retryNum } : {},
        );
        await response.arrayBuffer();
        if (response.status !== 200) sent.failures.push(`HTTP ${response.status}`);
      } catch (error) {
        sent.failures.push(String(error));
      }
      sent.latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const pct = (ratio: number) => `${ratio >= 0 ? '+' : ''}${(ratio * 100).toFixed(1)}%`;

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((q / 100) * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '10000' },
      concurrency: { type: 'string', default: '8' },
    },
  });
  const requests = Number(values.requests);
  const concurrency = Number(values.concurrency);
  if (!(requests >= 10 && concurrency >= 1))
    throw new Error('--requests must be 10 or more, --concurrency 1 or more');
  const set = readQuestionSet('test/fixtures/dev-questions.json');
  const questions = [...set.answerable.map((a) => a.q), ...set.unanswerable, 'help', 'sources'];

  const bot = await startLoopbackBot('knowledge', 'info');
  const { child, slack, logLines } = bot;
  try {
    const { baseUrl } = bot;
    const url = `${baseUrl}/slack/events`;
    const planned = plan(requests, questions, (id) => slack.responseUrl(id));
    const sent: Sent = { latencies: [], failures: [] };
    const memory = async () => {
      await untilIdle(baseUrl);
      child.send('memory');
      return nextMessage(child, 'memory');
    };
    const started = performance.now();
    const baseline = Math.min(BASELINE_REQUESTS, Math.floor(requests / 2));
    await sendAll(url, planned, 0, baseline, concurrency, sent);
    const early = await memory();
    await sendAll(url, planned, baseline, requests, concurrency, sent);
    const late = await memory();
    const seconds = (performance.now() - started) / 1000;

    const answers = new Map<string, number>();
    const count = (key: string) => answers.set(key, (answers.get(key) ?? 0) + 1);
    for (const call of slack.calls) {
      if (call.method.startsWith('respond:')) count(`respond:${call.method.slice('respond:'.length)}`);
      else if (call.method === 'chat.postMessage') count(`thread:${String(call.body.thread_ts)}`);
    }
    const expected = planned.flatMap((p) =>
      p.answer ? [p.answer.method === 'respond' ? `respond:${p.answer.id}` : `thread:${p.answer.ts}`] : [],
    );
    const lost = expected.filter((key) => !answers.has(key)).length;
    const doubled = [...answers.values()].filter((n) => n > 1).length;
    const expectedKeys = new Set(expected);
    const unexpected = [...answers.keys()].filter((key) => !expectedKeys.has(key)).length;
    const botProblems = logLines.filter((l) => / (WARN|ERROR) /.test(l));
    const errors = sent.failures.length + botProblems.length + unexpected;
    const rssGrowth = late.rss / early.rss - 1;
    const retries = planned.filter((p) => p.retryNum).length;
    const floors = [
      ['errors 0', errors === 0],
      ['lost answers 0', lost === 0],
      ['doubled answers 0', doubled === 0],
      [`RSS growth at most ${pct(MAX_RSS_GROWTH)}`, rssGrowth <= MAX_RSS_GROWTH],
    ] as const;
    const lines = [
      `soak: ${requests} signed requests (${expected.length} questions, ${retries} retried deliveries), ${concurrency} at a time`,
      `  ${seconds.toFixed(1)} s, ${(requests / seconds).toFixed(0)} requests/s; acknowledged in median ${percentile(sent.latencies, 50).toFixed(1)} ms, 99th percentile ${percentile(sent.latencies, 99).toFixed(1)} ms`,
      `  errors ${errors}: ${sent.failures.length} failed requests, ${botProblems.length} bot warnings or errors, ${unexpected} unexpected answers`,
      `  answers: ${expected.length} expected, ${lost} lost, ${doubled} doubled`,
      `  bot memory after ${baseline} requests: RSS ${mb(early.rss)}, heap ${mb(early.heapUsed)}; at the end: RSS ${mb(late.rss)} (${pct(rssGrowth)}), heap ${mb(late.heapUsed)} (${pct(late.heapUsed / early.heapUsed - 1)})`,
      `  floors: ${floors.map(([name, ok]) => `${name} ${ok ? 'met' : 'MISSED'}`).join(', ')}`,
      ...botProblems.slice(0, 10).map((l) => `  bot: ${l}`),
      ...sent.failures.slice(0, 10).map((f) => `  request: ${f}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (floors.some(([, ok]) => !ok)) process.exitCode = 1;
  } finally {
    await bot.stop();
  }
}

if (import.meta.url === new URL(process.argv[1] ?? '', 'file:').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
