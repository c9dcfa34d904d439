import { useEffect, useState } from 'preact/hooks';
import { startLiveFeed, type FeedStatus } from '../api/live-feed.ts';
import { promotionEvents } from '../api/operations.ts';
import type { PromotionEvent } from '../api/types.ts';
import { connectWs } from '../api/ws-transport.ts';
import type { Tower } from './tower-context.ts';

export type LiveFeedState = {
  status: FeedStatus | undefined;
  /** The feed has been live at least once (from then on, no change is lost: `after` resumes). */
  wasLive: boolean;
  /**
   * Bumped whenever a subscription without `after` goes live (the first one, or one after
   * CURSOR_EXPIRED): what the page shows must be re-read once, since it starts from now.
   */
  freshStarts: number;
};

/**
 * The promotion state-change subscription for the whole page while signed in: every event goes
 * into the store; reconnects resume from the last cursor. Partners get their own vendor's
 * events only (the gateway pins the filter). Without `events:subscribe`, no feed.
 */
export function useLiveFeed({ session, permissions, store }: Tower): LiveFeedState {
  const [status, setStatus] = useState<FeedStatus | undefined>(undefined);
  const [wasLive, setWasLive] = useState(false);
  const [freshStarts, setFreshStarts] = useState(0);
  useEffect(() => {
    if (!permissions.events) return undefined;
    const ws = connectWs(session.token);
    const feed = startLiveFeed<PromotionEvent>({
      subscribe: ws.transport(promotionEvents, {}),
      cursorOf: (event) => event.cursor,
      onEvent: (event) => store.applyEvent(event),
      onFresh: () => setFreshStarts((n) => n + 1),
      onStatus: (next) => {
        setStatus(next);
        if (next.state === 'live') setWasLive(true);
      },
    });
    return () => {
      feed.stop();
      ws.close();
    };
  }, [session, permissions, store]);
  return { status, wasLive, freshStarts };
}
