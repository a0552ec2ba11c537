def longest_unique_substring(text)
  last = {}
  start = best = 0
  text.each_char.with_index do |ch, i|
    start = last[ch] + 1 if last.key?(ch) && last[ch] >= start
    last[ch] = i
    best = [best, i - start + 1].max
  end
  best
end
