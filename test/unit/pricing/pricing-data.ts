import type { ErpFixtureData } from './erp-fixture.ts';

/** "Now" of the pricing unit tests: 2026-03-15 10:00 UTC. */
export const NOW = Date.parse('2026-03-15T10:00:00Z');

/**
 * Canned ERP data for the pricing tests.
 * - TG11: chain-wide list price 19.990 (open-ended) and an expired 17.000.
 * - TG12: 99.900 per 10 PC until 2026-12-31 → 9.99 a unit.
 * - TG13: POS chain-wide 5.000, store S001 4.500.
 * - TG14: POS chain-wide 10.000, store S001 9.000, chain-wide clearance 6.000 in March 2026.
 * - TG15: list price 8.000 and a deleted clearance 2.000.
 * - TG16: only an expired list price.
 * - TG17: list price 10.000 (e-commerce) and 10.500 (marketplace); cost 9.00.
 * - TG18: list price in USD.
 * - TG99: marked for deletion.
 */
export const PRICING_DATA: ErpFixtureData = {
  prices: [
    { record: '0000000001', material: 'TG11', from: '2025-01-01', rate: '19.990' },
    {
      record: '0000000002',
      material: 'TG11',
      from: '2024-01-01',
      to: '2024-12-31',
      rate: '17.000',
    },
    {
      record: '0000000003',
      material: 'TG12',
      from: '2025-01-01',
      to: '2026-12-31',
      rate: '99.900',
      per: '10',
    },
    {
      record: '0000000004',
      material: 'TG13',
      distributionChannel: '20',
      from: '2025-01-01',
      rate: '5.000',
    },
    {
      record: '0000000005',
      material: 'TG13',
      distributionChannel: '20',
      plant: 'S001',
      from: '2025-06-01',
      rate: '4.500',
    },
    {
      record: '0000000006',
      material: 'TG14',
      distributionChannel: '20',
      from: '2025-01-01',
      rate: '10.000',
    },
    {
      record: '0000000007',
      material: 'TG14',
      distributionChannel: '20',
      plant: 'S001',
      from: '2025-01-01',
      rate: '9.000',
    },
    {
      record: '0000000008',
      type: 'ZCLR',
      material: 'TG14',
      distributionChannel: '20',
      from: '2026-03-01',
      to: '2026-03-31',
      rate: '6.000',
    },
    { record: '0000000009', material: 'TG15', from: '2025-01-01', rate: '8.000' },
    {
      record: '0000000010',
      type: 'ZCLR',
      material: 'TG15',
      from: '2025-01-01',
      rate: '2.000',
      deleted: true,
    },
    { record: '0000000011', material: 'TG16', from: '2024-01-01', to: '2025-12-31', rate: '3.000' },
    { record: '0000000012', material: 'TG17', from: '2025-01-01', rate: '10.000' },
    {
      record: '0000000013',
      material: 'TG17',
      distributionChannel: '30',
      from: '2025-01-01',
      rate: '10.500',
    },
    { record: '0000000014', material: 'TG18', from: '2025-01-01', rate: '12.000', currency: 'USD' },
  ],
  products: [
    {
      product: 'TG11',
      group: 'GRP007',
      brand: 'Acme',
      names: { EN: 'Trail shoe', DE: 'Laufschuh' },
    },
    { product: 'TG12', group: 'GRP002', brand: 'Fizz', names: { EN: 'Sparkling water' } },
    { product: 'TG13', group: 'GRP003', names: { DE: 'Nur deutsch' } },
    { product: 'TG14', group: 'GRP003', brand: 'Acme', names: { EN: 'Rain jacket' } },
    { product: 'TG15', names: { EN: 'Socks' } },
    { product: 'TG16', names: { EN: 'Old cap' } },
    { product: 'TG17', names: { EN: 'Headlamp' } },
    { product: 'TG18', names: { EN: 'Import' } },
    { product: 'TG99', names: { EN: 'Gone' }, deleted: true },
  ],
  valuations: [
    { product: 'TG11', plant: 'S001', standard: '12.00' },
    { product: 'TG11', plant: 'S002', procedure: 'V', movingAverage: '130.00', per: '10' },
    { product: 'TG12', plant: 'DC01', standard: '70.00', per: '10' },
    { product: 'TG13', plant: 'S001', standard: '4.10' },
    { product: 'TG14', plant: 'S001', standard: '5.00' },
    { product: 'TG17', plant: 'DC01', standard: '9.00' },
  ],
};
