import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../shared/errors.ts';

/**
 * The events right after `after` can no longer be served: neither the bus nor the outbox holds
 * them (or the outbox could not be read). The subscription ends with this typed error
 * (`CURSOR_EXPIRED`) rather than continuing with a silent gap; the subscriber re-reads current
 * state and subscribes again without `after` (from now).
 *
 * Buses also raise it when their own retention does not reach back to `after`
 * (`oldestCursor`: the oldest event they can serve); the outbox replay then takes over.
 */
export class CursorExpiredError extends GraphQLError {
  constructor(
    readonly after: string,
    readonly oldestCursor: string | null,
    reason = 'are no longer retained',
  ) {
    super(
      `cursor expired: events after ${after} ${reason}` +
        (oldestCursor === null ? '' : ` (oldest retained: ${oldestCursor})`),
      {
        extensions: {
          code: ErrorCode.CursorExpired,
          problems: [{ field: 'after', message: 'cursor expired' }],
          ...(oldestCursor === null ? {} : { oldestCursor }),
        },
      },
    );
    this.name = 'CursorExpiredError';
  }
}
