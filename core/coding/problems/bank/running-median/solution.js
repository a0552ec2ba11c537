function runningMedian(nums) {
  const sorted = [];
  const medians = [];
  for (const x of nums) {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    sorted.splice(lo, 0, x);
    const n = sorted.length;
    medians.push(n % 2 ? sorted[n >> 1] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2);
  }
  return medians;
}
