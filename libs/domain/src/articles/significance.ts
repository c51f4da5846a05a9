import { diffWords, type ChangeObject } from 'diff';
import { checkCitations } from './citations';
import { DRUG_NAMES, DRUG_STEMS, NOT_DRUGS } from './drug-names';
import { markdownBlocks, sentencesOf, squashSpace } from './plain-text';
import { quantitiesInText } from './quantities';
// Types only from reference.ts: content.ts needs node:crypto, and the web editor runs this file.
import type { ArticleContent, Reference, VariantAudience } from './reference';

/**
 * Change significance (contract §15): is a new revision `clinical` (a dose, a drug, a route or frequency, a
 * negation, the references) or `editorial` (wording, spelling, punctuation, headings, sentence order)?
 * Pure and browser-safe: the server classifies revisions with it and the web editor the draft as it is typed.
 *
 * How it reads: each text (the professional title, summary and body, and each audience variant's) is read as
 * readers read it (markdown-it via plain-text.ts: no markup, link addresses or citation markers), split into
 * sentences, NFKC-normalised (`m²` = `m2`). Each sentence gets its clinical features:
 * - quantities from quantities.ts (by canonical form, so `75 mg/m²` = `75 mg per square metre`), keyed also by
 *   their numbers AS WRITTEN: `5 mg` → `5.0 mg` and `.5 mg` → `0.5 mg` are clinical, because a trailing zero or a
 *   naked decimal point is how tenfold dosing errors are made (ISMP's error-prone notations); schedules with a
 *   number (`every 3 weeks`, `q8h` = `every 8 hours`) are frequencies;
 * - any other number as written (`3`, `1,000`, `stage 2`, `CYP3A4`);
 * - drug names (drug-names.ts: a list of generic names and the WHO INN stems), routes and dosage forms
 *   (`IV`, `orally`, `by mouth`, `tablets` — route wording is never taken as editorial), frequencies
 *   (`twice daily`, `bd`, `weekly`), negation and contraindication words (`not`, `avoid`, `contraindicated`,
 *   `unless`, `only` …), all compared as written, lower-cased.
 * A text is unchanged clinically when the same sentences' feature sets occur as often before as after: so
 * reordered sentences with the same claims are editorial, while a `not` moved from one sentence to another is
 * not. Sentences that differ are paired by their words and their features compared, giving the reasons.
 * Citation markers are compared per text (which references a text cites, as a multiset; not which sentence).
 * References are compared by number: added, removed, a changed title, DOI (case-insensitive, without a
 * doi.org prefix), PMID, URL or year (a guideline's new edition often keeps its title) are clinical; a changed
 * `source` (journal name) or `type` label is bibliographic wording, editorial.
 * When nothing clinical changed, `changes` lists the first few wording changes (a jsdiff word diff).
 */
export type ChangeClass = 'clinical' | 'editorial';
export const CHANGE_KINDS = ['quantity', 'drug', 'route', 'frequency', 'negation', 'reference', 'wording'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];
/**
 * One reason: e.g. {kind: 'quantity', before: '75 mg/m²', after: '60 mg/m²'}; null for added/removed.
 * `reference` changes are written `[n] Title` (a reference added or removed), `[n] DOI: value` (a field; an
 * empty value is none) or as a citation marker (`[2-3]`); `describeChange` reads these forms.
 */
export interface ContentChange {
  kind: ChangeKind;
  before: string | null;
  after: string | null;
  audience?: 'patient' | 'caregiver';
}
export interface Significance {
  changeClass: ChangeClass;
  changes: ContentChange[];
}
/** What is compared: the professional text, the references and the variants. */
export type ClassifiableContent = Pick<ArticleContent, 'title' | 'summary' | 'body' | 'references' | 'variants'>;

/** Editorial revisions list this many wording changes at most: a glimpse, the diff shows the rest. */
const MAX_WORDING_CHANGES = 5;
/** A rewrite could give hundreds of reasons; reviewers read the diff beyond these. */
const MAX_CHANGES = 40;
/**
 * Past this many edits, or this long, a word diff is not worth computing (the text was rewritten), and the
 * editor runs this as the author types.
 */
