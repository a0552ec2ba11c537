def merge_intervals(intervals)
  merged = []
  intervals.sort.each do |s, e|
    if !merged.empty? && s <= merged[-1][1]
      merged[-1][1] = [merged[-1][1], e].max
    else
      merged << [s, e]
    end
  end
  merged
end
