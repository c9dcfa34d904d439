import type { PromotionDetail } from '../api/types.ts';
import { channelLabel, dateTime, money, words } from '../format.ts';
import { StateBadge } from './state-badge.tsx';

function offerText(offer: PromotionDetail['offer']): string {
  if (offer.percentOff) return `${offer.percentOff}% off`;
  if (offer.amountOff) return `${money(offer.amountOff)} off`;
  if (offer.fixedPrice) return `for ${money(offer.fixedPrice)}`;
  return words(offer.kind);
}

const list = (values: string[], none: string) => (values.length ? values.join(', ') : none);

/** Name, state and the terms that decide where the promotion runs. */
export function PromotionSummary({ promotion }: { promotion: PromotionDetail }) {
  const p = promotion;
  return (
    <header class="summary">
      <h2 id="detail-heading">
        {p.name} <StateBadge state={p.state} />
      </h2>
      {p.description && <p>{p.description}</p>}
      <dl class="terms">
        <div>
          <dt>Id · version</dt>
          <dd>
            {p.id} · v{p.version}
          </dd>
        </div>
        <div>
          <dt>Offer</dt>
          <dd>{offerText(p.offer)}</dd>
        </div>
        <div>
          <dt>Window</dt>
          <dd>
            {dateTime(p.window.startsAt)} – {dateTime(p.window.endsAt)} ({p.window.timeZone})
          </dd>
        </div>
        <div>
          <dt>Channels</dt>
          <dd>{p.eligibility.channels.map(channelLabel).join(', ')}</dd>
        </div>
        <div>
          <dt>Locations</dt>
          <dd>{list(p.eligibility.locationIds, 'every location of the channels')}</dd>
        </div>
        <div>
          <dt>Regions</dt>
          <dd>{list(p.eligibility.regionIds, 'none given')}</dd>
        </div>
        <div>
          <dt>SKUs</dt>
          <dd>{list(p.scope.skus, 'none')}</dd>
        </div>
        <div>
          <dt>Categories</dt>
          <dd>{list(p.scope.categoryIds, 'none given')}</dd>
        </div>
        <div>
          <dt>Vendor</dt>
          <dd>{p.vendor?.id ?? 'none'}</dd>
        </div>
      </dl>
    </header>
  );
}
