import { HttpError, type HttpRequest, type HttpResponse } from '../http/types.ts';
import { isChannel, isChannelMode, type ChannelName } from '../channels/channel-state.ts';
import type { BackendsState } from '../state.ts';
import { salesFeedRoute } from './sales-feed-route.ts';
import { handleErpAdmin } from '../erp/goods-receipt-admin.ts';

export const ADMIN_PREFIX = '/__admin/';

/**
 * `/__admin`: counters, faults, channel modes and inboxes, channel sales feeds, global latency,
 * reset. Plain JSON; never counted, delayed or faulted. Synchronous except the sales feed, which
 * calls out to the product's API.
 */
export function handleAdmin(
  req: HttpRequest,
  state: BackendsState,
): HttpResponse | Promise<HttpResponse> {
  const parts = req.path.slice(ADMIN_PREFIX.length).split('/').filter(Boolean);
  const route = `${req.method} ${parts[0] ?? ''}`;
  const ok = (body: unknown, status = 200): HttpResponse => ({ status, body });
  const noContent: HttpResponse = { status: 204 };

  switch (route) {
    case 'GET health':
      return ok({ status: 'ok', seed: state.erp.seed.options });
    case 'GET counters':
      return ok(state.counters.snapshot());
    case 'DELETE counters':
      state.counters.reset();
      return noContent;
    case 'GET faults':
      return ok({ faults: state.faults.list() });
    case 'POST faults':
      return ok(state.faults.add(json(req)), 201);
    case 'DELETE faults':
      if (parts[1] !== undefined) {
        if (!state.faults.remove(Number(parts[1])))
          throw new HttpError(404, 'NOT_FOUND', `No fault ${parts[1]}`);
      } else state.faults.reset();
      return noContent;
    case 'GET latency':
      return ok({ latencyMs: state.latencyMs });
    case 'PUT latency': {
      const { latencyMs } = json(req) as { latencyMs?: unknown };
      if (typeof latencyMs !== 'number' || !Number.isInteger(latencyMs) || latencyMs < 0) {
        throw new HttpError(400, 'BAD_LATENCY', '"latencyMs" must be a non-negative integer');
      }
      state.latencyMs = latencyMs;
      return ok({ latencyMs });
    }
    case 'POST reset':
      state.reset();
      return noContent;
    default:
      if (parts[0] === 'channels') return channelRoute(req, state, parts);
      if (parts[0] === 'erp') return handleErpAdmin(req, state.erp, parts.slice(1));
      throw new HttpError(404, 'NOT_FOUND', `No admin route ${req.method} ${req.path}`);
  }
}

function channelRoute(
  req: HttpRequest,
  state: BackendsState,
  parts: string[],
): HttpResponse | Promise<HttpResponse> {
  const name = parts[1] ?? '';
  if (!isChannel(name)) throw new HttpError(404, 'UNKNOWN_CHANNEL', `Unknown channel '${name}'`);
  const channel: ChannelName = name;
  const route = `${req.method} ${parts[2] ?? ''}`;
  switch (route) {
    case 'GET mode':
      return { status: 200, body: { channel, ...state.channels.mode(channel) } };
    case 'PUT mode': {
      const { mode, slowMs } = json(req) as { mode?: unknown; slowMs?: unknown };
      if (typeof mode !== 'string' || !isChannelMode(mode)) {
        throw new HttpError(
          400,
          'BAD_MODE',
          `"mode" must be one of accept, duplicate, slow, error, reject, ack-twice, accepted-not-live, down`,
        );
      }
      if (slowMs !== undefined && (typeof slowMs !== 'number' || slowMs < 0)) {
        throw new HttpError(400, 'BAD_MODE', '"slowMs" must be a non-negative number');
      }
      state.channels.setMode(channel, mode, slowMs as number | undefined);
      return { status: 200, body: { channel, ...state.channels.mode(channel) } };
    }
    case 'GET received':
      return { status: 200, body: { channel, received: state.channels.received(channel) } };
    case 'DELETE received':
      state.channels.clearReceived(channel);
      return { status: 204 };
    case 'POST sales-feed':
      return salesFeedRoute(state, channel, json(req));
    default:
      throw new HttpError(404, 'NOT_FOUND', `No admin route ${req.method} ${req.path}`);
  }
}

function json(req: HttpRequest): unknown {
  try {
    return JSON.parse(req.body.toString('utf8') || '{}');
  } catch {
    throw new HttpError(400, 'BAD_JSON', 'The request body is not JSON');
  }
}
