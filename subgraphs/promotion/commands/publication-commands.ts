import type { SalesChannel } from '../../shared/canonical/enums.ts';
import { badUserInput, notFound, type InputProblem } from '../../shared/errors.ts';
import { newPublication, redelivery, resendAll, withdrawAll } from '../delivery/channel-payload.ts';
import { nextVersion, type CommandCore, type MutationResult } from './command-core.ts';
import { ChannelIntent, DeliveryStatus, PromotionState } from '../model/promotion-enums.ts';
import type { SuspensionInput } from '../graph/promotion-input.type.ts';
import type { ActorData, PromotionRecord } from '../model/promotion.model.ts';
import { assertCan, planTransition } from './promotion-state-machine.ts';
import { invalidInput, requireText } from './promotion-validation.ts';

const intentOf = (record: PromotionRecord, channel: SalesChannel) =>
  record.channels.find((c) => c.channel === channel)?.intent;

const channelsWith = (record: PromotionRecord, intent: ChannelIntent) =>
  record.channels.filter((c) => c.intent === intent).map((c) => c.channel);

function checkChannelList(channels: readonly SalesChannel[], problems: InputProblem[]): void {
  if (channels.length === 0)
    problems.push({ field: 'channels', message: 'must name at least one channel' });
  const dups = [...new Set(channels.filter((c, i) => channels.indexOf(c) !== i))];
  if (dups.length)
    problems.push({
      field: 'channels',
      message: `must not contain duplicates: ${dups.join(', ')}`,
    });
}

function fail(problems: InputProblem[]): void {
  if (problems.length) throw invalidInput(problems);
}

