import { Fragment } from 'react';
import { hunkRows, parseUnifiedDiff, type Hunk, type Segment } from '../lib/diff';

const Hidden = ({ children }: { children: string }) => <span className="visually-hidden">{children}</span>;

function Segments({ segments }: { segments: Segment[] }) {
  return (
    <>
      {segments.map((s, i) =>
        s.kind === 'same' ? (
          <Fragment key={i}>{s.text}</Fragment>
        ) : s.kind === 'added' ? (
          <ins key={i}>
            <Hidden>[inserted: </Hidden>
            {s.text}
            <Hidden>]</Hidden>
          </ins>
        ) : (
          <del key={i}>
            <Hidden>[deleted: </Hidden>
            {s.text}
            <Hidden>]</Hidden>
          </del>
        ),
      )}
    </>
  );
}

/**
 * A unified diff (as `GET /articles/:id/diff` returns it, read with jsdiff) shown line by line:
 * insertions in <ins>, deletions in <del>, each with words for screen readers, changed lines word by word.
 */
export function DiffView({ patch, label }: { patch: string; label: string }) {
  let hunks: Hunk[];
  try {
    hunks = parseUnifiedDiff(patch);
  } catch {
    // Not a patch jsdiff can read: the text itself is more use than an error.
    return (
      <pre className="diff" aria-label={label}>
        {patch}
      </pre>
    );
  }
  if (hunks.length === 0) return <p>No changes.</p>;
  return (
    <ol className="diff" aria-label={label}>
      {hunks.map((hunk, h) => (
        <Fragment key={h}>
          <li className="hunk">
            <Hidden>Changes from </Hidden>line {hunk.newStart}
          </li>
          {hunkRows(hunk).map((row, i) => {
            switch (row.kind) {
              case 'context':
                return <li key={`${h}-${i}`}>{row.text || '\u00a0'}</li>;
              case 'added':
                return (
                  <li key={`${h}-${i}`} className="row-added">
                    <ins>
                      <Hidden>[inserted line: </Hidden>
                      {row.text || '\u00a0'}
                      <Hidden>]</Hidden>
                    </ins>
                  </li>
                );
              case 'removed':
                return (
                  <li key={`${h}-${i}`} className="row-removed">
                    <del>
                      <Hidden>[deleted line: </Hidden>
                      {row.text || '\u00a0'}
                      <Hidden>]</Hidden>
                    </del>
                  </li>
                );
              case 'changed':
                return (
                  <li key={`${h}-${i}`} className="row-changed">
                    <Segments segments={row.segments} />
                  </li>
                );
            }
            return null;
          })}
        </Fragment>
      ))}
    </ol>
  );
}
