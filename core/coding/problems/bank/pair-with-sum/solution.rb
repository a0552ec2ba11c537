def pair_with_sum(nums, target)
  first = {}
  nums.each_with_index do |x, j|
    return [first[target - x], j] if first.key?(target - x)
    first[x] = j unless first.key?(x)
  end
  []
end
