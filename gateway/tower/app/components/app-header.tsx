import type { FeedStatus } from '../api/live-feed.ts';
import { useTower } from '../state/tower-context.ts';
import { FeedStatusBadge } from './feed-status.tsx';

/** Title, who is signed in (class, vendor), whether updates are live, and sign-out. */
export function AppHeader({ status, onSignOut }: { status?: FeedStatus; onSignOut(): void }) {
  const { session, permissions } = useTower();
  return (
    <header class="app-header">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <h1>Promotion control tower</h1>
      <FeedStatusBadge status={status} allowed={permissions.events} />
      <p class="who">
        Signed in as <strong>{session.subject}</strong> ({session.tokenClass}
        {session.vendorId ? `, vendor ${session.vendorId}` : ''})
        {!permissions.internal && <span class="read-note"> · only your vendor's promotions</span>}
      </p>
      <button type="button" class="secondary" onClick={onSignOut}>
        Sign out
      </button>
    </header>
  );
}
