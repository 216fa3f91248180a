/**
 * The words synthetic news is written with: common English news words at the
 * head of the frequency ranking, then made-up words built from syllables and
 * English suffixes for the long tail, so the vocabulary keeps growing with
 * the corpus as a real archive's does. Names of people, places and
 * organisations are made up too, so no synthetic article is about anything
 * real.
 */
import type { Random } from './random.js';

/** Frequent news nouns, most common first. */
const NOUNS = `government minister president official council committee agreement deal meeting election
vote campaign party parliament court judge law bill policy budget tax economy market price inflation rate
bank company industry worker union strike protest police army troops border security attack conflict peace
crisis report investigation inquiry statement spokesman decision plan proposal program project fund aid
support health hospital school student teacher university research study data energy oil gas power water
climate weather storm flood fire drought farm farmer food crop trade export import tariff sanction deficit
growth debt loan investor share stock profit loss revenue cost contract infrastructure road bridge railway
airport port city town village region province district capital country nation state coast island river
mountain community family child resident citizen voter leader opposition coalition cabinet ministry agency
department authority regulator court ruling appeal sentence prison charge trial lawyer evidence witness
victim suspect crime fraud corruption scandal resignation reform review audit survey poll result figure
increase decrease decline rise fall record level target goal deadline schedule delay season year quarter
month week weekend morning evening night festival museum exhibition film music artist player team match
league coach championship title stadium fan ticket tourism hotel visitor flight passenger vehicle car truck
bus train ship cargo fuel electricity grid plant factory mine steel technology software network internet
phone device service customer consumer retailer store sale demand supply shortage surplus job employment
unemployment wage salary pension benefit insurance housing rent property construction development zone site
area land forest park wildlife species pollution emission waste recycling vaccine disease outbreak patient
doctor nurse treatment drug medicine clinic emergency rescue firefighter damage repair recovery reconstruction
donation charity volunteer meeting conference forum dialogue negotiation treaty alliance partnership
cooperation dispute tension pressure warning threat risk concern criticism debate discussion interview speech
announcement measure restriction ban permit licence approval rejection demand request offer bid tender
auction merger acquisition shareholder board director executive manager employee staff chief spokeswoman
adviser analyst expert economist scientist researcher journalist editor newspaper broadcaster channel
programme broadcast article column letter message document draft version amendment clause provision vote
ballot turnout candidate seat majority minority mayor governor senator ambassador envoy delegation embassy
consulate visa migrant refugee asylum camp shelter supply route convoy checkpoint patrol operation mission`;

/** Frequent news verbs, in the past tense. */
const VERBS = `said announced reported confirmed denied rejected approved signed proposed warned called urged agreed
criticised praised launched opened closed raised cut increased reduced expanded delayed postponed suspended
resumed won lost held met visited discussed reviewed released published blocked backed challenged questioned
defended claimed accused arrested charged sentenced fined funded built planned promised expected estimated
recorded reached secured demanded requested offered accepted dismissed extended ended began started completed
introduced passed vetoed overturned appointed elected nominated hired sold bought acquired merged invested
borrowed spent saved doubled halved dropped rose fell grew shrank attracted welcomed hosted organised
supported opposed delivered received collected restored repaired replaced removed installed tested
monitored inspected investigated examined described highlighted stressed noted added insisted argued
admitted acknowledged suggested recommended predicted revealed disclosed unveiled presented outlined
identified discovered detected prevented avoided faced survived evacuated rescued treated vaccinated`;

/** Frequent news adjectives. */
const ADJECTIVES = `new former senior local national regional international federal public private major minor
key main final early late recent annual monthly weekly economic political military financial social
environmental legal official independent foreign domestic rural urban northern southern eastern western
central coastal large small strong weak sharp steady significant critical temporary permanent controversial
unexpected joint separate previous current future global daily high low full partial limited additional
fresh rising falling growing emergency interim acting deputy veteran young elderly popular rare common
modest massive narrow wide heavy light record historic`;

