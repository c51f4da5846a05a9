import { Code, List, Text } from '@mantine/core';
import type { SignatureMeaning, Signoff } from '../api/types';
import { formatDateTime, shortHash } from '../lib/format';

/** A content hash as people compare it: its first digits, with the whole hash as the title and the accessible description. */
export function ContentHash({ hash }: { hash: string }) {
  return (
    <Code title={hash} aria-description={`Content hash ${hash}`}>
      {shortHash(hash)}
    </Code>
  );
}

/** What a signature means (21 CFR Part 11 §11.50), as the start of a sentence naming the signer. */
export const MEANING_WORDS: Record<SignatureMeaning, string> = {
  approval: 'Approved by',
  changes_requested: 'Changes requested by',
};

export const signerName = (reviewer: Signoff['reviewer']) =>
  `${reviewer.name}${reviewer.credentials ? `, ${reviewer.credentials}` : ''}`;

/**
 * Sign-offs as their signature manifestations: the printed name and credentials as they were at
 * signing, the meaning, the date and time, and the revision and content hash that were signed.
 */
export function SignatureList({ signoffs }: { signoffs: Signoff[] }) {
  return (
    <List size="sm" spacing={4} aria-label="Signatures">
      {signoffs.map((s) => (
        <List.Item key={s.id}>
          <Text span size="sm" fw={500}>
            {MEANING_WORDS[s.meaning]} {signerName(s.reviewer)}
          </Text>
          , on <time dateTime={s.signedAt}>{formatDateTime(s.signedAt)}</time> · revision {s.revision}, content{' '}
          <ContentHash hash={s.contentHash} />
          {s.note && (
            <Text span size="sm" c="dimmed">
              {' '}
              — “{s.note}”
            </Text>
          )}
        </List.Item>
      ))}
    </List>
  );
}