const MAX_EDIT_LENGTH = 1000;
const DIFF_TIMEOUT_MS = 100;
const MAX_SHOWN = 120;

type FeatureKind = Exclude<ChangeKind, 'reference' | 'wording'>;

interface Feature {
  kind: FeatureKind;
  /** What features are compared by. */
  key: string;
  /** As written, for people. */
  text: string;
}

interface Sentence {
  text: string;
  words: Set<string>;
  features: Feature[];
  signature: string;
}

const ROUTES = [
  'iv',
  'i.v',
  'intravenous',
  'intravenously',
  'oral',
  'orally',
  'by mouth',
  'po',
  'p.o',
  'per os',
  'subcutaneous',
  'subcutaneously',
  'sc',
  's.c',
  'subcut',
  'sq',
  'im',
  'i.m',
  'intramuscular',
  'intramuscularly',
  'topical',
  'topically',
  'inhaled',
  'inhalation',
  'nebulised',
  'nebulized',
  'sublingual',
  'sublingually',
  'buccal',
  'rectal',
  'rectally',
  'pr',
  'per rectum',
  'vaginal',
  'vaginally',
  'intrathecal',
  'intrathecally',
  'intravesical',
  'intraperitoneal',
  'intra-arterial',
  'intra-articular',
  'intravitreal',
  'intradermal',
  'intraosseous',
  'epidural',
  'transdermal',
  'intranasal',
  'nasal',
  'nasally',
  'ophthalmic',
  'otic',
  'cutaneous',
  'enteral',
  'parenteral',
  'parenterally',
  'nasogastric',
  'infusion',
  'infused',
  'bolus',
  'injection',
  'injections',
  'injected',
  'under the skin',
  'into a vein',
  'into a muscle',
  'under the tongue',
  'drip',
  'tablet',
  'tablets',
  'capsule',
  'capsules',
  'patch',
  'patches',
  'cream',
  'ointment',
  'gel',
  'suppository',
  'suppositories',
  'enema',
  'drops',
  'spray',
  'inhaler',
  'nebuliser',
  'nebulizer',
  'syrup',
  'liquid',
  'solution',
  'suspension',
  'lozenge',
  'pessary',
  'implant',
  'depot',
];

const FREQUENCIES = [
  'once daily',
  'twice daily',
  'three times daily',
  'four times daily',
  'once a day',
  'twice a day',
  'three times a day',
  'four times a day',
  'once weekly',
  'twice weekly',
  'once a week',
  'twice a week',
  'once monthly',
  'once a month',
  'once only',
  'daily',
  'weekly',
  'monthly',
  'fortnightly',
  'yearly',
  'annually',
  'hourly',
  'nightly',
  'twice',
  'thrice',
  'bd',
  'b.d',
  'bid',
  'b.i.d',
  'tds',
  't.d.s',
  'tid',
  't.i.d',
  'qds',
  'q.d.s',
  'qid',
  'q.i.d',
  'od',
  'o.d',
  'qd',
  'qod',
  'nocte',
  'mane',
  'prn',
  'p.r.n',
  'stat',
  'as needed',
  'as required',
  'when required',
  'every morning',
  'every night',
  'every evening',
  'every day',
  'every other day',
  'each day',
  'each morning',
  'each night',
  'alternate days',
  'at night',
  'at bedtime',
  'in the morning',
  'in the evening',
  'continuous',
  'continuously',
  'single dose',
];

