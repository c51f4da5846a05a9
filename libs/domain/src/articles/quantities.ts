import { markdownBlocks, sentencesOf, squashSpace } from './plain-text';

/**
 * Dose-like quantities (contract §13 `consistency`): what a patient or caregiver text must not state
 * differently from the professional text. Read after NFKC, so `m²` is `m2` and both micro signs are
 * `μ`; compared by a canonical form. What counts:
 * - a number: `75`, `0.5`, `.5` (= `0.5`), `1,000` (commas group thousands only when three digits
 *   follow, so `1,5` is no number), `10 000` with a thin or no-break space; a range `12–14`, `12-14`,
 *   `12 to 14` (canonical `12-14`); trailing zeros do not matter (`5.0 mg` = `5 mg`);
 * - then a unit, written as a symbol or a word: mg, mcg (= µg, μg, ug), g, mL (= ml), L, mmol, mEq,
 *   units, IU, % (= percent, per cent); `500-mg` (adjectival) is `500 mg`;
 * - then any denominators, `/x` or `per x`: m2 (= m², square metre), kg, day (= d), week (= wk), cycle,
 *   dose, h (= hour, hr), min, mL, dL, L; a last `a day`, `a week`, `daily` or `weekly` is `/day` or
 *   `/week`. So `75 mg/m²`, `12–14 g/m²/cycle`, `2 mg per kg a day` (= `2 mg/kg/day`).
 * - schedules with a number, standing alone: `every 3 weeks`, `every 4 to 6 hours`, `q8h` (= `every 8
 *   hours`). `every day` without a number is not one: patient texts say it of everything.
 * A number without a unit (`3 tablets`, `stage 2`, a year) is no quantity. Words like `twice` between a
 * quantity and its frequency end it: `5 mg twice a day` is `5 mg`.
 */
export interface Quantity {
  /** As written, after NFKC: `75 mg/m2`, `.5 mg`. */
  text: string;
  /** What quantities are compared by: `75 mg/m2`, `0.5 mg`, `12-14 g/m2/cycle`, `5%`, `every 3 weeks`. */
  canonical: string;
  /** The sentence it is in, as written (plain text, no markup, no citation markers). */
  sentence: string;
}

type Alias = readonly [pattern: string, canonical: string];

// Longer spellings first: an alternation takes the first that fits.
const UNITS: readonly Alias[] = [
  ['micrograms?', 'mcg'],
  ['mcg', 'mcg'],
  ['μg', 'mcg'],
  ['ug', 'mcg'],
  ['milligrams?', 'mg'],
  ['mg', 'mg'],
  ['grams?', 'g'],
  ['g', 'g'],
  ['millilit(?:re|er)s?', 'mL'],
  ['ml', 'mL'],
  ['lit(?:re|er)s?', 'L'],
  ['l', 'L'],
  ['millimoles?', 'mmol'],
  ['mmol', 'mmol'],
  ['milliequivalents?', 'mEq'],
  ['meq', 'mEq'],
  ['international units?', 'IU'],
  ['iu', 'IU'],
  ['units?', 'units'],
  ['per ?cent', '%'],
  ['%', '%'],
];

const DENOMINATORS: readonly Alias[] = [
  ['m2', 'm2'],
  ['m\\^2', 'm2'],
  ['square met(?:re|er)s?', 'm2'],
  ['kg', 'kg'],
  ['kilograms?', 'kg'],
  ['days?', 'day'],
  ['doses?', 'dose'],
  ['d', 'day'],
  ['weeks?', 'week'],
  ['wks?', 'week'],
  ['cycles?', 'cycle'],
  ['hours?', 'h'],
  ['hrs?', 'h'],
  ['h', 'h'],
  ['min(?:ute)?s?', 'min'],
  ['ml', 'mL'],
  ['dl', 'dL'],
  ['l', 'L'],
];

const PERIODS: readonly Alias[] = [
  ['hours?', 'hour'],
  ['hrs?', 'hour'],
  ['h', 'hour'],
  ['days?', 'day'],
  ['weeks?', 'week'],
  ['wks?', 'week'],
  ['months?', 'month'],
];

const TAILS: readonly Alias[] = [
  ['a day', 'day'],
  ['daily', 'day'],
  ['a week', 'week'],
  ['weekly', 'week'],
];

const alternation = (aliases: readonly Alias[]) => aliases.map(([pattern]) => pattern).join('|');

/** The canonical name of what one of `aliases` matched (in any case and spacing). */
function canonicalName(aliases: readonly Alias[]): (written: string) => string {
  const anchored = aliases.map(([pattern, name]) => [new RegExp(`^(?:${pattern})$`, 'iu'), name] as const);
  return (written) => {
    const spaced = written.replace(/\s+/g, ' ');
    const found = anchored.find(([pattern]) => pattern.test(spaced));
    // Only text the alternation of the same aliases matched gets here.
    if (!found) throw new Error(`No alias matches ${JSON.stringify(written)}`);
    return found[1];
  };
}
const unitOf = canonicalName(UNITS);
const denominatorOf = canonicalName(DENOMINATORS);
const periodOf = canonicalName(PERIODS);
const tailOf = canonicalName(TAILS);

