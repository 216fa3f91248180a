/**
 * The Slack path under load: autocannon sends signed requests to the bot in
 * HTTP mode (in processes of its own, on 127.0.0.1) over many connections,
 * each request signed afresh, while a loopback stand-in plays Slack's Web
 * API and response_urls. Seven requests in ten are `/ceasefire` commands;
 * the other three are one mention delivered three times, as Slack does when
 * it retries, the copies racing over different connections. Reports
 * requests per second, the acknowledgement latency Slack would see (p50,
 * p99), errors, and, counted at the stand-in, answers lost, answers doubled
 * and answers sent with another workspace's token.
 *
 * The bot runs as one process on SQLite with one bot token (the default),
 * or with `--replicas N` as N processes serving two workspaces (OAuth) on
 * one Postgres database (a server the script starts on loopback) behind a
 * loopback round-robin proxy; the same run then measures one process, one
 * replica and N replicas, in turn, each on a database of its own.
 *
 *   npm run load                                   the shipped knowledge/
 *   npm run load -- --replicas 3
 *   npm run load -- --knowledge bench/out/corpus-300k/knowledge --connections 20 --duration 20
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { BOT_TOKEN } from '../test/helpers/credentials.js';
import { readQuestionSet } from '../test/helpers/eval.js';
import { untilIdle } from '../test/helpers/loopback.js';
import { installedToken } from '../test/helpers/oauth.js';
import { admin, startTestPostgres } from '../test/helpers/postgres-server.js';
import { commandBody, eventBody, type SlackBody, signature } from '../test/helpers/signed-request.js';
import { BOT_USER_ID, type RecordedCall, type SlackStandIn } from '../test/helpers/slack-stand-in.js';
import { startLoopbackBot, startLoopbackReplicas } from './bot-process.js';

/** A workspace the load comes from: its id, the token its answers must carry, and the bot's user there. */
export interface LoadWorkspace {
  teamId: string;
  token: string;
  botUserId: string;
}

/** The single bot token's workspace, as the stand-in's `auth.test` reports it. */
const SINGLE_WORKSPACE: LoadWorkspace = { teamId: 'T0001', token: BOT_TOKEN, botUserId: BOT_USER_ID };
/** The workspaces that install the app on the replicas. */
const REPLICA_TEAMS = ['T1', 'T2'];

/** Of every ten requests, this many are new commands; the rest one mention and its retries. */
const COMMANDS_PER_TEN = 7;

/** What a load run measured. */
export interface SlackLoadResult {
  /** How the bot ran, e.g. "3 replicas, Postgres, 2 workspaces (OAuth), round-robin proxy". */
  setup: string;
  knowledgeDir: string;
  connections: number;
  seconds: number;
  requests: number;
  /** Distinct commands and mentions acknowledged (a mention's retries are not counted again). */
  commands: number;
  mentions: number;
  /** With replicas: the requests the proxy handed to each. */
  perReplica?: number[];
  requestsPerSecond: number;
  /** Acknowledgement latency, in milliseconds. */
  p50: number;
  p99: number;
  /** Failed connections, timeouts and non-2xx answers. */
  errors: number;
  /** Acknowledged commands and mentions whose answer never reached the stand-in. */
  lost: number;
  /** Commands and mentions answered more than once. */
  doubled: number;
  /** Answers posted with a token other than their workspace's. */
  wrongToken: number;
}

/** Options of a load run. */
export interface SlackLoadOptions {
  knowledgeDir: string;
  connections?: number;
  durationSeconds?: number;
  /** Run this many replicas on `databaseUrl` behind a proxy, instead of one process on SQLite. */
  replicas?: number;
  /** The Postgres database of the replicas. */
  databaseUrl?: string;
}

/** One request to send: its body, and Slack's retry number when it is a redelivery. */
export interface NextRequest {
  body: SlackBody;
  retryNum?: number;
  /** Notes that the bot acknowledged it (a 2xx). */
  acknowledged(): void;
}

