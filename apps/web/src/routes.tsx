import { Anchor, Stack, Text, Title } from '@mantine/core';
import { Navigate, useRouteError, type RouteObject } from 'react-router';
import { errorMessage } from './api/client';
import { homeFor, useUser } from './auth/session';
import { Layout } from './components/Layout';
import { RequireAuth, RequireRole } from './components/RequireAuth';
import { AdminArticles } from './screens/admin/AdminArticles';
import { Audit } from './screens/admin/Audit';
import { EditorialPolicy } from './screens/admin/EditorialPolicy';
import { Users } from './screens/admin/Users';
import { WebhookDeliveries, Webhooks } from './screens/admin/Webhooks';
import { EditArticle, NewArticle } from './screens/ArticleEditor';
import { ArticleOverview } from './screens/ArticleOverview';
import { Compare } from './screens/Compare';
import { Desk } from './screens/Desk';
import { NotFound } from './screens/NotFound';
import { Notifications } from './screens/Notifications';
import { Preferences } from './screens/Preferences';
import { ReviewerQueue } from './screens/ReviewerQueue';
import { ReviewWorkspace } from './screens/ReviewWorkspace';
import { SignIn } from './screens/SignIn';
import { Timeline } from './screens/Timeline';

function Home() {
  return <Navigate to={homeFor(useUser())} replace />;
}

/** A screen that crashed: say so in words, with a way back, instead of a blank page. */
function ScreenError() {
  const error = useRouteError();
  return (
    <Stack p="md" role="alert">
      <Title order={1}>This screen failed</Title>
      <Text>{errorMessage(error)}</Text>
      <Anchor href="/app/">Back to the start page</Anchor>
    </Stack>
  );
}

const editor = (element: React.ReactNode) => <RequireRole roles={['editor']}>{element}</RequireRole>;
const reviewer = (element: React.ReactNode) => <RequireRole roles={['reviewer']}>{element}</RequireRole>;
const admin = (element: React.ReactNode) => <RequireRole roles={['admin']}>{element}</RequireRole>;

/** Every screen has its own URL under /app/ (the router's basename). */
export const routes: RouteObject[] = [
  { path: '/sign-in', element: <SignIn />, errorElement: <ScreenError /> },
  {
    element: (
      <RequireAuth>
        <Layout />
      </RequireAuth>
    ),
    errorElement: <ScreenError />,
    children: [
      {
        errorElement: <ScreenError />,
        children: [
          { index: true, element: <Home /> },
          { path: 'desk', element: editor(<Desk />) },
          { path: 'articles/new', element: editor(<NewArticle />) },
          { path: 'articles/:id', element: <ArticleOverview /> },
          { path: 'articles/:id/edit', element: editor(<EditArticle />) },
          { path: 'articles/:id/review', element: <ReviewWorkspace /> },
          { path: 'articles/:id/compare', element: <Compare /> },
          { path: 'articles/:id/timeline', element: <Timeline /> },
          { path: 'reviews', element: reviewer(<ReviewerQueue />) },
          { path: 'notifications', element: <Notifications /> },
          { path: 'preferences', element: <Preferences /> },
          { path: 'admin/articles', element: admin(<AdminArticles />) },
          { path: 'admin/users', element: admin(<Users />) },
          { path: 'admin/webhooks', element: admin(<Webhooks />) },
          { path: 'admin/webhooks/:id', element: admin(<WebhookDeliveries />) },
          { path: 'admin/audit', element: admin(<Audit />) },
          { path: 'admin/editorial-policy', element: admin(<EditorialPolicy />) },
          { path: '*', element: <NotFound /> },
        ],
      },
    ],
  },
];
