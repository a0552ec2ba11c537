def is_balanced(text)
  pairs = { ')' => '(', ']' => '[', '}' => '{' }
  stack = []
  text.each_char do |ch|
    if '([{'.include?(ch)
      stack.push(ch)
    elsif pairs.key?(ch)
      return false if stack.pop != pairs[ch]
    end
  end
  stack.empty?
end