/**
 * The run's requests, made as autocannon asks for them, and what became of
 * each: acknowledged or not, and (from the stand-in's record) answered how
 * many times, with which token.
 */
export class LoadMix {
  private sent = 0;
  /** Command id → acknowledged. */
  private readonly commands = new Map<string, boolean>();
  /** Mention ts → its workspace, and whether any delivery of it was acknowledged. */
  private readonly mentions = new Map<string, { workspace: LoadWorkspace; acknowledged: boolean }>();
  private mention: { ts: string; body: SlackBody } | undefined;

  constructor(
    private readonly questions: readonly string[],
    private readonly workspaces: readonly LoadWorkspace[],
    /** The response_url of a command, by its id (the stand-in records its calls as `respond:<id>`). */
    private readonly responseUrl: (id: string) => string,
  ) {}

  /** Distinct commands acknowledged. */
  get commandCount(): number {
    return [...this.commands.values()].filter(Boolean).length;
  }

  /** Distinct mentions of which a delivery was acknowledged. */
  get mentionCount(): number {
    return [...this.mentions.values()].filter((m) => m.acknowledged).length;
  }

  /** The next request: a new command, or the next delivery of the current mention. */
  next(): NextRequest {
    const n = this.sent++;
    const question = this.questions[n % this.questions.length] ?? 'help';
    const workspace = this.workspaces[Math.floor(n / 10) % this.workspaces.length] ?? SINGLE_WORKSPACE;
    const slot = n % 10;
    if (slot < COMMANDS_PER_TEN) {
      const id = `load-${n}`;
      this.commands.set(id, false);
      return {
        body: commandBody(question, this.responseUrl(id), { team_id: workspace.teamId }),
        acknowledged: () => this.commands.set(id, true),
      };
    }
    const retryNum = slot - COMMANDS_PER_TEN;
    if (retryNum === 0 || !this.mention) {
      const ts = `${1_700_000_000 + n}.000100`;
      const event = {
        type: 'app_mention',
        user: 'U0001',
        channel: `C${workspace.teamId}LOAD`,
        text: `<@${workspace.botUserId}> ${question}`,
        ts,
      };
      this.mention = { ts, body: eventBody(event, `EvLOAD${n}`, { teamId: workspace.teamId }) };
      this.mentions.set(ts, { workspace, acknowledged: false });
    }
    const { ts, body } = this.mention;
    const entry = this.mentions.get(ts);
    return {
      body,
      ...(retryNum > 0 ? { retryNum } : {}),
      acknowledged: () => {
        if (entry) entry.acknowledged = true;
      },
    };
  }

  /** Lost, doubled and wrongly signed answers, from the stand-in's record. */
  tally(calls: readonly RecordedCall[]): Pick<SlackLoadResult, 'lost' | 'doubled' | 'wrongToken'> {
    const answers = new Map<string, RecordedCall[]>();
    for (const call of calls) {
      const key = call.method.startsWith('respond:load-')
        ? call.method.slice('respond:'.length)
        : call.method === 'chat.postMessage'
          ? String(call.body.thread_ts)
          : null;
      if (key) answers.set(key, [...(answers.get(key) ?? []), call]);
    }
    let lost = 0;
    let doubled = 0;
    let wrongToken = 0;
    for (const [id, acknowledged] of this.commands) {
      const count = answers.get(id)?.length ?? 0;
      if (acknowledged && count === 0) lost++;
      if (count > 1) doubled++;
    }
    for (const [ts, { workspace, acknowledged }] of this.mentions) {
      const posts = answers.get(ts) ?? [];
      if (acknowledged && posts.length === 0) lost++;
      if (posts.length > 1) doubled++;
      wrongToken += posts.filter((p) => p.authorization !== `Bearer ${workspace.token}`).length;
    }
    return { lost, doubled, wrongToken };
  }
}

