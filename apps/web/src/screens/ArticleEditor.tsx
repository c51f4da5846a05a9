import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { articleQueries } from '../api/articles';
import type { Article } from '../api/types';
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

/** The base is the article's current revision when the screen opened; it stays put while the user types, even if a refetch shows that someone else saved meanwhile. */
function RevisionEditor({ article, reload }: { article: Article; reload: () => Promise<Article | undefined> }) {
  const [base, setBase] = useState(article.currentRevision);
  const location = useLocation();
  const [notice, setNotice] = useState<string | null>(
    () => (location.state as { notice?: string } | null)?.notice ?? null,
  );
  const revision = useQuery(articleQueries.revision(article.id, base));

  if (revision.isError) return <ErrorState error={revision.error} onRetry={() => void revision.refetch()} />;
  if (!revision.data) return <Loading label="Loading the article…" />;

  return (
    <EditorForm
      key={base}
      loaded={{ article, revision: revision.data }}
      notice={notice}
      onReload={() => {
        setNotice(null);
        void reload().then((fresh) => fresh && setBase(fresh.currentRevision));
      }}
      onSaved={({ revision: saved, submitted }) => {
        setNotice(
          saved
            ? submitted
              ? `Saved as revision ${saved.number} and submitted for review.`
              : `Saved as revision ${saved.number}.`
            : null,
        );
        if (saved) setBase(saved.number);
      }}
    />
  );
}
