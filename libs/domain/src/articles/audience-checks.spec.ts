import { AudienceText, consistencyCheck, fleschKincaid, readabilityCheck } from './audience-checks';
import type { AudienceVariant } from './reference';

const professional = {
  title: 'Can leiomyosarcoma be treated?',
  summary: 'Advanced disease is treated with chemotherapy [1].',
  body: [
    '## From the Research',
    '',
    'Doxorubicin 75 mg/m² every 3 weeks remains the first-line option [1].',
    'High-dose ifosfamide 12–14 g/m²/cycle is an alternative [2-3].',
  ].join('\n'),
};

const patient = (overrides: Partial<AudienceVariant> = {}): AudienceVariant => ({
  audience: 'patient',
  title: null,
  summary: null,
  body: 'You may have doxorubicin, 75 mg/m2 every 3 weeks [1].',
  ...overrides,
});

const article = (...variants: AudienceVariant[]): AudienceText => ({ ...professional, variants });

describe('consistencyCheck (contract §13)', () => {
  it('passes an article without variants', () => {
    expect(consistencyCheck(article())).toEqual({ status: 'passed', problems: [] });
  });

  it('passes a variant whose quantities all occur in the professional text, however written', () => {
    const variants = [
      patient(),
      {
        audience: 'caregiver' as const,
        title: 'Doses: 75 mg/m2',
        summary: 'A dose of 12 to 14 g/m2/cycle may be used.',
        body: 'The dose is 75 mg per square metre.',
      },
    ];
    expect(consistencyCheck(article(...variants))).toEqual({ status: 'passed', problems: [] });
  });

  it('fails a variant dose the professional text does not state, naming audience, quantity and sentence', () => {
    const report = consistencyCheck(
      article(patient({ body: '## Your treatment\n\nYou may have doxorubicin, 60 mg/m² every 3 weeks [1].' })),
    );
    expect(report).toEqual({
      status: 'failed',
      problems: [
        {
          kind: 'quantity_not_in_professional_text',
          severity: 'error',
          audience: 'patient',
          field: 'body',
          quantity: '60 mg/m2',
          written: '60 mg/m2',
          sentence: 'You may have doxorubicin, 60 mg/m² every 3 weeks.',
          message:
            'In the patient version, 60 mg/m2 does not occur in the professional text: “You may have doxorubicin, 60 mg/m² every 3 weeks.”',
        },
      ],
    });
  });

  it('compares units, denominators and schedules, not just numbers', () => {
    const report = consistencyCheck(
      article(
        patient({
          title: 'What is 75 mg?',
          summary: 'Ifosfamide is 12–14 g/m² a day.',
          body: 'Doxorubicin is given every 2 weeks.',
        }),
      ),
    );
    expect(report.problems.map((p) => [p.field, p.quantity])).toEqual([
      ['title', '75 mg'],
      ['summary', '12-14 g/m2/day'],
      ['body', 'every 2 weeks'],
    ]);
  });

  it('reports a quantity once per sentence, in each variant', () => {
    const wrong = 'Take 5 mg. Take 5 mg. Then 5 mg again, 5 mg.';
    const report = consistencyCheck(
      article(patient({ body: wrong }), { ...patient({ body: wrong }), audience: 'caregiver' }),
    );
    expect(report.problems.map((p) => [p.audience, p.sentence])).toEqual([
      ['patient', 'Take 5 mg.'],
      ['patient', 'Then 5 mg again, 5 mg.'],
      ['caregiver', 'Take 5 mg.'],
      ['caregiver', 'Then 5 mg again, 5 mg.'],
    ]);
  });

  it('does not read citation markers as quantities', () => {
    expect(consistencyCheck(article(patient({ body: 'Surgery comes first [4-5]. Then [6] maybe.' }))).status).toBe(
      'passed',
    );
  });
});

const SIMPLE =
  'This is a cancer of smooth muscle. Most people have surgery to take it out. Some also have drugs to shrink it. ' +
  'Your care team will talk with you about what is best for you.';
const DENSE =
  'Leiomyosarcoma, a malignant mesenchymal neoplasm demonstrating smooth-muscle differentiation, is managed with ' +
  'en bloc surgical resection achieving histologically negative margins, frequently complemented by neoadjuvant ' +
  'or adjuvant radiotherapy, whereas metastatic or unresectable disease necessitates systemic anthracycline-based ' +
  'cytotoxic chemotherapy.';

describe('readabilityCheck (contract §13)', () => {
  it('passes an article without variants', () => {
    expect(readabilityCheck(article(), 8)).toEqual({ status: 'passed', maxGrade: 8, grades: [], problems: [] });
  });

  it('passes a simple patient text under the limit, reporting its grade', () => {
    const report = readabilityCheck(article(patient({ summary: 'It can be treated.', body: SIMPLE })), 8);
    expect(report.status).toBe('passed');
    expect(report.problems).toEqual([]);
    expect(report.grades).toEqual([{ audience: 'patient', grade: expect.any(Number), words: 39, sentences: 5 }]);
    expect(report.grades[0].grade).toBeLessThan(5);
  });

  it('warns of a dense clinical paragraph above the limit, naming the variant and its grade to one decimal', () => {
    const report = readabilityCheck(
      article(patient({ summary: 'It can be treated.', body: SIMPLE }), {
        audience: 'caregiver',
        title: null,
        summary: null,
        body: DENSE,
      }),
      8,
    );
    expect(report.status).toBe('warning');
    const grade = report.grades[1].grade;
    expect(grade).toBeGreaterThan(20);
    expect(Number.isInteger((grade ?? 0) * 10)).toBe(true);
    expect(report.problems).toEqual([
      {
        kind: 'reading_grade_above_limit',
        severity: 'warning',
        audience: 'caregiver',
        grade,
        maxGrade: 8,
        message: `The caregiver version reads at grade ${grade?.toFixed(1)}, above the limit of 8`,
      },
    ]);
  });

  it("reads a variant without a summary with the article's, as readers do, and without markup or markers", () => {
    const withMarkup = readabilityCheck(article(patient({ body: `**${SIMPLE}** [1]` })), 8).grades[0];
    const plain = readabilityCheck(article(patient({ summary: professional.summary, body: SIMPLE })), 8).grades[0];
    expect(withMarkup).toEqual(plain);
  });

  it('compares the rounded grade with the limit, which may have decimals', () => {
    const grade = readabilityCheck(article(patient({ body: SIMPLE })), 8).grades[0].grade ?? 0;
    expect(readabilityCheck(article(patient({ body: SIMPLE })), grade).status).toBe('passed');
    expect(readabilityCheck(article(patient({ body: SIMPLE })), grade - 0.1).status).toBe('warning');
  });
});

describe('fleschKincaid', () => {
  it('gives no grade for a text without words', () => {
    expect(fleschKincaid('')).toEqual({ grade: null, words: 0, sentences: 0 });
    expect(fleschKincaid(' ... ').grade).toBeNull();
  });

  it('grades by the formula: 0.39 × words per sentence + 11.8 × syllables per word − 15.59', () => {
    // 9 words, 2 sentences, 9 syllables: 0.39 × 4.5 + 11.8 × 1 − 15.59 = −2.035.
    expect(fleschKincaid('The cat sat on the mat. It was warm.')).toEqual({ grade: -2, words: 9, sentences: 2 });
  });
});
