// Stock records and the reorder rule: an item is reordered when what is left would not last
// the supplier's lead time at the current daily use.
export interface Item {
  sku: string;
  onHand: number;
  dailyUse: number;
  leadDays: number;
}

export interface Reorder {
  sku: string;
  quantity: number;
  daysLeft: number;
}

export function daysLeft(item: Item): number {
  if (item.dailyUse <= 0) return Infinity;
  return Math.floor(item.onHand / item.dailyUse);
}

export function reorders(items: Item[], safetyDays = 3): Reorder[] {
  const out: Reorder[] = [];
  for (const item of items) {
    const left = daysLeft(item);
    const cover = item.leadDays + safetyDays;
    if (left < cover) {
      const quantity = Math.ceil((cover + item.leadDays) * item.dailyUse - item.onHand);
      out.push({ sku: item.sku, quantity: Math.max(quantity, 1), daysLeft: left });
    }
  }
  return out.sort((a, b) => a.daysLeft - b.daysLeft || a.sku.localeCompare(b.sku));
}
