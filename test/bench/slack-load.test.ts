/** The load test's request mix and its count of lost, doubled and misdirected answers, without a bot. */
import { describe, expect, it } from 'vitest';
import { LoadMix, type LoadWorkspace, type NextRequest } from '../../bench/slack-load.js';
import type { RecordedCall } from '../helpers/slack-stand-in.js';

const A: LoadWorkspace = { teamId: 'TA', token: 'xoxb-a', botUserId: 'UBOTA' };
const B: LoadWorkspace = { teamId: 'TB', token: 'xoxb-b', botUserId: 'UBOTB' };

/** A response_url's call, or a threaded post, as the stand-in records them. */
function respond(id: string): RecordedCall {
  return { method: `respond:${id}`, answered: true, body: {}, authorization: undefined, at: 0 };
}
function post(threadTs: string, token: string): RecordedCall {
  return {
    method: 'chat.postMessage',
    answered: true,
    body: { thread_ts: threadTs },
    authorization: `Bearer ${token}`,
    at: 0,
  };
}

/** The form field or JSON property of a request body. */
function field(request: NextRequest, name: string): unknown {
  const { body, contentType } = request.body;
  return contentType.includes('json')
    ? (JSON.parse(body) as { event: Record<string, unknown> }).event[name]
    : new URLSearchParams(body).get(name);
}

describe('LoadMix', () => {
  it('sends seven commands and one mention three times in every ten, taking turns between workspaces', () => {
    const mix = new LoadMix(['q1', 'q2'], [A, B], (id) => `http://127.0.0.1:1/respond/${id}`);
    const requests = Array.from({ length: 20 }, () => mix.next());
    expect(requests.slice(0, 7).map((r) => field(r, 'command'))).toEqual(Array(7).fill('/ceasefire'));
    expect(field(requests[0] as NextRequest, 'response_url')).toBe('http://127.0.0.1:1/respond/load-0');
    // The mention's three deliveries are one body: the first, then Slack's retries 1 and 2.
    expect(requests.slice(7, 10).map((r) => r.body)).toEqual(Array(3).fill(requests[7]?.body));
    expect(requests.slice(7, 10).map((r) => r.retryNum)).toEqual([undefined, 1, 2]);
    expect(field(requests[7] as NextRequest, 'text')).toMatch(/^<@UBOTA> q/);
    expect(field(requests[10] as NextRequest, 'team_id')).toBe('TB');
    expect(field(requests[17] as NextRequest, 'text')).toMatch(/^<@UBOTB> q/);
    expect(field(requests[17] as NextRequest, 'ts')).not.toBe(field(requests[7] as NextRequest, 'ts'));
  });

  it('counts an acknowledged request without an answer as lost, two answers as doubled, another token as wrong', () => {
    const mix = new LoadMix(['q'], [A, B], (id) => `http://127.0.0.1:1/respond/${id}`);
    const requests = Array.from({ length: 20 }, () => mix.next());
    // All acknowledged but command 3, whose answer then is not missed.
    for (const [i, r] of requests.entries()) if (i !== 3) r.acknowledged();
    const mentionA = String(field(requests[7] as NextRequest, 'ts'));
    const mentionB = String(field(requests[17] as NextRequest, 'ts'));
    const commands = [0, 2, 4, 5, 6, 10, 11, 12, 13, 14, 15, 16].map((n) => respond(`load-${n}`));
    const calls = [...commands, respond('load-2'), post(mentionA, A.token), post(mentionB, B.token)];
    // Command 1 is lost; command 2 is answered twice.
    expect(mix.tally(calls)).toEqual({ lost: 1, doubled: 1, wrongToken: 0 });
    expect([mix.commandCount, mix.mentionCount]).toEqual([13, 2]);
    // Mention B answered again, with workspace A's token.
    expect(mix.tally([...calls, post(mentionB, A.token)])).toEqual({ lost: 1, doubled: 2, wrongToken: 1 });
    // Nothing answered: every acknowledged command and mention lost.
    expect(mix.tally([])).toEqual({ lost: 15, doubled: 0, wrongToken: 0 });
  });
});
