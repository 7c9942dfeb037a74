export interface WordStats {
  words: number;
  unique: number;
  longest: string;
  top: Array<[string, number]>;
}

export function wordStats(text: string, topN = 3): WordStats {
  const words = text.toLowerCase().match(/[a-z0-9']+/g) ?? [];
  const counts = new Map<string, number>();
  let longest = "";
  for (const w of words) {
    counts.set(w, (counts.get(w) ?? 0) + 1);
    if (w.length > longest.length) longest = w;
  }
  const top = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, topN);
  return { words: words.length, unique: counts.size, longest, top };
}
