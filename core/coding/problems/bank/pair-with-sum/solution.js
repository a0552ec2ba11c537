function pairWithSum(nums, target) {
  const first = new Map();
  for (let j = 0; j < nums.length; j++) {
    const need = target - nums[j];
    if (first.has(need)) return [first.get(need), j];
    if (!first.has(nums[j])) first.set(nums[j], j);
  }
  return [];
}
