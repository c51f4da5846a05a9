import { Injectable } from '@nestjs/common';
import {
  EvidenceNotice,
  normaliseDoi,
  normalisePmid,
  notFound,
  upstreamUnavailable,
  validationFailed,
} from '@imprimatur/domain';
import { RegistryClient } from './registry-client';

/** What an editor gets to fill a reference from (contract §16). */
export interface ReferenceMetadata {
  title: string | null;
  source: string | null;
  year: number | null;
  doi: string | null;
  pmid: string | null;
  url: string | null;
  authors: string[];
  notices: EvidenceNotice[];
}

/** A reference's metadata from Crossref (by DOI) or PubMed (by PMID), for the editor's "Fill from DOI/PMID". */
@Injectable()
export class ReferenceLookup {
  constructor(private readonly registries: RegistryClient) {}

  async lookup(query: { doi?: string; pmid?: string }): Promise<ReferenceMetadata> {
    if ((query.doi === undefined) === (query.pmid === undefined)) {
      throw validationFailed('Give exactly one of doi and pmid');
    }
    let outcome;
    let what: string;
    if (query.doi !== undefined) {
      const doi = normaliseDoi(query.doi);
      if (doi === null) throw validationFailed('doi is not a DOI (10.NNNN/suffix)', { doi: query.doi });
      what = `DOI ${doi}`;
      outcome = await this.registries.crossref(doi);
    } else {
      const pmid = normalisePmid(query.pmid ?? '');
      if (pmid === null) throw validationFailed('pmid is not a PubMed id (digits)', { pmid: query.pmid });
      what = `PMID ${pmid}`;
      outcome = await this.registries.pubmed(pmid);
    }
    if (outcome.outcome === 'not_found') throw notFound(what);
    if (outcome.outcome === 'error') {
      throw upstreamUnavailable(
        `${outcome.registry === 'crossref' ? 'Crossref' : 'PubMed'} did not answer; try again later`,
        {
          registry: outcome.registry,
          code: outcome.code,
        },
      );
    }
    const { title, source, year, doi, pmid, url, authors, notices } = outcome.record;
    return { title, source, year, doi, pmid, url, authors, notices };
  }
}
