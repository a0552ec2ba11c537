def min_coins(coins, amount)
  best = Array.new(amount + 1, amount + 1)
  best[0] = 0
  (1..amount).each do |v|
    coins.each { |c| best[v] = best[v - c] + 1 if c <= v && best[v - c] + 1 < best[v] }
  end
  best[amount] <= amount ? best[amount] : -1
end
