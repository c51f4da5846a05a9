import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import {
  calculateJwkThumbprint,
  compactVerify,
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
} from 'jose';
import { ATTESTATION_TYPE, attestationPayload, documentHash, signAttestation } from './attestation';
import type { PublishedDocument, UnsignedDocument } from './document';

const HASH = 'a'.repeat(64);

/** A document in the shape publishing writes; every value is JSON (strings, numbers, null, arrays). */
const unsigned = (): UnsignedDocument => ({
  slug: 'can-leiomyosarcoma-be-treated',
  title: 'Can leiomyosarcoma be treated?',
  version: 2,
  revision: 3,
  summary: 'Localised disease is treated with surgery [1].',
  summaryHtml: '<p>Localised disease is treated with surgery <sup class="citation"><a href="#ref-1">1</a></sup>.</p>',
  body: '## From the Guidelines\n\nSurgery with clear margins [1].',
  bodyHtml: '<h2 id="from-the-guidelines">From the Guidelines</h2>\n<p>Surgery with clear margins.</p>\n',
  audience: 'professional',
  audiences: ['professional', 'patient'],
  significance: 'editorial',
  changeSummary: 'Spelling.',
  variants: [
    {
      audience: 'patient',
      title: 'Can my leiomyosarcoma be treated?',
      summary: 'Most people have an operation [1].',
      summaryHtml: '<p>Most people have an operation <sup class="citation">[<a href="#ref-1">1</a>]</sup>.</p>',
      body: '## What the guidelines say\n\nAn operation to remove the tumour [1].',
      bodyHtml:
        '<h2 id="what-the-guidelines-say">What the guidelines say</h2>\n<p>An operation to remove the tumour.</p>',
    },
  ],
  references: [
    {
      n: 1,
      type: 'guideline',
      title: 'Soft tissue sarcoma: clinical practice guideline',
      source: 'Annals of Oncology',
      year: 2021,
      url: null,
      doi: '10.1016/j.annonc.2021.07.002',
      pmid: null,
      doiUrl: 'https://doi.org/10.1016/j.annonc.2021.07.002',
      pubmedUrl: null,
    },
  ],
  specialties: ['oncology'],
  reviewStatus: 'approved',
  reviewedBy: [{ name: 'Dr Ada Lovelace', credentials: 'MD' }],
  approvedAt: '2026-11-28T10:00:00.000Z',
  publishedAt: '2026-11-28T10:00:05.000Z',
  lastUpdated: '2026-11-28',
  lastReviewed: '2026-11-28',
  nextReviewDue: '2027-11-28',
  contentHash: HASH,
  signatures: [
    {
      name: 'Dr Ada Lovelace',
      credentials: 'MD',
      meaning: 'approval',
      signedAt: '2026-11-28T09:00:00.000Z',
      contentHash: HASH,
    },
    {
      name: 'Dr Grace Hopper',
      credentials: null,
      meaning: 'approval',
      signedAt: '2026-11-28T09:30:00.000Z',
      contentHash: HASH,
    },
  ],
});

/** The same object with its keys (and its nested objects' keys) in reverse order. */
const reversed = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(reversed);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversed(v)]),
    );
  return value;
};

