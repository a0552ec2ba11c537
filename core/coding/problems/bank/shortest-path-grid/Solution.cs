using System.Collections.Generic;

public class Solution {
    public static int ShortestPath(string[] grid) {
        int rows = grid.Length, cols = grid[0].Length;
        if (grid[0][0] == '#' || grid[rows - 1][cols - 1] == '#') return -1;
        var dist = new int[rows * cols];
        for (int k = 0; k < dist.Length; k++) dist[k] = -1;
        dist[0] = 0;
        var queue = new Queue<int>();
        queue.Enqueue(0);
        int[] dy = { 1, -1, 0, 0 }, dx = { 0, 0, 1, -1 };
        while (queue.Count > 0) {
            int cell = queue.Dequeue(), y = cell / cols, x = cell % cols;
            if (y == rows - 1 && x == cols - 1) return dist[cell];
            for (int k = 0; k < 4; k++) {
                int ny = y + dy[k], nx = x + dx[k];
                if (ny >= 0 && ny < rows && nx >= 0 && nx < cols && grid[ny][nx] == '.' && dist[ny * cols + nx] < 0) {
                    dist[ny * cols + nx] = dist[cell] + 1;
                    queue.Enqueue(ny * cols + nx);
                }
            }
        }
        return -1;
    }
}
