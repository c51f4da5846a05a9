import type { Task } from '../api/types';

/** Where the browser router is mounted: every screen's URL starts with it. */
export const APP_BASE = '/app';

/**
 * A path the API gives under the app's base (a notification's `path`, e.g. `/app/articles/…/review`)
 * as the router knows it (`/articles/…/review`), or null when it leads outside the app.
 */
export function inAppPath(path: string): string | null {
  if (path === APP_BASE) return '/';
  return path.startsWith(`${APP_BASE}/`) ? path.slice(APP_BASE.length) : null;
}

/**
 * The screen where a task is done. A re-review is reviewed in the workspace, except that an admin is
 * the one who opens it, from the overview.
 */
export function taskPath(task: Pick<Task, 'kind' | 'articleId'>, { admin }: { admin: boolean }): string {
  const article = `/articles/${encodeURIComponent(task.articleId)}`;
  switch (task.kind) {
    case 'review':
      return `${article}/review`;
    case 'revise':
      return `${article}/edit`;
    case 'assign':
      return article;
    case 're_review':
      return admin ? article : `${article}/review`;
  }
}
