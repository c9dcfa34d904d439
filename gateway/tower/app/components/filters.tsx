import { useState } from 'preact/hooks';
import {
  PROMOTION_STATES,
  SALES_CHANNELS,
  type PromotionFilter,
  type PromotionState,
  type SalesChannel,
} from '../api/types.ts';
import { channelLabel, stateLabel } from '../format.ts';
import { useTower } from '../state/tower-context.ts';
import { useRegions } from '../state/use-regions.ts';

type Props = { value: PromotionFilter; onChange(filter: PromotionFilter): void };

/**
 * The list's filters, the API's PromotionFilter: state, channel, region (the stores' regions,
 * read from the locations), category, vendor and text. A partner's vendor is fixed by the
 * gateway, so it is shown, not asked.
 */
export function Filters({ value, onChange }: Props) {
  const { permissions } = useTower();
  const [state, setState] = useState(value.states?.[0] ?? '');
  const [channel, setChannel] = useState(value.channels?.[0] ?? '');
  const [vendorId, setVendorId] = useState(value.vendorId ?? '');
  const [text, setText] = useState(value.text ?? '');
  const [regionId, setRegionId] = useState(value.regionId ?? '');
  const [categoryId, setCategoryId] = useState(value.categoryId ?? '');
  const { regions } = useRegions();
  type Fields = {
    state: string;
    channel: string;
    vendorId: string;
    text: string;
    regionId: string;
    categoryId: string;
  };
  const apply = (next: Fields) =>
    onChange({
      ...(next.state ? { states: [next.state as PromotionState] } : {}),
      ...(next.channel ? { channels: [next.channel as SalesChannel] } : {}),
      ...(next.regionId ? { regionId: next.regionId } : {}),
      ...(next.categoryId.trim() ? { categoryId: next.categoryId.trim() } : {}),
      ...(next.vendorId.trim() ? { vendorId: next.vendorId.trim() } : {}),
      ...(next.text.trim() ? { text: next.text.trim() } : {}),
    });
  return (
    <form
      class="filters"
      aria-label="Filter promotions"
      onSubmit={(event) => {
        event.preventDefault();
        apply({ state, channel, vendorId, text, regionId, categoryId });
      }}
    >
      <label>
        State
        <select value={state} onChange={(e) => setState(e.currentTarget.value)} name="state">
          <option value="">Any</option>
          {PROMOTION_STATES.map((s) => (
            <option value={s}>{stateLabel(s)}</option>
          ))}
        </select>
      </label>
      <label>
        Channel
        <select value={channel} onChange={(e) => setChannel(e.currentTarget.value)} name="channel">
          <option value="">Any</option>
          {SALES_CHANNELS.map((c) => (
            <option value={c}>{channelLabel(c)}</option>
          ))}
        </select>
      </label>
      <label>
        Region
        <select value={regionId} onChange={(e) => setRegionId(e.currentTarget.value)} name="region">
          <option value="">Any</option>
          {regions.map((r) => (
            <option value={r.id}>
              {r.id} ({r.locations} location{r.locations === 1 ? '' : 's'})
            </option>
          ))}
        </select>
      </label>
      <label>
        Category
        <input
          name="category"
          value={categoryId}
          placeholder="e.g. GRP001"
          onInput={(e) => setCategoryId(e.currentTarget.value)}
        />
      </label>
      {permissions.vendorId ? (
        <p class="fixed-vendor">Vendor {permissions.vendorId}</p>
      ) : (
        <label>
          Vendor id
          <input
            name="vendor"
            value={vendorId}
            placeholder="e.g. V100001"
            onInput={(e) => setVendorId(e.currentTarget.value)}
          />
        </label>
      )}
      <label>
        Name or text
        <input
          name="text"
          type="search"
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </label>
      <div class="filter-buttons">
        <button type="submit">Apply</button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setState('');
            setChannel('');
            setVendorId('');
            setText('');
            setRegionId('');
            setCategoryId('');
            apply({ state: '', channel: '', vendorId: '', text: '', regionId: '', categoryId: '' });
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}
