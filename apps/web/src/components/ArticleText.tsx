import { Anchor, Badge, Group, List, Stack, Text, Title, Typography } from '@mantine/core';
import { useMemo, type Ref } from 'react';
import type { Reference } from '../api/types';
import { renderArticleHtml, sanitiseArticleHtml } from '../lib/render';

const TYPE_LABEL: Record<string, string> = { guideline: 'Guideline', research: 'Research', other: 'Other' };

/**
 * Article Markdown rendered exactly as readers get it (the shared renderer, sanitised by DOMPurify
 * with the server's allow-list), with citation links to the reference list below it (ids `${idPrefix}n`).
 */
export function MarkdownView({
  markdown,
  referenceCount,
  idPrefix,
  ref,
}: {
  markdown: string;
  referenceCount: number;
  idPrefix: string;
  ref?: Ref<HTMLDivElement>;
}) {
  const html = useMemo(
    () => renderArticleHtml(markdown, { referenceCount, idPrefix }),
    [markdown, referenceCount, idPrefix],
  );
  return (
    <Typography>
      {/* Sanitised by DOMPurify with the shared allow-list: no script, no handler, only http(s)/mailto/relative links. */}
      <div ref={ref} className="article-text" dangerouslySetInnerHTML={{ __html: html }} />
    </Typography>
  );
}

/**
 * A revision's stored HTML (`summaryHtml`, `bodyHtml`), rendered once by the server when the revision
 * was written: what reviewers sign and readers get, byte for byte. Its citations link to `#ref-n`, so
 * the reference list beside it uses the default id prefix.
 */
export function StoredHtmlView({ html, ref }: { html: string; ref?: Ref<HTMLDivElement> }) {
  const safe = useMemo(() => sanitiseArticleHtml(html), [html]);
  return (
    <Typography>
      {/* Sanitised on the server, and again here by DOMPurify with the same allow-list (a no-op for the server's output). */}
      <div ref={ref} className="article-text" dangerouslySetInnerHTML={{ __html: safe }} />
    </Typography>
  );
}

function referenceLinks(ref: Partial<Reference>) {
  const links: { label: string; href: string }[] = [];
  if (ref.url) links.push({ label: 'Link', href: ref.url });
  if (ref.doi) links.push({ label: `DOI ${ref.doi}`, href: `https://doi.org/${ref.doi}` });
  if (ref.pmid) links.push({ label: `PMID ${ref.pmid}`, href: `https://pubmed.ncbi.nlm.nih.gov/${ref.pmid}/` });
  return links.filter((l) => /^https?:\/\//i.test(l.href));
}

export function ReferenceSummary({ reference }: { reference: Partial<Reference> }) {
  return (
    <>
      {reference.type && (
        <Badge size="xs" variant="outline" mr={6}>
          {TYPE_LABEL[reference.type] ?? reference.type}
        </Badge>
      )}
      <Text span fw={500}>
        {reference.title || '(untitled)'}
      </Text>
      {(reference.source || reference.year) && (
        <Text span c="dimmed">
          {' '}
          — {[reference.source, reference.year].filter(Boolean).join(', ')}
        </Text>
      )}
      {referenceLinks(reference).map((link) => (
        <Anchor key={link.href} href={link.href} target="_blank" rel="noopener noreferrer" ml={8} size="sm">
          {link.label}
        </Anchor>
      ))}
    </>
  );
}

export function ReferenceList({
  references,
  idPrefix,
  headingOrder = 3,
}: {
  references: Partial<Reference>[];
  idPrefix: string;
  headingOrder?: 2 | 3 | 4;
}) {
  return (
    <Stack gap={4}>
      <Title order={headingOrder} size="h5">
        References
      </Title>
      {references.length === 0 ? (
        <Text c="dimmed" size="sm">
          None.
        </Text>
      ) : (
        <List type="ordered" spacing={4} size="sm">
          {references.map((reference, i) => (
            <List.Item key={i} id={`${idPrefix}${i + 1}`}>
              <Group gap={0} wrap="wrap" component="span">
                <ReferenceSummary reference={reference} />
              </Group>
            </List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}
