import type { Reference } from '@imprimatur/domain';

export type LinkKind = 'url' | 'doi' | 'pmid';

export interface LinkTarget {
  /** The reference's number (reference n is references[n-1]). */
  n: number;
  kind: LinkKind;
  url: string;
}

export interface Resolvers {
  doi: string;
  pubmed: string;
}

const base = (url: string) => url.replace(/\/+$/, '');

/** Every link a revision's references make: its url, its DOI through the resolver, its PMID through PubMed. */
export function linkTargets(references: readonly Reference[], resolvers: Resolvers): LinkTarget[] {
  return references.flatMap((ref, i) => {
    const n = i + 1;
    const targets: LinkTarget[] = [];
    if (ref.url) targets.push({ n, kind: 'url', url: ref.url });
    // A DOI may hold characters that are special in URLs ('#', '?', '<'); escape each segment.
    if (ref.doi)
      targets.push({
        n,
        kind: 'doi',
        url: `${base(resolvers.doi)}/${ref.doi.split('/').map(encodeURIComponent).join('/')}`,
      });
    if (ref.pmid) targets.push({ n, kind: 'pmid', url: `${base(resolvers.pubmed)}/${encodeURIComponent(ref.pmid)}/` });
    return targets;
  });
}
