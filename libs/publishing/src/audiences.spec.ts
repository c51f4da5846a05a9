import type { RevisionRecord } from '@imprimatur/domain';
import { audiencesOf, inAudience, isAudience, publicVariants } from './audiences';
import { PublishedDocument, servedEtag, withAudienceFields, withCurrentFields } from './document';

type VariantSource = Pick<RevisionRecord, 'title' | 'summary' | 'variants' | 'variantsHtml'>;

const revision = (overrides: Partial<VariantSource> = {}): VariantSource => ({
  title: 'Can leiomyosarcoma be treated?',
  summary: 'Surgery for localised disease [1].',
  // Written caregiver first: readers get them in AUDIENCES order.
  variants: [
    { audience: 'caregiver', title: null, summary: null, body: 'Help them get to appointments [1].' },
    {
      audience: 'patient',
      title: 'Can my cancer be treated?',
      summary: 'Most people have surgery [1].',
      body: 'An operation [1].',
    },
  ],
  variantsHtml: [
    { audience: 'caregiver', summaryHtml: '<p>Surgery for localised disease.</p>', bodyHtml: '<p>Help them.</p>' },
    { audience: 'patient', summaryHtml: '<p>Most people have surgery.</p>', bodyHtml: '<p>An operation.</p>' },
  ],
  ...overrides,
});

const document = (): PublishedDocument =>
  ({
    slug: 'can-leiomyosarcoma-be-treated',
    title: 'Can leiomyosarcoma be treated?',
    summary: 'Surgery for localised disease [1].',
    summaryHtml: '<p>Surgery for localised disease.</p>',
    body: 'Complete resection [1].',
    bodyHtml: '<p>Complete resection.</p>',
    audience: 'professional',
    audiences: ['professional', 'patient'],
    variants: publicVariants(revision()).filter((v) => v.audience === 'patient'),
    references: [{ n: 1 }],
    attestation: 'jws',
  }) as unknown as PublishedDocument;

describe('publicVariants', () => {
  it('gives each variant in AUDIENCES order, with the article’s title and summary where it has none, and its stored HTML', () => {
    expect(publicVariants(revision())).toEqual([
      {
        audience: 'patient',
        title: 'Can my cancer be treated?',
        summary: 'Most people have surgery [1].',
        summaryHtml: '<p>Most people have surgery.</p>',
        body: 'An operation [1].',
        bodyHtml: '<p>An operation.</p>',
      },
      {
        audience: 'caregiver',
        title: 'Can leiomyosarcoma be treated?',
        summary: 'Surgery for localised disease [1].',
        summaryHtml: '<p>Surgery for localised disease.</p>',
        body: 'Help them get to appointments [1].',
        bodyHtml: '<p>Help them.</p>',
      },
    ]);
    expect(audiencesOf(publicVariants(revision()))).toEqual(['professional', 'patient', 'caregiver']);
    expect(audiencesOf(publicVariants(revision({ variants: [], variantsHtml: [] })))).toEqual(['professional']);
  });

  it('refuses a revision whose variant has no stored HTML rather than publish something unsigned', () => {
    expect(() => publicVariants(revision({ variantsHtml: [] }))).toThrow(/no stored HTML for its patient variant/);
  });
});

describe('inAudience', () => {
  it('puts the variant’s text in the top-level fields and says whose it is; references and the variant list stay', () => {
    const view = inAudience(document(), 'patient');
    expect(view).toMatchObject({
      audience: 'patient',
      title: 'Can my cancer be treated?',
      summary: 'Most people have surgery [1].',
      summaryHtml: '<p>Most people have surgery.</p>',
      body: 'An operation [1].',
      bodyHtml: '<p>An operation.</p>',
      references: [{ n: 1 }],
      audiences: ['professional', 'patient'],
    });
    expect(view.variants).toEqual(document().variants);
  });

  it('falls back to the professional text for an audience the article lacks, and says so', () => {
    expect(inAudience(document(), 'caregiver')).toEqual(document());
    expect(inAudience(document(), 'professional')).toEqual(document());
  });
});

describe('isAudience', () => {
  it('knows the three audiences and nothing else', () => {
    expect(['professional', 'patient', 'caregiver'].every(isAudience)).toBe(true);
    for (const other of ['Patient', 'clinician', '', null, 1, ['patient']]) expect(isAudience(other)).toBe(false);
  });
});

describe('the shape of earlier versions', () => {
  it('gives versions from before attestations their fields, and the professional-only audience fields', () => {
    expect(withCurrentFields({ slug: 'a' })).toEqual({
      slug: 'a',
      signatures: [],
      attestation: null,
      audience: 'professional',
      audiences: ['professional'],
      variants: [],
    });
  });

  it('serves a version attested before audiences as it was signed, and adds the fields only to an ?audience= view', () => {
    const signed = { slug: 'a', signatures: [], attestation: 'jws' };
    expect(withCurrentFields(signed)).toEqual(signed);
    expect(withAudienceFields(signed)).toEqual({
      ...signed,
      audience: 'professional',
      audiences: ['professional'],
      variants: [],
    });
    const current = { ...signed, audience: 'professional', audiences: ['professional', 'patient'], variants: [] };
    expect(withCurrentFields(current)).toBe(current);
    expect(withAudienceFields(current)).toBe(current);
  });
});

describe('servedEtag', () => {
  it('changes with the audience asked for and with updateInReview, and is the version’s own without either', () => {
    const version = '"0123456789abcdef0123456789abcdef-2"';
    const tags = [
      servedEtag(version, null, false),
      servedEtag(version, null, true),
      servedEtag(version, 'professional', false),
      servedEtag(version, 'patient', false),
      servedEtag(version, 'patient', true),
      servedEtag(version, 'caregiver', false),
    ];
    expect(tags[0]).toBe(version);
    expect(new Set(tags).size).toBe(tags.length);
    expect(tags[4]).toBe('"0123456789abcdef0123456789abcdef-2-patient-in-review"');
  });
});
