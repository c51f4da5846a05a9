import { ActionIcon, Indicator } from '@mantine/core';
import { Link } from 'react-router';
import { useUnreadCount } from '../api/me';

/** The badge shows "99+" past this; the button's label still says the exact number. */
const BADGE_MAX = 99;

/** The header's way to the notifications screen, with how many are unread (polled, and asked again on focus). */
export function NotificationBell() {
  const unread = useUnreadCount();
  // Until the count has come (or when it cannot), the bell is still the way to the list; it just names no number.
  const count = unread.data ?? 0;
  const label = unread.data === undefined ? 'Notifications' : `Notifications, ${count} unread`;
  return (
    <Indicator
      label={count}
      maxValue={BADGE_MAX}
      disabled={count === 0}
      size={18}
      offset={4}
      color="red"
      // The button's label already says the number: the badge is for the eye only.
      attributes={{ indicator: { 'aria-hidden': true } }}
    >
      <ActionIcon component={Link} to="/notifications" variant="default" size="lg" aria-label={label}>
        <BellIcon />
      </ActionIcon>
    </Indicator>
  );
}

function BellIcon() {
  return (
    <svg
      aria-hidden
      focusable="false"
      width="18"
      height="18"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}