/** Words that hold sentences together; they are drawn by the templates, not by rank. */
export const FUNCTION = {
  prepositions: ['in', 'on', 'at', 'after', 'before', 'during', 'amid', 'over', 'near', 'across'],
  linkers: ['while', 'as', 'because', 'although', 'after', 'and'],
  weekdays: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
  months: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
  roles: ['President', 'Minister', 'Governor', 'Mayor', 'Senator', 'Ambassador', 'Director', 'Chairman'],
  units: ['percent', 'million', 'billion', 'people', 'tonnes', 'kilometres', 'days', 'households'],
};

// Mostly single letters, so made-up words are as short and as easy to mistype as real ones.
const ONSETS = 'b c d f g h j k l m n p r s t v w z b d l m n r s t br ch dr pl st tr'.split(' ');
const VOWELS = 'a e i o u a e i o u a e o ai ea ou'.split(' ');
const CODAS = ['', '', '', '', '', 'n', 'r', 'l', 's', 'm', 'nt', 'st'];
const SUFFIXES = ['', '', '', '', '', 'ation', 'ment', 'ness', 'ity', 'er', 'ism', 'ing', 'ence'];
const VERB_SUFFIXES = ['ed', 'ed', 'ed', 'ated', 'ized'];
const ADJECTIVE_SUFFIXES = ['al', 'ic', 'ous', 'ive', 'ary', 'able', 'ian'];

function splitWords(text: string): string[] {
  return [...new Set(text.split(/\s+/).filter(Boolean))];
}

function syllable(random: Random): string {
  return random.pick(ONSETS) + random.pick(VOWELS) + random.pick(CODAS);
}

/** A made-up root of two or three syllables. */
function root(random: Random): string {
  let word = syllable(random) + syllable(random);
  if (random.next() < 0.25) word += syllable(random);
  return word;
}

/** `count` distinct made-up words, each a root with one of `suffixes`, none in `taken`. */
function madeUpWords(
  random: Random,
  count: number,
  suffixes: readonly string[],
  taken: Set<string>,
): string[] {
  const out: string[] = [];
  while (out.length < count) {
    const word = root(random) + random.pick(suffixes);
    if (word.length < 4 || word.length > 14 || taken.has(word)) continue;
    taken.add(word);
    out.push(word);
  }
  return out;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Every word list a corpus draws from. */
export interface Lexicon {
  nouns: string[];
  verbs: string[];
  adjectives: string[];
  firstNames: string[];
  surnames: string[];
  places: string[];
  organisations: string[];
}

/** Vocabulary sizes: enough that a 300,000-sentence corpus still meets new words, as news does. */
export const LEXICON_SIZES = {
  nouns: 90_000,
  verbs: 20_000,
  adjectives: 20_000,
  firstNames: 3_000,
  surnames: 30_000,
  places: 12_000,
  organisations: 4_000,
};

/** Builds the lexicon: real words first (the frequent ones), made-up words after them. */
export function buildLexicon(random: Random): Lexicon {
  const taken = new Set<string>();
  const real = (text: string) => {
    const words = splitWords(text);
    for (const w of words) taken.add(w);
    return words;
  };
  const nouns = real(NOUNS);
  const verbs = real(VERBS);
  const adjectives = real(ADJECTIVES);
  const names = (count: number) => madeUpWords(random, count, [''], taken).map(capitalize);
  return {
    nouns: [...nouns, ...madeUpWords(random, LEXICON_SIZES.nouns - nouns.length, SUFFIXES, taken)],
    verbs: [...verbs, ...madeUpWords(random, LEXICON_SIZES.verbs - verbs.length, VERB_SUFFIXES, taken)],
    adjectives: [
      ...adjectives,
      ...madeUpWords(random, LEXICON_SIZES.adjectives - adjectives.length, ADJECTIVE_SUFFIXES, taken),
    ],
    firstNames: names(LEXICON_SIZES.firstNames),
    surnames: names(LEXICON_SIZES.surnames),
    places: names(LEXICON_SIZES.places),
    organisations: madeUpWords(random, LEXICON_SIZES.organisations, [''], taken).map((w) =>
      w.length <= 6 ? w.toUpperCase() : capitalize(w),
    ),
  };
}
