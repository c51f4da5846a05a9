import type { AudienceVariant, Reference } from './reference';
import {
  CHANGE_KINDS,
  classifyChange,
  describeChange,
  type ChangeClass,
  type ChangeKind,
  type ClassifiableContent,
  type ContentChange,
} from './significance';

const REFERENCE: Reference = {
  type: 'guideline',
  title: 'Soft tissue and visceral sarcomas: ESMO clinical practice guidelines',
  source: 'Annals of Oncology',
  year: 2021,
  url: 'https://example.org/esmo-sarcoma',
  doi: '10.1016/j.annonc.2021.07.006',
  pmid: '34303806',
};

const content = (body: string, more: Partial<ClassifiableContent> = {}): ClassifiableContent => ({
  title: 'Soft-tissue sarcoma',
  summary: null,
  body,
  references: [REFERENCE],
  variants: [],
  ...more,
});

const patient = (body: string, more: Partial<AudienceVariant> = {}): AudienceVariant => ({
  audience: 'patient',
  title: null,
  summary: null,
  body,
  ...more,
});

const SEED = 'Doxorubicin 75 mg/m² IV every 3 weeks is recommended first-line [1].';

interface Case {
  label: string;
  before: ClassifiableContent;
  after: ClassifiableContent;
  changeClass: ChangeClass;
  /** The kinds of the reasons, in order (`[]`: nothing changed). */
  kinds: ChangeKind[];
}

const body = (label: string, before: string, after: string, changeClass: ChangeClass, kinds: ChangeKind[]): Case => ({
  label,
  before: content(before),
  after: content(after),
  changeClass,
  kinds,
});

const withReference = (label: string, changed: Partial<Reference>, changeClass: ChangeClass, kinds: ChangeKind[]) => ({
  label,
  before: content(SEED),
  after: content(SEED, { references: [{ ...REFERENCE, ...changed }] }),
  changeClass,
  kinds,
});

