def top_k_words(words, k)
  counts = words.tally
  counts.keys.sort_by { |w| [-counts[w], w] }.first(k)
end
