function longestUniqueSubstring(text) {
  const last = new Map();
  let start = 0;
  let best = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (last.has(ch) && last.get(ch) >= start) start = last.get(ch) + 1;
    last.set(ch, i);
    best = Math.max(best, i - start + 1);
  }
  return best;
}
