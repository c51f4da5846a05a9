/** A paper's metadata from the scholarly registries (contract §16), for filling a reference in the editor. */
import { useMutation } from '@tanstack/react-query';
import { api } from './client';
import type { ReferenceLookup } from './types';

/** The identifier to look up: Crossref knows DOIs, PubMed PMIDs. */
export interface PaperIdentifier {
  kind: 'doi' | 'pmid';
  value: string;
}

/** `GET /references/lookup?doi=` (or `?pmid=`): 404 when the registry does not know it, 502 when it did not answer. */
export function lookupReference({ kind, value }: PaperIdentifier, signal?: AbortSignal): Promise<ReferenceLookup> {
  return api<ReferenceLookup>('/references/lookup', { query: { [kind]: value.trim() }, signal });
}

/**
 * A lookup started by a click, as a mutation: each reference row keeps its own pending, error and answer.
 * Nothing is cached here; the API answers repeated lookups from its shared registry cache.
 */
export function useReferenceLookup() {
  return useMutation({ mutationFn: (identifier: PaperIdentifier) => lookupReference(identifier) });
}