/** The bot as a load run drives it. */
interface LoadTarget {
  setup: string;
  /** Where Slack's requests go. */
  url: string;
  /** Every bot process, to wait until all are idle. */
  botUrls: string[];
  slack: SlackStandIn;
  workspaces: LoadWorkspace[];
  /** With replicas: the requests the proxy handed to each so far. */
  perReplica?: () => number[];
  stop(): Promise<void>;
}

async function startTarget(options: SlackLoadOptions): Promise<LoadTarget> {
  const { replicas } = options;
  if (replicas === undefined) {
    const bot = await startLoopbackBot(options.knowledgeDir, 'warn');
    return {
      setup: '1 process, SQLite, one bot token',
      url: bot.baseUrl,
      botUrls: [bot.baseUrl],
      slack: bot.slack,
      workspaces: [SINGLE_WORKSPACE],
      stop: bot.stop,
    };
  }
  if (!options.databaseUrl) throw new Error('replicas need a databaseUrl');
  const set = await startLoopbackReplicas({
    knowledgeDir: options.knowledgeDir,
    logLevel: 'warn',
    replicas,
    databaseUrl: options.databaseUrl,
    teams: REPLICA_TEAMS,
  });
  return {
    setup: `${replicas} ${replicas === 1 ? 'replica' : 'replicas'}, Postgres, ${REPLICA_TEAMS.length} workspaces (OAuth), round-robin proxy`,
    url: set.baseUrl,
    botUrls: set.replicaUrls,
    slack: set.slack,
    workspaces: REPLICA_TEAMS.map((teamId) => ({
      teamId,
      token: installedToken(teamId),
      botUserId: `UBOT${teamId}`,
    })),
    perReplica: () => [...set.proxy.forwarded],
    stop: set.stop,
  };
}

/** Runs the load test; the bot loads `knowledgeDir` first, which is not timed. */
export async function runSlackLoad(options: SlackLoadOptions): Promise<SlackLoadResult> {
  const connections = options.connections ?? 20;
  const duration = options.durationSeconds ?? 20;
  const set = readQuestionSet('test/fixtures/dev-questions.json');
  const questions = [...set.answerable.map((a) => a.q), ...set.unanswerable];
  const target = await startTarget(options);
  const { slack } = target;
  try {
    // The install's calls and requests are not part of the run.
    slack.calls.length = 0;
    const before = target.perReplica?.() ?? [];
    const mix = new LoadMix(questions, target.workspaces, (id) => slack.responseUrl(id));
    const result = await autocannon({
      url: `${target.url}/slack/events`,
      connections,
      duration,
      method: 'POST',
      requests: [
        {
          // Every request signed now, as Slack sends them. The context is the connection's, which sends one
          // request at a time: the response that comes next is this request's.
          setupRequest: (request, context) => {
            const next = mix.next();
            Object.assign(context, { acknowledged: next.acknowledged });
            const { body, contentType } = next.body;
            const timestamp = Math.floor(Date.now() / 1000);
            return {
              ...request,
              body,
              headers: {
                ...request.headers,
                'content-type': contentType,
                'x-slack-request-timestamp': String(timestamp),
                'x-slack-signature': signature(body, timestamp),
                ...(next.retryNum
                  ? { 'x-slack-retry-num': String(next.retryNum), 'x-slack-retry-reason': 'http_timeout' }
                  : {}),
              },
            };
          },
          onResponse: (status, _body, context) => {
            if (status >= 200 && status < 300) (context as { acknowledged?: () => void }).acknowledged?.();
          },
        },
      ],
    });
    await Promise.all(target.botUrls.map(untilIdle));
    return {
      setup: target.setup,
      knowledgeDir: options.knowledgeDir,
      connections,
      seconds: result.duration,
      requests: result.requests.total,
      commands: mix.commandCount,
      mentions: mix.mentionCount,
      requestsPerSecond: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      errors: result.errors + result.timeouts + result.non2xx,
      ...mix.tally(slack.calls),
      ...(target.perReplica ? { perReplica: target.perReplica().map((n, i) => n - (before[i] ?? 0)) } : {}),
    };
  } finally {
    await target.stop();
  }
}

