import { Anchor, Badge, Stack, Table, Text } from '@mantine/core';
import { describeNotice, evidenceTargets, type EvidenceTarget } from '@imprimatur/domain/evidence/verdict';
import type { CheckResult, EvidenceResult, EvidenceStatus, MismatchField, Reference } from '../api/types';
import { comparedRegistry, noticeUrl, REGISTRY } from '../lib/evidence';
import { formatDateTime } from '../lib/format';
import { CheckBadge } from './badges';

type Shown = EvidenceStatus | 'pending';
const EVIDENCE_COLOR: Record<Shown, string> = {
  verified: 'green',
  mismatch: 'yellow',
  retracted: 'red',
  concern: 'yellow',
  corrected: 'yellow',
  unverified: 'yellow',
  error: 'yellow',
  pending: 'gray',
};
const PENDING_WORDS = 'pending — not checked yet';
const FIELD_WORDS: Record<MismatchField, string> = { title: 'title', source: 'journal', year: 'year' };

interface EvidenceRow {
  target: EvidenceTarget;
  result: EvidenceResult | null;
}

/**
 * Every reference the check looks up (those with a DOI or PMID, chosen as the check chooses them), with its
 * result when there is one: a reference without a result is pending, never verified.
 */
export function evidenceRows(references: readonly Reference[], results: readonly EvidenceResult[]): EvidenceRow[] {
  return evidenceTargets(references).map((target) => ({
    target,
    result: results.find((r) => r.n === target.n) ?? null,
  }));
}

/** "Crossref does not know this DOI", or both registries and identifiers when the reference gives both. */
function unknownWords({ doi, pmid }: EvidenceTarget): string {
  if (doi !== null && pmid !== null) return 'Crossref or PubMed does not know its DOI or PMID: check both.';
  const { name, identifier } = REGISTRY[doi !== null ? 'doi' : 'pmid'];
  return `${name} does not know this ${identifier}: check it.`;
}

/** What a result means, in a sentence beside its badge. */
function ResultWords({ row }: { row: EvidenceRow }) {
  const { result } = row;
  if (!result) return null;
  switch (result.status) {
    case 'verified':
      return <Text size="xs">Title, journal and year match {comparedRegistry(result)}.</Text>;
    case 'mismatch': {
      const fields = (result.fields ?? []).map((f) => FIELD_WORDS[f]);
      return (
        <Text size="xs">
          {fields.join(', ')} {fields.length === 1 ? 'differs' : 'differ'} from {comparedRegistry(result)}
        </Text>
      );
    }
    case 'retracted':
    case 'concern':
    case 'corrected': {
      if (!result.notice) return null;
      const url = noticeUrl(result.notice);
      return (
        <Text size="xs">
          {describeNotice(result.notice)}
          {url && (
            <>
              {' '}
              <Anchor href={url} target="_blank" rel="noopener noreferrer" size="xs">
                Read the notice
              </Anchor>
            </>
          )}
        </Text>
      );
    }
    case 'unverified':
      return <Text size="xs">{unknownWords(row.target)}</Text>;
    case 'error':
      return (
        <Text size="xs">
          The registry could not be asked ({result.code ?? 'unknown error'}): run the checks again later.
        </Text>
      );
  }
}

const identifiers = ({ doi, pmid }: EvidenceTarget) =>
  [doi !== null ? `DOI ${doi}` : null, pmid !== null ? `PMID ${pmid}` : null].filter((id) => id !== null).join(' · ');

/**
 * The cited papers as Crossref and PubMed know them (contract §16): a retracted paper fails the check and
 * blocks approval; a mismatch, a notice of concern or correction, an unknown identifier or a registry that
 * did not answer is a warning.
 */
export function EvidenceCheck({ check, references }: { check: CheckResult; references: readonly Reference[] }) {
  const pending = check.status === 'pending';
  // While the check is pending, any earlier result is not this run's: every reference shows pending.
  const rows = evidenceRows(
    references,
    pending || !Array.isArray(check.details.references) ? [] : (check.details.references as EvidenceResult[]),
  );
  return (
    <Stack gap={4}>
      <CheckBadge name="evidence" status={check.status} />
      {check.status === 'failed' && (
        <Text size="sm" c="red.9" fw={600}>
          This blocks approval, as failed citations and links do: a retracted, withdrawn or removed paper cannot be
          cited. Replace the reference or remove it.
        </Text>
      )}
      {rows.length === 0 ? (
        <Text size="sm">No reference has a DOI or PMID to check.</Text>
      ) : (
        <Table.ScrollContainer minWidth={300}>
          <Table striped withTableBorder fz="sm">
            <Table.Caption>Every reference with a DOI or PMID, as Crossref and PubMed know it</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Ref.</Table.Th>
                <Table.Th scope="col">Identifier</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => {
                const status: Shown = row.result?.status ?? 'pending';
                return (
                  <Table.Tr key={row.target.n}>
                    <Table.Td>{row.target.n}</Table.Td>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>{identifiers(row.target)}</Table.Td>
                    <Table.Td>
                      <Badge
                        color={EVIDENCE_COLOR[status]}
                        variant={status === 'pending' ? 'outline' : 'light'}
                        size="sm"
                      >
                        {status === 'pending' ? PENDING_WORDS : status}
                      </Badge>
                      <ResultWords row={row} />
                      {row.result?.checkedAt ? (
                        <Text size="xs">checked {formatDateTime(row.result.checkedAt)}</Text>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {check.status === 'warning' && (
        <Text size="xs" c="dimmed">
          An evidence warning does not block approval: compare each flagged reference with the registry&apos;s record.
        </Text>
      )}
    </Stack>
  );
}
