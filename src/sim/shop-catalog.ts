import { CATEGORIES } from './catalog-data.js';
import { Rng } from './rng.js';

/** A product of the simulated shop (the same for every seed: it is the shop, not the traffic). */
export interface Product {
  readonly item_id: string;
  readonly item_name: string;
  readonly item_category: string;
  readonly price: number;
}

const ADJECTIVES = ['Classic', 'Trail', 'Urban', 'Compact', 'Deluxe', 'Everyday', 'Pro', 'Lite'];
const NOUNS: Record<string, readonly string[]> = {
  shoes: ['Runner', 'Sneaker', 'Boot'],
  outdoor: ['Tent', 'Backpack', 'Rain Jacket'],
  kitchen: ['Grinder', 'Kettle', 'Knife Set'],
  books: ['Cookbook', 'Novel', 'Field Guide'],
  electronics: ['Charger', 'Headphones', 'Speaker'],
  toys: ['Puzzle', 'Building Set', 'Plush'],
  beauty: ['Sunscreen', 'Serum', 'Shampoo'],
  garden: ['Planter', 'Hose', 'Pruner'],
};

function buildCatalog(): Product[] {
  const rng = new Rng(0x5eed, 1);
  return Array.from({ length: 240 }, (_, i) => {
    const category = CATEGORIES[i % CATEGORIES.length] ?? 'books';
    const noun = rng.pick(NOUNS[category] ?? ['Item']);
    const price = Math.round(Math.exp(3.4 + 0.6 * rng.normal()) * 100) / 100 + 0.99;
    return {
      item_id: `SKU-${10_000 + i}`,
      item_name: `${rng.pick(ADJECTIVES)} ${noun}`,
      item_category: category,
      price: Math.round(price * 100) / 100,
    };
  });
}

/** The shop's products. */
export const PRODUCTS: readonly Product[] = buildCatalog();

/** The mean list price over the catalog (what a uniformly drawn upsell item is worth on average). */
export const MEAN_PRICE = PRODUCTS.reduce((sum, p) => sum + p.price, 0) / PRODUCTS.length;