/** Whether a run lost, doubled or misdirected an answer, or a request failed. */
export function failedExactlyOnce(r: SlackLoadResult): boolean {
  return r.errors > 0 || r.lost > 0 || r.doubled > 0 || r.wrongToken > 0;
}

/** One line per figure, for the terminal and the bench report. */
export function describeSlackLoad(r: SlackLoadResult): string[] {
  return [
    `${r.setup}: ${r.requests} signed requests over ${r.connections} connections in ${r.seconds.toFixed(0)} s: ${r.requestsPerSecond.toFixed(0)} requests/s; ${r.commands} /ceasefire commands and ${r.mentions} mentions (each with Slack's 2 retries) acknowledged`,
    `acknowledged in p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms (goal p99 ≤ 50 ms); errors ${r.errors}; answers lost ${r.lost}, doubled ${r.doubled}, with a wrong token ${r.wrongToken}`,
    ...(r.perReplica ? [`requests per replica: ${r.perReplica.join(', ')}`] : []),
  ];
}

/** The runs side by side, as a Markdown table. */
export function slackLoadTable(results: readonly SlackLoadResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.setup} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50.toFixed(1)} ms | ${r.p99.toFixed(1)} ms | ${r.errors} | ${r.lost} | ${r.doubled} | ${r.wrongToken} |`,
  );
  return [
    '| setup | requests/s | ack p50 | ack p99 | errors | lost | doubled | wrong token |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n');
}

/** The machine a run was measured on, and how busy it was when the run began. */
function machine(): string {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  return `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node.js ${process.version}; load average at the start ${one.toFixed(2)}, ${five.toFixed(2)}, ${fifteen.toFixed(2)}`;
}

/** One process, one replica and `replicas` replicas in turn, the replicas on a Postgres server started here. */
async function compareReplicas(base: SlackLoadOptions, replicas: number): Promise<SlackLoadResult[]> {
  const results = [await runSlackLoad(base)];
  process.stderr.write(`${describeSlackLoad(results[0] as SlackLoadResult).join('\n')}\n`);
  const server = await startTestPostgres();
  try {
    for (const count of new Set([1, replicas])) {
      const database = `load_${count}`;
      await admin(server.url(), `CREATE DATABASE ${database}`);
      const result = await runSlackLoad({ ...base, replicas: count, databaseUrl: server.url(database) });
      process.stderr.write(`${describeSlackLoad(result).join('\n')}\n`);
      results.push(result);
    }
  } finally {
    await server.destroy();
  }
  return results;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      knowledge: { type: 'string', default: 'knowledge' },
      connections: { type: 'string', default: '20' },
      duration: { type: 'string', default: '20' },
      replicas: { type: 'string' },
    },
  });
  const base = {
    knowledgeDir: values.knowledge,
    connections: Number(values.connections),
    durationSeconds: Number(values.duration),
  };
  const replicas = values.replicas === undefined ? undefined : Number(values.replicas);
  if (replicas !== undefined && !(Number.isInteger(replicas) && replicas >= 1))
    throw new Error(`--replicas takes a whole number of 1 or more (not: ${values.replicas})`);
  const measuredOn = machine();
  if (replicas === undefined) {
    const result = await runSlackLoad(base);
    process.stdout.write(`${describeSlackLoad(result).join('\n')}\n`);
    if (failedExactlyOnce(result) || result.p99 > 50) process.exitCode = 1;
    return;
  }
  const results = await compareReplicas(base, replicas);
  process.stdout.write(
    `\n${base.connections} connections for ${base.durationSeconds} s per setup, ${base.knowledgeDir}/; ${COMMANDS_PER_TEN} requests in 10 are commands, 3 one mention and its 2 retries\n` +
      `${slackLoadTable(results)}\n\nMeasured on: ${measuredOn}\n`,
  );
  // The latency goal is the single process's (npm run load); replicas must above all answer each request once.
  if (results.some(failedExactlyOnce)) process.exitCode = 1;
}

if (import.meta.url === new URL(process.argv[1] ?? '', 'file:').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
