def longest_increasing_subsequence(nums)
  tails = []
  nums.each do |x|
    i = tails.bsearch_index { |t| t >= x } || tails.size
    tails[i] = x
  end
  tails.size
end
