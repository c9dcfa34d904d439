import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

const read = (name: string) => readFileSync(`contracts/trusted-documents/${name}`, 'utf8');
const fragment = (text: string, name = 'TowerPromotionRow on Promotion') =>
  new RegExp(`^fragment ${name} \\{[\\s\\S]*?^\\}$`, 'm').exec(text)?.[0];

describe("the control tower's trusted documents", () => {
  test('the list and the live feed select the same row (one fragment, two copies)', () => {
    const list = fragment(read('tower-promotions.graphql'));
    assert.ok(list);
    assert.equal(fragment(read('tower-promotion-events.graphql')), list);
  });

  test('the exceptions queue and the live feed select the same exception', () => {
    const name = 'TowerException on PromotionException';
    const queue = fragment(read('tower-exceptions.graphql'), name);
    assert.ok(queue);
    assert.equal(fragment(read('tower-promotion-events.graphql'), name), queue);
  });
});
