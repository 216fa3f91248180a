/**
 * Answer quality on questions whose answers are known as spans of a
 * paragraph (the SQuAD format): how often the sentence holding an answer
 * comes first, or among the first three, how often an answerable question
 * gets nothing, and how often a question gets nothing when its article is
 * not loaded.
 */

/** A question and where its answers are: [start, length] spans of its paragraph. */
export interface GoldQuestion {
  question: string;
  paragraph: string;
  spans: readonly (readonly [number, number])[];
}

/** Answers a question: its facts, best first. */
export type Answerer = (question: string) => readonly { text: string }[];

/** Quality figures on a set of questions; shares in [0, 1]. */
export interface ExternalScores {
  questions: number;
  /** The first fact holds an answer. */
  hit1: number;
  /** One of the first three facts holds an answer. */
  hit3: number;
  /** Mean of 1 / the rank of the first fact holding an answer (0 when none of the facts does). */
  mrr: number;
  /** Answerable questions that got no facts. */
  falseAbstain: number;
  /** Questions that got no facts when their article is not loaded. */
  offTopicAbstain: number;
  /** Questions whose first fact holds no answer. */
  misses: string[];
}

/**
 * Whether a fact holds an answer: found in the question's paragraph, at a
 * place that overlaps a gold span.
 */
export function holdsAnswer(fact: string, gold: GoldQuestion): boolean {
  if (!fact) return false;
  for (let i = gold.paragraph.indexOf(fact); i >= 0; i = gold.paragraph.indexOf(fact, i + 1)) {
    const end = i + fact.length;
    if (gold.spans.some(([start, length]) => start < end && start + length > i)) return true;
  }
  return false;
}

/**
 * Scores answers to `questions`: `answer` answers from knowledge that holds
 * their article, `offTopic` from knowledge that does not.
 */
export function scoreQuestions(
  questions: readonly GoldQuestion[],
  answer: Answerer,
  offTopic: Answerer,
): ExternalScores {
  let hit1 = 0;
  let hit3 = 0;
  let mrr = 0;
  let none = 0;
  let abstained = 0;
  const misses: string[] = [];
  for (const gold of questions) {
    const facts = answer(gold.question);
    if (facts.length === 0) none++;
    const rank = facts.findIndex((f) => holdsAnswer(f.text, gold));
    if (rank === 0) hit1++;
    else misses.push(gold.question);
    if (rank >= 0 && rank < 3) hit3++;
    if (rank >= 0) mrr += 1 / (rank + 1);
    if (offTopic(gold.question).length === 0) abstained++;
  }
  const n = Math.max(1, questions.length);
  return {
    questions: questions.length,
    hit1: hit1 / n,
    hit3: hit3 / n,
    mrr: mrr / n,
    falseAbstain: none / n,
    offTopicAbstain: abstained / n,
    misses,
  };
}

/** The figures of several sets together, each question counting once. */
export function combineScores(parts: readonly ExternalScores[]): ExternalScores {
  const questions = parts.reduce((n, p) => n + p.questions, 0);
  const mean = (field: 'hit1' | 'hit3' | 'mrr' | 'falseAbstain' | 'offTopicAbstain') =>
    parts.reduce((sum, p) => sum + p[field] * p.questions, 0) / Math.max(1, questions);
  return {
    questions,
    hit1: mean('hit1'),
    hit3: mean('hit3'),
    mrr: mean('mrr'),
    falseAbstain: mean('falseAbstain'),
    offTopicAbstain: mean('offTopicAbstain'),
    misses: parts.flatMap((p) => p.misses),
  };
}
