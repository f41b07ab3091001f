/**
 * Cost estimates from a price table keyed by model id or id prefix. A model the table does
 * not know has no price: its cost is unknown (null), never 0, so a total is marked incomplete
 * rather than understated.
 */
export interface ModelPrice {
  inputPerMillion: number;
  outputPerMillion: number;
}

export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** The exact entry, else the longest key that is a prefix of the id; null when none fits. */
export function priceFor(model: string | null, table: PriceTable): ModelPrice | null {
  if (model === null) return null;
  const exact = table[model];
  if (exact) return exact;
  let best: string | null = null;
  for (const key of Object.keys(table)) {
    if (model.startsWith(key) && (best === null || key.length > best.length)) best = key;
  }
  return best === null ? null : table[best]!;
}

/** USD, rounded to a millionth of a dollar (the price table's own precision). */
export function costOf(price: ModelPrice, tokensIn: number, tokensOut: number): number {
  const usd = (tokensIn * price.inputPerMillion + tokensOut * price.outputPerMillion) / 1_000_000;
  return Math.round(usd * 1e6) / 1e6;
}
