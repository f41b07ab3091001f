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

/**
 * What Gemini bills for grounding with Google Search, beside the tokens: per grounded request
 * (a prompt the model answered with a search). The default is Google's paid-tier list price for
 * the 2.5 models as published in late 2025: $35 per 1,000 grounded prompts, after a free daily
 * allowance (1,500 a day) this estimate does not subtract, so it errs high. The Gemini 3 models
 * bill per search query instead ($14 per 1,000 in Google's announcement); an operator on those sets
 * config `searchPricePerThousand`.
 */
export const DEFAULT_SEARCH_PRICE_PER_THOUSAND = 35;

/** USD for `searches` grounded requests at `perThousand` USD per 1,000, to a millionth of a dollar. */
export function searchCostOf(searches: number, perThousand: number): number {
  return Math.round(((searches * perThousand) / 1000) * 1e6) / 1e6;
}

/** USD, rounded to a millionth of a dollar (the price table's own precision). */
export function costOf(price: ModelPrice, tokensIn: number, tokensOut: number): number {
  const usd = (tokensIn * price.inputPerMillion + tokensOut * price.outputPerMillion) / 1_000_000;
  return Math.round(usd * 1e6) / 1e6;
}
