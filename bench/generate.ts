/**
 * Synthetic knowledge folders for the benchmark: news-like Markdown articles
 * in the bot's own format (front matter, key points, sections, one paragraph
 * per line), with sentences of 10–35 words whose content words follow a Zipf
 * distribution, named people, places and organisations, dates and numbers.
 *
 * Questions are made from one sentence's words, the rarest two and a few
 * others, as a reader who remembers a detail would ask; some are phrased as
 * questions and about 30% carry one typo. The sentence they come from is the
 * answer a search must find.
 */
import { buildLexicon, FUNCTION, type Lexicon } from './lexicon.js';
import { Random, Zipf } from './random.js';

/** One generated article file. */
export interface GeneratedArticle {
  /** Path inside the knowledge folder, with `/` separators. */
  file: string;
  markdown: string;
  sentences: string[];
}

/** A benchmark question and the sentence that answers it. */
export interface BenchQuestion {
  question: string;
  /** Whether one word carries a typo. */
  typo: boolean;
  source: { text: string; file: string };
}

/** A generated knowledge folder's content and its questions. */
export interface Corpus {
  articles: GeneratedArticle[];
  questions: BenchQuestion[];
  /** Questions asked before measuring, so lazily built structures are in place. */
  warmup: BenchQuestion[];
}

/** How to generate a corpus. */
export interface CorpusSpec {
  sentences: number;
  questions?: number;
  warmup?: number;
  seed?: string;
  typoRate?: number;
}

/** Bumped whenever generation changes, so cached corpora are rebuilt. */
export const GENERATOR_VERSION = 2;

const MIN_WORDS = 10;
const MAX_WORDS = 35;

/** Words that carry no content: never chosen to make a question from. */
const FILLER = new Set(
  [
    ...FUNCTION.prepositions,
    ...FUNCTION.linkers,
    'the',
    'a',
    'of',
    'to',
    'by',
    'for',
    'with',
    'from',
    'according',
    'its',
    'their',
    'than',
  ].map((w) => w.toLowerCase()),
);

/** Draws words of each list by Zipf rank, and builds phrases and sentences from them. */
class Writer {
  private readonly zipf: Record<keyof Lexicon, Zipf>;

  constructor(
    private readonly random: Random,
    private readonly lexicon: Lexicon,
  ) {
    const zipfOf = (list: readonly string[]) => new Zipf(list.length, 1);
    this.zipf = {
      nouns: zipfOf(lexicon.nouns),
      verbs: zipfOf(lexicon.verbs),
      adjectives: zipfOf(lexicon.adjectives),
      firstNames: zipfOf(lexicon.firstNames),
      surnames: zipfOf(lexicon.surnames),
      places: zipfOf(lexicon.places),
      organisations: zipfOf(lexicon.organisations),
    };
  }

  word(list: keyof Lexicon): string {
    return this.lexicon[list][this.zipf[list].sample(this.random)] as string;
  }

  private chance(p: number): boolean {
    return this.random.next() < p;
  }

  private nounPhrase(): string[] {
    const words = ['the'];
    if (this.chance(0.5)) words.push(this.word('adjectives'));
    words.push(this.word('nouns'));
    if (this.chance(0.3)) words.push('of', this.chance(0.5) ? this.word('places') : this.word('nouns'));
    return words;
  }

  private person(): string[] {
    const name = [this.word('firstNames'), this.word('surnames')];
    return this.chance(0.4) ? [this.random.pick(FUNCTION.roles), ...name] : name;
  }

  private subject(): string[] {
    const r = this.random.next();
    if (r < 0.35) return this.person();
    if (r < 0.6) return this.nounPhrase();
    if (r < 0.8) return ['the', this.word('organisations')];
    return ['officials', 'in', this.word('places')];
  }

  private number(): string {
    const r = this.random.next();
    if (r < 0.4) return String(this.random.int(2, 99));
    if (r < 0.7) return String(this.random.int(100, 9999));
    return `${this.random.int(1, 99)}.${this.random.int(1, 9)}`;
  }

