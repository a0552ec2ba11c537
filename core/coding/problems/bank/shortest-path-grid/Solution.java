import java.util.*;

class Solution {
    public static int shortestPath(String[] grid) {
        int rows = grid.length, cols = grid[0].length();
        if (grid[0].charAt(0) == '#' || grid[rows - 1].charAt(cols - 1) == '#') return -1;
        int[] dist = new int[rows * cols];
        Arrays.fill(dist, -1);
        dist[0] = 0;
        int[] queue = new int[rows * cols];
        int head = 0, tail = 0;
        queue[tail++] = 0;
        int[] dy = {1, -1, 0, 0}, dx = {0, 0, 1, -1};
        while (head < tail) {
            int cell = queue[head++], y = cell / cols, x = cell % cols;
            if (y == rows - 1 && x == cols - 1) return dist[cell];
            for (int k = 0; k < 4; k++) {
                int ny = y + dy[k], nx = x + dx[k];
                if (ny >= 0 && ny < rows && nx >= 0 && nx < cols && grid[ny].charAt(nx) == '.' && dist[ny * cols + nx] < 0) {
                    dist[ny * cols + nx] = dist[cell] + 1;
                    queue[tail++] = ny * cols + nx;
                }
            }
        }
        return -1;
    }
}
