import java.util.*;

class Solution {
    public static int countIslands(String[] grid) {
        int rows = grid.length, cols = rows == 0 ? 0 : grid[0].length();
        boolean[][] seen = new boolean[rows][cols];
        int count = 0;
        int[][] dirs = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (grid[r].charAt(c) != '1' || seen[r][c]) continue;
                count++;
                ArrayDeque<int[]> stack = new ArrayDeque<>();
                stack.push(new int[] {r, c});
                seen[r][c] = true;
                while (!stack.isEmpty()) {
                    int[] p = stack.pop();
                    for (int[] d : dirs) {
                        int y = p[0] + d[0], x = p[1] + d[1];
                        if (y >= 0 && y < rows && x >= 0 && x < cols && grid[y].charAt(x) == '1' && !seen[y][x]) {
                            seen[y][x] = true;
                            stack.push(new int[] {y, x});
                        }
                    }
                }
            }
        }
        return count;
    }
}