  private modifier(): string[] {
    const r = this.random.next();
    if (r < 0.2) return [this.random.pick(FUNCTION.prepositions), this.word('places')];
    if (r < 0.32) return ['on', this.random.pick(FUNCTION.weekdays)];
    if (r < 0.44) return ['in', this.random.pick(FUNCTION.months), String(this.random.int(1995, 2025))];
    if (r < 0.58) return ['by', this.number(), this.random.pick(FUNCTION.units)];
    if (r < 0.72) return [this.random.pick(FUNCTION.prepositions), ...this.nounPhrase()];
    if (r < 0.8) return ['for', String(this.random.int(2, 90)), 'days'];
    if (r < 0.9) return ['according', 'to', 'the', this.word('organisations')];
    return ['with', this.word('adjectives'), this.word('nouns')];
  }

  private clause(): string[] {
    return [...this.subject(), this.word('verbs'), ...this.nounPhrase()];
  }

  /** One sentence of 10–35 words: a clause, then modifiers and linked clauses up to a target length. */
  sentence(): string {
    // The mean of two uniform draws centres lengths around 22 words, as in news writing.
    const target = Math.round(
      MIN_WORDS + ((this.random.next() + this.random.next()) / 2) * (MAX_WORDS - MIN_WORDS),
    );
    const parts: string[][] = [this.clause()];
    let length = parts[0]?.length ?? 0;
    while (length < target) {
      const part = this.chance(0.2)
        ? [`${this.random.pick(FUNCTION.linkers)}`, ...this.clause()]
        : this.modifier();
      parts.push(part);
      length += part.length;
    }
    while (length > MAX_WORDS && parts.length > 1) length -= parts.pop()?.length ?? 0;
    const words = parts.flat().slice(0, MAX_WORDS);
    while (words.length < MIN_WORDS) words.push(...this.modifier());
    const text = words.slice(0, MAX_WORDS).join(' ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  }

  headline(): string {
    const words = [
      this.word('places'),
      this.word('nouns'),
      this.word('verbs'),
      ...this.nounPhrase().slice(1),
    ];
    if (this.chance(0.5)) words.push(...this.modifier());
    return words.map((w, i) => (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w)).join(' ');
  }

  heading(): string {
    const words = [this.word('adjectives'), this.word('nouns'), 'and', 'the', this.word('nouns')];
    return words.join(' ').replace(/^./, (c) => c.toUpperCase());
  }
}

/** Writes one article's Markdown from its sentence count; returns the sentences in reading order. */
function writeArticle(
  writer: Writer,
  random: Random,
  title: string,
  count: number,
  index: number,
): { markdown: string; sentences: string[]; published: string } {
  const year = 2015 + (index % 11);
  const month = String(1 + (index % 12)).padStart(2, '0');
  const day = String(1 + (index % 28)).padStart(2, '0');
  const published = `${year}-${month}-${day}`;
  const slug = `story-${String(index).padStart(6, '0')}`;
  const lines = [
    '---',
    `title: ${JSON.stringify(title)}`,
    `url: https://news.example.org/${year}/${slug}`,
    `published: ${published}`,
    `source: ${writer.word('organisations')} News`,
    'kind: news',
    '---',
    '',
  ];
  const sentences: string[] = [];
  const keyPoints = Math.min(count, random.int(3, 5));
  lines.push('## Key points', '');
  for (let i = 0; i < keyPoints; i++) {
    const s = writer.sentence();
    sentences.push(s);
    lines.push(`- ${s}`);
  }
  const body = count - keyPoints;
  // One article in ten ends with a commentary section, as opinion pieces do.
  const commentary = random.next() < 0.1 && body >= 8 ? random.int(2, 6) : 0;
  const writeSections = (total: number) => {
    for (let left = total; left > 0; ) {
      lines.push('', `## ${writer.heading()}`);
      const inSection = Math.min(left, random.int(4, 12));
      left -= inSection;
      for (let n = inSection; n > 0; ) {
        const paragraph: string[] = [];
        for (let k = Math.min(n, random.int(2, 5)); k > 0; k--) paragraph.push(writer.sentence());
        sentences.push(...paragraph);
        lines.push('', paragraph.join(' '));
        n -= paragraph.length;
      }
    }
  };
  writeSections(body - commentary);
  if (commentary > 0) {
    lines.push('', '# Commentary {kind=commentary}');
    writeSections(commentary);
  }
  return { markdown: `${lines.join('\n')}\n`, sentences, published };
}

/** The word with one typo: a letter dropped, added, swapped with the next or replaced. */
function makeTypo(word: string, random: Random): string {
  for (;;) {
    const typo = oneEdit(word, random);
    // Swapping two equal letters changes nothing: that is no typo.
    if (typo !== word) return typo;
  }
}

function oneEdit(word: string, random: Random): string {
  // Keep the first letter: readers rarely mistype it.
  const i = random.int(1, word.length - 1);
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  switch (random.int(0, 3)) {
    case 0:
      return word.slice(0, i) + word.slice(i + 1);
    case 1:
      return word.slice(0, i) + random.pick([...letters]) + word.slice(i);
    case 2: {
      const j = Math.min(i, word.length - 2);
      return word.slice(0, j) + word.charAt(j + 1) + word.charAt(j) + word.slice(j + 2);
    }
    default: {
      const replacement = random.pick([...letters].filter((c) => c !== word.charAt(i).toLowerCase()));
      return word.slice(0, i) + replacement + word.slice(i + 1);
    }
  }
}

/** How question-style benchmark questions open. */
export const OPENINGS = [
  'What about',
  'Who',
  'What did',
  'When did',
  'Why did',
  'Tell me about',
  'Where did',
];

/** A question from a sentence's words: its rarest two content words and a few others, in order. */
function questionFrom(
  source: { text: string; file: string },
  frequency: ReadonlyMap<string, number>,
  random: Random,
  typoRate: number,
): BenchQuestion {
  const words = source.text
    .replace(/[.,]$/g, '')
    .split(' ')
    .filter((w) => !FILLER.has(w.toLowerCase()));
  const count = Math.min(words.length, random.int(3, 6));
  const byRarity = words
    .map((w, i) => ({ i, n: frequency.get(w.toLowerCase()) ?? 0 }))
    .sort((a, b) => a.n - b.n || a.i - b.i);
  const chosen = new Set(byRarity.slice(0, 2).map((x) => x.i));
  while (chosen.size < count) chosen.add(random.int(0, words.length - 1));
  let picked = [...chosen].sort((a, b) => a - b).map((i) => words[i] as string);
  const typo = random.next() < typoRate;
  if (typo) {
    const candidates = picked.map((w, i) => ({ w, i })).filter(({ w }) => /^[A-Za-z]{5,}$/.test(w));
    const target = candidates.length ? random.pick(candidates) : null;
    if (target) picked[target.i] = makeTypo(target.w, random);
    else return questionFrom(source, frequency, random, 0);
  }
  if (random.next() < 0.4) picked = picked.map((w) => w.toLowerCase());
  const question = random.next() < 0.5 ? picked.join(' ') : `${random.pick(OPENINGS)} ${picked.join(' ')}?`;
  return { question, typo, source };
}

/**
 * Generates a knowledge folder's articles (about 33 sentences each, as a
 * news archive has) and questions about them. Deterministic for a seed.
 */
export function generateCorpus(spec: CorpusSpec): Corpus {
  const seed = spec.seed ?? 'ceasefire-bench';
  const random = new Random(`${seed}:corpus`);
  const writer = new Writer(random, buildLexicon(new Random(`${seed}:lexicon`)));
  const articles: GeneratedArticle[] = [];
  const titles = new Set<string>();
  let left = spec.sentences;
  while (left > 0) {
    const count = left < 40 ? left : random.int(20, 46);
    let title = writer.headline();
    while (titles.has(title.toLowerCase())) title = writer.headline();
    titles.add(title.toLowerCase());
    const index = articles.length;
    const article = writeArticle(writer, random, title, count, index);
    const folder = article.published.slice(0, 7);
    articles.push({
      file: `${folder}/story-${String(index).padStart(6, '0')}.md`,
      markdown: article.markdown,
      sentences: article.sentences,
    });
    left -= count;
  }
  const frequency = new Map<string, number>();
  for (const a of articles)
    for (const s of a.sentences)
      for (const w of s.replace(/[.,]/g, '').split(' ')) {
        const key = w.toLowerCase();
        frequency.set(key, (frequency.get(key) ?? 0) + 1);
      }
  const ask = (count: number, stream: string) => {
    const r = new Random(`${seed}:${stream}:${spec.sentences}`);
    const out: BenchQuestion[] = [];
    for (let i = 0; i < count; i++) {
      const article = r.pick(articles);
      const source = { text: r.pick(article.sentences), file: article.file };
      out.push(questionFrom(source, frequency, r, spec.typoRate ?? 0.3));
    }
    return out;
  };
  return {
    articles,
    questions: ask(spec.questions ?? 200, 'questions'),
    warmup: ask(spec.warmup ?? 10, 'warmup'),
  };
}
