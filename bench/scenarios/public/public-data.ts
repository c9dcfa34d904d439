/**
 * The data of the public benchmark's subgraphs (BENCH-ANCHOR §3.2), held in memory and fully
 * deterministic, so every gateway gets byte-identical subgraph answers. Names, prices, weights,
 * stock and the review→product mapping are the public benchmark's; the review bodies are our own
 * Lorem-ipsum text of fixed lengths (the public ones are not reproduced here), sized so the
 * benchmark query's compact JSON response is exactly the public one's 87,599 bytes.
 */
export type UserRecord = { id: string; name: string; username: string; birthday: number };
export type ProductRecord = { upc: string; name: string; price: number; weight: number };
export type ReviewRecord = { id: string; body: string; productUpc: string };

const BIRTHDAY = 1234567890;

export const USERS: readonly UserRecord[] = [
  ['Uri Goldshtein', 'urigo'],
  ['Dotan Simha', 'dotansimha'],
  ['Kamil Kisiela', 'kamilkisiela'],
  ['Arda Tanrikulu', 'ardatan'],
  ['Gil Gardosh', 'gilgardosh'],
  ['Laurin Quast', 'laurin'],
].map(([name, username], i) => ({
  id: String(i + 1),
  name: name!,
  username: username!,
  birthday: BIRTHDAY,
}));

export const PRODUCTS: readonly ProductRecord[] = (
  [
    ['Table', 899, 100],
    ['Couch', 1299, 1000],
    ['Glass', 15, 20],
    ['Chair', 499, 100],
    ['TV', 1299, 1000],
    ['Lamp', 6999, 300],
    ['Grill', 3999, 2000],
    ['Fridge', 100000, 6000],
    ['Sofa', 9999, 800],
  ] as const
).map(([name, price, weight], i) => ({ upc: String(i + 1), name, price, weight }));

/** In stock by upc (inventory subgraph). */
export const IN_STOCK: ReadonlyMap<string, boolean> = new Map(
  [true, false, false, false, true, true, true, false, true].map((v, i) => [String(i + 1), v]),
);

const LOREM = (
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut ' +
  'labore et dolore magna aliqua ut enim ad minim veniam quis nostrud exercitation ullamco ' +
  'laboris nisi ut aliquip ex ea commodo consequat duis aute irure dolor in reprehenderit in ' +
  'voluptate velit esse cillum dolore eu fugiat nulla pariatur excepteur sint occaecat cupidatat ' +
  'non proident sunt in culpa qui officia deserunt mollit anim id est laborum'
).split(' ');

/** Deterministic Lorem-ipsum text of exactly `length` characters, starting at word `offset`. */
export function loremText(length: number, offset: number): string {
  let text = '';
  for (let i = offset; text.length < length; i++) {
    const word = LOREM[i % LOREM.length]!;
    text += text === '' ? word[0]!.toUpperCase() + word.slice(1) : ` ${word}`;
  }
  return `${text.slice(0, length - 1).trimEnd()}.`.padEnd(length, '.');
}

/**
 * Body length of each review (140 to 824 characters; the public ones run 140 to about 900). In the
 * benchmark query's response reviews 1 and 2 appear 78 times each, 3 and 4 13 times and the others
 * once, which with these lengths makes 87,599 bytes.
 */
const BODY_LENGTHS = [412, 270, 431, 215, 588, 140, 367, 824, 259, 693, 503];
/** Reviews 1–4 are on product 1, 5–8 on product 2, 9 on product 3, 10–11 on product 4. */
const REVIEW_PRODUCTS = ['1', '1', '1', '1', '2', '2', '2', '2', '3', '4', '4'];

export const REVIEWS: readonly ReviewRecord[] = BODY_LENGTHS.map((length, i) => ({
  id: String(i + 1),
  body: loremText(length, i * 7),
  productUpc: REVIEW_PRODUCTS[i]!,
}));
