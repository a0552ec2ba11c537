def run_length_encode(text)
  text.chars.chunk_while { |a, b| a == b }.map { |run| "#{run[0]}#{run.size}" }.join
end
