import { Affix, Button } from '@mantine/core';
import { useEffect, useState, type RefObject } from 'react';

/** Where the button stands: under the selection when the browser can say where it is, else at the foot of the screen. */
type Position = { top: number; left: number } | { bottom: number; right: number };

const BUTTON_WIDTH = 110;
const MARGIN = 8;

/** The selection's place on the screen, when it lies inside `container`; null when there is none there. */
function selectionPosition(container: HTMLElement): Position | null {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
  if (!selection.toString().trim()) return null;
  // jsdom and some older engines cannot measure a range.
  const rects = typeof range.getClientRects === 'function' ? range.getClientRects() : null;
  const last = rects && rects.length > 0 ? rects[rects.length - 1] : null;
  if (!last) return { bottom: 16, right: 16 };
  // Below the selection's last line, clear of the handles and of the system's own menu above it.
  const top = Math.min(last.bottom + MARGIN * 3, window.innerHeight - 48);
  const left = Math.max(MARGIN, Math.min(last.left, window.innerWidth - BUTTON_WIDTH - MARGIN));
  return { top, left };
}

/**
 * On phones (no hover, no right margin to spare): a "Comment" button beside the text selected
 * inside `container`, while there is a selection. Pressing it keeps the selection (the press does
 * not take the focus away from it) and calls `onComment`, which reads it.
 */
export function FloatingCommentButton({
  container,
  enabled,
  onComment,
}: {
  container: RefObject<HTMLElement | null>;
  enabled: boolean;
  onComment: () => void;
}) {
  const [position, setPosition] = useState<Position | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const update = () => setPosition(container.current ? selectionPosition(container.current) : null);
    document.addEventListener('selectionchange', update);
    window.addEventListener('scroll', update, { passive: true });
    return () => {
      document.removeEventListener('selectionchange', update);
      window.removeEventListener('scroll', update);
    };
  }, [container, enabled]);
  if (!enabled || !position) return null;
  return (
    <Affix position={position} zIndex={300}>
      <Button
        size="sm"
        radius="xl"
        w={BUTTON_WIDTH}
        // A press that took the focus would end the selection before the click could read it.
        onPointerDown={(e) => e.preventDefault()}
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => {
          onComment();
          setPosition(null);
        }}
        aria-label="Comment on the selected text"
      >
        Comment
      </Button>
    </Affix>
  );
}
