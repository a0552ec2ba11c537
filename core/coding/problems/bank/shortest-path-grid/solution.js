function shortestPath(grid) {
  const rows = grid.length;
  const cols = grid[0].length;
  if (grid[0][0] === '#' || grid[rows - 1][cols - 1] === '#') return -1;
  const dist = new Int32Array(rows * cols).fill(-1);
  dist[0] = 0;
  const queue = [0];
  for (let head = 0; head < queue.length; head++) {
    const cell = queue[head];
    const y = Math.floor(cell / cols);
    const x = cell % cols;
    if (y === rows - 1 && x === cols - 1) return dist[cell];
    for (const [ny, nx] of [[y + 1, x], [y - 1, x], [y, x + 1], [y, x - 1]]) {
      if (ny >= 0 && ny < rows && nx >= 0 && nx < cols && grid[ny][nx] === '.' && dist[ny * cols + nx] < 0) {
        dist[ny * cols + nx] = dist[cell] + 1;
        queue.push(ny * cols + nx);
      }
    }
  }
  return -1;
}
