import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CREATE, createHarness, draftInput } from './promotion-harness.ts';

/**
 * Finding 6: DEL, the C1 controls and the bidirectional formatting characters were stored in a
 * promotion name. They are refused like the C0 controls (subgraphs/shared/control-characters.ts):
 * BAD_USER_INPUT naming the field, before the resolver runs, so nothing is written.
 */
const REFUSED: [string, string][] = [
  ['DEL', '\u007f'],
  ['C1 PAD (first C1)', '\u0080'],
  ['NEL', '\u0085'],
  ['CSI', '\u009b'],
  ['APC (last C1)', '\u009f'],
  ['ARABIC LETTER MARK', '\u061c'],
  ['LEFT-TO-RIGHT MARK', '\u200e'],
  ['RIGHT-TO-LEFT MARK', '\u200f'],
  ['LEFT-TO-RIGHT EMBEDDING', '\u202a'],
  ['RIGHT-TO-LEFT EMBEDDING', '\u202b'],
  ['POP DIRECTIONAL FORMATTING', '\u202c'],
  ['LEFT-TO-RIGHT OVERRIDE', '\u202d'],
  ['RIGHT-TO-LEFT OVERRIDE', '\u202e'],
  ['LEFT-TO-RIGHT ISOLATE', '\u2066'],
  ['RIGHT-TO-LEFT ISOLATE', '\u2067'],
  ['FIRST STRONG ISOLATE', '\u2068'],
  ['POP DIRECTIONAL ISOLATE', '\u2069'],
];

describe('control and bidi characters in arguments', () => {
  for (const [name, char] of REFUSED) {
    test(`${name} (U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) in a name is BAD_USER_INPUT and nothing is written`, async () => {
      const h = await createHarness();
      const result = await h.exec(CREATE, { input: draftInput({ name: `Winter${char}sale` }) });
      assert.deepEqual(JSON.parse(JSON.stringify(result)), {
        data: null,
        errors: [
          {
            message: 'createPromotionDraft: arguments must not contain control characters',
            locations: [{ line: 2, column: 3 }],
            path: ['createPromotionDraft'],
            extensions: {
              code: 'BAD_USER_INPUT',
              problems: [{ field: 'input.name', message: 'must not contain control characters' }],
            },
          },
        ],
      });
      const list = await h.run<{ promotions: { edges: unknown[] } }>(
        '{ promotions { edges { cursor } } }',
      );
      assert.deepEqual(list.promotions.edges, []);
      await h.close();
    });
  }

  test('a bidi override hidden in a nested list is named by its path', async () => {
    const h = await createHarness();
    const result = await h.exec(CREATE, {
      input: draftInput({ scope: { skus: ['SKU000001', 'SKU\u202e000002'] } }),
    });
    assert.deepEqual(result.errors?.[0]?.extensions, {
      code: 'BAD_USER_INPUT',
      problems: [{ field: 'input.scope.skus[1]', message: 'must not contain control characters' }],
    });
    await h.close();
  });

  test('ordinary text stays valid: tabs, newlines, accents, CJK, emoji (with joiners)', async () => {
    const h = await createHarness();
    const name = 'Crème brûlée\tweek\nline two · 咖啡周 · コーヒー · 커피 · ☕ 👩‍👩‍👧 🇩🇪 ✌️';
    const description = 'Ünïcödé – “quotes” — ½ price; naïve café; Ελληνικά; עברית; العربية';
    const data = await h.run<{
      createPromotionDraft: { promotion: { name: string; description: string } };
    }>(
      `mutation($input: CreatePromotionDraftInput!) { createPromotionDraft(input: $input) { promotion { name description } } }`,
      { input: draftInput({ name, description }) },
    );
    assert.deepEqual(data.createPromotionDraft.promotion, { name, description });
    await h.close();
  });
});
