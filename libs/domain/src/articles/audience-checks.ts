import readabilityScores from 'readability-scores';
import { markdownToPlainText } from './plain-text';
import { quantitiesInMarkdown, quantitiesInText, type Quantity } from './quantities';
import type { ArticleContent, AudienceVariant, VariantAudience } from './reference';

/**
 * The two checks of audience variants (contract §13), run on every revision: `consistency` (a
 * variant states no dose the professional text does not; it gates approval) and `readability`
 * (patient and caregiver text at or below a reading grade; a warning only).
 */

export type AudienceText = Pick<ArticleContent, 'title' | 'summary' | 'body' | 'variants'>;
export type TextField = 'title' | 'summary' | 'body';

// The problems and grades are stored as check details (JSON): type aliases, which an index signature accepts.

export type ConsistencyProblem = {
  kind: 'quantity_not_in_professional_text';
  severity: 'error';
  audience: VariantAudience;
  field: TextField;
  /** The canonical form (`75 mg/m2`), which is what was looked for. */
  quantity: string;
  /** As written, after NFKC. */
  written: string;
  sentence: string;
  message: string;
};

export interface ConsistencyReport {
  status: 'passed' | 'failed';
  problems: ConsistencyProblem[];
}

interface FieldQuantity {
  field: TextField;
  quantity: Quantity;
}

function quantitiesOf(text: { title: string | null; summary: string | null; body: string }): FieldQuantity[] {
  const of = (field: TextField, quantities: Quantity[]) => quantities.map((quantity) => ({ field, quantity }));
  return [
    ...of('title', text.title ? quantitiesInText(text.title) : []),
    ...of('summary', text.summary ? quantitiesInMarkdown(text.summary) : []),
    ...of('body', quantitiesInMarkdown(text.body)),
  ];
}

/**
 * Every dose-like quantity of each variant (its own title, summary and body: a missing one is the
 * professional text's, consistent by definition) must occur in the professional title, summary or
 * body by canonical form. Each one that does not is a problem, once per sentence it is in.
 */
export function consistencyCheck(content: AudienceText): ConsistencyReport {
  const professional = new Set(quantitiesOf(content).map(({ quantity }) => quantity.canonical));
  const problems: ConsistencyProblem[] = [];
  for (const variant of content.variants) {
    const reported = new Set<string>();
    for (const { field, quantity } of quantitiesOf(variant)) {
      const key = JSON.stringify([field, quantity.canonical, quantity.sentence]);
      if (professional.has(quantity.canonical) || reported.has(key)) continue;
      reported.add(key);
      problems.push({
        kind: 'quantity_not_in_professional_text',
        severity: 'error',
        audience: variant.audience,
        field,
        quantity: quantity.canonical,
        written: quantity.text,
        sentence: quantity.sentence,
        message: `In the ${variant.audience} version, ${quantity.canonical} does not occur in the professional text: “${quantity.sentence}”`,
      });
    }
  }
  return { status: problems.length > 0 ? 'failed' : 'passed', problems };
}

export type ReadingGrade = {
  audience: VariantAudience;
  /** Flesch–Kincaid grade, to one decimal; null for a text with no words. */
  grade: number | null;
  words: number;
  sentences: number;
};

export type ReadabilityProblem = {
  kind: 'reading_grade_above_limit';
  severity: 'warning';
  audience: VariantAudience;
  grade: number;
  maxGrade: number;
  message: string;
};

export interface ReadabilityReport {
  status: 'passed' | 'warning';
  maxGrade: number;
  grades: ReadingGrade[];
  problems: ReadabilityProblem[];
}

/**
 * The Flesch–Kincaid grade of plain text, by readability-scores (retext-english finds the sentences
 * and words, `syllable` counts syllables), rounded to one decimal: the figure reviewers see is the
 * one compared with the limit.
 */
export function fleschKincaid(text: string): Omit<ReadingGrade, 'audience'> {
  const scores = text.trim() === '' ? undefined : readabilityScores(text, { onlyFleschKincaid: true });
  const words = scores?.wordCount ?? 0;
  const sentences = scores?.sentenceCount ?? 0;
  const raw = scores?.fleschKincaid;
  const grade = words > 0 && raw !== undefined && Number.isFinite(raw) ? Math.round(raw * 10) / 10 : null;
  return { grade, words, sentences };
}

/**
 * What a reader of the variant reads as running text: its summary (the article's when it has none:
 * that is what the page shows it with) and its body, without markup. The title is left out: a
 * heading, not prose, and Flesch–Kincaid is a measure of prose.
 */
function readerText(content: AudienceText, variant: AudienceVariant): string {
  const summary = variant.summary ?? content.summary;
  return [summary, variant.body]
    .filter((part): part is string => part !== null)
    .map(markdownToPlainText)
    .join('\n\n');
}

/** Each patient and caregiver variant's reading grade; one above `maxGrade` is a warning naming it. */
export function readabilityCheck(content: AudienceText, maxGrade: number): ReadabilityReport {
  const grades = content.variants.map((variant) => ({
    audience: variant.audience,
    ...fleschKincaid(readerText(content, variant)),
  }));
  const problems = grades.flatMap(({ audience, grade }): ReadabilityProblem[] =>
    grade !== null && grade > maxGrade
      ? [
          {
            kind: 'reading_grade_above_limit',
            severity: 'warning',
            audience,
            grade,
            maxGrade,
            message: `The ${audience} version reads at grade ${grade.toFixed(1)}, above the limit of ${maxGrade}`,
          },
        ]
      : [],
  );
  return { status: problems.length > 0 ? 'warning' : 'passed', maxGrade, grades, problems };
}
