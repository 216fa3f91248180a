/** Scores a knowledge base on a question set in the shared evaluation format. */
import { readFileSync } from 'node:fs';
import type { KnowledgeBase } from '../../src/knowledge/knowledge-base.js';

/** A question set: answerable questions with the sentences that answer them, and questions to abstain on. */
export interface QuestionSet {
  answerable: { q: string; gold: string[] }[];
  unanswerable: string[];
}

/** Quality figures, as the shared scorer computes them. */
export interface Scores {
  hit1: number;
  hit3: number;
  abstain: number;
  falseAbstain: number;
  sourcesComplete: number;
  misses: string[];
  wrongAnswers: string[];
}

export function readQuestionSet(path: string): QuestionSet {
  return JSON.parse(readFileSync(path, 'utf8')) as QuestionSet;
}

const norm = (s: string) =>
  s
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();

/** A fact matches gold when either contains the other (gold may be a sentence prefix). */
function matches(text: string, gold: string): boolean {
  const t = norm(text);
  return t.includes(gold) || (gold.includes(t) && t.length > 20);
}

export function score(kb: KnowledgeBase, set: QuestionSet): Scores {
  let hit1 = 0;
  let hit3 = 0;
  let falseAbstain = 0;
  let complete = 0;
  const misses: string[] = [];
  for (const { q, gold } of set.answerable) {
    const facts = kb.answer(q, { limit: 5 }).facts;
    if (facts.length === 0) falseAbstain++;
    const golds = gold.map(norm);
    const k = facts.findIndex((f) => golds.some((g) => matches(f.text, g)));
    if (k === 0) hit1++;
    else misses.push(q);
    if (k >= 0 && k < 3) hit3++;
    const first = facts[0];
    if (
      first?.sources.length &&
      first.sources.every((s) => s.title && s.file && Number.isInteger(s.line) && s.kind)
    )
      complete++;
  }
  const wrongAnswers = set.unanswerable.filter((q) => kb.answer(q).facts.length > 0);
  const n = set.answerable.length;
  return {
    hit1: hit1 / n,
    hit3: hit3 / n,
    abstain: 1 - wrongAnswers.length / set.unanswerable.length,
    falseAbstain: falseAbstain / n,
    sourcesComplete: complete / Math.max(1, n - falseAbstain),
    misses,
    wrongAnswers,
  };
}