const CASES: Case[] = [
  // The pairs.
  body('500 mg → 250 mg', 'Give 500 mg.', 'Give 250 mg.', 'clinical', ['quantity']),
  body('orally → by mouth (route wording is not editorial)', 'Take it orally.', 'Take it by mouth.', 'clinical', [
    'route',
  ]),
  body('m2 → m² is no change', 'Give 75 mg/m2 IV.', 'Give 75 mg/m² IV.', 'editorial', []),
  body('colour → color', 'The colour of the urine may change.', 'The color of the urine may change.', 'editorial', [
    'wording',
  ]),
  body('5 mg → 5.0 mg (a trailing zero misleads)', 'Give 5 mg.', 'Give 5.0 mg.', 'clinical', ['quantity']),
  body('is recommended → is not recommended', SEED, SEED.replace('is recommended', 'is not recommended'), 'clinical', [
    'negation',
  ]),
  withReference("a reference's DOI changed", { doi: '10.1016/j.annonc.2021.07.007' }, 'clinical', ['reference']),
  body('a heading reworded', `## Dosing\n\n${SEED}`, `## Dose and schedule\n\n${SEED}`, 'editorial', ['wording']),
  // Each kind alone.
  body('quantity: unit changed', 'Give 5 mg.', 'Give 5 mcg.', 'clinical', ['quantity']),
  body('quantity: denominator changed', 'Give 2 mg/kg.', 'Give 2 mg/m².', 'clinical', ['quantity']),
  body('quantity: a range changed', 'Ifosfamide 12–14 g/m²/cycle.', 'Ifosfamide 10–14 g/m²/cycle.', 'clinical', [
    'quantity',
  ]),
  body('quantity: .5 mg → 0.5 mg (a naked decimal misleads)', 'Give .5 mg.', 'Give 0.5 mg.', 'clinical', ['quantity']),
  body('quantity: a dose added', 'Give doxorubicin.', 'Give doxorubicin 75 mg/m².', 'clinical', ['quantity']),
  body('number: a bare number changed', 'Give 6 cycles.', 'Give 4 cycles.', 'clinical', ['quantity']),
  body('number: a bare number added', 'Give several cycles.', 'Give 6 cycles.', 'clinical', ['quantity']),
  body('drug: replaced', 'Cisplatin is an option.', 'Carboplatin is an option.', 'clinical', ['drug']),
  body('drug: added', 'Doxorubicin is an option.', 'Doxorubicin or trabectedin is an option.', 'clinical', ['drug']),
  body('drug: by INN stem (-tinib)', 'A kinase inhibitor is an option.', 'Zorbatinib is an option.', 'clinical', [
    'drug',
  ]),
  body(
    'drug: in a compound word',
    'Doxorubicin-based chemotherapy is first-line.',
    'Ifosfamide-based chemotherapy is first-line.',
    'clinical',
    ['drug'],
  ),
  body('drug: by INN stem (-mab)', 'An antibody may help.', 'Olaratumab may help.', 'clinical', ['drug']),
  body('route: IV → oral', 'Give it IV.', 'Give it oral.', 'clinical', ['route']),
  body('route: intravenous → subcutaneous', 'An intravenous dose.', 'A subcutaneous dose.', 'clinical', ['route']),
  body('route: tablets → capsules (a dosage form)', 'Take the tablets.', 'Take the capsules.', 'clinical', ['route']),
  body('frequency: twice daily → once daily', 'Take it twice daily.', 'Take it once daily.', 'clinical', ['frequency']),
  body('frequency: bd → tds', 'Paracetamol bd.', 'Paracetamol tds.', 'clinical', ['frequency']),
  body('frequency: every 3 weeks → every 2 weeks', 'Repeat every 3 weeks.', 'Repeat every 2 weeks.', 'clinical', [
    'frequency',
  ]),
  body('frequency: q8h → q6h', 'Give it q8h.', 'Give it q6h.', 'clinical', ['frequency']),
  body('frequency: weekly added', 'Check the blood count.', 'Check the blood count weekly.', 'clinical', ['frequency']),
  body('negation: avoid added', 'Grapefruit juice is fine.', 'Avoid grapefruit juice.', 'clinical', ['negation']),
  body('negation: contraindicated', 'It is used in pregnancy.', 'It is contraindicated in pregnancy.', 'clinical', [
    'negation',
  ]),
  body('negation: should not', 'You should take it with food.', 'You should not take it with food.', 'clinical', [
    'negation',
  ]),
  body("negation: don't", 'Drink alcohol in moderation.', "Don't drink alcohol.", 'clinical', ['negation']),
  body('negation: unless', 'Give it.', 'Give it unless the count is low.', 'clinical', ['negation']),
  body(
    'negation moved between sentences',
    'Cisplatin is not advised. Carboplatin is advised.',
    'Cisplatin is advised. Carboplatin is not advised.',
    'clinical',
    ['negation', 'negation'],
  ),
  withReference('reference: title changed', { title: 'Another guideline' }, 'clinical', ['reference']),
  withReference('reference: PMID changed', { pmid: '34303807' }, 'clinical', ['reference']),
  withReference('reference: URL changed', { url: 'https://example.org/other' }, 'clinical', ['reference']),
  withReference('reference: year changed (a new edition)', { year: 2024 }, 'clinical', ['reference']),
  withReference(
    'reference: DOI case and resolver prefix are no change',
    {
      doi: 'https://doi.org/10.1016/J.ANNONC.2021.07.006',
    },
    'editorial',
    [],
  ),
  withReference('reference: source is bibliographic wording', { source: 'Ann Oncol' }, 'editorial', ['wording']),
  withReference('reference: type is a label', { type: 'research' }, 'editorial', ['wording']),
  {
    label: 'reference: added',
    before: content(SEED),
    after: content(SEED, { references: [REFERENCE, { ...REFERENCE, title: 'A trial', doi: '10.1/x' }] }),
    changeClass: 'clinical',
    kinds: ['reference'],
  },
  {
    label: 'reference: removed',
    before: content(SEED, { references: [REFERENCE, { ...REFERENCE, title: 'A trial', doi: '10.1/x' }] }),
    after: content(SEED),
    changeClass: 'clinical',
    kinds: ['reference'],
  },
  body('citation: a marker cites another reference', SEED, SEED.replace('[1]', '[2]'), 'clinical', ['reference']),
  body('wording: a sentence reworded', 'This is a rare cancer.', 'This is an uncommon cancer.', 'editorial', [
    'wording',
  ]),
  body('punctuation', 'After surgery, rest.', 'After surgery rest.', 'editorial', ['wording']),
  body('Markdown emphasis only', SEED, SEED.replace('first-line', '**first-line**'), 'editorial', []),
  body(
    'reordered sentences with the same claims',
    `${SEED} Trabectedin 1.5 mg/m² is second-line.`,
    `Trabectedin 1.5 mg/m² is second-line. ${SEED}`,
    'editorial',
    ['wording', 'wording'],
  ),
  body(
    'the same claims reworded within a sentence',
    'Give doxorubicin 75 mg/m² IV.',
    'Doxorubicin 75 mg/m² is given IV.',
    'editorial',
    ['wording', 'wording'],
  ),
  body('q8h → every 8 hours (one schedule)', 'Give it q8h.', 'Give it every 8 hours.', 'editorial', ['wording']),
  body('identical content', SEED, SEED, 'editorial', []),
  body('a new sentence without claims', SEED, `${SEED} Ask your team about it.`, 'editorial', ['wording']),
  {
    label: 'professional title: a dose in it changed',
    before: content(SEED, { title: 'Doxorubicin 75 mg/m²' }),
    after: content(SEED, { title: 'Doxorubicin 60 mg/m²' }),
    changeClass: 'clinical',
    kinds: ['quantity'],
  },
  {
    label: 'summary: a drug changed',
    before: content(SEED, { summary: 'Doxorubicin is first-line.' }),
    after: content(SEED, { summary: 'Epirubicin is first-line.' }),
    changeClass: 'clinical',
    kinds: ['drug'],
  },
  {
    label: "a variant's dose changed",
    before: content(SEED, { variants: [patient('You get 75 mg/m² into a vein.')] }),
    after: content(SEED, { variants: [patient('You get 60 mg/m² into a vein.')] }),
    changeClass: 'clinical',
    kinds: ['quantity'],
  },
  {
    label: "a variant's wording changed",
    before: content(SEED, { variants: [patient('Your colour may change.')] }),
    after: content(SEED, { variants: [patient('Your color may change.')] }),
    changeClass: 'editorial',
    kinds: ['wording'],
  },
  {
    label: "a variant's own title changed clinically",
    before: content(SEED, { variants: [patient('Text.', { title: 'Doxorubicin' })] }),
    after: content(SEED, { variants: [patient('Text.', { title: 'Epirubicin' })] }),
    changeClass: 'clinical',
    kinds: ['drug'],
  },
];

