def running_median(nums)
  sorted = []
  nums.map do |x|
    i = sorted.bsearch_index { |t| t >= x } || sorted.size
    sorted.insert(i, x)
    n = sorted.size
    n.odd? ? sorted[n / 2].to_f : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
  end
end
