def shortest_path(grid)
  rows = grid.size
  cols = grid[0].size
  return -1 if grid[0][0] == '#' || grid[rows - 1][cols - 1] == '#'

  dist = { 0 => 0 }
  queue = [0]
  head = 0
  while head < queue.size
    cell = queue[head]
    head += 1
    y, x = cell.divmod(cols)
    return dist[cell] if y == rows - 1 && x == cols - 1

    [[y + 1, x], [y - 1, x], [y, x + 1], [y, x - 1]].each do |ny, nx|
      next if ny.negative? || ny >= rows || nx.negative? || nx >= cols

      nxt = ny * cols + nx
      next if grid[ny][nx] != '.' || dist.key?(nxt)

      dist[nxt] = dist[cell] + 1
      queue << nxt
    end
  end
  -1
end
