/**
 * The Slack path under load: autocannon sends signed `/ceasefire` commands
 * to the bot in HTTP mode (a process of its own, on 127.0.0.1) over many
 * connections, each request signed afresh, while a loopback stand-in plays
 * Slack's Web API and response_urls. Reports requests per second, the
 * acknowledgement latency Slack would see (p50, p99), errors, and answers
 * lost at the stand-in.
 *
 *   npm run load                                   the shipped knowledge/
 *   npm run load -- --knowledge bench/out/corpus-300k/knowledge --connections 20 --duration 20
 */
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { readQuestionSet } from '../test/helpers/eval.js';
import { untilIdle } from '../test/helpers/loopback.js';
import { commandBody, signature } from '../test/helpers/signed-request.js';
import { startLoopbackBot } from './bot-process.js';

/** What a load run measured. */
export interface SlackLoadResult {
  knowledgeDir: string;
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  /** Acknowledgement latency, in milliseconds. */
  p50: number;
  p99: number;
  /** Failed connections, timeouts and non-2xx answers. */
  errors: number;
  /** Acknowledged commands whose answer never reached the response_url. */
  lost: number;
}

/** Runs the load test; the bot loads `knowledgeDir` first, which is not timed. */
export async function runSlackLoad(options: {
  knowledgeDir: string;
  connections?: number;
  durationSeconds?: number;
}): Promise<SlackLoadResult> {
  const connections = options.connections ?? 20;
  const duration = options.durationSeconds ?? 20;
  const set = readQuestionSet('test/fixtures/dev-questions.json');
  const questions = [...set.answerable.map((a) => a.q), ...set.unanswerable];
  const bot = await startLoopbackBot(options.knowledgeDir, 'warn');
  const { slack, baseUrl } = bot;
  try {
    let sent = 0;
    const result = await autocannon({
      url: `${baseUrl}/slack/events`,
      connections,
      duration,
      method: 'POST',
      requests: [
        {
          // Every request a new command, signed now, as Slack sends them.
          setupRequest: (request) => {
            const n = sent++;
            const { body, contentType } = commandBody(
              questions[n % questions.length] ?? 'help',
              slack.responseUrl(`load-${n}`),
            );
            const timestamp = Math.floor(Date.now() / 1000);
            return {
              ...request,
              body,
              headers: {
                ...request.headers,
                'content-type': contentType,
                'x-slack-request-timestamp': String(timestamp),
                'x-slack-signature': signature(body, timestamp),
              },
            };
          },
        },
      ],
    });
    await untilIdle(baseUrl);
    const answered = new Set(
      slack.calls.filter((c) => c.method.startsWith('respond:load-')).map((c) => c.method),
    );
    const acknowledged = result['2xx'];
    return {
      knowledgeDir: options.knowledgeDir,
      connections,
      seconds: result.duration,
      requests: result.requests.total,
      requestsPerSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors + result.timeouts + result.non2xx,
      lost: Math.max(0, acknowledged - answered.size),
    };
  } finally {
    await bot.stop();
  }
}

/** One line per figure, for the terminal and the bench report. */
export function describeSlackLoad(r: SlackLoadResult): string[] {
  return [
    `${r.requests} signed /ceasefire requests over ${r.connections} connections in ${r.seconds.toFixed(0)} s: ${r.requestsPerSecond.toFixed(0)} requests/s`,
    `acknowledged in p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms (goal p99 ≤ 50 ms); errors ${r.errors}; answers lost ${r.lost}`,
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      knowledge: { type: 'string', default: 'knowledge' },
      connections: { type: 'string', default: '20' },
      duration: { type: 'string', default: '20' },
    },
  });
  const result = await runSlackLoad({
    knowledgeDir: values.knowledge,
    connections: Number(values.connections),
    durationSeconds: Number(values.duration),
  });
  process.stdout.write(`${describeSlackLoad(result).join('\n')}\n`);
  if (result.errors > 0 || result.lost > 0 || result.p99 > 50) process.exitCode = 1;
}

if (import.meta.url === new URL(process.argv[1] ?? '', 'file:').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
