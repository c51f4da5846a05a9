import { Grid } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { articleQueries } from '../api/articles';
import type { Article } from '../api/types';
import { EditorComments, EditorCommentsProvider } from '../components/EditorComments';
import { ErrorState, Loading } from '../components/states';
import { usePageTitle } from '../lib/usePageTitle';
import { EditorForm } from './editor/EditorForm';

/** `/articles/new`: the first revision of a new article. */
export function NewArticle() {
  usePageTitle('New article');
  const navigate = useNavigate();
  // The open audience tab (?audience=) stays open in the new article's editor.
  const { search } = useLocation();
  return (
    <EditorForm
      loaded={null}
      onSaved={({ article }) =>
        void navigate(
          { pathname: `/articles/${article.id}/edit`, search },
          { state: { notice: `Created “${article.title}” as revision 1.` } },
        )
      }
    />
  );
}

/** `/articles/:id/edit`: a new revision on the revision this screen was opened on (its base). */
export function EditArticle() {
  const { id = '' } = useParams();
  const article = useQuery(articleQueries.detail(id));
  usePageTitle(article.data ? `Edit: ${article.data.title}` : 'Edit article');
  if (article.isError) return <ErrorState error={article.error} onRetry={() => void article.refetch()} />;
  if (!article.data) return <Loading label="Loading the article…" />;
  const reload = async () => (await article.refetch()).data;
  return <RevisionEditor key={id} article={article.data} reload={reload} />;
}

/** Wide enough (Mantine's xl) for the comments' margin beside the form's two columns (the fields and the preview). */
const WIDE = '(min-width: 88em)';

/**
 * The base is the article's current revision when the screen opened; it stays put while the user
 * types, even if a refetch shows that someone else saved meanwhile. The article's comment threads,
 * placed on the base, stand in a margin beside the form on wide screens, under the text on others.
 */
function RevisionEditor({ article, reload }: { article: Article; reload: () => Promise<Article | undefined> }) {
  const [base, setBase] = useState(article.currentRevision);
  const location = useLocation();
  const [notice, setNotice] = useState<string | null>(
    () => (location.state as { notice?: string } | null)?.notice ?? null,
  );
  const revision = useQuery(articleQueries.revision(article.id, base));
  const wide = useMediaQuery(WIDE, false, { getInitialValueInEffect: false }) ?? false;

  if (revision.isError) return <ErrorState error={revision.error} onRetry={() => void revision.refetch()} />;
  if (!revision.data) return <Loading label="Loading the article…" />;

  return (
    <EditorCommentsProvider article={article} revision={base} wide={wide}>
      {/* One tree whatever the width, so that crossing the breakpoint never remounts the form (and its draft). */}
      <Grid gap="lg">
        <Grid.Col span={wide ? 9 : 12}>
          <EditorForm
            key={base}
            loaded={{ article, revision: revision.data }}
            notice={notice}
            onReload={() => {
              setNotice(null);
              void reload().then((fresh) => fresh && setBase(fresh.currentRevision));
            }}
            onSaved={({ article: before, revision: saved, submitted }) => {
              setNotice(
                saved
                  ? submitted
                    ? before.reviewers.length === 0
                      ? `Saved as revision ${saved.number}. Submitted — an admin will assign reviewers.`
                      : `Saved as revision ${saved.number} and submitted for review.`
                    : `Saved as revision ${saved.number}.`
                  : null,
              );
              if (saved) setBase(saved.number);
            }}
          />
        </Grid.Col>
        {wide && (
          <Grid.Col span={3}>
            <EditorComments where="beside" />
          </Grid.Col>
        )}
      </Grid>
    </EditorCommentsProvider>
  );
}
