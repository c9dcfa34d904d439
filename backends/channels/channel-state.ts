import { EventEmitter } from 'node:events';
import {
  SALES_CHANNELS,
  channelWebhookSegment,
  type ChannelWebhookSegment,
} from '../../contracts/canonical/sales-channels.ts';

/**
 * One emulated back-end per sales channel, at its webhook path segment (`/channels/pos/...`):
 * derived from the channels' one declaration, so a new channel has its endpoint.
 */
export const CHANNELS: readonly ChannelName[] = SALES_CHANNELS.map(channelWebhookSegment);
export type ChannelName = ChannelWebhookSegment;

export const CHANNEL_MODES = [
  'accept',
  'duplicate',
  'slow',
  'error',
  'reject',
  'ack-twice',
  'accepted-not-live',
  'down',
] as const;
export type ChannelMode = (typeof CHANNEL_MODES)[number];

export type ReceivedMessage = {
  seq: number;
  channel: ChannelName;
  receivedAt: string;
  mode: ChannelMode;
  headers: {
    signature?: string;
    timestamp?: string;
    idempotencyKey?: string;
    contentType?: string;
  };
  signatureValid: boolean;
  /** Parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
  /** Status and body answered; status 0 with `DOWN` when the connection was destroyed. */
  verdict: { status: number; body: unknown };
};

export const isChannel = (value: string): value is ChannelName =>
  (CHANNELS as readonly string[]).includes(value);
export const isChannelMode = (value: string): value is ChannelMode =>
  (CHANNEL_MODES as readonly string[]).includes(value);

type Inbox = {
  mode: ChannelMode;
  slowMs: number;
  received: ReceivedMessage[];
  refs: Map<string, string>;
  nextRef: number;
};

/** Per-channel behaviour mode, received log and idempotency memory. */
export class ChannelState {
  private readonly inboxes = new Map<ChannelName, Inbox>();
  private readonly events = new EventEmitter();
  private seq = 0;

  constructor(
    private readonly initialModes: Partial<Record<ChannelName, ChannelMode>>,
    private readonly slowMs: number,
  ) {
    this.reset();
  }

  reset(): void {
    this.seq = 0;
    for (const channel of CHANNELS) {
      this.inboxes.set(channel, {
        mode: this.initialModes[channel] ?? 'accept',
        slowMs: this.slowMs,
        received: [],
        refs: new Map(),
        nextRef: 1,
      });
    }
  }

  mode(channel: ChannelName): { mode: ChannelMode; slowMs: number } {
    const inbox = this.inbox(channel);
    return { mode: inbox.mode, slowMs: inbox.slowMs };
  }

  setMode(channel: ChannelName, mode: ChannelMode, slowMs?: number): void {
    const inbox = this.inbox(channel);
    inbox.mode = mode;
    if (slowMs !== undefined) inbox.slowMs = slowMs;
  }

  received(channel: ChannelName): readonly ReceivedMessage[] {
    return this.inbox(channel).received;
  }

  clearReceived(channel: ChannelName): void {
    this.inbox(channel).received = [];
  }

  /** The channel reference remembered for an idempotency key, if any. */
  refFor(channel: ChannelName, key: string): string | undefined {
    return this.inbox(channel).refs.get(key);
  }

  /** A new channel reference (`POS-000001`), remembered for the key unless `remember` is false. */
  newRef(channel: ChannelName, key: string, remember = true): string {
    const inbox = this.inbox(channel);
    const ref = `${channel.toUpperCase()}-${String(inbox.nextRef++).padStart(6, '0')}`;
    if (remember) inbox.refs.set(key, ref);
    return ref;
  }

  log(message: Omit<ReceivedMessage, 'seq'>): void {
    const entry = { ...message, seq: ++this.seq };
    this.inbox(message.channel).received.push(entry);
    this.events.emit('received', entry);
  }

  /** Resolves once `channel` has logged at least `count` messages (for tests; no sleeps). */
  waitForReceived(
    channel: ChannelName,
    count: number,
    timeoutMs = 5000,
  ): Promise<readonly ReceivedMessage[]> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        if (this.received(channel).length < count) return false;
        clearTimeout(timer);
        this.events.off('received', check);
        resolve(this.received(channel));
        return true;
      };
      const timer = setTimeout(() => {
        this.events.off('received', check);
        reject(
          new Error(
            `channel ${channel}: ${this.received(channel).length}/${count} messages after ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      if (!check()) this.events.on('received', check);
    });
  }

  private inbox(channel: ChannelName): Inbox {
    return this.inboxes.get(channel)!;
  }
}
