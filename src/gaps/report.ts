/**
 * What `npm run gaps` shows editors: the questions the articles did not
 * answer, most frequent first, and the answers readers marked not helpful.
 * Questions asked in near-identical words count as one: each is reduced to
 * the terms the search itself would look for (the same tokenizer, stop
 * words, lemmas and stemmer), so case, punctuation, word order, plural and
 * singular, and words like "the" or "what" do not split a group.
 */
import { isStopWord, stem, tokenize } from '../search/analyze.js';
import type { Gap, GapKind, GapSurface } from '../store/store.js';

/** Questions that read as the same question, counted together. */
export interface GapGroup {
  /** The terms the questions share, sorted: what makes them one group. */
  key: string;
  count: number;
  /** The wording asked most often (of equally frequent ones, the latest). */
  example: string;
  /** When the group's first and latest question was kept, in milliseconds. */
  firstAt: number;
  lastAt: number;
  /** How many of the questions came from each surface. */
  surfaces: Partial<Record<GapSurface, number>>;
}

/** The groups of each kind, most frequent first. */
export type GapReport = Record<GapKind, GapGroup[]>;

/** How a report was chosen, for its headings. */
export interface GapReportScope {
  days: number;
  /** The workspace it is limited to, if any. */
  teamId?: string;
}

/** Control characters (a terminal would act on them) and runs of white space. */
const UNPRINTABLE = /[\s\p{Cc}]+/gu;

/**
 * The grouping key of a question: its content words as the search reads
 * them, once each, in order. A question of stop words only keeps its own
 * words, lower case.
 */
export function questionKey(question: string): string {
  const tokens = tokenize(question);
  const terms = tokens.filter((t) => !isStopWord(t)).map((t) => stem(t.word));
  const words = terms.length > 0 ? terms : tokens.map((t) => t.word);
  return [...new Set(words)].sort().join(' ') || oneLine(question).toLowerCase();
}

/** Text on one printable line. */
function oneLine(text: string): string {
  return text.replace(UNPRINTABLE, ' ').trim();
}

/** Groups kept questions by kind and wording; at most `limit` groups of each kind, most frequent first. */
export function gapReport(gaps: readonly Gap[], limit = Number.POSITIVE_INFINITY): GapReport {
  return {
    unanswered: groupsOf(gaps.filter((g) => g.kind === 'unanswered')).slice(0, limit),
    disliked: groupsOf(gaps.filter((g) => g.kind === 'disliked')).slice(0, limit),
  };
}

function groupsOf(gaps: readonly Gap[]): GapGroup[] {
  const groups = new Map<string, { group: GapGroup; wordings: Map<string, { count: number; at: number }> }>();
  for (const gap of gaps) {
    const key = questionKey(gap.question);
    let entry = groups.get(key);
    if (!entry) {
      const group = { key, count: 0, example: '', firstAt: gap.at, lastAt: gap.at, surfaces: {} };
      entry = { group, wordings: new Map() };
      groups.set(key, entry);
    }
    const { group, wordings } = entry;
    group.count++;
    group.firstAt = Math.min(group.firstAt, gap.at);
    group.lastAt = Math.max(group.lastAt, gap.at);
    group.surfaces[gap.surface] = (group.surfaces[gap.surface] ?? 0) + 1;
    const wording = oneLine(gap.question);
    const seen = wordings.get(wording) ?? { count: 0, at: gap.at };
    wordings.set(wording, { count: seen.count + 1, at: Math.max(seen.at, gap.at) });
  }
  const result = [...groups.values()].map(({ group, wordings }) => {
    let best: { count: number; at: number } | null = null;
    for (const [wording, seen] of wordings) {
      if (!best || seen.count > best.count || (seen.count === best.count && seen.at > best.at)) {
        best = seen;
        group.example = wording;
      }
    }
    return group;
  });
  return result.sort((a, b) => b.count - a.count || b.lastAt - a.lastAt || a.key.localeCompare(b.key));
}

const SURFACE_NAMES: Record<GapSurface, string> = { command: '/ceasefire', mention: 'mention', dm: 'DM' };

/** The report as text for a terminal: for each kind a heading and one line per group. */
export function formatGapReport(report: GapReport, scope: GapReportScope): string {
  const team = scope.teamId ? ` in workspace ${oneLine(scope.teamId)}` : '';
  const period = `in the last ${scope.days} day${scope.days === 1 ? '' : 's'}${team}`;
  return [
    section(report.unanswered, 'Questions the articles did not answer', 'No unanswered questions', period),
    section(
      report.disliked,
      'Answers readers marked not helpful (👎)',
      'No answers marked not helpful',
      period,
    ),
  ].join('\n\n');
}

/** One kind's heading and lines: `count×  example wording  (last date; surfaces)`. */
function section(groups: readonly GapGroup[], title: string, none: string, period: string): string {
  if (groups.length === 0) return `${none} ${period}.`;
  const width = String(groups[0]?.count ?? 0).length;
  const lines = groups.map((g) => {
    const surfaces = Object.entries(g.surfaces)
      .map(([surface, n]) => `${SURFACE_NAMES[surface as GapSurface]} ${n}`)
      .join(', ');
    const last = new Date(g.lastAt).toISOString().slice(0, 10);
    return `  ${String(g.count).padStart(width)}×  ${g.example}  (last ${last}; ${surfaces})`;
  });
  return [`${title} ${period}, most frequent first:`, ...lines].join('\n');
}
