import { CompactSign, KeyLike } from 'jose';
import { jcsSha256 } from '@imprimatur/domain';
import type { PublicSignature, UnsignedDocument } from './document';

/**
 * Fields of the public document that its attestation does not cover: the attestation itself, and
 * `updateInReview` (contract §14), which changes without a new version.
 */
export const UNSIGNED_FIELDS: readonly string[] = ['attestation', 'updateInReview'];

/**
 * Explicit typing (RFC 8725 §3.11), so that an attestation cannot be taken for another kind of token
 * signed with the same key.
 */
export const ATTESTATION_TYPE = 'imprimatur-attestation+jwt';

/** The claims of a publication attestation, exactly as contract §12 lists them. */
export interface AttestationPayload {
  /** PUBLIC_BASE_URL. */
  iss: string;
  /** The article's slug. */
  sub: string;
  version: number;
  revision: number;
  contentHash: string;
  documentHash: string;
  signatures: PublicSignature[];
  /** Seconds since the epoch (a JWT NumericDate). */
  iat: number;
}

/**
 * The lowercase hex SHA-256 of the JCS (RFC 8785) canonical JSON of a public document without its
 * unsigned fields. JCS fixes key order and number and string forms, so the hash is the same over
 * the document as built here, as stored in jsonb (which reorders keys) and as a reader parses it.
 */
export function documentHash(document: object): string {
  return jcsSha256(Object.fromEntries(Object.entries(document).filter(([key]) => !UNSIGNED_FIELDS.includes(key))));
}

/** What a version's attestation says about it; `issuedAt` is the publication time. */
export function attestationPayload(document: UnsignedDocument, issuer: string, issuedAt: Date): AttestationPayload {
  return {
    iss: issuer,
    sub: document.slug,
    version: document.version,
    revision: document.revision,
    contentHash: document.contentHash,
    documentHash: documentHash(document),
    signatures: document.signatures,
    iat: Math.floor(issuedAt.getTime() / 1000),
  };
}

/** The attestation: a compact JWS (EdDSA over Ed25519) of the payload, naming its key by `kid`. */
export function signAttestation(
  payload: AttestationPayload,
  key: { kid: string; privateKey: KeyLike },
): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: ATTESTATION_TYPE })
    .sign(key.privateKey);
}
