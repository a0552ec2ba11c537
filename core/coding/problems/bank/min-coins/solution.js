function minCoins(coins, amount) {
  const best = new Array(amount + 1).fill(amount + 1);
  best[0] = 0;
  for (let v = 1; v <= amount; v++) {
    for (const c of coins) {
      if (c <= v && best[v - c] + 1 < best[v]) best[v] = best[v - c] + 1;
    }
  }
  return best[amount] <= amount ? best[amount] : -1;
}