describe('classifyChange (contract §15)', () => {
  it('has at least 40 labelled pairs', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES.map((c) => [c.label, c] as const))('%s', (_label, c) => {
    const significance = classifyChange(c.before, c.after);
    expect({ changeClass: significance.changeClass, kinds: significance.changes.map((x) => x.kind) }).toEqual({
      changeClass: c.changeClass,
      kinds: c.kinds,
    });
    for (const change of significance.changes) expect(CHANGE_KINDS).toContain(change.kind);
  });

  it('names what changed, before and after', () => {
    expect(classifyChange(content('Give 500 mg.'), content('Give 250 mg.')).changes).toEqual([
      { kind: 'quantity', before: '500 mg', after: '250 mg' },
    ]);
    expect(classifyChange(content('Take it orally.'), content('Take it by mouth.')).changes).toEqual([
      { kind: 'route', before: 'orally', after: 'by mouth' },
    ]);
    expect(
      classifyChange(content(SEED), content(SEED.replace('is recommended', 'is not recommended'))).changes,
    ).toEqual([{ kind: 'negation', before: 'is recommended', after: 'is not recommended' }]);
    expect(classifyChange(content('The colour.'), content('The color.')).changes).toEqual([
      { kind: 'wording', before: 'colour', after: 'color' },
    ]);
  });

  it("sets the audience on a variant's changes, and keeps the professional text's without one", () => {
    const before = content('Give 75 mg/m².', { variants: [patient('You get 75 mg/m².')] });
    const after = content('Give 60 mg/m².', { variants: [patient('You get 60 mg/m².')] });
    expect(classifyChange(before, after).changes).toEqual([
      { kind: 'quantity', before: '75 mg/m2', after: '60 mg/m2' },
      { kind: 'quantity', before: '75 mg/m2', after: '60 mg/m2', audience: 'patient' },
    ]);
  });

  it('a variant added or removed is clinical for what it says', () => {
    const added = classifyChange(content(SEED), content(SEED, { variants: [patient('You get 75 mg/m² IV.')] }));
    expect(added.changeClass).toBe('clinical');
    expect(added.changes.every((c) => c.audience === 'patient' && c.before === null)).toBe(true);
    expect(classifyChange(content(SEED, { variants: [patient('You get 75 mg/m².')] }), content(SEED)).changeClass).toBe(
      'clinical',
    );
  });

  it('a professional title change is not reported again for a variant that shows it', () => {
    const before = content(SEED, { title: 'Doxorubicin', variants: [patient('Text.')] });
    const after = content(SEED, { title: 'Epirubicin', variants: [patient('Text.')] });
    expect(classifyChange(before, after).changes).toEqual([
      { kind: 'drug', before: 'doxorubicin', after: 'epirubicin' },
    ]);
  });

  it('lists at most a handful of wording changes', () => {
    const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
    const significance = classifyChange(
      content(words.map((w) => `The ${w} part.`).join('\n\n')),
      content(words.map((w) => `The ${w}s part.`).join('\n\n')),
    );
    expect(significance.changeClass).toBe('editorial');
    expect(significance.changes).toHaveLength(5);
  });

  it('the sample article: a spelling fix is editorial, a first-line drug changed is clinical', () => {
    const original = content(
      [
        '## From the Guidelines',
        '',
        'Complete surgical removal with clear margins is the standard treatment for localised leiomyosarcoma [1].',
        'Radiotherapy may be added for large or high-grade tumours [1, 2].',
        '',
        '## From the Research',
        '',
        'Doxorubicin-based chemotherapy remains the first-line option for advanced disease [2-3].',
      ].join('\n'),
      { summary: 'Localised disease is treated with surgery; advanced disease with chemotherapy [1].' },
    );
    const spelling = { ...original, body: original.body.replace('localised', 'localized') };
    expect(classifyChange(original, spelling)).toEqual({
      changeClass: 'editorial',
      changes: [{ kind: 'wording', before: 'localised', after: 'localized' }],
    });
    const drug = { ...spelling, body: spelling.body.replace('Doxorubicin-based', 'Ifosfamide-based') };
    expect(classifyChange(spelling, drug)).toEqual({
      changeClass: 'clinical',
      changes: [{ kind: 'drug', before: 'doxorubicin', after: 'ifosfamide' }],
    });
  });

  it('does not take an ordinary word for a drug by its stem', () => {
    expect(classifyChange(content('Check cholesterol.'), content('Check blood pressure.')).changeClass).toBe(
      'editorial',
    );
    expect(classifyChange(content('In April.'), content('In May.')).changeClass).toBe('editorial');
  });
});