describe('documentHash', () => {
  it('is the hex SHA-256 of the JCS canonical JSON of the document', () => {
    const doc = unsigned();
    const expected = createHash('sha256').update(canonicalize(doc)!, 'utf8').digest('hex');
    expect(documentHash(doc)).toBe(expected);
    expect(documentHash(doc)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on key order (jsonb stores keys in an order of its own)', () => {
    expect(documentHash(reversed(unsigned()) as object)).toBe(documentHash(unsigned()));
    // As stored and read back: JSON text through a parser.
    expect(documentHash(JSON.parse(JSON.stringify(unsigned())) as object)).toBe(documentHash(unsigned()));
  });

  it('leaves out the attestation and updateInReview, and nothing else', () => {
    const doc = unsigned();
    const signed: PublishedDocument = { ...doc, attestation: 'eyJhbGciOiJFZERTQSJ9.e30.sig' };
    expect(documentHash(signed)).toBe(documentHash(doc));
    expect(documentHash({ ...signed, attestation: null })).toBe(documentHash(doc));
    expect(documentHash({ ...doc, updateInReview: true })).toBe(documentHash(doc));
    expect(documentHash({ ...doc, updateInReview: { revision: 4 } })).toBe(documentHash(doc));
    expect(documentHash({ ...doc, extra: null })).not.toBe(documentHash(doc));
  });

  it('changes when any one character of the document changes', () => {
    const base = documentHash(unsigned());
    const text = JSON.stringify(unsigned());
    // Every string value's first character, changed one at a time (keys too: a renamed field is a change).
    const changed = new Set<string>();
    for (let i = 0; i < text.length; i++) {
      if (text[i] !== '"' || text[i + 1] === '"' || text[i - 1] === '\\') continue;
      const replacement = text[i + 1] === 'x' ? 'y' : 'x';
      const tampered = `${text.slice(0, i + 1)}${replacement}${text.slice(i + 2)}`;
      let parsed: object;
      try {
        parsed = JSON.parse(tampered) as object;
      } catch {
        continue;
      }
      changed.add(documentHash(parsed));
    }
    expect(changed.size).toBeGreaterThan(50);
    expect(changed.has(base)).toBe(false);
    const html = unsigned();
    html.bodyHtml = html.bodyHtml.replace('clear', 'cleat');
    expect(documentHash(html)).not.toBe(base);
    const number = unsigned();
    number.references[0].year = 2022;
    expect(documentHash(number)).not.toBe(base);
    // The audience variants are signed with the rest (contract §13).
    const variant = unsigned();
    variant.variants[0].bodyHtml = variant.variants[0].bodyHtml.replace('remove', 'remova');
    expect(documentHash(variant)).not.toBe(base);
    expect(documentHash({ ...unsigned(), audiences: ['professional'] })).not.toBe(base);
  });

  it('refuses values that have no JSON form rather than hashing something else', () => {
    expect(() => documentHash({ ...unsigned(), version: Number.NaN })).toThrow();
  });
});

describe('attestationPayload', () => {
  it('says exactly what contract §12 lists, from the document', () => {
    const doc = unsigned();
    const payload = attestationPayload(doc, 'https://medical.example', new Date('2026-11-28T10:00:05.900Z'));
    expect(payload).toEqual({
      iss: 'https://medical.example',
      sub: 'can-leiomyosarcoma-be-treated',
      version: 2,
      revision: 3,
      contentHash: HASH,
      documentHash: documentHash(doc),
      signatures: doc.signatures,
      iat: Math.floor(Date.parse('2026-11-28T10:00:05Z') / 1000),
    });
    expect(Object.keys(payload).sort()).toEqual(
      ['contentHash', 'documentHash', 'iat', 'iss', 'revision', 'signatures', 'sub', 'version'].sort(),
    );
  });
});

describe('signAttestation', () => {
  it('gives a compact JWS that verifies with the public key by its kid, and fails with another key', async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk, 'sha256');
    const payload = attestationPayload(unsigned(), 'https://medical.example', new Date());
    const jws = await signAttestation(payload, { kid, privateKey });

    expect(jws.split('.')).toHaveLength(3);
    expect(decodeProtectedHeader(jws)).toEqual({ alg: 'EdDSA', kid, typ: ATTESTATION_TYPE });
    const jwks = createLocalJWKSet({ keys: [{ ...jwk, kid, alg: 'EdDSA', use: 'sig' }] });
    const verified = await compactVerify(jws, jwks);
    expect(JSON.parse(new TextDecoder().decode(verified.payload))).toEqual(payload);

    const other = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const otherJwk = await exportJWK(other.publicKey);
    await expect(compactVerify(jws, createLocalJWKSet({ keys: [{ ...otherJwk, kid }] }))).rejects.toThrow();
  });
});
