import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

const read = (name: string) => readFileSync(`contracts/trusted-documents/${name}`, 'utf8');
const fragment = (text: string) =>
  /^fragment TowerPromotionRow on Promotion \{[\s\S]*?^\}$/m.exec(text)?.[0];

describe("the control tower's trusted documents", () => {
  test('the list and the live feed select the same row (one fragment, two copies)', () => {
    const list = fragment(read('tower-promotions.graphql'));
    assert.ok(list);
    assert.equal(fragment(read('tower-promotion-events.graphql')), list);
  });
});