describe('describeChange', () => {
  it.each<[ContentChange, string]>([
    [{ kind: 'quantity', before: '75 mg/m²', after: '60 mg/m²' }, 'dose changed: 75 mg/m² → 60 mg/m²'],
    [{ kind: 'quantity', before: '6', after: '4' }, 'number changed: 6 → 4'],
    [{ kind: 'quantity', before: null, after: '5 mg' }, 'dose added: 5 mg'],
    [{ kind: 'drug', before: null, after: 'trabectedin' }, 'drug added: trabectedin'],
    [{ kind: 'drug', before: 'cisplatin', after: null }, 'drug removed: cisplatin'],
    [{ kind: 'route', before: 'orally', after: 'by mouth' }, 'route changed: orally → by mouth'],
    [{ kind: 'frequency', before: 'twice daily', after: 'once daily' }, 'frequency changed: twice daily → once daily'],
    [
      { kind: 'negation', before: 'is recommended', after: 'is not recommended' },
      'negation changed: is recommended → is not recommended',
    ],
    [
      { kind: 'reference', before: '[2] DOI: 10.1/a', after: '[2] DOI: 10.1/b' },
      'reference 2 DOI changed: 10.1/a → 10.1/b',
    ],
    [{ kind: 'reference', before: '[2] PMID: ', after: '[2] PMID: 123' }, 'reference 2 PMID added: 123'],
    [{ kind: 'reference', before: null, after: '[3] A trial' }, 'reference 3 added: A trial'],
    [{ kind: 'reference', before: '[3] A trial', after: null }, 'reference 3 removed: A trial'],
    [{ kind: 'reference', before: '[1]', after: '[2-3]' }, 'citation changed: [1] → [2-3]'],
    [
      { kind: 'wording', before: '[1] source: Ann Oncol', after: '[1] source: Annals' },
      'reference 1 source changed: Ann Oncol → Annals',
    ],
    [{ kind: 'wording', before: 'colour', after: 'color' }, 'wording: colour → color'],
    [{ kind: 'wording', before: null, after: 'Ask your team.' }, 'wording added: Ask your team.'],
    [{ kind: 'wording', before: null, after: null }, 'wording changed throughout'],
    [
      { kind: 'quantity', before: '75 mg/m2', after: '60 mg/m2', audience: 'patient' },
      'patient version: dose changed: 75 mg/m2 → 60 mg/m2',
    ],
  ])('%j', (change, words) => {
    expect(describeChange(change)).toBe(words);
  });

  it('describes every reason classifyChange gives', () => {
    for (const c of CASES) {
      for (const change of classifyChange(c.before, c.after).changes) expect(describeChange(change)).not.toBe('');
    }
  });
});
