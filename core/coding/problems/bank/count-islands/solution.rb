def count_islands(grid)
  rows = grid.size
  cols = rows.zero? ? 0 : grid[0].size
  seen = {}
  count = 0
  rows.times do |r|
    cols.times do |c|
      next if grid[r][c] != '1' || seen[[r, c]]

      count += 1
      stack = [[r, c]]
      seen[[r, c]] = true
      until stack.empty?
        y, x = stack.pop
        [[y + 1, x], [y - 1, x], [y, x + 1], [y, x - 1]].each do |ny, nx|
          next if ny.negative? || ny >= rows || nx.negative? || nx >= cols
          next if grid[ny][nx] != '1' || seen[[ny, nx]]

          seen[[ny, nx]] = true
          stack << [ny, nx]
        end
      end
    end
  end
  count
end