/** Channel-facing commands: publish, suspend, resume, end, cancel, retry a delivery. */
export function createPublicationCommands(core: CommandCore) {
  return {
    /** APPROVED → SCHEDULED/ACTIVE by the clock; on SCHEDULED/ACTIVE it adds channels. */
    publish(
      id: string,
      channels: SalesChannel[],
      expectedVersion: number | null | undefined,
      idempotencyKey: string | null | undefined,
      actor: ActorData,
    ): Promise<MutationResult> {
      const input = { promotionId: id, channels, expectedVersion: expectedVersion ?? null };
      return core.idempotent('publishToChannels', actor, idempotencyKey, input, (idempotency) =>
        core.locked(id, async () => {
          const current = await core.load(id, actor);
          core.checkVersion(current, expectedVersion);
          const now = core.now();
          const to = planTransition('publish', current.state, { now, window: current.window });
          const problems: InputProblem[] = [];
          checkChannelList(channels, problems);
          const unknown = channels.filter((c) => !current.eligibility.channels.includes(c));
          if (unknown.length) {
            problems.push({
              field: 'channels',
              message: `not in the promotion's eligibility: ${unknown.join(', ')}`,
            });
          }
          const suspended = channels.filter(
            (c) => intentOf(current, c) === ChannelIntent.SUSPENDED,
          );
          if (suspended.length) {
            problems.push({
              field: 'channels',
              message: `suspended (use resumePromotion): ${suspended.join(', ')}`,
            });
          }
          const fresh = [...new Set(channels)].filter((c) => {
            const intent = intentOf(current, c);
            return intent === undefined || intent === ChannelIntent.WITHDRAWN;
          });
          if (!problems.length && fresh.length === 0) {
            problems.push({ field: 'channels', message: `already live: ${channels.join(', ')}` });
          }
          if (to === PromotionState.ENDED) {
            problems.push({
              field: 'window.endsAt',
              message: 'has passed; the promotion can no longer be published',
            });
          }
          fail(problems);
          const next = nextVersion(current, now, { state: to });
          const publications = fresh.map((c) =>
            newPublication(
              next,
              c,
              ChannelIntent.LIVE,
              current.channels.find((p) => p.channel === c),
              core.stagesActivation(next),
            ),
          );
          return core.save(current, next, {
            actor,
            action: 'publishToChannels',
            reason: `channels: ${fresh.join(', ')}`,
            publications,
            ...(idempotency ? { idempotency } : {}),
          });
        }),
      );
    },

    /** Per-channel intent SUSPENDED; the promotion is SUSPENDED once no channel is LIVE. */
    suspend(
      id: string,
      suspension: SuspensionInput,
      channels: SalesChannel[] | null | undefined,
      idempotencyKey: string | null | undefined,
      actor: ActorData,
    ): Promise<MutationResult> {
      const reason = suspension.note ? `${suspension.code}: ${suspension.note}` : suspension.code;
      const input = { promotionId: id, reason, channels: channels ?? null };
      return core.idempotent('suspendPromotion', actor, idempotencyKey, input, (idempotency) =>
        core.locked(id, async () => {
          const current = await core.load(id, actor);
          assertCan('suspend', current.state);
          const now = core.now();
          const live = channelsWith(current, ChannelIntent.LIVE);
          const target = channels ?? live;
          const problems: InputProblem[] = [];
          if (channels) checkChannelList(channels, problems);
          const notLive = target.filter((c) => !live.includes(c));
          if (notLive.length)
            problems.push({ field: 'channels', message: `not live: ${notLive.join(', ')}` });
          if (!channels && live.length === 0)
            problems.push({ field: 'channels', message: 'no channel is live' });
          fail(problems);
          const to = planTransition('suspend', current.state, {
            now,
            window: current.window,
            hasLiveChannel: live.some((c) => !target.includes(c)),
          });
          const next = nextVersion(current, now, { state: to });
          const publications = [...new Set(target)].map((c) =>
            newPublication(
              next,
              c,
              ChannelIntent.SUSPENDED,
              current.channels.find((p) => p.channel === c),
            ),
          );
          return core.save(current, next, {
            actor,
            action: 'suspendPromotion',
            reason,
            publications,
            ...(idempotency ? { idempotency } : {}),
          });
        }),
      );
    },

    /** Suspended channels back to LIVE; a SUSPENDED promotion returns to its clock state. */
    resume(
      id: string,
      channels: SalesChannel[] | null | undefined,
      idempotencyKey: string | null | undefined,
      actor: ActorData,
    ): Promise<MutationResult> {
      const input = { promotionId: id, channels: channels ?? null };
      return core.idempotent('resumePromotion', actor, idempotencyKey, input, (idempotency) =>
        core.locked(id, async () => {
          const current = await core.load(id, actor);
          assertCan('resume', current.state);
          const now = core.now();
          const suspended = channelsWith(current, ChannelIntent.SUSPENDED);
          const target = channels ?? suspended;
          const problems: InputProblem[] = [];
          if (channels) checkChannelList(channels, problems);
          const notSuspended = target.filter((c) => !suspended.includes(c));
          if (notSuspended.length) {
            problems.push({
              field: 'channels',
              message: `not suspended: ${notSuspended.join(', ')}`,
            });
          }
          if (!channels && suspended.length === 0) {
            problems.push({ field: 'channels', message: 'no channel is suspended' });
          }
          fail(problems);
          const to = planTransition('resume', current.state, { now, window: current.window });
          const next = nextVersion(current, now, { state: to });
          const publications =
            to === PromotionState.ENDED
              ? []
              : [...new Set(target)].map((c) =>
                  newPublication(
                    next,
                    c,
                    ChannelIntent.LIVE,
                    current.channels.find((p) => p.channel === c),
                    core.stagesActivation(next),
                  ),
                );
          return core.save(current, next, {
            actor,
            action: 'resumePromotion',
            reason: `channels: ${target.join(', ')}`,
            publications,
            ...(idempotency ? { idempotency } : {}),
          });
        }),
      );
    },

    /**
     * Ends a live promotion now (channels get a withdrawal), or, with a future `at`, shortens
     * its window (channels get the new version; the scheduler ends it at `at`).
     */
    end(
      id: string,
      reason: string,
      at: string | null | undefined,
      actor: ActorData,
    ): Promise<MutationResult> {
      requireText('reason', reason);
      return core.locked(id, async () => {
        const current = await core.load(id, actor);
        const now = core.now();
        const endAt = at ? Date.parse(at) : now.getTime();
        if (endAt > now.getTime()) {
          assertCan('scheduleEnd', current.state);
          if (endAt >= Date.parse(current.window.endsAt)) {
            fail([
              { field: 'at', message: `must be before the window end ${current.window.endsAt}` },
            ]);
          }
          const to = planTransition('scheduleEnd', current.state, { now, window: current.window });
          const window = { ...current.window, endsAt: new Date(endAt).toISOString() };
          const next = nextVersion(current, now, { state: to, window });
          const publications = resendAll(current, next);
          return core.save(current, next, { actor, action: 'endPromotion', reason, publications });
        }
        assertCan('end', current.state);
        if (endAt < now.getTime()) fail([{ field: 'at', message: 'must not be in the past' }]);
        const to = planTransition('end', current.state, { now, window: current.window });
        const endsAt = Math.min(Date.parse(current.window.endsAt), now.getTime());
        const window = { ...current.window, endsAt: new Date(endsAt).toISOString() };
        const next = nextVersion(current, now, { state: to, window });
        return core.save(current, next, {
          actor,
          action: 'endPromotion',
          reason,
          publications: withdrawAll(current, next),
        });
      });
    },

    /** Before it was ever live; channels already sent get a withdrawal. */
    cancel(id: string, reason: string, actor: ActorData): Promise<MutationResult> {
      requireText('reason', reason);
      return core.locked(id, async () => {
        const current = await core.load(id, actor);
        const now = core.now();
        const to = planTransition('cancel', current.state, { now, window: current.window });
        const next = nextVersion(current, now, { state: to });
        return core.save(current, next, {
          actor,
          action: 'cancelPromotion',
          reason,
          publications: withdrawAll(current, next),
        });
      });
    },

    /** Re-queues a FAILED or DEAD_LETTERED delivery as a fresh delivery of the same intent. */
    retryDelivery(id: string, channel: SalesChannel, actor: ActorData): Promise<MutationResult> {
      return core.locked(id, async () => {
        const current = await core.load(id, actor);
        assertCan('retryDelivery', current.state);
        const publication = current.channels.find((c) => c.channel === channel);
        if (!publication) throw notFound('ChannelPublication', `${id}/${channel}`);
        if (
          publication.status !== DeliveryStatus.DEAD_LETTERED &&
          publication.status !== DeliveryStatus.FAILED
        ) {
          throw badUserInput(
            `The ${channel} delivery is ${publication.status}; only FAILED or DEAD_LETTERED deliveries can be retried`,
            [{ field: 'channel', message: `delivery is ${publication.status}` }],
          );
        }
        const next = { ...current, updatedAt: core.now().toISOString() };
        return core.save(current, next, {
          actor,
          action: 'retryChannelDelivery',
          reason: publication.lastError,
          publications: [redelivery(publication)],
          mainEvent: false,
        });
      });
    },
  };
}

export type PublicationCommands = ReturnType<typeof createPublicationCommands>;