const NEGATIONS = [
  'not',
  'no',
  'never',
  'none',
  'nor',
  'neither',
  'nothing',
  'cannot',
  "can't",
  "don't",
  "doesn't",
  "didn't",
  "isn't",
  "aren't",
  "wasn't",
  "weren't",
  "won't",
  "shouldn't",
  "mustn't",
  "wouldn't",
  "couldn't",
  'without',
  'except',
  'unless',
  'only',
  'avoid',
  'avoids',
  'avoided',
  'avoiding',
  'avoidance',
  'contraindicated',
  'contraindication',
  'contraindications',
  'contra-indicated',
  'contra-indication',
  'contra-indications',
  'stop',
  'stopped',
  'stopping',
  'discontinue',
  'discontinued',
  'discontinuation',
  'withhold',
  'withheld',
  'omit',
  'omitted',
  'caution',
];

const PHRASES: ReadonlyMap<string, FeatureKind> = new Map([
  ...ROUTES.map((p) => [p, 'route'] as const),
  ...FREQUENCIES.map((p) => [p, 'frequency'] as const),
  ...NEGATIONS.map((p) => [p, 'negation'] as const),
]);
const LONGEST_PHRASE = Math.max(...[...PHRASES.keys()].map((p) => p.split(' ').length));

/** Words as compared: letters and digits, joined by an apostrophe, a point, a comma or a hyphen (`i.v`, `1,000`). */
const WORD = /[\p{L}\p{N}]+(?:['.,-][\p{L}\p{N}]+)*/gu;
const HAS_DIGIT = /\p{N}/u;
// As quantities.ts reads digits grouped by thin or no-break spaces (`10 000`), before NFKC makes them spaces.
const DIGIT_GROUP_SPACE = /(?<=\d)[\u00a0\u2009\u202f](?=\d{3}(?!\d))/g;
// The numbers of a quantity as written; not the `2` of `m2` (a letter before it).
const WRITTEN_NUMBER = /(?<![\p{L}\p{N}.,])(?:\d[\d,]*(?:\.\d+)?|\.\d+)/gu;

const normalise = (text: string) =>
  text
    .replace(DIGIT_GROUP_SPACE, '')
    .normalize('NFKC')
    .replace(/[\u2018\u2019]/g, "'");

const isDrug = (word: string) =>
  DRUG_NAMES.has(word) ||
  (!NOT_DRUGS.has(word) &&
    /^\p{L}+$/u.test(word) &&
    DRUG_STEMS.some((stem) => word.endsWith(stem) && word.length >= stem.length + 3));

function writtenNumbers(quantityText: string): string {
  const text = /^q\d/i.test(quantityText) ? quantityText.slice(1) : quantityText;
  return [...text.matchAll(WRITTEN_NUMBER)].map((m) => m[0]).join('-');
}

/** The words of a text with their features (drugs, routes, frequencies, negations, numbers) in order. */
function wordFeatures(text: string): Feature[] {
  const written = [...text.matchAll(WORD)].map((m) => m[0]);
  const words = written.map((w) => w.toLowerCase());
  const features: Feature[] = [];
  for (let i = 0; i < words.length;) {
    const word = words[i];
    if (HAS_DIGIT.test(word)) {
      features.push({ kind: 'quantity', key: `number:${written[i]}`, text: written[i] });
      i++;
      continue;
    }
    let matched = 0;
    for (let length = Math.min(LONGEST_PHRASE, words.length - i); length > 0 && matched === 0; length--) {
      const phrase = words.slice(i, i + length).join(' ');
      const kind = PHRASES.get(phrase);
      if (kind) {
        features.push({ kind, key: `${kind}:${phrase}`, text: written.slice(i, i + length).join(' ') });
        matched = length;
      }
    }
    if (matched === 0) {
      // `Doxorubicin-based` names doxorubicin.
      for (const part of word.split(/[-,.']/)) {
        if (isDrug(part)) features.push({ kind: 'drug', key: `drug:${part}`, text: part });
      }
    }
    i += Math.max(matched, 1);
  }
  return features;
}

function readSentence(sentence: string): Sentence {
  const text = normalise(sentence);
  let rest = text;
  const features: Feature[] = [];
  for (const q of quantitiesInText(sentence)) {
    const kind = q.canonical.startsWith('every ') ? 'frequency' : 'quantity';
    features.push({ kind, key: `${kind}:${q.canonical}#${writtenNumbers(q.text)}`, text: q.text });
    // Its numbers are read once, as this quantity.
    rest = rest.replace(q.text, ' ');
  }
  features.push(...wordFeatures(rest));
  return {
    text,
    words: new Set([...text.toLowerCase().matchAll(WORD)].map((m) => m[0])),
    features,
    signature: features
      .map((f) => f.key)
      .sort()
      .join('\u0000'),
  };
}

/** One text to compare, as blocks of plain text (none when it is absent, e.g. no summary). */
interface Text {
  blocks: string[];
  audience?: VariantAudience;
}

const readText = (text: Text): Sentence[] => text.blocks.flatMap((block) => sentencesOf(block).map(readSentence));

/** Removes and returns one element of `list` for which `same` holds. */
function take<T>(list: T[], same: (item: T) => boolean): T | undefined {
  const index = list.findIndex(same);
  return index < 0 ? undefined : list.splice(index, 1)[0];
}

/** `before` and `after` as multisets: what only one of them has. */
function multisetDiff<T>(before: readonly T[], after: readonly T[], key: (item: T) => string) {
  const rest = [...after];
  const removed: T[] = [];
  for (const item of before) if (!take(rest, (other) => key(other) === key(item))) removed.push(item);
  return { removed, added: rest };
}

function dice(a: Set<string>, b: Set<string>): number {
  if (a.size + b.size === 0) return 1;
  let common = 0;
  for (const word of a) if (b.has(word)) common++;
  return (2 * common) / (a.size + b.size);
}

const firstWord = (text: string) => text.match(WORD)?.[0] ?? '';
const lastWord = (text: string) => text.match(WORD)?.at(-1) ?? '';
const joinWords = (...parts: string[]) => squashSpace(parts.filter((p) => p.trim() !== '').join(' '));
const shown = (text: string) => (text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text);

interface Hunk {
  before: string;
  after: string;
  /** The unchanged words either side. */
  left: string;
  right: string;
}

/** The word diff's changes, each with the unchanged text on either side; null when the text was rewritten. */
function hunks(before: string, after: string): Hunk[] | null {
  const parts: ChangeObject<string>[] | undefined = diffWords(before, after, {
    maxEditLength: MAX_EDIT_LENGTH,
    timeout: DIFF_TIMEOUT_MS,
  });
  if (!parts) return null;
  const found: Hunk[] = [];
  for (let i = 0; i < parts.length;) {
    if (!parts[i].added && !parts[i].removed) {
      i++;
      continue;
    }
    const hunk: Hunk = { before: '', after: '', left: i > 0 ? parts[i - 1].value : '', right: '' };
    for (; i < parts.length && (parts[i].added || parts[i].removed); i++) {
      if (parts[i].added) hunk.after += parts[i].value;
      else hunk.before += parts[i].value;
    }
    hunk.right = i < parts.length ? parts[i].value : '';
    found.push(hunk);
  }
  return found;
}

function featureChanges(removed: readonly Feature[], added: readonly Feature[]): ContentChange[] {
  const changes: ContentChange[] = [];
  for (const kind of CHANGE_KINDS) {
    const gone = removed.filter((f) => f.kind === kind);
    const come = added.filter((f) => f.kind === kind);
    for (let i = 0; i < Math.max(gone.length, come.length); i++) {
      changes.push({ kind, before: gone[i]?.text ?? null, after: come[i]?.text ?? null });
    }
  }
  return changes;
}

const hasNegation = (text: string) => wordFeatures(normalise(text)).some((f) => f.kind === 'negation');

/** A negation changed between two versions of a sentence, in its words: `is recommended` → `is not recommended`. */
function negationChanges(before: Sentence, after: Sentence): ContentChange[] {
  return (hunks(before.text, after.text) ?? [])
    .filter((h) => hasNegation(h.before) || hasNegation(h.after))
    .map((h) => {
      const left = lastWord(h.left);
      const right = firstWord(h.right);
      return { kind: 'negation', before: joinWords(left, h.before, right), after: joinWords(left, h.after, right) };
    });
}

/** Why two sentences differ clinically: their features, negations in context. */
function sentenceChanges(before: Sentence | null, after: Sentence | null): ContentChange[] {
  const { removed, added } = multisetDiff(before?.features ?? [], after?.features ?? [], (f) => f.key);
  const changes = featureChanges(removed, added);
  if (!before || !after || !changes.some((c) => c.kind === 'negation')) return changes;
  const inContext = negationChanges(before, after);
  return inContext.length === 0 ? changes : [...changes.filter((c) => c.kind !== 'negation'), ...inContext];
}

/** The clinical changes between two versions of one text. */
function clinicalChanges(before: Text, after: Text): ContentChange[] {
  const old = readText(before);
  const now = readText(after);
  // Sentences with the same features match wherever they are: reordering is editorial.
  const unmatchedNow = now.filter((s) => s.signature !== '');
  const unmatchedOld = old.filter((s) => s.signature !== '' && !take(unmatchedNow, (n) => n.signature === s.signature));
  if (unmatchedOld.length === 0 && unmatchedNow.length === 0) return [];
  // Pair each sentence that lost or gained features with its most similar counterpart (which may have none).
  const oldPool = [...unmatchedOld, ...old.filter((s) => s.signature === '' && !now.some((n) => n.text === s.text))];
  const nowPool = [...unmatchedNow, ...now.filter((s) => s.signature === '' && !old.some((o) => o.text === s.text))];
  const candidates = oldPool
    .flatMap((o) => nowPool.map((n) => ({ o, n, similarity: dice(o.words, n.words) })))
    .filter(({ o, n, similarity }) => similarity >= 0.3 && (o.signature !== '' || n.signature !== ''))
    .sort((a, b) => b.similarity - a.similarity);
  const changes: ContentChange[] = [];
  const paired = new Set<Sentence>();
  for (const { o, n } of candidates) {
    if (paired.has(o) || paired.has(n)) continue;
    paired.add(o);
    paired.add(n);
    changes.push(...sentenceChanges(o, n));
  }
  // What is left shares no words (`Doxorubicin` → `Epirubicin`, a title): paired in order, then alone.
  const leftOld = unmatchedOld.filter((o) => !paired.has(o));
  const leftNow = unmatchedNow.filter((n) => !paired.has(n));
  for (let i = 0; i < Math.max(leftOld.length, leftNow.length); i++) {
    changes.push(...sentenceChanges(leftOld[i] ?? null, leftNow[i] ?? null));
  }
  return changes;
}

function wordingChanges(before: Text, after: Text): ContentChange[] {
  const joined = (text: Text) => text.blocks.map(normalise).join('\n');
  const found = hunks(joined(before), joined(after));
  if (!found) return [{ kind: 'wording', before: null, after: null }];
  return found.map((h) => ({
    kind: 'wording',
    before: h.before.trim() === '' ? null : shown(squashSpace(h.before)),
    after: h.after.trim() === '' ? null : shown(squashSpace(h.after)),
  }));
}

/** The citation markers of each text, compared as multisets of the references they cite. */
function citationChanges(before: ClassifiableContent, after: ClassifiableContent): ContentChange[] {
  const markers = (content: ClassifiableContent) =>
    checkCitations({
      summary: content.summary,
      body: content.body,
      referenceCount: 0,
      variants: content.variants,
    }).markers;
  const old = markers(before);
  const now = markers(after);
  const changes: ContentChange[] = [];
  const groups = new Set([...old, ...now].map((m) => `${m.audience ?? ''}|${m.field}`));
  for (const group of groups) {
    const inGroup = (list: typeof old) => list.filter((m) => `${m.audience ?? ''}|${m.field}` === group);
    const { removed, added } = multisetDiff(inGroup(old), inGroup(now), (m) => m.references.join(','));
    const audience = (removed[0] ?? added[0])?.audience;
    for (let i = 0; i < Math.max(removed.length, added.length); i++) {
      changes.push({
        kind: 'reference',
        before: removed[i]?.raw ?? null,
        after: added[i]?.raw ?? null,
        ...(audience ? { audience } : {}),
      });
    }
  }
  return changes;
}

const FIELD_NAMES = {
  title: 'title',
  doi: 'DOI',
  pmid: 'PMID',
  url: 'URL',
  year: 'year',
  source: 'source',
  type: 'type',
};
type ReferenceField = keyof typeof FIELD_NAMES;
const CLINICAL_FIELDS: readonly ReferenceField[] = ['title', 'doi', 'pmid', 'url', 'year'];
const EDITORIAL_FIELDS: readonly ReferenceField[] = ['source', 'type'];

function comparable(field: ReferenceField, value: Reference[ReferenceField]): string {
  if (value === null || value === undefined) return '';
  const text = squashSpace(String(value).normalize('NFKC'));
  // DOIs are case-insensitive (DOI Handbook §2.4); a resolver prefix is no different identifier.
  if (field === 'doi') return text.replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i, '').toLowerCase();
  return text;
}

function referenceChanges(before: readonly Reference[], after: readonly Reference[]): ContentChange[] {
  const changes: ContentChange[] = [];
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    const n = i + 1;
    const old = before[i];
    const now = after[i];
    if (!old || !now) {
      changes.push({
        kind: 'reference',
        before: old ? `[${n}] ${shown(old.title)}` : null,
        after: now ? `[${n}] ${shown(now.title)}` : null,
      });
      continue;
    }
    for (const field of [...CLINICAL_FIELDS, ...EDITORIAL_FIELDS]) {
      if (comparable(field, old[field]) === comparable(field, now[field])) continue;
      changes.push({
        kind: CLINICAL_FIELDS.includes(field) ? 'reference' : 'wording',
        before: `[${n}] ${FIELD_NAMES[field]}: ${shown(String(old[field] ?? ''))}`,
        after: `[${n}] ${FIELD_NAMES[field]}: ${shown(String(now[field] ?? ''))}`,
      });
    }
  }
  return changes;
}

/** The texts of a content, in order, keyed by where they are: the professional ones and each variant's. */
function textsOf(content: ClassifiableContent, other: ClassifiableContent): Map<string, Text> {
  const markdown = (md: string | null) => (md === null ? [] : markdownBlocks(md));
  const title = (t: string) => (squashSpace(t) === '' ? [] : [squashSpace(t)]);
  const texts = new Map<string, Text>([
    ['title', { blocks: title(content.title) }],
    ['summary', { blocks: markdown(content.summary) }],
    ['body', { blocks: markdown(content.body) }],
  ]);
  const audiences = new Set([...content.variants, ...other.variants].map((v) => v.audience));
  for (const audience of audiences) {
    const variant = content.variants.find((v) => v.audience === audience);
    const counterpart = other.variants.find((v) => v.audience === audience);
    // A variant without its own title or summary shows the article's; when neither side has one, the
    // professional text already says what changed.
    const ownTitle = variant ? variant.title : null;
    const ownSummary = variant ? variant.summary : null;
    if (variant?.title != null || counterpart?.title != null) {
      texts.set(`${audience}|title`, { audience, blocks: variant ? title(ownTitle ?? content.title) : [] });
    }
    if (variant?.summary != null || counterpart?.summary != null) {
      texts.set(`${audience}|summary`, { audience, blocks: variant ? markdown(ownSummary ?? content.summary) : [] });
    }
    texts.set(`${audience}|body`, { audience, blocks: variant ? markdown(variant.body) : [] });
  }
  return texts;
}

const withAudience = (audience: VariantAudience | undefined) => (change: ContentChange) =>
  audience ? { ...change, audience } : change;

function unique(changes: readonly ContentChange[]): ContentChange[] {
  const seen = new Set<string>();
  return changes.filter((c) => {
    const key = JSON.stringify([c.kind, c.before, c.after, c.audience ?? null]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Classifies the change from `before` to `after` (contract §15). */
export function classifyChange(before: ClassifiableContent, after: ClassifiableContent): Significance {
  const old = textsOf(before, after);
  const now = textsOf(after, before);
  const pairs = [...new Set([...old.keys(), ...now.keys()])].map((key) => {
    const empty: Text = { blocks: [] };
    const o = old.get(key) ?? empty;
    const n = now.get(key) ?? empty;
    return { o, n, audience: o.audience ?? n.audience };
  });
  const references = referenceChanges(before.references, after.references);
  const clinical = unique([
    ...pairs.flatMap(({ o, n, audience }) => clinicalChanges(o, n).map(withAudience(audience))),
    ...citationChanges(before, after),
    ...references.filter((c) => c.kind !== 'wording'),
  ]);
  if (clinical.length > 0) return { changeClass: 'clinical', changes: clinical.slice(0, MAX_CHANGES) };
  const wording = unique([
    ...pairs.flatMap(({ o, n, audience }) => wordingChanges(o, n).map(withAudience(audience))),
    ...references,
  ]);
  return { changeClass: 'editorial', changes: wording.slice(0, MAX_WORDING_CHANGES) };
}

const LABELS: Record<Exclude<ChangeKind, 'reference'>, string> = {
  quantity: 'dose',
  drug: 'drug',
  route: 'route',
  frequency: 'frequency',
  negation: 'negation',
  wording: 'wording',
};

const REFERENCE_FIELD = /^\[(\d+)\] (title|DOI|PMID|URL|year|source|type): (.*)$/su;
const WHOLE_REFERENCE = /^\[(\d+)\] (.*)$/su;

function describe(label: string, before: string | null, after: string | null): string {
  if (before !== null && after !== null) return `${label} changed: ${shown(before)} → ${shown(after)}`;
  if (after !== null) return `${label} added: ${shown(after)}`;
  if (before !== null) return `${label} removed: ${shown(before)}`;
  return `${label} changed`;
}

function describeReference(before: string | null, after: string | null): string {
  const field = (before ?? after ?? '').match(REFERENCE_FIELD);
  if (field) {
    const value = (text: string | null) => {
      const v = text?.match(REFERENCE_FIELD)?.[3] ?? '';
      return v === '' ? null : v;
    };
    return describe(`reference ${field[1]} ${field[2]}`, value(before), value(after));
  }
  const whole = (before ?? after ?? '').match(WHOLE_REFERENCE);
  if (whole) {
    return describe(
      `reference ${whole[1]}`,
      before?.match(WHOLE_REFERENCE)?.[2] ?? null,
      after?.match(WHOLE_REFERENCE)?.[2] ?? null,
    );
  }
  return describe('citation', before, after);
}

/** Words for a reason, for people: "dose changed: 75 mg/m² → 60 mg/m²". */
export function describeChange(change: ContentChange): string {
  const { kind, before, after } = change;
  let words: string;
  if (kind === 'reference' || ((before ?? after ?? '').match(REFERENCE_FIELD) && kind === 'wording')) {
    words = describeReference(before, after);
  } else if (kind === 'quantity') {
    // A number on its own (`3 cycles`, `stage 2`) is no dose.
    const dose = [before, after].some((text) => text !== null && quantitiesInText(text).length > 0);
    words = describe(dose ? 'dose' : 'number', before, after);
  } else if (kind === 'wording' && before === null && after === null) {
    words = 'wording changed throughout';
  } else if (kind === 'wording') {
    words =
      before !== null && after !== null
        ? `wording: ${shown(before)} → ${shown(after)}`
        : describe('wording', before, after);
  } else {
    words = describe(LABELS[kind], before, after);
  }
  return change.audience ? `${change.audience} version: ${words}` : words;
}
