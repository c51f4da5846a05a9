import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { AUDIENCES, type Audience } from '../../api/types';

const isAudience = (value: string | null): value is Audience =>
  (AUDIENCES as readonly (string | null)[]).includes(value);

/**
 * The editor's open audience tab, kept in the URL (`?audience=patient`) so that a reload, or a link,
 * opens the same tab; the professional text (no parameter) otherwise. Changing tab replaces the entry
 * rather than adding one, so that Back leaves the editor as before.
 */
export function useAudienceTab(): [Audience, (audience: Audience) => void] {
  const [params, setParams] = useSearchParams();
  const value = params.get('audience');
  const audience = isAudience(value) ? value : 'professional';
  const setAudience = useCallback(
    (next: Audience) =>
      setParams(
        (current) => {
          const updated = new URLSearchParams(current);
          if (next === 'professional') updated.delete('audience');
          else updated.set('audience', next);
          return updated;
        },
        { replace: true, preventScrollReset: true },
      ),
    [setParams],
  );
  return [audience, setAudience];
}