// No leading zeros (`000 IU` is the end of `10 000 IU` written with a plain space, which is not read).
const NUMBER = String.raw`(?:[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?|(?:0|[1-9]\d*)(?:\.\d+)?|\.\d+)`;
const DASH = String.raw`[-\u2010-\u2015\u2212]`;
// Not inside a word, a longer number or a decimal: `COVID-19`, `1,5`, `v2.5`.
const START = String.raw`(?<![\p{L}\p{N}.,])(?<!\p{L}-)`;
const END = String.raw`(?![\p{L}\p{N}])`;
const amount = (name: string) =>
  String.raw`(?<${name}From>${NUMBER})(?:(?:\s*${DASH}\s*|\s+to\s+)(?<${name}To>${NUMBER}))?`;
const PER = String.raw`(?:\s*\/\s*|\s+per\s+)`;

const DOSE = new RegExp(
  START +
    amount('dose') +
    String.raw`\s*(?:-\s*)?(?<unit>${alternation(UNITS)})${END}` +
    String.raw`(?<per>(?:${PER}(?:${alternation(DENOMINATORS)})${END})*)` +
    String.raw`(?:\s+(?<tail>${alternation(TAILS)})${END})?`,
  'giu',
);
const DENOMINATOR = new RegExp(PER + String.raw`(?<denominator>${alternation(DENOMINATORS)})${END}`, 'giu');
const SCHEDULE = new RegExp(
  START +
    String.raw`(?:every\s+${amount('every')}\s+(?<period>${alternation(PERIODS)})` +
    String.raw`|q${amount('q')}(?<qPeriod>h|hr|d|wk?))${END}`,
  'giu',
);

// Thin, narrow and no-break spaces group digits in SI style (`10 000`).
const DIGIT_GROUP_SPACE = /(?<=\d)[\u00a0\u2009\u202f](?=\d{3}(?!\d))/g;

const numberOf = (written: string) => String(Number(written.replace(/,/g, '')));

function amountOf(groups: Record<string, string | undefined>, name: string): string {
  const from = numberOf(groups[`${name}From`] ?? '');
  const to = groups[`${name}To`];
  return to === undefined ? from : `${from}-${numberOf(to)}`;
}

function doseCanonical(groups: Record<string, string | undefined>): string {
  const unit = unitOf(groups.unit ?? '');
  const denominators = [...(groups.per ?? '').matchAll(DENOMINATOR)].map((m) =>
    denominatorOf(m.groups?.denominator ?? ''),
  );
  if (groups.tail) denominators.push(tailOf(groups.tail));
  const rate = denominators.map((d) => `/${d}`).join('');
  const value = amountOf(groups, 'dose');
  return unit === '%' ? `${value}%${rate}` : `${value} ${unit}${rate}`;
}

function scheduleCanonical(groups: Record<string, string | undefined>): string {
  const value = groups.period ? amountOf(groups, 'every') : amountOf(groups, 'q');
  const period = periodOf(groups.period ?? groups.qPeriod ?? '');
  return `every ${value} ${value === '1' ? period : `${period}s`}`;
}

function quantitiesInSentence(sentence: string): Quantity[] {
  // Digit-grouping spaces go before NFKC, which would make them plain spaces.
  const text = sentence.replace(DIGIT_GROUP_SPACE, '').normalize('NFKC');
  const found: { index: number; quantity: Quantity }[] = [];
  for (const [pattern, canonical] of [
    [DOSE, doseCanonical],
    [SCHEDULE, scheduleCanonical],
  ] as const) {
    for (const match of text.matchAll(pattern)) {
      found.push({
        index: match.index,
        quantity: { text: match[0], canonical: canonical(match.groups ?? {}), sentence },
      });
    }
  }
  return found.sort((a, b) => a.index - b.index).map((f) => f.quantity);
}

function quantitiesInBlocks(blocks: readonly string[]): Quantity[] {
  return blocks.flatMap((block) => sentencesOf(block).flatMap(quantitiesInSentence));
}

/** The quantities of plain text (a title), in order. */
export function quantitiesInText(text: string): Quantity[] {
  return quantitiesInBlocks(text.split(/\n\s*\n/).map(squashSpace));
}

/** The quantities of Markdown (a summary, a body) as readers read it: no markup, link addresses or citation markers. */
export function quantitiesInMarkdown(markdown: string): Quantity[] {
  return quantitiesInBlocks(markdownBlocks(markdown));
}
