import { Paper } from '@mantine/core';
import { createContext, useContext, useMemo, useRef, type ReactNode } from 'react';
import type { Anchor, Article, Comment } from '../api/types';
import { useUsers } from '../api/users';
import { hasRole, useUser } from '../auth/session';
import { CommentsPanel, participantNames } from './CommentsPanel';

/** Selects a passage of the draft's body: its offsets in the base revision and its anchor (for when the draft moved it). False when it is no longer there. */
export type JumpToPassage = (passage: { start: number; end: number; anchor: Anchor }) => boolean;

interface EditorCommentsValue {
  article: Article;
  /** The revision the editor is based on: the comments are placed on it (contract §19). */
  revision: number;
  /** Wide screens: the margin stands beside the form; else the fields show it under the text. */
  wide: boolean;
  /** The fields, which hold the body's text area, say how to select a passage in it (null: no longer). */
  registerJump: (jump: JumpToPassage | null) => void;
  jumpTo: JumpToPassage;
}

const EditorCommentsContext = createContext<EditorCommentsValue | null>(null);

/** The editor of an existing article: its comment threads, and a way for them to reach the body's text area. */
export function EditorCommentsProvider({
  article,
  revision,
  wide,
  children,
}: {
  article: Article;
  revision: number;
  wide: boolean;
  children: ReactNode;
}) {
  const jump = useRef<JumpToPassage | null>(null);
  const value = useMemo(
    () => ({
      article,
      revision,
      wide,
      registerJump: (fn: JumpToPassage | null) => {
        jump.current = fn;
      },
      jumpTo: ((passage) => jump.current?.(passage) ?? false) satisfies JumpToPassage,
    }),
    [article, revision, wide],
  );
  return <EditorCommentsContext.Provider value={value}>{children}</EditorCommentsContext.Provider>;
}

/** The editor's comments, when there is an article to comment on (not for a new one). */
export const useEditorComments = () => useContext(EditorCommentsContext);

/**
 * The editor's margin (contract §19: "the editors of the article see and reply to every comment"):
 * every thread, placed on the base revision, with a reply box, Resolve where the user may, and
 * "Jump to passage", which selects the quoted text in the body. Outdated ones are listed apart.
 */
export function EditorComments({ where }: { where: 'beside' | 'below' }) {
  const context = useEditorComments();
  const me = useUser();
  const users = useUsers({ enabled: hasRole(me, 'admin') });
  if (!context || context.wide !== (where === 'beside')) return null;
  const { article, revision, jumpTo } = context;
  const onJump = (comment: Comment) => {
    const placement = comment.placement;
    if (!comment.anchor || placement?.status !== 'anchored') return false;
    if (placement.start === null || placement.end === null) return false;
    return jumpTo({ start: placement.start, end: placement.end, anchor: comment.anchor });
  };
  return (
    // Not a landmark of its own: the panel inside is the region, named after the revision.
    <Paper withBorder p="md" className={where === 'beside' ? 'sticky-panel' : undefined}>
      <CommentsPanel
        article={article}
        revision={revision}
        nameOf={participantNames(article, me, users.data)}
        canAct={article.state !== 'archived'}
        me={me}
        onJump={onJump}
        title={`Comments on revision ${revision}`}
      />
    </Paper>
  );
}
